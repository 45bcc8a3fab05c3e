"""From a rule's verdict to what a report says, for the document pack and the project pack alike.

`checker/rules/runner.py` decides whether a rule applies and which facts a compare rule joined; this module turns
that into the report's words: the RuleResult of each rule (不适用 / 缺少数据 / flag / no flag), the fields every
finding of a rule carries (message, suggestion, basis, stage, severity in the regime — a configured severity has
already replaced the rule's own, `checker/rules/registry.py`), the fingerprint, and the one way a counted period is
softened (two ways of counting, two verdicts). `checker/pipeline.py` and `checker/project/` both build their findings
from these, so a document's finding and a dossier's finding of the same rule cannot drift apart.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Optional

from .findings import Finding, Outcome, RuleResult
from .rules.compile import holds
from .rules.runner import Subject, not_applicable, unsettled
from .rules.schema import STAGES, Basis, Compare, Rule, Severity


def applicability(rule: Rule, s: Subject) -> Optional[RuleResult]:
    """The rule's result when it does not apply (不适用) or cannot be told to apply (缺少数据); None when it applies."""
    reason = not_applicable(rule, s)
    if reason:
        return RuleResult(rule_id=rule.id, outcome=Outcome.not_applicable, reason=reason)
    unsure = unsettled(rule, s)
    if unsure:
        return RuleResult(rule_id=rule.id, outcome=Outcome.missing_data, reason=unsure)
    return None


def rule_result(rule_id: str, count: int = 0, missing: str = "", note: str = "") -> RuleResult:
    """The result of a rule that applies: its findings (flag) first, then why its data was missing, else no flag.
    `note`: what a flag or no-flag result adds (some of its comparisons could not run)."""
    if count:
        return RuleResult(rule_id=rule_id, outcome=Outcome.flag, findings=count, reason=note)
    if missing:
        return RuleResult(rule_id=rule_id, outcome=Outcome.missing_data, reason=missing)
    return RuleResult(rule_id=rule_id, outcome=Outcome.no_flag, reason=note)


def not_applicable_result(rule_id: str, reason: str) -> RuleResult:
    return RuleResult(rule_id=rule_id, outcome=Outcome.not_applicable, reason=reason)


def finding_fields(rule: Rule, stage: Optional[str], regime: Optional[str],
                   severity: Optional[Severity] = None, regime_detail: Optional[str] = None,
                   on: Optional[date] = None) -> dict:
    """What every finding of a rule carries: the stage it is reported at (the checked document's or fact's stage
    where the rule names it, else the rule's first) and its severity in the regime, unless the verdict itself set
    one (`severity`: a capped or softened one); the bases in force on the document's date `on`, when known."""
    stage = stage if stage in rule.stages else rule.stages[0]
    if severity is None:
        severity = rule.severity_for(regime, regime_detail) if regime else rule.severity
    basis = bases_in_force(rule, on, regime)
    if severity == Severity.error and no_binding_basis_left(rule, basis):
        severity = Severity.warning
    return dict(rule_id=rule.id, title=rule.title, severity=severity, stage=stage, stage_name=STAGES[stage],
                message=rule.message, suggestion=rule.suggestion, basis=basis)


def bases_in_force(rule: Rule, on: Optional[date], regime: Optional[str] = None) -> list[Basis]:
    """The rule's bases, less those that took effect after `on` and those that govern only the other regime
    (政府采购法实施条例 on a 工程 招标); all of them when none is left (a rule cites at least one basis, and its own
    valid_from already keeps it off documents older than every basis)."""
    left = [b for b in rule.basis if (on is None or b.in_force_from is None or b.in_force_from <= on)
            and (regime is None or b.governs in (None, regime))]
    return left or rule.basis


def no_binding_basis_left(rule: Rule, cited: list[Basis]) -> bool:
    """A 违法 rests on a law, regulation or ministry's rule. When the rule has such a basis but none of them was in
    force on the document's date or governs its regime — a 2018 工程 notice whose bond clause only a 2016 国办 通知 then
    reached (bench/unseen y4) — what is left is policy, and the finding says 不合理. A rule whose author cited policy
    alone keeps the author's severity: it is judged where it is written."""
    return any(b.binding for b in rule.basis) and not any(b.binding for b in cited)


# A period whose two ways of counting (start day excluded, 民法典第二百零一条 / both ends counted, as agencies and
# 自…之日起 read it) reach different verdicts is for a reviewer to settle: the finding says 提示 and gives both counts.
# Reviewers judged every such 不合理 debatable (shared realdocs, bench/unseen g-lnjd and x5, blind set 4).
UNDECIDED_COUNT = Severity.info


def counts_disagree(cmp: Compare, left: Any, right: Optional[Any], factor: float, const: float) -> bool:
    """A period counted both ways (start day excluded / both ends counted) whose two counts reach different verdicts:
    a reviewer decides, so the finding is a 提示 (UNDECIDED_COUNT)."""
    return left.alt is not None and not holds(cmp.test, left.alt, (right.value if right else 0) * factor + const)


def at_most_warning(severity: Severity) -> Severity:
    return min(severity, Severity.warning, key=lambda s: s.rank)


def fingerprint(rule_id: str, key: str) -> str:
    """Stable across re-parses and page shifts: the rule id and the text (or comparison) the finding rests on."""
    return Finding.make_fingerprint(rule_id, key)
