"""Evaluation (评标报告): the committee (size, experts, odd number, 政府采购 large projects), signatures, the report's
required items, the number of bidders, and the candidates recommended (count, ranking) in the report or 公示."""
from __future__ import annotations

from typing import Optional

from ...rules.schema import Severity
from ..dossier import Dossier, DossierDoc
from ..report import ProjectFact
from .base import Context, ProjectFacts, event, money, typed

_REPORT = [["评标报告"]]
_CANDS = [["评标报告", "中标候选人公示"]]
COMMITTEE = ("评标委员会人数", "评审专家人数", "评标委员会人数奇偶", "大额采购项目评标委员会人数")
PROVIDES = {**{n: _REPORT for n in COMMITTEE + ("投标人数量", "未签字评委人数", "评标报告缺少要素数")},
            "推荐中标候选人数": _CANDS, "未标明排序的候选人数": _CANDS}


def derive(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    reports = dossier.of_type("评标报告")
    if not reports:
        pf.miss_all(COMMITTEE + ("投标人数量", "未签字评委人数", "评标报告缺少要素数"),
                    "缺少评标报告，无法检查")
    for d in reports:
        if "report" in d.keys:
            event(pf, d.keys["report"].when, "评标报告", d)
        n, experts, unsigned, how, clause = _members(d)
        _committee(dossier, ctx, pf, d, n, experts, how, clause)
        _signatures(pf, d, unsigned, clause)
        _elements(ctx, pf, d)
        _bidders(pf, d)
    _candidates(dossier, pf, reports)


def _members(d: DossierDoc) -> tuple[Optional[int], Optional[int], Optional[int], str, Optional[object]]:
    """(members, experts, unsigned, how it was read, clause) of a 评标报告."""
    data = d.data
    if data.members:
        real = [m for m in data.members if m.name != "（拒绝签字者）"]
        n = len(real)
        known = [m for m in real if m.role]
        experts = len([m for m in real if m.role != "代表"]) if known else None
        signs = [m for m in data.members if m.signed is not None]
        unsigned = len([m for m in signs if m.signed is False]) if signs else None
        reps = len([m for m in real if m.role == "代表"])
        how = f"评标委员会成员名单 {n}人（{'招标人代表' + str(reps) + '人，' if known else ''}" \
              f"{'评审专家' + str(experts) + '人' if experts is not None else '成员类别未标明'}）"
        return n, experts, unsigned, how, real[0].clause if real else None
    if data.member_counts:
        n, reps, experts, clause = data.member_counts
        if experts is None and reps is not None:
            experts = n - reps
        return n, experts, None, f"评标委员会由{n}人组成" + (f"，其中评审专家{experts}人" if experts is not None else ""), clause
    return None, None, None, "", None


def _committee(dossier: Dossier, ctx: Context, pf: ProjectFacts, d: DossierDoc, n: Optional[int],
               experts: Optional[int], how: str, clause) -> None:
    if n is None:
        pf.miss_all(COMMITTEE, "评标报告中未找到评标委员会成员名单或组成")
        return
    ev = d.evidence("评标委员会组成", how, clause)
    pf.add(ProjectFact(name="评标委员会人数", kind="count", value=n, unit="人", shown=f"{n}人",
                       comparison=f"评标报告 {how}", evidence=[ev], stage=d.stage))
    pf.add(ProjectFact(name="评标委员会人数奇偶", kind="count", value=n % 2, unit="", shown=f"{n}人",
                       comparison=f"评标报告 评标委员会 {n}人（{'单数' if n % 2 else '双数'}）", evidence=[ev],
                       stage=d.stage))
    if experts is not None:
        pf.add(ProjectFact(name="评审专家人数", kind="count", value=experts, unit="人", shown=f"{experts}人",
                           comparison=f"评标报告 评审专家 {experts}人", evidence=[ev], stage=d.stage))
    else:
        pf.miss("评审专家人数", "评标报告的成员名单未标明招标人代表与评审专家，无法计算专家比例")
    budget = _budget(dossier)
    if ctx.regime == "政府采购" and budget is not None and budget[0] >= 10_000_000:
        pf.add(ProjectFact(name="大额采购项目评标委员会人数", kind="count", value=n, unit="人", shown=f"{n}人",
                           comparison=f"评标报告 评标委员会 {n}人；{budget[1]}", evidence=[ev], stage=d.stage))
    elif ctx.regime == "政府采购":
        pf.not_applicable["大额采购项目评标委员会人数"] = "采购预算未达1000万元（或未找到预算金额）"


def _signatures(pf: ProjectFacts, d: DossierDoc, unsigned: Optional[int], clause) -> None:
    if unsigned is None:
        pf.miss("未签字评委人数", "评标报告中未找到评标委员会成员签字栏")
        return
    members = d.data.members
    unsigned_names = [m.name for m in members if m.signed is False]
    ev = d.evidence("签字", "、".join(unsigned_names) + " 未签字" if unsigned else "全体成员已签字",
                    next((m.clause for m in members if m.signed is False), clause))
    pf.add(ProjectFact(name="未签字评委人数", kind="count", value=unsigned, unit="人", shown=f"{unsigned}人",
                       comparison=f"评标报告 未签字且未书面说明不同意见的成员 {unsigned}人"
                                  + (f"（{'、'.join(unsigned_names)}）" if unsigned_names else ""),
                       evidence=[ev], stage=d.stage))


def _elements(ctx: Context, pf: ProjectFacts, d: DossierDoc) -> None:
    data = d.data
    if ctx.regime == "工程" and data.elements_checked:
        missing = data.elements_missing
        pf.add(ProjectFact(name="评标报告缺少要素数", kind="count", value=len(missing), unit="项",
                           shown=f"{len(missing)}项", severity_cap=Severity.warning,
                           comparison="评标报告 缺少：" + "、".join(missing) if missing else "评标报告要素齐全",
                           evidence=[d.evidence("评标报告要素", "缺少" + "、".join(missing) if missing else "齐全")],
                           stage=d.stage))
    elif ctx.regime != "工程":
        pf.not_applicable["评标报告缺少要素数"] = "要素清单（评标委员会和评标方法暂行规定第四十二条）适用于工程项目"


def _bidders(pf: ProjectFacts, d: DossierDoc) -> None:
    if d.data.bidders is None:
        pf.miss("投标人数量", "评标报告中未找到开标记录或投标人数量")
        return
    count, bclause, text = d.data.bidders
    pf.add(ProjectFact(name="投标人数量", kind="count", value=count, unit="家", shown=f"{count}家",
                       comparison=f"评标报告 {text}", evidence=[d.evidence("投标人数量", f"{count}家", bclause)],
                       stage=d.stage))


def _candidates(dossier: Dossier, pf: ProjectFacts, reports: list[DossierDoc]) -> None:
    for d in reports + dossier.of_type("中标候选人公示"):
        cands = d.data.candidates
        if not cands:
            continue
        cap = Severity.info if "评定分离" in d.data.flags else None
        ev = d.evidence("中标候选人", "、".join(f"{c.name}（{'第' + str(c.rank) + '名' if c.rank else '未排序'}）"
                                             for c in cands), cands[0].clause)
        pf.add(ProjectFact(name="推荐中标候选人数", kind="count", value=len(cands), unit="个", shown=f"{len(cands)}个",
                           comparison=f"{d.doc_type} 推荐中标候选人 {len(cands)}个", evidence=[ev], stage=d.stage,
                           severity_cap=cap, note=d.data.flags.get("评定分离", "")))
        unranked = [c for c in cands if c.rank is None]
        pf.add(ProjectFact(name="未标明排序的候选人数", kind="count", value=len(unranked), unit="个",
                           shown=f"{len(unranked)}个", comparison=f"{d.doc_type} 未标明排序的候选人 {len(unranked)}个",
                           evidence=[ev], stage=d.stage, severity_cap=cap, note=d.data.flags.get("评定分离", "")))
    if "推荐中标候选人数" not in pf.names():
        reason = ("缺少评标报告和中标候选人公示，无法检查" if not (reports or dossier.of_type("中标候选人公示"))
                  else "评标报告（公示）中未找到中标候选人名单")
        pf.miss_all(("推荐中标候选人数", "未标明排序的候选人数"), reason)


def _budget(dossier: Dossier) -> Optional[tuple[float, str]]:
    for d in dossier.of_type("招标文件", "招标公告"):
        vals = [f for f in typed(d, "预算金额", "money") if not f.lot]
        if vals:
            return vals[0].value, f"采购预算 {money(vals[0].value)}（{d.doc_type}）"
    reg = dossier.registration
    if reg is not None and reg.lots and all(l.estimate is not None for l in reg.lots):
        total = sum(l.estimate for l in reg.lots)
        return total, f"采购预算 {money(total)}（项目登记）"
    return None
