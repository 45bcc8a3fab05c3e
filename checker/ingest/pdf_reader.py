"""PDF → RawDocument.

Text comes from pypdfium2 (≈50× faster than pdfplumber, stack-notes §2) line by line with the line's box; ruled
tables come from the page's path objects (pdf_tables.py, tested cell for cell against pdfplumber, which stays
available as the reference). Running headers/footers are recognised as lines in
the top/bottom band whose digit-normalised text repeats across pages; wrapped lines are re-joined into paragraphs by
layout (first-line indent, a line ending short of the right margin, a clause number, a vertical gap); tables that
continue on the next page are merged. Pages are closed as soon as they are read.
"""
from __future__ import annotations

import ctypes
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .. import limits
from ..errors import CorruptFile, EncryptedFile, GarbledText, NoTextLayer
from ..models import Block, Cell, PageIssue, RawDocument, Source
from ..normalize import digit_shape
from ..numbering import split_number
from . import pdf_damage
from .pdf_tables import find_tables
from .symbols import SYMBOL_CODE as _SYMBOL_CODE, is_symbol_code, map_symbol
from .table_shape import is_table

BAND = 0.11  # top/bottom share of the page height where running headers and footers live
MIN_PATHS_FOR_TABLE = 4
MARGIN_LINES = 2  # lines from a page's top and from its bottom that may be a running header or footer
RUNNING_MIN_PAGES = 4  # a band line repeated at one height on this many pages (and on a tenth of them) is running
_PAGE_NUMBER = re.compile(
    r"^[-—–\s]*(第?\s*[0-9]+\s*页?(\s*[/／]\s*[0-9]+|\s*[,，]?\s*共\s*[0-9]+\s*页)?|[0-9]+\s*/\s*[0-9]+|"
    r"page\s*[0-9]+(\s*of\s*[0-9]+)?)[-—–\s]*$",
    re.I,
)
_TOC_LINE = re.compile(r"(\.{4,}|…{2,}|·{4,}|-{6,})\s*[0-9]{1,4}$")  # 第一章 招标公告 ........ 3
_OCR_TOC = re.compile(r"……\S{0,4}$")  # an OCR'd dot leader (ocr.LEADER); the page number is often lost
_END_PUNCT = re.compile(r"[。；;：:！!？?]$")
_GARBAGE = re.compile(r"[\ue000-\uf8ff\ufffd\ufffe\x00-\x08\x0b\x0c\x0e-\x1f]|\(cid:\d+\)")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def _garbage_count(text: str) -> int:
    """Unmapped glyphs show up as private-use or control characters, `(cid:N)`, or — with an Identity-H font and no
    ToUnicode map — as glyph ids read as code points: 'CJK' text made of rare characters. Real tender text is almost
    entirely within GB2312's 6,763 hanzi, so rare hanzi in bulk mean garbage."""
    rare_cjk = "".join(_CJK.findall(text)).encode("gb2312", errors="replace").count(b"?")
    return len(_GARBAGE.findall(text)) + rare_cjk


@dataclass
class Line:
    text: str
    page: int  # 1-based
    x0: float
    x1: float
    top: float  # distance from the page top, so larger is lower on the page (pdfplumber's convention)
    bottom: float
    full: bool = False  # reaches the right edge of its text block: a wrapped line, not a paragraph's last
    conf: Optional[float] = None  # OCR confidence 0–100 (ocr.py); None for a text-layer line

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class TableItem:
    page: int
    top: float
    bottom: float
    ncols: int
    cells: list[Cell]
    open_bottom: bool = False  # at the page foot, a cell of the last row is filled to its right edge
    boxes: list = field(default_factory=list)  # the cells' (x0, top, x1, bottom); empty: the table's full width
    conf: Optional[float] = None  # OCR confidence of the cells' text (ocr.py); None for a text-layer table


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    paths: int = 0
    images: int = 0
    chars: int = 0
    garbage: int = 0
    tables: list[TableItem] = field(default_factory=list)
    symbols: dict = field(default_factory=dict)  # private-use code → Unicode, as mapped on this page (symbols.py)
    layer: Counter = field(default_factory=Counter)  # characters of pdfium's text layer
    dropped: list = field(default_factory=list)  # running header/footer lines removed from this page
    frames: int = 0  # ruled boxes that were not tables (a page frame, a boxed notice)
    ocr: Optional[str] = None  # "done", "timeout", "failed": what OCR made of the page (None: not tried)


def read_pdf(path: Path, source: Source, tables: str = "pdfium", ocr_mode: Optional[str] = None) -> RawDocument:
    """`tables` picks the table extractor: "pdfium" (the lattice in pdf_tables.py, ~4 ms a page), "pdfplumber" (the
    reference it is tested against, ~110 ms a page) or "none" (ruled pages read as text lines: the text path).
    `ocr_mode` (auto/always/never, default ocr.settings.mode): which pages go through OCR (ocr.py)."""
    from . import ocr

    ocr_mode = ocr_mode or ocr.settings.mode
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise EncryptedFile("PDF 已加密（需要打开密码），请提供未加密的文件", str(path)) from None
        raise CorruptFile(f"PDF 文件已损坏或不完整，无法打开（{pdf_damage.pdfium_reason(exc)}）", str(path)) from None
    try:
        limits.check_pages(len(pdf), str(path))  # before reading: 2,000 pages of tiny text took 11 GB (issue 16)
        pages, chars = [], 0
        for i in range(len(pdf)):
            pages.append(_read_page(pdf, i, tables == "pdfium"))
            chars += pages[-1].chars
            limits.check_characters(chars, str(path))
        scanned = [p for p in pages if _needs_ocr(p, ocr_mode)]
        ocr_missing = ocr.unavailable_reason() if scanned else None
        if scanned and not ocr_missing:
            from .ocr import ocr_pdf_pages
            ocr_pdf_pages(pdf, scanned, str(path))
            limits.check_characters(sum(p.chars for p in pages), str(path))
        damage = pdf_damage.inspect(path, pdf, pages)  # what pdfium repaired silently (issue 16)
    except pdfium.PdfiumError as exc:
        raise CorruptFile(f"PDF 页面无法读取，文件可能已损坏（{pdf_damage.pdfium_reason(exc)}）", str(path)) from None
    finally:
        pdf.close()

    source = source.model_copy(update={"page_count": len(pages)})
    issues = _page_issues(pages, str(path), ocr_missing if ocr_mode != "never" else None) + damage
    ruled = [p for p in pages if p.paths >= MIN_PATHS_FOR_TABLE and p.lines]
    if ruled and tables == "pdfplumber":
        _extract_tables(path, ruled)
    _drop_frames(pages)
    # Running lines first, while every page still has all its lines: a header above a table counts on that page too.
    _remove_running_lines(pages)
    for page in ruled:
        page.lines = [ln for ln in page.lines if not any(_inside(ln, t) for t in page.tables)]
    issues += _reading_issues(pages)
    blocks = _to_blocks(pages)
    return RawDocument(source=source, blocks=blocks, page_issues=issues)


# --------------------------------------------------------------------------------------------------- page reading


def _read_page(pdf: pdfium.PdfDocument, index: int, find_tables_here: bool = False) -> Page:
    page = pdf[index]
    try:
        width, height = page.get_size()
        result = Page(number=index + 1, width=width, height=height)
        textpage = page.get_textpage()
        try:
            # pdfium marks a hyphen where a line breaks inside a word with U+FFFE; it is a hyphen (MSCG-2026-G027).
            text = textpage.get_text_range().replace("\ufffe", "-")
            if _SYMBOL_CODE.search(text):
                text = _map_symbols(textpage, text, result.symbols)
            result.chars = len("".join(text.split()))
            result.layer = Counter(text)  # the text layer, to count what the reader loses (_reading_issues)
            _count_objects(page, result)
            result.garbage = _garbage_count(text)
            result.lines = list(_lines(textpage, text, index + 1, height))
            if find_tables_here and result.paths >= MIN_PATHS_FOR_TABLE and result.lines:
                result.tables = find_tables(page, textpage, result)  # while the page is open: no second pass
        finally:
            textpage.close()
        return result
    finally:
        page.close()


def _map_symbols(textpage: pdfium.PdfTextPage, text: str, found: dict) -> str:
    """Wingdings/Symbol glyphs (U+F0xx) by the font that draws each (symbols.py): one character for one, so the
    string's indices stay pdfium's character indices. `found` collects the page's mapping for its table cells,
    whose text pdfium gives without character indices."""
    chars = list(text)
    buffer = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    for i, ch in enumerate(chars):
        if is_symbol_code(ch):
            pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, buffer, len(buffer), flags)
            mapped = map_symbol(ch, buffer.value.decode("latin-1"))
            if mapped:
                chars[i] = mapped
                found.setdefault(ord(ch), mapped)
    return "".join(chars)


def _count_objects(page: pdfium.PdfPage, result: Page) -> None:
    """Path objects (enough of them may be a ruled table) and, on a page without text, images (a scanned page).
    Counting stops once a text page has enough paths: each object costs a few ctypes calls."""
    get_object, get_type = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPageObj_GetType
    path, image = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE
    for i in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        kind = get_type(get_object(page.raw, i))
        if kind == path:
            result.paths += 1
            if result.chars and result.paths >= MIN_PATHS_FOR_TABLE:
                return
        elif kind == image:
            result.images += 1


def _lines(textpage: pdfium.PdfTextPage, text: str, page_no: int, height: float):
    """pdfium's text already comes in visual lines separated by CR LF; the index of each character in that string is
    its index for get_charbox, so two box look-ups per line give the line's extent."""
    start = 0
    n = len(text)
    while start < n:
        end = start
        while end < n and text[end] not in "\r\n":
            end += 1
        segment = text[start:end]
        stripped = segment.strip()
        if stripped:
            first = start + (len(segment) - len(segment.lstrip()))
            last = start + len(segment.rstrip()) - 1
            l0, b0, r0, t0 = textpage.get_charbox(first, loose=True)
            l1, b1, r1, t1 = textpage.get_charbox(last, loose=True)
            top, bottom = height - max(t0, t1), height - min(b0, b1)
            if abs((t0 + b0) - (t1 + b1)) / 2 > max(t0 - b0, t1 - b1):
                # First and last character sit on different lines: pdfium joined two text objects that overlap
                # vertically (a table cell's last line and the heading under the table). Split them.
                yield from _split_line(textpage, text, first, last, page_no, height)
            else:
                yield Line(stripped, page_no, min(l0, l1), max(r0, r1), top, bottom)
        while end < n and text[end] in "\r\n":
            end += 1
        start = end


def _split_line(textpage: pdfium.PdfTextPage, text: str, first: int, last: int, page_no: int, height: float):
    """Lines of the characters first..last, broken where a character's middle leaves the previous one's box."""
    run: list[tuple[str, tuple]] = []

    def emit():
        chars = "".join(ch for ch, _ in run).strip()
        boxes = [b for ch, b in run if not ch.isspace()]
        if chars and boxes:
            yield Line(chars, page_no, min(b[0] for b in boxes), max(b[2] for b in boxes),
                       height - max(b[3] for b in boxes), height - min(b[1] for b in boxes))

    for i in range(first, last + 1):
        ch = text[i]
        box = textpage.get_charbox(i, loose=True)
        if run and not ch.isspace():
            prev = next((b for c, b in reversed(run) if not c.isspace()), None)
            if prev is not None and not prev[1] <= (box[1] + box[3]) / 2 <= prev[3]:
                yield from emit()
                run = []
        run.append((ch, box))
    yield from emit()


def _needs_ocr(page: Page, mode: str) -> bool:
    """auto: a page with no text but something drawn (a scan's image, or text turned into outlines), or whose text
    layer is garbage; always: every page with anything on it; never: none."""
    drawn = page.images or page.paths >= MIN_PATHS_FOR_TABLE
    if mode == "always":
        return bool(drawn or page.chars)
    if mode == "auto":
        return bool(drawn and not page.chars) or (page.chars and page.garbage / page.chars > 0.3)
    return False


def _page_issues(pages: list[Page], path: str, ocr_missing: Optional[str] = None) -> list[PageIssue]:
    total = sum(p.chars for p in pages)
    if pages and total == 0:
        if ocr_missing:
            raise NoTextLayer(f"PDF 没有文字层（可能是扫描件），{ocr_missing}，无法进行 OCR 文字识别", path)
        if any(p.ocr for p in pages):
            raise NoTextLayer("PDF 没有文字层（扫描件），OCR 未能识别出文字", path)
        raise NoTextLayer("PDF 没有文字层（可能是扫描件），需要先进行 OCR 文字识别", path)
    garbage = sum(p.garbage for p in pages)
    if total and garbage / total > 0.3:
        raise GarbledText("PDF 文字无法正确提取（字体缺少字符映射，提取结果为乱码），需要 OCR 或提供原始文档", path)
    from .ocr import ocr_issues
    issues = ocr_issues(pages)
    for p in pages:
        if p.ocr in ("timeout", "failed"):
            continue  # ocr_issues said why the page is unread
        if p.chars == 0:
            detail = "该页只有图像，没有文字层（扫描页），未能检查" if p.images else "空白页"
            issues.append(PageIssue(page=p.number, problem="no_text" if p.images else "blank", detail=detail))
        elif p.garbage / p.chars > 0.3:
            issues.append(PageIssue(page=p.number, problem="garbled_text", detail="该页文字提取为乱码，未能检查"))
            p.lines = []
            p.tables = []
    return issues


# --------------------------------------------------------------------------------------------------- tables


def _extract_tables(path: Path, ruled: list[Page]) -> None:
    import pdfplumber  # imported here: most pages never need it, and it costs 140 ms to import

    with pdfplumber.open(str(path), pages=[p.number for p in ruled]) as plumber:
        for page, ppage in zip(ruled, plumber.pages):
            try:
                found = ppage.find_tables(_closing_lines(ppage))
                for table in found:
                    item = _table_item(page, table, ppage)
                    if item:
                        page.tables.append(item)
            finally:
                ppage.close()


def _drop_frames(pages: list[Page]) -> None:
    """Keep only grids that are tables (table_shape.is_table); the text of the others stays text lines. The part of a
    table that runs onto the next page may hold one column of text (a form's labels): it is kept when it continues a
    kept table, so the DOCX rendition, which sees the table whole, agrees."""
    before: Optional[TableItem] = None  # the previous page's last kept table, if it ended that page's content
    for page in pages:
        kept = []
        for i, table in enumerate(page.tables):
            continues = (i == 0 and before is not None and before.page == page.number - 1
                         and before.ncols == table.ncols)
            if is_table(table.cells) or continues:
                kept.append(table)
            else:
                page.frames += 1
        page.tables = kept
        before = kept[-1] if kept and not any(ln.top > kept[-1].bottom for ln in page.lines
                                               if not _in_band(ln, page)) else None


LOST_MIN = 3  # characters a page may lose before it is reported (a stray glyph pdfium places twice is no loss)


def _reading_issues(pages: list[Page]) -> list[PageIssue]:
    """What `tendercheck parse` should tell a reviewer about the reading itself: pages whose boxes were read as
    text (frames), and characters of pdfium's own text layer that neither a line, a table cell nor a removed running
    line holds."""
    issues: list[PageIssue] = []
    framed = [p.number for p in pages if p.frames]
    if framed:
        issues.append(PageIssue(problem="frames", detail=f"{len(framed)}页有边框或线框（{_page_ranges(framed)}），"
                                                         "不是表格，已按正文读取"))
    for p in pages:
        if not p.layer or (not p.lines and not p.tables):
            continue
        have: Counter = Counter()
        for ln in p.lines + p.dropped:
            have.update(ln.text)
        for t in p.tables:
            for c in t.cells:
                have.update(c.text)
        lost = Counter({ch: n for ch, n in p.layer.items() if not ch.isspace() and ch != "\ufffe"})
        lost.subtract(have)
        lost = +lost
        missing = sum(lost.values())
        if missing >= LOST_MIN:
            sample = "".join(ch for ch, _ in lost.most_common(10))
            issues.append(PageIssue(page=p.number, problem="lost_characters",
                                    detail=f"有{missing}个字符未能读入（如：{sample}）"))
    return issues


def _page_ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] → 第1–3、7页"""
    parts, start = [], numbers[0]
    for a, b in zip(numbers, numbers[1:] + [None]):
        if b != a + 1:
            parts.append(f"{start}–{a}" if a != start else str(a))
            start = b
    return "第" + "、".join(parts) + "页"


def _closing_lines(ppage) -> dict:
    """A row that breaks across pages has no bottom rule on the first page and no top rule on the next, so its
    cells would not close. Close them where the table's vertical rules end."""
    verticals = [e for e in ppage.edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 5]
    if not verticals:
        return {}
    return {"explicit_horizontal_lines": [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)]}


def _inside(line: Line, table: TableItem) -> bool:
    """Whether the table's cells hold the line. Only text in a cell is the table's: a line beside the table, or in
    a hole of its grid that no cell covers, would otherwise be lost with the table's lines."""
    middle = (line.top + line.bottom) / 2
    if not table.top - 1 <= middle <= table.bottom + 1:
        return False
    if not table.boxes:
        return True
    centre = (line.x0 + line.x1) / 2
    return any(x0 - 1 <= centre <= x1 + 1 and top - 1 <= middle <= bottom + 1 for x0, top, x1, bottom in table.boxes)


def _table_item(page: Page, table, ppage) -> Optional[TableItem]:
    texts = table.extract(x_tolerance=1.5)
    boxes = [cell for row in table.rows for cell in row.cells if cell is not None]
    if len(boxes) < 2:
        return None  # a frame around text (a text box, a boxed notice) is not a table
    xs = sorted({round(c[0], 0) for c in boxes})
    ys = sorted({round(c[1], 0) for c in boxes})
    cells: list[Cell] = []
    for r, row in enumerate(table.rows):
        for c, box in enumerate(row.cells):
            if box is None:
                continue  # covered by a merged cell to its left or above
            x0, top, x1, bottom = box
            col = _index(xs, x0)
            row_span = sum(1 for y in ys if top - 1 <= y < bottom - 1)
            col_span = sum(1 for x in xs if x0 - 1 <= x < x1 - 1)
            text = texts[r][c] if r < len(texts) and c < len(texts[r]) else ""
            cells.append(Cell(row=_index(ys, top), col=col, text=text or "", page=page.number,
                              row_span=max(row_span, 1), col_span=max(col_span, 1)))
    x0, top, x1, bottom = table.bbox
    open_bottom = bottom > page.height * 0.8 and any(
        _filled_to_edge(ppage, box) for box in table.rows[-1].cells if box is not None)
    return TableItem(page=page.number, top=top, bottom=bottom, ncols=len(xs), cells=cells,
                     open_bottom=open_bottom)


def _filled_to_edge(ppage, box) -> bool:
    """Whether the last text line in a cell runs to the cell's right edge (so the text goes on after it). Word and
    LibreOffice draw a rule at the page foot even under a row that continues on the next page, so the rule says
    nothing; the text does."""
    chars = ppage.crop(box, strict=False).chars
    if not chars:
        return False
    last_top = max(c["top"] for c in chars)
    last_line = [c for c in chars if abs(c["top"] - last_top) < 2]
    size = max(c["x1"] - c["x0"] for c in last_line)
    return max(c["x1"] for c in last_line) >= box[2] - 2.5 * size


def _index(values: list[float], v: float) -> int:
    return min(range(len(values)), key=lambda i: abs(values[i] - v))


# --------------------------------------------------------------------------------------------------- headers/footers


def _remove_running_lines(pages: list[Page]) -> None:
    """Drop running headers and footers: lines at a page's edge (in the top/bottom band, or among its first or last
    MARGIN_LINES lines wherever they sit) whose digit-normalised text repeats at the edge of at least half the pages
    with text, or of RUNNING_MIN_PAGES pages at the same height; and page-number lines there. A document or model-text
    title printed above the body of every page is such a line even when the page's top margin is deep. Body text
    almost never repeats at the same place on many pages."""
    text_pages = [p for p in pages if p.lines]
    if not text_pages:
        return
    anywhere: Counter[str] = Counter()
    placed: Counter[tuple[str, int]] = Counter()
    edges: dict[int, list[Line]] = {}
    for p in text_pages:
        edge = _edge_lines(p)
        edges[p.number] = edge
        anywhere.update({digit_shape(ln.text) for ln in edge})
        placed.update({(digit_shape(ln.text), _height_slot(ln)) for ln in edge if _in_band(ln, p)})
    needed = max(2, (len(text_pages) + 1) // 2)
    needed_placed = max(RUNNING_MIN_PAGES, len(text_pages) // 10)
    running = {shape for shape, n in anywhere.items() if n >= needed}
    running |= {shape for (shape, _), n in placed.items() if n >= needed_placed}
    for p in text_pages:
        drop = {id(ln) for ln in edges[p.number] if digit_shape(ln.text) in running or _PAGE_NUMBER.match(ln.text)}
        if drop:
            p.dropped = [ln for ln in p.lines if id(ln) in drop]
            p.lines = [ln for ln in p.lines if id(ln) not in drop]


def _edge_lines(page: Page) -> list[Line]:
    ordered = sorted(page.lines, key=lambda ln: ln.top)
    edge = ordered[:MARGIN_LINES] + ordered[-MARGIN_LINES:]
    edge += [ln for ln in ordered[MARGIN_LINES:-MARGIN_LINES] if _in_band(ln, page)]
    seen: set[int] = set()
    return [ln for ln in edge if not (id(ln) in seen or seen.add(id(ln)))]


def _height_slot(line: Line) -> int:
    return round(line.top / 4)


def _in_band(line: Line, page: Page) -> bool:
    return line.bottom <= page.height * BAND or line.top >= page.height * (1 - BAND)


# --------------------------------------------------------------------------------------------------- paragraphs


@dataclass
class _Layout:
    left: float
    right: float
    char: float  # a CJK character's width ≈ the line height of body text
    pitch: float  # normal distance between the tops of two lines of one paragraph


def _layout(lines: list[Line]) -> _Layout:
    if not lines:
        return _Layout(0, 0, 10, 14)
    left = Counter(round(ln.x0) for ln in lines).most_common(1)[0][0]
    # The right margin is where most long lines end (justified text ends its wrapped lines exactly there); a
    # percentile would move with the share of short lines.
    ends = sorted(ln.x1 for ln in lines)
    long_ends = [round(x) for x in ends[len(ends) // 2:]]
    right = float(Counter(long_ends).most_common(1)[0][0]) + 0.5
    # A CJK character's advance is the font size: measure it on lines of (almost) only CJK text. The loose line
    # height is a poor stand-in (about 1.3 × the size).
    widths = [(ln.x1 - ln.x0) / len(ln.text) for ln in lines
              if len(ln.text) >= 8 and len(_CJK_CHAR.findall(ln.text)) >= 0.9 * len(ln.text)]
    char = statistics.median(widths) if widths else (statistics.median(ln.height for ln in lines) or 10) / 1.3
    gaps = [b.top - a.top for a, b in zip(lines, lines[1:]) if a.page == b.page and 0 < b.top - a.top < char * 3]
    pitch = statistics.median(gaps) if gaps else char * 1.5
    return _Layout(left, right, char, pitch)


PAGE_LAYOUT_MIN_LINES = 8  # a page with fewer lines keeps the document's margins


def _page_layout(lines: list[Line], lay: _Layout) -> _Layout:
    """This page's own margins when it has enough text to show them, with the document's character size and pitch.
    Margins differ between parts of a real document (a 300-page annex of requirements typed with deep indents
    outweighs the 60 pages of 须知 in a document-wide count; a section set narrower), and a wrapped line is one
    that reaches its own page's margin. Three lines ending at one x, not far inside the document's width, make a
    justified edge."""
    if len(lines) < PAGE_LAYOUT_MIN_LINES:
        return lay
    page = _layout(lines)
    if sum(1 for ln in lines if abs(ln.x1 - page.right) <= 1.0) < 3 \
            or page.right - page.left < 0.75 * (lay.right - lay.left):
        return lay  # no edge; or the equal ends of a list of equally long items (「五、…」「六、…」), not a margin
    # The left margin only moves out: the commonest start on one page may be a table's label column (x 130 where the
    # text starts at 85), and a margin placed too far right makes right-aligned signature lines look full.
    return _Layout(min(page.left, lay.left), page.right, lay.char, lay.pitch)


def _mark_full_lines(lines: list[Line], lay: _Layout) -> None:
    """A line is full (wrapped, not the last of its paragraph) when it runs from the left margin (or the first-line
    indent) to the right margin; or, inside an indented block such as a text box, when it ends exactly where a nearby
    line of the same block ends — justified text gives a block a right edge of its own. A right-aligned date or
    signature line reaches the margin too, but does not start at the left: it is not full."""
    width = lay.right - lay.left
    for i, ln in enumerate(lines):
        if ln.x1 >= lay.right - 1.5 * lay.char:
            # Up to 1.5 characters short still wraps (a punctuation mark may not open a line, so its neighbour moves
            # down with it) — unless the line ends a sentence short of the margin.
            if _END_PUNCT.search(ln.text) and ln.x1 < lay.right - 0.5 * lay.char:
                continue
            # Leading underlined blanks (合同协议书 forms) push x0 right; a right-aligned date stays narrow.
            ln.full = ln.x0 <= lay.left + 2.5 * lay.char or ln.x1 - ln.x0 >= 0.6 * width
            continue
        if ln.x1 - ln.x0 < 0.5 * width:
            continue  # too narrow to be a text-box line (equal-length list items)
        near = lines[max(0, i - 3):i] + lines[i + 1:i + 4]
        if ln.x0 <= lay.left + lay.char:
            # At the margin, short of it: full only inside a narrower box whose justified lines share a right edge
            # (a 温馨提示 box); two other lines ending there rule out a coincidence.
            # Equally long items of a list end at one x too: a line followed by a numbered one is not wrapped.
            ln.full = not _END_PUNCT.search(ln.text) and sum(
                1 for o in near if abs(o.x1 - ln.x1) <= 1.0 and o.x1 - o.x0 >= 0.5 * width) >= 2 \
                and not (i + 1 < len(lines) and split_number(lines[i + 1].text))
            continue
        ln.full = any(abs(o.x1 - ln.x1) <= 1.0 and o.x0 > lay.left + lay.char and abs(o.x0 - ln.x0) < 3 * lay.char
                      for o in near)


def _starts_paragraph(prev: Line, line: Line, lay: _Layout) -> bool:
    """Does `line` open a new paragraph after `prev`?"""
    if not prev.full:
        return True  # the previous line stopped short: its paragraph ended
    if line.x0 > prev.x0 + 0.3 * lay.char and line.x0 > lay.left + 0.8 * lay.char and not (
            line.x0 <= prev.x0 + 3 * lay.char and split_number(prev.text) and not split_number(line.text)):
        # a first-line indent (a wrapped line starts at or left of the line before it) — unless the line hangs
        # under a numbered item's text (「一、…」 wrapped to the text after 「一、」)
        return True
    if prev.page == line.page and line.top - prev.top > 1.6 * lay.pitch:
        return True
    if split_number(line.text) and _END_PUNCT.search(prev.text):
        return True
    return False


def _to_blocks(pages: list[Page]) -> list[Block]:
    lay = _layout([ln for p in pages for ln in p.lines])
    for p in pages:
        _mark_full_lines(p.lines, _page_layout(p.lines, lay))
    items: list[tuple[int, float, object]] = []
    for p in pages:
        items.extend((p.number, ln.top, ln) for ln in p.lines)
        items.extend((p.number, t.top, t) for t in p.tables)
    items.sort(key=lambda it: (it[0], it[1]))

    blocks: list[Block] = []
    para: list[Line] = []
    prev_table: Optional[TableItem] = None

    def flush() -> None:
        if para:
            blocks.append(Block(kind="paragraph", index=len(blocks), text="\n".join(ln.text for ln in para),
                                page=para[0].page, ocr_confidence=_confidence(para)))
            para.clear()

    for _, _, item in items:
        if isinstance(item, Line) and (_TOC_LINE.search(item.text)
                                       or item.conf is not None and _OCR_TOC.search(item.text)):
            flush()
            blocks.append(Block(kind="paragraph", index=len(blocks), text=item.text, page=item.page, origin="toc"))
            continue
        if isinstance(item, TableItem):
            flush()
            if prev_table and _continues(prev_table, item, blocks):
                _merge_into(blocks[-1], item, may_split_row=prev_table.open_bottom)
            else:
                blocks.append(Block(kind="table", index=len(blocks), page=item.page, cells=item.cells,
                                    ocr_confidence=None if item.conf is None else round(item.conf, 1)))
            prev_table = item
            continue
        if para and _starts_paragraph(para[-1], item, lay):
            flush()
        para.append(item)
        prev_table = None
    flush()
    return blocks


def _confidence(lines: list[Line]) -> Optional[float]:
    """The OCR confidence of a paragraph: its lines' confidences weighted by length (None: text-layer lines)."""
    rated = [(ln.conf, len(ln.text)) for ln in lines if ln.conf is not None]
    if not rated:
        return None
    return round(sum(c * n for c, n in rated) / max(1, sum(n for _, n in rated)), 1)


def _continues(prev: TableItem, table: TableItem, blocks: list[Block]) -> bool:
    """A table at the top of a page continues the table that ended the previous page when the column grid matches."""
    return bool(blocks) and blocks[-1].kind == "table" and table.page == prev.page + 1 and table.ncols == prev.ncols


def _merge_into(block: Block, table: TableItem, may_split_row: bool) -> None:
    rows: dict[int, list[Cell]] = {}
    for cell in table.cells:
        rows.setdefault(cell.row, []).append(cell)
    first_row = [c.text for c in block.cells if c.row == 0]
    offset = max(c.row for c in block.cells) + 1
    kept = sorted(rows)
    if kept and [c.text for c in sorted(rows[kept[0]], key=lambda c: c.col)] == first_row:
        kept = kept[1:]  # the header row repeated on the new page
    merged = list(block.cells)
    if kept and may_split_row and not any(c.col == 0 and c.text.strip() for c in rows[kept[0]]):
        # The part before the break was filled to a cell's edge and this part opens with an empty first column:
        # the tail of a row that Word/LibreOffice broke across the pages.
        merged = _join_split_row(merged, rows[kept[0]])
        kept = kept[1:]
    for i, r in enumerate(kept):
        merged.extend(c.model_copy(update={"row": offset + i}) for c in rows[r])
    block.cells = merged


def _join_split_row(cells: list[Cell], tail: list[Cell]) -> list[Cell]:
    """Append the tail of a row broken by a page break to the cells it continues: for each column, the lowest cell
    of the part before the break that covers that column (a merged cell may cover it from an earlier row)."""
    out = list(cells)
    for piece in tail:
        if not piece.text.strip():
            continue
        covering = [i for i, c in enumerate(out) if c.col <= piece.col < c.col + c.col_span]
        if covering:
            i = max(covering, key=lambda k: out[k].row)
            out[i] = out[i].model_copy(update={"text": out[i].text + "\n" + piece.text})
    return out
