"""Exit codes as promised (issue 16, defect 6): every configuration, waiver, database and parameter error is exit 2
with one line naming the file and the key, never the internal-error code 12."""
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "corpus" / "works_tender.docx"


def run(*args, cwd=None):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


def one_line(result, code=2):
    assert result.exit_code == code, (result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tendercheck: "), lines
    return lines[0]


WAIVER = "waivers:\n  - rule: DQ-LOCAL-REGISTRATION\n    fingerprint: abc\n    reason: 已核实\n    expires: {}\n"


@pytest.mark.parametrize("date", ["2027-02-30", "2027-13-01", "0000-01-01", "2027-01-01T25:00:00"])
def test_impossible_waiver_dates_name_file_and_key(tmp_path, date):
    path = tmp_path / "waivers.yml"
    path.write_text(WAIVER.format(date), encoding="utf-8")
    line = one_line(run("check", DOC, "--waivers", path))
    assert str(path) in line and "waivers 第 1 项的 expires" in line and date in line and "第 5 行" in line


def test_deeply_nested_waivers_and_config(tmp_path):
    waivers = tmp_path / "w.yml"
    waivers.write_text("waivers: " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    assert str(waivers) in one_line(run("check", DOC, "--waivers", waivers))
    config = tmp_path / "tendercheck.toml"
    config.write_text("a = " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    assert str(config) in one_line(run("check", DOC, "--config", config))


@pytest.mark.parametrize("value", ["1e308", "-5", "true", '"5"', "nan"])
def test_params_checked_for_type_and_range(tmp_path, value):
    config = tmp_path / "tendercheck.toml"
    config.write_text(f"[params]\nbond_perf_cap = {value}\n", encoding="utf-8")
    line = one_line(run("check", DOC, "--config", config))
    assert str(config) in line and "bond_perf_cap" in line


def test_a_sensible_param_is_accepted(tmp_path):
    config = tmp_path / "tendercheck.toml"
    config.write_text("[params]\nbond_perf_cap = 0.05\n", encoding="utf-8")
    assert run("check", DOC, "--config", config).exit_code in (0, 1)


@pytest.mark.parametrize("value", ["1e308", "-5", "inf"])
def test_project_param_range(tmp_path, value):
    line = one_line(run("project", tmp_path, "--param", f"bond_perf_cap={value}"))
    assert "bond_perf_cap" in line


def test_corrupt_results_database_is_exit_2(tmp_path):
    db = tmp_path / "results.sqlite"
    db.write_bytes(b"not a database at all " * 200)
    line = one_line(run("scan", DOC, "--db", db, "--no-progress") if "--no-progress" in _scan_opts()
                    else run("scan", DOC, "--db", db))
    assert str(db) in line
    assert str(db) in one_line(run("scan", "--db", db, "--report", tmp_path / "r.html"))


def _scan_opts():
    return run("scan", "--help").output


def test_rule_file_with_an_impossible_date(tmp_path):
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    bad = rules / "qualification" / "X-BAD.yaml"
    bad.write_text("id: X-BAD\neffective: 2027-02-30\n", encoding="utf-8")
    line = one_line(run("check", DOC, "--rules", rules))
    assert str(bad) in line and "effective" in line


@pytest.mark.parametrize("spec", ["pagez=3", "pages=-3", "pages=", "characters=abc"])
def test_limits_variable_is_checked(spec):
    result = CliRunner().invoke(cli.main, ["check", str(DOC)], env={"TENDERCHECK_LIMITS": spec})
    line = one_line(result)
    assert "TENDERCHECK_LIMITS" in line and spec.split("=")[0] in line


def test_unreadable_file_is_refused_before_the_rule_pack_loads(tmp_path, monkeypatch):
    """A wrong-type or empty upload gets its one line from the file's head alone: loading and compiling the pack (a
    second or more) is not paid for a file that cannot be checked."""
    import checker.session

    def no_pack(*args, **kwargs):
        raise AssertionError("the rule pack was loaded for a file that cannot be read")

    monkeypatch.setattr(checker.session, "select_rules", no_pack)
    script = tmp_path / "notes.py"
    script.write_text("print('not a tender')\n", encoding="utf-8")
    assert "unsupported-type" in one_line(run("check", script), code=8)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert "[empty]" in one_line(run("check", empty), code=7)
