"""保障中小企业款项支付条例 by version: the 2020 text (国务院令第728号, in force 2020-09-01 … 2025-05-31) and its 2025
revision each have their rules, and a clause is judged by the version in force on the document's date. Every quote a
rule gives from the 2020 text is found word for word in the verbatim copy the project keeps (rules/laws/)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from checker.pipeline import Checker

ROOT = Path(__file__).resolve().parents[1]
LAW_2020 = ROOT / "rules" / "laws" / "保障中小企业款项支付条例(2020-09-01).md"
TERM = "采购人在项目验收合格后180日内支付合同款。"


@pytest.fixture(scope="module")
def checker():
    return Checker()


def _fires(checker, rule_id: str, text: str, on: date, regime_detail: str = "政府采购") -> bool:
    rule = next(r for r in checker.pack.rules if r.id == rule_id)
    return checker.example_hits(rule, text, zone="合同条款", regime_detail=regime_detail, on_date=on)


def test_every_2020_quote_is_in_the_verbatim_text(checker):
    text = LAW_2020.read_text(encoding="utf-8")
    quotes = [b.quote for r in checker.pack.rules for b in r.basis if "728号" in b.law]
    assert len(quotes) >= 5
    missing = [q for q in quotes if q not in text]
    assert not missing, missing


@pytest.mark.parametrize("on, old, new", [
    (date(2020, 8, 31), False, False),   # before the 条例
    (date(2020, 9, 1), True, False),     # 2020 text, 第八条
    (date(2025, 5, 31), True, False),
    (date(2025, 6, 1), False, True),     # the revision, 第九条
])
def test_a_term_is_judged_by_the_version_in_force(checker, on, old, new):
    assert _fires(checker, "CONT-SME-PAYMENT-TERM-2020", TERM, on) is old
    assert _fires(checker, "CONT-SME-PAYMENT-TERM", TERM, on) is new


def test_the_2020_cap_binds_no_company(checker):
    """2020 第八条第二款 gave a 大型企业 no number: a company's tender is not judged by the 60-day cap."""
    on = date(2023, 5, 10)
    assert _fires(checker, "CONT-SME-PAYMENT-TERM-2020", TERM, on, "政府采购")
    assert not _fires(checker, "CONT-SME-PAYMENT-TERM-2020", TERM, on, "企业自主采购")
    assert not _fires(checker, "CONT-SME-PAYMENT-TERM-2020", TERM, on, "依法必须招标")


def test_back_to_back_payment_is_a_2025_duty(checker):
    """收到第三方付款作为付款条件: named by 2025 第九条第二款, by no article of the 2020 text."""
    text = "乙方同意本合同付款以业主付款为前提。"
    assert not _fires(checker, "CONT-SME-PAYMENT-TERM-2020", text, date(2023, 5, 10))
    assert _fires(checker, "CONT-SME-PAYMENT-TERM", text, date(2025, 9, 1))


def test_bills_were_already_a_2020_duty(checker):
    text = "付款方式为商业承兑汇票，承兑期限为6个月。"
    assert _fires(checker, "CONT-NONCASH-PAYMENT-2020", text, date(2023, 5, 10))
    assert not _fires(checker, "CONT-NONCASH-PAYMENT", text, date(2023, 5, 10))
    assert _fires(checker, "CONT-NONCASH-PAYMENT", text, date(2025, 9, 1))


def test_an_undated_document_leaves_the_version_unsettled(checker):
    """A document whose date was not found may be of any year: neither version is ruled out by today's date, both are
    缺少数据 (never "not in force" because today is after 2025-05-31)."""
    from checker.rules.runner import Subject, not_applicable, unsettled
    undated = Subject(regime="政府采购", procurement="服务", doc_type="招标文件", on=date.today(), date_known=False,
                      regime_detail="政府采购")
    for rule_id in ("CONT-SME-PAYMENT-TERM-2020", "CONT-SME-PAYMENT-TERM"):
        rule = next(r for r in checker.pack.rules if r.id == rule_id)
        assert not not_applicable(rule, undated)
        assert unsettled(rule, undated).startswith("缺少数据")
