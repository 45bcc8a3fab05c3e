"""Negation and quotation scope over whole sentences (checker/prohibition.py), on wordings from published texts."""
import pytest

from checker.normalize import for_matching
from checker.prohibition import prohibition_kind
from checker.zones import sentence_zone


@pytest.mark.parametrize("sentence,kind", [
    # 招标投标领域公平竞争审查规则 / 实施条例 第三十二条 as tender files quote them
    ("招标人不得以投标人在本地注册、设立分支机构、缴纳社保等作为投标条件。", "禁止"),
    ("采购人不得以不合理的条件对供应商实行差别待遇或者歧视待遇。", "禁止"),
    ("招标人及其招标代理机构不得要求潜在投标人在本地设立分支机构。", "禁止"),
    ("不得要求投标人在本地注册或设立分支机构。", "禁止"),
    ("不得将投标人在本市是否有业绩作为加分条件。", "禁止"),
    ("招标人不得规定最低投标限价。", "禁止"),
    ("投标人无需在本市设立分支机构。", "免除"),
    ("外地企业无需办理进省备案即可参加投标。", "免除"),
    ("投标人是否在本地注册不作为资格审查条件。", "免除"),
    ("投标人是否在本地设立分支机构，不影响其投标资格。", "免除"),
    ("投标人不论是否在本市注册，均可参加投标。", "免除"),
    ("如潜在投标人认为本文件技术参数存在指向特定品牌或排斥潜在投标人的，可在收到文件之日起7个工作日内提出质疑。", "异议"),
    ("根据《政府采购法实施条例》第二十条规定，采购人不得限定供应商所在地。", "引文"),
    # a notice cited by its document number only (财库〔2019〕38号 第二条 as tender files paraphrase it)
    ("根据财库〔2019〕38号，不得要求供应商提供公安机关出具的无犯罪记录证明、中小企业主管部门出具的认定证明等材料。", "引文"),
    ("按照财政部令第87号规定，不得将投标人的注册资本、资产总额作为资格要求。", "引文"),
    # 公平竞争审查制度实施细则 第十四条 as a 审查标准 lists it (bench/clauses/awards-honours.yaml)
    ("将经营者在本地区的业绩、所获得的奖项荣誉作为投标条件、加分条件、中标条件或者用于评价企业信用等级，"
     "限制或者变相限制外地经营者参加本地招标投标活动", "列举"),
    ("在资质标准、监管执法等方面对外地经营者设置歧视性要求，排斥外地经营者参加本地政府采购。", "列举"),
    ("没有法律、行政法规或者国务院规定依据，直接强制外地经营者在本地投资或者设立分支机构", "列举"),
    ("直接拒绝外地经营者在本地投资或者设立分支机构", "列举"),
    # 公平竞争审查条例 第十一条 (verbatim): an item of a list of practices, named with the regulator's word
    ("(一)强制或者变相强制经营者实施垄断行为,或者为经营者实施垄断行为提供便利条件", "列举"),
])
def test_statements_that_demand_nothing(sentence, kind):
    norm = for_matching(sentence)
    assert prohibition_kind(norm) == kind
    assert sentence_zone(norm) == "政策引文"


@pytest.mark.parametrize("sentence", [
    "投标人不得以联合体形式投标。",                      # prohibits the bidder: a condition of this tender
    "非本地企业不得参加投标。",
    "本市以外的企业不得参加本项目投标。",
    "不得要求投标人在本地注册，但投标人须在本市设立分公司。",  # turns back to a demand
    "投标人无需在本市设立分支机构，但须承诺中标后设立服务网点。",
    "投标人须在本市注册。",
    "本项目无需踏勘现场，投标保证金为2万元。",            # a waiver that goes on to state a value
    "投标报价低于最高投标限价85%的，其投标作否决投标处理。",
    "投标人须在本市设立分公司，以便及时提供售后服务。",    # a reason after the comma, not an effect on competitors
    "本市以外的供应商须在本市设立服务网点，限制条件详见附件。",
    "根据财库〔2020〕46号，本项目预留份额专门面向中小企业采购，供应商须提供中小企业声明函。",  # a citation, no prohibition
    "根据财库〔2019〕38号，不得要求投标人在本地注册，但投标人须在本市设立服务网点。",  # turns back to a demand
])
def test_demands_stay_demands(sentence):
    assert prohibition_kind(for_matching(sentence)) is None
