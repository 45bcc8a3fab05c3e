"""Every rule's must-flag examples fire and its look-alikes do not — one generic test for the whole pack."""
import pytest

from checker.rules.loader import load_pack
from checker.rules.selftest import run_rule_examples

RULES = load_pack().rules  # for the test ids; the rules run through the session checker


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_examples(rule, checker):
    failures = [r for r in run_rule_examples(checker, rule) if not r.ok]
    assert not failures, "\n".join(
        f"{f.verdict()}: {f.text}" for f in failures)


def test_pack_is_not_empty(checker):
    assert len(checker.pack.rules) >= 1
