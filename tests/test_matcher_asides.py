"""A short bracketed aside inside a clause does not hide it (checker/rules/matcher.py: without_asides). The
sentences are written for the test (the real clauses of this kind are in bench/clauses and bench/blind)."""
import sys
from pathlib import Path

import pytest

from checker.normalize import for_matching
from checker.pipeline import Checker
from checker.rules import matcher
from checker.rules.matcher import without_asides

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from eval_clauses import fired_rules  # noqa: E402  (the one function that judges a lone clause)


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


@pytest.mark.parametrize("text, zone, rule", [
    ("并为专业人员在无锡市（包括江阴、宜兴两市）正常缴纳社会保险；", "资格条件", "DQ-LOCAL-TAX-SOCIAL-SECURITY"),
    ("获得区级先进（示范、标杆）单位的加1分。", "评标办法", "DQ-HONOR-CHARITY"),
])
def test_an_aside_inside_the_clause_is_read_through(checker, monkeypatch, text, zone, rule):
    assert rule in fired_rules(checker, text, zone, "政府采购")
    monkeypatch.setattr(matcher, "without_asides", lambda sentence: None)
    assert rule not in fired_rules(checker, text, zone, "政府采购")  # the aside is what hid it


def test_a_negation_still_holds_when_the_aside_is_taken_out(checker):
    assert "DQ-LOCAL-TAX-SOCIAL-SECURITY" not in fired_rules(
        checker, "不得要求专业人员在无锡市（包括江阴、宜兴两市）缴纳社会保险。", "资格条件", "政府采购")


def test_list_numbers_are_not_asides():
    assert without_asides(for_matching("投标保证金的形式：（1）银行转账；")) is None
    assert without_asides(for_matching("（一）投标人须在本市注册")) is None
    bare, back = without_asides(for_matching("净资产在500万元以上（含500万）。"))
    assert bare == "净资产在500万元以上。" and len(back) == len(bare)
    assert "".join(for_matching("净资产在500万元以上（含500万）。")[i] for i in back) == bare
