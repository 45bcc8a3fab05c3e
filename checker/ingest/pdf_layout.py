"""Page lines → blocks: frames that are no tables dropped, running headers and footers removed, wrapped lines
re-joined into paragraphs by layout (first-line indent, a line ending short of the right margin, a clause number, a
vertical gap), tables that continue on the next page merged. Shared by the PDF reader and OCR (ocr.py)."""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Optional

from ..models import Block, Cell
from ..normalize import digit_shape
from ..numbering import split_number
from .pdf_page import Line, Page, TableItem
from .table_shape import is_table

BAND = 0.11  # top/bottom share of the page height where running headers and footers live
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
_CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


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
