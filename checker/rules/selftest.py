"""Run every rule's own examples: must-flag sentences must fire, look-alikes must not (sqlfluff-style yaml tests).

`todo_flag` examples are known gaps (Semgrep's todoruleid): text the rule should flag and does not yet. They pass
while they do not fire (reported as 待改进) and fail once they fire, so the example is promoted to `flag`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterator

from .schema import Example, Rule


@dataclass(frozen=True)
class ExampleResult:
    rule_id: str
    expected: bool  # True = must flag
    text: str
    fired: bool
    todo: bool = False  # a known gap: expected to flag, known not to yet

    @property
    def ok(self) -> bool:
        return not self.fired if self.todo else self.expected == self.fired

    def verdict(self) -> str:
        if self.todo:
            return "待改进示例已能命中，请移入 flag"
        return "应命中未命中" if self.expected else "不应命中却命中"


def as_example(item) -> Example:
    return item if isinstance(item, Example) else Example(text=item)


def examples_of(rule: Rule) -> Iterator[tuple[bool, bool, Example]]:
    """(expected to flag, known gap, example) for every example of the rule."""
    for expected, todo, items in ((True, False, rule.examples.flag), (False, False, rule.examples.no_flag),
                                  (True, True, rule.examples.todo_flag)):
        for item in items:
            yield expected, todo, as_example(item)


def run_rule_examples(checker, rule: Rule) -> list[ExampleResult]:
    out = []
    for expected, todo, ex in examples_of(rule):
        fired = checker.example_hits(rule, ex.text, role=ex.role, heading=ex.heading, regime=ex.regime,
                                     procurement=ex.procurement, zone=ex.zone, procedure=ex.procedure,
                                     regime_detail=ex.regime_detail,
                                     on_date=date.fromisoformat(ex.date) if ex.date else None)
        out.append(ExampleResult(rule.id, expected, ex.text, fired, todo))
    return out


def run_all_examples(checker) -> list[ExampleResult]:
    return [r for rule in checker.pack.rules for r in run_rule_examples(checker, rule)]
