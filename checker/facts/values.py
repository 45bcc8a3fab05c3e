"""Typed values in tender text: money, percentages, durations, counts, dates.

The input is text already normalised by `checker.normalize.for_matching` (NFKC, whitespace removed, casefolded):
`投标保证金:人民币壹拾万元整(¥100,000.00)`, `2026年3月2日9时30分至2026年3月9日17时00分`.

How it works: the patterns run in priority order over the text, and each span a pattern claims is masked out before
the next pattern runs, so no character belongs to two values:

1. things that look numeric but are no value: standard and certificate codes (GB50300-2013, ISO9001), phone numbers;
2. dates and datetimes (with 星期, 上午/下午, 北京时间, and a range's second end written short: 至9日, 至17时);
3. more things that are no value: a bare year (2026年, 2026年3月), a time of day without a date, clause numbers
   (3.2.1), ordinals (第5页, 第三章);
4. money, then percentages, then durations and counts; ranges (50万元至80万元, 10%-20%, 3-5个工作日) and a 大写
   amount followed by its 小写 in brackets are merged into one value afterwards.

Chinese numerals are read by `cn2an` (smart mode: 壹佰万, 一百二十, 两, 3千万, 0.3亿).
"""
from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta
from typing import Optional

from .amounts import _scan_money, _scan_percent, _scan_quantities
from .numerals import Value, _Scan  # noqa: F401 (Value is this module's API)
from .numerals import (_CN_D, _CN_U, _CONN, _D1, _D1_MD, _D1_SEP, _DIGIT, _LETTER, _MONEY_HINT, _NUM, _NUMERIC_HINT,
                       _PERCENT_HINT, _QUANTITY_HINT, _SEP_DATE_HINT, _SEVEN_DIGITS, _TIME_HINT, _cn, _lead)

__all__ = ["Value", "find_values"]




# --- 1. codes and phone numbers -------------------------------------------------------------------------------------
_CODE = re.compile(_lead("a-z", "a-z0-9") + r"[a-z]*(?:/[a-z]+)?[-.]?\d[\d.\-:/a-z]*")  # gb50300-2013, iso9001
_PHONE = re.compile(
    r"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3}-)\d{7,8}(?:-\d{1,6})?(?!\d)"  # 0558-6218330, (0558)6218330
    r"|(?<!\d)0\d{9,11}(?!\d)"  # 05586218330
    r"|(?<!\d)400-?\d{3}-?\d{4}(?!\d)"  # 400 numbers
    r"|(?<![\d.])1[3-9]\d{9}(?![\d.元万亿])"  # mobile numbers
)

# --- 2. dates -------------------------------------------------------------------------------------------------------
_CN_Y = "〇○零一二三四五六七八九"
_CN_MD = "一二三四五六七八九十"
_WEEKDAY = r"(?:\(?(?:星期|周|礼拜)[一二三四五六日天七]\)?)"
# one pattern per way of writing a date; each opens with a character class (see `_lead`)
_DATE_FORMS = [
    ("full", re.compile(rf"(?P<y>{_D1}\d{{3}})年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})[日号]")),
    ("cn", re.compile(rf"(?P<y>{_lead(_CN_Y, _CN_Y)}[{_CN_Y}]{{3}})年(?P<m>[{_CN_MD}]{{1,3}})月"
                      rf"(?P<d>[{_CN_MD}]{{1,3}})[日号]")),
    ("sep", re.compile(rf"(?P<y>{_D1_SEP}\d{{3}})(?P<sp>[-/.])(?P<m>\d{{1,2}})(?P=sp)(?P<run>\d{{1,4}})"
                       rf"(?![\d]|[-/.]\d)")),
    ("md", re.compile(rf"(?P<m>{_D1_MD}\d?)月(?P<d>\d{{1,2}})[日号]")),
    ("cnmd", re.compile(rf"(?P<m>{_lead(_CN_MD, _CN_Y + '年')}[{_CN_MD}]{{0,2}})月(?P<d>[{_CN_MD}]{{1,3}})[日号]")),
]
_WEEKDAY_AT = re.compile(_WEEKDAY)
_AMPM = r"(?P<ap>上午|下午|中午|晚上|早上|凌晨|傍晚|晚)?"
_CN_HM = "零〇一二三四五六七八九十两"
_TIME_BODY = (
    rf"(?:(?P<h>\d{{1,2}}):(?P<mi>\d{{2}})(?::(?P<s>\d{{2}}))?"
    rf"|(?P<h2>\d{{1,2}}|[{_CN_HM}]{{1,3}})[时点](?:(?P<mi2>\d{{1,2}}|[{_CN_HM}]{{1,3}})分(?:(?P<s2>\d{{1,2}})秒)?"
    rf"|(?P<half>半)|整)?)"
)
_BJ = r"(?:\(北京时间\)|北京时间)"
# after a date: `,`, 北京时间 and 上午/下午 may come between the date and the time
_TIME_AFTER = re.compile(rf",?{_BJ}?{_AMPM}{_BJ}?{_TIME_BODY}(?![\d:])(?:{_BJ})?")
_BJ_AFTER = re.compile(rf"{_BJ}")
# the short second end of a range: 2026年3月2日至9日 / 9时至17时
_CONT = re.compile(rf"(?P<conn>{_CONN}|起至|止)(?:(?P<d>\d{{1,2}})[日号](?!历){_WEEKDAY}?)?")
_SEP_TIME = re.compile(r"(?P<run>\d{1,4})(?::(?P<mi>\d{2})(?::(?P<s>\d{2}))?|(?P<hz>[时点])(?:(?P<mi2>\d{1,2})分)?)")

# --- 3. no values: (hint, pattern) ----------------------------------------------------------------------------------
_NOT_VALUES = [
    ("年", re.compile(rf"{_D1}\d{{3}}年(?:度|\d{{1,2}}月(?:份)?)?")),  # 2026年 / 2026年3月 / 2026年度
    ("年", re.compile(rf"{_lead(_CN_Y, _CN_Y)}[{_CN_Y}]{{3}}年(?:度|[{_CN_MD}]{{1,3}}月)?")),  # 二〇二六年
    # a time of day without a date: 9:30, 17时00分
    (_TIME_HINT, re.compile(rf"{_D1}\d?(?::\d{{2}}(?::\d{{2}})?|[时点](?:\d{{1,2}}分(?:\d{{1,2}}秒)?|半|整)?)(?![\d:])")),
    (".", re.compile(rf"{_D1}\d*(?:\.\d+){{2,}}")),  # clause numbers 3.2.1
    ("第", re.compile(rf"第(?:{_NUM}|[{_CN_D}{_CN_U}]+)")),  # ordinals: 第5页, 第三章
]

# --------------------------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------------------------

def _mk_date(y: int, m: int, d: int) -> Optional[datetime]:
    if not (1900 <= y <= 2200 and 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]):
        return None
    return datetime(y, m, d)


def _hour(raw: Optional[str]) -> Optional[int]:
    if raw is None:
        return None
    if raw.isdigit():
        return int(raw)
    v = _cn(raw)
    return int(v) if v is not None and v == int(v) else None


def _with_time(day: datetime, m: re.Match) -> Optional[datetime]:
    """`day` at the time `m` (a _TIME_AFTER / _SEP_TIME-like match) states; None if the time is impossible."""
    g = m.groupdict()
    if g.get("h") is not None:
        h, mi, s = int(g["h"]), int(g["mi"]), int(g["s"] or 0)
    else:
        h = _hour(g.get("h2"))
        mi = _hour(g.get("mi2")) if g.get("mi2") else (30 if g.get("half") else 0)
        s = int(g.get("s2") or 0)
        if h is None or mi is None:
            return None
    ap = g.get("ap")
    if ap in ("下午", "晚上", "傍晚", "晚") and h < 12:
        h += 12
    elif ap == "中午" and h < 11:
        h += 12
    if h == 24 and mi == 0 and s == 0:  # 24:00 is the end of the day
        return day + timedelta(days=1)
    if not (0 <= h <= 23 and 0 <= mi <= 59 and 0 <= s <= 59):
        return None
    return day.replace(hour=h, minute=mi, second=s)


_PLAUSIBLE_HOURS = range(8, 24)


def _split_sep_run(y: int, mo: int, run: str) -> Optional[tuple[int, int]]:
    """`2026/3/2 9:30` reaches us as `2026/3/29:30` (whitespace is gone): split the digit run between the day and the
    hour. Returns (day, hour) or None."""
    cands = []
    for k in (1, 2):
        rest = run[k:]
        if not 1 <= len(rest) <= 2:
            continue
        d, h = int(run[:k]), int(rest)
        if _mk_date(y, mo, d) is None or not 0 <= h <= 24:
            continue
        score = (h in _PLAUSIBLE_HOURS, k)  # an office hour; then the longer day (21日9:30 over 2日19:30)
        cands.append((score, d, h))
    if not cands:
        return None
    cands.sort(reverse=True)
    return cands[0][1], cands[0][2]


def _next_date(text: str, pos: int, forms: list) -> Optional[tuple[str, re.Match]]:
    """The leftmost date at or after `pos`, in whichever form it is written."""
    best: Optional[tuple[str, re.Match]] = None
    for name, rx in forms:
        m = rx.search(text, pos)
        if m is not None and (best is None or m.start() < best[1].start()):
            best = (name, m)
    return best


# `2019年7月9—11日8:30—16:00`: a run of days inside one month, each with the same hours. Read as its first day at
# the first time and its last day at the second time; `9—11日` is no duration of 9 to 11 days.
_DAY_RUN = re.compile(rf"(?P<y>{_D1}\d{{3}})年(?P<m>\d{{1,2}})月(?P<d>\d{{1,2}})[—–~～\-](?P<d2>\d{{1,2}})[日号]")
_TIME_RUN = re.compile(rf"{_BJ}?(?P<h>\d{{1,2}}):(?P<mi>\d{{2}})[—–~～\-至到](?P<h2>\d{{1,2}}):(?P<mi2>\d{{2}})(?:{_BJ})?")


def _scan_day_runs(sc: _Scan) -> None:
    for m in list(_DAY_RUN.finditer(sc.masked)):
        y, mo, d1, d2 = int(m.group("y")), int(m.group("m")), int(m.group("d")), int(m.group("d2"))
        a, b = _mk_date(y, mo, d1), _mk_date(y, mo, d2)
        if a is None or b is None or b <= a:
            continue
        tm = _TIME_RUN.match(sc.masked, m.end())
        if tm and int(tm.group("h")) <= 23 and int(tm.group("h2")) <= 24 and int(tm.group("mi")) <= 59 \
                and int(tm.group("mi2")) <= 59:
            a = a.replace(hour=int(tm.group("h")), minute=int(tm.group("mi")))
            b = b + timedelta(days=1) if int(tm.group("h2")) == 24 else b.replace(hour=int(tm.group("h2")),
                                                                                 minute=int(tm.group("mi2")))
            end = tm.end()
        else:
            tm, end = None, m.end()
        unit = "datetime" if tm else "date"
        sc.add("date", 0.0, unit, m.start(), m.start("d2"), a)
        sc.add("date", 0.0, unit, m.start("d2"), end, b)


def _scan_dates(sc: _Scan, default_year: Optional[int]) -> None:
    if "年" in sc.masked and _DAY_RUN.search(sc.masked):
        _scan_day_runs(sc)
    text = sc.masked
    has_month, has_sep = "月" in text, _SEP_DATE_HINT.search(text) is not None
    forms = [(n, rx) for n, rx in _DATE_FORMS if (has_sep if n == "sep" else has_month)]
    last_year: Optional[int] = None  # year of the nearest preceding date written with its year
    prev: Optional[Value] = None
    pos = 0
    while True:
        found = _next_date(text, pos, forms)
        if found is None:
            return
        form, m = found
        start = m.start()
        if form in ("full", "cn", "sep"):
            day, when, end = _dated(form, m, text)
        else:
            day, when, end = _yearless(form, m, sc, prev, last_year if last_year is not None else default_year), \
                None, m.end()
        if day is None:  # an impossible or yearless date: claim it so its parts are not read as durations
            sc.claim(start, end)
            text = sc.masked
            pos = end
            continue
        if form in ("full", "cn", "sep"):
            last_year = day.year
        when, end = _time_after(text, day, when, end)
        prev = sc.add("date", 0.0, "datetime" if when is not None else "date", start, end, when or day)
        text = sc.masked
        pos = end
        second = _range_end(sc, text, end, day, forms)
        if second is not None:
            prev = second
            text = sc.masked
            pos = prev.end


def _dated(form: str, m: re.Match, text: str) -> tuple[Optional[datetime], Optional[datetime], int]:
    """(day, day and time when a time is glued to the digits, end) of a date written with its year."""
    if form == "full":
        return _mk_date(int(m.group("y")), int(m.group("m")), int(m.group("d"))), None, m.end()
    if form == "cn":
        y, mo, d = (_cn(m.group("y")), _cn(m.group("m")), _cn(m.group("d")))
        return (_mk_date(int(y), int(mo), int(d)) if None not in (y, mo, d) else None), None, m.end()
    y, mo, run = int(m.group("y")), int(m.group("m")), m.group("run")
    tm = _SEP_TIME.match(text, m.start("run"))
    if tm:  # a time of day follows the digits: split them
        return _sep_with_time(y, mo, tm, m.end())
    return (_mk_date(y, mo, int(run)) if len(run) <= 2 else None), None, m.end()


def _sep_with_time(y: int, mo: int, tm: re.Match, end: int) -> tuple[Optional[datetime], Optional[datetime], int]:
    split = _split_sep_run(y, mo, tm.group("run"))
    if not split:
        return None, None, end
    d, h = split
    day = _mk_date(y, mo, d)
    if day is None:
        return None, None, end
    mi = int(tm.group("mi") or tm.group("mi2") or 0)
    s = int(tm.group("s") or 0)
    when = None
    if h == 24 and mi == 0:
        when = day + timedelta(days=1)
    elif h <= 23 and mi <= 59 and s <= 59:
        when = day.replace(hour=h, minute=mi, second=s)
    return (day, when, tm.end()) if when is not None else (None, None, end)


def _yearless(form: str, m: re.Match, sc: _Scan, prev: Optional[Value], year: Optional[int]) -> Optional[datetime]:
    """A date written without its year takes the year of the nearest preceding date that has one (else the
    document's): 2025年12月28日至1月5日 — the second end, earlier in the year, is in the next year."""
    if form == "md":
        mo, d = int(m.group("m")), int(m.group("d"))
    else:
        mo, d = _cn(m.group("m")), _cn(m.group("d"))
    if year is None or mo is None or d is None:
        return None
    day = _mk_date(year, int(mo), int(d))
    if day is not None and prev is not None and prev.when is not None and day < prev.when.replace(
            hour=0, minute=0, second=0) and _CONT.fullmatch(sc.text, prev.end, m.start()):
        day = _mk_date(year + 1, int(mo), int(d))
    return day


def _time_after(text: str, day: datetime, when: Optional[datetime], end: int) -> tuple[Optional[datetime], int]:
    """星期, then the time of day, then （北京时间） after a date."""
    wm = _WEEKDAY_AT.match(text, end)
    if wm:
        end = wm.end()
    if when is None:
        tm = _TIME_AFTER.match(text, end)
        if tm:
            t = _with_time(day, tm)
            if t is not None:
                when, end = t, tm.end()
    bj = _BJ_AFTER.match(text, end)
    if bj:
        end = bj.end()
    return when, end


def _range_end(sc: _Scan, text: str, end: int, day: datetime, forms) -> Optional[Value]:
    """The second end of a range written short (至9日 / 至17时00分), added; None when there is none."""
    cm = _CONT.match(text, end)
    if cm is None:
        return None
    c_end = cm.end()
    if cm.group("d"):
        day2 = _mk_date(day.year, day.month, int(cm.group("d")))
        if day2 is None or day2 < day:
            return None
        tm = _TIME_AFTER.match(text, c_end)
        when2 = _with_time(day2, tm) if tm else None
        v_end = tm.end() if when2 is not None else c_end
        return sc.add("date", 0.0, "datetime" if when2 else "date", cm.end("conn"), v_end, when2 or day2)
    tm = _TIME_AFTER.match(text, c_end)
    if tm is None or any(rx.match(text, c_end) for _, rx in forms):
        return None
    when2 = _with_time(day, tm)
    if when2 is None:
        return None
    return sc.add("date", 0.0, "datetime", c_end, tm.end(), when2)


# --------------------------------------------------------------------------------------------------------------------

def find_values(text: str, default_year: Optional[int] = None) -> list[Value]:
    """The typed values in `text` (normalised by `for_matching`), in text order, not overlapping.

    A date without its year (3月16日) takes the year of the nearest date before it in `text` that states its year,
    else `default_year`; with neither it is skipped (and its digits are not read as anything else)."""
    if not text or not _NUMERIC_HINT.search(text):
        return []
    sc = _Scan(text)
    has_digit = _DIGIT.search(text) is not None
    if has_digit:
        if _LETTER.search(text):
            for m in _CODE.finditer(sc.masked):
                if not (m.group()[:3] in ("rmb", "cny") and m.group()[3:4].isdigit()):  # rmb100万元 is money
                    sc.claim(m.start(), m.end())
        if _SEVEN_DIGITS.search(text):
            for m in _PHONE.finditer(sc.masked):
                sc.claim(m.start(), m.end())
    if "月" in text or (has_digit and _SEP_DATE_HINT.search(text)):
        _scan_dates(sc, default_year)
    for hint, rx in _NOT_VALUES:
        if (hint in text) if isinstance(hint, str) else hint.search(text):
            for m in rx.finditer(sc.masked):
                sc.claim(m.start(), m.end())
    if _MONEY_HINT.search(text):
        _scan_money(sc)
    if _PERCENT_HINT.search(text):
        _scan_percent(sc)
    if _QUANTITY_HINT.search(text):
        _scan_quantities(sc)
    sc.values.sort(key=lambda v: v.start)
    return sc.values
