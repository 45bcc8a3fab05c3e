"""The project pack's numeric rules over the project facts, through the one rule runner (checker/rules/runner.py):
a period between two documents' dates against a limit, or a value of one document against the same value in
another. A rule whose facts come from a document that is not in the dossier is `missing_data` and names it."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Optional

from ..findings import RuleResult
from ..outcome import (UNDECIDED_COUNT, applicability, counts_disagree, finding_fields, fingerprint,
                       not_applicable_result, rule_result)
from ..rules.compile import factor_and_const
from ..rules.runner import CompareRun, Subject, eligible
from ..rules.schema import Rule, Severity
from .dossier import Dossier
from .facts import SOURCES, Context, ProjectFacts, money
from .report import Evidence, ProjectFact, ProjectFinding


@dataclass
class _State:
    ran: int = 0
    missing: list[str] = field(default_factory=list)
    na: list[str] = field(default_factory=list)


def run_compare(checker, rules: dict[str, Rule], params: dict, dossier: Dossier, ctx: Context, pf: ProjectFacts,
                findings: list[ProjectFinding], results: dict[str, RuleResult]) -> None:
    """`checker`: the project pack's Checker (its engine holds the compare rules)."""
    by_name: dict[str, list[ProjectFact]] = defaultdict(list)
    for f in pf.facts:
        by_name[f.name].append(f)
    subject = Subject(regime=ctx.regime, procurement=ctx.procurement)
    run = CompareRun(prefix="p")
    state: dict[str, _State] = {}
    for rule in rules.values():
        if not rule.compare:
            continue
        na = applicability(rule, subject)  # a dossier has no type or date of its own: never 缺少数据 here
        if na is not None:
            results[rule.id] = na
            continue
        state[rule.id] = _assert(rule, subject, by_name, pf, dossier, run)
    seen: set = set()
    counts: dict[str, int] = defaultdict(int)
    for c in run.comparisons(checker.engine.run(run.engine_facts), rules):
        finding = _finding(c.rule, c.cmp, c.left, c.right, params, ctx.regime)
        key = (c.rule.id, finding.values.get("比较", ""))
        if key not in seen:
            seen.add(key)
            findings.append(finding)
            counts[c.rule.id] += 1
    for rid, st in state.items():
        results[rid] = _outcome(rid, st, counts.get(rid, 0))


def _assert(rule: Rule, subject: Subject, by_name: dict, pf: ProjectFacts, dossier: Dossier,
            run: CompareRun) -> _State:
    st = _State()
    for k, cmp in eligible(rule, subject):
        chosen, lacking = {}, []
        for alias, ref in cmp.facts.items():
            found = _select(ref, by_name)
            if found:
                chosen[alias] = found
            else:
                lacking.append(ref)
        for ref in lacking:
            kind, reason = _why_missing(ref.names, pf, dossier)
            reason = reason.replace("{see_also}", "、".join(rule.see_also))  # the other rule, as the YAML names it
            (st.missing if kind == "missing" else st.na).append(reason)
        if lacking:
            continue
        st.ran += 1
        for alias, facts in chosen.items():
            for f in facts:
                run.assert_fact(rule.id, k, alias, f, f.value, f.lot)
    return st


def _joined(reasons: list[str]) -> str:
    unique = list(dict.fromkeys(reasons))
    return "；".join(unique[:3]) + (f"；另有{len(unique) - 3}项比较无法进行" if len(unique) > 3 else "")


def _outcome(rid: str, st: _State, count: int) -> RuleResult:
    """A rule with some comparison run is judged on those (the others noted); with none, it is missing data, or
    不适用 when every fact it needs does not apply to the project."""
    if count or st.ran:
        return rule_result(rid, count, note=f"部分比较未能进行：{_joined(st.missing)}" if st.missing else "")
    if st.missing:
        return rule_result(rid, missing=_joined(st.missing))
    return not_applicable_result(rid, _joined(st.na))


def _select(ref, by_name: dict[str, list[ProjectFact]]) -> list[ProjectFact]:
    for name in ref.names:
        found = [f for f in by_name.get(name, []) if f.kind == ref.kind and (ref.unit is None or f.unit == ref.unit)]
        if found:
            return found
    return []


def _why_missing(names: list[str], pf: ProjectFacts, dossier: Dossier) -> tuple[str, str]:
    """('missing' | 'na', reason) for facts none of `names` gave."""
    for name in names:
        if name in pf.missing:
            return "missing", pf.missing[name]
    if all(n in pf.not_applicable for n in names):
        return "na", pf.not_applicable[names[0]]
    for name in names:
        groups = SOURCES.get(name, [])
        absent = [g for g in groups if not dossier.has_type(*g)]
        if absent:
            return "missing", f"缺少{'；'.join('或'.join(g) for g in absent)}，无法检查"
    return "missing", f"案卷文件中未找到{'或'.join(names)}"


def _finding(rule: Rule, cmp, left: ProjectFact, right: Optional[ProjectFact], params: dict,
             regime: str) -> ProjectFinding:
    factor, const = factor_and_const(cmp, params)
    values = _values(cmp, left, right, factor, const)
    severity, notes = _severity(finding_fields(rule, None, regime)["severity"], cmp, left, right, factor, const)
    if notes:
        values["说明"] = "；".join(notes)
    evidence: list[Evidence] = []
    for ev in left.evidence + (right.evidence if right else []):
        if not any(e.path == ev.path and e.what == ev.what and e.value == ev.value for e in evidence):
            evidence.append(ev)
    stages = [f.stage for f in (left, right) if f is not None and f.stage in rule.stages]
    return ProjectFinding(
        **finding_fields(rule, max(stages) if stages else None, regime, severity), documents=evidence, values=values,
        excerpt=next((e.excerpt for e in evidence if e.excerpt), ""), note="；".join(notes),
        fingerprint=fingerprint(rule.id, values["比较"]))


def _values(cmp, left: ProjectFact, right: Optional[ProjectFact], factor: float, const: float) -> dict[str, str]:
    fields = {cmp.left: left.describe(), f"{cmp.left}_value": left.shown, f"{cmp.left}_name": left.name,
              "limit": money(const) if abs(const) >= 10_000 else f"{const:g}", "factor": f"{factor:g}"}
    values = {left.name + (f"（{left.lot}）" if left.lot and right is None else ""): left.shown}
    if right is not None:
        fields.update({cmp.right: right.describe(), f"{cmp.right}_value": right.shown,
                       f"{cmp.right}_name": right.name})
        values[right.name] = right.shown
    try:
        values["比较"] = cmp.show.format(**fields)
    except (KeyError, IndexError, ValueError):
        values["比较"] = cmp.show
    return values


def _severity(severity: Severity, cmp, left: ProjectFact, right: Optional[ProjectFact], factor: float,
              const: float) -> tuple[Severity, list[str]]:
    """A fact may cap the rule's severity (a clarification that may not affect the bids); two ways of counting a
    period that disagree leave the decision to a reviewer."""
    notes = [n for n in (left.note, right.note if right else "") if n]
    for cap in (left.severity_cap, right.severity_cap if right else None):
        if cap is not None and cap.rank < severity.rank:
            severity = cap
    if counts_disagree(cmp, left, right, factor, const):
        severity = min(severity, UNDECIDED_COUNT, key=lambda s: s.rank)
        notes.append(f"按开始日不计{'并适用民法典第二百零三条' if left.note else ''}为{left.shown}，"
                     f"首尾均计为{left.alt:g}{left.unit}，两种计法结论不同，请核实")
    return severity, notes
