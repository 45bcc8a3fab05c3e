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


@pytest.mark.parametrize("zone, hits", [("资格条件", True), ("评标办法", True), ("合同条款", False), ("采购需求", False)])
def test_an_examples_zone_gives_its_chapters_roles(checker, zone, hits):
    """An example placed in a zone that is also a chapter is read with that chapter's roles, as a real clause there
    would be: DQ-BUSINESS-SCOPE does not judge contract terms or technical requirements, so its example there fails."""
    rule = checker.pack.get("DQ-BUSINESS-SCOPE")
    assert checker.example_hits(rule, "投标人的经营范围须包含软件开发。", zone=zone) is hits
