"""Segmenter: RawDocument (blocks from any parser) → Document (clause tree with heading paths).

The same code runs for DOCX, PDF and text, so the renditions of one document yield the same clauses. Only text
decides structure (numbers, title-like shape, a caption before a table); Word styles are not used, because a PDF of
the same document has none and the two must agree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .headings import (_CAPTION_MAX, _STRUCTURAL, _UNIT_RE, _cn_numeral, _contents_lines, _display, _is_title,
                       _looks_like_heading, _numbered, _title_key, _toc_divisions, ordinal, unit_of)
from .models import Block, Clause, ClauseKind, Coverage, DocFormat, Document, Location, PageIssue, RawDocument
from .normalize import collapse_ws, for_matching
from .numbering import decimal_depth

_SEQUENCE_SLACK = 3  # 第三章 may follow 第一章 when a chapter heading was unreadable; 第九章 after 第二章 is a citation
_LISTED_CHILDREN = 2  # clauses under a division taken from an unrecognised contents list (a page number, a note)

FRONT_TABLE_MARKERS = ("须知前附表", "须知资料表", "前附表")
FRONT_TABLE_HEADER = ("条款名称", "编列内容")
SCORING_MARKERS = ("评分标准", "评审标准", "评分因素", "评审因素", "评分办法", "评标办法前附表", "评分细则", "评分明细",
                   "评标标准", "评分表", "评审细则", "评标信息", "评分项", "打分表")
# 前附表 names not every document uses (the table is titled after the procedure): kept apart from the scoring ones
# because 评标办法前附表 is a 前附表 too, of the other kind.
_FRONT_EXCLUDE = ("评标办法前附表", "评审办法前附表", "资格审查办法前附表")


@dataclass
class _Frame:
    kind: str
    clause_id: str
    heading_label: Optional[str]  # set when the clause is a heading: it then enters heading paths
    children: int = 0
    ordinal: Optional[int] = None  # a structural heading's number as an integer (第三章 → 3)


@dataclass
class _Tree:
    """The open path from the root to the current clause, by numbering kind."""

    root: _Frame = field(default_factory=lambda: _Frame("root", "", None))
    stack: list[_Frame] = field(default_factory=list)
    ranks: dict[str, int] = field(default_factory=dict)  # structural unit → order of its first heading
    last: dict[tuple, int] = field(default_factory=dict)  # (unit, parent clause id) → number of the last such heading
    last_frame: dict[tuple, list] = field(default_factory=dict)  # … and the frames of all such headings so far

    @property
    def top(self) -> _Frame:
        return self.stack[-1] if self.stack else self.root

    def heading_path(self) -> list[str]:
        return [f.heading_label for f in self.stack if f.heading_label]

    def structural_parent(self, kind: str) -> str:
        """The clause id a structural heading of `kind` would open under (without opening it)."""
        rank = self.ranks.get(kind, len(self.ranks))
        for f in reversed(self.stack):
            if f.kind in _STRUCTURAL and self.ranks[f.kind] < rank:
                return f.clause_id
        return ""

    def open(self, kind: str) -> None:
        """Close frames so that a clause of `kind` can be opened as the child of the new top."""
        if kind in _STRUCTURAL:
            rank = self.ranks.setdefault(kind, len(self.ranks))
            for i in range(len(self.stack) - 1, -1, -1):
                if self.stack[i].kind in _STRUCTURAL and self.ranks[self.stack[i].kind] < rank:
                    del self.stack[i + 1:]
                    return
            self.stack.clear()
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i].kind == kind:
                del self.stack[i:]
                return
        depth = decimal_depth(kind)
        if depth is None:
            return  # a kind not seen under the current path nests inside it
        # 1.2.3 closes everything below the nearest shallower decimal (or below the chapter/section). `4.` and `4、`
        # count as depth 1: 「4. 招标文件的获取」 is the parent of 「4.1 请于……」.
        for i in range(len(self.stack) - 1, -1, -1):
            d = _depth(self.stack[i].kind)
            if (d is not None and d < depth) or self.stack[i].kind in _STRUCTURAL:
                del self.stack[i + 1:]
                return
        self.stack.clear()

    def new_id(self) -> str:
        parent = self.top
        parent.children += 1
        return f"{parent.clause_id}-{parent.children}" if parent.clause_id else f"c{parent.children}"


def _depth(kind: str):
    return 1 if kind in ("arabic_dot", "arabic_dun") else decimal_depth(kind)


def _accept_division(tree: _Tree, unit: str, number: str, text: str, listed: dict) -> bool:
    """A 第X章 line opens a division only when it looks like a heading and follows the numbering sequence (or the
    table of contents lists it): 「第六章 ）；非法定代表人……」 is the tail of a sentence, and a chapter cited at the
    start of a line is not the next chapter."""
    if not _looks_like_heading(text):
        return False
    n = ordinal(number)
    if n is None:
        return False
    key = (unit, n)
    last = tree.last.get((unit, tree.structural_parent(unit)))
    if last is not None and n <= last:
        # A division does not come twice: the second 第七章 is a cover page's or a citation's. Unless the numbering
        # starts again at one after divisions that all held (almost) nothing, a page number at most: those were a
        # list of contents not recognised as such, and the body must not lose its divisions to it.
        earlier = tree.last_frame.get((unit, tree.structural_parent(unit)), [])
        return n == 1 and bool(earlier) and all(f.children <= _LISTED_CHILDREN for f in earlier)
    if key in listed and listed[key] and _title_key(text) and (
            _title_key(text).startswith(listed[key]) or listed[key].startswith(_title_key(text))):
        return True
    if last is None:
        return n <= 2 or not listed
    return last < n <= last + _SEQUENCE_SLACK


def segment(raw: RawDocument) -> Document:
    fmt = raw.source.format
    tree = _Tree()
    clauses: list[Clause] = []
    caption: Optional[str] = None
    chapters: list[str] = []
    divisions: list[str] = []
    table_no = toc_entries = 0
    blocks = raw.blocks
    contents, runs = _contents_lines(blocks)
    refused_run: Optional[int] = None
    listed = _toc_divisions(blocks, contents)
    rejected: list[PageIssue] = []
    first_division = next((pos for pos, b in enumerate(blocks)
                           if b.kind == "paragraph" and b.origin == "body" and pos not in contents
                           and unit_of(_numbered(b)[0]) and _looks_like_heading(collapse_ws(_numbered(b)[2]) or "x")),
                          len(blocks))
    consumed: set[int] = set()

    for pos, block in enumerate(blocks):
        if block.kind == "table":
            clauses.extend(_table_clauses(block, table_no, tree, caption, fmt, _title_above(clauses, caption)))
            table_no += 1
            caption = None
            continue

        if block.origin == "toc" or pos in contents:
            toc_entries += 1
            continue
        # Split the number off before tidying: tidying joins `1 总则` into `1总则`, which is no longer a number.
        if pos in consumed:
            continue
        number, kind, text = _numbered(block)
        if not (text or number):
            continue
        if unit_of(number) and not text and pos + 1 < len(blocks):
            text = _title_page_name(blocks, pos, fmt, consumed)
        unit = unit_of(number) if kind in ("chapter", "section") else None
        if unit and (runs.get(pos, -1) == refused_run
                     or not _accept_division(tree, unit, number, _display(text, fmt), listed)):
            if runs.get(pos) == pos:  # the list's first line is no division: neither is the rest of the list
                refused_run = pos
            if _looks_like_heading(_display(text, fmt)):
                rejected.append(PageIssue(page=block.page, problem="heading_out_of_sequence",
                                          detail=f"「{number} {_display(text, fmt)[:20]}」不符合章节编号顺序，按正文处理"))
            # Read as body text: the number stays in the text, where a reader sees it.
            text = collapse_ws(block.text) if not block.number else f"{number} {text}"
            number = kind = unit = None
        text = _display(text, fmt)
        if not text and not number:
            continue
        next_is_table = pos + 1 < len(blocks) and blocks[pos + 1].kind == "table"

        if number and kind:
            clause = _numbered_clause(tree, block, number, unit or kind, text, rejected if unit else None)
            if unit:
                if unit != "section":
                    chapters.append(clause.label)
                if clause.level == 0:
                    divisions.append(clause.label)
            caption = None  # a numbered heading is in the heading path already
        else:
            is_caption = next_is_table and _is_title(text, _CAPTION_MAX)
            # On a cover, before the first division, a title over a table (「招标文件」 above the project box) names
            # the document, not a part of it: it titles the table but opens no heading.
            front = is_caption and pos < first_division
            parent = tree.top
            clause = Clause(
                id=tree.new_id(), level=len(tree.stack), heading_path=tree.heading_path(),
                kind=ClauseKind.heading if is_caption and not front else ClauseKind.paragraph, text=text,
                norm=for_matching(text),
                location=Location(page=block.page, paragraph=block.index), parent_id=parent.clause_id or None,
            )
            caption = text if is_caption and not front else None
        clauses.append(clause)

    _carry_ocr_confidence(raw, clauses)
    coverage = _coverage(raw, clauses, chapters, table_no, toc_entries)
    coverage.divisions = divisions
    coverage.problem_pages = list(coverage.problem_pages) + rejected
    return Document(source=raw.source, clauses=clauses, coverage=coverage)


def _title_page_name(blocks: list[Block], pos: int, fmt: str, consumed: set[int]) -> str:
    """「第一部分」 alone on a division's title page, its name on the next line: one heading. A title page may break
    the name over two lines (「[工程名称]」 / 「招标文件」). The lines taken are added to `consumed`."""
    block = blocks[pos]
    parts: list[str] = []
    for nxt in range(pos + 1, min(pos + 3, len(blocks))):
        title_block = blocks[nxt]
        line = _display(title_block.text, fmt)
        if title_block.kind != "paragraph" or title_block.origin != "body" or _numbered(title_block)[0] \
                or title_block.page != block.page or not _looks_like_heading(line) \
                or line.endswith(("：", ":")) or len("".join(parts) + line) > _CAPTION_MAX:
            break
        parts.append(collapse_ws(title_block.text))
        consumed.add(nxt)
    return " ".join(parts)


def _numbered_clause(tree: _Tree, block: Block, number: str, frame_kind: str, text: str,
                     rejected: Optional[list[PageIssue]]) -> Clause:
    """The clause of a numbered line, opened in the tree. `rejected` is given for a structural unit (第X章/节…):
    its sequence is tracked there, and a gap in it reported."""
    is_heading = rejected is not None or _looks_like_heading(text)
    tree.open(frame_kind)
    parent = tree.top
    cid = tree.new_id()
    clause = Clause(
        id=cid, number=number, level=len(tree.stack), heading_path=tree.heading_path(),
        kind=ClauseKind.heading if is_heading else ClauseKind.paragraph, text=text, norm=for_matching(text),
        location=Location(page=block.page, paragraph=block.index), parent_id=parent.clause_id or None,
    )
    tree.stack.append(_Frame(frame_kind, cid, f"{number} {text}" if is_heading else None))
    if rejected is None:
        return clause
    unit = frame_kind
    before = tree.last.get((unit, parent.clause_id))
    n = ordinal(number)
    if n is not None and n > (before or 0) + 1:
        previous = (f"上一个是第{_cn_numeral(before)}{_UNIT_RE.match(number).group(2)}" if before
                    else "前面没有同级编号")
        rejected.append(PageIssue(page=block.page, problem="heading_sequence_gap",
                                  detail=f"「{number} {text[:20]}」编号不连续（{previous}），可能有标题未能识别"))
    tree.last[(unit, parent.clause_id)] = n
    if n == 1:
        tree.last_frame[(unit, parent.clause_id)] = []  # numbering starts (again): a new sequence
    tree.last_frame.setdefault((unit, parent.clause_id), []).append(tree.stack[-1])
    return clause


def _carry_ocr_confidence(raw: RawDocument, clauses: list[Clause]) -> None:
    """OCR confidence goes with the text: every clause made of an OCR'd block carries the block's (the pipeline
    keeps findings on unsure text below 违法)."""
    rated = {b.index: b.ocr_confidence for b in raw.blocks if b.ocr_confidence is not None}
    for clause in clauses:
        if clause.location.paragraph in rated:
            clause.ocr_confidence = rated[clause.location.paragraph]


def _title_above(clauses: list[Clause], caption: Optional[str]) -> Optional[str]:
    """A table's title: its caption, else a title-like line among the few clauses just above it (a note often sits
    between 「投标人须知资料表」 and the table), else the heading it sits under, without its number."""
    if caption:
        return caption
    for c in reversed(clauses[-3:]):
        if c.kind in (ClauseKind.table_row, ClauseKind.table_cell):
            break
        if c.kind == ClauseKind.heading or (not c.number and _looks_like_heading(c.text, _CAPTION_MAX)):
            return c.text
    return None


def _table_clauses(block: Block, table_no: int, tree: _Tree, caption: Optional[str], fmt: DocFormat,
                   title: Optional[str] = None) -> list[Clause]:
    rows: dict[int, list] = {}
    for cell in sorted(block.cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(cell.row, []).append(cell)
    path = tree.heading_path() + ([caption] if caption else [])
    order = sorted(rows)
    header_row = order[0]
    first = [c for c in rows[header_row] if c.text.strip()]
    if len(order) > 2 and len(first) == 1 and len(rows[order[1]]) > 1:
        # A title row merged across the table: the column headers are in the row below it.
        title = title or _display(first[0].text, fmt)
        header_row = order[1]
    header = [_display(c.text, fmt) for c in rows[header_row]] if len(rows) > 1 else None
    column_header: dict[int, str] = {}  # grid column → the header text above it (a merged header covers its columns)
    for c, h in (zip(rows[header_row], header) if header else ()):
        for col in range(c.col, c.col + c.col_span):
            column_header[col] = h
    parent = tree.top
    out: list[Clause] = []
    for r in order:
        texts = [_display(c.text, fmt) for c in rows[r]]
        if not any(texts):
            continue
        row_id = tree.new_id()
        row_text = " | ".join(texts)
        label = next((t for t in texts if t), None)
        out.append(Clause(
            id=row_id, level=len(tree.stack), heading_path=path, kind=ClauseKind.table_row, text=row_text,
            norm=for_matching(row_text), parent_id=parent.clause_id or None, table_header=header, table_title=title,
            location=Location(page=rows[r][0].page, paragraph=block.index, table=table_no, row=r),
        ))
        for cell, text in zip(rows[r], texts):
            if not text:
                continue
            column = None
            if header and r > header_row:
                column = column_header.get(cell.col) or None
            out.append(Clause(
                id=f"{row_id}-{cell.col + 1}", level=len(tree.stack) + 1, heading_path=path,
                kind=ClauseKind.table_cell, text=text, norm=for_matching(text), parent_id=row_id,
                table_header=header, table_title=title, row_label=label if text != label else None,
                column_label=column,
                location=Location(page=cell.page, paragraph=block.index, table=table_no, row=r, column=cell.col),
            ))
    return out


def _coverage(raw: RawDocument, clauses: list[Clause], chapters: list[str], tables: int, toc_entries: int) -> Coverage:
    rows = [c for c in clauses if c.kind == ClauseKind.table_row]

    def table_has(markers: tuple[str, ...], header_markers: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> bool:
        """A table titled by its caption or enclosing heading, or by its own header row (a title row merged across
        the table is read as the header)."""
        for row in rows:
            context = "|".join(row.heading_path[-1:] + [row.table_title or ""] + (row.table_header or []))
            for word in exclude:
                context = context.replace(word, "")
            if any(m in context for m in markers):
                return True
            if header_markers and all(m in context for m in header_markers):
                return True
        return False

    return Coverage(
        chapters=chapters,
        has_front_table=table_has(FRONT_TABLE_MARKERS, FRONT_TABLE_HEADER, _FRONT_EXCLUDE),
        has_scoring_table=table_has(SCORING_MARKERS),
        tables=tables,
        numbered_clauses=sum(1 for c in clauses if c.number),
        toc_entries=toc_entries,
        clauses=len(clauses),
        characters=sum(len(c.text) for c in clauses if c.kind != ClauseKind.table_row),
        pages=raw.source.page_count,
        problem_pages=raw.page_issues,
    )
