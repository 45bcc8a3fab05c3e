"""Typed facts: a value found in the text, attached to the quantity it states (投标保证金 90万元, 投标截止 2026-03-24)."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from pydantic import BaseModel

from ..models import Location


class Fact(BaseModel):
    id: str
    name: str  # the quantity: 估算价, 投标保证金, 投标截止, 发售期 …
    kind: str  # money / percent / duration / date / count / score
    value: float  # 元; percentage points; days (or the unit's count); a date's ordinal day
    unit: str
    text: str  # the value as written
    when: Optional[datetime] = None
    high: Optional[float] = None  # upper end of a range
    clause_id: str = ""
    location: Location = Location()
    context: str = ""  # the sentence or table row it came from
    derived_from: list[str] = []  # for computed facts (a period between two dates): the facts it came from
    lot: str = ""  # 包1 / 包2 … when the fact belongs to one lot (包/标段)
    alt: Optional[float] = None  # a second reading where the law is read two ways (inclusive day count)

    def shown(self) -> str:
        """How a reviewer reads the value: `90万元`, `2%`, `2026-03-24 09:30`, `18日`."""
        if self.kind == "money":
            if self.value >= 10_000:
                return f"{self.value / 10_000:g}万元"
            return f"{self.value:g}元"
        if self.kind == "percent":
            return f"{self.value:g}%"
        if self.kind == "date" and self.when:
            return self.when.strftime("%Y-%m-%d %H:%M") if (self.when.hour or self.when.minute) else \
                self.when.strftime("%Y-%m-%d")
        return f"{self.value:g}{self.unit}"
