"""One registry of every check: rules list/show/test know every rule a report can contain (document text, numeric
and stage rules, cross-document rules and the STD-* model-document rules); configuration selects any of them; the
project pack refuses a fact no fact module provides; known gaps (todo_flag) are reported, not failed."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import cli
from checker.config import Config, ConfigError
from checker.errors import RulePackError
from checker.rules.registry import (KIND_MODEL, KIND_NUMERIC, KIND_PROJECT, KIND_STAGE, KIND_TEXT, all_rules,
                                    find_rule, load_packs, load_project_pack)
from checker.rules.schema import Rule
from checker.rules.selftest import run_rule_examples
from checker.template.checks import CHECKS, rule_id

ROOT = Path(__file__).resolve().parents[1]
PROJECTS = ROOT / "corpus" / "projects"


@pytest.fixture(scope="module")
def project_report():
    from checker.project.runner import ProjectChecker

    return ProjectChecker().check_dir(PROJECTS / "works_violations")


def test_every_emitted_rule_id_is_known_to_rules_show(project_report):
    emitted = {f.rule_id for f in project_report.findings} | {r.rule_id for r in project_report.results}
    for d in project_report.documents:
        emitted |= {f.rule_id for f in d.findings} | {r.rule_id for r in d.missing_rules}
    emitted |= {rule_id(c) for c in CHECKS}  # the model-document checks' findings
    for path in list(ROOT.glob("corpus/*.expected.yaml")) + list(PROJECTS.glob("*/expected.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))  # what the corpus expects reported (flag)
        emitted |= {e["rule"] for e in (data.get("flag") or data.get("findings") or [])}
    assert len(emitted) > 40
    known = {e.rule.id for e in all_rules()}
    assert sorted(emitted - known) == []
    out = CliRunner().invoke(cli.main, ["rules", "show", "STD-CHAPTER-STRUCTURE"])
    assert out.exit_code == 0 and "示范文本" in out.output and "chapter_structure" in out.output
    assert CliRunner().invoke(cli.main, ["rules", "show", "CLAR-15D-RULE"]).exit_code == 0


def test_rules_list_shows_every_kind():
    out = CliRunner().invoke(cli.main, ["rules", "list"])
    assert out.exit_code == 0
    kinds = {e.kind for e in all_rules()}
    assert kinds == {KIND_TEXT, KIND_NUMERIC, KIND_STAGE, KIND_PROJECT, KIND_MODEL}
    for e in all_rules():
        assert re.search(rf"^{re.escape(e.rule.id)} +{e.kind} +{e.rule.severity.label} ", out.output, re.M), e.rule.id
    assert not re.search(r" (error|warning|info) ", out.output)  # the severity in the user's words: 违法/不合理/提示


def test_config_disables_model_and_project_rules():
    packs = load_packs(config=Config.model_validate({"rules": {"disable": ["STD-CHAPTER-STRUCTURE", "CLAR-15D-RULE"],
                                                               "severity": {"STD-BLANKS-UNFILLED": "warning"}}}))
    assert packs.document.get("STD-CHAPTER-STRUCTURE") is None and "STD-CHAPTER-STRUCTURE" in packs.disabled
    assert packs.project.get("CLAR-15D-RULE") is None and "CLAR-15D-RULE" in packs.project_disabled
    assert packs.document.get("STD-BLANKS-UNFILLED").severity.value == "warning"
    assert {r.id for r in packs.model} == {"STD-BLANKS-UNFILLED", "STD-FRONT-TABLE-CONFLICT", "STD-VERBATIM-SECTIONS"}
    with pytest.raises(ConfigError, match="STD-NO-SUCH"):
        load_packs(config=Config.model_validate({"rules": {"disable": ["STD-NO-SUCH"]}}))


def test_a_disabled_model_rule_does_not_run_and_a_severity_override_applies():
    from checker.pipeline import Checker
    from checker.template.examples import example_spec, text_document

    doc = "某某项目采购文件\n一、项目概况\n二、投标须知\n"  # no chapter at all: STD-CHAPTER-STRUCTURE fires
    on = Checker().check(text_document(doc), regime="工程", doc_type="招标文件", template=example_spec())
    assert any(f.rule_id == "STD-CHAPTER-STRUCTURE" for f in on.findings)
    packs = load_packs(config=Config.model_validate({"rules": {"disable": ["STD-CHAPTER-STRUCTURE"]}}))
    off = Checker(pack=packs.document).check(text_document(doc), regime="工程", doc_type="招标文件",
                                             template=example_spec())
    assert not any(r.rule_id == "STD-CHAPTER-STRUCTURE" for r in off.findings + off.results)


def _project_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "project"
    shutil.copytree(ROOT / "rules" / "project", dst)
    return dst


def test_project_rule_naming_an_unknown_fact_is_refused(tmp_path):
    d = _project_copy(tmp_path)
    data = yaml.safe_load((d / "CONT-30D.yaml").read_text(encoding="utf-8"))
    data["compare"][0]["facts"]["period"]["names"] = ["中标通知书至合同盖章"]
    (d / "CONT-30D.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    from checker.project.runner import ProjectChecker
    from checker.project.runner import load_project_pack as load_checked

    with pytest.raises(RulePackError, match="CONT-30D.*中标通知书至合同盖章"):
        load_checked(d)
    with pytest.raises(RulePackError, match="中标通知书至合同盖章"):  # a pack selected elsewhere is checked too
        ProjectChecker(pack=load_project_pack(d))


def test_unknown_named_condition_is_refused(tmp_path):
    d = _project_copy(tmp_path)
    path = d / "CLAR-DISCLOSURE.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("[not_own_party]", "[not_own_partner]"),
                    encoding="utf-8")
    with pytest.raises(RulePackError, match="not_own_partner"):
        load_project_pack(d)


def test_todo_flag_is_a_known_gap_until_it_fires():
    from checker.pipeline import Checker

    checker = Checker()
    base = checker.pack.get("DQ-LOCAL-REGISTRATION")
    assert base is not None
    data = base.model_dump(mode="json", exclude_none=True)
    data["examples"]["todo_flag"] = [data["examples"]["no_flag"][0]]  # a text the rule does not flag: a gap
    gap = [r for r in run_rule_examples(checker, Rule.model_validate(data)) if r.todo]
    assert [(r.ok, r.fired) for r in gap] == [(True, False)]
    data["examples"]["todo_flag"] = [data["examples"]["flag"][0]]  # it flags now: promote it
    promoted = [r for r in run_rule_examples(checker, Rule.model_validate(data)) if r.todo]
    assert [(r.ok, r.fired) for r in promoted] == [(False, True)]
    assert "flag" in promoted[0].verdict()


def test_find_rule_knows_both_packs():
    assert find_rule("STD-BLANKS-UNFILLED").kind == KIND_MODEL
    assert find_rule("AWARD-FIRST-RANKED").kind == KIND_PROJECT
    assert find_rule("NO-SUCH-RULE") is None


def test_check_honours_a_configured_model_rule_and_project_rule_id(tmp_path):
    """`[rules] disable` naming an STD-* rule and a project rule is accepted by `check`; the STD-* rule is reported
    as switched off instead of being run."""
    import json

    config = tmp_path / "tendercheck.toml"
    config.write_text('[rules]\ndisable = ["STD-CHAPTER-STRUCTURE", "CLAR-15D-RULE"]\n', encoding="utf-8")
    out = CliRunner().invoke(cli.main, ["check", str(ROOT / "corpus" / "works_tender.docx"), "--config", str(config),
                                        "--format", "json"])
    assert out.exit_code in (0, 1), out.output
    results = {r["rule_id"]: r for r in json.loads(out.output)["results"]}
    assert results["STD-CHAPTER-STRUCTURE"]["outcome"] == "not_applicable"
    assert "停用" in results["STD-CHAPTER-STRUCTURE"]["reason"]
    assert results["STD-BLANKS-UNFILLED"]["outcome"] == "no_flag"  # the others still run


def test_a_gp_escalation_does_not_reach_military_procurement():
    """DQ-FINANCIAL-INDICATORS is 违法 under 政府采购 (46号文 第五条) but 政府采购法 第八十六条 leaves 军队采购 to its own
    rules: there it keeps the rule's own severity (real case: r17, a 军队采购 cleaning tender)."""
    rule = find_rule("DQ-FINANCIAL-INDICATORS").rule
    assert rule.severity_for("政府采购", "政府采购").value == "error"
    assert rule.severity_for("政府采购", "军队采购") == rule.severity
    assert rule.severity_for("工程", "依法必须招标") == rule.severity


def test_a_company_buying_for_itself_is_told_of_restrictions_not_of_breaches():
    """企业自主采购 (a company's own 比选/询价, not a 招标) is bound by neither 招标投标法 nor 政府采购法: an error rule
    says 不合理 there (real case: bench/unseen g-bj-busbody, a 2015 企业比选 accused of 违法 under 招标 rules)."""
    rule = find_rule("PROC-PRE-REGISTRATION").rule
    assert rule.severity_for("工程", "依法必须招标").value == "error"
    assert rule.severity_for("工程", "企业自主采购").value == "warning"
    jv = find_rule("PUB-JV-NOT-DECLARED").rule
    assert not jv.fits_regime_detail("企业自主采购")
    assert jv.fits_regime_detail(None) and jv.fits_regime_detail("其他招标")  # an unsettled detail is still judged


def test_match_of_reads_the_other_rules_wordings_without_the_kinds_it_leaves_out():
    """CONT-SME-PAYMENT-TERM-2020 matches as CONT-SME-PAYMENT-TERM does, less the 背靠背 kinds only the 2025 text
    forbids: a wording added to the 2025 rule is read under the 2020 text too."""
    from checker.rules.loader import load_pack
    pack = load_pack()
    new, old = pack.get("CONT-SME-PAYMENT-TERM"), pack.get("CONT-SME-PAYMENT-TERM-2020")
    assert old.match_of and old.match_of.rule == new.id
    assert set(old.match.patterns) < set(new.match.patterns)
    assert not any("THIRD_PARTY" in p for p in old.match.patterns)
    assert pack.get("CONT-NONCASH-PAYMENT-2020").match.patterns == pack.get("CONT-NONCASH-PAYMENT").match.patterns


@pytest.mark.parametrize("spec", [
    {"rule": "NO-SUCH-RULE"},
    {"rule": "CONT-NONCASH-PAYMENT", "without": "("},
])
def test_a_broken_match_of_is_refused(tmp_path, spec):
    import shutil

    from checker.rules.loader import load_pack
    d = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", d)
    path = d / "contract" / "CONT-NONCASH-PAYMENT-2020.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["match_of"] = spec
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RulePackError, match="CONT-NONCASH-PAYMENT-2020.*match_of"):
        load_pack(d)
