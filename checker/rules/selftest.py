"""Run every rule's own examples: must-flag sentences must fire, look-alikes must not (sqlfluff-style yaml tests)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .schema import Example, Rule


@dataclass(frozen=True)
class ExampleResult:
    rule_id: str
    expected: bool  # True = must flag
    text: str
    fired: bool

    @property
    def ok(self) -> bool:
        return self.expected == self.fired


def _as_example(item) -> Example:
    return item if isinstance(item, Example) else Example(text=item)


def run_rule_examples(checker, rule: Rule) -> list[ExampleResult]:
    out = []
    for expected, items in ((True, rule.examples.flag), (False, rule.examples.no_flag)):
        for item in items:
            ex = _as_example(item)
            fired = checker.example_hits(rule, ex.text, role=ex.role, heading=ex.heading, regime=ex.regime,
                                         procurement=ex.procurement, zone=ex.zone, procedure=ex.procedure,
                                         regime_detail=ex.regime_detail,
                                         on_date=date.fromisoformat(ex.date) if ex.date else None)
            out.append(ExampleResult(rule.id, expected, ex.text, fired))
    return out


def run_all_examples(checker) -> list[ExampleResult]:
    return [r for rule in checker.pack.rules for r in run_rule_examples(checker, rule)]
