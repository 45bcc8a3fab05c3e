"""pdf_tables.find_tables (pdfium lattice) finds the same tables as pdf_reader's pdfplumber path on every page of
every corpus PDF, and of a PDF drawing tables in ways LibreOffice does not: same number of tables, same grid (rows,
columns, spans), same cell texts, same extent, same open_bottom."""
import re
from pathlib import Path

import pytest

pdfplumber = pytest.importorskip("pdfplumber")
import pypdfium2 as pdfium  # noqa: E402

from checker.ingest import pdf_reader  # noqa: E402
from checker.ingest.pdf_tables import find_tables  # noqa: E402
from checker.models import DocFormat, Source  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PDFS = sorted(p for p in CORPUS.glob("*.pdf") if not p.name.startswith("zz_"))
_SPACE = re.compile(r"\s+")


def _plumber_tables(ppage, info: pdf_reader.Page) -> list:
    found = ppage.find_tables(pdf_reader._closing_lines(ppage))
    items = [pdf_reader._table_item(info, t, ppage) for t in found]
    return [t for t in items if t]


def _shape(table) -> list[tuple]:
    # Texts without any whitespace: pdfplumber puts a space or line break where x/y gaps pass its tolerances,
    # pdfium where its own spacing and line detection say so: it keeps U+3000 (pdfplumber gives " "), and sees
    # spaces inside justified lines ("密实度要 求 ：") where pdfplumber sees them elsewhere. Neither is the document's
    # spacing; the segmenter's tidy_extracted normalises both later, as it does for pdfium's body text.
    return sorted((c.row, c.col, c.row_span, c.col_span, _SPACE.sub("", c.text)) for c in table.cells)


def _differences(mine: list, theirs: list) -> list[str]:
    if len(mine) != len(theirs):
        return [f"{len(mine)} tables, pdfplumber {len(theirs)}"]
    out = []
    for k, (a, b) in enumerate(zip(sorted(mine, key=lambda t: t.top), sorted(theirs, key=lambda t: t.top))):
        if abs(a.top - b.top) > 2 or abs(a.bottom - b.bottom) > 2:
            out.append(f"table {k}: top/bottom {a.top:.1f}/{a.bottom:.1f}, pdfplumber {b.top:.1f}/{b.bottom:.1f}")
        if a.ncols != b.ncols:
            out.append(f"table {k}: {a.ncols} columns, pdfplumber {b.ncols}")
        if a.open_bottom != b.open_bottom:
            out.append(f"table {k}: open_bottom {a.open_bottom}, pdfplumber {b.open_bottom}")
        sa, sb = _shape(a), _shape(b)
        if sa != sb:
            only_a, only_b = sorted(set(sa) - set(sb)), sorted(set(sb) - set(sa))
            out.append(f"table {k}: cells only here {only_a[:3]}, only in pdfplumber {only_b[:3]}")
    return out


def _compare(path: Path) -> tuple[list[str], dict[int, list]]:
    """Differences from pdfplumber on every page, and the tables found, by page number."""
    pdf = pdfium.PdfDocument(str(path))
    problems, found = [], {}
    try:
        with pdfplumber.open(str(path)) as plumber:
            for index, ppage in enumerate(plumber.pages):
                page = pdf[index]
                textpage = page.get_textpage()
                try:
                    width, height = page.get_size()
                    info = pdf_reader.Page(number=index + 1, width=width, height=height)
                    found[index + 1] = mine = find_tables(page, textpage, info)
                    problems += [f"page {index + 1}: {d}" for d in _differences(mine, _plumber_tables(ppage, info))]
                finally:
                    textpage.close()
                    page.close()
                    ppage.close()
    finally:
        pdf.close()
    return problems, found


def test_corpus_has_pdfs():
    assert PDFS


@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_same_tables_as_pdfplumber(path):
    problems, found = _compare(path)
    assert not problems, "\n".join(problems)
    assert any(found.values()), "the corpus PDF should hold ruled tables"


def _pdfium_reads_unembedded_cjk(tmp_path: Path) -> bool:
    """Whether pdfium can place the glyphs of a non-embedded CJK font here. Without a CJK system font (a fresh machine:
    fonts-noto-cjk is no pip package; .ci/run installs it) pdfium gives those glyphs no height and drops a one-glyph
    string, while pdfminer keeps both: a difference of the machine's fonts, not of the table reading tested here.
    (Real tender PDFs embed their fonts, as the corpus PDFs do: test_same_tables_as_pdfplumber runs everywhere.)"""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    probe = tmp_path / "probe.pdf"
    c = canvas.Canvas(str(probe), pagesize=(200, 200))
    c.setFont("STSong-Light", 10)
    c.drawString(50, 100, "一")
    c.save()
    pdf = pdfium.PdfDocument(str(probe))
    try:
        textpage = pdf[0].get_textpage()
        if textpage.count_chars() < 1:
            return False
        left, bottom, right, top = textpage.get_charbox(0)
        return top > bottom
    finally:
        pdf.close()


def test_tables_drawn_in_other_ways(tmp_path):
    """Ways of drawing tables that LibreOffice's corpus PDFs do not use: still the same tables as pdfplumber's."""
    if not _pdfium_reads_unembedded_cjk(tmp_path):
        pytest.skip("no CJK system font for pdfium (install fonts-noto-cjk): the drawn PDF's font is not embedded")
    path = tmp_path / "drawn.pdf"
    _draw_tables(path)
    problems, found = _compare(path)
    assert not problems, "\n".join(problems)
    spans = {(c.text, c.row_span, c.col_span) for c in found[1][0].cells}
    assert len(found[1]) == 1 and {("招标人名称与地址合并", 1, 2), ("1.2", 2, 1)} <= spans  # the frame is no table
    assert [len(t.cells) for t in found[2]] == [6, 9]
    assert found[3][0].open_bottom and not found[4][0].open_bottom
    assert found[4][0].cells[1].text.startswith("（续）")
    assert [len(t.cells) for t in found[5]] == [4, 5]


def _draw_tables(path: Path) -> None:
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # a CID font every PDF reader knows: nothing to embed
    c = canvas.Canvas(str(path), pagesize=(595, 842))

    def text(x, y, s):
        c.setFont("STSong-Light", 10)
        c.drawString(x, y, s)

    # 1: borders as thin filled boxes, one per cell side (as Word draws them), two left out: a cell spanning two
    # columns, one spanning two rows. A box around a notice.
    xs, ys = [80, 200, 350, 500], [760, 730, 700, 670, 640]
    for i, y in enumerate(ys):
        for j in range(3):
            if (i, j) != (3, 0):
                c.rect(xs[j], y - 0.25, xs[j + 1] - xs[j], 0.5, stroke=0, fill=1)
    for j, x in enumerate(xs):
        for i in range(4):
            if (i, j) != (1, 2):
                c.rect(x - 0.25, ys[i + 1], 0.5, ys[i] - ys[i + 1], stroke=0, fill=1)
    rows = [["条款号", "条款名称", "编列内容"], ["1.1", "招标人名称与地址合并"], ["1.2", "资金来源", "财政资金"],
            ["", "出资比例", "全额"]]
    for i, row in enumerate(rows):
        for j, s in enumerate(row):
            text(xs[j] + 4, ys[i] - 18, s)
    c.rect(80, 560, 420, 50, stroke=1, fill=0)
    text(90, 580, "注意：这是一个文本框，不是表格。")
    c.showPage()
    # 2: a whole grid in one path; below it, a table of stroked cell rectangles (inner rules drawn twice)
    p = c.beginPath()
    for y in (780, 750, 720, 690):
        p.moveTo(80, y)
        p.lineTo(500, y)
    for x in (80, 220, 500):
        p.moveTo(x, 780)
        p.lineTo(x, 690)
    c.drawPath(p, stroke=1, fill=0)
    for i, row in enumerate([["序号", "内容"], ["1", "一条路径画出整张表"], ["2", "第二行"]]):
        for j, s in enumerate(row):
            text((80, 220)[j] + 4, 762 - 30 * i, s)
    for i in range(3):
        for j, (x0, x1) in enumerate([(80, 180), (180, 340), (340, 500)]):
            c.rect(x0, 600 - 25 * i, x1 - x0, 25, stroke=1, fill=0)
            text(x0 + 4, 608 - 25 * i, f"格{i}{j}")
    c.showPage()
    # 3: at the page foot, a row that breaks onto the next page: no bottom rule, its last line filled to the cell's
    # right edge. A 3 pt rule and a diagonal line in a cell.
    for y in (300, 240):
        c.line(80, y, 500, y)
    for x in (80, 200, 500):
        c.line(x, 300, x, 40)
    c.setLineWidth(3)
    c.line(80, 270, 500, 270)
    c.setLineWidth(1)
    c.line(80, 270, 200, 240)
    for x, y, s in [(84, 282, "项目"), (204, 282, "要求"), (84, 252, "一"), (204, 252, "短"), (84, 222, "二")]:
        text(x, y, s)
    for k in range(8):
        text(204, 222 - 14 * k, "投标人须具备相应资质并提供有效的证明材料复印件并加盖公章")
    c.showPage()
    # 4: the rest of the row: vertical rules from the page top, no top rule
    for x in (80, 200, 500):
        c.line(x, 802, x, 700)
    for y in (760, 730, 700):
        c.line(80, y, 500, y)
    for x, y, s in [(204, 785, "（续）并在开标时出示原件。"), (84, 742, "三"), (204, 742, "其他"), (84, 712, "四"),
                    (204, 712, "无")]:
        text(x, y, s)
    c.showPage()
    # 5: a table inside a form XObject, placed with a translation; a ragged table (its last row narrower)
    c.beginForm("table")
    for y in (100, 70, 40):
        c.line(0, y, 300, y)
    for x in (0, 150, 300):
        c.line(x, 100, x, 40)
    c.endForm()
    c.saveState()
    c.translate(100, 600)
    c.doForm("table")
    c.restoreState()
    for x, y, s in [(104, 680, "表单甲"), (254, 680, "表单乙"), (104, 650, "表单丙"), (254, 650, "表单丁")]:
        text(x, y, s)
    for y in (400, 370, 340):
        c.line(80, y, 500, y)
    c.line(80, 310, 340, 310)
    for x in (80, 340):
        c.line(x, 400, x, 310)
    c.line(500, 400, 500, 340)
    for x, y, s in [(84, 382, "甲"), (344, 382, "乙"), (84, 352, "丙"), (344, 352, "丁"), (84, 322, "戊")]:
        text(x, y, s)
    c.showPage()
    c.save()


def test_a_font_this_machine_cannot_place_is_said(tmp_path):
    """A non-embedded CJK font with no CJK font on the machine loses text silently in pdfium (see above): `parse`
    says so, once, naming the font — and says nothing where the machine has the font. Runs either way."""
    path = tmp_path / "drawn.pdf"
    _draw_tables(path)
    raw = pdf_reader.read_pdf(path, Source(path=str(path), sha256="0" * 64, format=DocFormat.pdf,
                                           size=path.stat().st_size))
    said = [i for i in raw.page_issues if i.problem == "font_not_installed"]
    if _pdfium_reads_unembedded_cjk(tmp_path):
        assert not said
    else:
        assert len(said) == 1 and "STSong-Light" in said[0].detail and "fonts-noto-cjk" in said[0].detail
