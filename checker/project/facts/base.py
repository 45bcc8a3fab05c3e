"""What every fact family shares: the facts being gathered (`ProjectFacts`), the project's context, how periods are
counted (民法典 第二百零一条: the first day is not counted; 第二百零三条: a last day on a statutory holiday moves to the
next working day; working days from the holiday calendar) and how a fact names its documents (`Evidence`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Optional

from ...facts.model import Fact
from ...facts.periods import CalendarGap, days_between, last_day, working_days_between
from ..dossier import Dossier, DossierDoc, KeyDate
from ..extract import Candidate, Found
from ..report import Evidence, ProjectFact, TimelineEvent


@dataclass
class ProjectFacts:
    facts: list[ProjectFact] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)  # fact name → why it could not be derived
    not_applicable: dict[str, str] = field(default_factory=dict)  # fact name → why it does not apply here
    timeline: list[TimelineEvent] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, fact: ProjectFact) -> None:
        self.facts.append(fact)

    def miss(self, name: str, reason: str) -> None:
        self.missing.setdefault(name, reason)

    def miss_all(self, names, reason: str) -> None:
        for name in names:
            self.miss(name, reason)

    def names(self) -> set[str]:
        return {f.name for f in self.facts}


@dataclass
class Context:
    regime: str
    procurement: Optional[str]
    state_funded: Optional[bool]
    state_funded_from: str = ""
    params: dict = field(default_factory=dict)


def d2s(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M") if (when.hour or when.minute) else when.strftime("%Y-%m-%d")


def money(v: float) -> str:
    return f"{v / 10_000:g}万元" if v >= 10_000 else f"{v:g}元"


def event(pf: ProjectFacts, when: datetime, what: str, d: DossierDoc, note: str = "") -> None:
    pf.timeline.append(TimelineEvent(date=d2s(when), event=what, doc_type=d.doc_type, path=d.rel, stage=d.stage,
                                     note=note))


def reg_evidence(dossier: Dossier, what: str, value: str) -> Evidence:
    reg = dossier.registration
    path = ""
    if reg is not None and reg.path:
        try:
            path = str(Path(reg.path).resolve().relative_to(dossier.directory.resolve()))
        except ValueError:
            path = reg.path
    return Evidence(doc_type="项目登记", path=path, what=what, value=value)


def typed(d: DossierDoc, name: str, kind: Optional[str] = None) -> list[Fact]:
    return [f for f in d.typed if f.name == name and (kind is None or f.kind == kind)]


def lexicon(d: DossierDoc, name: str, kind: str) -> Optional[Found]:
    return next((f for f in (d.data.found if d.data else []) if f.name == name and f.value.kind == kind), None)


def found_fact(name: str, d: DossierDoc, f: Found, shown: str, what: str) -> ProjectFact:
    v = f.value
    return ProjectFact(name=name, kind=v.kind, value=float(v.value), unit="日" if v.kind == "duration" else v.unit,
                       shown=shown, comparison=f"{d.doc_type} {what} {shown}",
                       evidence=[d.evidence(what, shown, f.clause, f.sentence)], stage=d.stage)


def winner_of(dossier: Dossier) -> Optional[tuple[str, DossierDoc]]:
    for t in ("中标通知书", "中标结果公告"):
        for d in dossier.of_type(t):
            if d.data and d.data.names.get("中标人"):
                return d.data.names["中标人"], d
    return None


def candidates_of(dossier: Dossier) -> Optional[tuple[list[Candidate], DossierDoc]]:
    for t in ("评标报告", "中标候选人公示"):
        for d in dossier.of_type(t):
            if d.data and d.data.candidates:
                return d.data.candidates, d
    return None


# ------------------------------------------------------------------------------------------------ period counting


def within(start: date, end: date, n: int, unit: str = "日") -> tuple[float, float, str]:
    """A period that must end within n units after start. Returns (value for the rule, days as counted, note):
    value > n exactly when `end` is after the legal last day (民法典 第二百零一条、第二百零三条)."""
    if unit == "工作日":
        wd = working_days_between(start, end)
        return float(wd), float(wd), ""
    raw = days_between(start, end)
    last = last_day(start, n, "日")
    plain = start + timedelta(days=n)
    note = ""
    if last != plain:
        note = f"第{n}日 {plain.isoformat()} 为法定休假日，期限顺延至 {last.isoformat()}（民法典第二百零三条）"
    return float(n + (end - last).days), float(raw), note


def at_least(start: date, end: date, n: int) -> tuple[float, float, str]:
    """A period that must last at least n days from start (公示期不得少于3日): value < n exactly when `end` is before
    the legal last day."""
    raw = days_between(start, end)
    last = last_day(start, n, "日")
    plain = start + timedelta(days=n)
    note = ""
    if last != plain:
        note = f"第{n}日 {plain.isoformat()} 为法定休假日，应持续至 {last.isoformat()}（民法典第二百零三条）"
    return float(n - (last - end).days), float(raw), note


def period_fact(name: str, a: KeyDate, b: KeyDate, value: float, raw: float, unit: str, a_label: str,
                b_label: str, note: str = "", stage: Optional[str] = None, **extra) -> ProjectFact:
    shown = f"{raw:g}{unit}"
    comparison = f"{a_label} {d2s(a.when)} → {b_label} {d2s(b.when)} = {shown}"
    if note and value != raw:
        # the holiday rule moved the legal last day: say so where the values are compared
        comparison += "（" + note.split("，", 1)[1].replace("（民法典第二百零三条）", "，民法典第二百零三条") + "）"
    return ProjectFact(name=name, kind="duration", value=value, unit=unit, shown=shown, comparison=comparison,
                       evidence=[a.evidence, b.evidence], note=note, stage=stage, **extra)


def add_within(pf: ProjectFacts, name: str, a: KeyDate, b: KeyDate, n: int, unit: str, a_label: str, b_label: str,
               stage: Optional[str], gap_prefix: str = "无法计算", **extra) -> bool:
    """The period from `a` to `b` that must end within n units, as a fact; a calendar year the holiday calendar does
    not cover leaves the fact missing with the reason. True when the fact was added."""
    try:
        value, raw, note = within(a.day, b.day, n, unit)
    except CalendarGap as gap:
        pf.miss(name, f"{gap_prefix}：{gap}")
        return False
    pf.add(period_fact(name, a, b, value, raw, unit, a_label, b_label, note=note, stage=stage, **extra))
    return True
