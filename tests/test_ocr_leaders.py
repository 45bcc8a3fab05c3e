"""A contents page's dot leader found in the image (checker/ingest/ocr_leaders.py)."""
from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from checker.ingest import ocr, ocr_leaders

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "realdocs"
FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
needs_ocr = pytest.mark.skipif(not ocr.available(), reason=f"OCR unavailable: {ocr.unavailable_reason()}")
needs_real = pytest.mark.skipif(not REAL.exists(), reason=f"the real documents are not at {REAL}")
needs_font = pytest.mark.skipif(not FONT.exists(), reason="no CJK font to draw the glyphs with")


def _line(left: str, middle: str, right: str):
    """One line drawn at 40 px (10 pt at 300 dpi): `left`, then `middle` over a 600 px gap, then `right`; the words
    as tesseract boxes them (one a CJK character, the middle unread)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 40)
    img = Image.new("L", (1200, 100), 255)
    draw = ImageDraw.Draw(img)
    words, x = [], 30
    for ch in left:
        draw.text((x, 30), ch, font=font, fill=0)
        box = draw.textbbox((x, 30), "国", font=font)
        words.append(ocr.Word(ch, x, box[1], x + 40, box[3], 90))
        x += 44
    draw.text((x + 10, 30), middle, font=font, fill=0)
    x = 30 + 44 * len(left) + 620
    draw.text((x, 30), right, font=font, fill=0)
    box = draw.textbbox((x, 30), right, font=font)
    words.append(ocr.Word(right, box[0], box[1], box[2], box[3], 90))
    return img, [words]


@needs_font
def test_a_row_of_dots_between_a_title_and_its_page_number_is_a_leader():
    image, lines = _line("采购需求", "." * 40, "21")
    ocr_leaders.mark_leaders(lines, image)
    assert "".join(w.text for w in lines[0]) == "采购需求" + ocr_leaders.LEADER + "21"


@needs_font
@pytest.mark.parametrize("middle", ["详见第三章采购需求第", "。。。", "_" * 30, "…" * 2])
def test_words_a_few_marks_or_an_underline_in_the_gap_are_no_leader(middle):
    """Text the engine left unread, a few marks or a blank's underline is no leader (a dashed one, 「------ 21」, is:
    the text layer's contents test, pdf_layout._TOC_LINE, takes six hyphens before a page number as one too)."""
    image, lines = _line("采购需求", middle, "21")
    ocr_leaders.mark_leaders(lines, image)
    assert ocr_leaders.LEADER not in "".join(w.text for w in lines[0])


@needs_ocr
@needs_real
def test_a_real_contents_page_is_read_as_contents_entries():
    """r07 p.2: chi_sim leaves the dotted leaders out and cuts the page into a 「第N章」 column and a 「title page」
    column; each 「第N章」 then opened a chapter and the whole scan fell into the last one listed (评标方法和评标标准),
    so five SC-* rules ran on the scan and not on the text (bench/OCR.md, round 4). Each entry is one line now,
    with its leader."""
    pdf = pdfium.PdfDocument(str(next(REAL.glob("r07_*.pdf"))))
    image = pdf[1].render(scale=300 / 72, grayscale=True).to_pil()
    lines, _ = ocr.page_content(image, 2, 72 / 300)
    entries = [ln.text for ln in lines if ocr_leaders.LEADER in ln.text]
    assert len(entries) >= 5, [ln.text for ln in lines]
    assert sum(t.startswith("第") and "章" in t[:4] for t in entries) >= 4, entries
    assert not any(ln.text.strip() in ("第一章", "第三章", "第四章") for ln in lines)
