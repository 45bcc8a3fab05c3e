"""财库〔2020〕46号第十三条: the winner's 中小企业声明函 published with the result (checker/facts/sme_notice.py)."""
from checker.facts.sme_notice import sme_declaration_facts
from checker.ingest.text_reader import read_text
from checker.models import DocFormat, Source
from checker.segment import segment


def _doc(text: str):
    return segment(read_text(text, Source(path="n.txt", sha256="0" * 64, format=DocFormat.text, size=len(text))))


def _value(text: str, regime: str = "政府采购"):
    facts = sme_declaration_facts(_doc(text), regime)
    return [f.value for f in facts]


def test_reserved_procurement_without_declaration_is_one() -> None:
    assert _value("某项目中标结果公告\n本项目专门面向中小企业采购。\n中标供应商：甲有限公司，中标金额：86万元。") == [1.0]


def test_declaration_published_is_zero() -> None:
    assert _value("某项目中标结果公告\n成交供应商：乙科技有限公司（小型企业）\n附件：中小企业声明函") == [0.0]


def test_no_sign_of_the_policy_asserts_nothing() -> None:
    # boilerplate policy lines and a negated reservation are no sign that the winner enjoyed the policy
    assert _value("某项目中标结果公告\n落实政府采购政策：促进中小企业发展。\n本项目非专门面向中小企业采购。") == []


def test_other_regimes_are_not_read() -> None:
    assert _value("某项目中标结果公告\n本项目专门面向中小企业采购。", regime="工程") == []
