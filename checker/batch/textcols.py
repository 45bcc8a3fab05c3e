"""Columns that line up in a terminal when they hold Chinese: a CJK character takes two cells, so `f"{s:30}"`
(which counts characters) misaligns every row after a Chinese path or name."""
from __future__ import annotations

import unicodedata


def width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 0 if unicodedata.combining(c) else 1
               for c in s)


def pad(s: str, cells: int, right: bool = False) -> str:
    """`s` padded with spaces to `cells` terminal cells (never cut: a longer value pushes the row, as f-strings do)."""
    fill = " " * max(0, cells - width(s))
    return fill + s if right else s + fill
