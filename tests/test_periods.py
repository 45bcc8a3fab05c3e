"""Periods counted as 民法典 第二百零一条 to 第二百零三条 count them (checker.facts.periods)."""
from datetime import date, timedelta

import pytest

from checker.facts.periods import (CalendarGap, days_between, holiday_calendar_years, is_workday, last_day,
                                   working_days_between)


def test_calendar_covers_the_current_years():
    lo, hi = holiday_calendar_years()
    assert lo <= 2025 and hi >= 2026
    with pytest.raises(CalendarGap):
        is_workday(date(hi + 1, 6, 1))


def test_national_day_2025():
    # 国庆、中秋 2025: 10月1日至8日放假，9月28日（星期日）、10月11日（星期六）上班
    for d in range(1, 9):
        assert not is_workday(date(2025, 10, d))
    assert is_workday(date(2025, 9, 28)) and date(2025, 9, 28).weekday() == 6
    assert is_workday(date(2025, 10, 11)) and date(2025, 10, 11).weekday() == 5
    assert not is_workday(date(2025, 10, 12))  # an ordinary Sunday
    # after 9月26日 (Fri): 9/28, 9/29, 9/30, 10/9, 10/10, 10/11
    assert working_days_between(date(2025, 9, 26), date(2025, 10, 12)) == 6


def test_spring_festival_2026():
    # chinese_calendar 1.11: 春节 2026 is 2月15日至23日, with 2月14日 and 2月28日 (both Saturdays) working days
    off = [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]
    assert all(not is_workday(d) for d in off)
    assert is_workday(date(2026, 2, 13)) and is_workday(date(2026, 2, 24))
    assert is_workday(date(2026, 2, 14)) and date(2026, 2, 14).weekday() == 5
    assert is_workday(date(2026, 2, 28)) and date(2026, 2, 28).weekday() == 5
    # 2月13日 → 2月27日: 14, 24, 25, 26, 27
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 27)) == 5


def test_days_between_does_not_count_the_first_day():
    assert days_between(date(2026, 3, 2), date(2026, 3, 9)) == 7
    assert days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert days_between(date(2099, 1, 1), date(2099, 1, 31)) == 30  # no calendar needed


def test_working_days_between():
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 9)) == 5  # Mon → next Mon
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 2)) == -5


def test_last_day_moves_past_a_holiday():
    # 9月25日 + 6日 = 10月1日 (国庆) → 10月9日, the day after the holiday ends
    assert last_day(date(2025, 9, 25), 6, "日") == date(2025, 10, 9)
    # 2月10日 + 5日 = 2月15日 (春节) → 2月24日
    assert last_day(date(2026, 2, 10), 5, "日") == date(2026, 2, 24)
    # ending on an ordinary Saturday → Monday
    assert last_day(date(2026, 3, 2), 5, "日") == date(2026, 3, 9)
    # ending on a 调休 Saturday, a working day → not moved
    assert last_day(date(2026, 2, 9), 5, "日") == date(2026, 2, 14)
    # an ordinary working day
    assert last_day(date(2026, 3, 2), 7, "日") == date(2026, 3, 9)


def test_last_day_in_calendar_days_is_not_moved():
    assert last_day(date(2025, 9, 25), 6, "日历天") == date(2025, 10, 1)


def test_last_day_in_working_days():
    assert last_day(date(2025, 9, 26), 6, "工作日") == date(2025, 10, 11)
    assert last_day(date(2026, 3, 2), 5, "工作日") == date(2026, 3, 9)


def test_last_day_in_months():
    # 第二百零二条: the corresponding day, or the month's last day; then moved like 日
    assert last_day(date(2026, 1, 31), 1, "月") == date(2026, 2, 28)  # a 调休 Saturday: a working day
    assert last_day(date(2025, 3, 10), 1, "月") == date(2025, 4, 10)
    assert last_day(date(2025, 3, 31), 6, "月") == date(2025, 9, 30)  # no 9月31日: the month's last day
    assert last_day(date(2025, 4, 1), 6, "个月") == date(2025, 10, 9)  # 10月1日 (国庆) → 10月9日
    assert last_day(date(2024, 2, 29), 1, "年") == date(2025, 2, 28)


def test_calendar_gap():
    with pytest.raises(CalendarGap) as e:
        working_days_between(date(2099, 1, 1), date(2099, 1, 10))
    assert "2099" in str(e.value)
    assert e.value.year == 2099
    with pytest.raises(CalendarGap):
        last_day(date(2099, 3, 2), 5, "日")
    with pytest.raises(CalendarGap):
        last_day(date(2099, 3, 2), 5, "工作日")
    assert last_day(date(2099, 3, 2), 5, "日历天") == date(2099, 3, 7)


def test_bad_units():
    with pytest.raises(ValueError):
        last_day(date(2026, 3, 2), 5, "小时")
    with pytest.raises(ValueError):
        last_day(date(2026, 3, 2), -1, "日")
