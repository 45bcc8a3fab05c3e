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


def test_see_also_names_the_other_rule_in_yaml(tmp_path):
    """A reason that points at another rule gets its id from the YAML (`see_also`), and the loader refuses an id
    the pack does not have."""
    rule = (PROJECT_RULES_DIR / "AWARD-FIRST-RANKED.yaml").read_text(encoding="utf-8")
    assert "see_also: [AWARD-OUTSIDE-CANDIDATES]" in rule
    (tmp_path / "AWARD-FIRST-RANKED.yaml").write_text(rule, encoding="utf-8")
    with pytest.raises(RulePackError, match="see_also.*AWARD-OUTSIDE-CANDIDATES"):
        load_project_pack(tmp_path)  # the other rule is not in this pack


def test_a_not_applicable_reason_points_at_the_rule_the_yaml_names(project_checker):
    """The winner is no candidate at all: AWARD-FIRST-RANKED does not apply, and says which rule reports it."""
    from checker.project.selftest import parse_mini_dossier

    rule = project_checker.rules["AWARD-FIRST-RANKED"]
    text = rule.examples.flag[0]  # state-funded, the second-ranked candidate wins
    dossier = parse_mini_dossier(text.replace("乙建设有限公司：", "丙建设有限公司："))
    dossier.manifest.regime = "工程"
    report = project_checker.check_dossier(dossier, run_documents=False)
    result = next(r for r in report.results if r.rule_id == rule.id)
    assert (result.outcome.value, result.reason) == ("not_applicable", "中标人不在中标候选人中（见 AWARD-OUTSIDE-CANDIDATES）")
