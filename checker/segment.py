"""Segmenter: RawDocument (blocks from any parser) → Document (clause tree with heading paths).

The same code runs for DOCX, PDF and text, so the renditions of one document yield the same clauses. Only text
decides structure (numbers, title-like shape, a caption before a table); Word styles are not used, because a PDF of
the same document has none and the two must agree.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Optional

from .models import Block, Clause, ClauseKind, Coverage, DocFormat, Document, Location, PageIssue, RawDocument
from .normalize import collapse_ws, for_matching, tidy_extracted
from .numbering import decimal_depth, kind_of_rendered, split_number

_TERMINAL_PUNCT = re.compile(r"[。；;，,：:！!？?]$|[。；;]")
# A heading is a name, not a sentence: sentence punctuation outside brackets gives a sentence away
# (「第三章“评标办法”没有规定的方法……，不作为评标依据。」), while a bracket may hold anything
# (「第四章 评标办法（综合评估法，总分100分）」).
_BRACKETED = re.compile(r"（[^（）]*）|\([^()]*\)|【[^【】]*】|\[[^\[\]]*\]|《[^《》]*》|“[^“”]*”")
_SENTENCE_PUNCT = re.compile(r"[。；;，,！!？?]")
_OPENS_BADLY = re.compile(r"^[）)】」』”’，,。；;：:、！!？?“\"‘'《]")  # a sentence's tail, or a quotation
_TITLE_MAX = 40
_CAPTION_MAX = 30
_COLON_TITLE_MAX = 20  # 「十一、双方的权利义务：」 is a heading; a longer line ending in a colon leads into a list
_LEAD_IN = re.compile(r"下列|如下|以下|包括")  # 「…应满足下列资格要求：」 announces a list, short or not
# Structural divisions by their unit word. Their nesting is not fixed: 第一部分 holds chapters in one document and
# sits inside 第七章 合同样本 in another, so a unit ranks by the order in which it first opens (see _Tree.open).
_UNITS = {"卷": "volume", "篇": "part", "部分": "part", "章": "chapter", "节": "section"}
_STRUCTURAL = frozenset(_UNITS.values())
_UNIT_RE = re.compile(r"^第\s*(.+?)\s*(卷|篇|部分|章|节)$")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SEQUENCE_SLACK = 3  # 第三章 may follow 第一章 when a chapter heading was unreadable; 第九章 after 第二章 is a citation
# 「第 二 部 分」: a title page spreads a short title out letter by letter
_SPACED_OUT = re.compile(r"^\s*(?:\S[ \t\u3000\u00a0]+){2,11}\S\s*$")
_LETTER_SPACED = re.compile(r"[ \t\u3000\u00a0]+")
_LISTED_CHILDREN = 2  # clauses under a division taken from an unrecognised contents list (a page number, a note)
_TOC_GAP = 12  # short lines (second-level entries) a contents list may have between two division lines
_TOC_RUN_MIN = 3  # structural lines in a row, with no body text between, that make a table of contents
_TOC_PAGE = re.compile(r"[\s.…·\-—_]*[0-9]{1,4}$")  # 「第一章 公开招标采购公告 2」: a trailing page number

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


def _is_title(text: str, limit: int = _TITLE_MAX) -> bool:
    return 0 < len(text) <= limit and not _TERMINAL_PUNCT.search(text)


def _looks_like_heading(text: str, limit: int = _TITLE_MAX) -> bool:
    """Short, no sentence punctuation outside brackets, not the tail of a sentence; a trailing colon only on a
    short name."""
    if not 0 < len(text) <= limit or _OPENS_BADLY.match(text):
        return False
    bare = _BRACKETED.sub("", text)
    if _SENTENCE_PUNCT.search(bare):
        return False
    if bare.endswith(("：", ":")):
        return len(text) <= _COLON_TITLE_MAX and not _LEAD_IN.search(bare)
    return True


def unit_of(number: Optional[str]) -> Optional[str]:
    """volume / part / chapter / section for 第X卷 / 第X篇, 第X部分 / 第X章 / 第X节; None for other numbers."""
    m = _UNIT_RE.match(number or "")
    return _UNITS[m.group(2)] if m else None


def ordinal(number: Optional[str]) -> Optional[int]:
    """第十二章 → 12, 第3部分 → 3."""
    m = _UNIT_RE.match(number or "")
    return _cn_int(m.group(1)) if m else None


def _cn_int(text: str) -> Optional[int]:
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def _cn_numeral(n: int) -> str:
    """3 → 三, 12 → 十二, 20 → 二十 (the way documents number their divisions); beyond 99 in digits."""
    digits = "零一二三四五六七八九"
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else digits[tens]) + "十" if tens else "") + (digits[ones] if ones else "")


def _display(text: str, fmt: DocFormat) -> str:
    # PDF and converted text carry extraction damage (spaces at font switches, wrapped lines); DOCX text is as written.
    return tidy_extracted(text) if fmt == DocFormat.pdf else collapse_ws(text)


def _title_key(text: str) -> str:
    """A title reduced for comparing a contents line with its heading: no page number, brackets or punctuation."""
    text = _TOC_PAGE.sub("", collapse_ws(text))
    text = _BRACKETED.sub("", text)
    return "".join(ch for ch in for_matching(text) if ch.isalnum())


def _numbered(block: Block) -> tuple[Optional[str], Optional[str], str]:
    """(number, kind, text after it) of a paragraph block."""
    text = _LETTER_SPACED.sub("", collapse_ws(block.text)) if _SPACED_OUT.match(block.text) else collapse_ws(block.text)
    if block.number:
        number = block.number.strip()
        return number, kind_of_rendered(number), text
    found = split_number(text)
    return (found.text, found.kind, found.rest) if found else (None, None, text)


def _contents_lines(blocks: list[Block]) -> tuple[set[int], dict[int, int]]:
    """Positions of paragraphs that are a table of contents typed as plain text (no TOC field, no dot leaders):
    at least _TOC_RUN_MIN structural lines in a row with only short lines between them, whose lines come back
    later in the body as the same divisions. A run of empty chapters at the end of a file (「第七章 图纸（另册）」)
    never comes back, so it stays in the body. Also gives, for every structural line in such a run, the run's
    first line: a run in the body that lists the divisions (「招标文件包括：第一章…第六章」) stands or falls as one."""
    out: set[int] = set()
    runs: dict[int, int] = {}
    run: list[tuple[int, str, str]] = []  # (position, number, title key) of the run's structural lines
    state = {"body": False}  # a division of the body has been seen (a structural line that is no contents)
    gap = 0

    def close(upto: int) -> None:
        # Before the body a two-line list is enough (a document in two parts lists two), when both come back.
        if len(run) >= (_TOC_RUN_MIN if state["body"] else 2):
            runs.update((pos, run[0][0]) for pos, _, _ in run)
            later = set()
            for pos in range(upto, len(blocks)):
                b = blocks[pos]
                if b.kind == "paragraph" and b.origin != "toc":
                    number, _, rest = _numbered(b)
                    if unit_of(number):
                        later.add((number, _title_key(rest)))
            back = sum(1 for _, number, key in run
                       if any(n == number and k and (k.startswith(key) or key.startswith(k)) for n, k in later))
            if not state["body"]:
                # Before any division of the body, a list whose numbers come back is the contents even when its
                # wording differs from the headings' (「第一章 公告」 listed, 「第一章 招标公告」 in the body).
                numbers = {n for n, _ in later}
                back = max(back, sum(1 for _, number, _ in run if number in numbers))
            if back >= min(2, len(run)):
                out.update(range(run[0][0], upto))  # with the last entry's own second-level lines
                run.clear()
                return
        if run:
            state["body"] = True
        run.clear()

    for pos, b in enumerate(blocks):
        if b.kind != "paragraph" or b.origin != "body":
            if b.kind == "table" and run:
                close(pos)
            continue
        number, _, rest = _numbered(b)
        text = collapse_ws(b.text)
        if unit_of(number) and len(text) <= 60 and not _SENTENCE_PUNCT.search(_BRACKETED.sub("", rest)):
            if any(n == number for _, n, _ in run):
                close(pos)  # the contents ended and the body's first division follows it directly
            run.append((pos, number, _title_key(rest)))
            gap = 0
        elif run and len(text) <= 40 and gap < _TOC_GAP and not _SENTENCE_PUNCT.search(text):
            gap += 1  # a second-level line of the contents, or 「目录」
        elif run:
            close(pos)
            gap = 0
    close(len(blocks))
    return out, runs


def _toc_divisions(blocks: list[Block], extra: set[int]) -> dict[tuple[str, int], str]:
    """(unit, number) → title key of each division the table of contents lists."""
    listed: dict[tuple[str, int], str] = {}
    for pos, b in enumerate(blocks):
        if b.kind == "paragraph" and (b.origin == "toc" or pos in extra):
            number, _, rest = _numbered(b)
            unit, n = unit_of(number), ordinal(number)
            if unit and n is not None:
                listed.setdefault((unit, n), _title_key(rest))
    return listed


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
            # 「第一部分」 alone on a division's title page, its name on the next line: one heading.
            # A title page may break the name over two lines (「[工程名称]」 / 「招标文件」).
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
            text = " ".join(parts)
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
            frame_kind = unit or kind
            is_heading = bool(unit) or _looks_like_heading(text)
            tree.open(frame_kind)
            parent = tree.top
            cid = tree.new_id()
            clause = Clause(
                id=cid, number=number, level=len(tree.stack), heading_path=tree.heading_path(),
                kind=ClauseKind.heading if is_heading else ClauseKind.paragraph, text=text, norm=for_matching(text),
                location=Location(page=block.page, paragraph=block.index), parent_id=parent.clause_id or None,
            )
            tree.stack.append(_Frame(frame_kind, cid, f"{number} {text}" if is_heading else None))
            if unit:
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

    # OCR confidence goes with the text: every clause made of an OCR'd block carries the block's (the pipeline keeps
    # findings on unsure text below 违法).
    rated = {b.index: b.ocr_confidence for b in raw.blocks if b.ocr_confidence is not None}
    if rated:
        for clause in clauses:
            if clause.location.paragraph in rated:
                clause.ocr_confidence = rated[clause.location.paragraph]
    coverage = _coverage(raw, clauses, chapters, table_no, toc_entries)
    coverage.divisions = divisions
    coverage.problem_pages = list(coverage.problem_pages) + rejected
    return Document(source=raw.source, clauses=clauses, coverage=coverage)


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
