"""Every project rule's examples (rules/project/*.yml): must-flag dossiers fire, look-alikes do not — the same
contract as tests/test_rule_examples.py for the per-document pack."""
import pytest

from checker.errors import RulePackError
from checker.project.runner import PROJECT_RULES_DIR, load_project_pack
from checker.project.selftest import run_rule_examples

PACK = load_project_pack()  # for the test ids; the rules run through the session checker
REQUIRED = ["CLAR-15D-RULE", "CLAR-PQ-3D-RULE", "CLAR-NEW-RESTRICTION", "CLAR-DISCLOSURE", "PROC-DIFFERENT-INFO",
            "EVAL-COMMITTEE-COMPOSITION", "EVAL-CANDIDATES-COUNT-RANK", "EVAL-TOO-FEW-BIDDERS",
            "EVAL-REPORT-COMPLETENESS", "PUBL-DEADLINE-DURATION", "AWARD-OUTSIDE-CANDIDATES",
            "AWARD-FIRST-RANKED", "CONT-30D", "CONT-CONSISTENCY", "CONT-ADDITIONAL-CONDITIONS",
            "BOND-REFUND-DEADLINE", "AWARD-GP-ANNOUNCE", "CONT-GP-PUBLISH-2WD", "PRJ-MUST-TENDER-SCOPE",
            "PRJ-SPLIT-EVASION", "PRJ-GP-OPEN-TENDER-THRESHOLD"]


@pytest.mark.parametrize("rule", PACK.rules, ids=lambda r: r.id)
def test_project_rule_examples(rule, project_checker):
    failures = [r for r in run_rule_examples(project_checker, rule) if not r.ok]
    assert not failures, "\n".join(
        f"{f.verdict()}: {f.text}" for f in failures)


def test_issue_rules_are_in_the_pack(project_checker):
    assert sorted(set(REQUIRED) - set(project_checker.rules)) == []


def test_an_unverified_citation_is_refused_at_load(tmp_path):
    """未核实 citations must not ship: the loader refuses a rule whose basis is not verified, naming the field."""
    rule = (PROJECT_RULES_DIR / "CONT-30D.yaml").read_text(encoding="utf-8")
    assert "verified: 原文-L" in rule
    (tmp_path / "CONT-30D.yaml").write_text(rule.replace("verified: 原文-L", "verified: 未核实", 1), encoding="utf-8")
    with pytest.raises(RulePackError, match="verified"):
        load_project_pack(tmp_path)
    (tmp_path / "CONT-30D.yaml").write_text(rule, encoding="utf-8")
    assert [r.id for r in load_project_pack(tmp_path).rules] == ["CONT-30D"]  # the same file, verified, loads
