"""One Session for every command: the same document through `check`, `project` (a one-document folder) and `scan`
gives the same findings, the same waived findings and the same template findings, because all three build the same
checker.session.Session from the options and the configuration file."""
import json
import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from checker.session import DocumentOptions, Session, SessionOptions

TEMPLATES = Path(__file__).resolve().parents[1] / "corpus" / "templates"
DOC = "tender_reworded.docx"  # three substantive rewordings of the model text (STD-VERBATIM-SECTIONS)
WAIVED = "4484f5c4efe9150e"  # the fingerprint of one of them, printed by `check`


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A directory with a configuration naming the model document as the default template, and a waiver file."""
    root = tmp_path_factory.mktemp("session")
    (root / "d").mkdir()
    shutil.copy(TEMPLATES / DOC, root / "d" / DOC)
    for name in ("model.docx", "model.spec.yaml"):
        shutil.copy(TEMPLATES / name, root / name)
    (root / "tendercheck.toml").write_text('default_template = "model.docx"\n', encoding="utf-8")
    (root / "tendercheck-waivers.yml").write_text(
        f"waivers:\n  - rule: STD-VERBATIM-SECTIONS\n    fingerprint: {WAIVED}\n    reason: 经主管部门书面同意\n"
        "    approver: 交易中心 张三\n    expires: 2099-12-31\n", encoding="utf-8")
    return root


def _run(workspace: Path, *args) -> tuple[int, str]:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(workspace)  # the configuration and the waiver file are found from here, as a user's would be
        result = CliRunner().invoke(cli.main, [str(a) for a in args])
    return result.exit_code, result.stdout


def _seen(findings: list[dict]) -> list[tuple]:
    return sorted((f["rule_id"], f["fingerprint"], f["severity"], (f.get("waived") or {}).get("approver"))
                  for f in findings)


@pytest.fixture(scope="module")
def by_command(workspace) -> dict[str, tuple[int, list[tuple]]]:
    code, out = _run(workspace, "check", Path("d") / DOC, "--format", "json")
    seen = {"check": (code, _seen(json.loads(out)["findings"]))}
    code, out = _run(workspace, "project", "d", "--format", "json")
    (doc,) = json.loads(out)["documents"]
    seen["project"] = (code, _seen(doc["findings"]))
    code, _ = _run(workspace, "scan", "d", "--db", "r.sqlite", "--workers", "1", "--quiet")
    assert code == 0
    with sqlite3.connect(workspace / "r.sqlite") as db:
        ((report, exit_code),) = db.execute("SELECT report_json, exit_code FROM results").fetchall()
    seen["scan"] = (exit_code, _seen(json.loads(report)["findings"]))
    return seen


def test_check_project_and_scan_agree(by_command):
    assert by_command["check"] == by_command["project"] == by_command["scan"]


def test_the_configured_template_and_the_waiver_apply_in_every_command(by_command):
    for command, (code, findings) in by_command.items():
        assert [f[0] for f in findings] == ["STD-VERBATIM-SECTIONS"] * 3, command  # the model text's findings
        assert [f[1] for f in findings if f[3]] == [WAIVED], command  # waived, with the approver, in all three
        assert code == 1, command  # the two findings not waived still fail the gate


def test_options_pickle_and_resolve_for_a_worker(workspace, monkeypatch, tmp_path):
    monkeypatch.chdir(workspace)
    spec = SessionOptions().resolved()
    assert spec.config == str(workspace / "tendercheck.toml")
    assert spec.waivers == str(workspace / "tendercheck-waivers.yml")
    assert pickle.loads(pickle.dumps(spec)) == spec
    # A worker elsewhere (a Dask worker's directory) uses the files the parent found, and finds none of its own.
    (tmp_path / "tendercheck-waivers.yml").write_text("waivers: []\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert Session(spec).waivers_path == str(workspace / "tendercheck-waivers.yml")
    assert Session(SessionOptions().resolved()).waivers_path == str(tmp_path / "tendercheck-waivers.yml")
    bare = SessionOptions(search=False)
    assert Session(bare).waivers_path is None and Session(bare).config.path is None


def test_a_session_without_click(workspace):
    """What a web service does (issue 18): a configuration path and options, no click, no current directory."""
    from checker.ingest import parse

    session = Session.from_config(str(workspace / "tendercheck.toml"), waivers=str(workspace / "tendercheck-waivers.yml"))
    report = session.check(parse(workspace / "d" / DOC), DocumentOptions())
    assert sorted(f.fingerprint for f in report.findings if f.waived) == [WAIVED]
    assert session.fail_on == "error"


def test_a_baseline_applies_in_every_command(workspace, tmp_path):
    """A previous report as --baseline leaves out what it knows, whichever command reads it; a project report can be
    the baseline too (its documents' findings count)."""
    code, out = _run(workspace, "project", "d", "--format", "json")
    baseline = tmp_path / "before.json"
    baseline.write_text(out, encoding="utf-8")
    code, out = _run(workspace, "check", Path("d") / DOC, "--format", "json", "--baseline", baseline)
    assert (code, json.loads(out)["findings"], json.loads(out)["baseline"]["known"]) == (0, [], 3)
    code, out = _run(workspace, "project", "d", "--format", "json", "--baseline", baseline)
    assert code == 0 and json.loads(out)["documents"][0]["findings"] == []
    db = tmp_path / "r.sqlite"
    assert _run(workspace, "scan", "d", "--db", db, "--workers", "1", "--quiet", "--baseline", baseline)[0] == 0
    with sqlite3.connect(db) as con:
        ((report, exit_code),) = con.execute("SELECT report_json, exit_code FROM results").fetchall()
    assert (exit_code, json.loads(report)["findings"]) == (0, [])
