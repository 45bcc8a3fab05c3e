"""Concepts added for issue 14a (round 2): amounts in Chinese numerals and 政府采购法第二十二条's conditions."""
import re

import pytest

from checker import concepts


@pytest.mark.parametrize("text,amount", [
    ("注册资金伍拾万元以上", "伍拾万元"), ("注册资本不少于壹佰万元", "壹佰万元"), ("五十万元及以上", "五十万元"),
    ("一千万元", "一千万元"), ("贰亿元", "贰亿元"),
])
def test_quantity_cn_reads_amounts_in_chinese_numerals(text, amount):
    assert re.compile(concepts.expand("<QUANTITY_CN>")).search(text).group() == amount


@pytest.mark.parametrize("text", ["近三年内", "五人以上", "两个月", "第一名得5分"])
def test_quantity_cn_leaves_periods_counts_and_ranks_alone(text):
    # only money units: a period, a head count or a rank in Chinese numerals is no amount
    assert not re.compile(concepts.expand("<QUANTITY_CN>")).search(text)


@pytest.mark.parametrize("text", ["具有良好的商业信誉", "财务会计制度健全", "依法缴纳税收和社会保障资金",
                                  "履行合同所必需的设备和专业技术能力", "依法缴纳社会保险", "没有重大违法记录"])
def test_gp_statutory_condition_reads_the_statutes_conditions(text):
    assert re.compile(concepts.expand("<GP_STATUTORY_CONDITION>")).search(text)


@pytest.mark.parametrize("text", ["履约能力", "项目团队人员的专业技术能力", "财务状况", "售后服务"])
def test_gp_statutory_condition_leaves_the_lawful_scoring_factors_alone(text):
    # 财政部令第87号第五十五条 names 履约能力 among the lawful factors; staff's skill is quality, not a condition
    assert not re.compile(concepts.expand("<GP_STATUTORY_CONDITION>")).search(text)
