"""`since`: a qualification abolished (or a licence superseded) only after a document's date was a lawful demand on
that date. Two of the six unseen real notices (bench/unseen) are of 2015 and 2017, older than several rules' bases:
the law of the document's own day judges it. An undated document is not said to postdate the abolition (a 2018 磋商
correction without a date demanding the 环评资质 abolished that December, bench/unseen t6, was accused of 违法); a rule
example, a clause written now, is of today."""
from datetime import date

import pytest

from checker.ingest.text_reader import read_text
from checker.models import DocFormat, Source
from checker.rules.matcher import Matcher
from checker.rules.schema import Match, Rule
from checker.segment import segment


def _rule(**match) -> Rule:
    return Rule(id="T-SINCE", title="t", severity="error", regime="通用", stages=["S2"], doc_types=["招标文件"],
                match=Match(**match), message="m", suggestion="s",
                basis=[{"law": "《招标投标法实施条例》", "article": "第三十二条", "quote": "q", "verified": "原文-L"}],
                examples={"flag": ["x1", "x2", "x3"], "no_flag": ["y1", "y2", "y3"]})


@pytest.mark.parametrize("on,excepted", [
    (date(2019, 5, 10), True),    # still issued then
    (date(2021, 7, 1), False),    # abolished that day
    (date(2022, 1, 1), False),
    (None, True),                 # undated: not known to postdate the abolition
])
def test_an_item_dated_later_than_the_document_is_excepted(on, excepted):
    rule = _rule(patterns=["须具有[^,;。]{0,12}造价咨询企业[^,;。]{0,8}资质"], cues=["造价咨询"],
                 since=[{"pattern": "造价咨询", "from": "2021-07-01"}])
    hits = Matcher([rule]).match("投标人须具有工程造价咨询企业乙级及以上资质。", on=on)
    assert len(hits) == 1 and hits[0].excepted is excepted


def test_only_the_dated_item_is_excepted():
    rule = _rule(patterns=["须具有[^,;。]{0,12}(造价咨询|物业服务)企业[^,;。]{0,8}资质"], cues=["造价咨询", "物业服务"],
                 since=[{"pattern": "造价咨询", "from": "2021-07-01"}])
    hits = Matcher([rule]).match("投标人须具有物业服务企业三级资质。", on=date(2019, 5, 10))
    assert len(hits) == 1 and not hits[0].excepted


def test_a_bad_since_pattern_is_refused():
    with pytest.raises(ValueError):
        _rule(patterns=["资质"], cues=["资质"], since=[{"pattern": "([", "from": "2021-07-01"}])


def _doc(text):
    return segment(read_text(text, Source(path="t.txt", sha256="0" * 64, format=DocFormat.text, size=len(text))))


@pytest.mark.parametrize("day,flagged", [("2019年5月10日", False), ("2021年9月1日", True)])
def test_a_dated_notice_is_judged_by_the_law_of_its_day(checker, day, flagged):
    text = (f"某区财政投资评审造价咨询服务招标公告\n一、投标人资格要求\n1.投标人须具有工程造价咨询企业乙级及以上资质。\n"
            f"二、其他\n发布日期：{day}\n")
    report = checker.check(_doc(text), regime="工程", doc_type="招标公告", template=None)
    assert report.document.doc_date is not None
    assert any(f.rule_id == "DQ-ABOLISHED-QUALIFICATION" for f in report.findings) is flagged
