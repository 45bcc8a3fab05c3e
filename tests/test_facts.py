"""Facts attached to the quantities they state, periods derived from them, and numeric findings that name the
values they compared — on the corpus documents in both renditions (the labels' `facts` block is the truth)."""
from datetime import datetime

import pytest
from corpus_cache import expected, parsed

from checker.facts.derived import cutoff_from_issue, derive
from checker.facts.extract import extract_facts, lot_of
from checker.ingest.text_reader import read_text
from checker.models import DocFormat, Source
from checker.segment import segment



def facts_of(doc, name, lot=None):
    return [f for f in extract_facts(doc) if f.name == name and (lot is None or f.lot == lot)]


def text_doc(text):
    return segment(read_text(text, Source(path="t.txt", sha256="0" * 64, format=DocFormat.text, size=1)))


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_works_tender_facts(fmt):
    doc, truth = parsed("works_tender", fmt), expected("works_tender")["facts"]
    assert {f.value for f in facts_of(doc, "估算价")} == {truth["estimated_price_yuan"]}
    assert truth["bid_bond_yuan"] in {f.value for f in facts_of(doc, "投标保证金")}
    assert truth["max_bid_price_yuan"] in {f.value for f in facts_of(doc, "最高投标限价")}
    start = facts_of(doc, "文件获取开始")[0].when
    end = facts_of(doc, "文件获取截止")[0].when
    assert [start.date().isoformat(), end.date().isoformat()] == truth["doc_issue"]
    deadline = facts_of(doc, "投标截止")[0].when
    assert deadline == datetime.fromisoformat(truth["bid_deadline"])
    assert truth["bid_validity_days"] in {f.value for f in facts_of(doc, "投标有效期")}
    periods = {(f.name, f.unit): f.value for f in derive(extract_facts(doc))[0]}
    assert periods[("发售期", "日")] == 7 and periods[("等标期", "日")] == 23


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_per_lot_bonds_meet_per_lot_budgets(fmt, checker):
    doc, truth = parsed("gp_goods_tender", fmt), expected("gp_goods_tender")["facts"]
    for lot in truth["lots"]:
        name = lot["lot"]
        assert lot["budget_yuan"] in {f.value for f in facts_of(doc, "预算金额", name)}
        assert {f.value for f in facts_of(doc, "投标保证金", name)} == {lot["bid_bond_yuan"]}
    assert truth["budget_yuan"] in {f.value for f in facts_of(doc, "预算金额", "")}
    report = checker.check(doc)
    bond = [f for f in report.findings if f.rule_id == "BOND-BID-CAP"]
    assert len(bond) == 1
    assert bond[0].values["比较"] == "投标保证金 6万元 = 2.50% × 预算金额 240万元 > 2%"


def test_works_bond_finding_names_the_values(checker):
    report = checker.check(parsed("works_tender", "pdf"))
    bond = next(f for f in report.findings if f.rule_id == "BOND-BID-CAP")
    assert bond.values["比较"] == "投标保证金 35万元 = 2.33% × 估算价 1500万元 > 2%"
    assert bond.location.page is not None and bond.clause_id


def test_lot_names():
    assert [lot_of(t) for t in ["包1：", "第二包", "标段3", "第一标段", "无"]] == ["包1", "包2", "包3", "包1", ""]


def test_a_year_is_inherited_and_ranges_open_and_close():
    doc = text_doc("招标公告发布于2026年3月1日。\n获取招标文件时间：3月2日至3月9日。\n投标截止时间：3月25日9:30。")
    names = {f.name: f.when for f in extract_facts(doc) if f.kind == "date"}
    assert names["文件获取开始"] == datetime(2026, 3, 2) and names["文件获取截止"] == datetime(2026, 3, 9)
    assert names["投标截止"] == datetime(2026, 3, 25, 9, 30)


def test_scores_belong_to_the_label_right_before_them():
    doc = text_doc("评分总分为100分，其中价格分30分、技术分45分、商务分25分。")
    assert [f.value for f in facts_of(doc, "价格分")] == [30]
    assert [f.value for f in facts_of(doc, "总分")] == [100]


def test_missing_fact_is_reported_not_silent(checker):
    report = checker.check(text_doc("投标保证金：人民币90万元。"), regime="依法必须招标", doc_type="招标文件",
                           procedure="公开招标")
    result = next(r for r in report.results if r.rule_id == "TIME-BID-PREP-20D")
    assert result.outcome.value == "missing_data" and "等标期" in result.reason


def test_unsettled_regime_is_missing_data_not_a_guess(checker):
    """Whether a works tender is 依法必须招标 decides whether the 20-day rule binds: unsaid, a reviewer decides."""
    doc = text_doc("某公司办公楼装修工程施工招标文件\n招标文件获取时间：2026年3月2日至2026年3月9日。\n"
                   "投标截止时间：2026年3月18日9时30分。")
    report = checker.check(doc, regime="工程", doc_type="招标文件", only={"TIME-BID-PREP-20D"})
    result = next(r for r in report.results if r.rule_id == "TIME-BID-PREP-20D")
    assert not report.findings and result.outcome.value == "missing_data" and "依法必须招标" in result.reason
    funded = text_doc("某公司办公楼装修工程施工招标文件\n本项目资金来自国有资金，依法必须进行招标。\n"
                      "招标文件获取时间：2026年3月2日至2026年3月9日。\n投标截止时间：2026年3月18日9时30分。")
    report = checker.check(funded, regime="工程", doc_type="招标文件", only={"TIME-BID-PREP-20D"})
    assert [f.rule_id for f in report.findings] == ["TIME-BID-PREP-20D"]
    assert report.document.regime_detail == "依法必须招标" and report.document.procedure == "招标"


def test_a_consultation_is_not_judged_by_the_tender_period(checker):
    doc = text_doc("某单位食堂服务竞争性磋商文件\n磋商文件获取时间：2026年3月2日至2026年3月6日。\n"
                   "响应文件提交截止时间：2026年3月13日9时30分。")
    report = checker.check(doc, regime="政府采购", doc_type="招标文件", only={"TIME-BID-PREP-20D"})
    result = next(r for r in report.results if r.rule_id == "TIME-BID-PREP-20D")
    assert report.document.procedure == "竞争性磋商" and result.outcome.value == "not_applicable"


def test_two_ways_of_counting_a_sale_period_leave_it_to_a_reviewer(checker):
    doc = text_doc("招标文件获取时间：2026年3月2日至2026年3月6日。")
    report = checker.check(doc, regime="工程", doc_type="招标文件", only={"TIME-SALE-PERIOD"})
    finding = report.findings[0]
    assert finding.severity.value == "info" and "两种计法" in finding.values["说明"]


def test_values_only_where_certain():
    """Real wordings that once produced guessed values (r15, r10, r07 in ../shared/realdocs)."""
    facts = extract_facts(text_doc("最高投标限价：按集动车大编组（1列）单价限高价1400元/组（含增值税）。"))
    assert not [f for f in facts if f.name == "最高投标限价"]  # a unit price is no total
    facts = extract_facts(text_doc("履约保证金：详见合同。6月通过验收后支付进度款万元（合同款的20%）。"))
    assert not [f for f in facts if f.name == "履约保证金"]
    facts = extract_facts(text_doc("逾期退还投标保证金的，还应当按中国人民银行同期贷款基准利率上浮20%后的利率支付资金占用费。"))
    assert not [f for f in facts if f.name == "投标保证金"]
    facts = extract_facts(text_doc("履约保证金为合同金额的5%。"))
    assert [f.value for f in facts if f.name == "履约保证金"] == [5.0]


def test_zero_day_period_is_not_a_fact():
    """A date read as both the start and the deadline gives no period, and says why."""
    facts = extract_facts(text_doc("获取招标文件时间：2024年1月16日09点30分。\n投标截止时间：2024年1月16日09点30分。"))
    derived, notes = derive(facts)
    assert not [f for f in derived if f.name == "等标期"] and any("等标期" in n for n in notes)


def test_a_date_named_by_what_follows_it():
    """r24: `获取招标文件，并于…前递交投标文件` — the date is the deadline, not the start of the sale."""
    facts = extract_facts(text_doc("潜在投标人应在平台获取招标文件，并于2024年1月16日09点30分（北京时间）前递交投标文件。"))
    assert [f.name for f in facts] == ["投标截止"]


def test_a_header_unit_after_the_currency_scales_the_column():
    """`预算金额（人民币万元）` and `（单位：万元）` scale a bare number in the column as `（万元）` does (a real goods tender,
    r07_goods_pku_cashl.pdf p.3, wrote 991 under 预算金额（人民币万元）, which was read as 991元)."""
    for header in ("预算金额（人民币万元）", "预算金额（单位：万元）", "预算金额（万元）"):
        doc = text_doc(f"| 包号 | 名称 | {header} |\n| 1 | 期刊 | 991 |\n")
        assert {f.value for f in facts_of(doc, "预算金额")} == {9_910_000}, header


def _date_fact(name: str, when: datetime, fid: str) -> "Fact":
    from checker.facts.model import Fact
    return Fact(id=fid, name=name, kind="date", value=when.toordinal(), unit="", text=str(when), when=when)


def test_cutoff_from_issue_counts_only_where_no_deadline_is_read():
    """The 异议 cut-off against the documents' first day (依法必须招标's 20-day minimum makes it a bound): from the sale's
    start when read, else the document's date; nothing once a deadline is read, nor for a cut-off before the start."""
    from datetime import date
    cut = _date_fact("异议截止", datetime(2013, 5, 21, 13, 30), "a")
    assert [f.value for f in cutoff_from_issue([cut], date(2013, 5, 17))] == [4.0]
    sale = _date_fact("文件获取开始", datetime(2013, 5, 19), "s")
    assert [f.value for f in cutoff_from_issue([cut, sale], date(2013, 5, 17))] == [2.0]  # the sale's start wins
    assert cutoff_from_issue([cut, _date_fact("投标截止", datetime(2013, 6, 7), "d")], date(2013, 5, 17)) == []
    assert cutoff_from_issue([cut], None) == [] and cutoff_from_issue([cut], date(2013, 6, 1)) == []


def test_objection_cutoff_is_read_at_its_most_favourable():
    # two cut-offs and two deadlines: the gap is the latest cut-off to the earliest deadline (a maximum rule)
    facts = [_date_fact("异议截止", datetime(2026, 3, 5), "a"), _date_fact("异议截止", datetime(2026, 3, 10), "b"),
             _date_fact("投标截止", datetime(2026, 3, 25), "c"), _date_fact("投标截止", datetime(2026, 3, 30), "d")]
    derived, notes = derive(facts)
    gap = [f for f in derived if f.name == "异议截止至投标截止"]
    assert [f.value for f in gap] == [15.0] and not notes


def test_a_result_objection_after_the_deadline_is_no_cutoff():
    facts = [_date_fact("投标截止", datetime(2026, 3, 25), "a"), _date_fact("异议截止", datetime(2026, 4, 2), "b")]
    derived, notes = derive(facts)
    assert not [f for f in derived if f.name == "异议截止至投标截止"] and not notes
