"""DOCX → RawDocument: the body's paragraphs and tables in reading order, with Word's auto-numbers rendered.

We parse the package parts with plain lxml and resolve styles through a dict built once from styles.xml: the
high-level `paragraph.style` property costs ~1 ms per paragraph (it scans all styles for the default one), which
alone would blow the 1 s budget for a 300-page document.

Conventions:
  * `Block.index` is the position among *emitted* blocks (0, 1, 2, … with no gaps); empty paragraphs and tables
    without any text are skipped and take no index. Their list numbers still advance the counters, as in Word.
  * Text-box paragraphs follow the paragraph (or table) that anchors them, with `origin="textbox"`.
  * Table-of-contents entries (a `toc N` style, or inside a TOC field's result) get `origin="toc"`, so the
    segmenter does not take "第一章 招标公告 3" for a second chapter heading.
  * Headers and footers live in other parts and are never read.
  * `Block.page` is filled only when Word left `w:lastRenderedPageBreak` markers; otherwise it stays None and
    `source.page_count` is estimated from explicit breaks (None when the document has none).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional


from checker.ingest.docx_numbering import W, Numbering, int_val, on
from checker.ingest.docx_package import (DEL, ILVL, NUM_ID, NUMPR, OUTLINE, PAGE_BREAK_BEFORE, PPR, PSTYLE, RPR,
                                         SECT_PR, _load, _Style, _Styles)
from checker.ingest.symbols import map_symbol
from checker.ingest.table_shape import is_table
from checker.models import Block, Cell, RawDocument, Source

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_VAL, _TYPE = W + "val", W + "type"
P, TBL, TR, TC, R = W + "p", W + "tbl", W + "tr", W + "tc", W + "r"
SDT, SDT_CONTENT, CUSTOM_XML = W + "sdt", W + "sdtContent", W + "customXml"
T, TAB, PTAB, BR, CR, NB_HYPHEN = W + "t", W + "tab", W + "ptab", W + "br", W + "cr", W + "noBreakHyphen"
SYM = W + "sym"
FLD_CHAR, INSTR, RENDERED_BREAK = W + "fldChar", W + "instrText", W + "lastRenderedPageBreak"
TXBX = W + "txbxContent"
TC_PR, TR_PR, GRID_SPAN, GRID_BEFORE, V_MERGE, H_MERGE = (W + "tcPr", W + "trPr", W + "gridSpan", W + "gridBefore",
                                                          W + "vMerge", W + "hMerge")

# Paragraph-level wrappers whose runs are shown. w:del and w:moveFrom (tracked removals) are deliberately absent,
# as are drawings and mc:AlternateContent (text boxes become their own blocks).
_RUN_CONTAINERS = frozenset({W + "ins", W + "moveTo", W + "hyperlink", W + "smartTag", W + "fldSimple", SDT,
                             SDT_CONTENT, CUSTOM_XML, W + "dir", W + "bdo"})
_WRAPPERS = frozenset({SDT, SDT_CONTENT, CUSTOM_XML})  # block/row/cell-level wrappers: descend into them
_BLOCK_TAGS, _ROW_TAGS, _CELL_TAGS = frozenset({P, TBL}), frozenset({TR}), frozenset({TC})


def read_docx(path: Path, source: Source) -> RawDocument:
    body, styles_root, numbering_root = _load(Path(path))
    styles = _Styles(styles_root)
    walker = _Walker(styles, Numbering(numbering_root, styles.numbering_style_nums))
    walker.walk(body)
    return RawDocument(source=source.model_copy(update={"page_count": walker.page_count()}),
                       blocks=walker.build_blocks())


def _children(el, tags: frozenset) -> Iterator:
    """Direct children with one of `tags`, looking through content-control and customXml wrappers. Iterative, in
    document order: 1,000 nested w:sdt are valid XML and must not exhaust Python's recursion limit."""
    stack = [el.iterchildren()]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            stack.append(child.iterchildren())


# ---------------------------------------------------------------------------------------------------------------------
# The walk


@dataclass
class _Para:
    text: str
    number: Optional[str]
    level: Optional[int]
    toc: bool
    page: int
    textboxes: list
    starts_page: bool = False  # the first paragraph after a page or section break (or Word's rendered break)


# Real tenders nest a table in a cell once or twice; 500 levels (valid XML) recursed past Python's limit.
MAX_TABLE_NESTING = 20


class _Walker:
    def __init__(self, styles: _Styles, numbering: Numbering):
        self.styles, self.numbering = styles, numbering
        self.blocks: list[dict] = []
        # Complex fields (fldChar begin … separate … end) can span paragraphs (a TOC does), so their state lives
        # here. One [result shows, instruction text] entry per open field.
        self.fields: list[list] = []
        self.hidden_fields = 0  # entries still in their instruction part; text shows only when this is 0
        self.rendered = 0  # w:lastRenderedPageBreak markers seen so far
        self.hard_pages = 0  # explicit page starts followed by content
        self.pending_pages = 0  # explicit breaks not yet followed by content (a trailing break adds no page)
        self._start_page = 1
        self._table_depth = 0  # tables inside table cells, for MAX_TABLE_NESTING

    # -- block level ------------------------------------------------------------------------------------------------

    def walk(self, container, origin: str = "body") -> None:
        for el in _children(container, _BLOCK_TAGS):
            if el.tag == P:
                para = self.paragraph(el)
                if para.text:
                    self._add(kind="paragraph", text=para.text, number=para.number, style_level=para.level,
                              page=para.page, origin="toc" if para.toc and origin == "body" else origin,
                              starts_page=para.starts_page)
                self._walk_textboxes(para.textboxes)
            elif not _is_table(el):
                # A one-cell box or a one-column frame around text is layout, not a table (table_shape.py): its
                # paragraphs are body text, read in order like any other.
                for tr in _children(el, _ROW_TAGS):
                    for tc in _children(tr, _CELL_TAGS):
                        self.walk(tc, origin)
            else:
                textboxes: list = []
                cells = self.table_cells(el, textboxes)
                if any(c[2] for c in cells):
                    self._add(kind="table", page=cells[0][3], origin=origin, cells=cells)
                self._walk_textboxes(textboxes)

    def _walk_textboxes(self, textboxes: list) -> None:
        for box in textboxes:
            self.walk(box, "textbox")

    def _add(self, **fields) -> None:
        self.blocks.append(fields)

    def build_blocks(self) -> list[Block]:
        with_pages = self.rendered > 0  # only Word's own pagination gives trustworthy per-block pages
        running = _running_titles(self.blocks, self.page_count())
        blocks = []
        for b in self.blocks:
            b.pop("starts_page", None)
            if b["kind"] == "paragraph" and b["text"] in running:
                continue  # a running title in the body
            i = len(blocks)
            page = b.pop("page")
            if not with_pages:
                page = None
            cells = [Cell(row=r, col=c, text=t, page=pg if with_pages else None, row_span=rs, col_span=cs)
                     for r, c, t, pg, rs, cs in b.pop("cells", ())]
            blocks.append(Block(index=i, page=page, cells=cells, **b))
        return blocks

    def page_count(self) -> Optional[int]:
        if self.rendered:
            return self.rendered + 1
        return self.hard_pages + 1 if self.hard_pages else None

    # -- paragraphs -------------------------------------------------------------------------------------------------

    def paragraph(self, p) -> _Para:
        ppr = p.find(PPR)
        props = {child.tag: child for child in ppr} if ppr is not None else {}  # one pass instead of many finds
        style_id = props[PSTYLE].get(_VAL) if PSTYLE in props else None
        style = self.styles.get(style_id)
        direct_break = props.get(PAGE_BREAK_BEFORE)
        if (on(direct_break) if direct_break is not None else style.page_break_before) and self.blocks:
            self.pending_pages = max(self.pending_pages, 1)
        if self.hidden_fields:  # an instruction never spans paragraphs: an unclosed one is malformed, show results
            for field in self.fields:
                field[0] = True
            self.hidden_fields = 0
        toc = style.toc or self._in_toc_field()

        self._start_page = self.rendered + 1
        starts_page = bool(self.pending_pages) or not self.blocks
        rendered_before = self.rendered
        out: list[str] = []
        breaks: list[int] = []  # positions in `out` of explicit page breaks
        self._collect(p, out, breaks)
        text = "".join(out).strip()
        self._count_breaks(text, out, breaks, props.get(SECT_PR))

        number = None
        mark = props.get(RPR)
        if text or mark is None or mark.find(DEL) is None:  # an empty paragraph deleted as a whole is not counted
            number = self._number(props.get(NUMPR), style, self.styles.effective_id(style_id))
        level = style.level
        outline = int_val(props.get(OUTLINE))
        if outline is not None:
            level = outline + 1 if outline < 9 else None
        starts_page = starts_page or self._start_page > rendered_before + 1  # a rendered break before its text
        return _Para(text, number, level, toc or self._in_toc_field(), self._start_page, _textboxes(p), starts_page)

    def _collect(self, el, out: list, breaks: list) -> None:
        # Iterative (1,000 nested w:ins are valid XML), runs in document order.
        stack = [iter(el)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
            elif child.tag == R:
                self._run(child, out, breaks)
            elif child.tag in _RUN_CONTAINERS:
                stack.append(iter(child))

    def _run(self, r, out: list, breaks: list) -> None:
        for child in r:
            if child.tag in (T, FLD_CHAR, INSTR, RENDERED_BREAK):
                self._text_or_field(child, out)
            elif not self.hidden_fields:  # inside a field instruction nothing below is shown
                self._inline(child, out, breaks)

    def _text_or_field(self, child, out: list) -> None:
        """Run text (unless inside a field instruction), field characters and instructions, rendered page breaks."""
        tag = child.tag
        if tag == T:
            if not self.hidden_fields:
                out.append(child.text or "")
        elif tag == FLD_CHAR:
            self._field(child.get(W + "fldCharType"))
        elif tag == INSTR:
            if self.fields and not self.fields[-1][0]:
                self.fields[-1][1] += child.text or ""
        else:  # RENDERED_BREAK
            self.rendered += 1
            if not "".join(out).strip():  # nothing shown yet: the paragraph starts on the new page
                self._start_page = self.rendered + 1

    @staticmethod
    def _inline(child, out: list, breaks: list) -> None:
        """Tabs, breaks, hyphens and symbols shown inside a run."""
        tag = child.tag
        if tag == TAB or tag == PTAB:
            out.append(" ")
        elif tag == BR:
            if child.get(_TYPE) == "page":
                breaks.append(len(out))
            else:  # text wrapping and column breaks read as a line break
                out.append("\n")
        elif tag == CR:
            out.append("\n")
        elif tag == NB_HYPHEN:
            out.append("-")
        elif tag == SYM:  # a Wingdings check box or a Symbol sign, as a font and a code (symbols.py)
            out.append(_symbol(child.get(W + "char", ""), child.get(W + "font")))

    def _field(self, kind: Optional[str]) -> None:
        if kind == "begin":
            self.fields.append([False, ""])
            self.hidden_fields += 1
        elif kind == "separate" and self.fields and not self.fields[-1][0]:
            self.fields[-1][0] = True
            self.hidden_fields -= 1
        elif kind == "end" and self.fields:
            if not self.fields.pop()[0]:
                self.hidden_fields -= 1

    def _in_toc_field(self) -> bool:
        return any(shown and instr.split()[:1] == ["TOC"] for shown, instr in self.fields)

    def _count_breaks(self, text: str, out: list, breaks: list, sect) -> None:
        """Explicit breaks start a page only once some content follows them."""
        if text and self.pending_pages:
            self.hard_pages += self.pending_pages
            self.pending_pages = 0
        for pos in breaks:
            if "".join(out[pos:]).strip():
                self.hard_pages += 1
            else:
                self.pending_pages += 1
        if sect is not None:  # a section break; only "continuous" and "nextColumn" stay on the same page
            kind = sect.find(W + "type")
            if (kind.get(_VAL) if kind is not None else "nextPage") not in ("continuous", "nextColumn"):
                self.pending_pages = max(self.pending_pages, 1)

    def _number(self, numpr, style: _Style, style_id: Optional[str]) -> Optional[str]:
        """Direct numPr wins property by property over the style chain's; numId 0 removes numbering."""
        num_id = ilvl = None
        if numpr is not None:
            num_el = numpr.find(NUM_ID)
            num_id = num_el.get(_VAL) if num_el is not None else None
            ilvl = int_val(numpr.find(ILVL))
        num_id = num_id if num_id is not None else style.num_id
        if num_id is None or num_id == "0":
            return None
        if ilvl is None:
            ilvl = style.ilvl
        if ilvl is None:
            ilvl = self.numbering.level_for_style(num_id, style_id) or 0
        return self.numbering.render(num_id, ilvl)

    # -- tables -----------------------------------------------------------------------------------------------------

    def table_cells(self, tbl, textboxes: list) -> list[list]:
        """Cells as [row, grid col, text, page, row_span, col_span]; merged areas appear once, at their top-left."""
        cells: list[list] = []
        open_vmerge: dict[int, list] = {}  # grid column → the cell whose vertical merge is still running
        row = -1
        for tr in _children(tbl, _ROW_TAGS):
            trpr = tr.find(TR_PR)
            if trpr is not None and trpr.find(DEL) is not None:  # a row deleted with tracked changes
                continue
            row += 1
            col = int_val(trpr.find(GRID_BEFORE), 0) if trpr is not None else 0
            left = None
            for tc in _children(tr, _CELL_TAGS):
                tcpr = tc.find(TC_PR)
                span = max(int_val(tcpr.find(GRID_SPAN), 1), 1) if tcpr is not None else 1
                vmerge = _merge_state(tcpr, V_MERGE)
                if vmerge == "continue" and col in open_vmerge:
                    open_vmerge[col][4] += 1
                elif _merge_state(tcpr, H_MERGE) == "continue" and left is not None:  # legacy horizontal merge
                    left[5] += span
                else:
                    text, page = self._cell_text(tc, textboxes)
                    left = [row, col, text, page, 1, span]
                    cells.append(left)
                    if vmerge == "restart":
                        open_vmerge[col] = left
                    else:
                        open_vmerge.pop(col, None)
                col += span
        return cells

    def _cell_text(self, tc, textboxes: list) -> tuple[str, int]:
        lines, page = [], None
        for el in _children(tc, _BLOCK_TAGS):
            if el.tag == P:
                para = self.paragraph(el)
                textboxes.extend(para.textboxes)
                if para.text:
                    lines.append(f"{para.number} {para.text}" if para.number else para.text)
                    page = page or para.page
            elif self._table_depth >= MAX_TABLE_NESTING:  # absurd nesting: its text, without the recursion
                lines.append("".join(el.itertext()))
            else:  # a nested table: one line per row, cells separated by " | "
                self._table_depth += 1
                try:
                    nested = self.table_cells(el, textboxes)
                finally:
                    self._table_depth -= 1
                lines.extend(_flatten(nested))
                page = page or next((c[3] for c in nested if c[2]), None)
        return "\n".join(lines), page or self.rendered + 1


def _is_table(tbl) -> bool:
    """table_shape.is_table on the raw XML, before any cell is read: reading a cell advances list numbering, so a
    frame must be recognised without reading it as a table first."""
    shape = []
    for r, tr in enumerate(_children(tbl, _ROW_TAGS)):
        trpr = tr.find(TR_PR)
        col = int_val(trpr.find(GRID_BEFORE), 0) if trpr is not None else 0
        for tc in _children(tr, _CELL_TAGS):
            tcpr = tc.find(TC_PR)
            has_text = any((t.text or "").strip() for t in tc.iter(T))
            shape.append((r, col, "x" if has_text else ""))
            col += max(int_val(tcpr.find(GRID_SPAN), 1), 1) if tcpr is not None else 1
    return is_table(shape)


def _symbol(code: str, font: Optional[str]) -> str:
    try:
        ch = chr(int(code, 16))
    except ValueError:
        return ""
    return map_symbol(ch, font) or ch


RUNNING_MIN = 4  # repeats that can make a running title; and it must repeat on this share of the pages:
RUNNING_SHARE = 0.3


def _running_titles(blocks: list[dict], pages: Optional[int]) -> set[str]:
    """A document or model-text title typed into the body at the top of every page (documents converted from PDF
    carry their running header so): a short unnumbered paragraph repeated on a large share of the pages and mostly
    as the first paragraph of a page. A form title repeated for a few lots repeats on a few pages only."""
    if not pages:
        return set()
    seen: Counter = Counter()
    at_top: Counter = Counter()
    for b in blocks:
        if b["kind"] == "paragraph" and b["origin"] == "body" and not b.get("number") and len(b["text"]) <= 40:
            seen[b["text"]] += 1
            at_top[b["text"]] += bool(b.get("starts_page"))
    return {text for text, n in seen.items()
            if n >= max(RUNNING_MIN, RUNNING_SHARE * pages) and at_top[text] >= 0.6 * n}


def _merge_state(tcpr, tag: str) -> Optional[str]:
    el = tcpr.find(tag) if tcpr is not None else None
    return None if el is None else el.get(_VAL, "continue")


def _flatten(cells: list[list]) -> list[str]:
    rows: dict[int, list[str]] = {}
    for row, _col, text, *_ in cells:
        if text:
            rows.setdefault(row, []).append(text.replace("\n", " "))
    return [" | ".join(texts) for texts in rows.values()]


def _textboxes(p) -> list:
    """Text-box contents anchored in this paragraph, each once: the VML copy in mc:Fallback duplicates the
    DrawingML one, and boxes nested in a box belong to that box's own paragraphs."""
    boxes = []
    for box in p.iter(TXBX):
        for ancestor in box.iterancestors():
            if ancestor is p:
                boxes.append(box)
                break
            if ancestor.tag == _MC_FALLBACK or ancestor.tag == TXBX:
                break
    return boxes
