"""Registration (项目注册): the lots a project is registered with, against the thresholds that make tendering
compulsory (工程: 必须招标的工程项目规定 第二条 funds, 第五条 single-contract thresholds and 合并; 实施条例第八条
邀请招标) and, for 政府采购, the 公开招标数额标准 and 化整为零 (政采条例第二十八条)."""
from __future__ import annotations

from collections import defaultdict
from typing import Optional

from ..dossier import Dossier
from ..report import ProjectFact
from .base import Context, ProjectFacts, money, reg_evidence

# 《必须招标的工程项目规定》第五条: single-contract thresholds by kind (元)
WORKS_THRESHOLDS = {"施工": 4_000_000.0, "货物": 2_000_000.0, "服务": 1_000_000.0}
GP_OPEN_TENDER_THRESHOLD = 2_000_000.0  # 国办发〔2019〕55号 (中央预算单位); a province sets its own: [params]
TENDER_METHODS = ("公开招标", "邀请招标")

_REG = [["项目登记"]]
WORKS_FACTS = tuple(f"未招标{kind}{what}" for kind in WORKS_THRESHOLDS for what in ("合同估算价", "标段同类合计"))
INVITED = "国有控股项目邀请招标标段"
GP_FACTS = ("未公开招标采购金额", "未公开招标同品目累计")
PROVIDES = {name: _REG for name in WORKS_FACTS + GP_FACTS + (INVITED,)}


def derive(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    reg = dossier.registration
    if reg is None:
        pf.miss_all(_s1(), "缺少项目登记信息（registration.json/yaml/csv），无法检查")
        return
    if not reg.lots:
        pf.miss_all(_s1(), "项目登记信息中没有标段（包）及其估算价，无法检查")
        return
    _works(dossier, ctx, pf)
    if ctx.regime != "政府采购":
        for n in GP_FACTS:
            pf.not_applicable[n] = "政府采购项目的规定"
        return
    _government(dossier, ctx, pf)


def _s1() -> list[str]:
    """Every fact read from the registration record alone: this family's."""
    return list(PROVIDES)


def _funds(reg) -> tuple[Optional[bool], str]:
    """Do the funds make tendering compulsory (第二条)? (None when the record does not say), and why."""
    share = reg.share()
    controlled = reg.is_state_controlled()
    if controlled:
        return True, "国有资金占控股或者主导地位"
    if reg.state_funds is not None and share is not None:
        return reg.state_funds >= 2_000_000 and share >= 10, f"预算资金{money(reg.state_funds)}，占投资额{share:.4g}%"
    if controlled is False and reg.state_funds is None:
        return False, "非国有资金项目"
    return None, ""


def _works(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    reg = dossier.registration
    funds_ok, why = _funds(reg)
    names = [n for n in _s1() if n.startswith("未招标")] + [INVITED]
    if ctx.regime != "工程":
        for n in names:
            pf.not_applicable[n] = "必须招标的工程项目规定适用于工程建设项目"
    elif funds_ok is None:
        pf.miss_all(names, "项目登记信息缺少资金来源（预算资金数额及占投资额比例，或国有资金控股情况），无法判断是否必须招标")
    elif not funds_ok:
        pf.not_applicable[INVITED] = f"资金条件不满足必须招标标准（{why}）"
        for n in names[:-1]:
            pf.not_applicable[n] = f"资金条件不满足必须招标标准（{why}）"
    else:
        by_kind = _lots_by_kind(reg)
        for kind, lots in by_kind.items():
            _untendered(dossier, pf, kind, lots, why)
        _invited(dossier, pf, why)
        for kind in WORKS_THRESHOLDS:
            for n in (f"未招标{kind}合同估算价", f"未招标{kind}标段同类合计"):
                if n not in pf.names():
                    pf.not_applicable.setdefault(n, f"项目登记中没有未招标的{kind}标段" if kind in by_kind
                                                 else f"项目登记中没有{kind}标段")


def _lots_by_kind(reg) -> dict[str, list]:
    by_kind: dict[str, list] = defaultdict(list)
    for lot in reg.lots:
        if lot.kind and lot.estimate is not None:
            by_kind[lot.kind].append(lot)
    return by_kind


def _untendered(dossier: Dossier, pf: ProjectFacts, kind: str, lots: list, why: str) -> None:
    """Each lot of `kind` not tendered, and the lots of one kind together (第五条第二款: 合并 counts)."""
    reg = dossier.registration
    threshold = WORKS_THRESHOLDS[kind]
    total = sum(l.estimate for l in lots)
    below = [l for l in lots if reg.lot_method(l) not in TENDER_METHODS and l.estimate < threshold]
    for lot in lots:
        method = reg.lot_method(lot) or "未载明"
        if method in TENDER_METHODS:
            continue
        ev = reg_evidence(dossier, f"{lot.name or kind}估算价（{method}）", money(lot.estimate))
        pf.add(ProjectFact(name=f"未招标{kind}合同估算价", kind="money", value=lot.estimate, unit="元",
                           shown=money(lot.estimate), lot=lot.name,
                           comparison=f"项目登记 {lot.name or kind} {kind}合同估算价 {money(lot.estimate)}，"
                                      f"采购方式：{method}（{why}）", evidence=[ev], stage="S1"))
    if below and len(lots) > 1:
        parts = " + ".join(f"{l.name or kind} {money(l.estimate)}（{reg.lot_method(l) or '未载明'}）" for l in lots)
        pf.add(ProjectFact(name=f"未招标{kind}标段同类合计", kind="money", value=total, unit="元", shown=money(total),
                           comparison=f"项目登记 同一项目{kind}标段 {parts} = {money(total)}",
                           evidence=[reg_evidence(dossier, f"{l.name}估算价", money(l.estimate)) for l in lots],
                           stage="S1"))


def _invited(dossier: Dossier, pf: ProjectFacts, why: str) -> None:
    """A state-controlled project's compulsory lot tendered by invitation without approval (实施条例第八条)."""
    reg = dossier.registration
    controlled = reg.is_state_controlled()
    invited = [l for l in reg.lots if reg.lot_method(l) == "邀请招标" and not l.approved and l.kind
               and l.estimate is not None and l.estimate >= WORKS_THRESHOLDS[l.kind]]
    if controlled is None:
        pf.miss(INVITED, "项目登记信息未载明国有资金是否占控股或者主导地位")
    elif not controlled:
        pf.not_applicable[INVITED] = "非国有资金占控股或者主导地位的项目"
    elif not invited:
        pf.not_applicable[INVITED] = "项目登记中没有未经批准采用邀请招标的必须招标标段"
    for lot in invited:
        ev = reg_evidence(dossier, f"{lot.name or lot.kind}采购方式", "邀请招标（未载明批准）")
        pf.add(ProjectFact(name=INVITED, kind="count", value=1, unit="个", shown="邀请招标", lot=lot.name,
                           comparison=f"项目登记 {lot.name or lot.kind} {lot.kind}合同估算价 {money(lot.estimate)}，"
                                      f"采购方式：邀请招标，未载明审批部门认定或批准（{why}）",
                           evidence=[ev], stage="S1"))


def _government(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    """政府采购: a package bought without open tendering, and those below the threshold bought in pieces."""
    reg = dossier.registration
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
                           evidence=[reg_evidence(dossier, f"{lot.name}采购金额", money(lot.estimate))], stage="S1"))
        if lot.estimate < threshold:
            groups[lot.category or lot.kind or "未分类"].append(lot)
    for cat, lots in groups.items():
        if len(lots) < 2:
            continue
        total = sum(l.estimate for l in lots)
        parts = " + ".join(f"{l.name} {money(l.estimate)}（{reg.lot_method(l) or '未载明'}）" for l in lots)
        pf.add(ProjectFact(name="未公开招标同品目累计", kind="money", value=total, unit="元", shown=money(total),
                           comparison=f"项目登记 同一品目「{cat}」以非公开招标方式分次采购 {parts} = {money(total)}",
                           evidence=[reg_evidence(dossier, f"{l.name}采购金额", money(l.estimate)) for l in lots],
                           stage="S1"))
    for n in GP_FACTS:
        if n not in pf.names():
            pf.not_applicable.setdefault(n, "项目登记中没有未经批准以非公开招标方式采购的包")
