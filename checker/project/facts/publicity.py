"""Publicity (中标候选人公示, 工程): the publicity period (at least 3 days), its start within 3 days of the 评标报告
(实施条例第五十四条), and the candidates it publishes against those the report recommends (PUBL-CONSISTENCY)."""
from __future__ import annotations

from ...facts.periods import CalendarGap, days_between
from ..dossier import Dossier, DossierDoc
from ..extract import same_company
from ..report import ProjectFact
from .base import Context, ProjectFacts, add_within, at_least, event, money, period_fact

DIFFS = "公示与评标报告不一致项数"
NOTICE_AFTER_END = "公示结束至中标通知书"
PROVIDES = {
    DIFFS: [["中标候选人公示"], ["评标报告"]],
    NOTICE_AFTER_END: [["中标候选人公示"], ["中标通知书"]],
    "评标报告至公示": [["评标报告"], ["中标候选人公示"]], "公示期": [["中标候选人公示"]],
}


def derive(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    pubs = dossier.of_type("中标候选人公示")
    names = ("评标报告至公示", "公示期", DIFFS, NOTICE_AFTER_END)
    if ctx.regime != "工程":
        for n in names:
            pf.not_applicable[n] = "中标候选人公示适用于依法必须招标的工程项目"
        return
    if not pubs:
        pf.miss_all(names, "缺少中标候选人公示，无法检查")
        return
    # the 公示's content (公示缺少要素数) is a stage fact of the 公示 itself (checker/facts/stage.py), judged by a
    # document rule on every document of the dossier: one reading, one finding, no project fact
    for d in pubs:
        start = d.keys.get("publicity_start") or d.keys.get("issued")
        _period(pf, d, start, d.keys.get("publicity_end"))
        _from_report(dossier, pf, d, start)
        _against_report(dossier, d, pf)
    _notice_after_end(dossier, pf, pubs)


def _period(pf: ProjectFacts, d: DossierDoc, start, end) -> None:
    if not (start and end):
        pf.miss("公示期", "中标候选人公示中未找到公示期（开始和结束日期）")
        return
    try:
        value, raw, note = at_least(start.day, end.day, 3)
        pf.add(period_fact("公示期", start, end, value, raw, "日", "公示开始", "公示结束", note=note,
                           stage=d.stage, alt=raw + 1))
    except CalendarGap as gap:
        pf.miss("公示期", f"公示期无法计算：{gap}")
    event(pf, start.when, "中标候选人公示开始", d)
    event(pf, end.when, "中标候选人公示结束", d)


def _from_report(dossier: Dossier, pf: ProjectFacts, d: DossierDoc, start) -> None:
    reports = [r for r in dossier.of_type("评标报告") if "report" in r.keys]
    if start and reports:
        add_within(pf, "评标报告至公示", reports[0].keys["report"], start, 3, "日", "评标报告", "中标候选人公示",
                   stage=d.stage)
    elif not dossier.of_type("评标报告"):
        pf.miss("评标报告至公示", "缺少评标报告，无法检查公示时点")
    elif not start:
        pf.miss("评标报告至公示", "中标候选人公示中未找到公示开始日期")
    else:
        pf.miss("评标报告至公示", "评标报告中未找到评标报告日期")


def _against_report(dossier: Dossier, pub: DossierDoc, pf: ProjectFacts) -> None:
    """PUBL-CONSISTENCY: the candidates published are those the 评标报告 recommends, in its order, at its prices."""
    reports = [d for d in dossier.of_type("评标报告") if d.data and d.data.candidates]
    if not reports:
        pf.miss(DIFFS, "缺少评标报告（或其中未找到推荐的中标候选人），无法核对公示内容"
                if not dossier.of_type("评标报告") else "评标报告中未找到推荐的中标候选人，无法核对公示内容")
        return
    if not pub.data.candidates:
        pf.miss(DIFFS, "中标候选人公示中未找到候选人名单")
        return
    rep = reports[0]
    theirs, ours = rep.data.candidates, pub.data.candidates
    diffs = [diff for c in ours for diff in _differences(c, theirs)]
    for r in theirs:
        if not any(same_company(r.name, c.name) for c in ours):
            diffs.append(f"评标报告推荐的 {r.name} 未在公示中列出")
    pf.add(ProjectFact(name=DIFFS, kind="count", value=len(diffs), unit="项", shown=f"{len(diffs)}项",
                       comparison="中标候选人公示 与 评标报告：" + ("；".join(diffs) if diffs else "候选人、排序、报价一致"),
                       evidence=[pub.evidence("公示的中标候选人", "、".join(c.name for c in ours), ours[0].clause),
                                 rep.evidence("推荐的中标候选人", "、".join(c.name for c in theirs), theirs[0].clause)],
                       stage=pub.stage))


def _differences(c, theirs) -> list[str]:
    match = next((r for r in theirs if same_company(r.name, c.name)), None)
    if match is None:
        return [f"公示的 {c.name} 不在评标报告推荐的中标候选人中"]
    out = []
    if c.rank is not None and match.rank is not None and c.rank != match.rank:
        out.append(f"{c.name} 公示第{c.rank}名 ≠ 评标报告第{match.rank}名")
    if c.price is not None and match.price is not None and abs(c.price - match.price) > 0.5:
        out.append(f"{c.name} 公示报价 {money(c.price)} ≠ 评标报告 {money(match.price)}")
    return out


def _notice_after_end(dossier: Dossier, pf: ProjectFacts, pubs: list[DossierDoc]) -> None:
    """Days from the end of the publicity to the award notice (实施条例第五十四条第二款: objections are raised during
    the publicity, and the tendering is suspended until they are answered): 0 or less = the notice went out before
    the publicity was over."""
    ends = [(d.keys["publicity_end"], d) for d in pubs if "publicity_end" in d.keys]
    notices = [d for d in dossier.of_type("中标通知书") if "issued" in d.keys]
    if not ends:
        pf.miss(NOTICE_AFTER_END, "中标候选人公示中未找到公示结束日期")
        return
    if not notices:
        pf.miss(NOTICE_AFTER_END, "缺少中标通知书（或其中未找到发出日期），无法检查" if not dossier.of_type("中标通知书")
                else "中标通知书中未找到发出日期")
        return
    end, pub = max(ends, key=lambda e: e[0].when)  # the last publicity (a re-publicity supersedes the first)
    issued = notices[0].keys["issued"]
    raw = float(days_between(end.day, issued.day))
    pf.add(period_fact(NOTICE_AFTER_END, end, issued, raw, raw, "日", "公示结束", "中标通知书发出",
                       stage=notices[0].stage))
