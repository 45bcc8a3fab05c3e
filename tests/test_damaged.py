"""Damaged PDFs never pass as clean (issue 16, defect 4): pdfium opens a byte-damaged file silently and drops the
text after the damage; the checker reports the damage in parse coverage and exits 19 where it would exit 0."""
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

import cli
import hostile
from checker.ingest import pdf_damage

ROOT = Path(__file__).resolve().parents[1]
LINES = [f"Clause {i}: the bidder shall submit the documents listed in section {i} before the deadline."
         for i in range(60)]


def run(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


def test_clean_hand_written_pdf_passes(tmp_path):
    result = run("check", hostile.flate_pdf(tmp_path / "clean.pdf", LINES))
    assert result.exit_code == 0, result.output


def test_damaged_content_stream_is_not_a_pass(tmp_path):
    path = hostile.flate_pdf(tmp_path / "damaged.pdf", LINES, damage=True)
    result = run("check", path)
    assert result.exit_code == 19, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "[damaged]" in lines[0] and str(path) in lines[0]
    parsed = json.loads(run("parse", path, "--summary", "--format", "json").stdout)
    assert [i["problem"] for i in parsed["coverage"]["problem_pages"]] == ["damaged"]


def test_damaged_pdf_with_findings_still_exits_1(tmp_path):
    data = bytearray((ROOT / "corpus" / "works_tender.pdf").read_bytes())
    # Zero 256 bytes in the middle of the longest stream (a font program): text elsewhere, findings too, survive.
    spans = [(m.end(), data.find(b"endstream", m.end())) for m in pdf_damage._STREAM.finditer(data)]
    start, end = max(spans, key=lambda s: s[1] - s[0])
    mid = (start + end) // 2
    data[mid:mid + 256] = bytes(256)
    path = tmp_path / "works_damaged.pdf"
    path.write_bytes(bytes(data))
    result = run("check", path, "--format", "json")
    assert result.exit_code == 1
    assert any(i["problem"] == "damaged" for i in json.loads(result.stdout)["coverage"]["problem_pages"])


@pytest.mark.parametrize("pdf", sorted((ROOT / "corpus").glob("*.pdf")), ids=lambda p: p.name)
def test_intact_pdfs_have_no_broken_stream(pdf):
    broken, total = pdf_damage.broken_flate_streams(pdf.read_bytes())
    assert broken == 0 and total > 0


def test_replacement_glyphs_mark_their_page():
    page = lambda n, text: SimpleNamespace(number=n, lines=[SimpleNamespace(text=text)])  # noqa: E731
    issues = pdf_damage.page_issues([page(1, "正常文字"), page(2, "投标\ufffd\ufffd\ufffd须")])
    assert [(i.page, i.problem) for i in issues] == [(2, "replacement_glyphs")]
