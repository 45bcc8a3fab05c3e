"""Zones: which part of a tender a clause sits in, from real headings and sentences of ../shared/realdocs."""
import pytest

from checker.ingest.text_reader import read_text
from checker.models import DocFormat, Source
from checker.normalize import for_matching
from checker.rules.matcher import conditional
from checker.segment import segment
from checker.zones import assign_zones, heading_zone, sentence_zone


@pytest.mark.parametrize("title,zone,container", [
    ("第六章 投标文件格式", "投标文件格式", True),            # r02, r05, r07
    ("第四章 附件——响应文件", "投标文件格式", True),          # r19
    ("第三部分 投标文件格式", "投标文件格式", True),          # r15
    ("中小企业声明函（服务）", "投标文件格式", True),
    ("第四章 合同格式", "合同条款", True),                    # r13
    ("（二）外包服务商的考核", "合同条款", True),             # r13: the contract's appraisal, not bid scoring
    ("第六章 拟签订的合同文本", "合同条款", True),            # r10
    ("综合评分明细表", "评标办法", False),                    # a scoring table, not a form
    ("投标报价一览表", "投标文件格式", True),
    ("第三章 评标办法（综合评估法）", "评标办法", False),
    ("投标人须知前附表", "前附表", False),
    ("评标办法前附表", "评标办法", False),
    ("3. 投标人资格要求", "资格条件", False),
    ("第五章 采购需求", "采购需求", False),
    ("3 投标文件", None, False),                              # a 须知 section, not the forms chapter
    ("目录", "目录", True),
    ("使用说明", "使用说明", True),
])
def test_heading_zones(title, zone, container):
    assert heading_zone(title) == (zone, container)


@pytest.mark.parametrize("sentence,zone", [
    # r02: quoted SME policy and the model's instructions to its user
    ("招标人要求以联合体形式参加或者合同分包的，小微企业可以独立参加投标，无须以联合体的形式参加或进行合同分包", "政策引文"),
    ("联合体各方均为中小企业的，联合体视同中小企业", "政策引文"),
    ("第三章“评标办法前附表”应列明全部评审因素和评审标准", "使用说明"),
    ("招标人部分预留专门面向中小企业时，应根据项目的实际情况，结合相关规定，合理设置政府采购特别资格要求", "使用说明"),
    ("中型企业：从业人员100人及以上，且营业收入1000万元及以上", "政策引文"),
    # requirements stay requirements
    ("投标人须在本市注册", None),
    ("对小型和微型企业产品的价格给予10%的扣除", None),
    ("采购人可要求中标人在本市设立服务机构", None),
])
def test_sentence_zones(sentence, zone):
    assert sentence_zone(for_matching(sentence)) == zone


def test_forms_chapter_holds_everything_under_it_and_toc_lines_do_not():
    text = ("目录\n第一章 投标人须知\n第二章 投标文件格式\n"
            "第一章 投标人须知\n1. 投标人须在本市注册。\n"
            "第二章 投标文件格式\n一、投标保证金\n逾期退还投标保证金的，按基准利率上浮20%支付资金占用费。\n")
    doc = assign_zones(segment(read_text(text, Source(path="t.txt", sha256="0" * 64, format=DocFormat.text,
                                                         size=len(text)))))
    zones = {c.text: c.zone for c in doc.clauses}
    assert zones["逾期退还投标保证金的，按基准利率上浮20%支付资金占用费。"] == "投标文件格式"
    assert zones["投标人须在本市注册。"] != "投标文件格式"
    assert assign_zones(doc) is doc  # idempotent


@pytest.mark.parametrize("sentence,is_condition", [
    ("2、如招标文件要求以联合体形式参加或者要求合同分包的,且投标人为联合体的,则联合体中的中小企业…", True),  # r10
    ("如投标人在本市设有服务机构的,得2分", False),      # the consequence scores: a scoring rule
    ("如中标,中标人须在本市设立服务机构", False),        # no condition closes before the hit
])
def test_conditions(sentence, is_condition):
    start = max(sentence.find("要求"), sentence.find("本市"))
    assert conditional(sentence, start) == is_condition
