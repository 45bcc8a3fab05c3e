"""The scan of a real document read as its text version is (issue 19: the same findings): what differed in
bench/ocr_parity.py and why it no longer does (bench/OCR.md, round 4)."""
from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from checker.ingest import ocr, parse

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "realdocs"
needs_ocr = pytest.mark.skipif(not ocr.available(), reason=f"OCR unavailable: {ocr.unavailable_reason()}")
needs_real = pytest.mark.skipif(not REAL.exists(), reason=f"the real documents are not at {REAL}")


def _scan(doc: str, pages: list[int], out: Path) -> Path:
    src = pdfium.PdfDocument(str(next(REAL.glob(f"{doc}_*.pdf"))))
    images = [src[i].render(scale=300 / 72, grayscale=True).to_pil() for i in pages]
    images[0].save(out, save_all=True, append_images=images[1:], resolution=300)
    return out


@needs_ocr
@needs_real
def test_a_row_broken_across_a_page_is_one_row_on_the_scan_too(tmp_path):
    """r19 pp.7–8: the 政策功能 row of the 前附表 runs from p.7 onto p.8. The text version joins the two parts
    (pdf_tables' open_bottom); the scan read them as two rows, so 「给予10%—20%…的扣除」 stood without the 联合体
    sentence after it and SC-SME-PRICE-DEDUCTION judged a cut that the text version leaves to the policy quote. The
    range's dash is read as — from its glyph, not as 一."""
    doc = parse(_scan("r19", [6, 7], tmp_path / "scan.pdf"))
    cells = [c.text for c in doc.clauses if c.kind.value == "table_cell" and "10%—20%" in c.text]
    assert cells, [c.text[:60] for c in doc.clauses if "扣除" in c.text]
    assert all("联合体" in t for t in cells)


@needs_ocr
@needs_real
def test_a_cover_emblem_is_no_text(tmp_path):
    """r10 p.1: the emblem under the title came out as nine noise lines (confidence 0–20) that pushed 「项目名称：…
    餐饮服务」 out of the head clauses doctype.classify reads, so the scan was classified 货物 and the text 服务."""
    from checker.doctype import classify

    doc = parse(_scan("r10", [0, 1, 2], tmp_path / "cover.pdf"))  # one page alone is laid out as one block
    assert all(c.ocr_confidence is None or c.ocr_confidence >= 25 for c in doc.clauses if c.kind.value == "paragraph")
    assert classify(doc).procurement == "服务"
