"""Tender: what the 招标公告 says against what the 招标文件 says (deadline, bid bond, qualification grade:
PROC-DIFFERENT-INFO), the bond refund term the tender stipulates, and the tender's dates on the timeline."""
from __future__ import annotations

from ...facts.model import Fact
from ..dossier import Dossier, DossierDoc
from ..report import ProjectFact
from .base import Context, ProjectFacts, d2s, event, typed

_NOTICE, _TENDER = [["招标公告", "招标文件"]], [["招标文件"]]
PROVIDES = {
    "公告投标截止": _NOTICE, "文件投标截止": _TENDER,
    "公告投标保证金": _NOTICE, "文件投标保证金": _TENDER,
    "公告资质等级": _NOTICE, "文件资质等级": _TENDER,
    "约定保证金退还期限": _TENDER,
}
_PAIRS = (("投标截止", "date", "投标截止"), ("投标保证金", "money", "投标保证金"))  # (typed fact, kind, fact suffix)


def derive(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    notices = dossier.of_type("招标公告")
    tenders = dossier.of_type("招标文件")
    seen: set = set()
    _pairs(notices, tenders, pf, seen)
    _qualification(notices + tenders, pf, seen)
    if not notices and not any(f.name.startswith("公告") for f in pf.facts):
        pf.miss_all(("公告投标截止", "公告投标保证金", "公告资质等级"),
                    "缺少招标公告（招标文件中也未找到招标公告章节），无法比对公告与招标文件")
    _refund_terms(tenders, pf)
    for d in notices:
        if "issued" in d.keys:
            event(pf, d.keys["issued"].when, "招标公告发布", d)
    for d in tenders:
        for f in typed(d, "文件获取开始", "date")[:1]:
            event(pf, f.when, "招标文件开始发售", d)
        for f in typed(d, "文件获取截止", "date")[:1]:
            event(pf, f.when, "招标文件发售截止", d)


def _add_pair(pf: ProjectFacts, seen: set, name: str, d: DossierDoc, fact: Fact, part: str) -> None:
    """One value of the notice (a stand-alone notice or the tender's notice chapter) or of the tender's body."""
    clause = d.clause(fact.clause_id)
    key = (name, fact.value, fact.lot)
    if key in seen:
        return
    seen.add(key)
    where = d.doc_type if part == "全文" else f"{d.doc_type}（{part}）"
    if fact.kind == "date" and fact.when is not None:
        value = fact.when.toordinal() + (fact.when.hour * 60 + fact.when.minute) / 1440
        shown = d2s(fact.when)
    else:
        value, shown = fact.value, fact.shown()
    ev = d.evidence(fact.name, shown, clause)
    pf.add(ProjectFact(name=name, kind=fact.kind, value=value, unit=fact.unit, shown=shown, lot=fact.lot,
                       comparison=f"{where} {fact.name}{('（' + fact.lot + '）') if fact.lot else ''} {shown}",
                       evidence=[ev], stage=d.stage))


def _pairs(notices: list[DossierDoc], tenders: list[DossierDoc], pf: ProjectFacts, seen: set) -> None:
    from ..readers import notice_part

    for d in notices:
        for typed_name, kind, suffix in _PAIRS:
            for f in typed(d, typed_name, kind):
                _add_pair(pf, seen, "公告" + suffix, d, f, "全文")
    for d in tenders:
        for typed_name, kind, suffix in _PAIRS:
            for f in typed(d, typed_name, kind):
                c = d.clause(f.clause_id)
                in_notice = c is not None and notice_part(c)
                _add_pair(pf, seen, ("公告" if in_notice else "文件") + suffix, d, f,
                          "招标公告章节" if in_notice else "投标人须知")


def _qualification(docs: list[DossierDoc], pf: ProjectFacts, seen: set) -> None:
    for d in docs:
        for part, (level, text, clause) in (d.data.qualification.items() if d.data else []):
            name = "公告资质等级" if (d.doc_type == "招标公告" or part == "公告") else "文件资质等级"
            key = (name, level)
            if key in seen:
                continue
            seen.add(key)
            where = d.doc_type if d.doc_type == "招标公告" else (
                f"招标文件（{'招标公告章节' if part == '公告' else '投标人须知'}）")
            pf.add(ProjectFact(name=name, kind="count", value=float(level), unit="级", shown=text,
                               comparison=f"{where} 资质要求 {text}", evidence=[d.evidence("资质要求", text, clause)],
                               stage=d.stage))


def _refund_terms(tenders: list[DossierDoc], pf: ProjectFacts) -> None:
    """The refund terms the tender documents stipulate (BOND-REFUND-DEADLINE, 实施条例第五十七条、政采条例第三十三条)."""
    for d in tenders:
        for term in d.data.refund_terms if d.data else []:
            shown = f"{term.days:g}{term.unit}"
            pf.add(ProjectFact(name="约定保证金退还期限", kind="duration", value=term.days, unit=term.unit, shown=shown,
                               comparison=f"招标文件约定 {term.base}后{shown}内退还投标保证金",
                               evidence=[d.evidence("投标保证金退还期限", shown, term.clause, term.sentence)],
                               stage=d.stage, lot=term.base))
    if tenders and "约定保证金退还期限" not in pf.names():
        pf.not_applicable["约定保证金退还期限"] = "招标文件未约定以合同签订或中标通知书发出起算的退还期限"
