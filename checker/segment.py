"""Segmenter: RawDocument (blocks from any parser) → Document (clause tree with heading paths).

The same code runs for DOCX, PDF and text, so the renditions of one document yield the same clauses. Only text
decides structure (numbers, title-like shape, a caption before a table); Word styles are not used, because a PDF of
the same document has none and the two must agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .models import Block, Clause, ClauseKind, Coverage, DocFormat, Document, Location, RawDocument
from .normalize import collapse_ws, for_matching, tidy_extracted
from .numbering import decimal_depth, kind_of_rendered, split_number

_TERMINAL_PUNCT = re.compile(r"[。；;，,：:！!？?]$|[。；;]")
_TITLE_MAX = 40
_CAPTION_MAX = 30
_STRUCTURAL = {"chapter": 0, "section": 1}

FRONT_TABLE_MARKERS = ("须知前附表",)
FRONT_TABLE_HEADER = ("条款名称", "编列内容")
SCORING_MARKERS = ("评分标准", "评审标准", "评分因素", "评审因素", "评分办法", "评标办法前附表")


@dataclass
class _Frame:
    kind: str
    clause_id: str
    heading_label: Optional[str]  # set when the clause is a heading: it then enters heading paths
    children: int = 0


@dataclass
class _Tree:
    """The open path from the root to the current clause, by numbering kind."""

    root: _Frame = field(default_factory=lambda: _Frame("root", "", None))
    stack: list[_Frame] = field(default_factory=list)

    @property
    def top(self) -> _Frame:
        return self.stack[-1] if self.stack else self.root

    def heading_path(self) -> list[str]:
        return [f.heading_label for f in self.stack if f.heading_label]

    def open(self, kind: str) -> None:
        """Close frames so that a clause of `kind` can be opened as the child of the new top."""
        if kind == "chapter":
            self.stack.clear()
            return
        if kind == "section":
            while self.stack and self.stack[-1].kind != "chapter":
                self.stack.pop()
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


def _is_title(text: str, limit: int = _TITLE_MAX) -> bool:
    return 0 < len(text) <= limit and not _TERMINAL_PUNCT.search(text)


def _display(text: str, fmt: DocFormat) -> str:
    # PDF and converted text carry extraction damage (spaces at font switches, wrapped lines); DOCX text is as written.
    return tidy_extracted(text) if fmt == DocFormat.pdf else collapse_ws(text)


def segment(raw: RawDocument) -> Document:
    fmt = raw.source.format
    tree = _Tree()
    clauses: list[Clause] = []
    caption: Optional[str] = None
    chapters: list[str] = []
    table_no = toc_entries = 0
    blocks = raw.blocks

    for pos, block in enumerate(blocks):
        if block.kind == "table":
            clauses.extend(_table_clauses(block, table_no, tree, caption, fmt))
            table_no += 1
            caption = None
            continue

        if block.origin == "toc":
            toc_entries += 1
            continue
        # Split the number off before tidying: tidying joins `1 总则` into `1总则`, which is no longer a number.
        text = collapse_ws(block.text)
        if not text:
            continue
        number, kind = None, None
        if block.number:
            number, kind = block.number.strip(), kind_of_rendered(block.number.strip())
        else:
            found = split_number(text)
            if found:
                number, kind, text = found.text, found.kind, found.rest
        text = _display(text, fmt)
        next_is_table = pos + 1 < len(blocks) and blocks[pos + 1].kind == "table"

        if number and kind:
            is_heading = kind in _STRUCTURAL or _is_title(text)
            tree.open(kind)
            parent = tree.top
            cid = tree.new_id()
            clause = Clause(
                id=cid, number=number, level=len(tree.stack), heading_path=tree.heading_path(),
                kind=ClauseKind.heading if is_heading else ClauseKind.paragraph, text=text, norm=for_matching(text),
                location=Location(page=block.page, paragraph=block.index), parent_id=parent.clause_id or None,
            )
            tree.stack.append(_Frame(kind, cid, f"{number} {text}" if is_heading else None))
            if kind == "chapter":
                chapters.append(clause.label)
            caption = None  # a numbered heading is in the heading path already
        else:
            is_caption = next_is_table and _is_title(text, _CAPTION_MAX)
            parent = tree.top
            clause = Clause(
                id=tree.new_id(), level=len(tree.stack), heading_path=tree.heading_path(),
                kind=ClauseKind.heading if is_caption else ClauseKind.paragraph, text=text, norm=for_matching(text),
                location=Location(page=block.page, paragraph=block.index), parent_id=parent.clause_id or None,
            )
            caption = text if is_caption else None
        clauses.append(clause)

    return Document(source=raw.source, clauses=clauses, coverage=_coverage(raw, clauses, chapters, table_no, toc_entries))


def _table_clauses(block: Block, table_no: int, tree: _Tree, caption: Optional[str], fmt: DocFormat) -> list[Clause]:
    rows: dict[int, list] = {}
    for cell in sorted(block.cells, key=lambda c: (c.row, c.col)):
        rows.setdefault(cell.row, []).append(cell)
    path = tree.heading_path() + ([caption] if caption else [])
    header = [_display(c.text, fmt) for c in rows[min(rows)]] if len(rows) > 1 else None
    parent = tree.top
    out: list[Clause] = []
    for r in sorted(rows):
        texts = [_display(c.text, fmt) for c in rows[r]]
        if not any(texts):
            continue
        row_id = tree.new_id()
        row_text = " | ".join(texts)
        out.append(Clause(
            id=row_id, level=len(tree.stack), heading_path=path, kind=ClauseKind.table_row, text=row_text,
            norm=for_matching(row_text), parent_id=parent.clause_id or None, table_header=header,
            location=Location(page=rows[r][0].page, paragraph=block.index, table=table_no, row=r),
        ))
        for cell, text in zip(rows[r], texts):
            if not text:
                continue
            out.append(Clause(
                id=f"{row_id}-{cell.col + 1}", level=len(tree.stack) + 1, heading_path=path,
                kind=ClauseKind.table_cell, text=text, norm=for_matching(text), parent_id=row_id,
                table_header=header,
                location=Location(page=cell.page, paragraph=block.index, table=table_no, row=r, column=cell.col),
            ))
    return out


def _coverage(raw: RawDocument, clauses: list[Clause], chapters: list[str], tables: int, toc_entries: int) -> Coverage:
    rows = [c for c in clauses if c.kind == ClauseKind.table_row]

    def table_has(markers: tuple[str, ...], header_markers: tuple[str, ...] = ()) -> bool:
        for row in rows:
            context = "".join(row.heading_path[-1:])
            head = "".join(row.table_header or [])
            if any(m in context or m in head for m in markers):
                return True
            if header_markers and all(m in head for m in header_markers):
                return True
        return False

    return Coverage(
        chapters=chapters,
        has_front_table=table_has(FRONT_TABLE_MARKERS, FRONT_TABLE_HEADER),
        has_scoring_table=table_has(SCORING_MARKERS),
        tables=tables,
        numbered_clauses=sum(1 for c in clauses if c.number),
        toc_entries=toc_entries,
        clauses=len(clauses),
        characters=sum(len(c.text) for c in clauses if c.kind != ClauseKind.table_row),
        pages=raw.source.page_count,
        problem_pages=raw.page_issues,
    )
