"""Reviewers' verdicts fed back into rule quality — the one definition the desk (`serve`, 规则统计) and the overnight
dashboard (`scan --report` / `--site` with `--review-db`) both import, so that they flag the same rules.

`rule_rates(db)` — per rule: findings, confirmed, dismissed, pending, the confirmation rate among decided findings,
and a flag when the dismissal rate reaches the threshold with enough verdicts to mean something.

Here rather than in checker/serve/: batch must not depend on the web service; the review database itself
(checker/serve/store.py) is plain SQLite and imports nothing of the web layer.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

from .errors import UsageError
from .serve.store import ReviewStore

DISMISSAL_THRESHOLD = 0.5  # a rule dismissed at least this often is flagged for its owners …
MIN_REVIEWS = 5  # … once it has this many verdicts (fewer say nothing about the rule)


class FeedbackSettings(BaseModel):
    """serve.toml's [feedback]; `scan --review-db` uses the defaults."""

    model_config = ConfigDict(extra="forbid")
    dismissal_threshold: float = Field(default=DISMISSAL_THRESHOLD, gt=0, le=1)
    min_reviews: int = Field(default=MIN_REVIEWS, ge=1)


class RuleRate(BaseModel):
    rule_id: str
    findings: int = 0
    confirmed: int = 0
    dismissed: int = 0
    pending: int = 0
    confirmation_rate: Optional[float] = None  # confirmed / (confirmed + dismissed); None before any decision
    dismissal_rate: Optional[float] = None
    flagged: bool = False  # dismissed at least `threshold` of the time, over at least `min_reviews` decisions

    @property
    def decided(self) -> int:
        return self.confirmed + self.dismissed


def rule_rates(db: str | Path | ReviewStore, threshold: float = DISMISSAL_THRESHOLD,
               min_reviews: int = MIN_REVIEWS) -> list[RuleRate]:
    store = db if isinstance(db, ReviewStore) else ReviewStore(db)
    rates: dict[str, RuleRate] = {}
    for rule, n in store.findings_per_rule().items():
        rates[rule] = RuleRate(rule_id=rule, findings=n)
    for v in store.latest_verdicts():
        r = rates.setdefault(v["rule_id"], RuleRate(rule_id=v["rule_id"]))
        setattr(r, v["verdict"], getattr(r, v["verdict"]) + 1)
    for r in rates.values():
        decided = r.confirmed + r.dismissed
        if decided:
            r.confirmation_rate = r.confirmed / decided
            r.dismissal_rate = r.dismissed / decided
            r.flagged = decided >= min_reviews and r.dismissal_rate >= threshold
    return sorted(rates.values(), key=lambda r: (not r.flagged, -(r.dismissal_rate or 0), r.rule_id))


@dataclass
class ReviewFeedback:
    """The rates of one review database as the dashboards show them: by rule, with the settings that flagged them."""

    source: str
    rates: dict[str, RuleRate]
    settings: FeedbackSettings

    def get(self, rule_id: str) -> Optional[RuleRate]:
        return self.rates.get(rule_id)

    @property
    def flagged(self) -> list[RuleRate]:
        return [r for r in self.rates.values() if r.flagged]


def read_feedback(path: str | Path, settings: Optional[FeedbackSettings] = None) -> ReviewFeedback:
    """The review database at `path`, read only (the desk may be writing it); a missing or damaged file is a usage
    error (exit 2), as a damaged results database is."""
    settings = settings or FeedbackSettings()
    if not Path(path).is_file():
        raise UsageError("复核数据库不存在", str(path))
    try:
        store = ReviewStore(path, readonly=True)
        rates = rule_rates(store, settings.dismissal_threshold, settings.min_reviews)
    except sqlite3.DatabaseError as exc:
        raise UsageError(f"无法读取复核数据库（{exc}），文件可能已损坏或不是 tendercheck 复核数据库", str(path)) from None
    return ReviewFeedback(source=str(path), rates={r.rule_id: r for r in rates}, settings=settings)
