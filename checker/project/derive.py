"""Project facts: what the documents of a dossier say, joined across documents.

Each fact names the documents it comes from (`Evidence`), so a finding can say `中标通知书 2026-04-20 → 合同
2026-06-02 = 43日`. Periods are counted as the law counts them (民法典 第二百零一条: the first day is not counted;
第二百零三条: a last day on a statutory holiday moves to the next working day), working days from the holiday
calendar. A fact that cannot be derived leaves a reason (`missing`): the document that is not in the dossier, or
what its text does not say.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Optional

from ..facts.model import Fact
from ..facts.periods import CalendarGap, days_between, last_day, working_days_between
from ..rules.schema import Severity
from .dossier import Dossier, DossierDoc, KeyDate
from ..names import find as name_find
from .extract import Candidate, Found, same_company
from .report import Evidence, ProjectFact, TimelineEvent

# 《必须招标的工程项目规定》第五条: single-contract thresholds by kind (元)
WORKS_THRESHOLDS = {"施工": 4_000_000.0, "货物": 2_000_000.0, "服务": 1_000_000.0}
GP_OPEN_TENDER_THRESHOLD = 2_000_000.0  # 国办发〔2019〕55号 (中央预算单位); a province sets its own: [params]
TENDER_METHODS = ("公开招标", "邀请招标")

# Which documents a fact needs: groups of alternatives (any one type of a group will do). A fact that is missing
# because a group has no document in the dossier is reported as `缺少X，无法检查`.
SOURCES: dict[str, list[list[str]]] = {
    "未招标施工合同估算价": [["项目登记"]], "未招标货物合同估算价": [["项目登记"]], "未招标服务合同估算价": [["项目登记"]],
    "未招标施工标段同类合计": [["项目登记"]], "未招标货物标段同类合计": [["项目登记"]], "未招标服务标段同类合计": [["项目登记"]],
    "未公开招标采购金额": [["项目登记"]], "未公开招标同品目累计": [["项目登记"]],
    "公告投标截止": [["招标公告", "招标文件"]], "文件投标截止": [["招标文件"]],
    "公告投标保证金": [["招标公告", "招标文件"]], "文件投标保证金": [["招标文件"]],
    "公告资质等级": [["招标公告", "招标文件"]], "文件资质等级": [["招标文件"]],
    "约定保证金退还期限": [["招标文件"]],
    "澄清至投标截止": [["澄清修改"], ["招标文件", "招标公告"]],
    "澄清至资格预审申请截止": [["澄清修改"], ["资格预审文件", "资格预审公告"]],
    "评标委员会人数": [["评标报告"]], "评审专家人数": [["评标报告"]], "评标委员会人数奇偶": [["评标报告"]],
    "大额采购项目评标委员会人数": [["评标报告"]],
    "推荐中标候选人数": [["评标报告", "中标候选人公示"]], "未标明排序的候选人数": [["评标报告", "中标候选人公示"]],
    "投标人数量": [["评标报告"]], "未签字评委人数": [["评标报告"]], "评标报告缺少要素数": [["评标报告"]],
    "国有控股项目邀请招标标段": [["项目登记"]],
    "公示与评标报告不一致项数": [["中标候选人公示"], ["评标报告"]],
    "评审报告至确定中标": [["评标报告"], ["中标结果公告", "评标报告"]],
    "评标报告至公示": [["评标报告"], ["中标候选人公示"]], "公示期": [["中标候选人公示"]],
    "公示缺少要素数": [["中标候选人公示"]],
    "候选人以外的中标人": [["评标报告", "中标候选人公示"], ["中标结果公告", "中标通知书"]],
    "国有资金项目中标人排名": [["评标报告", "中标候选人公示"], ["中标结果公告", "中标通知书"]],
    "中标人确定至中标公告": [["中标结果公告"]], "中标人确定至中标通知书": [["中标结果公告"], ["中标通知书"]],
    "中标公告缺少要素数": [["中标结果公告"]],
    "中标通知书至合同签订": [["中标通知书"], ["合同"]],
    "合同签约合同价": [["合同"]], "中标价": [["中标通知书", "中标结果公告", "评标报告", "中标候选人公示"]],
    "合同工期": [["合同"]], "中标工期": [["中标通知书", "评标报告", "中标候选人公示"]], "招标工期": [["招标文件", "招标公告"]],
    "合同质量等级": [["合同"]], "中标质量等级": [["中标通知书", "评标报告", "中标候选人公示"]],
    "招标质量等级": [["招标文件"]],
    "合同预付款比例": [["合同"]], "招标预付款比例": [["招标文件"]],
    "合同履约保证金比例": [["合同"]], "招标履约保证金比例": [["招标文件"]],
    "合同进度款比例": [["合同"]], "招标进度款比例": [["招标文件"]],
    "合同签订至合同公告": [["合同", "合同公告"], ["合同公告"]],
    "合同签订至保证金退还": [["保证金退还记录"], ["合同", "合同公告"]],
    "中标通知书至未中标人保证金退还": [["保证金退还记录"], ["中标通知书"]],
}


@dataclass
class ProjectFacts:
    facts: list[ProjectFact] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)  # fact name → why it could not be derived
    not_applicable: dict[str, str] = field(default_factory=dict)  # fact name → why it does not apply here
    timeline: list[TimelineEvent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, fact: ProjectFact) -> None:
        self.facts.append(fact)

    def miss(self, name: str, reason: str) -> None:
        self.missing.setdefault(name, reason)

    def names(self) -> set[str]:
        return {f.name for f in self.facts}


@dataclass
class Context:
    regime: str
    procurement: Optional[str]
    state_funded: Optional[bool]
    state_funded_from: str = ""
    params: dict = field(default_factory=dict)


def d2s(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M") if (when.hour or when.minute) else when.strftime("%Y-%m-%d")


def money(v: float) -> str:
    return f"{v / 10_000:g}万元" if v >= 10_000 else f"{v:g}元"


# ------------------------------------------------------------------------------------------------------ key dates

_KEYS_BY_TYPE = {
    # key: (manifest date names, lexicon names in order, use the 落款 date)
    "澄清修改": {"issued": (("issued",), ("澄清发出", "发出日期", "发布日期"), True)},
    "中标通知书": {"issued": (("issued",), ("发出日期", "发布日期"), True)},
    "招标公告": {"issued": (("issued",), ("发布日期",), True)},
    "资格预审公告": {"issued": (("issued",), ("发布日期",), True)},
    "中标结果公告": {"issued": (("issued",), ("发布日期",), True),
                  "determined": (("determined",), ("确定日期",), False)},
    "中标候选人公示": {"issued": (("issued", "publicity_start"), ("发布日期", "公示开始"), True),
                   "publicity_start": (("publicity_start",), ("公示开始",), False),
                   "publicity_end": (("publicity_end",), ("公示结束",), False)},
    "评标报告": {"report": (("report", "issued"), ("评标报告日期",), True),
             "determined": (("determined",), ("确定日期",), False)},
    "合同": {"signed": (("signed",), ("合同签订日期",), True)},
    "合同公告": {"published": (("published", "issued"), ("发布日期",), True),
             "signed": (("signed",), ("合同签订日期",), False)},
}
_KEY_LABEL = {"issued": "发出（发布）日期", "determined": "中标人确定日期", "publicity_start": "公示开始日期",
              "publicity_end": "公示结束日期", "report": "评标报告日期", "signed": "合同签订日期",
              "published": "合同公告发布日期"}


def settle_dates(d: DossierDoc) -> None:
    """The key dates of a document: the manifest's, else the text's cue, else its 落款 date."""
    spec = _KEYS_BY_TYPE.get(d.doc_type, {})
    given = d.entry.dates if d.entry is not None else {}
    for key, (manifest_names, lexicon, closing) in spec.items():
        when = next((given[n] for n in manifest_names if n in given), None)
        if when is not None:
            d.keys[key] = KeyDate(when, d.evidence(_KEY_LABEL[key], d2s(when), excerpt="（清单记录）"))
            continue
        if d.data is None:
            continue
        found: Optional[Found] = None
        for name in lexicon:
            found = next((f for f in d.data.found if f.name == name and f.value.kind == "date" and f.when), None)
            if found:
                break
        if found is None and key == "determined" and d.data.determined is not None:
            found = d.data.determined
        if found is None and key == "signed" and d.doc_type == "合同":
            # a contract signed on the date under the parties' signatures: the last date of the document
            found = d.data.closing
        if found is None and closing:
            found = d.data.closing
        if found is not None and found.when is not None:
            d.keys[key] = KeyDate(found.when, d.evidence(_KEY_LABEL[key], d2s(found.when), found.clause))
    for name in ("refund", "deadline"):
        if name in given:
            d.keys[name] = KeyDate(given[name], d.evidence("投标截止时间" if name == "deadline" else "保证金退还日期",
                                                           d2s(given[name]), excerpt="（清单记录）"))


# ------------------------------------------------------------------------------------------------ period counting


def within(start: date, end: date, n: int, unit: str = "日") -> tuple[float, float, str]:
    """A period that must end within n units after start. Returns (value for the rule, days as counted, note):
    value > n exactly when `end` is after the legal last day (民法典 第二百零一条、第二百零三条)."""
    if unit == "工作日":
        wd = working_days_between(start, end)
        return float(wd), float(wd), ""
    raw = days_between(start, end)
    last = last_day(start, n, "日")
    plain = start + timedelta(days=n)
    note = ""
    if last != plain:
        note = f"第{n}日 {plain.isoformat()} 为法定休假日，期限顺延至 {last.isoformat()}（民法典第二百零三条）"
    return float(n + (end - last).days), float(raw), note


def at_least(start: date, end: date, n: int) -> tuple[float, float, str]:
    """A period that must last at least n days from start (公示期不得少于3日): value < n exactly when `end` is before
    the legal last day."""
    raw = days_between(start, end)
    last = last_day(start, n, "日")
    plain = start + timedelta(days=n)
    note = ""
    if last != plain:
        note = f"第{n}日 {plain.isoformat()} 为法定休假日，应持续至 {last.isoformat()}（民法典第二百零三条）"
    return float(n - (last - end).days), float(raw), note


def period_fact(name: str, a: KeyDate, b: KeyDate, value: float, raw: float, unit: str, a_label: str,
                b_label: str, note: str = "", stage: Optional[str] = None, **extra) -> ProjectFact:
    shown = f"{raw:g}{unit}"
    comparison = f"{a_label} {d2s(a.when)} → {b_label} {d2s(b.when)} = {shown}"
    if note and value != raw:
        # the holiday rule moved the legal last day: say so where the values are compared
        comparison += "（" + note.split("，", 1)[1].replace("（民法典第二百零三条）", "，民法典第二百零三条") + "）"
    return ProjectFact(name=name, kind="duration", value=value, unit=unit, shown=shown, comparison=comparison,
                       evidence=[a.evidence, b.evidence], note=note, stage=stage, **extra)


def derive(dossier: Dossier, ctx: Context) -> ProjectFacts:
    pf = ProjectFacts()
    for d in dossier.docs:
        if d.readable:
            settle_dates(d)
    _registration(dossier, ctx, pf)
    _tender(dossier, ctx, pf)
    _clarifications(dossier, ctx, pf)
    _evaluation(dossier, ctx, pf)
    _publicity(dossier, ctx, pf)
    _award(dossier, ctx, pf)
    _contract(dossier, ctx, pf)
    _refunds(dossier, ctx, pf)
    pf.timeline.sort(key=lambda e: (e.date[:10], e.stage, e.date))
    return pf


def _event(pf: ProjectFacts, when: datetime, event: str, d: DossierDoc, note: str = "") -> None:
    pf.timeline.append(TimelineEvent(date=d2s(when), event=event, doc_type=d.doc_type, path=d.rel, stage=d.stage,
                                     note=note))


def _reg_evidence(dossier: Dossier, what: str, value: str) -> Evidence:
    reg = dossier.registration
    path = ""
    if reg is not None and reg.path:
        try:
            path = str(Path(reg.path).resolve().relative_to(dossier.directory.resolve()))
        except ValueError:
            path = reg.path
    return Evidence(doc_type="项目登记", path=path, what=what, value=value)


def _registration(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    reg = dossier.registration
    s1 = [n for n, src in SOURCES.items() if src == [["项目登记"]]]
    if reg is None:
        for n in s1:
            pf.miss(n, "缺少项目登记信息（registration.json/yaml/csv），无法检查")
        return
    if not reg.lots:
        for n in s1:
            pf.miss(n, "项目登记信息中没有标段（包）及其估算价，无法检查")
        return
    # 工程: 必须招标的工程项目规定 第二条 (funds) and 第五条 (single-contract thresholds, and 合并 in the second para)
    share = reg.share()
    controlled = reg.is_state_controlled()
    funds_ok: Optional[bool] = None
    why = ""
    if controlled:
        funds_ok, why = True, "国有资金占控股或者主导地位"
    elif reg.state_funds is not None and share is not None:
        funds_ok = reg.state_funds >= 2_000_000 and share >= 10
        why = f"预算资金{money(reg.state_funds)}，占投资额{share:.4g}%"
    elif controlled is False and reg.state_funds is None:
        funds_ok, why = False, "非国有资金项目"
    works_names = [n for n in s1 if n.startswith("未招标")]
    if ctx.regime != "工程":
        for n in works_names + ["国有控股项目邀请招标标段"]:
            pf.not_applicable[n] = "必须招标的工程项目规定适用于工程建设项目"
    elif funds_ok is None:
        for n in works_names + ["国有控股项目邀请招标标段"]:
            pf.miss(n, "项目登记信息缺少资金来源（预算资金数额及占投资额比例，或国有资金控股情况），无法判断是否必须招标")
    elif not funds_ok:
        pf.not_applicable["国有控股项目邀请招标标段"] = f"资金条件不满足必须招标标准（{why}）"
        for n in works_names:
            pf.not_applicable[n] = f"资金条件不满足必须招标标准（{why}）"
    else:
        by_kind: dict[str, list] = defaultdict(list)
        for lot in reg.lots:
            if lot.kind and lot.estimate is not None:
                by_kind[lot.kind].append(lot)
        for kind, lots in by_kind.items():
            threshold = WORKS_THRESHOLDS[kind]
            total = sum(l.estimate for l in lots)
            below = [l for l in lots if reg.lot_method(l) not in TENDER_METHODS and l.estimate < threshold]
            for lot in lots:
                method = reg.lot_method(lot) or "未载明"
                if method in TENDER_METHODS:
                    continue
                ev = _reg_evidence(dossier, f"{lot.name or kind}估算价（{method}）", money(lot.estimate))
                pf.add(ProjectFact(name=f"未招标{kind}合同估算价", kind="money", value=lot.estimate, unit="元",
                                   shown=money(lot.estimate), lot=lot.name,
                                   comparison=f"项目登记 {lot.name or kind} {kind}合同估算价 {money(lot.estimate)}，"
                                              f"采购方式：{method}（{why}）", evidence=[ev], stage="S1"))
            if below and len(lots) > 1:
                parts = " + ".join(f"{l.name or kind} {money(l.estimate)}（{reg.lot_method(l) or '未载明'}）"
                                   for l in lots)
                pf.add(ProjectFact(name=f"未招标{kind}标段同类合计", kind="money", value=total, unit="元",
                                   shown=money(total),
                                   comparison=f"项目登记 同一项目{kind}标段 {parts} = {money(total)}",
                                   evidence=[_reg_evidence(dossier, f"{l.name}估算价", money(l.estimate))
                                             for l in lots], stage="S1"))
        invited = [l for l in reg.lots if reg.lot_method(l) == "邀请招标" and not l.approved and l.kind
                   and l.estimate is not None and l.estimate >= WORKS_THRESHOLDS[l.kind]]
        if controlled is None:
            pf.miss("国有控股项目邀请招标标段", "项目登记信息未载明国有资金是否占控股或者主导地位")
        elif not controlled:
            pf.not_applicable["国有控股项目邀请招标标段"] = "非国有资金占控股或者主导地位的项目"
        elif not invited:
            pf.not_applicable["国有控股项目邀请招标标段"] = "项目登记中没有未经批准采用邀请招标的必须招标标段"
        for lot in invited:
            ev = _reg_evidence(dossier, f"{lot.name or lot.kind}采购方式", "邀请招标（未载明批准）")
            pf.add(ProjectFact(name="国有控股项目邀请招标标段", kind="count", value=1, unit="个", shown="邀请招标",
                               lot=lot.name,
                               comparison=f"项目登记 {lot.name or lot.kind} {lot.kind}合同估算价 {money(lot.estimate)}，"
                                          f"采购方式：邀请招标，未载明审批部门认定或批准（{why}）",
                               evidence=[ev], stage="S1"))
        for kind in WORKS_THRESHOLDS:
            for n in (f"未招标{kind}合同估算价", f"未招标{kind}标段同类合计"):
                if n not in pf.names():
                    pf.not_applicable.setdefault(n, f"项目登记中没有未招标的{kind}标段" if kind in by_kind
                                                 else f"项目登记中没有{kind}标段")
    # 政府采购: 公开招标数额标准 (configurable) and 化整为零 (政采条例第二十八条)
    if ctx.regime != "政府采购":
        for n in ("未公开招标采购金额", "未公开招标同品目累计"):
            pf.not_applicable[n] = "政府采购项目的规定"
        return
    threshold = float(ctx.params.get("gp_open_tender_threshold", GP_OPEN_TENDER_THRESHOLD))
    groups: dict[str, list] = defaultdict(list)
    for lot in reg.lots:
        if lot.estimate is None or lot.kind == "施工":
            continue
        method = reg.lot_method(lot) or "未载明"
        if method == "公开招标" or lot.approved:
            continue
        pf.add(ProjectFact(name="未公开招标采购金额", kind="money", value=lot.estimate, unit="元",
                           shown=money(lot.estimate), lot=lot.name,
                           comparison=f"项目登记 {lot.name or lot.kind} 采购金额 {money(lot.estimate)}，"
                                      f"采购方式：{method}，未经批准",
                           evidence=[_reg_evidence(dossier, f"{lot.name}采购金额", money(lot.estimate))], stage="S1"))
        if lot.estimate < threshold:
            groups[lot.category or lot.kind or "未分类"].append(lot)
    for cat, lots in groups.items():
        if len(lots) < 2:
            continue
        total = sum(l.estimate for l in lots)
        parts = " + ".join(f"{l.name} {money(l.estimate)}（{reg.lot_method(l) or '未载明'}）" for l in lots)
        pf.add(ProjectFact(name="未公开招标同品目累计", kind="money", value=total, unit="元", shown=money(total),
                           comparison=f"项目登记 同一品目「{cat}」以非公开招标方式分次采购 {parts} = {money(total)}",
                           evidence=[_reg_evidence(dossier, f"{l.name}采购金额", money(l.estimate)) for l in lots],
                           stage="S1"))
    for n in ("未公开招标采购金额", "未公开招标同品目累计"):
        if n not in pf.names():
            pf.not_applicable.setdefault(n, "项目登记中没有未经批准以非公开招标方式采购的包")


def _typed(d: DossierDoc, name: str, kind: Optional[str] = None) -> list[Fact]:
    return [f for f in d.typed if f.name == name and (kind is None or f.kind == kind)]


def _tender(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    notices = dossier.of_type("招标公告")
    tenders = dossier.of_type("招标文件")
    # 公告 vs 文件 (PROC-DIFFERENT-INFO): the notice's values, from a stand-alone notice or the notice chapter
    seen: set = set()

    def add_pair(name: str, d: DossierDoc, fact: Fact, part: str) -> None:
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

    from .extract import notice_part

    for d in notices:
        for f in _typed(d, "投标截止", "date"):
            add_pair("公告投标截止", d, f, "全文")
        for f in _typed(d, "投标保证金", "money"):
            add_pair("公告投标保证金", d, f, "全文")
    for d in tenders:
        for f in _typed(d, "投标截止", "date"):
            c = d.clause(f.clause_id)
            in_notice = c is not None and notice_part(c)
            add_pair("公告投标截止" if in_notice else "文件投标截止", d, f, "招标公告章节" if in_notice else "投标人须知")
        for f in _typed(d, "投标保证金", "money"):
            c = d.clause(f.clause_id)
            in_notice = c is not None and notice_part(c)
            add_pair("公告投标保证金" if in_notice else "文件投标保证金", d, f, "招标公告章节" if in_notice else "投标人须知")
    for d in notices + tenders:
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
    if not notices and not any(f.name.startswith("公告") for f in pf.facts):
        for n in ("公告投标截止", "公告投标保证金", "公告资质等级"):
            pf.miss(n, "缺少招标公告（招标文件中也未找到招标公告章节），无法比对公告与招标文件")
    # refund terms the tender documents stipulate (BOND-REFUND-DEADLINE, 实施条例第五十七条、政采条例第三十三条)
    for d in tenders:
        for term in d.data.refund_terms if d.data else []:
            shown = f"{term.days:g}{term.unit}"
            pf.add(ProjectFact(name="约定保证金退还期限", kind="duration", value=term.days, unit=term.unit, shown=shown,
                               comparison=f"招标文件约定 {term.base}后{shown}内退还投标保证金",
                               evidence=[d.evidence("投标保证金退还期限", shown, term.clause, term.sentence)],
                               stage=d.stage, lot=term.base))
    if tenders and "约定保证金退还期限" not in pf.names():
        pf.not_applicable["约定保证金退还期限"] = "招标文件未约定以合同签订或中标通知书发出起算的退还期限"
    # timeline: publication, sale, deadline
    for d in notices:
        if "issued" in d.keys:
            _event(pf, d.keys["issued"].when, "招标公告发布", d)
    for d in tenders:
        for f in _typed(d, "文件获取开始", "date")[:1]:
            _event(pf, f.when, "招标文件开始发售", d)
        for f in _typed(d, "文件获取截止", "date")[:1]:
            _event(pf, f.when, "招标文件发售截止", d)


def original_deadline(dossier: Dossier, pq: bool = False) -> Optional[KeyDate]:
    """The deadline the tender documents set: the latest the 招标文件 states (else the notice's)."""
    name = "资格预审申请截止" if pq else "投标截止"
    types = ("资格预审文件", "资格预审公告") if pq else ("招标文件", "招标公告")
    for t in types:
        for d in dossier.of_type(t):
            facts = [f for f in _typed(d, name, "date") if f.when]
            if facts:
                f = max(facts, key=lambda f: f.when)
                return KeyDate(f.when, d.evidence(name, d2s(f.when), d.clause(f.clause_id)))
    return None


def _new_deadline(d: DossierDoc, pq: bool) -> Optional[KeyDate]:
    """A clarification that moves the deadline (顺延至 …): the new deadline."""
    if "deadline" in d.keys:
        return d.keys["deadline"]
    if d.data is None:
        return None
    want = r"申请截止|申请文件" if pq else r"投标截止|开标时间|递交截止|投标文件的?截止|截止时间"
    for f in d.data.found:
        if f.name == "新截止" and f.when and re.search(want, f.sentence) and not re.search(
                r"(截止|开标)时间[^,;。]{0,6}(不变|不作调整|不顺延|不予顺延)", f.sentence):
            if not pq and re.search(r"申请截止", f.sentence):
                continue
            return KeyDate(f.when, d.evidence("顺延后的截止时间", d2s(f.when), f.clause, f.sentence))
    return None


def _clarifications(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    clars = dossier.of_type("澄清修改")
    if not clars:
        for n in ("澄清至投标截止", "澄清至资格预审申请截止"):
            pf.miss(n, "案卷中没有澄清修改文件（未发出澄清的，本规则无需检查）")
        return
    has_pq = bool(dossier.of_type("资格预审文件", "资格预审公告"))
    dated = []
    for d in clars:
        if "issued" not in d.keys:
            pf.notes.append(f"{d.rel}：未找到澄清发出日期")
            continue
        pq = has_pq and bool(d.data and "资格预审" in d.data.flags)
        dated.append((d.keys["issued"], d, pq))
    dated.sort(key=lambda x: x[0].when)
    for pq in (False, True):
        name = "澄清至资格预审申请截止" if pq else "澄清至投标截止"
        mine = [x for x in dated if x[2] == pq]
        if not mine:
            if pq and not has_pq:
                pf.not_applicable[name] = "项目未进行资格预审"
            else:
                pf.miss(name, "澄清修改中未找到发出日期" if clars and not dated else "案卷中没有针对该文件的澄清修改")
            continue
        current = original_deadline(dossier, pq)
        moved_by = None
        for issued, d, _ in mine:
            new = _new_deadline(d, pq)
            if new is not None:
                current, moved_by = new, d
        if current is None:
            pf.miss(name, ("资格预审文件中未找到申请截止时间" if pq else "招标文件（招标公告）中未找到投标截止时间"))
            continue
        deadline_label = ("资格预审申请截止" if pq else "投标截止")
        deadline_label += f"（{moved_by.rel} 顺延）" if moved_by is not None else "（未顺延）"
        for k, (issued, d, _) in enumerate(mine, 1):
            n = 3 if pq else 15
            raw = days_between(issued.day, current.day)
            cap, note = None, ""
            flags = d.data.flags if d.data else {}
            if "影响编制" not in flags:
                if "不影响编制" in flags:
                    cap, note = Severity.info, flags["不影响编制"] + "，似不影响投标文件编制，请核实"
                else:
                    cap, note = Severity.warning, "未能识别澄清内容是否影响投标文件编制，请核实"
            pf.add(period_fact(name, issued, current, float(raw), float(raw), "日", f"澄清修改（{d.rel}）",
                               deadline_label, note=note, stage=d.stage, severity_cap=cap))
            number = re.search(r"第[0-9一二三四五六七八九十]+号", d.title or "")
            _event(pf, issued.when, "澄清修改发出" + (f"（{number.group(0)}）" if number else ""), d)
        if moved_by is not None:
            _event(pf, current.when, "顺延后的" + ("申请截止" if pq else "投标截止"), moved_by)
    orig = original_deadline(dossier)
    if orig is not None:
        src = next(d for d in dossier.docs if d.rel == orig.evidence.path)
        _event(pf, orig.when, "投标截止（原定）", src)


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


def _evaluation(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    reports = dossier.of_type("评标报告")
    if not reports:
        for n in ("评标委员会人数", "评审专家人数", "评标委员会人数奇偶", "大额采购项目评标委员会人数", "投标人数量",
                  "未签字评委人数", "评标报告缺少要素数"):
            pf.miss(n, "缺少评标报告，无法检查")
    for d in reports:
        data = d.data
        n, experts, unsigned, how, clause = _members(d)
        if "report" in d.keys:
            _event(pf, d.keys["report"].when, "评标报告", d)
        if n is None:
            for name in ("评标委员会人数", "评审专家人数", "评标委员会人数奇偶", "大额采购项目评标委员会人数"):
                pf.miss(name, "评标报告中未找到评标委员会成员名单或组成")
        else:
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
        if unsigned is not None:
            unsigned_names = [m.name for m in data.members if m.signed is False]
            ev = d.evidence("签字", "、".join(unsigned_names) + " 未签字" if unsigned else "全体成员已签字",
                            next((m.clause for m in data.members if m.signed is False), clause))
            pf.add(ProjectFact(name="未签字评委人数", kind="count", value=unsigned, unit="人", shown=f"{unsigned}人",
                               comparison=f"评标报告 未签字且未书面说明不同意见的成员 {unsigned}人"
                                          + (f"（{'、'.join(unsigned_names)}）" if unsigned_names else ""),
                               evidence=[ev], stage=d.stage))
        else:
            pf.miss("未签字评委人数", "评标报告中未找到评标委员会成员签字栏")
        if ctx.regime == "工程" and data.elements_checked:
            missing = data.elements_missing
            pf.add(ProjectFact(name="评标报告缺少要素数", kind="count", value=len(missing), unit="项",
                               shown=f"{len(missing)}项", severity_cap=Severity.warning,
                               comparison="评标报告 缺少：" + "、".join(missing) if missing else "评标报告要素齐全",
                               evidence=[d.evidence("评标报告要素", "缺少" + "、".join(missing) if missing else "齐全")],
                               stage=d.stage))
        elif ctx.regime != "工程":
            pf.not_applicable["评标报告缺少要素数"] = "要素清单（评标委员会和评标方法暂行规定第四十二条）适用于工程项目"
        if data.bidders is not None:
            count, bclause, text = data.bidders
            pf.add(ProjectFact(name="投标人数量", kind="count", value=count, unit="家", shown=f"{count}家",
                               comparison=f"评标报告 {text}", evidence=[d.evidence("投标人数量", f"{count}家", bclause)],
                               stage=d.stage))
        else:
            pf.miss("投标人数量", "评标报告中未找到开标记录或投标人数量")
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
        pf.miss("推荐中标候选人数", reason)
        pf.miss("未标明排序的候选人数", reason)


def _budget(dossier: Dossier) -> Optional[tuple[float, str]]:
    for d in dossier.of_type("招标文件", "招标公告"):
        vals = [f for f in _typed(d, "预算金额", "money") if not f.lot]
        if vals:
            return vals[0].value, f"采购预算 {money(vals[0].value)}（{d.doc_type}）"
    reg = dossier.registration
    if reg is not None and reg.lots and all(l.estimate is not None for l in reg.lots):
        total = sum(l.estimate for l in reg.lots)
        return total, f"采购预算 {money(total)}（项目登记）"
    return None


def _publicity(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    pubs = dossier.of_type("中标候选人公示")
    names = ("评标报告至公示", "公示期", "公示缺少要素数", "公示与评标报告不一致项数")
    if ctx.regime != "工程":
        for n in names:
            pf.not_applicable[n] = "中标候选人公示适用于依法必须招标的工程项目"
        return
    if not pubs:
        for n in names:
            pf.miss(n, "缺少中标候选人公示，无法检查")
        return
    reports = [d for d in dossier.of_type("评标报告") if "report" in d.keys]
    pf.not_applicable.pop("公示缺少要素数", None)
    pf.not_applicable["公示缺少要素数"] = "由单文件规则 PUBL-CONTENT 检查"
    for d in pubs:
        start = d.keys.get("publicity_start") or d.keys.get("issued")
        end = d.keys.get("publicity_end")
        if start and end:
            try:
                value, raw, note = at_least(start.day, end.day, 3)
                pf.add(period_fact("公示期", start, end, value, raw, "日", "公示开始", "公示结束", note=note,
                                   stage=d.stage, alt=raw + 1))
            except CalendarGap as gap:
                pf.miss("公示期", f"公示期无法计算：{gap}")
            _event(pf, start.when, "中标候选人公示开始", d)
            _event(pf, end.when, "中标候选人公示结束", d)
        else:
            pf.miss("公示期", "中标候选人公示中未找到公示期（开始和结束日期）")
        if start and reports:
            rep = reports[0].keys["report"]
            try:
                value, raw, note = within(rep.day, start.day, 3)
                pf.add(period_fact("评标报告至公示", rep, start, value, raw, "日", "评标报告", "中标候选人公示",
                                   note=note, stage=d.stage))
            except CalendarGap as gap:
                pf.miss("评标报告至公示", f"无法计算：{gap}")
        elif not dossier.of_type("评标报告"):
            pf.miss("评标报告至公示", "缺少评标报告，无法检查公示时点")
        elif not start:
            pf.miss("评标报告至公示", "中标候选人公示中未找到公示开始日期")
        else:
            pf.miss("评标报告至公示", "评标报告中未找到评标报告日期")
        _publicity_vs_report(dossier, d, pf)
        # the 公示's content is judged on the 公示 itself (rules/stage/PUBL-CONTENT, run on every document)


def _publicity_vs_report(dossier: Dossier, pub: DossierDoc, pf: ProjectFacts) -> None:
    """PUBL-CONSISTENCY: the candidates published are those the 评标报告 recommends, in its order, at its prices."""
    reports = [d for d in dossier.of_type("评标报告") if d.data and d.data.candidates]
    if not reports:
        pf.miss("公示与评标报告不一致项数", "缺少评标报告（或其中未找到推荐的中标候选人），无法核对公示内容"
                if not dossier.of_type("评标报告") else "评标报告中未找到推荐的中标候选人，无法核对公示内容")
        return
    if not pub.data.candidates:
        pf.miss("公示与评标报告不一致项数", "中标候选人公示中未找到候选人名单")
        return
    rep = reports[0]
    theirs, ours = rep.data.candidates, pub.data.candidates
    diffs = []
    for c in ours:
        match = next((r for r in theirs if same_company(r.name, c.name)), None)
        if match is None:
            diffs.append(f"公示的 {c.name} 不在评标报告推荐的中标候选人中")
            continue
        if c.rank is not None and match.rank is not None and c.rank != match.rank:
            diffs.append(f"{c.name} 公示第{c.rank}名 ≠ 评标报告第{match.rank}名")
        if c.price is not None and match.price is not None and abs(c.price - match.price) > 0.5:
            diffs.append(f"{c.name} 公示报价 {money(c.price)} ≠ 评标报告 {money(match.price)}")
    for r in theirs:
        if not any(same_company(r.name, c.name) for c in ours):
            diffs.append(f"评标报告推荐的 {r.name} 未在公示中列出")
    pf.add(ProjectFact(name="公示与评标报告不一致项数", kind="count", value=len(diffs), unit="项", shown=f"{len(diffs)}项",
                       comparison="中标候选人公示 与 评标报告：" + ("；".join(diffs) if diffs else "候选人、排序、报价一致"),
                       evidence=[pub.evidence("公示的中标候选人", "、".join(c.name for c in ours), ours[0].clause),
                                 rep.evidence("推荐的中标候选人", "、".join(c.name for c in theirs), theirs[0].clause)],
                       stage=pub.stage))


def winner_of(dossier: Dossier) -> Optional[tuple[str, DossierDoc]]:
    for t in ("中标通知书", "中标结果公告"):
        for d in dossier.of_type(t):
            if d.data and d.data.names.get("中标人"):
                return d.data.names["中标人"], d
    return None


def candidates_of(dossier: Dossier) -> Optional[tuple[list[Candidate], DossierDoc]]:
    for t in ("评标报告", "中标候选人公示"):
        for d in dossier.of_type(t):
            if d.data and d.data.candidates:
                return d.data.candidates, d
    return None


def _award(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    winner = winner_of(dossier)
    cands = candidates_of(dossier)
    for d in dossier.of_type("中标结果公告"):
        if "issued" in d.keys:
            _event(pf, d.keys["issued"].when, "中标结果公告发布", d)
    for d in dossier.of_type("中标通知书"):
        if "issued" in d.keys:
            _event(pf, d.keys["issued"].when, "中标通知书发出", d)
    names = ("候选人以外的中标人", "国有资金项目中标人排名")
    if winner is None or cands is None:
        reason = []
        if winner is None:
            reason.append("缺少中标结果公告和中标通知书" if not dossier.of_type("中标结果公告", "中标通知书")
                          else "中标结果公告（中标通知书）中未找到中标人名称")
        if cands is None:
            reason.append("缺少评标报告和中标候选人公示" if not dossier.of_type("评标报告", "中标候选人公示")
                          else "评标报告（公示）中未找到中标候选人名单")
        for n in names:
            pf.miss(n, "；".join(reason) + "，无法检查")
    else:
        name, wd = winner
        clist, cd = cands
        found = name_find(name, [c.name for c in clist])
        hit = clist[found[0]] if found else None
        wev = wd.evidence("中标人", name, wd.data.name_clauses.get("中标人"))
        cev = cd.evidence("中标候选人", "、".join(f"{c.name}（{'第' + str(c.rank) + '名' if c.rank else '未排序'}）"
                                               for c in clist), clist[0].clause)
        listed = "、".join(c.name for c in clist)
        pf.add(ProjectFact(name="候选人以外的中标人", kind="count", value=0 if hit else 1, unit="",
                           shown="在候选人中" if hit else "不在候选人中",
                           comparison=f"{wd.doc_type} 中标人 {name} {'∈' if hit else '∉'} {cd.doc_type} 推荐的中标候选人"
                                      f"（{listed}）", evidence=[wev, cev], stage=wd.stage,
                           note=f"名称比对：{found[1].level}（{found[1].evidence}）" if found and found[1].level != "完全一致"
                           else ""))
        if ctx.state_funded is None:
            pf.miss("国有资金项目中标人排名", "未能确定资金性质（项目登记信息、清单 state_funded 或招标文件“招标条件”中的资金来源），"
                                      "无法判断是否须确定排名第一的中标候选人")
        elif ctx.state_funded is False:
            pf.not_applicable["国有资金项目中标人排名"] = f"非国有资金占控股或主导地位的项目（{ctx.state_funded_from}）"
        elif hit is None:
            pf.not_applicable["国有资金项目中标人排名"] = "中标人不在中标候选人中（见 AWARD-OUTSIDE-CANDIDATES）"
        elif hit.rank is None:
            pf.miss("国有资金项目中标人排名", "中标候选人未标明排序，无法判断中标人是否排名第一")
        else:
            legal = wd.data.flags.get("法定事由")
            pf.add(ProjectFact(name="国有资金项目中标人排名", kind="count", value=hit.rank, unit="名",
                               shown=f"第{hit.rank}名",
                               comparison=f"{wd.doc_type} 中标人 {name} = {cd.doc_type} 排名第{hit.rank}的中标候选人"
                                          f"（国有资金项目：{ctx.state_funded_from}）",
                               evidence=[wev, cd.evidence("中标候选人排名", f"第{hit.rank}名", hit.clause)],
                               stage=wd.stage, note=f"文件提及：{legal}" if legal else "",
                               severity_cap=Severity.warning if legal else None))
    # 政府采购: 中标人确定之日起2个工作日内发出通知书并公告 (政采条例第四十三条)
    gp = ("中标人确定至中标公告", "中标人确定至中标通知书", "中标公告缺少要素数", "评审报告至确定中标")
    if ctx.regime != "政府采购":
        for n in gp:
            pf.not_applicable[n] = "政府采购项目的规定"
        return
    determined = None
    for d in dossier.of_type("中标结果公告", "评标报告", "中标通知书"):
        if "determined" in d.keys:
            determined = (d.keys["determined"], d)
            break
    announces = [d for d in dossier.of_type("中标结果公告") if "issued" in d.keys]
    notices = [d for d in dossier.of_type("中标通知书") if "issued" in d.keys]
    if determined is None:
        for n in gp[:2] + gp[3:]:
            pf.miss(n, "未找到中标（成交）供应商确定日期（中标结果公告、评审报告中的“确定中标供应商”日期或清单 determined）")
    else:
        det, dd = determined
        _event(pf, det.when, "采购人确定中标供应商", dd)
        report = next((d.keys["report"] for d in dossier.of_type("评标报告") if "report" in d.keys), None)
        if report is None:
            pf.miss("评审报告至确定中标", "缺少评审报告（或其中未找到评审日期），无法检查" if not dossier.of_type("评标报告")
                    else "评审报告中未找到评审（报告）日期")
        else:
            try:
                value, raw, note = within(report.day, det.day, 5, "工作日")
                pf.add(period_fact("评审报告至确定中标", report, det, value, raw, "工作日", "评审报告", "确定中标供应商",
                                   note=note, stage="S6"))
            except CalendarGap as gap:
                pf.miss("评审报告至确定中标", f"无法计算：{gap}")
        for name, docs, label in (("中标人确定至中标公告", announces, "中标结果公告"),
                                  ("中标人确定至中标通知书", notices, "中标通知书")):
            if not docs:
                pf.miss(name, f"缺少{label}（或其中未找到发布日期），无法检查")
                continue
            other = docs[0].keys["issued"]
            try:
                value, raw, note = within(det.day, other.day, 2, "工作日")
            except CalendarGap as gap:
                pf.miss(name, f"无法计算：{gap}")
                continue
            pf.add(period_fact(name, det, other, value, raw, "工作日", "确定中标供应商", label, note=note,
                               stage=docs[0].stage))
    # The notice's content is judged on the notice itself (rules/stage/AWARD-GP-NOTICE-CONTENT, run on every
    # document of the dossier): one reading, one finding.
    pf.not_applicable["中标公告缺少要素数"] = "由单文件规则 AWARD-GP-NOTICE-CONTENT 检查"


def _lexicon(d: DossierDoc, name: str, kind: str) -> Optional[Found]:
    return next((f for f in (d.data.found if d.data else []) if f.name == name and f.value.kind == kind), None)


def _contract(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    contracts = dossier.of_type("合同")
    notices = dossier.of_type("中标通知书")
    # CONT-30D
    sign = next(((d.keys["signed"], d) for d in contracts if "signed" in d.keys), None)
    if sign is None:
        sign = next(((d.keys["signed"], d) for d in dossier.of_type("合同公告") if "signed" in d.keys), None)
    issued = next(((d.keys["issued"], d) for d in notices if "issued" in d.keys), None)
    if sign is not None:
        _event(pf, sign[0].when, "合同签订", sign[1])
    if sign is None or issued is None:
        why = []
        if issued is None:
            why.append("缺少中标通知书" if not notices else "中标通知书中未找到发出日期")
        if sign is None:
            why.append("缺少合同" if not contracts else "合同中未找到签订日期")
        pf.miss("中标通知书至合同签订", "；".join(why) + "，无法检查")
    else:
        try:
            value, raw, note = within(issued[0].day, sign[0].day, 30)
            pf.add(period_fact("中标通知书至合同签订", issued[0], sign[0], value, raw, "日", "中标通知书", sign[1].doc_type,
                               note=note, stage="S7"))
        except CalendarGap as gap:
            pf.miss("中标通知书至合同签订", f"无法计算：{gap}")
    # 政府采购合同公告: 2 working days (政采条例第五十条)
    if ctx.regime == "政府采购":
        pubs = [d for d in dossier.of_type("合同公告") if "published" in d.keys]
        if sign is None:
            pf.miss("合同签订至合同公告", "缺少合同（或其中未找到签订日期），无法检查")
        elif not pubs:
            pf.miss("合同签订至合同公告", "缺少合同公告（或其中未找到发布日期），无法检查")
        else:
            pub = pubs[0].keys["published"]
            _event(pf, pub.when, "合同公告发布", pubs[0])
            try:
                value, raw, note = within(sign[0].day, pub.day, 2, "工作日")
                pf.add(period_fact("合同签订至合同公告", sign[0], pub, value, raw, "工作日", "合同签订", "合同公告",
                                   note=note, stage="S7"))
            except CalendarGap as gap:
                pf.miss("合同签订至合同公告", f"无法计算：{gap}")
    else:
        pf.not_applicable["合同签订至合同公告"] = "政府采购项目的规定"
    # CONT-CONSISTENCY: the contract against the award and the tender documents
    if not contracts:
        for n in ("合同签约合同价", "合同工期", "合同质量等级", "合同预付款比例", "合同履约保证金比例", "合同进度款比例"):
            pf.miss(n, "缺少合同，无法检查")
        return
    c = contracts[0]
    price = _lexicon(c, "签约合同价", "money")
    contract_price = price.value.value if price else None
    if price:
        pf.add(_found_fact("合同签约合同价", c, price, money(price.value.value), "签约合同价"))
    else:
        pf.miss("合同签约合同价", "合同中未找到签约合同价")
    award_price = None
    for t in ("中标通知书", "中标结果公告"):
        for d in dossier.of_type(t):
            f = _lexicon(d, "中标价", "money")
            if f and award_price is None:
                award_price = f.value.value
                pf.add(_found_fact("中标价", d, f, money(f.value.value), "中标价"))
    winner = winner_of(dossier)
    cands = candidates_of(dossier)
    wc = None
    if winner and cands:
        wc = next((x for x in cands[0] if same_company(x.name, winner[0])), None)
    if award_price is None and wc is not None and wc.price is not None:
        d = cands[1]
        pf.add(ProjectFact(name="中标价", kind="money", value=wc.price, unit="元", shown=money(wc.price),
                           comparison=f"{d.doc_type} 中标人 {wc.name} 投标报价 {money(wc.price)}",
                           evidence=[d.evidence("中标人投标报价", money(wc.price), wc.clause)], stage=d.stage))
    # duration
    dur = _lexicon(c, "工期", "duration")
    if dur and dur.value.unit in ("日", "日历天"):
        pf.add(_found_fact("合同工期", c, dur, f"{dur.value.value:g}日", "工期"))
    elif not dur:
        pf.miss("合同工期", "合同中未找到工期（履行期限）")
    for d in notices:
        f = _lexicon(d, "工期", "duration")
        if f and f.value.unit in ("日", "日历天"):
            pf.add(_found_fact("中标工期", d, f, f"{f.value.value:g}日", "工期"))
            break
    else:
        if wc is not None and wc.duration is not None:
            d = cands[1]
            pf.add(ProjectFact(name="中标工期", kind="duration", value=wc.duration, unit="日", shown=f"{wc.duration:g}日",
                               comparison=f"{d.doc_type} 中标人 {wc.name} 投标工期 {wc.duration:g}日",
                               evidence=[d.evidence("中标人投标工期", f"{wc.duration:g}日", wc.clause)], stage=d.stage))
    for d in dossier.of_type("招标文件") + dossier.of_type("招标公告"):
        f = _lexicon(d, "工期", "duration")
        if f and f.value.unit in ("日", "日历天"):
            pf.add(_found_fact("招标工期", d, f, f"{f.value.value:g}日", "工期"))
            break
    # quality
    if c.data.quality:
        level, text, clause = c.data.quality
        pf.add(ProjectFact(name="合同质量等级", kind="count", value=level, unit="级", shown=text,
                           comparison=f"合同 质量标准 {text}", evidence=[c.evidence("质量标准", text, clause)], stage="S7"))
    else:
        pf.miss("合同质量等级", "合同中未找到质量标准")
    for d in notices:
        if d.data.quality:
            level, text, clause = d.data.quality
            pf.add(ProjectFact(name="中标质量等级", kind="count", value=level, unit="级", shown=text,
                               comparison=f"中标通知书 质量 {text}", evidence=[d.evidence("质量", text, clause)],
                               stage=d.stage))
            break
    else:
        if wc is not None and wc.quality is not None:
            d = cands[1]
            pf.add(ProjectFact(name="中标质量等级", kind="count", value=wc.quality, unit="级", shown=wc.quality_text,
                               comparison=f"{d.doc_type} 中标人 {wc.name} 质量 {wc.quality_text}",
                               evidence=[d.evidence("中标人质量承诺", wc.quality_text, wc.clause)], stage=d.stage))
    for d in dossier.of_type("招标文件"):
        if d.data.quality:
            level, text, clause = d.data.quality
            pf.add(ProjectFact(name="招标质量等级", kind="count", value=level, unit="级", shown=text,
                               comparison=f"招标文件 质量要求 {text}", evidence=[d.evidence("质量要求", text, clause)],
                               stage=d.stage))
            break
    # payment and bond terms, as percentages
    for what, lex in (("预付款比例", "预付款"), ("履约保证金比例", "履约保证金"), ("进度款比例", "进度款")):
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
                break
        else:
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


def _found_fact(name: str, d: DossierDoc, f: Found, shown: str, what: str) -> ProjectFact:
    v = f.value
    return ProjectFact(name=name, kind=v.kind, value=float(v.value), unit="日" if v.kind == "duration" else v.unit,
                       shown=shown, comparison=f"{d.doc_type} {what} {shown}",
                       evidence=[d.evidence(what, shown, f.clause, f.sentence)], stage=d.stage)


def _refunds(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    records = dossier.of_type("保证金退还记录")
    refunds = []
    for d in records:
        for r in d.data.refunds:
            refunds.append((r, d))
    for d in dossier.docs:
        if "refund" in d.keys:
            from .extract import Refund

            refunds.append((Refund("全部投标人", d.keys["refund"].when, None, None), d))
    names = ("合同签订至保证金退还", "中标通知书至未中标人保证金退还")
    if not refunds:
        for n in names:
            pf.miss(n, "缺少保证金退还记录（退还日期），无法检查")
        return
    by_day: dict = defaultdict(list)
    for r, d in refunds:
        by_day[(r.when.date(), d.rel)].append((r, d))
    for (day, _), group in sorted(by_day.items()):
        r, d = group[0]
        who = r.bidder if len(group) == 1 else f"{len(group)}家投标人"
        _event(pf, r.when, f"退还{who}投标保证金", d)
    sign = next(((d.keys["signed"], d) for d in dossier.of_type("合同", "合同公告") if "signed" in d.keys), None)
    notice = next(((d.keys["issued"], d) for d in dossier.of_type("中标通知书") if "issued" in d.keys), None)
    winner = winner_of(dossier)
    gp = ctx.regime == "政府采购"
    for r, d in refunds:
        won = r.won
        if won is None and winner is not None and r.bidder != "全部投标人":
            won = same_company(r.bidder, winner[0])
        rk = KeyDate(r.when, d.evidence(f"{r.bidder} 保证金退还日期", d2s(r.when), r.clause))
        # 工程: every bidder within 5 days of the contract (实施条例第五十七条); 政采: the winner within 5 working days
        # of the contract, the others within 5 working days of the award notice (政采条例第三十三条)
        if not gp or won:
            if sign is None:
                pf.miss("合同签订至保证金退还", "缺少合同（或其中未找到签订日期），无法检查退还期限")
                continue
            unit = "工作日" if gp else "日"
            try:
                value, raw, note = within(sign[0].day, r.when.date(), 5, unit)
            except CalendarGap as gap:
                pf.miss("合同签订至保证金退还", f"无法计算：{gap}")
                continue
            pf.add(period_fact("合同签订至保证金退还", sign[0], rk, value, raw, unit, "合同签订",
                               f"退还{r.bidder}投标保证金", note=note, stage="S7", lot=r.bidder))
        else:
            if notice is None:
                pf.miss("中标通知书至未中标人保证金退还", "缺少中标通知书（或其中未找到发出日期），无法检查退还期限")
                continue
            try:
                value, raw, note = within(notice[0].day, r.when.date(), 5, "工作日")
            except CalendarGap as gap:
                pf.miss("中标通知书至未中标人保证金退还", f"无法计算：{gap}")
                continue
            pf.add(period_fact("中标通知书至未中标人保证金退还", notice[0], rk, value, raw, "工作日", "中标通知书",
                               f"退还{r.bidder}投标保证金", note=note, stage="S6", lot=r.bidder))
    if not gp:
        pf.not_applicable.setdefault("中标通知书至未中标人保证金退还", "工程项目按合同签订日计算（实施条例第五十七条）")
