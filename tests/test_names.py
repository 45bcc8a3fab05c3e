"""Legal-entity names compared after normalising how notices print them (checker/names.py)."""
import pytest

from checker.names import find, match, split
from checker.project.extract import same_company


@pytest.mark.parametrize("a,b,level", [
    ("甲建设集团有限公司", "甲建设集团有限公司", "完全一致"),
    ("甲建设集团有限公司（盖章）", "甲建设集团有限公司", "规范化后一致"),
    ("某省恒达建设(集团)有限公司", "某省恒达建设（集团）有限公司", "规范化后一致"),
    ("某 科技 有限公司", "某科技有限公司", "规范化后一致"),
    ("甲建设集团有限公司", "甲建设集团", "组织形式不同"),  # the false 违法: 通知书 vs 评标报告
    ("甲建设有限责任公司", "甲建设有限公司", "组织形式不同"),
    ("乙信息技术股份有限公司", "乙信息技术有限公司", "组织形式不同"),
])
def test_same_entity(a, b, level):
    m = match(a, b)
    assert m.same and m.level == level and m.evidence
    assert same_company(a, b)


@pytest.mark.parametrize("a,b,level", [
    ("甲建设集团有限公司", "甲建设集团有限公司城东分公司", "分支机构不同"),
    ("甲建设集团有限公司（城东分公司）", "甲建设集团有限公司（城西分公司）", "分支机构不同"),
    ("某某信息技术有限公司", "某某智能技术有限公司", "不一致"),  # similar strings, two companies
    ("甲建设有限公司", "甲乙建设有限公司", "不一致"),
])
def test_different_entity(a, b, level):
    m = match(a, b)
    assert not m.same and m.level == level
    assert not same_company(a, b)


def test_split_and_find():
    assert split("甲建设集团有限公司（城东分公司）") == ("甲建设", "集团有限公司", "城东分公司")
    i, m = find("甲建设集团", ["乙公司", "甲建设集团有限公司"])
    assert i == 1 and m.level == "组织形式不同"
    assert find("丙公司", ["乙公司"]) is None
