"""Award: the winner against the candidates (outside them; a state-funded project's winner ranked first,
实施条例第五十五条) and, for 政府采购, the working days from the evaluation report to the decision and from the
decision to the notice and the announcement (政采条例第四十三条)."""
from __future__ import annotations

from ...names import find as name_find
from ...rules.schema import Severity
from ..dossier import Dossier
from ..report import ProjectFact
from .base import Context, ProjectFacts, add_within, candidates_of, event, winner_of

OUTSIDE, RANK = "候选人以外的中标人", "国有资金项目中标人排名"
_WINNER, _CANDS = [["中标结果公告", "中标通知书"]], [["评标报告", "中标候选人公示"]]
GP = ("中标人确定至中标公告", "中标人确定至中标通知书", "评审报告至确定中标")
PROVIDES = {
    OUTSIDE: _CANDS + _WINNER, RANK: _CANDS + _WINNER,
    "评审报告至确定中标": [["评标报告"], ["中标结果公告", "评标报告"]],
    "中标人确定至中标公告": [["中标结果公告"]], "中标人确定至中标通知书": [["中标结果公告"], ["中标通知书"]],
}


def derive(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    for t, what in (("中标结果公告", "中标结果公告发布"), ("中标通知书", "中标通知书发出")):
        for d in dossier.of_type(t):
            if "issued" in d.keys:
                event(pf, d.keys["issued"].when, what, d)
    _winner(dossier, ctx, pf)
    if ctx.regime != "政府采购":
        for n in GP:
            pf.not_applicable[n] = "政府采购项目的规定"
        return
    # The notice's content (中标公告缺少要素数) is a stage fact of the notice itself (checker/facts/stage.py), judged
    # by a document rule on every document of the dossier: one reading, one finding, no project fact.
    _government(dossier, pf)


def _winner(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    winner, cands = winner_of(dossier), candidates_of(dossier)
    if winner is None or cands is None:
        reason = []
        if winner is None:
            reason.append("缺少中标结果公告和中标通知书" if not dossier.of_type("中标结果公告", "中标通知书")
                          else "中标结果公告（中标通知书）中未找到中标人名称")
        if cands is None:
            reason.append("缺少评标报告和中标候选人公示" if not dossier.of_type("评标报告", "中标候选人公示")
                          else "评标报告（公示）中未找到中标候选人名单")
        pf.miss_all((OUTSIDE, RANK), "；".join(reason) + "，无法检查")
        return
    name, wd = winner
    clist, cd = cands
    found = name_find(name, [c.name for c in clist])
    hit = clist[found[0]] if found else None
    wev = wd.evidence("中标人", name, wd.data.name_clauses.get("中标人"))
    cev = cd.evidence("中标候选人", "、".join(f"{c.name}（{'第' + str(c.rank) + '名' if c.rank else '未排序'}）"
                                           for c in clist), clist[0].clause)
    listed = "、".join(c.name for c in clist)
    pf.add(ProjectFact(name=OUTSIDE, kind="count", value=0 if hit else 1, unit="",
                       shown="在候选人中" if hit else "不在候选人中",
                       comparison=f"{wd.doc_type} 中标人 {name} {'∈' if hit else '∉'} {cd.doc_type} 推荐的中标候选人"
                                  f"（{listed}）", evidence=[wev, cev], stage=wd.stage,
                       note=f"名称比对：{found[1].level}（{found[1].evidence}）" if found and found[1].level != "完全一致"
                       else ""))
    _rank(ctx, pf, name, wd, cd, hit, wev)


def _rank(ctx: Context, pf: ProjectFacts, name: str, wd, cd, hit, wev) -> None:
    """A project where state funds control or dominate must award the first-ranked candidate (第五十五条)."""
    if ctx.state_funded is None:
        pf.miss(RANK, "未能确定资金性质（项目登记信息、清单 state_funded 或招标文件“招标条件”中的资金来源），"
                      "无法判断是否须确定排名第一的中标候选人")
    elif ctx.state_funded is False:
        pf.not_applicable[RANK] = f"非国有资金占控股或主导地位的项目（{ctx.state_funded_from}）"
    elif hit is None:
        pf.not_applicable[RANK] = "中标人不在中标候选人中（见 {see_also}）"  # the rule's see_also names the rule
    elif hit.rank is None:
        pf.miss(RANK, "中标候选人未标明排序，无法判断中标人是否排名第一")
    else:
        legal = wd.data.flags.get("法定事由")
        pf.add(ProjectFact(name=RANK, kind="count", value=hit.rank, unit="名", shown=f"第{hit.rank}名",
                           comparison=f"{wd.doc_type} 中标人 {name} = {cd.doc_type} 排名第{hit.rank}的中标候选人"
                                      f"（国有资金项目：{ctx.state_funded_from}）",
                           evidence=[wev, cd.evidence("中标候选人排名", f"第{hit.rank}名", hit.clause)],
                           stage=wd.stage, note=f"文件提及：{legal}" if legal else "",
                           severity_cap=Severity.warning if legal else None))


def _government(dossier: Dossier, pf: ProjectFacts) -> None:
    """政府采购: 中标人确定之日起2个工作日内发出通知书并公告; the decision within 5 working days of the report."""
    determined = next(((d.keys["determined"], d) for d in dossier.of_type("中标结果公告", "评标报告", "中标通知书")
                       if "determined" in d.keys), None)
    if determined is None:
        pf.miss_all(GP[:2] + GP[3:], "未找到中标（成交）供应商确定日期（中标结果公告、评审报告中的“确定中标供应商”日期或清单 determined）")
        return
    det, dd = determined
    event(pf, det.when, "采购人确定中标供应商", dd)
    report = next((d.keys["report"] for d in dossier.of_type("评标报告") if "report" in d.keys), None)
    if report is None:
        pf.miss("评审报告至确定中标", "缺少评审报告（或其中未找到评审日期），无法检查" if not dossier.of_type("评标报告")
                else "评审报告中未找到评审（报告）日期")
    else:
        add_within(pf, "评审报告至确定中标", report, det, 5, "工作日", "评审报告", "确定中标供应商", stage="S6")
    announces = [d for d in dossier.of_type("中标结果公告") if "issued" in d.keys]
    notices = [d for d in dossier.of_type("中标通知书") if "issued" in d.keys]
    for name, docs, label in (("中标人确定至中标公告", announces, "中标结果公告"),
                              ("中标人确定至中标通知书", notices, "中标通知书")):
        if not docs:
            pf.miss(name, f"缺少{label}（或其中未找到发布日期），无法检查")
            continue
        add_within(pf, name, det, docs[0].keys["issued"], 2, "工作日", "确定中标供应商", label, stage=docs[0].stage)
