"""A list item read with its lead-in (`match.lead_in`, checker/rules/leadin.py). The item `放弃投标…未书面通知招标人的`
is unlawful only as a ground for keeping the bond, which its lead-in, a clause of its own, says. Sentences are written
for the test; the real case is the corpus clause of a 广东 政府采购 tender (bench/clauses/bond.yaml, 投标人须知5.8)."""
from datetime import date

import pytest

from checker.ingest.text_reader import read_text
from checker.models import DocFormat, Source
from checker.rules.leadin import clause_leads, items, lead_of
from checker.segment import segment

DAY = date(2025, 9, 1)


def _doc(text: str):
    return segment(read_text(text, Source(path="t.txt", sha256="0" * 64, format=DocFormat.text, size=len(text))))


def _leads(text: str) -> dict[str, str]:
    doc = _doc(text)
    by_id = {c.id: c.text for c in doc.clauses}
    return {by_id[k]: v for k, v in clause_leads(doc.clauses).items()}


def test_only_an_announcement_is_a_lead_in():
    assert lead_of("下列情形之一的,投标保证金不予退还:")[0] == "下列情形之一的,投标保证金不予退还"
    assert lead_of("联系方式:010-12345678") is None  # a colon that introduces no list
    assert lead_of("投标保证金:人民币贰万元") is None


def test_items_inside_one_clause_follow_their_lead_in():
    got = list(items(["有下列情形之一的,不予退还:(1)甲", "(2)乙", "其他"], ""))
    assert got == [(0, "有下列情形之一的,不予退还", 14), (1, "有下列情形之一的,不予退还", 0),
                   (2, "有下列情形之一的,不予退还", 0)]
    assert list(items(["(3)丙"], "以下情况没收")) == [(0, "以下情况没收", 0)]


def test_numbered_and_marked_items_take_the_paragraph_above_as_lead_in():
    leads = _leads("第二章 投标人须知\n5.8 下列情况之一的，投标保证金将被没收：\n5.8.1 中标人不签订合同的；\n"
                   "（2）放弃投标未书面通知的；\n")
    assert set(leads) == {"中标人不签订合同的；", "放弃投标未书面通知的；"}  # the parser takes the numbers off
    assert all(v.startswith("下列情况之一的") for v in leads.values())


@pytest.mark.parametrize("text", [
    "下列情况之一的，投标保证金将被没收：\n第三章 评标办法\n（1）放弃投标未书面通知的；\n",  # a heading ends the list
    "下列情况之一的，投标保证金将被没收：\n本项目不接受联合体投标。\n（1）放弃投标未书面通知的；\n",  # so does plain text
])
def test_a_list_ends_where_something_else_comes(text):
    assert not any("放弃投标" in k for k in _leads(text))


def _rule_ids(checker, text: str) -> set[str]:
    report = checker.check(_doc(text), regime="政府采购", doc_type="招标文件", on_date=DAY, template=None)
    return {f.rule_id for f in report.findings}


def test_an_item_added_to_the_forfeiture_list_is_flagged(checker):
    text = ("第二章 投标人须知\n5.8 下列情况之一的，投标保证金将被没收：\n"
            "5.8.1 投标人在投标截止时间后、投标有效期内撤回投标文件的；\n"
            "5.8.3 放弃投标的投标人在开标前三日未书面通知招标人的；\n")
    assert "BOND-REFUND-PRECONDITION" in _rule_ids(checker, text)


def test_the_statutory_forfeiture_list_is_not(checker):
    text = ("第二章 投标人须知\n5.8 下列情况之一的，投标保证金将不予退还：\n"
            "5.8.1 投标人在投标截止时间后、投标有效期内撤回投标文件的；\n"
            "5.8.2 中标人无正当理由不与采购人签订合同的；\n"
            "第三章 评标办法\n（1）放弃投标未书面通知的，不再邀请其参加本单位采购活动。\n")
    assert "BOND-REFUND-PRECONDITION" not in _rule_ids(checker, text)
