"""Punctuation and circled digits decided from the glyph (checker/ingest/ocr_marks.py)."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from checker.ingest import ocr, ocr_marks

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "realdocs"
FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
needs_ocr = pytest.mark.skipif(not ocr.available(), reason=f"OCR unavailable: {ocr.unavailable_reason()}")
needs_real = pytest.mark.skipif(not REAL.exists(), reason=f"the real documents are not at {REAL}")
needs_font = pytest.mark.skipif(not FONT.exists(), reason="no CJK font to draw the glyphs with")


def _typed(text: str, misread: dict):
    """A line of `text` drawn in a CJK serif at 40 px (10 pt at 300 dpi), one word per character with the box of its
    em square, as tesseract gives CJK; `misread` maps positions to what the engine read there instead."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(FONT), 40)
    img = Image.new("L", (60 + 44 * len(text), 100), 255)
    draw = ImageDraw.Draw(img)
    words = []
    for k, ch in enumerate(text):
        x = 30 + 44 * k
        draw.text((x, 30), ch, font=font, fill=0)
        box = draw.textbbox((x, 30), "国", font=font)  # the em square's ink of a full character
        words.append(ocr.Word(misread.get(k, ch), x, box[1], x + 40, box[3], 90))
    return img, [words]


@needs_font
@pytest.mark.parametrize("text, k, read", [
    ("报名时间：九时", 4, "，"),  # a heading's colon read as a comma (r19)
    ("报名时间：九时", 4, "；"),
    ("餐饮服务；食品", 4, "，"),  # a list's semicolon read as a comma (r10)
    ("安装设备，检验", 4, "、"),
    ("储存、加工、烹", 2, "，"),
])
def test_a_misread_mark_is_decided_from_its_glyph(text, k, read):
    img, lines = _typed(text, {k: read})
    ocr_marks.fix_marks(lines, img)
    assert "".join(w.text for w in lines[0]) == text


@needs_font
def test_marks_read_right_stay_and_characters_are_no_marks():
    text = "时间：地点；项目，编号、完"
    img, lines = _typed(text, {})
    ocr_marks.fix_marks(lines, img)
    assert "".join(w.text for w in lines[0]) == text
    img, lines = _typed("项目一", {2: "，"})  # a character read as a mark: no mark's glyph there, the reading stays
    ocr_marks.fix_marks(lines, img)
    assert lines[0][2].text == "，"


@needs_font
def test_a_ring_is_found_and_a_square_is_not():
    img, lines = _typed("对①火灾口国回", {1: "@"})
    rings = ocr_marks.find_rings(lines, img)
    assert [(w.text, ks) for w, ks, _ in rings] == [("@", [0])]


def test_unread_digit_follows_its_sequence_only_when_it_fits():
    assert ocr_marks._in_sequence([1, 2, 3, 4, None, 6, 1, 2, None]) == [1, 2, 3, 4, 5, 6, 1, 2, 3]
    assert ocr_marks._in_sequence([None, 2, None, 7]) == [None, 2, None, 7]  # nothing to count from, or no fit


@needs_ocr
@needs_real
def test_circled_digits_of_a_real_scoring_table_are_read():
    """r10's 评分标准 (p.33): ①–⑥ in table cells, which chi_sim reads as @, 包, 名, 中, 外. Measured: all 16 of the
    page (cell order accuracy of the page 0.949 → 0.973)."""
    pdf = pdfium.PdfDocument(str(next(REAL.glob("r10_*.pdf"))))
    page = pdf[32]
    want = sum(1 for ch in page.get_textpage().get_text_range() if "\u2460" <= ch <= "\u2473")
    image = page.render(scale=300 / 72, grayscale=True).to_pil()
    lines, tables = ocr.page_content(image, 33, 72 / 300)
    text = "".join(ln.text for ln in lines) + "".join(c.text for t in tables for c in t.cells)
    got = [ch for ch in text if "\u2460" <= ch <= "\u2473"]
    assert want == 16 and len(got) >= 14
    assert "".join(unicodedata.normalize("NFKC", ch) for ch in got[:6]) == "123456"


@needs_ocr
@needs_real
def test_a_mark_read_twice_is_one():
    """r19 p.4: 「1、报名时间：2024-12-11 至 2024-12-18」 under its heading 「四、获取磋商文件的时间、地点、方式：」 was read
    「报名时间:，2024-12-11」, the colon's glyph read twice, so TIME-CS-10D and TIME-SALE-PERIOD found no 获取 period on
    the scan (bench/OCR.md). One glyph is one mark: the second reading goes."""
    pdf = pdfium.PdfDocument(str(next(REAL.glob("r19_*.pdf"))))
    image = pdf[3].render(scale=300 / 72, grayscale=True).to_pil()
    lines, _ = ocr.page_content(image, 4, 72 / 300)
    texts = [unicodedata.normalize("NFKC", ln.text).replace(" ", "") for ln in lines]
    heading = next(t for t in texts if "获取磋商文件的时间" in t)
    assert heading.endswith(":"), heading
    assert any(t.startswith("1、报名时间:2024-12-11至2024-12-18") for t in texts), texts


@needs_font
def test_a_range_tilde_is_told_from_yi_by_its_wave():
    img, lines = _typed("分值3～5分", {3: "一"})
    ocr_marks.fix_tildes(lines, img)
    assert "".join(w.text for w in lines[0]) == "分值3~5分"
    img, lines = _typed("第3一5条", {})  # a straight stroke stays what it is
    ocr_marks.fix_tildes(lines, img)
    assert "".join(w.text for w in lines[0]) == "第3一5条"


@needs_font
@pytest.mark.parametrize("text, k, want", [
    ("给予10%—20%的扣除", 5, "—"),  # an em dash read as 一 (r19's 价格扣除 range)
    ("给予10%一20%的扣除", 5, "一"),  # a real 一 there: its serif end swells, it stays
    ("第1一2页", 2, "一"),
])
def test_a_dash_is_told_from_yi_by_its_even_stroke(text, k, want):
    image, lines = _typed(text, {k: "一"})
    ocr_marks.fix_dashes(lines, image)
    assert "".join(w.text for w in lines[0])[k] == want


@needs_font
def test_yi_beside_no_number_is_not_looked_at():
    image, lines = _typed("统一—规定", {2: "一"})
    ocr_marks.fix_dashes(lines, image)
    assert "".join(w.text for w in lines[0]) == "统一一规定"


@needs_font
@pytest.mark.parametrize("text, k, want", [
    ("标识“★”的产品", 3, "★"),  # r07: chi_sim read it 紊
    ("▲交货期三十日", 0, "▲"),
])
def test_a_star_or_a_triangle_is_found_in_its_glyph(text, k, want):
    from checker.ingest import ocr_stars

    image, lines = _typed(text, {k: "紊"})
    for w in lines[0]:
        w.conf = 0 if w.text == "紊" else 90
    ocr_stars.fix_stars(lines, image)
    assert "".join(w.text for w in lines[0])[k] == want


@needs_font
def test_characters_and_filled_squares_are_no_stars():
    from checker.ingest import ocr_stars

    text = "■国回图困固囚口日田由甲申电黑墨鼎齉爨"
    image, lines = _typed(text, {})
    for w in lines[0]:
        w.conf = 0
    ocr_stars.fix_stars(lines, image)
    assert "".join(w.text for w in lines[0]) == text


@needs_font
@pytest.mark.parametrize("text, k, read, want", [
    ("费率×55%", 2, "义", "×"),  # r07's 评标价 formula
    ("万元×1.5%", 2, "X", "×"),  # r24
    ("具有意义的", 3, "义", "义"),  # 义 itself: its dot is off the diagonals
    ("某XX公司", 1, "X", "X"),  # a placeholder: beside a Latin letter, not looked at
])
def test_a_times_sign_is_told_from_x_and_yi_by_its_glyph(text, k, read, want):
    from checker.ingest import ocr_stars

    image, lines = _typed(text, {k: read})
    ocr_stars.fix_times(lines, image)
    assert "".join(w.text for w in lines[0])[k] == want
