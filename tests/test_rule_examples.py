"""Every rule's must-flag examples fire and its look-alikes do not — one generic test for the whole pack."""
import pytest

from checker.pipeline import Checker
from checker.rules.selftest import run_rule_examples

CHECKER = Checker()


@pytest.mark.parametrize("rule", CHECKER.pack.rules, ids=lambda r: r.id)
def test_rule_examples(rule):
    failures = [r for r in run_rule_examples(CHECKER, rule) if not r.ok]
    assert not failures, "\n".join(
        f"{f.verdict()}: {f.text}" for f in failures)


def test_pack_is_not_empty():
    assert len(CHECKER.pack.rules) >= 1
