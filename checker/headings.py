"""What a heading line is: its number (第X章, 第X部分 …) and unit, whether its text reads as a heading rather than a
sentence, and a table of contents typed as plain text. Read by segment.py, which builds the clause tree."""
from __future__ import annotations

import re
import unicodedata
from typing import Optional

from .models import Block, DocFormat
from .normalize import collapse_ws, for_matching, tidy_extracted
from .numbering import kind_of_rendered, split_number

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
# 「第 二 部 分」: a title page spreads a short title out letter by letter
_SPACED_OUT = re.compile(r"^\s*(?:\S[ \t\u3000\u00a0]+){2,11}\S\s*$")
_LETTER_SPACED = re.compile(r"[ \t\u3000\u00a0]+")
_TOC_GAP = 12  # short lines (second-level entries) a contents list may have between two division lines
_TOC_RUN_MIN = 3  # structural lines in a row, with no body text between, that make a table of contents
_TOC_PAGE = re.compile(r"[\s.…·\-—_]*[0-9]{1,4}$")  # 「第一章 公开招标采购公告 2」: a trailing page number


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
            if _come_back(blocks, run, upto, before_body=not state["body"]) >= min(2, len(run)):
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


def _come_back(blocks: list[Block], run: list[tuple[int, str, str]], upto: int, before_body: bool) -> int:
    """How many lines of a contents-like run come back after it as divisions of the body."""
    later = set()
    for pos in range(upto, len(blocks)):
        b = blocks[pos]
        if b.kind == "paragraph" and b.origin != "toc":
            number, _, rest = _numbered(b)
            if unit_of(number):
                later.add((number, _title_key(rest)))
    back = sum(1 for _, number, key in run
               if any(n == number and k and (k.startswith(key) or key.startswith(k)) for n, k in later))
    if before_body:
        # Before any division of the body, a list whose numbers come back is the contents even when its wording
        # differs from the headings' (「第一章 公告」 listed, 「第一章 招标公告」 in the body).
        numbers = {n for n, _ in later}
        back = max(back, sum(1 for _, number, _ in run if number in numbers))
    return back


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
