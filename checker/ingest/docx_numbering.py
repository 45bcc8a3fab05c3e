"""Render Word auto-numbering (numbering.xml) as Word displays it: 第一章, 1.1, （一）, ①, (1).

python-docx gives paragraph text without its list number, and for tender documents the number *is* the clause id,
so we rebuild it: `w:num` → `w:abstractNum` levels (`start`, `numFmt`, `lvlText`, `isLgl`, `lvlRestart`), with
`lvlOverride` (`startOverride`, replacement `w:lvl`) and `numStyleLink` indirection. Counters advance in document
order, so `Numbering.render` must be called once per numbered paragraph, in reading order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable, Optional

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = W + "val"
_PLACEHOLDER = re.compile(r"%([1-9])")


def on(el) -> bool:
    """An OOXML on/off property: present means on unless w:val says false."""
    return el is not None and el.get(_VAL, "true") not in ("0", "false", "off")


def int_val(el, default: Optional[int] = None) -> Optional[int]:
    try:
        return int(el.get(_VAL)) if el is not None else default
    except (TypeError, ValueError):
        return default


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: Optional[str] = None  # lvlText; None = absent (Word then shows nothing)
    is_lgl: bool = False
    restart: Optional[int] = None  # lvlRestart: restart after a use of 1-based level ≤ this; 0 = never
    style: Optional[str] = None  # w:pStyle linking a paragraph style to this level


def parse_level(lvl) -> Level:
    def val(tag: str) -> Optional[str]:
        el = lvl.find(W + tag)
        return el.get(_VAL) if el is not None else None

    return Level(
        start=int_val(lvl.find(W + "start"), 1),
        fmt=val("numFmt") or "decimal",
        text=val("lvlText"),
        is_lgl=on(lvl.find(W + "isLgl")),
        restart=int_val(lvl.find(W + "lvlRestart")),
        style=val("pStyle"),
    )


class Numbering:
    """numbering.xml plus the running counters of one document walk."""

    def __init__(self, root, numbering_style_nums: Optional[dict[str, str]] = None):
        # numbering_style_nums: numbering-style id → numId from styles.xml, for numStyleLink indirection.
        self._style_nums = numbering_style_nums or {}
        self._abstract: dict[str, tuple[dict[int, Level], Optional[str]]] = {}  # id → (levels, numStyleLink)
        # numId → (abstractId, {ilvl: (replacement w:lvl or None, startOverride or None)})
        self._nums: dict[str, tuple[str, dict[int, tuple[Optional[Level], Optional[int]]]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._resolved: dict[str, Optional[tuple[str, dict[int, Level]]]] = {}
        if root is not None:
            self._parse(root)

    def _parse(self, root) -> None:
        for an in root.iterchildren(W + "abstractNum"):
            levels = {_int_attr(lvl, "ilvl"): parse_level(lvl) for lvl in an.iterchildren(W + "lvl")}
            link = an.find(W + "numStyleLink")
            self._abstract[an.get(W + "abstractNumId")] = (levels, link.get(_VAL) if link is not None else None)
        for num in root.iterchildren(W + "num"):
            abstract = num.find(W + "abstractNumId")
            if abstract is None:
                continue
            overrides = {}
            for ov in num.iterchildren(W + "lvlOverride"):
                lvl = ov.find(W + "lvl")
                overrides[_int_attr(ov, "ilvl")] = (parse_level(lvl) if lvl is not None else None,
                                                    int_val(ov.find(W + "startOverride")))
            self._nums[num.get(W + "numId")] = (abstract.get(_VAL), overrides)

    def _resolve(self, num_id: str) -> Optional[tuple[str, dict[int, Level]]]:
        """(counter key, levels) for a numId. Nums sharing an abstractNum share counters, as in Word, unless the
        num overrides levels (Word's "restart numbering" writes a new num with a startOverride)."""
        if num_id in self._resolved:
            return self._resolved[num_id]
        result = None
        num = self._nums.get(num_id)
        if num is not None:
            abstract_id, overrides = num
            abstract_id, levels = self._follow_style_link(abstract_id)
            if levels is not None:
                merged = dict(levels)
                for ilvl, (lvl, start) in overrides.items():
                    lvl = lvl or merged.get(ilvl)
                    if lvl is not None:
                        merged[ilvl] = lvl if start is None else replace(lvl, start=start)
                result = ("num:" + num_id if overrides else abstract_id, merged)
        self._resolved[num_id] = result
        return result

    def _follow_style_link(self, abstract_id: str, depth: int = 0):
        """An abstractNum with numStyleLink has no levels of its own: go numbering style → numId → abstractNum."""
        levels, link = self._abstract.get(abstract_id, (None, None))
        if link and depth < 5:
            num = self._nums.get(self._style_nums.get(link, ""))
            if num is not None:
                return self._follow_style_link(num[0], depth + 1)
        return abstract_id, levels

    def level_for_style(self, num_id: str, style_id: Optional[str]) -> Optional[int]:
        """The ilvl whose w:pStyle names this style: how Word places a styled paragraph whose style omits ilvl."""
        resolved = self._resolve(num_id)
        if resolved and style_id:
            for ilvl, lvl in resolved[1].items():
                if lvl.style == style_id:
                    return ilvl
        return None

    def render(self, num_id: str, ilvl: int) -> Optional[str]:
        """Advance the counters for one paragraph of list num_id at level ilvl and return its displayed number.

        None for no numbering (numId 0, unknown ids) and for bullets; "" for numFmt none."""
        resolved = self._resolve(num_id) if num_id and num_id != "0" else None
        if resolved is None:
            return None
        key, levels = resolved
        level = levels.get(ilvl)
        if level is None:
            return None
        counters = self._counters.setdefault(key, {})
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels.get(deeper, Level()).restart
            threshold = deeper if restart is None else restart  # ilvl < threshold ⇔ 1-based level ≤ lvlRestart
            if ilvl < threshold:
                del counters[deeper]
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else level.start
        if level.fmt == "bullet":
            return None
        if level.text is None:
            return ""

        def placeholder(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            ref = levels.get(k, Level())
            value = counters.get(k, ref.start)
            fmt = "decimal" if level.is_lgl and ref.fmt not in ("none", "bullet") else ref.fmt
            return format_number(value, fmt)

        return _PLACEHOLDER.sub(placeholder, level.text)


def _int_attr(el, name: str) -> int:
    try:
        return int(el.get(W + name, "0"))
    except ValueError:
        return 0


# ---------------------------------------------------------------------------------------------------------------------
# Number formats (ST_NumberFormat). Unknown formats fall back to decimal, which keeps the clause id usable.

_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_IDEOGRAPH_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")
_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_TRADITIONAL_LEGAL = str.maketrans("贰叁陆万", "貳參陸萬")


def _enclosed(n: int, ranges: list[tuple[int, int, int]]) -> str:
    """Single-character enclosed numbers (①, ⑴, ⒈); beyond the Unicode range Word falls back to digits."""
    for lo, hi, base in ranges:
        if lo <= n <= hi:
            return chr(base + n - lo)
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def _chinese(n: int, mode: str) -> str:
    # cn2an costs ~0.25 s to import (it builds its converters at import), so only pay it for documents that use
    # Chinese list formats. an2cn writes 10 → 十, 11 → 十一, 110 → 一百一十, as Word does.
    import cn2an

    return cn2an.an2cn(n, mode)


# A counter past this is no real list (a hostile w:start of 1e22 made cn2an raise and Roman numerals would be a
# string of 1e19 letters): clamped, as Word clamps w:start, instead of failing the document.
MAX_COUNTER = 32767


def _letters(n: int) -> str:
    """Word: A..Z, then AA..ZZ, AAA.. (the letter repeated), not spreadsheet-style AB."""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


# w:numFmt → the counter's text (for n ≥ 1, at most MAX_COUNTER); a format not listed is written in digits.
_FORMATS: dict[str, Callable[[int], str]] = {
    **dict.fromkeys(("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
                     "taiwaneseCountingThousand", "koreanCounting"), lambda n: _chinese(n, "low")),
    "chineseLegalSimplified": lambda n: _chinese(n, "up"),
    **dict.fromkeys(("ideographLegalTraditional", "japaneseLegal"),
                    lambda n: _chinese(n, "up").translate(_TRADITIONAL_LEGAL)),
    **dict.fromkeys(("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital"),
                    lambda n: str(n).translate(_IDEOGRAPH_DIGITS)),
    "ideographTraditional": lambda n: _STEMS[(n - 1) % 10],
    "ideographZodiac": lambda n: _BRANCHES[(n - 1) % 12],
    "ideographZodiacTraditional": lambda n: _STEMS[(n - 1) % 10] + _BRANCHES[(n - 1) % 12],
    **dict.fromkeys(("decimalEnclosedCircle", "decimalEnclosedCircleChinese"),
                    lambda n: _enclosed(n, [(1, 20, 0x2460), (21, 35, 0x3251), (36, 50, 0x32B1)])),
    "ideographEnclosedCircle": lambda n: _enclosed(n, [(1, 10, 0x3280)]),
    "decimalEnclosedParen": lambda n: _enclosed(n, [(1, 20, 0x2474)]),
    "decimalEnclosedFullstop": lambda n: _enclosed(n, [(1, 20, 0x2488)]),
    **dict.fromkeys(("decimalFullWidth", "decimalFullWidth2"), lambda n: str(n).translate(_FULLWIDTH_DIGITS)),
    "decimalZero": lambda n: f"{n:02d}",
    "upperRoman": lambda n: _roman(n),
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": _letters,
    "lowerLetter": lambda n: _letters(n).lower(),
}


@lru_cache(maxsize=4096)
def format_number(n: int, fmt: str) -> str:
    if fmt in ("none", "bullet", ""):
        return ""
    n = min(n, MAX_COUNTER)
    if n <= 0 and fmt not in ("decimal", "decimalZero"):
        return str(n)
    return _FORMATS.get(fmt, str)(n)
