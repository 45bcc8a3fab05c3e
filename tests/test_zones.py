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
    # a note that tells the form's user what to do is an instruction; a scoring table's note that decides what counts is
    # the tender's own rule (round 11 probe)
    ("注：本表由投标人填写，加盖公章。", "使用说明"),
    ("注：外省颁发的荣誉不计分。", None),
    ("注：业绩以合同复印件为准，未提供的不得分。", None),
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
    # the consequence makes bidding wait for the owner's approval: a bar (bench/unseen w4)
    ("若近一年内被要求整改(以本市公司发文为准),则必须得到招标人的验证", False),
    ("若投标人在本市设有分支机构的,则应说明其地址", True),
])
def test_conditions(sentence, is_condition):
    start = max(sentence.find("要求"), sentence.find("本市"))
    assert conditional(sentence, start) == is_condition


def _doc(text: str):
    return assign_zones(segment(read_text(text, Source(path="t.txt", sha256="0" * 64, format=DocFormat.text,
                                                       size=len(text)))))


def test_pasted_table_rows_stay_under_their_heading():
    # A web page's table pasted as text (bench/unseen w4): the rows numbered 1, 2 … are the table's, not clauses that
    # would close 供应商资格要求 and leave its conditions without a zone.
    text = ("1. 项目信息\n1.1 项目名称：某物资采购\n1. 供应商资格要求\n序号 内容\n"
            "1 中华人民共和国境内注册的法人。\n2 具有良好的财务状况。\n专用资格要求\n"
            "序号\t内容\t关联标的\n1\t注册资本：100万元以上\t电缆\n3 不是这张表的行\n")
    doc = _doc(text)
    rows = [c for c in doc.clauses if c.kind.value == "table_cell" and c.column_label == "内容"]
    assert [c.text for c in rows] == ["中华人民共和国境内注册的法人。", "具有良好的财务状况。", "注册资本：100万元以上"]
    assert all(c.zone == "资格条件" and "1. 供应商资格要求" in c.heading_path for c in rows)
    assert any(c.text.startswith("3 不是这张表的行") or c.text == "不是这张表的行" for c in doc.clauses)


def test_header_line_without_rows_stays_a_line():
    doc = _doc("序号 内容\n本项目不分包。\n")
    assert [c.text for c in doc.clauses][:2] == ["序号 内容", "本项目不分包。"]
