"""Facts computed from other facts: periods between two dates, counted as the law counts them.

民法典 第二百零一条: the first day of a period is not counted; 第二百零三条: a last day on a statutory holiday moves
to the next day. Working days come from the holiday calendar (chinese_calendar, 调休 included). The same sale period
is also counted inclusively (both ends), as many agencies do: where the two readings disagree on the limit the rule
says so and gives both counts (catalogue TIME-SALE-PERIOD).
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from .model import Fact
from .periods import CalendarGap, days_between, working_days_between

try:
    from chinese_calendar import is_workday
except ImportError:  # pragma: no cover - chinesecalendar is a dependency
    is_workday = None

# name, from, to, unit
PERIODS = [
    ("发售期", "文件获取开始", "文件获取截止", "日"),
    # 工程: 异议 on the file may be lodged until 10 days before the deadline (实施条例第二十二条); 政府采购: 7 working days
    # from getting the file (政府采购法第五十二条). A result objection's date after the deadline is no such cut-off.
    ("异议截止至投标截止", "异议截止", "投标截止", "日"),
    ("文件获取截止至质疑截止", "文件获取截止", "异议截止", "工作日"),
    ("发售期", "文件获取开始", "文件获取截止", "工作日"),
    ("等标期", "文件获取开始", "投标截止", "日"),
    ("等标期", "文件获取开始", "投标截止", "工作日"),  # 谈判/询价: 3个工作日 (财政部令第74号)
    ("资格预审申请期", "文件获取截止", "资格预审申请截止", "日"),
    ("资格预审申请期", "公告发布", "资格预审申请截止", "工作日"),
]


_LONGEST_ALLOWED = {"异议截止至投标截止"}
_QUIET_WHEN_REVERSED = {"异议截止至投标截止", "文件获取截止至质疑截止"}


def derive(facts: list[Fact]) -> tuple[list[Fact], list[str]]:
    """The periods the document's dates allow, and notes on what could not be computed (calendar gaps)."""
    dates: dict[str, list[Fact]] = {}
    for f in facts:
        if f.kind == "date" and f.when is not None:
            dates.setdefault(f.name, []).append(f)
    out: list[Fact] = []
    notes: list[str] = []
    for name, a_name, b_name, unit in PERIODS:
        if not dates.get(a_name) or not dates.get(b_name):
            continue
        # Every period rule is a minimum: where a document gives a date twice (or we attach one wrongly), the
        # reading most favourable to the document is the earliest start and the latest end. A finding must not
        # rest on a misread date.
        a = min(dates[a_name], key=lambda f: f.when)
        b = max(dates[b_name], key=lambda f: f.when)
        if name in _LONGEST_ALLOWED:
            # a maximum: the favourable reading is the latest cut-off and the earliest deadline
            a = max(dates[a_name], key=lambda f: f.when)
            b = min(dates[b_name], key=lambda f: f.when)
        if b.when.date() <= a.when.date() and name in _QUIET_WHEN_REVERSED:
            continue  # a cut-off after the deadline is for another objection (the result's), not the file's
        if b.when.date() <= a.when.date():
            # A period of 0 days (or negative) is a misreading, not a fact: the same date was read as both ends.
            notes.append(f"{name}无法推算：{a_name}（{a.shown()}）不早于{b_name}（{b.shown()}），日期可能识别有误")
            continue
        start, end = a.when.date(), b.when.date()
        try:
            value, alt = _count(start, end, unit)
            if name != "发售期":
                alt = None  # only the sale period is commonly counted both ways
        except CalendarGap as gap:
            notes.append(f"{name}（{unit}）无法计算：{gap}")
            continue
        out.append(Fact(
            id=f"d{len(out)}", name=name, kind="duration", value=value, unit=unit, alt=alt,
            text=f"{a.shown()} 至 {b.shown()}", clause_id=b.clause_id, location=b.location, context=b.context,
            derived_from=[a.id, b.id],
        ))
    return out, notes


def _count(start: date, end: date, unit: str) -> tuple[float, Optional[float]]:
    if unit == "日":
        n = days_between(start, end)
        return float(n), float(n + 1)
    n = working_days_between(start, end)
    counted_start = is_workday(start) if is_workday else False
    return float(n), float(n + (1 if counted_start else 0))


def from_notice(facts: list[Fact], notice: Fact) -> list[Fact]:
    """The 等标期 of a notice that names no date for getting the documents, counted from the notice's own date: the
    documents cannot be had before the notice that offers them (real: a 辽宁 磋商 notice signed 2019-7-8 taking
    responses 7月9—11日, bench/unseen u5). Counted as `derive` counts, the latest deadline read; nothing when the
    document names when its documents are given out (that date counts, not the notice's)."""
    if notice.when is None or any(f.name == "文件获取开始" for f in facts):
        return []
    ends = [f for f in facts if f.name == "投标截止" and f.kind == "date" and f.when is not None]
    if not ends:
        return []
    end = max(ends, key=lambda f: f.when)
    start_day, end_day = notice.when.date(), end.when.date()
    if end_day <= start_day:
        return []
    out = []
    for unit in ("日", "工作日"):
        try:
            value, _ = _count(start_day, end_day, unit)
        except CalendarGap:
            continue
        out.append(Fact(id=f"dn{len(out)}", name="等标期", kind="duration", value=value, unit=unit,
                        text=f"{notice.shown()}（公告日期） 至 {end.shown()}", clause_id=end.clause_id,
                        location=end.location, context=end.context, derived_from=[notice.id, end.id]))
    return out


def cutoff_from_issue(facts: list[Fact], issued: Optional[date]) -> list[Fact]:
    """The file's 异议 cut-off counted from the day its documents were first given out, for a document whose bid
    deadline was not read: 依法必须招标 gives bidders at least 20 days from that day to the deadline (招标投标法第二十四
    条) and lets them object until 10 days before it (实施条例第二十二条), so a cut-off fewer than 10 days after the first
    day is early whatever the deadline (real: 重庆 2013, 公告 of 5月17日 stopping 质疑 on 5月21日, bench/clauses timing).
    The first day is the sale's start when read, else the document's own date (a notice cannot give out documents before
    it is published); the latest cut-off read counts. Nothing when a deadline is read: the exact count is
    异议截止至投标截止's."""
    def dated(name: str) -> list[Fact]:
        return [f for f in facts if f.name == name and f.kind == "date" and f.when is not None]
    cuts = dated("异议截止")
    if dated("投标截止") or not cuts:
        return []
    cut = max(cuts, key=lambda f: f.when)
    starts = dated("文件获取开始")
    first = min(starts, key=lambda f: f.when) if starts else None
    start = first.when.date() if first else issued
    if start is None or cut.when.date() <= start:
        return []
    shown = first.shown() if first else f"{start.isoformat()}（文件日期）"
    return [Fact(id="dc0", name="文件发出至异议截止", kind="duration", value=float(days_between(start, cut.when.date())),
                 unit="日", text=f"{shown} 至 {cut.shown()}", clause_id=cut.clause_id, location=cut.location,
                 context=cut.context, derived_from=[f.id for f in (first, cut) if f is not None])]
