"""Typed values in tender text (checker.facts.values)."""
import time
from datetime import datetime

import pytest

from checker.facts.values import Value, find_values
from checker.normalize import for_matching


def values(raw: str, default_year=None) -> list[Value]:
    text = for_matching(raw)
    found = find_values(text, default_year)
    for v in found:
        assert text[v.start:v.end] == v.text
    return found


def one(raw: str, kind: str, default_year=None) -> Value:
    found = [v for v in values(raw, default_year) if v.kind == kind]
    assert len(found) == 1, found
    return found[0]


def no_values(raw: str) -> None:
    assert values(raw) == [], values(raw)


# --- money ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, amount, text", [
    ("本项目预算金额为人民币100万元。", 1_000_000, "人民币100万元"),
    ("最高投标限价：100万元，超过最高投标限价的投标无效。", 1_000_000, "100万元"),
    ("投标人注册资本不低于3000万；", 30_000_000, "3000万"),
    ("本标段估算价约0.3亿元。", 30_000_000, "0.3亿元"),
    ("合同价款为1,000,000.00元（含税）。", 1_000_000, "1,000,000.00元"),
    ("签约合同价：¥1,500,000.00", 1_500_000, "¥1,500,000.00"),
    ("签约合同价：￥1,500,000.00元", 1_500_000, "¥1,500,000.00元"),
    ("投标保证金：壹佰万元整。", 1_000_000, "壹佰万元整"),
    ("投标保证金：伍万元。", 50_000, "伍万元"),
    ("安全文明施工保证金十万元，工程竣工后退还。", 100_000, "十万元"),
    ("单项合同金额80万元以内的项目", 800_000, "80万元"),
    ("资格预审文件每套售价200元，售后不退。", 200, "200元"),
    ("预算金额：RMB 200万元", 2_000_000, "rmb200万元"),
    ("逾期违约金贰拾叁万肆仟伍佰陆拾柒元捌角玖分", 234_567.89, "贰拾叁万肆仟伍佰陆拾柒元捌角玖分"),
    ("注册资本不少于3千万元", 30_000_000, "3千万元"),
])
def test_money(raw, amount, text):
    v = one(raw, "money")
    assert (v.value, v.unit, v.text, v.high) == (pytest.approx(amount), "元", text, None)


def test_capital_and_figures_are_one_amount():
    v = one("投标保证金：人民币壹佰伍拾万元整（¥1,500,000.00），以保函形式提交。", "money")
    assert v.value == 1_500_000
    assert v.text == "人民币壹佰伍拾万元整(¥1,500,000.00)"
    v = one("投标保证金:人民币壹拾万元整(¥100,000.00)", "money")
    assert v.value == 100_000
    v = one("注册资金不少于人民币伍佰万元（小写：500万元）", "money")
    assert (v.value, v.text) == (5_000_000, "人民币伍佰万元(小写:500万元)")
    v = one("最高投标限价1500000元（大写：壹佰伍拾万元整）", "money")
    assert (v.value, v.text) == (1_500_000, "1500000元(大写:壹佰伍拾万元整)")


def test_capital_and_figures_that_disagree_stay_two_amounts():
    found = values("投标保证金：人民币壹拾万元整（¥100,001.00）")
    assert [(v.value, v.text) for v in found] == [(100_000, "人民币壹拾万元整"), (100_001, "¥100,001.00")]


@pytest.mark.parametrize("raw, low, high", [
    ("项目预算50万元至80万元", 500_000, 800_000),
    ("项目预算50至80万元", 500_000, 800_000),
    ("项目预算50-80万元", 500_000, 800_000),
    ("项目预算50万~80万元", 500_000, 800_000),
])
def test_money_range(raw, low, high):
    v = one(raw, "money")
    assert (v.value, v.high) == (low, high)


@pytest.mark.parametrize("raw", [
    "2026年", "见第3.2.1条", "联系电话：0558-6218330", "联系电话：(0558)6218330", "手机：13912345678",
    "通过ISO9001质量管理体系认证", "详见第5页", "符合GB50300-2013的规定", "符合GB/T 19001-2016", "项目编号：AHZB-2026-001",
    "（2023年至2025年）", "2026年3月", "2026年度",
])
def test_not_values(raw):
    no_values(raw)


def test_large_figures_are_not_phone_numbers():
    assert one("估算价13000000000元", "money").value == 13_000_000_000


# --- percentages ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, pct, text", [
    ("投标保证金不得超过采购项目预算金额的2%。", 2.0, "2%"),
    ("投标保证金不得超过采购项目预算金额的２％。", 2.0, "2%"),
    ("投标保证金额不超过采购包预算金额的百分之二。", 2.0, "百分之二"),
    ("履约保证金不超过合同金额的百分之十", 10.0, "百分之十"),
    ("质量保证金预留比例为百分之2.5", 2.5, "百分之2.5"),
    ("按合同金额的千分之一向甲方支付违约金", 0.1, "千分之一"),
    ("每逾期一日按合同价款的3‰支付违约金", 0.3, "3‰"),
    ("报价每高于评标基准价1个百分点扣1分", 1.0, "1个百分点"),
])
def test_percent(raw, pct, text):
    v = one(raw, "percent")
    assert (v.value, v.unit, v.text) == (pytest.approx(pct), "%", text)


@pytest.mark.parametrize("raw, text", [
    ("小微企业价格扣除比例为10%-20%", "10%-20%"),
    ("小微企业价格扣除比例为10%—20%", "10%—20%"),
    ("小微企业价格扣除比例为10%～20%", "10%~20%"),
    ("小微企业价格扣除比例为10-20%", "10-20%"),
    ("小微企业价格扣除比例为10%至20%", "10%至20%"),
])
def test_percent_range(raw, text):
    v = one(raw, "percent")
    assert (v.value, v.high, v.text) == (10.0, 20.0, text)


# --- durations and counts -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, n, unit, text", [
    ("计划工期：90日历天；质量要求：合格。", 90, "日历天", "90日历天"),
    ("计划工期：90个日历天", 90, "日历天", "90个日历天"),
    ("投标有效期为投标截止之日起90天", 90, "日", "90天"),
    ("中标人应当自中标通知书发出之日起20日内签订合同", 20, "日", "20日"),
    ("自本公告发布之日起5个工作日。", 5, "工作日", "5个工作日"),
    ("招标文件的提供期限为五个工作日", 5, "工作日", "五个工作日"),
    ("须提供其近3个月在本市缴纳社保的证明", 3, "月", "3个月"),
    ("连续三个月考核得分低于80分", 3, "月", "三个月"),
    ("整机免费质保不少于2年", 2, "年", "2年"),
    ("试剂仓具备24小时不间断冷藏功能", 24, "小时", "24小时"),
    ("接到报修后15分钟内到达现场", 15, "分钟", "15分钟"),
    ("合同签订后十五日内完成供货", 15, "日", "十五日"),
])
def test_duration(raw, n, unit, text):
    v = one(raw, "duration")
    assert (v.value, v.unit, v.text) == (n, unit, text)


@pytest.mark.parametrize("raw, n, unit", [
    ("评标委员会成员人数为3人", 3, "人"),
    ("投标人须承诺完成2项以上同类业绩", 2, "项"),
    ("合格投标人不足5家的，不得评标", 5, "家"),
    ("推荐中标候选人数量：每包3名", 3, "名"),
    ("评分总分为100分", 100, "分"),
    ("一般技术参数每项正偏离加0.5分", 0.5, "分"),
    ("完成上述四项内容", 4, "项"),
])
def test_count(raw, n, unit):
    v = one(raw, "count")
    assert (v.value, v.unit) == (n, unit)


def test_duration_range():
    v = one("供应商应在3-5个工作日内完成", "duration")
    assert (v.value, v.high, v.unit) == (3, 5, "工作日")
    v = one("售后服务方案优的得6~8分", "count")
    assert (v.value, v.high) == (6, 8)


def test_words_that_contain_numerals_are_not_counts():
    no_values("本条款十分重要，任何一个投标人均须遵守")
    no_values("第二章投标人须知")
    no_values("投标人应具备独立承担民事责任的能力，项目负责人不得同时在两个以上项目任职")
    assert [v.text for v in values("每有一项“▲”号参数不满足扣3分")] == ["一项", "3分"]


# --- dates ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, when, unit, text", [
    ("计划开工日期为2026年3月2日，具体以通知为准", datetime(2026, 3, 2), "date", "2026年3月2日"),
    ("投标截止时间：2026年3月2日9时30分", datetime(2026, 3, 2, 9, 30), "datetime", "2026年3月2日9时30分"),
    ("投标截止时间：2026年3月2日09:30", datetime(2026, 3, 2, 9, 30), "datetime", "2026年3月2日09:30"),
    ("投标截止时间：2026年03月02日09时30分00秒（北京时间）", datetime(2026, 3, 2, 9, 30), "datetime",
     "2026年03月02日09时30分00秒(北京时间)"),
    ("发布日期：2026-03-02", datetime(2026, 3, 2), "date", "2026-03-02"),
    ("开标时间：2026/3/2 9:30", datetime(2026, 3, 2, 9, 30), "datetime", "2026/3/29:30"),
    ("开标时间：2026-03-02 09:30", datetime(2026, 3, 2, 9, 30), "datetime", "2026-03-0209:30"),
    ("开标时间：2026/3/2 10:30", datetime(2026, 3, 2, 10, 30), "datetime", "2026/3/210:30"),
    ("发布日期：2026.03.02", datetime(2026, 3, 2), "date", "2026.03.02"),
    ("开标时间：2026年3月2日（星期一）上午9:00", datetime(2026, 3, 2, 9), "datetime", "2026年3月2日(星期一)上午9:00"),
    ("开标时间：2026年3月2日下午3:00", datetime(2026, 3, 2, 15), "datetime", "2026年3月2日下午3:00"),
    ("开标时间：2026年3月24日上午9点30分", datetime(2026, 3, 24, 9, 30), "datetime", "2026年3月24日上午9点30分"),
    ("截止时间为2026年3月9日17时00分前", datetime(2026, 3, 9, 17), "datetime", "2026年3月9日17时00分"),
    ("截止时间为2026年3月9日24时", datetime(2026, 3, 10), "datetime", "2026年3月9日24时"),
    ("落款：二〇二六年三月二日", datetime(2026, 3, 2), "date", "二〇二六年三月二日"),
    ("开标时间：二〇二六年三月二日下午三时", datetime(2026, 3, 2, 15), "datetime", "二〇二六年三月二日下午三时"),
])
def test_date(raw, when, unit, text):
    v = one(raw, "date")
    assert (v.when, v.unit, v.text, v.value) == (when, unit, text, 0.0)


def test_date_without_year():
    assert one("3月16日前递交", "date", default_year=2026).when == datetime(2026, 3, 16)
    assert values("3月16日前递交") == []  # no year known: nothing, and 16日 is not a duration
    # the year of the nearest full date before it, rather than the default
    found = values("获取时间：2027年3月2日至3月9日", default_year=2026)
    assert [v.when for v in found] == [datetime(2027, 3, 2), datetime(2027, 3, 9)]
    found = values("2025年12月28日至1月5日")
    assert [v.when for v in found] == [datetime(2025, 12, 28), datetime(2026, 1, 5)]


def test_date_ranges():
    found = values("投标文件递交时间：2026年3月2日9时30分至2026年3月9日17时00分")
    assert [(v.unit, v.when) for v in found] == [("datetime", datetime(2026, 3, 2, 9, 30)),
                                                ("datetime", datetime(2026, 3, 9, 17))]
    found = values("获取时间：2026年3月2日至2026年3月9日，每天上午9:00至11:30")
    assert [v.when for v in found] == [datetime(2026, 3, 2), datetime(2026, 3, 9)]
    found = values("公示期：2026年3月2日至9日")
    assert [(v.text, v.when) for v in found] == [("2026年3月2日", datetime(2026, 3, 2)), ("9日", datetime(2026, 3, 9))]
    found = values("开标时间：2026年3月2日上午9:00至下午3:00")
    assert [v.when for v in found] == [datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 15)]


def test_impossible_dates_are_not_read():
    assert values("2026年2月30日") == []


# --- the whole -------------------------------------------------------------------------------------------------------

def test_a_tender_paragraph():
    raw = ("投标保证金：人民币壹拾万元整（¥100,000.00），投标有效期90日历天。投标文件递交截止时间为2026年3月24日"
           "9时30分（北京时间）；不满足第3.2.1项要求的投标无效；联系电话：0558-6218330；小微企业价格扣除10%。")
    found = values(raw)
    assert [(v.kind, v.text) for v in found] == [
        ("money", "人民币壹拾万元整(¥100,000.00)"),
        ("duration", "90日历天"),
        ("date", "2026年3月24日9时30分(北京时间)"),
        ("percent", "10%"),
    ]


def test_values_do_not_overlap_and_are_in_order():
    raw = ("预算金额：人民币叁佰捌拾万元整（¥3,800,000.00），其中包1预算金额240万元，包2预算金额140万元；获取时间："
           "2026年3月2日至2026年3月9日，每天上午9:00-11:30；评标委员会5人，价格分30分；履约保证金为合同金额的5%；"
           "工期120日历天，质保2年；近3年（2023年1月1日以来）业绩不少于2项；")
    found = values(raw)
    assert [v.text for v in found] == [
        "人民币叁佰捌拾万元整(¥3,800,000.00)", "240万元", "140万元", "2026年3月2日", "2026年3月9日", "5人", "30分", "5%",
        "120日历天", "2年", "3年", "2023年1月1日", "2项"]
    ends = [(v.start, v.end) for v in found]
    assert ends == sorted(ends)
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:]))


def test_speed():
    sentences = [for_matching(s) for s in [
        "投标保证金：人民币壹拾万元整（¥100,000.00），以保函形式提交。",
        "投标文件递交截止时间为2026年3月24日9时30分（北京时间），逾期送达的投标文件不予受理。",
        "投标人须具备独立承担民事责任的能力，并提供营业执照副本复印件。",
        "1.2.3 投标人应在投标截止时间15日前以书面形式提出澄清要求。",
        "小微企业价格扣除比例为10%，评标委员会由5人组成，其中评审专家4人。",
        "供应商应当在合同签订后90日历天内完成供货、安装及调试。",
        "本章节所称“法律法规”是指中华人民共和国现行有效的法律、行政法规。",
        "质量标准符合GB50300-2013的规定，联系电话：0558-6218330。",
    ]]
    batch = sentences * 1250  # 10,000 clauses
    start = time.perf_counter()
    for s in batch:
        find_values(s)
    assert time.perf_counter() - start < 1.0
