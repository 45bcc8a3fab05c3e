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
        f"{f.verdict()}: {f.text}" for f in failures)


def test_issue_rules_are_in_the_pack():
    assert sorted(set(REQUIRED) - set(PC.rules)) == []


def test_an_unverified_citation_is_refused_at_load(tmp_path):
    """The schema refuses 未核实 quotes, so no shipped rule can carry one: shown on a copy of a real rule."""
    import shutil
    from pathlib import Path

    from checker.errors import RulePackError
    from checker.rules.registry import load_project_pack

    src = Path(PC.pack.files["CONT-30D"])
    shutil.copy(src, tmp_path / src.name)
    text = (tmp_path / src.name).read_text(encoding="utf-8")
    assert "verified: 原文-L" in text
    (tmp_path / src.name).write_text(text.replace("verified: 原文-L", "verified: 未核实", 1), encoding="utf-8")
    with pytest.raises(RulePackError, match="未核实"):
        load_project_pack(tmp_path)
