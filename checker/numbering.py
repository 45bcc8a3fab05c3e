"""Chinese clause numbering: find a number at the start of a paragraph and tell what kind it is.

The kind, not the number, decides nesting: documents mix 第一章 / 1 / 1.1 / 1.1.1 / （一） / 1. / (1) / ① freely, and
the order in which kinds first appear under a heading is what makes one nested in another (see segment.py).
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from typing import Optional

_CN = "一二三四五六七八九十百零〇两"
_CNUM = f"[{_CN}]+"
_ANUM = r"[0-9０-９]+"
_SEP = r"[ \t\u3000\u00a0]"

# Order matters: longer, more specific forms first.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("chapter", re.compile(rf"^(第(?:{_CNUM}|{_ANUM})(?:章|篇|部分|卷)(?:{_SEP}+|(?=[^\s])|$))")),
    ("section", re.compile(rf"^(第(?:{_CNUM}|{_ANUM})节)(?:{_SEP}+|(?=[^\s])|$)")),
    ("article", re.compile(rf"^(第(?:{_CNUM}|{_ANUM})条)(?:{_SEP}+|(?=[^\s]))")),
    # 1.1 / 1.1.1 / 3.2.1.4 — not a decimal amount: must not be followed by a digit, %, or a unit.
    ("decimal", re.compile(r"^([0-9０-９]{1,3}(?:[.．][0-9０-９]{1,3})+)[.．]?(?:[ \t\u3000\u00a0]+|(?=[\u4e00-\u9fff（(“\"]))(?![0-9%％万元亿米吨])")),
    ("cn_dun", re.compile(rf"^({_CNUM}[、．.])")),
    ("cn_paren", re.compile(rf"^([（(]{_CNUM}[）)])")),
    ("arabic_paren", re.compile(rf"^([（(]{_ANUM}[）)])")),
    ("circled", re.compile(r"^([\u2460-\u2473\u3251-\u325f])")),
    ("arabic_dun", re.compile(rf"^({_ANUM}、)")),
    # 1. 2. (ASCII or full-width dot) followed by text, but not 1.5万 (decimal value)
    ("arabic_dot", re.compile(rf"^({_ANUM}[.．])(?![0-9０-９])")),
    ("arabic_half_paren", re.compile(rf"^({_ANUM}[）)])")),
    # A bare number then a gap then CJK: `1 总则` as 标准施工招标文件 numbers its top clauses.
    ("decimal1", re.compile(rf"^([0-9０-９]{{1,2}})(?:{_SEP}+)(?=[\u4e00-\u9fff])")),
]


@dataclass(frozen=True)
class Number:
    kind: str  # chapter / section / article / decimal2.. / cn_dun / cn_paren / ...
    text: str  # the number as written, e.g. "第二章", "3.2.1", "（一）"
    rest: str  # the paragraph text after the number


def split_number(text: str) -> Optional[Number]:
    """Split a leading clause number off `text`; None when the paragraph does not start with one."""
    stripped = text.lstrip()
    for kind, pat in _PATTERNS:
        m = pat.match(stripped)
        if not m:
            continue
        num = m.group(1).strip()
        rest = stripped[m.end():].strip()
        if not rest and kind not in ("chapter", "section", "article"):
            return None  # a lone "1." is a list marker with nothing in it, or a page number
        if kind == "decimal":
            depth = len(re.split(r"[.．]", num.rstrip(".．")))
            kind = f"decimal{depth}"
        return Number(kind=kind, text=num, rest=rest)
    return None


@lru_cache(maxsize=1024)
def kind_of_rendered(number: str) -> Optional[str]:
    """The kind of a number rendered from Word auto-numbering (no text follows it)."""
    n = split_number(number + " 题")
    return n.kind if n else None


def decimal_depth(kind: str) -> Optional[int]:
    return int(kind[7:]) if kind.startswith("decimal") else None
