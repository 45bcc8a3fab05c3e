"""The CI gate as a trading platform wires it: exit codes, configuration, waivers and baseline, through the CLI.

Parsing and rule compilation are cached here (they are tested elsewhere); what runs is the real `check` command."""
import json
import re
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from pydantic import ValidationError
from corpus_cache import parsed

import checker.config
import checker.pipeline
import checker.session
import checker.rules.registry
import cli
from checker.config import Config, ConfigError, find_config, load_config
from checker.rules.registry import split_params
from checker.errors import EXIT_INTERNAL, INPUT_ERRORS

ROOT = Path(__file__).resolve().parents[1]
WORKS = ROOT / "corpus" / "works_tender.docx"
CLEAN = ROOT / "corpus" / "gp_services_tender.docx"
RealChecker = checker.pipeline.Checker
_checkers: dict = {}


def _cached_checker(pack=None, rules_dir=None, **kwargs):
    key = (pack.version if pack is not None else rules_dir, tuple((r.id, r.severity.value) for r in pack.rules)
           if pack is not None else (), tuple(sorted((kwargs.get("params") or {}).items())))
    if key not in _checkers:
        _checkers[key] = RealChecker(pack=pack, rules_dir=rules_dir, **kwargs)
    return _checkers[key]


def _cached_parse(file, input_format, *ocr, **session):
    p = Path(file)
    if p.parent == ROOT / "corpus":
        return parsed(p.stem, p.suffix[1:])
    return _real_parse(file, input_format, *ocr, **session)


_real_parse = cli._parse
_real_load_pack = checker.rules.registry.load_pack
_packs: dict = {}


def _cached_load_pack(rules_dir=None, default_name="tendercheck"):
    root = Path(rules_dir or checker.rules.registry.DEFAULT_RULES_DIR)
    key = (str(root), default_name, tuple((str(p), p.stat().st_mtime_ns) for p in sorted(root.rglob("*.yaml"))))
    if key not in _packs:
        _packs[key] = _real_load_pack(rules_dir, default_name=default_name)
    return _packs[key]


@pytest.fixture(autouse=True)
def fast(monkeypatch, tmp_path):
    monkeypatch.setattr(checker.session, "Checker", _cached_checker)
    monkeypatch.setattr(checker.rules.registry, "load_pack", _cached_load_pack)
    monkeypatch.setattr(cli, "_parse", _cached_parse)
    monkeypatch.chdir(tmp_path)  # no tendercheck.toml or waivers file is found above the test's own directory


def run(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


def report_of(result) -> dict:
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def works_report() -> dict:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(checker.session, "Checker", _cached_checker)
        mp.setattr(checker.rules.registry, "load_pack", _cached_load_pack)
        mp.setattr(cli, "_parse", _cached_parse)
        return report_of(run("check", WORKS, "--format", "json"))


# --------------------------------------------------------------------------------------------------------- exit codes


def test_exit_0_when_nothing_reaches_fail_on():
    result = run("check", CLEAN, "--format", "json")
    assert result.exit_code == 0, result.output
    assert not [f for f in report_of(result)["findings"] if f["severity"] == "error"]


def test_exit_1_when_findings_reach_fail_on(works_report):
    assert run("check", WORKS).exit_code == 1
    assert any(f["severity"] == "error" for f in works_report["findings"])


def test_fail_on_warning_catches_judgement_calls():
    result = run("check", CLEAN, "--format", "json", "--fail-on", "warning")
    warnings = [f for f in report_of(result)["findings"] if f["severity"] == "warning"]
    assert result.exit_code == (1 if warnings else 0)


@pytest.mark.parametrize("files,args,needle", [
    ({"tendercheck.toml": "fail_om = 'error'\n"}, [], "fail_om"),
    ({"tendercheck.toml": "[rules]\ndisabel = ['X']\n"}, [], "rules.disabel"),
    ({"tendercheck.toml": "[rules]\ndisable = ['NO-SUCH-RULE']\n"}, [], "rules.disable"),
    ({"tendercheck.toml": "[rules.severity]\nDQ-SCALE-CONDITIONS = 'fatal'\n"}, [], "rules.severity.DQ-SCALE-CONDITIONS"),
    ({"tendercheck.toml": "[params]\nbond_perf_capp = 5\n"}, [], "params.bond_perf_capp"),
    ({"tendercheck.toml": "default_template = 'missing.docx'\n"}, [], "default_template"),
    ({"tendercheck.toml": "rule_dirs = 'local'\n"}, [], "rule_dirs"),
    ({"tendercheck.toml": "fail_on = \n"}, [], "TOML"),
    ({"pyproject.toml": "[tool.tendercheck]\nunknown = 1\n"}, [], "tool.tendercheck.unknown"),
    ({"w.yml": "waivers:\n  - rule: X\n    reason: r\n    approver: a\n    expires: 2030-01-01\n"}, ["--waivers", "w.yml"],
     "fingerprint"),
    ({"w.yml": "waivers:\n  - rule: X\n    fingerprint: abc\n    approver: a\n    expires: 2030-01-01\n"},
     ["--waivers", "w.yml"], "reason"),
    ({"w.yml": "waivers:\n  - rule: X\n    fingerprint: abc\n    reason: r\n    approver: a\n    expires: soon\n"},
     ["--waivers", "w.yml"], "expires"),
    ({"w.yml": "waivers: [\n"}, ["--waivers", "w.yml"], "无法读取"),
    ({}, ["--waivers", "missing.yml"], "不存在"),
    ({"b.json": "{\"findings\": 3}"}, ["--baseline", "b.json"], "基线"),
    ({"b.json": "not json"}, ["--baseline", "b.json"], "JSON"),
    ({"rules/bad.yaml": "id: NOT-VALID\ntitle: x\n"}, ["--rules", "rules"], "[rule-pack]"),
    ({}, ["--config", "nowhere.toml"], "[config]"),
    ({}, ["--format", "xlsx"], "--output"),
])
def test_exit_2_for_a_bad_config_waiver_baseline_or_rule_pack(tmp_path, files, args, needle):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run("check", WORKS, *args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert needle in result.stderr and "Traceback" not in result.stderr
    assert len(lines) == 1 or "用法" in result.stderr  # click's usage block (checker/clickzh.py: in Chinese)


def test_exit_2_comes_before_reading_the_document(tmp_path):
    (tmp_path / "tendercheck.toml").write_text("nope = 1\n", encoding="utf-8")
    result = run("check", ROOT / "tests" / "fixtures" / "bad" / "scanned.pdf")
    assert result.exit_code == 2 and "nope" in result.stderr


def test_unreadable_document_is_3_or_more():
    result = run("check", ROOT / "tests" / "fixtures" / "bad" / "truncated.pdf", "--format", "sarif")
    assert result.exit_code == 3 and "[corrupt]" in result.stderr


def test_readme_documents_every_exit_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| (\d+) \| (.+?) \|$", readme, re.M))
    assert {int(k) for k in table} == {0, 1, 2, EXIT_INTERNAL} | {e.exit_code for e in INPUT_ERRORS}
    assert "CI gate for trading platforms" in readme


# ------------------------------------------------------------------------------------------------------ configuration


def test_config_found_upward_disables_and_overrides(tmp_path, monkeypatch, works_report):
    ids = {f["rule_id"] for f in works_report["findings"]}
    assert {"PROC-SITE-VISIT", "SC-UNQUANTIFIED", "DQ-SCALE-CONDITIONS"} <= ids
    (tmp_path / "tendercheck.toml").write_text(
        "[rules]\ndisable = ['PROC-SITE-VISIT', 'scoring']\nenable = []\n"
        "[rules.severity]\nDQ-SCALE-CONDITIONS = 'info'\n", encoding="utf-8")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    report = report_of(run("check", WORKS, "--format", "json"))
    got = {f["rule_id"] for f in report["findings"]}
    assert "PROC-SITE-VISIT" not in got and not any(r.startswith("SC-") for r in got)
    assert {f["severity"] for f in report["findings"] if f["rule_id"] == "DQ-SCALE-CONDITIONS"} == {"info"}
    disabled = {r["rule_id"]: r for r in report["results"] if r["reason"] == "已在配置中停用"}
    assert "PROC-SITE-VISIT" in disabled and "SC-UNQUANTIFIED" in disabled
    assert report["config"] == str(tmp_path / "tendercheck.toml")
    assert "+local." in report["rulepack_version"] and report["rulepack_version"] != works_report["rulepack_version"]


def test_rule_named_in_enable_beats_its_pack_in_disable(tmp_path):
    (tmp_path / "tendercheck.toml").write_text(
        "[rules]\ndisable = ['scoring']\nenable = ['SC-UNQUANTIFIED', 'qualification', 'bond', 'procedure', "
        "'technical']\n", encoding="utf-8")
    got = {f["rule_id"] for f in report_of(run("check", WORKS, "--format", "json"))["findings"]}
    assert "SC-UNQUANTIFIED" in got and "SC-LOCAL-PRESENCE-SCORE" not in got


def test_enable_is_an_allow_list(tmp_path):
    (tmp_path / "tendercheck.toml").write_text("[rules]\nenable = ['bond']\n", encoding="utf-8")
    got = {f["rule_id"] for f in report_of(run("check", WORKS, "--format", "json"))["findings"]}
    assert got and all(r.startswith("BOND-") for r in got)


def test_pyproject_table_and_config_fail_on(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n[tool.tendercheck]\nfail_on = 'info'\n"
                                             "[tool.tendercheck.rules]\nenable = ['SC-UNQUANTIFIED']\n",
                                             encoding="utf-8")
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    result = run("check", WORKS, "--format", "json")  # one warning-level finding; fail_on = info makes it fail
    assert [f["rule_id"] for f in report_of(result)["findings"]] == ["SC-UNQUANTIFIED"]
    assert result.exit_code == 1
    assert run("check", WORKS, "--fail-on", "error").exit_code == 0  # the command line wins over the file


def test_explicit_config_and_paths_relative_to_it(tmp_path):
    conf = tmp_path / "conf"
    (conf / "templates").mkdir(parents=True)
    (conf / "templates" / "model.docx").write_bytes(b"x")
    (conf / "local.toml").write_text("default_template = 'templates/model.docx'\n"
                                     "[templates]\n'资格预审文件' = 'templates/model.docx'\n", encoding="utf-8")
    config = load_config(conf / "local.toml")
    assert config.template_for("招标文件", "工程") == conf / "templates" / "model.docx"
    # The configured template is used: this one is no model document with a spec, which is a usage error.
    result = run("check", WORKS, "--config", conf / "local.toml")
    assert result.exit_code == 2 and "规格文件" in result.stderr


def test_params_must_be_declared_by_a_numeric_rule():
    rule = SimpleNamespace(id="BOND-PERF-CAP", compare=[SimpleNamespace(param="bond_perf_cap", right=None)])
    assert split_params(Config(), {"bond_perf_cap": 5}, [rule], []) == ({"bond_perf_cap": 5}, {})
    with pytest.raises(ConfigError, match="params.bond_perf_capp"):
        split_params(Config(), {"bond_perf_capp": 5}, [rule], [])
    with pytest.raises(ValidationError, match="必须是数值"):
        Config(params={"bond_perf_cap": "five percent"})


def test_params_reach_the_numeric_rules(tmp_path, works_report):
    from checker.rules.registry import declared_params
    from checker.rules.loader import load_pack

    if not any("bond_quality_cap" in declared_params(r) for r in load_pack().rules):
        pytest.skip("no numeric rule declares bond_quality_cap in this rule pack")
    assert any(f["rule_id"] == "BOND-QUALITY-CAP" for f in works_report["findings"])  # 5 % against the national 3 %
    (tmp_path / "tendercheck.toml").write_text("[params]\nbond_quality_cap = 6\n", encoding="utf-8")
    report = report_of(run("check", WORKS, "--format", "json"))
    assert not any(f["rule_id"] == "BOND-QUALITY-CAP" for f in report["findings"])
    assert "+local." in report["rulepack_version"]


def test_extra_rule_directory(tmp_path):
    src = ROOT / "rules" / "procedure" / "PROC-SITE-VISIT.yaml"
    local = tmp_path / "local"
    local.mkdir()
    text = src.read_text(encoding="utf-8").replace("id: PROC-SITE-VISIT", "id: LOCAL-SITE-VISIT", 1)
    (local / "LOCAL-SITE-VISIT.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "tendercheck.toml").write_text("rule_dirs = ['local']\n", encoding="utf-8")
    got = {f["rule_id"] for f in report_of(run("check", WORKS, "--format", "json"))["findings"]}
    assert {"LOCAL-SITE-VISIT", "PROC-SITE-VISIT"} <= got
    (local / "dup.yaml").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")  # same id as a bundled rule
    result = run("check", WORKS)
    assert result.exit_code == 2 and "rule_dirs[0]" in result.stderr


# ----------------------------------------------------------------------------------------------------------- waivers


def _waiver(f: dict, expires: date, **extra) -> dict:
    return {"rule": f["rule_id"], "fingerprint": f["fingerprint"], "reason": "经主管部门同意",
            "approver": "交易中心 张三", "expires": expires.isoformat(), **extra}


def test_waivers_applied_expired_and_unmatched(tmp_path, works_report):
    import yaml

    errors = [f for f in works_report["findings"] if f["severity"] == "error"]
    future, past = date.today() + timedelta(days=30), date.today() - timedelta(days=1)
    waivers = [_waiver(f, future) for f in errors]
    waivers.append({"rule": "DQ-SCALE-CONDITIONS", "fingerprint": "0000000000000000", "reason": "旧条款",
                    "approver": "李四", "expires": future.isoformat()})
    (tmp_path / "tendercheck-waivers.yml").write_text(yaml.safe_dump({"waivers": waivers}, allow_unicode=True),
                                                      encoding="utf-8")
    result = run("check", WORKS, "--format", "json")  # found from the current directory
    report = report_of(result)
    assert result.exit_code == 0, "every error is waived"
    assert all(f["waived"] for f in report["findings"] if f["severity"] == "error")
    assert [w["status"] for w in report["waivers"]].count("unmatched") == 1
    assert "未匹配任何问题" in run("check", WORKS).stdout  # the terminal names it too

    waivers[0]["expires"] = past.isoformat()  # one expires: its finding counts again
    (tmp_path / "w.yml").write_text(yaml.safe_dump(waivers, allow_unicode=True), encoding="utf-8")
    result = run("check", WORKS, "--format", "json", "--waivers", "w.yml")
    report = report_of(result)
    assert result.exit_code == 1
    assert report["waivers"][0]["status"] == "expired" and report["waivers"][0]["matched"] >= 1
    live = [f for f in report["findings"] if not f["waived"] and f["severity"] == "error"]
    assert [f["fingerprint"] for f in live] == [errors[0]["fingerprint"]] * len(live)
    text = run("check", WORKS, "--waivers", "w.yml").stdout
    assert "过期" in text and "已豁免" in text


def test_waiver_by_clause_text(tmp_path, works_report):
    site = next(f for f in works_report["findings"] if f["rule_id"] == "PROC-SITE-VISIT")
    (tmp_path / "w.yml").write_text(
        f"waivers:\n  - rule: PROC-SITE-VISIT\n    clause: '{site['matched'][0]}'\n    reason: 复杂地质条件\n"
        f"    approver: 王五\n    expires: 2999-12-31\n", encoding="utf-8")
    report = report_of(run("check", WORKS, "--format", "json", "--waivers", "w.yml"))
    waived = [f for f in report["findings"] if f["waived"]]
    assert [f["rule_id"] for f in waived] == ["PROC-SITE-VISIT"] and report["waivers"][0]["status"] == "applied"


# ---------------------------------------------------------------------------------------------------------- baseline


def test_baseline_reports_only_new_findings(tmp_path, works_report):
    full = works_report["findings"]
    (tmp_path / "all.json").write_text(json.dumps(works_report, ensure_ascii=False), encoding="utf-8")
    result = run("check", WORKS, "--format", "json", "--baseline", "all.json")
    assert result.exit_code == 0 and report_of(result)["findings"] == []
    assert report_of(result)["baseline"] == {"path": "all.json", "known": len(full), "gone": 0}

    errors = [f for f in full if f["severity"] == "error"]
    older = dict(works_report, findings=[f for f in full if f["fingerprint"] != errors[0]["fingerprint"]])
    (tmp_path / "older.json").write_text(json.dumps(older, ensure_ascii=False), encoding="utf-8")
    result = run("check", WORKS, "--format", "json", "--baseline", "older.json")
    assert result.exit_code == 1
    assert {f["fingerprint"] for f in report_of(result)["findings"]} == {errors[0]["fingerprint"]}


def test_sarif_report_works_as_a_baseline(tmp_path):
    sarif = run("check", WORKS, "--format", "sarif", "--output", "prev.sarif")
    assert sarif.exit_code == 1 and (tmp_path / "prev.sarif").exists()
    result = run("check", WORKS, "--format", "sarif", "--baseline", "prev.sarif")
    assert result.exit_code == 0 and json.loads(result.stdout)["runs"][0]["results"] == []
