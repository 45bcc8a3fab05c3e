"""How real documents lay themselves out (issue 13): divisions numbered as they really are, sentences that start with
a chapter number, contents typed as plain text, page frames and one-line boxes that are no tables, running titles,
symbol-font check boxes. The documents here are made up; the kinds of layout are taken from real tender files."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from checker.ingest.docx_reader import read_docx
from checker.ingest.pdf_reader import Line, Page, _remove_running_lines
from checker.ingest.pdf_tables import _cells
from checker.ingest.symbols import map_symbol
from checker.ingest.table_shape import is_table
from checker.models import Block, Cell, ClauseKind, DocFormat, RawDocument, Source
from checker.segment import ordinal, segment, unit_of

SOURCE = Source(path="x.docx", sha256="0" * 64, format=DocFormat.docx, size=1)


def seg(*texts: str, blocks: list[Block] | None = None):
    items = blocks if blocks is not None else [
        Block(kind="paragraph", index=i, text=t) for i, t in enumerate(texts)]
    return segment(RawDocument(source=SOURCE, blocks=items))


def tops(doc) -> list[str]:
    return [c.label for c in doc.clauses if c.kind == ClauseKind.heading and c.level == 0]


# ------------------------------------------------------------------------------------------------ divisions


def test_units_and_ordinals():
    assert [unit_of(n) for n in ("第一卷", "第二篇", "第三部分", "第十二章", "第一节", "1.1")] == [
        "volume", "part", "part", "chapter", "section", None]
    assert [ordinal(n) for n in ("第一章", "第十章", "第十二章", "第二十一章", "第3部分", "第一百章")] == [1, 10, 12, 21, 3, 100]
    from checker.headings import _cn_numeral
    assert [_cn_numeral(n) for n in (1, 10, 12, 20, 21)] == ["一", "十", "十二", "二十", "二十一"]


def test_parts_hold_chapters_when_they_come_first():
    doc = seg("第一部分 招标公告", "一、项目名称", "第二部分 招标文件", "第一章 投标须知", "1. 总则", "第二章 评标办法")
    assert tops(doc) == ["第一部分 招标公告", "第二部分 招标文件"]
    chapter = next(c for c in doc.clauses if c.number == "第二章")
    assert chapter.level == 1 and chapter.heading_path == ["第二部分 招标文件"]
    assert doc.coverage.divisions == ["第一部分 招标公告", "第二部分 招标文件"]


def test_parts_inside_a_chapter_stay_inside_it():
    doc = seg("第一章 投标须知", "正文。", "第二章 合同样本", "第一部分 合同通用条款", "条款。", "第二部分 合同专用条款")
    assert tops(doc) == ["第一章 投标须知", "第二章 合同样本"]
    part = next(c for c in doc.clauses if c.number == "第二部分")
    assert part.heading_path == ["第二章 合同样本"]


def test_volumes_are_divisions():
    doc = seg("第一卷 商务部分", "第一章 招标公告", "第二卷 技术部分", "第一章 技术要求")
    assert tops(doc) == ["第一卷 商务部分", "第二卷 技术部分"]


def test_a_sentence_starting_with_a_chapter_number_is_no_chapter():
    doc = seg("第一章 招标公告", "正文。", "第二章 投标人须知",
              "第六章 ）；非法定代表人参与投标的，需提供《法定代表人授权委托书》（格式详见第六章）。",
              "第三章 “评标办法前附表”应列明全部评审因素和评审标准，并标明投标被否决的情形",
              "第三章 评标办法")
    assert tops(doc) == ["第一章 招标公告", "第二章 投标人须知", "第三章 评标办法"]
    sentence = next(c for c in doc.clauses if "非法定代表人" in c.text)
    assert sentence.kind == ClauseKind.paragraph and sentence.number is None
    assert sentence.text.startswith("第六章")  # the number stays in the text a reader sees
    assert sentence.heading_path == ["第二章 投标人须知"]


def test_a_chapter_out_of_sequence_is_a_citation():
    doc = seg("第一章 招标公告", "正文。", "第二章 投标人须知", "第九章 附件", "第三章 评标办法")
    assert tops(doc) == ["第一章 招标公告", "第二章 投标人须知", "第三章 评标办法"]
    assert any(p.problem == "heading_out_of_sequence" for p in doc.coverage.problem_pages)


def test_a_division_does_not_come_twice():
    # a chapter's cover page, then the chapter itself
    doc = seg("第一章 招标公告", "正文。", "第二章 评标办法", "分目录", "第二章 评标办法", "1. 概述")
    assert tops(doc) == ["第一章 招标公告", "第二章 评标办法"]


def test_contents_typed_as_text_are_not_headings():
    doc = seg("目 录", "第一章 公开招标采购公告 2", "第二章 投标人须知 6", "第三章 评标办法 27",
              "第一章 公开招标采购公告", "正文。", "第二章 投标人须知", "正文。", "第三章 评标办法", "正文。")
    assert tops(doc) == ["第一章 公开招标采购公告", "第二章 投标人须知", "第三章 评标办法"]
    assert doc.coverage.toc_entries == 3


def test_a_list_of_the_divisions_in_the_body_is_no_division():
    doc = seg("第一章 投标邀请", "正文。", "正文二。", "正文三。", "第二章 投标人须知", "招标文件包括：",
              "第一章 招标公告/投标邀请函", "第二章 投标人须知（含前附表）", "第三章 需求任务书", "第四章 评标办法",
              "正文。", "第三章 评标办法", "正文。", "第四章 合同条款")
    assert tops(doc) == ["第一章 投标邀请", "第二章 投标人须知", "第三章 评标办法", "第四章 合同条款"]


def test_division_number_alone_and_letter_spaced_title_page():
    doc = seg("第一部分", "招标公告范本", "一、工程名称：", "第 二 部 分", "[工程名称]", "招标文件", "招 标 单 位：")
    assert tops(doc) == ["第一部分 招标公告范本", "第二部分 [工程名称] 招标文件"]


def test_numbered_headings_are_not_sentences():
    doc = seg("第一章 须知", "一、“□”为选择项，采用相应内容的以“■”表示", "二、双方的权利义务：",
              "2 本次招标的合格投标人应满足下列资格要求：", "三、评标办法（综合评估法，总分100分）")
    kinds = {c.text: c.kind for c in doc.clauses}
    assert kinds["“□”为选择项，采用相应内容的以“■”表示"] == ClauseKind.paragraph
    assert kinds["双方的权利义务："] == ClauseKind.heading
    assert kinds["本次招标的合格投标人应满足下列资格要求："] == ClauseKind.paragraph
    assert kinds["评标办法（综合评估法，总分100分）"] == ClauseKind.heading


# ------------------------------------------------------------------------------------------------ tables


def test_table_shape_needs_rows_and_columns():
    assert not is_table([Cell(row=0, col=0, text="整页文字")])  # a frame
    assert not is_table([Cell(row=0, col=c, text=t) for c, t in enumerate(["项目名称", "：", "某项目"])])  # one line
    assert not is_table([Cell(row=r, col=0, text="文字") for r in range(3)])  # one column
    assert is_table([Cell(row=0, col=0, text="包号"), Cell(row=0, col=1, text="名称"), Cell(row=1, col=0, text="")])


def test_space_between_a_page_frame_and_its_table_is_no_cell():
    # frame 0..100 × 0..100; a 2×2 table at x 20..80, y 0..60, its top on the frame's top rule
    hs = [[0.0, 0.0, 100.0, True], [30.0, 20.0, 80.0, True], [60.0, 20.0, 80.0, True], [100.0, 0.0, 100.0, True]]
    vs = [[0.0, 0.0, 100.0, True], [20.0, 0.0, 60.0, True], [50.0, 0.0, 60.0, True], [80.0, 0.0, 60.0, True],
          [100.0, 0.0, 100.0, True]]
    assert sorted(_cells(hs, vs)) == sorted([(20.0, 0.0, 50.0, 30.0), (50.0, 0.0, 80.0, 30.0),
                                             (20.0, 30.0, 50.0, 60.0), (50.0, 30.0, 80.0, 60.0)])


def test_table_title_row_and_column_labels():
    table = Block(kind="table", index=2, cells=[
        Cell(row=0, col=0, text="序号"), Cell(row=0, col=1, text="项目"), Cell(row=0, col=2, text="预算（万元）"),
        Cell(row=1, col=0, text="1"), Cell(row=1, col=1, text="食堂服务"), Cell(row=1, col=2, text="82.5")])
    doc = seg(blocks=[Block(kind="paragraph", index=0, text="三、采购项目内容、数量及预算"),
                      Block(kind="paragraph", index=1, text="本表金额含税。"), table])
    cell = next(c for c in doc.clauses if c.kind == ClauseKind.table_cell and c.text == "82.5")
    assert cell.table_title == "采购项目内容、数量及预算"
    assert cell.row_label == "1" and cell.column_label == "预算（万元）"


@pytest.mark.parametrize("title, front, scoring", [
    ("供应商须知前附表", True, False), ("响应人须知前附表", True, False), ("投标人须知资料表", True, False),
    ("评标办法前附表", False, True), ("综合评分明细表", False, True), ("评审因素及标准", False, True),
    ("评分细则（综合评分法）", False, True), ("报价明细表", False, False)])
def test_key_tables_under_their_real_names(title, front, scoring):
    table = Block(kind="table", index=2, cells=[Cell(row=0, col=0, text="条款"), Cell(row=0, col=1, text="内容"),
                                                Cell(row=1, col=0, text="1"), Cell(row=1, col=1, text="x")])
    doc = seg(blocks=[Block(kind="paragraph", index=0, text=title),
                      Block(kind="paragraph", index=1, text="本表是对须知的具体补充和修改，如有矛盾，以本表为准。"),
                      table])
    assert (doc.coverage.has_front_table, doc.coverage.has_scoring_table) == (front, scoring)


# ------------------------------------------------------------------------------------------------ running lines


def test_a_title_above_the_body_of_every_page_is_a_running_header():
    pages = []
    body = ["投标人应当按照要求编制投标文件。", "采购人不得以不合理条件限制供应商。", "评标委员会由五人组成。",
            "合同签订后七日内进场。", "质疑应当以书面形式提出。", "中标结果在指定媒介公告。"]
    for n in range(1, 7):
        page = Page(number=n, width=595, height=842)
        page.lines = [Line("北京市政府采购项目公开招标文件示范文本", n, 368, 539, 100, 110),  # below the 11 % band
                      Line(body[n - 1], n, 85, 500, 140, 152), Line(body[-n], n, 85, 500, 400, 412),
                      Line(str(n), n, 300, 310, 740, 750)]  # a page number above the bottom band
        pages.append(page)
    _remove_running_lines(pages)
    for n, page in enumerate(pages, 1):
        assert [ln.text for ln in page.lines] == [body[n - 1], body[-n]]


# ------------------------------------------------------------------------------------------------ symbols, DOCX


def test_symbol_fonts_by_font():
    assert map_symbol("\uf0fe", "CSKSUK+Wingdings-Regular") == "☑"
    assert map_symbol("\uf0a8", "Wingdings") == "☐"
    assert map_symbol("\uf0a3", "QJLWVE+Wingdings2") == "☐"
    assert map_symbol("\uf0a3", "TZCMBP+SymbolMT") == "≤"  # the same code in another font
    assert map_symbol("\uf0b4", "SymbolMT") == "×"
    assert map_symbol("\uf031", "SymbolMT,Bold") == "1"
    assert map_symbol("\uf0fe", "宋体") is None


def test_docx_frame_table_is_body_text_and_sym_check_boxes_read(tmp_path: Path):
    d = docx.Document()
    d.add_paragraph("第一章 招标公告")
    frame = d.add_table(rows=1, cols=1)
    frame.cell(0, 0).paragraphs[0].text = "一、项目名称：某食堂服务"
    frame.cell(0, 0).add_paragraph("二、采购预算：82.5万元")
    p = d.add_paragraph("是否接受联合体：")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for code, font, label in (("F0FE", "Wingdings", "不接受"), ("F0A8", "Wingdings", "接受")):
        p._p.append(parse_xml(f'<w:r xmlns:w="{w}"><w:sym w:font="{font}" w:char="{code}"/></w:r>'))
        p.add_run(label)
    path = tmp_path / "frame.docx"
    d.save(path)
    raw = read_docx(path, SOURCE.model_copy(update={"path": str(path)}))
    assert [(b.kind, b.text) for b in raw.blocks] == [
        ("paragraph", "第一章 招标公告"), ("paragraph", "一、项目名称：某食堂服务"),
        ("paragraph", "二、采购预算：82.5万元"), ("paragraph", "是否接受联合体：☑不接受☐接受")]


def test_a_page_keeps_its_own_margins():
    from checker.ingest.pdf_reader import _Layout, _page_layout

    document = _Layout(left=192, right=505.5, char=12, pitch=24)  # an annex of indented requirements dominates
    wrapped = [Line("江西省正乙招标咨询有限公司受鹰潭市教育局委托进行电子化公开招标现", 7, 54, 541, 120 + 24 * i, 132 + 24 * i)
               for i in range(4)]
    short = [Line(f"1.{i} 项目编号：某某", 7, 54, 200, 300 + 24 * i, 312 + 24 * i) for i in range(5)]
    page = _page_layout(wrapped + short, document)
    assert (page.left, page.right) == (54, 541.5)
    # equally long list items end at one x, far inside the text width: no margin
    items = [Line(f"{n}、投标函及附录", 9, 192, 300, 100 + 24 * i, 112 + 24 * i) for i, n in enumerate("一二三四五六七八九")]
    assert _page_layout(items, document) == document


def test_a_cover_title_over_a_table_opens_no_heading():
    box = Block(kind="table", index=1, cells=[Cell(row=0, col=0, text="项目名称："), Cell(row=0, col=1, text="某项目"),
                                              Cell(row=1, col=0, text="招标人："), Cell(row=1, col=1, text="某公司")])
    doc = seg(blocks=[Block(kind="paragraph", index=0, text="招标文件"), box,
                      Block(kind="paragraph", index=2, text="第一章 投标邀请书"),
                      Block(kind="paragraph", index=3, text="正文。")])
    assert tops(doc) == ["第一章 投标邀请书"]
    assert next(c for c in doc.clauses if c.kind == ClauseKind.table_cell).table_title == "招标文件"


def test_docx_running_title_typed_in_the_body(tmp_path: Path):
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    bodies = ["投标人应当按照要求编制投标文件。", "采购人不得以不合理条件限制供应商。", "评标委员会由五人组成。",
              "合同签订后七日内进场。", "质疑应当以书面形式提出。", "中标结果在指定媒介公告。"]
    for i, body in enumerate(bodies):
        d.add_paragraph("房建市政施工招标示范文本（2023年版）")
        p = d.add_paragraph(body)
        if i < len(bodies) - 1:
            p.add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("投标函")  # a form title, twice: no running title
    d.add_paragraph("投标函")
    path = tmp_path / "running.docx"
    d.save(path)
    raw = read_docx(path, SOURCE.model_copy(update={"path": str(path)}))
    assert [b.text for b in raw.blocks] == bodies + ["投标函", "投标函"]
    assert [b.index for b in raw.blocks] == list(range(len(raw.blocks)))


def test_a_gap_in_the_division_numbers_is_reported():
    doc = seg("第一章 招标公告", "正文。", "第二章 投标人须知", "正文。", "第四章 合同条款", "正文。")
    assert tops(doc)[-1] == "第四章 合同条款"  # within the slack: still a chapter (第三章 may be unreadable)
    gaps = [p for p in doc.coverage.problem_pages if p.problem == "heading_sequence_gap"]
    assert len(gaps) == 1 and "第四章" in gaps[0].detail and "上一个是第二章" in gaps[0].detail


def test_contents_worded_unlike_the_headings():
    doc = seg("目录", "第一章 公告", "第二章 须知", "第三章 评标", "第一章 招标公告", "正文。", "第二章 投标人须知", "正文。",
              "第三章 评标办法", "正文。")
    assert tops(doc) == ["第一章 招标公告", "第二章 投标人须知", "第三章 评标办法"]


def test_two_line_contents_before_the_body():
    doc = seg("目录", "第一部分 招标公告", "第二部分 招标文件", "第一部分 招标公告", "正文。", "第二部分 招标文件", "正文。")
    assert tops(doc) == ["第一部分 招标公告", "第二部分 招标文件"]
    assert next(c for c in doc.clauses if c.number == "第二部分").location.paragraph == 5


def test_contents_with_second_level_entries_and_an_unrecognised_list():
    toc = ["目录", "第一章 招标公告", "一、项目概况", "二、资格要求", "三、获取文件", "四、递交", "第二章 投标人须知",
           "一、总则", "二、招标文件", "三、投标文件", "第三章 评标办法", "一、评标方法"]
    body = ["第一章 招标公告", "一、项目概况", "本项目已具备条件。", "第二章 投标人须知", "一、总则", "本章适用于本项目。",
            "第三章 评标办法", "一、评标方法", "采用综合评分法。"]
    doc = seg(*toc, *body)
    assert tops(doc) == ["第一章 招标公告", "第二章 投标人须知", "第三章 评标办法"]
    assert next(c for c in doc.clauses if c.number == "第三章").location.paragraph == len(toc) + 6
    # a list of divisions the contents test cannot see (entries broken by sentences): the body keeps its divisions
    doc = seg("第一章 公告", "见第3页。", "第二章 须知", "见第9页。", "第一章 招标公告", "本项目已具备条件。",
              "第二章 投标人须知", "本章适用于本项目。")
    chapters = [c for c in doc.clauses if c.kind == ClauseKind.heading and c.number in ("第一章", "第二章")]
    assert [c.label for c in chapters][-2:] == ["第一章 招标公告", "第二章 投标人须知"]
    assert next(c for c in doc.clauses if c.text == "本章适用于本项目。").heading_path == ["第二章 投标人须知"]


def test_check_box_states_for_rules():
    from checker.ingest.symbols import checkbox_options

    assert checkbox_options("☑不提交 ☐提交") == [("不提交", True), ("提交", False)]
    assert checkbox_options("项目属性：■服务 □货物") == [("服务", True), ("货物", False)]
    assert checkbox_options("是否接受联合体：☐是，☑否。") == [("是", False), ("否", True)]
    clause = seg("投标保证金：☑不提交 ☐提交").clauses[0]
    assert clause.checkboxes == [("不提交", True), ("提交", False)]


def test_cn_dun_divisions_at_the_top_when_there_are_no_chapters():
    doc = seg("招标文件", "一、招标公告", "1. 项目概况", "内容。", "二、投标人须知", "1. 总则", "（一）适用范围",
              "三、“□”为选择项，采用的以“■”表示", "四、评标办法")
    assert tops(doc) == ["一、 招标公告", "二、 投标人须知", "四、 评标办法"]
    assert next(c for c in doc.clauses if c.text == "适用范围").heading_path == ["二、 投标人须知", "1. 总则"]
