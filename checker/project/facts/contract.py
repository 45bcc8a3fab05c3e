"""Contract: signed within 30 days of the award notice (招标投标法第四十六条), a 政府采购 contract announced within 2
working days (政采条例第五十条), and the contract's terms against the award and the tender (CONT-CONSISTENCY: price,
duration, quality, advance payment, performance bond, progress payments)."""
from __future__ import annotations

from typing import Optional

from ..dossier import Dossier, DossierDoc
from ..extract import same_company
from ..report import ProjectFact
from .base import Context, ProjectFacts, add_within, candidates_of, event, found_fact, lexicon, money, winner_of

_C, _T = [["合同"]], [["招标文件"]]
_AWARDED = [["中标通知书", "评标报告", "中标候选人公示"]]
TERMS = (("预付款比例", "预付款"), ("履约保证金比例", "履约保证金"), ("进度款比例", "进度款"))
PROVIDES = {
    "中标通知书至合同签订": [["中标通知书"], ["合同"]], "合同签订至合同公告": [["合同", "合同公告"], ["合同公告"]],
    "合同签约合同价": _C, "中标价": [["中标通知书", "中标结果公告", "评标报告", "中标候选人公示"]],
    "合同工期": _C, "中标工期": _AWARDED, "招标工期": [["招标文件", "招标公告"]],
    "合同质量等级": _C, "中标质量等级": _AWARDED, "招标质量等级": _T,
    **{"合同" + what: _C for what, _ in TERMS}, **{"招标" + what: _T for what, _ in TERMS},
}
_DAYS = ("日", "日历天")


def derive(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    sign = _signing(dossier, pf)
    if ctx.regime == "政府采购":
        _announcement(dossier, pf, sign)
    else:
        pf.not_applicable["合同签订至合同公告"] = "政府采购项目的规定"
    contracts = dossier.of_type("合同")
    if not contracts:
        pf.miss_all(("合同签约合同价", "合同工期", "合同质量等级") + tuple("合同" + w for w, _ in TERMS), "缺少合同，无法检查")
        return
    c = contracts[0]
    winner, cands = winner_of(dossier), candidates_of(dossier)
    wc = next((x for x in cands[0] if same_company(x.name, winner[0])), None) if winner and cands else None
    contract_price = _price(dossier, pf, c, wc, cands)
    _duration(dossier, pf, c, wc, cands)
    _quality(dossier, pf, c, wc, cands)
    for what, lex in TERMS:
        _term(dossier, pf, c, contract_price, what, lex)


def _signing(dossier: Dossier, pf: ProjectFacts):
    """CONT-30D: from the award notice to the contract's signature; returns (signing date, document) or None."""
    contracts, notices = dossier.of_type("合同"), dossier.of_type("中标通知书")
    sign = next(((d.keys["signed"], d) for d in contracts if "signed" in d.keys), None)
    if sign is None:
        sign = next(((d.keys["signed"], d) for d in dossier.of_type("合同公告") if "signed" in d.keys), None)
    issued = next(((d.keys["issued"], d) for d in notices if "issued" in d.keys), None)
    if sign is not None:
        event(pf, sign[0].when, "合同签订", sign[1])
    if sign is None or issued is None:
        why = []
        if issued is None:
            why.append("缺少中标通知书" if not notices else "中标通知书中未找到发出日期")
        if sign is None:
            why.append("缺少合同" if not contracts else "合同中未找到签订日期")
        pf.miss("中标通知书至合同签订", "；".join(why) + "，无法检查")
    else:
        add_within(pf, "中标通知书至合同签订", issued[0], sign[0], 30, "日", "中标通知书", sign[1].doc_type, stage="S7")
    return sign


def _announcement(dossier: Dossier, pf: ProjectFacts, sign) -> None:
    pubs = [d for d in dossier.of_type("合同公告") if "published" in d.keys]
    if sign is None:
        pf.miss("合同签订至合同公告", "缺少合同（或其中未找到签订日期），无法检查")
    elif not pubs:
        pf.miss("合同签订至合同公告", "缺少合同公告（或其中未找到发布日期），无法检查")
    else:
        pub = pubs[0].keys["published"]
        event(pf, pub.when, "合同公告发布", pubs[0])
        add_within(pf, "合同签订至合同公告", sign[0], pub, 2, "工作日", "合同签订", "合同公告", stage="S7")


def _price(dossier: Dossier, pf: ProjectFacts, c: DossierDoc, wc, cands) -> Optional[float]:
    price = lexicon(c, "签约合同价", "money")
    if price:
        pf.add(found_fact("合同签约合同价", c, price, money(price.value.value), "签约合同价"))
    else:
        pf.miss("合同签约合同价", "合同中未找到签约合同价")
    award_price = None
    for d in dossier.of_type("中标通知书") + dossier.of_type("中标结果公告"):
        f = lexicon(d, "中标价", "money")
        if f and award_price is None:
            award_price = f.value.value
            pf.add(found_fact("中标价", d, f, money(f.value.value), "中标价"))
    if award_price is None and wc is not None and wc.price is not None:
        d = cands[1]
        pf.add(ProjectFact(name="中标价", kind="money", value=wc.price, unit="元", shown=money(wc.price),
                           comparison=f"{d.doc_type} 中标人 {wc.name} 投标报价 {money(wc.price)}",
                           evidence=[d.evidence("中标人投标报价", money(wc.price), wc.clause)], stage=d.stage))
    return price.value.value if price else None


def _duration(dossier: Dossier, pf: ProjectFacts, c: DossierDoc, wc, cands) -> None:
    dur = lexicon(c, "工期", "duration")
    if dur and dur.value.unit in _DAYS:
        pf.add(found_fact("合同工期", c, dur, f"{dur.value.value:g}日", "工期"))
    elif not dur:
        pf.miss("合同工期", "合同中未找到工期（履行期限）")
    if not _first_days(pf, "中标工期", dossier.of_type("中标通知书")) and wc is not None and wc.duration is not None:
        d = cands[1]
        pf.add(ProjectFact(name="中标工期", kind="duration", value=wc.duration, unit="日", shown=f"{wc.duration:g}日",
                           comparison=f"{d.doc_type} 中标人 {wc.name} 投标工期 {wc.duration:g}日",
                           evidence=[d.evidence("中标人投标工期", f"{wc.duration:g}日", wc.clause)], stage=d.stage))
    _first_days(pf, "招标工期", dossier.of_type("招标文件") + dossier.of_type("招标公告"))


def _first_days(pf: ProjectFacts, name: str, docs: list[DossierDoc]) -> bool:
    """The first of `docs` that states a duration in days gives `name`; False when none does."""
    for d in docs:
        f = lexicon(d, "工期", "duration")
        if f and f.value.unit in _DAYS:
            pf.add(found_fact(name, d, f, f"{f.value.value:g}日", "工期"))
            return True
    return False


def _quality(dossier: Dossier, pf: ProjectFacts, c: DossierDoc, wc, cands) -> None:
    if c.data.quality:
        level, text, clause = c.data.quality
        pf.add(ProjectFact(name="合同质量等级", kind="count", value=level, unit="级", shown=text,
                           comparison=f"合同 质量标准 {text}", evidence=[c.evidence("质量标准", text, clause)], stage="S7"))
    else:
        pf.miss("合同质量等级", "合同中未找到质量标准")
    if not _first_quality(pf, "中标质量等级", dossier.of_type("中标通知书"), "中标通知书 质量", "质量") \
            and wc is not None and wc.quality is not None:
        d = cands[1]
        pf.add(ProjectFact(name="中标质量等级", kind="count", value=wc.quality, unit="级", shown=wc.quality_text,
                           comparison=f"{d.doc_type} 中标人 {wc.name} 质量 {wc.quality_text}",
                           evidence=[d.evidence("中标人质量承诺", wc.quality_text, wc.clause)], stage=d.stage))
    _first_quality(pf, "招标质量等级", dossier.of_type("招标文件"), "招标文件 质量要求", "质量要求")


def _first_quality(pf: ProjectFacts, name: str, docs: list[DossierDoc], label: str, what: str) -> bool:
    for d in docs:
        if d.data.quality:
            level, text, clause = d.data.quality
            pf.add(ProjectFact(name=name, kind="count", value=level, unit="级", shown=text,
                               comparison=f"{label} {text}", evidence=[d.evidence(what, text, clause)], stage=d.stage))
            return True
    return False


def _term(dossier: Dossier, pf: ProjectFacts, c: DossierDoc, contract_price: Optional[float], what: str,
          lex: str) -> None:
    """A payment or bond term as a percentage, in the contract and in the tender."""
    got = _percent(c, lex, contract_price)
    if got:
        value, shown, f = got
        pf.add(ProjectFact(name="合同" + what, kind="percent", value=value, unit="%", shown=shown,
                           comparison=f"合同 {lex} {shown}", evidence=[c.evidence(lex, shown, f.clause, f.sentence)],
                           stage="S7"))
    else:
        pf.miss("合同" + what, f"合同中未找到{lex}比例")
    for d in dossier.of_type("招标文件"):
        got = _percent(d, lex, None)
        if got:
            value, shown, f = got
            pf.add(ProjectFact(name="招标" + what, kind="percent", value=value, unit="%", shown=shown,
                               comparison=f"招标文件 {lex} {shown}",
                               evidence=[d.evidence(lex, shown, f.clause, f.sentence)], stage=d.stage))
            return
    pf.miss("招标" + what, f"招标文件中未找到{lex}比例" if dossier.of_type("招标文件") else "缺少招标文件，无法比对")


def _percent(d: DossierDoc, lex: str, base: Optional[float]):
    if d.data is None:
        return None
    f = next((f for f in d.data.found if f.name == lex and f.value.kind == "percent"), None)
    if f:
        return f.value.value, f"{f.value.value:g}%", f
    f = next((f for f in d.data.found if f.name == lex and f.value.kind == "money"), None)
    if f and base:
        pct = round(f.value.value / base * 100, 2)
        return pct, f"{money(f.value.value)}（{pct:g}%）", f
    return None
