"""Every project rule's examples (rules/project/*.yml): must-flag dossiers fire, look-alikes do not — the same
contract as tests/test_rule_examples.py for the per-document pack."""
import pytest

from checker.project.runner import ProjectChecker
from checker.project.selftest import run_rule_examples

PC = ProjectChecker()
REQUIRED = ["CLAR-15D-RULE", "CLAR-PQ-3D-RULE", "CLAR-NEW-RESTRICTION", "CLAR-DISCLOSURE", "PROC-DIFFERENT-INFO",
            "EVAL-COMMITTEE-COMPOSITION", "EVAL-CANDIDATES-COUNT-RANK", "EVAL-TOO-FEW-BIDDERS",
            "EVAL-REPORT-COMPLETENESS", "PUBL-DEADLINE-DURATION", "AWARD-OUTSIDE-CANDIDATES",
            "AWARD-FIRST-RANKED", "CONT-30D", "CONT-CONSISTENCY", "CONT-ADDITIONAL-CONDITIONS",
            "BOND-REFUND-DEADLINE", "AWARD-GP-ANNOUNCE", "CONT-GP-PUBLISH-2WD", "PRJ-MUST-TENDER-SCOPE",
            "PRJ-SPLIT-EVASION", "PRJ-GP-OPEN-TENDER-THRESHOLD"]


@pytest.mark.parametrize("rule", PC.pack.rules, ids=lambda r: r.id)
def test_project_rule_examples(rule):
    failures = [r for r in run_rule_examples(PC, rule) if not r.ok]
    assert not failures, "\n".join(
        f"{'应命中未命中' if f.expected else '不应命中却命中'}: {f.text}" for f in failures)


def test_issue_rules_are_in_the_pack():
    assert sorted(set(REQUIRED) - set(PC.rules)) == []


def test_no_unverified_citations():
    for rule in PC.pack.rules:
        for b in rule.basis:
            assert b.verified in ("原文-L", "原文-S", "转述"), rule.id
