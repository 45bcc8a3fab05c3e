"""The value type, the scanner's state and the building blocks of value patterns (numbers in figures and in Chinese numerals, range connectors, cheap hints)
and how a number is read: shared by the date, money, percentage and quantity scanners (checker/facts/values.py,
checker/facts/amounts.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Optional

import cn2an


@dataclass(frozen=True)
class Value:
    kind: str  # "money" | "percent" | "duration" | "date" | "count"
    value: float  # money in 元; percent in percentage points; duration/count in `unit`s; date: 0.0
    unit: str  # 元 % 日 工作日 日历天 月 年 小时 周 分钟 date datetime 个 人 人次 项 分 家 名
    start: int
    end: int
    text: str
    when: Optional[datetime] = None
    high: Optional[float] = None  # the high end of a range; `value` is the low end


class _Scan:
    """The text with claimed spans masked out, and the values found so far."""

    MASK = "\x00"

    def __init__(self, text: str):
        self.text = text
        self.masked = text
        self.values: list[Value] = []

    def claim(self, start: int, end: int) -> None:
        self.masked = self.masked[:start] + self.MASK * (end - start) + self.masked[end:]

    def add(self, kind: str, value: float, unit: str, start: int, end: int, when: Optional[datetime] = None,
            high: Optional[float] = None) -> Value:
        v = Value(kind, float(value), unit, start, end, self.text[start:end], when,
                  None if high is None else float(high))
        self.values.append(v)
        self.claim(start, end)
        return v


# --------------------------------------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------------------------------------

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"  # 1,000,000.00 / 100 / 0.3
_NB = r"(?<![\d.a-z])"  # a number starts here: not inside another number or a code
_CN_D = "零〇○一二三四五六七八九十两廿百千万"  # lower-case numerals
_CN_U = "壹贰叁肆伍陆柒捌玖拾佰仟"  # 大写
_CN_START = "一二三四五六七八九十两廿壹贰叁肆伍陆柒捌玖拾"  # a numeral may start with these
_CNNUM = rf"[{_CN_START}][{_CN_D}{_CN_U}]*"
_CN_DEC = rf"(?:{_CNNUM}|零)(?:点[{_CN_D}]+)?"  # 二点五 / 零点五
_CONN = r"(?:至|到|~|〜|-|–|—{1,2}|―|－)"


def _lead(first: str, not_after: str) -> str:
    """One character of `first` that does not follow a character of `not_after`.

    Written as `[first](?<![not_after].)` rather than `(?<![not_after])[first]` because `re` scans quickly for a
    pattern that opens with a character class, and slowly for one that opens with a lookbehind."""
    return rf"[{first}](?<![{not_after}][\s\S])"


_D1 = _lead(r"\d", r"\d.")  # the first digit of a number
_D1_NB = _lead(r"\d", r"\d.a-z")  # ... not part of a code either
_D1_SEP = _lead(r"\d", r"\d./-")  # ... not inside 2026-03-02-1
_D1_MD = _lead(r"\d", r"\d.年")  # the month of a date written without its year
# the rest of `_NUM` once its first digit is read
_NUM_REST = r"(?:\d{0,2}(?:,\d{3})+|\d*)(?:\.\d+)?"

# cheap scans (a character class, which `re` finds fast) that say whether a pattern can match at all: most clauses
# skip most patterns
_NUMERIC_HINT = re.compile(rf"[\d{_CN_D}{_CN_U}‰%]")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[a-z]")
_SEVEN_DIGITS = re.compile(r"\d{7}")
_SEP_DATE_HINT = re.compile(r"\d[-/.]\d")
_TIME_HINT = re.compile(r"[时点:]")
_MONEY_HINT = re.compile(r"[元圆万亿¥]")
_PERCENT_HINT = re.compile(r"[%‰]|分之|百分点")
_QUANTITY_HINT = re.compile(r"[天日月年时钟周星人名个项家分]")

# --------------------------------------------------------------------------------------------------------------------
# Reading numbers
# --------------------------------------------------------------------------------------------------------------------

@lru_cache(maxsize=4096)
def _cn(s: str) -> Optional[float]:
    """A Chinese (or mixed: 3千万, 0.3亿) numeral, or None where cn2an cannot read it."""
    try:
        return float(cn2an.cn2an(s.replace("○", "〇"), "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


_MUL_VALUE = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def _arabic(num: str, mul: Optional[str] = None) -> float:
    n = float(num.replace(",", ""))
    if not mul:
        return n
    v = _cn(f"{num.replace(',', '')}{mul}")
    if v is None:  # cn2an does not read every mix (2.5千万)
        v = n
        for ch in mul:
            v *= _MUL_VALUE[ch]
    return v


def _money(v: float) -> float:
    return round(v, 2)


