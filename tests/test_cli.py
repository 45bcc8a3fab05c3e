"""The command line as a user meets it: exit codes, one-line errors, parse and check output."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "fixtures" / "bad"

BAD_INPUTS = [
    ("empty.pdf", 7, "empty"),
    ("whitespace.txt", 7, "empty"),
    ("encrypted.pdf", 4, "encrypted"),
    ("scanned.pdf", 5, "no-text-layer"),
    ("cid_garbage.pdf", 6, "garbled-text"),
    ("cid_identity.pdf", 6, "garbled-text"),
    ("truncated.pdf", 3, "corrupt"),
    ("corrupt.docx", 3, "corrupt"),
    ("not_really.pdf", 8, "unsupported-type"),
    ("spreadsheet.docx", 8, "unsupported-type"),
    ("image.png", 8, "unsupported-type"),
    ("zip_bomb.docx", 9, "unsafe"),
    ("zip_bomb_deflate.docx", 9, "unsafe"),
    ("xxe.docx", 9, "unsafe"),
]


def run(*args, input=None):
    return CliRunner().invoke(cli.main, list(args), input=input)


@pytest.mark.parametrize("command", ["parse", "check"])
@pytest.mark.parametrize("name,code,tag", BAD_INPUTS)
def test_bad_input_gives_one_line_and_its_exit_code(name, code, tag, command):
    # --ocr never: the contract before OCR, which a platform keeps with it (scans and garbled text are read by OCR
    # otherwise: tests/test_ocr.py).
    result = run(command, str(BAD / name), "--ocr", "never")
    assert result.exit_code == code, (result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tendercheck: ") and f"[{tag}]" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_file_is_a_usage_error():
    result = run("check", str(BAD / "no-such-file.pdf"))
    assert result.exit_code == 2


def test_stdin_needs_a_declared_format():
    result = run("check", "-", input=b"")
    assert result.exit_code == 2 and "--input-format" in result.stderr


def test_check_reads_from_stdin():
    data = (ROOT / "corpus" / "works_tender.pdf").read_bytes()
    result = run("check", "-", "--input-format", "pdf", "--format", "json", input=data)
    report = json.loads(result.stdout)
    assert report["document"]["source"]["format"] == "pdf"
    assert result.exit_code == (1 if any(f["severity"] == "error" for f in report["findings"]) else 0)


def test_parse_json_has_the_clause_tree():
    result = run("parse", str(ROOT / "corpus" / "works_tender.docx"), "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["coverage"]["chapters"][0].startswith("第一章")
    assert any(c["kind"] == "table_cell" for c in doc["clauses"])


def test_check_exit_code_follows_fail_on():
    path = str(ROOT / "corpus" / "works_tender.docx")
    strict = run("check", path, "--fail-on", "info", "--format", "json")
    findings = json.loads(strict.stdout)["findings"]
    assert findings, "the works tender is seeded with violations"
    assert strict.exit_code == 1
    assert run("check", path, "--rules", str(BAD)).exit_code == 0  # an empty rule directory: nothing to find


def test_invalid_rule_pack_is_exit_2(tmp_path):
    (tmp_path / "bad.yaml").write_text("id: NOT-VALID\ntitle: x\n", encoding="utf-8")
    result = run("check", str(ROOT / "corpus" / "works_tender.docx"), "--rules", str(tmp_path))
    assert result.exit_code == 2 and "[rule-pack]" in result.stderr


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice (soffice) is not installed; .ci/run installs it")
def test_real_doc_file_is_converted():
    result = run("parse", str(BAD / "legacy.doc"), "--summary")
    assert result.exit_code == 0, result.stderr
    assert "第一章" in result.stdout


def test_console_script_runs_without_traceback():
    """The installed entry point, in a fresh interpreter, as the README runs it."""
    exe = Path(sys.executable).with_name("tendercheck")
    if not exe.exists():
        pytest.skip("package not installed as a console script")
    proc = subprocess.run([str(exe), "parse", str(BAD / "scanned.pdf"), "--ocr", "never"], capture_output=True,
                          text=True)
    assert proc.returncode == 5 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_check_against_a_model_document():
    model = ROOT / "corpus" / "templates" / "model.docx"
    reworded = run("check", str(ROOT / "corpus" / "templates" / "tender_reworded.pdf"), "--template", str(model),
                   "--format", "json")
    findings = [f for f in json.loads(reworded.stdout)["findings"] if f["rule_id"] == "STD-VERBATIM-SECTIONS"]
    assert findings and all(f["diff"] for f in findings)
    faithful = run("check", str(ROOT / "corpus" / "templates" / "tender_faithful.docx"), "--template", str(model),
                   "--format", "json")
    assert not [f for f in json.loads(faithful.stdout)["findings"] if f["rule_id"].startswith("STD-")]


def test_bundled_structure_spec_runs_by_default_for_works_documents():
    report = json.loads(run("check", str(ROOT / "corpus" / "works_tender.docx"), "--format", "json").stdout)
    results = {r["rule_id"]: r["outcome"] for r in report["results"]}
    assert results["STD-CHAPTER-STRUCTURE"] == "no_flag"
    assert results["STD-VERBATIM-SECTIONS"] == "missing_data"
    gov = json.loads(run("check", str(ROOT / "corpus" / "gp_goods_tender.docx"), "--format", "json").stdout)
    outcomes = {r["rule_id"]: (r["outcome"], r["reason"]) for r in gov["results"]}
    assert outcomes["STD-CHAPTER-STRUCTURE"][0] == "not_applicable" and "示范文本" in outcomes["STD-CHAPTER-STRUCTURE"][1]


def test_internal_errors_are_one_line_with_their_own_code(monkeypatch):
    import checker.pipeline

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(checker.pipeline.Checker, "check", boom)
    result = run("check", str(ROOT / "corpus" / "works_tender.docx"))
    assert result.exit_code == 12 and "[internal]" in result.stderr and "Traceback" not in result.stderr
