"""PDF → RawDocument.

Text comes from pypdfium2 (≈50× faster than pdfplumber, stack-notes §2) line by line with the line's box; ruled
tables come from the page's path objects (pdf_tables.py, tested cell for cell against pdfplumber, which stays
available as the reference); scanned pages go through OCR (ocr.py). The lines become paragraphs and tables in
pdf_layout.py (running headers and footers, wrapped lines, tables across pages). Pages are closed as soon as they are
read. The page model lives in pdf_page.py; its names are re-exported here for the OCR reader.
"""
from __future__ import annotations

import ctypes
import re
from collections import Counter
from pathlib import Path
from typing import Optional

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .. import limits
from ..errors import CorruptFile, EncryptedFile
from ..models import Cell, PageIssue, RawDocument, Source
from . import pdf_damage
from .pdf_layout import (_Layout, _drop_frames, _page_layout, _remove_running_lines,  # noqa: F401 (tests)
                         _to_blocks)
from .page_issues import page_issues
from .pdf_page import MIN_PATHS_FOR_TABLE, Line, Page, TableItem
from .pdf_tables import find_tables
from .symbols import SYMBOL_CODE as _SYMBOL_CODE, is_symbol_code, map_symbol

_GARBAGE = re.compile(r"[\ue000-\uf8ff\ufffd\ufffe\x00-\x08\x0b\x0c\x0e-\x1f]|\(cid:\d+\)")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def _garbage_count(text: str) -> int:
    """Unmapped glyphs show up as private-use or control characters, `(cid:N)`, or — with an Identity-H font and no
    ToUnicode map — as glyph ids read as code points: 'CJK' text made of rare characters. Real tender text is almost
    entirely within GB2312's 6,763 hanzi, so rare hanzi in bulk mean garbage."""
    rare_cjk = "".join(_CJK.findall(text)).encode("gb2312", errors="replace").count(b"?")
    return len(_GARBAGE.findall(text)) + rare_cjk


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
    issues = page_issues(pages, str(path), ocr.ocr_issues(pages), ocr_missing if ocr_mode != "never" else None) + damage
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
            result.unplaced_font = _unplaced_font(page, textpage, text)
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


_PLACED = 0.5  # pt: a placed CJK glyph is points tall; an unplaced one gets a box of about 0.01
_FONT_SCAN = 400  # text objects looked at for a non-embedded font: a page's fonts show in its first objects


def _unplaced_font(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, text: str) -> Optional[str]:
    """The name of a non-embedded font drawing this page's CJK text when pdfium found no font on this machine to
    place it with: its glyphs then have no height, a table cell keeps only its first line and a string of one glyph
    is dropped (a fresh machine has no CJK font; PDFs made by Java platforms with iText's STSong-Light do not embed
    theirs). One char box tells (cheap); the objects are read only then."""
    m = _CJK.search(text)
    if not m:
        return None
    left, bottom, right, top = textpage.get_charbox(m.start())
    if top - bottom >= _PLACED:
        return None
    get_object, get_type = pdfium_c.FPDFPage_GetObject, pdfium_c.FPDFPageObj_GetType
    name = ctypes.create_string_buffer(128)
    for i in range(min(pdfium_c.FPDFPage_CountObjects(page.raw), _FONT_SCAN)):
        obj = get_object(page.raw, i)
        if get_type(obj) != pdfium_c.FPDF_PAGEOBJ_TEXT:
            continue
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        if font and not pdfium_c.FPDFFont_GetIsEmbedded(font):
            pdfium_c.FPDFFont_GetBaseFontName(font, name, len(name))
            return name.value.decode("latin-1") or "未命名字体"
    return None


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


LOST_MIN = 3  # characters a page may lose before it is reported (a stray glyph pdfium places twice is no loss)


def _reading_issues(pages: list[Page]) -> list[PageIssue]:
    """What `tendercheck parse` should tell a reviewer about the reading itself: pages whose boxes were read as
    text (frames), and characters of pdfium's own text layer that neither a line, a table cell nor a removed running
    line holds."""
    issues: list[PageIssue] = []
    unplaced = [p for p in pages if p.unplaced_font]
    if unplaced:
        issues.append(PageIssue(problem="font_not_installed", detail=(
            f"{len(unplaced)}页的中文字体未嵌入文件（{unplaced[0].unplaced_font}），本机也没有可替代的中文字体"
            f"（{_page_ranges([p.number for p in unplaced])}）：表格单元可能只读到首行、单个字可能丢失；"
            "请安装中文字体（如 fonts-noto-cjk）后重新检查")))
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
