"""Template checks on small plain-text documents: specs, alignment, token diff, 前附表 conflicts, blanks, the file."""
from __future__ import annotations

import json

import pytest

from checker.errors import UsageError
from checker.ingest.text_reader import read_text
from checker.models import DocFormat, Source
from checker.segment import segment
from checker.template import check_template, load_spec, load_template, save_template, template_from_document
from checker.template.align import Side, align
from checker.template.checks import contradiction
from checker.template.diff import classify, token_diff
from checker.template.layout import cn_number, skeleton
from checker.template.spec import Spec, title_key, title_matches
from checker.normalize import for_matching
from checker.tokenize import tokens

SPEC = Spec.model_validate({
    "id": "t", "name": "测试示范文本", "chapters": [
        {"title": "招标公告", "aliases": ["投标邀请书"]},
        {"title": "投标人须知", "mode": "locked", "editable": ["10"]},
        {"title": "合同条款及格式", "sections": [
            {"title": "通用合同条款", "mode": "locked"},
            {"title": "专用合同条款", "mode": "special", "compare_with": "通用合同条款"}]},
        {"title": "投标文件格式", "mode": "forms"},
    ]})

MODEL = """第一章 招标公告
1. 招标条件
本招标项目已具备招标条件。
第二章 投标人须知
投标人须知前附表
| 条款号 | 条款名称 | 编列内容 |
| 2.2.2 | 澄清发出时间 | {clarify} |
| 3.6.1 | 备选投标方案 | {alt} |
1 总则
1.1 投标人准备和参加投标活动发生的费用自理。
1.2 投标人不得存在下列情形之一：
（一） 被责令停业的；
（二） 财产被接管或冻结的。
2 招标文件
2.2.1 投标人应仔细阅读和检查招标文件的全部内容。
2.2.2 招标文件的澄清将在投标截止时间15天前以书面形式发给所有投标人。
2.2.3 投标人在收到澄清后，应在规定的时间内以书面形式通知招标人。
3 投标文件
3.6.1 除投标人须知前附表另有规定外，投标人不得递交备选投标方案。
3.7.1 投标文件应由投标人的法定代表人或其委托代理人签字或盖单位章。
10 需要补充的其他内容
10.1 需要补充的其他内容：见投标人须知前附表。
第三章 合同条款及格式
第一节 通用合同条款
4.2 履约担保
4.2.1 发包人应在工程接收证书颁发后28天内把履约担保退还给承包人。
4.3 承包人不得将其承包的全部工程转包给第三人。
第二节 专用合同条款
4.2 履约担保：{bond}
第四章 投标文件格式
投标函
投标人：________（盖单位章）
"""
FILL = {"clarify": "投标截止时间15日前", "alt": "■不允许　□允许", "bond": "签约合同价的10%。"}


def doc_of(text: str):
    src = Source(path="t.txt", sha256="0" * 64, format=DocFormat.text, size=len(text))
    return segment(read_text(text, src))


def model_doc():
    return doc_of(MODEL.format(clarify="________", alt="□不允许　□允许", bond="________"))


def tender(**changes) -> str:
    text = MODEL.format(**FILL)
    for old, new in changes.get("replace", []):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def tpl():
    return template_from_document(model_doc(), SPEC)


def check(text: str, tpl):
    return check_template(doc_of(text), tpl)


# ------------------------------------------------------------------------------------------------ spec and titles

def test_title_key_drops_number_and_parenthetical():
    assert title_key("第三章　评标办法（综合评估法）") == "评标办法"
    assert title_key("第一章 招标公告（未进行资格预审）") == "招标公告"
    assert title_matches("投标邀请书（代资格预审通过通知书）", ["招标公告", "投标邀请书"])
    assert not title_matches("投标文件格式", ["投标人须知"])


def test_bad_spec_is_a_usage_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nname: y\nchapters:\n  - {title: 合同, mode: secret}\n", encoding="utf-8")
    with pytest.raises(UsageError):
        load_spec(bad)
    bad.write_text("id: x\nname: y\nchapters:\n  - title: 合同\n    sections:\n"
                   "      - {title: 专用, mode: special, compare_with: 通用}\n", encoding="utf-8")
    with pytest.raises(UsageError, match="compare_with"):
        load_spec(bad)


def test_model_missing_a_chapter_is_refused():
    with pytest.raises(UsageError, match="投标文件格式"):
        template_from_document(doc_of(MODEL.split("第四章")[0].format(**FILL)), SPEC)


# ------------------------------------------------------------------------------------------------ template file

def test_template_keeps_locked_clauses_only(tpl):
    regions = {c.region for c in tpl.clauses}
    assert regions == {"1", "2.0"}
    assert [c.number for c in tpl.clauses if c.editable] == ["10.1"]
    item = next(c for c in tpl.clauses if c.number == "（二）")
    assert item.key == "1.2/(二)" and tpl.clauses[item.parent].number == "1.2"


def test_template_file_is_versioned(tpl, tmp_path):
    path = tmp_path / "t.template.json"
    save_template(tpl, path)
    assert load_template(path) == tpl
    data = json.loads(path.read_text(encoding="utf-8"))
    data["version"] = 99
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(UsageError, match="版本"):
        load_template(path)
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(UsageError, match="不是"):
        load_template(path)


# ------------------------------------------------------------------------------------------------ verbatim

def test_faithful_tender_has_no_finding(tpl):
    assert check(tender(), tpl) == []


def test_renumbered_but_identical_clauses_are_not_changes(tpl):
    # 2.2.1 deleted: the typed numbers after it are renumbered by hand (2.2.2 → 2.2.1 …)
    text = tender(replace=[("2.2.1 投标人应仔细阅读和检查招标文件的全部内容。\n", ""),
                           ("2.2.2 招标文件的澄清", "2.2.1 招标文件的澄清"), ("2.2.3 投标人在收到", "2.2.2 投标人在收到")])
    found = check(text, tpl)
    assert [(f.values["修改类型"], f.clause_number) for f in found] == [("删除", "2.2.1")]


def test_substantive_wording_and_cosmetic_edits(tpl):
    found = check(tender(replace=[("投标人不得递交备选投标方案", "投标人可以递交备选投标方案")]), tpl)
    assert [(f.severity.value, f.values["变化"]) for f in found] == [("error", "「不得」→「可以」")]
    found = check(tender(replace=[("应仔细阅读和检查", "应认真阅读和检查")]), tpl)
    assert [(f.severity.value, f.values["修改类型"]) for f in found] == [("warning", "文字修改")]
    cosmetic = [("费用自理。", "费用自理"), ("签字或盖单位章。", "签字或盖单位章."), ("15天前", "１５天前"),
                ("以书面形式通知招标人", "以书面的形式通知招标人"), ("被责令停业的；", "被 责令 停业的;")]
    assert check(tender(replace=cosmetic), tpl) == []


def test_clause_added_with_items_is_one_finding_and_editable_part_is_free(tpl):
    text = tender(replace=[("3.7.1 投标文件应由", "3.7.1 投标人须为本市企业。\n（一） 提供本市营业执照；\n"
                                                "（二） 提供本市社保证明。\n3.7.2 投标文件应由"),
                           ("10.1 需要补充的其他内容：见投标人须知前附表。", "10.1 本项目采用电子招标投标。\n10.2 代理费由招标人支付。")])
    found = check(text, tpl)
    assert [(f.values["修改类型"], f.clause_number) for f in found] == [("增加", "3.7.1")]
    assert "连同其下 2 项" in found[0].message


def test_deleted_clause_with_items_is_one_finding(tpl):
    text = tender(replace=[("1.2 投标人不得存在下列情形之一：\n（一） 被责令停业的；\n（二） 财产被接管或冻结的。\n", "")])
    found = check(text, tpl)
    assert [(f.values["修改类型"], f.clause_number) for f in found] == [("删除", "1.2")]
    assert "连同其下 2 项" in found[0].message


def test_rewritten_part_is_reported_once(tpl):
    rewritten = MODEL.format(**FILL).split("第三章")[0].split("1 总则")[0] + "\n".join(
        f"{k} 本条为另一版本示范文本的第{k}条，内容完全不同。" for k in range(1, 13)) + "\n第三章" + \
        MODEL.format(**FILL).split("第三章")[1]
    found = check(rewritten, tpl)
    assert [(f.rule_id, f.severity.value) for f in found] == [("STD-VERBATIM-SECTIONS", "warning")]
    assert "基本不对应" in found[0].message


# ------------------------------------------------------------------------------------------------ structure

def test_missing_and_reordered_chapters():
    spec_only = SPEC
    text = tender()
    notice, rest = text.split("第二章 投标人须知")
    no_notice = "封面\n第二章 投标人须知" + rest
    found = check_template(doc_of(no_notice), spec_only)
    assert [(f.rule_id, f.values["模板章节"]) for f in found] == [("STD-CHAPTER-STRUCTURE", "第一章 招标公告")]
    swapped = text.replace("第一章 招标公告", "第九章 附件").replace("第二章 投标人须知", "第一章 投标人须知")
    swapped = swapped.replace("第九章 附件\n1. 招标条件\n本招标项目已具备招标条件。\n", "")
    swapped += "第五章 招标公告\n本招标项目已具备招标条件。\n"
    found = check_template(doc_of(swapped), spec_only)
    assert [f.values["文件章节"] for f in found] == ["第五章 招标公告"]
    assert "位置" in found[0].message


def test_no_chapters_at_all_is_one_finding():
    found = check_template(doc_of("某某项目采购文件\n一、项目概况\n二、投标须知\n"), SPEC)
    assert len(found) == 1 and "未识别出" in found[0].message


# ------------------------------------------------------------------------------------------------ 前附表, blanks

def test_front_table_and_special_conditions_conflicts(tpl):
    text = tender(replace=[("投标截止时间15日前", "投标截止时间10日前"),
                           ("签约合同价的10%。", "签约合同价的10%，发包人在竣工后90天内退还。")])
    found = check(text, tpl)
    assert [(f.rule_id, f.clause_number, f.values.get("前附表取值") or f.values.get("专用合同条款取值"))
            for f in found] == [("STD-FRONT-TABLE-CONFLICT", "2.2.2", "10日"),
                                ("STD-FRONT-TABLE-CONFLICT", "4.2", "90日")]
    assert check(tender(replace=[("投标截止时间15日前", "投标截止时间20日前")]), tpl) == []


@pytest.mark.parametrize("body,value,conflict", [
    ("公示期不得少于3日。", "公示期：2个工作日", True),
    ("公示期不得少于3日。", "公示期：5日", False),
    ("履约担保的金额不得超过中标合同金额的10%。", "签约合同价的15%", True),
    ("履约担保的金额不得超过中标合同金额的10%。", "签约合同价的5%", False),
    ("投标有效期为90日。", "投标有效期：60日", True),
    ("投标有效期见投标人须知前附表。", "投标有效期：60日", False),
    ("招标人应当自收到评标报告之日起3日内公示中标候选人，公示期不得少于3日。", "公示期：3日", False),
    ("开标时间为2026年3月25日。", "开标时间：2026年3月26日", False),
    ("除专用合同条款另有约定外，发包人应在28天内支付。", "发包人在60天内支付", False),
])
def test_contradiction(body, value, conflict):
    assert (contradiction(for_matching(body), for_matching(value)) is not None) == conflict


def test_unfilled_blanks_in_front_table_and_special_conditions(tpl):
    text = tender(replace=[("■不允许　□允许", "□不允许　□允许"), ("签约合同价的10%。", "签约合同价的____。")])
    found = check(text, tpl)
    assert [(f.rule_id, f.clause_number, f.matched) for f in found] == [
        ("STD-BLANKS-UNFILLED", "3.6.1", ["□"]), ("STD-BLANKS-UNFILLED", "4.2", ["____"])]
    # the forms chapter keeps its blanks: nothing reported there
    assert all("投标文件格式" not in "".join(f.heading_path) for f in found)


# ------------------------------------------------------------------------------------------------ diff and align

def _kind(a: str, b: str) -> str:
    return classify(tokens(for_matching(a)), tokens(for_matching(b)))


@pytest.mark.parametrize("a,b,kind", [
    ("，", "、", "cosmetic"), ("的", "", "cosmetic"), ("十五", "15", "cosmetic"), ("发包人", "招标人", "cosmetic"),
    ("和", "、", "cosmetic"), ("____", "某县人民医院", "cosmetic"),
    ("15", "10", "substantive"), ("不得", "可以", "substantive"), ("招标人", "投标人", "substantive"),
    ("日", "工作日", "substantive"), ("以上", "以下", "substantive"), ("和", "或", "substantive"),
    ("仔细", "认真", "wording"),
])
def test_classify(a, b, kind):
    assert _kind(a, b) == kind


def test_token_diff_shows_text_as_written():
    segs = token_diff("投标有效期为９０日。", for_matching("投标有效期为９０日。"),
                      "投标有效期为60日。", for_matching("投标有效期为60日。"))
    assert [(s.op, s.template, s.document, s.kind) for s in segs if s.kind != "equal"] == [
        ("replace", "９０", "60", "substantive")]
    assert "".join(s.template for s in segs) == "投标有效期为９０日。"


def test_align_pairs_moved_and_renumbered_clauses():
    texts = ["甲条内容", "乙条内容较长一些", "丙条内容", "丁条内容"]
    t = Side([skeleton(x) for x in texts], [skeleton(x) for x in texts], ["1.1", "1.2", "1.3", "1.4"])
    d_texts = ["丙条内容", "甲条内容", "乙条内容较长一些啊", "丁条内容"]
    d = Side([skeleton(x) for x in d_texts], [skeleton(x) for x in d_texts], ["1.1", "1.2", "1.3", "1.4"])
    al = align(t, d)
    assert sorted((i, j) for i, j, _ in al.pairs) == [(0, 1), (1, 2), (2, 0), (3, 3)]
    assert al.deleted == [] and al.added == []


def test_cn_number():
    assert [cn_number(x) for x in ["十五", "二百零五", "叁拾", "两", "abc"]] == [15, 205, 30, 2, None]
