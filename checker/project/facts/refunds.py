"""Refunds of bid bonds: 工程, every bidder within 5 days of the contract (实施条例第五十七条); 政府采购, the winner
within 5 working days of the contract, the others within 5 working days of the award notice (政采条例第三十三条)."""
from __future__ import annotations

from collections import defaultdict

from ..dossier import Dossier, KeyDate
from ..extract import same_company
from .base import Context, ProjectFacts, add_within, d2s, event, winner_of

AFTER_CONTRACT, AFTER_NOTICE = "合同签订至保证金退还", "中标通知书至未中标人保证金退还"
PROVIDES = {AFTER_CONTRACT: [["保证金退还记录"], ["合同", "合同公告"]],
            AFTER_NOTICE: [["保证金退还记录"], ["中标通知书"]]}


def derive(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    refunds = _refunds(dossier)
    if not refunds:
        pf.miss_all((AFTER_CONTRACT, AFTER_NOTICE), "缺少保证金退还记录（退还日期），无法检查")
        return
    by_day: dict = defaultdict(list)
    for r, d in refunds:
        by_day[(r.when.date(), d.rel)].append((r, d))
    for (day, _), group in sorted(by_day.items()):
        r, d = group[0]
        who = r.bidder if len(group) == 1 else f"{len(group)}家投标人"
        event(pf, r.when, f"退还{who}投标保证金", d)
    sign = next(((d.keys["signed"], d) for d in dossier.of_type("合同", "合同公告") if "signed" in d.keys), None)
    notice = next(((d.keys["issued"], d) for d in dossier.of_type("中标通知书") if "issued" in d.keys), None)
    winner = winner_of(dossier)
    gp = ctx.regime == "政府采购"
    for r, d in refunds:
        won = r.won
        if won is None and winner is not None and r.bidder != "全部投标人":
            won = same_company(r.bidder, winner[0])
        rk = KeyDate(r.when, d.evidence(f"{r.bidder} 保证金退还日期", d2s(r.when), r.clause))
        if not gp or won:
            _period(pf, AFTER_CONTRACT, sign, rk, "工作日" if gp else "日", "合同签订", r.bidder, "S7",
                    "缺少合同（或其中未找到签订日期），无法检查退还期限")
        else:
            _period(pf, AFTER_NOTICE, notice, rk, "工作日", "中标通知书", r.bidder, "S6",
                    "缺少中标通知书（或其中未找到发出日期），无法检查退还期限")
    if not gp:
        pf.not_applicable.setdefault(AFTER_NOTICE, "工程项目按合同签订日计算（实施条例第五十七条）")


def _refunds(dossier: Dossier) -> list:
    refunds = [(r, d) for d in dossier.of_type("保证金退还记录") for r in d.data.refunds]
    for d in dossier.docs:
        if "refund" in d.keys:
            from ..extract import Refund

            refunds.append((Refund("全部投标人", d.keys["refund"].when, None, None), d))
    return refunds


def _period(pf: ProjectFacts, name: str, start, rk: KeyDate, unit: str, label: str, bidder: str, stage: str,
            missing: str) -> None:
    if start is None:
        pf.miss(name, missing)
        return
    add_within(pf, name, start[0], rk, 5, unit, label, f"退还{bidder}投标保证金", stage=stage, lot=bidder)
