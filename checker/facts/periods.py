"""Counting periods as the law counts them.

民法典 第二百零一条: 按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。
民法典 第二百零二条: 按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，为月末日。
民法典 第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。

Working days and 法定休假日 come from `chinese_calendar` (package `chinesecalendar`), which knows each year's
holidays and the 调休 weekend days that are working days. A day is a 法定休假日 here when it is not a working day:
weekends count (最高人民法院 practice since 民通意见 第198条: 星期日或者其他法定休假日), a 调休 Saturday does not
(有变通的，以实际休假日的次日为期间的最后一日). The calendar only covers the years the State Council has published;
outside them `CalendarGap` is raised rather than a guess.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta

import chinese_calendar

__all__ = ["CalendarGap", "days_between", "working_days_between", "last_day", "holiday_calendar_years",
           "is_workday"]

_NATURAL_DAYS = ("日", "天", "自然日")  # the last day moves past a 法定休假日 (第二百零三条)
_CALENDAR_DAYS = ("日历天", "日历日")  # counted straight through: 工期 in 日历天 includes holidays by definition
_WORKING_DAYS = ("工作日", "个工作日")


class CalendarGap(Exception):
    """The installed holiday calendar does not cover a year the computation needs."""

    def __init__(self, year: int):
        lo, hi = holiday_calendar_years()
        super().__init__(f"节假日日历未覆盖{year}年（已覆盖{lo}–{hi}年）")
        self.year = year


def holiday_calendar_years() -> tuple[int, int]:
    """The first and last year the installed `chinese_calendar` covers."""
    years = [d.year for d in chinese_calendar.holidays] + [d.year for d in chinese_calendar.workdays]
    return min(years), max(years)


def is_workday(d: date) -> bool:
    """A working day (调休 weekend days included); raises CalendarGap outside the calendar's years."""
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError as e:
        raise CalendarGap(d.year) from e


def days_between(start: date, end: date) -> int:
    """Natural days from `start` to `end`, the start day not counted (第二百零一条): 3月2日 → 3月9日 is 7 days."""
    return (end - start).days


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before `start`)."""
    if end < start:
        return -working_days_between(end, start)
    n = 0
    d = start + timedelta(days=1)
    while d <= end:
        if is_workday(d):
            n += 1
        d += timedelta(days=1)
    return n


def _add_months(d: date, months: int) -> date:
    """第二百零二条: the corresponding day of the month the period ends in, or that month's last day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _next_workday_from(d: date) -> date:
    """`d`, or the day after the 法定休假日 it falls in (第二百零三条)."""
    while not is_workday(d):
        d += timedelta(days=1)
    return d


def last_day(start: date, n: int, unit: str) -> date:
    """The last day of a period of `n` `unit`s that starts after `start` (the start day is not counted).

    - 日 / 天 / 自然日: `start + n` days, moved to the next working day when that is a 法定休假日;
    - 日历天 / 日历日: `start + n` days, not moved;
    - 工作日: the n-th working day after `start`;
    - 月 / 个月 / 年: the corresponding day (or month end) n months / years on, moved like 日.
    """
    if n < 0:
        raise ValueError(f"a period cannot be negative: {n}{unit}")
    if unit in _CALENDAR_DAYS:
        return start + timedelta(days=n)
    if unit in _NATURAL_DAYS:
        return _next_workday_from(start + timedelta(days=n))
    if unit in _WORKING_DAYS:
        d, left = start, n
        while left > 0:
            d += timedelta(days=1)
            if is_workday(d):
                left -= 1
        return d
    if unit in ("月", "个月"):
        return _next_workday_from(_add_months(start, n))
    if unit == "年":
        return _next_workday_from(_add_months(start, 12 * n))
    raise ValueError(f"unsupported period unit: {unit}")
