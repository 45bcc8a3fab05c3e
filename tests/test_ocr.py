"""OCR of scanned pages and image files (checker/ingest/ocr.py). Needs Debian's tesseract-ocr and tesseract-ocr-chi-sim
(.ci/run installs them); without them the OCR tests skip and the contract of a missing engine is tested instead."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from rapidfuzz.distance import Levenshtein

import cli
from checker.findings import Finding
from checker.ingest import ocr, ocr_tables, parse
from checker.models import Location
from checker.pipeline import OCR_TRUSTED, _mark_ocr
from checker.rules.schema import Severity

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "fixtures" / "bad"
REAL = ROOT.parent / "shared" / "realdocs"

needs_ocr = pytest.mark.skipif(not ocr.available(), reason=f"OCR unavailable: {ocr.unavailable_reason()}")
needs_real = pytest.mark.skipif(not REAL.exists(), reason=f"the real documents are not at {REAL} (CI keeps ../shared)")


@pytest.fixture(autouse=True)
def default_settings():
    ocr.configure(mode="auto", page_timeout=60, progress=False)
    yield
    ocr.configure(mode="auto", page_timeout=60, progress=False)


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def run(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


# ------------------------------------------------------------------------------------------ without the engine too


def _finding(severity: Severity, clause_id: str = "c1") -> Finding:
    return Finding(rule_id="X", title="t", severity=severity, stage="S1", stage_name="s", message="m", suggestion="s",
                   basis=[], clause_id=clause_id, location=Location(), excerpt="e", fingerprint="f")


def test_low_confidence_text_is_never_illegal():
    unsure, sure, text = _finding(Severity.error, "a"), _finding(Severity.error, "b"), _finding(Severity.error, "c")
    _mark_ocr([unsure, sure, text], {"a": OCR_TRUSTED - 5, "b": OCR_TRUSTED + 5})
    assert unsure.severity is Severity.warning and "OCR" in unsure.values["说明"]
    assert sure.severity is Severity.error and sure.values["OCR识别置信度"] == f"{OCR_TRUSTED + 5:.0f}%"
    assert text.severity is Severity.error and not text.values  # a text-layer clause: untouched


def test_missing_engine_keeps_exit_5_with_one_line(monkeypatch):
    monkeypatch.setattr(ocr, "unavailable_reason", lambda: "未安装 OCR 引擎（tesseract）")
    result = run("check", BAD / "scanned.pdf")
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 5 and len(lines) == 1 and "未安装 OCR 引擎" in lines[0] and "[no-text-layer]" in lines[0]


def test_configuration_sets_the_mode(tmp_path, monkeypatch):
    (tmp_path / "tendercheck.toml").write_text('[ocr]\nmode = "never"\npage_timeout = 5\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("check", BAD / "scanned.pdf")
    assert result.exit_code == 5 and "需要先进行 OCR" in result.stderr  # never: today's message, the engine unasked
    assert ocr.settings.page_timeout == 5
    (tmp_path / "tendercheck.toml").write_text('[ocr]\nmode = "sometimes"\n', encoding="utf-8")
    assert run("check", BAD / "scanned.pdf").exit_code == 2


# ------------------------------------------------------------------------------------------ with the engine


def one_scanned_page(tmp_path) -> Path:
    """Page 1 of scanned.pdf alone: its two pages are the same text at the same place, which the running-line
    removal rightly takes for a header and footer."""
    out = pdfium.PdfDocument.new()
    out.import_pages(pdfium.PdfDocument(str(BAD / "scanned.pdf")), [0])
    out.save(str(tmp_path / "scan1.pdf"))
    return tmp_path / "scan1.pdf"


@needs_ocr
def test_scanned_pdf_parses_into_clauses_with_confidence(tmp_path):
    doc = parse(one_scanned_page(tmp_path))
    text = fold("".join(c.text for c in doc.clauses))
    assert "投标人须具备独立法人资格" in text and "2025年3月18日" in text
    assert any(c.number == "第一章" for c in doc.clauses)  # the heading is a heading, as in a text PDF
    assert all(c.ocr_confidence is not None and 0 < c.ocr_confidence <= 100 for c in doc.clauses)
    assert [i.problem for i in doc.coverage.problem_pages].count("ocr") == 1


@needs_ocr
def test_image_file_is_read_like_a_scanned_page(tmp_path):
    pdf = pdfium.PdfDocument(str(BAD / "scanned.pdf"))
    image = pdf[0].render(scale=200 / 72).to_pil()
    image.save(tmp_path / "scan.tif", dpi=(200, 200))
    doc = parse(tmp_path / "scan.tif")
    assert doc.source.format.value == "image" and doc.source.page_count == 1
    assert "投标人须具备独立法人资格" in fold("".join(c.text for c in doc.clauses))
    assert all(c.ocr_confidence is not None for c in doc.clauses)


@needs_ocr
def test_image_without_text_is_exit_5():
    result = run("parse", BAD / "image.png")  # a red square
    assert result.exit_code == 5 and "OCR 未能识别出文字" in result.stderr


@needs_ocr
def test_only_pages_without_text_are_read_by_ocr(tmp_path, monkeypatch):
    mixed = pdfium.PdfDocument.new()
    for name in ("ok.pdf", "scanned.pdf"):
        src = pdfium.PdfDocument(str(BAD / name))
        mixed.import_pages(src, [0])
    mixed.save(str(tmp_path / "mixed.pdf"))
    calls = []
    real = ocr.run_tesseract
    monkeypatch.setattr(ocr, "run_tesseract", lambda png, timeout=None, **kw: calls.append(1) or real(png, timeout, **kw))
    doc = parse(tmp_path / "mixed.pdf")
    assert len(calls) == 1
    assert {c.location.page for c in doc.clauses if c.ocr_confidence is not None} == {2}
    assert any(c.location.page == 1 and c.ocr_confidence is None for c in doc.clauses)


@needs_ocr
def test_page_over_the_time_limit_is_reported_not_hung(tmp_path, monkeypatch):
    (tmp_path / "tendercheck.toml").write_text("[ocr]\npage_timeout = 0.001\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("check", BAD / "scanned.pdf")
    assert result.exit_code == 5 and len(result.stderr.strip().splitlines()) == 1


@needs_ocr
def test_never_keeps_the_old_contract_for_images():
    assert run("parse", BAD / "image.png", "--ocr", "never").exit_code == 8


@needs_ocr
@needs_real
def test_rendered_real_page_reaches_97_percent():
    """The body of a real tender's page at 300 dpi against its own text layer (bench/bench_ocr.py measures more)."""
    pdf = pdfium.PdfDocument(str(next(REAL.glob("r02_*.pdf"))))
    page = pdf[1]
    image = page.render(scale=300 / 72, grayscale=True).to_pil()
    truth = fold(page.get_textpage().get_text_range())
    lines = ocr.page_lines(image, 2, 72 / 300)
    got = fold("".join(ln.text for ln in lines))
    assert len(truth) > 200
    assert 1 - Levenshtein.distance(truth, got) / len(truth) >= 0.97


@needs_ocr
@needs_real
def test_real_scanned_tender_notice_reads_like_a_text_one():
    """r27 is a 4-page 公开招标公告 printed from the 中国政府采购网 page and scanned (no text layer at all)."""
    from checker.pipeline import Checker

    doc = parse(REAL / "r27_svc_yangshan_scanned.pdf")
    headings = [c.number for c in doc.clauses if c.kind.value == "heading" and c.level == 0]
    assert headings[:6] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert len(doc.clauses) >= 60 and {"资格条件", "须知正文"} <= {c.zone for c in doc.clauses}
    report = Checker().check(doc)
    assert report.document.regime == "政府采购" and report.document.procedure == "公开招标"
    ran = [r for r in report.results if r.outcome.value in ("flag", "no_flag")]
    assert len(ran) >= 30  # the rules run on it as on a text document


@needs_ocr
def test_batch_scan_reads_a_scan_in_the_pool(tmp_path):
    import sqlite3

    from checker.batch import ScanOptions, scan

    docs = tmp_path / "docs"
    docs.mkdir()
    one_scanned_page(tmp_path).rename(docs / "scan.pdf")
    scan(ScanOptions(inputs=[str(docs)], db=str(tmp_path / "r.sqlite"), workers=1, timeout=120, progress=False))
    with sqlite3.connect(tmp_path / "r.sqlite") as db:
        rows = db.execute("SELECT status, pages FROM results").fetchall()
    assert rows == [("ok", 1)]


def test_ruled_grid_in_an_image_is_a_table_and_an_underline_is_not():
    from PIL import Image, ImageDraw

    img = Image.new("L", (1200, 900), 255)
    draw = ImageDraw.Draw(img)
    for y in (100, 200, 300, 400):  # 3 rows
        draw.line((100, y, 1000, y), fill=0, width=3)
    for x in (100, 400, 1000):  # 2 columns
        draw.line((x, 100, x, 400), fill=0, width=3)
    draw.line((100, 700, 900, 700), fill=0, width=3)  # a blank to fill in, far from the grid
    boxes = ocr_tables.find_cells(img, 72 / 300)
    assert len(boxes) == 6 and len({b[4] for b in boxes}) == 1
    assert all(b[3] <= 400 * 72 / 300 + 3 for b in boxes)  # the underline is no row of it


@needs_ocr
@needs_real
def test_real_scanned_table_keeps_its_cells():
    """r19's 须知前附表 page rendered as a scan: number, label and value cells side by side, as in the text PDF
    (pdf_tables gives its text layer 3 columns too; the rules' ends are followed to the pixel, so none is lost)."""
    pdf = pdfium.PdfDocument(str(next(REAL.glob("r19_*.pdf"))))
    image = pdf[6].render(scale=300 / 72, grayscale=True).to_pil()
    _, tables = ocr.page_content(image, 7, 72 / 300)
    assert tables and tables[0].ncols == 3 and tables[0].conf is not None
    cells = {(c.row, c.col): fold(c.text) for c in tables[0].cells}
    assert cells[(1, 0)] == "17" and cells[(1, 1)] == "磋商时间和地点" and cells[(1, 2)] == "另行约定"
    row = next(r for (r, col), text in cells.items() if col == 1 and text == "评标方法")
    assert cells[(row, 2)] == "综合评标法"


@pytest.mark.parametrize("read, meant", [
    ("第一章”投标邀请", "第一章 投标邀请"),  # the gap after a chapter number read as a quote mark (r10)
    ("第一章“”竞争性磋商公告", "第一章 竞争性磋商公告"),  # r19
    ("第三章“投标人须知”说明", "第三章“投标人须知”说明"),  # a real quotation stays
    ("第一草招标公告", "第一章招标公告"),
    ("第一章 投标邀请 .sse sssssssss", "第一章 投标邀请 ……"),  # a dot leader: a contents line
    ("草案第一草稿", "草案第一草稿"),  # 草 elsewhere stays
    ("预算金额〈元)", "预算金额(元)"),  # chi_sim's 〈 for an opening parenthesis
    ("报价《如有)未超过", "报价(如有)未超过"),  # and its 《 (r02)
    ("《政府采购法》(2014)", "《政府采购法》(2014)"),  # a book title stays
    ("〈以合同签订日期为准，", "(以合同签订日期为准，"),  # a cell's parenthesis closing on its next line
    ("《中华人民共和国政府", "《中华人民共和国政府"), ("平台《(华阳新材料)", "平台(华阳新材料)"),  # a book title wrapped: no ) closes it
    ("报名时间：2024一12一11", "报名时间：2024-12-11"),  # a date's hyphen read as 一
    ("每项得3一5分", "每项得3~5分"), ("第一章一般规定", "第一章一般规定"),
    ("价格分=100X(1-偏差率)", "价格分=100×(1-偏差率)"), ("XX公司", "XX公司"),
    ("最高得$分", "最高得5分"), ("US$100", "US$100"),
    ("〈标题〉", "〈标题〉"),  # a real angle bracket pair stays
    ("投标截止时间: _2026年01月20日10点-00分", "投标截止时间: 2026年01月20日10点00分"),  # an underline under filled text
    ("1.2025年12月31日至2026年01月07日，每天_09:00至11:30", "1. 2025年12月31日至2026年01月07日，每天09:00至11:30"),
    ("金额：______元", "金额：______元"),  # an empty blank stays a blank
])
def test_heading_misreadings_are_fixed_and_nothing_else(read, meant):
    assert ocr._fix(read) == meant


def test_a_speck_read_as_a_second_mark_is_dropped():
    assert ocr._clean_word(":，", 44) == ":" and ocr._clean_word(":，", 90) == ":，"
    assert ocr._clean_word("|", 96) == "" and ocr._clean_word("“”", 17) == "" and ocr._clean_word("“", 93) == "“"


@needs_ocr
def test_garbled_text_layer_is_read_by_ocr_like_its_clean_twin():
    """cid_garbage.pdf is ok.pdf without its fonts' ToUnicode maps: exit 6 before OCR, now the same chapter."""
    clean, garbled = parse(BAD / "ok.pdf"), parse(BAD / "cid_garbage.pdf")
    assert garbled.coverage.chapters == clean.coverage.chapters == ["第一章 招标公告"]
    assert all(c.ocr_confidence is not None for c in garbled.clauses)


@pytest.mark.parametrize("read, meant", [
    ("投标:口是■否", "投标:□是■否"),  # a choice's box after a colon (r10)
    ("□允许口不允许", "□允许□不允许"),  # after another box of the same choice (r05 STD-BLANKS-UNFILLED)
    ("■不组织口组织", "■不组织□组织"),
    ("项目属性■服务/口货物", "项目属性■服务/□货物"),  # r24
    ("口本项目不组织", "□本项目不组织"),  # a line opening with a choice
    ("进出口贸易", "进出口贸易"), ("■是出口产品", "■是出口产品"),  # 口 in a word stays
    ("四不允许", "☑不允许"), ("加不接受", "☑不接受"), ("四是加强管理", "四是加强管理"),  # ☑ (r05)
    ("口径一致", "口径一致"), ("口岸", "口岸"), ("口贸易代理", "口贸易代理"),  # a line may open with 口 wrapped from 出
])
def test_open_check_boxes_are_told_from_kou(read, meant):
    assert ocr._fix(read) == meant


def test_filled_check_box_is_told_from_guo_by_its_ink():
    from PIL import Image, ImageDraw, ImageFont

    from checker.ingest import ocr_glyphs

    img = Image.new("L", (200, 60), 255)
    draw = ImageDraw.Draw(img)
    draw.rectangle((10, 10, 50, 50), fill=0)  # ■
    font_path = next((p for p in ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                                  "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc") if Path(p).exists()), None)
    if font_path:
        draw.text((60, 6), "国", font=ImageFont.truetype(font_path, 44), fill=0)
    words = [[ocr.Word("国", 10, 10, 51, 51, 40), ocr.Word("国" if font_path else "是", 60, 10, 104, 54, 95)]]
    ocr_glyphs.fix_filled_boxes(words, img)
    assert words[0][0].text == "■" and words[0][1].text in ("国", "是")


def test_a_red_seal_fades_and_red_print_stays():
    """Model texts print filled-in values in red (r10's 预算金额 82.5): that is text. A seal is a red blob over an
    inch across: only there the red fades (ocr_image)."""
    from PIL import Image, ImageDraw, ImageFont

    from checker.ingest import ocr_image

    img = Image.new("RGB", (2400, 1200), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 42) \
        if Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists() else None
    draw.text((100, 100), "82.5 " * 12, fill=(230, 20, 20), font=font)  # a red line of print, 0.15 in high
    draw.ellipse((1500, 500, 1980, 980), outline=(220, 30, 30), width=12)  # a 1.6 in seal ring
    draw.regular_polygon((1740, 740, 80), 5, fill=(220, 30, 30))
    out = ocr_image.prepare(img, 300)
    assert out.mode == "L"
    assert out.crop((100, 100, 800, 150)).getextrema()[0] < 120  # the red print stays dark
    assert out.crop((1500, 500, 1980, 980)).getextrema()[0] > 150  # the seal is gone


def test_skew_is_measured_and_undone():
    from PIL import Image, ImageDraw

    from checker.ingest import ocr_image

    img = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(img)
    for y in range(200, 2000, 60):  # lines of "text": short dark dashes along a row
        for x in range(150, 1550, 40):
            draw.rectangle((x, y, x + 28, y + 22), fill=0)
    turned = img.rotate(1.2, fillcolor=255)
    assert abs(ocr_image.skew(turned, 200) + 1.2) <= 0.1
    assert abs(ocr_image.skew(img, 200)) < ocr_image.MIN_SKEW


def _office_scan(image):
    """What a cheap office scanner does to a page: a red seal, speckle, a 0.7° skew, blur, JPEG."""
    import io

    from PIL import Image, ImageDraw, ImageFilter

    img = image.convert("RGB")
    ImageDraw.Draw(img, "RGBA").ellipse((1500, 1500, 1980, 1980), outline=(220, 30, 30, 200), width=10)
    img = Image.blend(img, Image.effect_noise(img.size, 40).convert("RGB"), 0.12)
    img = img.rotate(0.7, resample=Image.BICUBIC, fillcolor="white").filter(ImageFilter.GaussianBlur(0.6))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=70)
    return Image.open(io.BytesIO(buf.getvalue()))


@needs_ocr
@needs_real
@pytest.mark.parametrize("dirty, least", [(False, 0.95), (True, 0.90)])  # measured 0.979 and 0.948
def test_real_table_page_is_read_cell_by_cell(dirty, least):
    """r24's 须知前附表 page (□/■ choices in a 3-column ruled table) at 300 dpi, clean and as an office scan: the
    same grid as the text PDF's tables, and the cells' text against the text layer's, cell by cell."""
    from checker.ingest import pdf_tables
    from checker.ingest.pdf_reader import Page

    pdf = pdfium.PdfDocument(str(next(REAL.glob("r24_*.pdf"))))
    page = pdf[37]
    width, height = page.get_size()
    truth = pdf_tables.find_tables(page, page.get_textpage(), Page(number=38, width=width, height=height))
    image = page.render(scale=300 / 72).to_pil()
    _, tables = ocr.page_content(_office_scan(image) if dirty else image, 38, 72 / 300)
    assert [(t.ncols, len(t.cells)) for t in tables] == [(t.ncols, len(t.cells)) for t in truth]

    def text(ts):
        return fold("".join(c.text for t in ts for c in sorted(t.cells, key=lambda c: (c.row, c.col))))

    want, got = text(truth), text(tables)
    assert "■" in got and "□" in got
    assert 1 - Levenshtein.distance(want, got) / len(want) >= least


def test_a_line_of_print_no_word_covers_is_found_again():
    """r19's bold heading under a table is not in tesseract's output at all; a band of ink of a line's height that
    no word covers is read again (ocr_reread.lines). A rule is no such band, nor a covered line."""
    from PIL import Image, ImageDraw

    from checker.ingest import ocr_image

    img = Image.new("L", (2400, 1000), 255)
    draw = ImageDraw.Draw(img)
    for x in range(200, 1400, 50):  # a line of print, 40 px (9.6 pt) high
        draw.rectangle((x, 300, x + 38, 340), fill=0)
    draw.rectangle((200, 500, 2200, 503), fill=0)  # a rule: 1 pt
    for x in range(200, 1400, 50):
        draw.rectangle((x, 700, x + 38, 740), fill=0)
    covered = [[ocr.Word("已读", 200, 700, 1390, 740, 95)]]
    bands = ocr_image.unread_bands(img, 1000, covered, 72 / 300)
    assert bands == [(200, 300, 1389, 341)]  # the print's extent: x to the last dash's end, y its rows
