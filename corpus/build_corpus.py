#!/usr/bin/env python3
"""Build the sample corpus of Chinese tender documents (招标文件 / 资格预审文件).

For every source file ``corpus/src/<name>.txt`` this script writes

* ``corpus/<name>.docx``           – built with python-docx plus raw OOXML (lxml) for what python-docx has no API for:
                                     auto-numbering (numbering.xml), merged cells, repeating header rows, a VML text box,
                                     PAGE / NUMPAGES fields, a different first page (cover without header/footer);
* ``corpus/<name>.pdf``            – the same document rendered by LibreOffice (``soffice --convert-to pdf``);
* ``corpus/<name>.expected.yaml``  – what a parser / rule engine should find (chapters, tables, planted violations).

Usage::

    .venv/bin/python corpus/build_corpus.py              # all documents
    .venv/bin/python corpus/build_corpus.py works_tender # one document
    .venv/bin/python corpus/build_corpus.py --force      # re-render PDFs even if the DOCX did not change
    .venv/bin/python corpus/build_corpus.py --no-pdf     # DOCX only (expected.yaml keeps the old page count)

The DOCX output is byte-for-byte deterministic (fixed core properties and zip timestamps). LibreOffice writes a
creation date into the PDF, so a PDF is only re-rendered when its DOCX changed (or with ``--force``).

Source markup (one block per line; see corpus/README.md for the full list)::

    # 招标公告            chapter  (Heading 1, numbered 第%1章 through the style)
    ## 通用合同条款       section  (Heading 2, numbered 第%1节 through the style)
    =1 / =2 / =3 text     clause, auto-numbered %1 / %1.%2 / %1.%2.%3, restarting in every chapter
    -c / -n / -p text     list item （一） / 1. / (1)
    !table ...  + | rows  table (``^`` = merged with the cell above, ``<`` = merged with the cell on the left)
    [[F:RULE-ID:text]]    planted violation   -> expected.yaml ``flag``
    [[N:RULE-ID:text]]    look-alike           -> expected.yaml ``no_flag``
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
import yaml
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
DOCUMENTS = ["works_tender", "works_prequal", "gp_goods_tender", "gp_services_tender", "works_tender_timeline",
             "gp_goods_weights"]
FIXED_TIME = dt.datetime(2026, 3, 2, 9, 0, 0)
ZIP_TIME = (2026, 3, 2, 9, 0, 0)
LO_PROFILE = "file:///tmp/lo_profile_corpus"

TEXT_WIDTH_CM = 15.4  # A4 21.0 cm minus 3.0 cm left and 2.6 cm right margin
BODY_PT = 12  # 小四
TABLE_PT = 10.5  # 五号
INDENT_2CH = 480  # two characters of 12 pt, in twips
LINE_PT, TABLE_LINE_PT = 22, 16  # 固定值 line spacing of body text and table text
FOOTER_PATTERN = r"第\s*\d+\s*页\s*共\s*\d+\s*页"

FONT_SONG, FONT_HEI, FONT_LATIN = "宋体", "黑体", "Times New Roman"
# LibreOffice finds fonts through fontconfig; map the Chinese font names a real document uses to fonts installed here.
FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{}</fontconfig>
"""
FONT_MAP = {"宋体": "Noto Serif CJK SC", "SimSun": "Noto Serif CJK SC", "仿宋": "Noto Serif CJK SC",
            "黑体": "Noto Sans CJK SC", "SimHei": "Noto Sans CJK SC", "Times New Roman": "Liberation Serif"}

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 the way Word's chineseCounting renders it (十, 十一, 二十, 二十一)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


# ---------------------------------------------------------------------------------------------------------------------
# OOXML helpers


def w_el(tag: str, **attrs) -> OxmlElement:
    el = OxmlElement(tag)
    for key, val in attrs.items():
        el.set(qn("w:" + key.rstrip("_")), str(val))
    return el


PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
             "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
             "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"]
RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
             "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
             "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
             "em", "lang", "eastAsianLayout", "specVanish", "oMath"]
TCPR_ORDER = ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
              "textDirection", "tcFitText", "vAlign", "hideMark"]
TBLPR_ORDER = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW",
               "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook"]


def put(parent, child, order: list[str]):
    """Insert `child` into `parent` at its schema position, replacing an existing element of the same tag."""
    name = child.tag.split("}")[1]
    for old in parent.findall(qn("w:" + name)):
        parent.remove(old)
    later = order[order.index(name) + 1:]
    for i, existing in enumerate(parent):
        if existing.tag.split("}")[1] in later:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def ppr_props(pPr, *, jc=None, first_line=None, left=None, hanging=None, line=None, exact=None, before=None,
              after=None, keep_next=False, page_break=False, outline=None, num=None, tabs=None, border_bottom=False,
              no_hang=False):
    if keep_next:
        put(pPr, w_el("w:keepNext"), PPR_ORDER)
    if page_break:
        put(pPr, w_el("w:pageBreakBefore"), PPR_ORDER)
    if num is not None:  # (numId, ilvl)
        np_ = w_el("w:numPr")
        np_.append(w_el("w:ilvl", val=num[1]))
        np_.append(w_el("w:numId", val=num[0]))
        put(pPr, np_, PPR_ORDER)
    if border_bottom:
        bdr = w_el("w:pBdr")
        bdr.append(w_el("w:bottom", val="single", sz=6, space=1, color="000000"))
        put(pPr, bdr, PPR_ORDER)
    if tabs:
        t = w_el("w:tabs")
        for val, pos, leader in tabs:
            t.append(w_el("w:tab", val=val, pos=pos, leader=leader) if leader else w_el("w:tab", val=val, pos=pos))
        put(pPr, t, PPR_ORDER)
    if no_hang:
        # LibreOffice 7.4 drops a "、" that hangs into the right margin from the PDF. Its DOCX import reads
        # overflowPunct the other way round from Word: val=1 (Word's default, "allow hanging") switches hanging
        # off in LibreOffice, while val=0 or no element leaves it on. Word renders val=1 exactly as the default.
        put(pPr, w_el("w:overflowPunct", val=1), PPR_ORDER)
    if line is not None or exact is not None or before is not None or after is not None:
        sp = w_el("w:spacing", before=int((before or 0) * 20), after=int((after or 0) * 20))
        if line is not None:
            sp.set(qn("w:line"), str(int(line * 240)))
            sp.set(qn("w:lineRule"), "auto")
        elif exact is not None:  # 固定值 line spacing, as most Chinese tender templates use
            sp.set(qn("w:line"), str(int(exact * 20)))
            sp.set(qn("w:lineRule"), "exact")
        put(pPr, sp, PPR_ORDER)
    if first_line is not None or left is not None or hanging is not None:
        ind = w_el("w:ind", left=left or 0)
        if first_line:  # Word reads firstLineChars, LibreOffice reads firstLine: keep both equal
            ind.set(qn("w:firstLineChars"), str(round(first_line / (BODY_PT * 20) * 100)))
            ind.set(qn("w:firstLine"), str(first_line))
        elif hanging:
            ind.set(qn("w:hanging"), str(hanging))
        elif first_line == 0:
            ind.set(qn("w:firstLine"), "0")
        put(pPr, ind, PPR_ORDER)
    if jc:
        put(pPr, w_el("w:jc", val=jc), PPR_ORDER)
    if outline is not None:
        put(pPr, w_el("w:outlineLvl", val=outline), PPR_ORDER)
    return pPr


def rpr_props(rPr, *, east=None, latin=FONT_LATIN, size=None, bold=None, underline=False, color="000000"):
    if east:
        put(rPr, w_el("w:rFonts", ascii=latin, hAnsi=latin, eastAsia=east, cs=latin), RPR_ORDER)
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            put(rPr, w_el(tag, val=1 if bold else 0), RPR_ORDER)
    if color:
        put(rPr, w_el("w:color", val=color), RPR_ORDER)
    if size:
        put(rPr, w_el("w:sz", val=int(size * 2)), RPR_ORDER)
        put(rPr, w_el("w:szCs", val=int(size * 2)), RPR_ORDER)
    if underline:
        put(rPr, w_el("w:u", val="single"), RPR_ORDER)
    return rPr


def get_rpr(el):
    rPr = el.find(qn("w:rPr"))
    if rPr is None:
        rPr = w_el("w:rPr")
        el.append(rPr) if el.tag != qn("w:r") else el.insert(0, rPr)
    return rPr


# ---------------------------------------------------------------------------------------------------------------------
# styles and numbering

def define_style(doc, name, *, style_id=None, base="Normal", ppr=None, rpr=None, next_style=None):
    """Create or reset a paragraph style; pPr/rPr are rebuilt from scratch so no theme fonts or colours survive."""
    styles = doc.styles
    if name in [s.name for s in styles]:
        st = styles[name]
    else:
        st = styles.add_style(name, 1)
        if style_id:
            st.element.set(qn("w:styleId"), style_id)
    el = st.element
    for tag in ("w:pPr", "w:rPr"):
        for old in el.findall(qn(tag)):
            el.remove(old)
    if base and name != "Normal":
        st.base_style = styles[base]
    if next_style:
        st.next_paragraph_style = styles[next_style]
    pPr = w_el("w:pPr")
    rPr = w_el("w:rPr")
    ppr_props(pPr, **(ppr or {}))
    rpr_props(rPr, **(rpr or {}))
    el.append(pPr)
    el.append(rPr)
    st.quick_style = True
    return st


HEADING_NUM, CLAUSE_ABS, LIST_ABS = 1, 1, {"c": 2, "n": 3, "p": 4}


def lvl_xml(ilvl, fmt, text, *, suff="space", pstyle=None, first_line=0, tab=None):
    lvl = w_el("w:lvl", ilvl=ilvl)
    lvl.append(w_el("w:start", val=1))
    lvl.append(w_el("w:numFmt", val=fmt))
    if pstyle:
        lvl.append(w_el("w:pStyle", val=pstyle))
    lvl.append(w_el("w:suff", val=suff))
    lvl.append(w_el("w:lvlText", val=text))
    lvl.append(w_el("w:lvlJc", val="left"))
    pPr = w_el("w:pPr")
    ppr_props(pPr, first_line=first_line, left=0, tabs=[("num", tab, None)] if tab else None)
    lvl.append(pPr)
    return lvl


def setup_numbering(doc):
    """abstractNum 0: 第%1章 / 第%2节 bound to Heading 1/2; 1: clauses %1, %1.%2, %1.%2.%3; 2-4: lists."""
    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    defs = [
        (0, "章节编号", [lvl_xml(0, "chineseCounting", "第%1章", pstyle="Heading1"),
                     lvl_xml(1, "chineseCounting", "第%2节", pstyle="Heading2")]),
        (1, "条款编号", [lvl_xml(0, "decimal", "%1", suff="tab", tab=600),
                     lvl_xml(1, "decimal", "%1.%2"),
                     lvl_xml(2, "decimal", "%1.%2.%3", first_line=INDENT_2CH)]),
        (2, "中文括号编号", [lvl_xml(0, "chineseCounting", "（%1）", suff="nothing", first_line=INDENT_2CH)]),
        (3, "数字点编号", [lvl_xml(0, "decimal", "%1.", suff="nothing", first_line=INDENT_2CH)]),
        (4, "数字括号编号", [lvl_xml(0, "decimal", "(%1)", suff="nothing", first_line=INDENT_2CH)]),
    ]
    for abs_id, name, lvls in defs:
        a = w_el("w:abstractNum", abstractNumId=abs_id)
        a.append(w_el("w:nsid", val="%08X" % (0x5A3C1000 + abs_id)))
        a.append(w_el("w:multiLevelType", val="multilevel" if len(lvls) > 1 else "singleLevel"))
        a.append(w_el("w:tmpl", val="%08X" % (0x1E7D2000 + abs_id)))
        a.append(w_el("w:name", val=name))
        for lvl in lvls:
            a.append(lvl)
        numbering.append(a)
    num = w_el("w:num", numId=HEADING_NUM)
    num.append(w_el("w:abstractNumId", val=0))
    numbering.append(num)
    return numbering


def setup_styles(doc):
    styles = doc.styles.element
    # document defaults: Chinese language so LibreOffice applies Chinese line breaking rules
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rpr_props(rpr_default, east=FONT_SONG, size=BODY_PT, color=None)
    put(rpr_default, w_el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"), RPR_ORDER)
    define_style(doc, "Normal", ppr=dict(exact=LINE_PT, before=0, after=0, jc="both", no_hang=True),
                 rpr=dict(east=FONT_SONG, size=BODY_PT))
    define_style(doc, "Body Text Indent", style_id="BodyTextIndent",
                 ppr=dict(first_line=INDENT_2CH, left=0, exact=LINE_PT, jc="both"), rpr=dict(east=FONT_SONG,
                                                                                            size=BODY_PT))
    define_style(doc, "Heading 1", ppr=dict(jc="center", keep_next=True, page_break=True, before=12, after=18,
                                            line=1.2, outline=0, first_line=0, left=0),
                 rpr=dict(east=FONT_HEI, latin=FONT_LATIN, size=16, bold=True), next_style="Body Text Indent")
    define_style(doc, "Heading 2", ppr=dict(jc="center", keep_next=True, before=12, after=12, line=1.2, outline=1),
                 rpr=dict(east=FONT_HEI, size=14, bold=True), next_style="Body Text Indent")
    for i in (1, 2):  # attach chapter / section numbering to the heading styles (not to the paragraphs)
        pPr = doc.styles["Heading %d" % i].element.find(qn("w:pPr"))
        ppr_props(pPr, num=(HEADING_NUM, i - 1))
    define_style(doc, "Sub Title", style_id="SubTitle", ppr=dict(jc="center", keep_next=True, before=6, after=6,
                                                                 line=1.2),
                 rpr=dict(east=FONT_HEI, size=14, bold=True))
    define_style(doc, "Clause Heading 1", style_id="ClauseHeading1",
                 ppr=dict(keep_next=True, before=6, after=0, outline=2), rpr=dict(east=FONT_HEI, size=BODY_PT,
                                                                                  bold=True))
    define_style(doc, "Clause Heading 2", style_id="ClauseHeading2", ppr=dict(keep_next=True, outline=3),
                 rpr=dict(east=FONT_SONG, size=BODY_PT, bold=True))
    define_style(doc, "Clause Text", style_id="ClauseText", ppr=dict(first_line=INDENT_2CH, left=0),
                 rpr=dict(east=FONT_SONG, size=BODY_PT))
    define_style(doc, "List Paragraph", ppr=dict(first_line=INDENT_2CH, left=0), rpr=dict(east=FONT_SONG,
                                                                                          size=BODY_PT))
    define_style(doc, "Table Text", style_id="TableText", ppr=dict(exact=TABLE_LINE_PT, jc="left"),
                 rpr=dict(east=FONT_SONG, size=TABLE_PT))
    define_style(doc, "Header", ppr=dict(jc="center", line=1.0, border_bottom=True),
                 rpr=dict(east=FONT_SONG, size=9))
    define_style(doc, "Footer", ppr=dict(jc="center", line=1.0), rpr=dict(east=FONT_SONG, size=9))
    define_style(doc, "Cover Title", style_id="CoverTitle", ppr=dict(jc="center", before=12, after=12, line=1.2),
                 rpr=dict(east=FONT_HEI, size=26, bold=True))
    define_style(doc, "Cover Subtitle", style_id="CoverSubtitle", ppr=dict(jc="center", before=6, after=6, line=1.2),
                 rpr=dict(east=FONT_HEI, size=18, bold=True))
    define_style(doc, "TOC Heading", ppr=dict(jc="center", page_break=True, after=12, line=1.2),
                 rpr=dict(east=FONT_HEI, size=16, bold=True))
    right_tab = [("right", int(TEXT_WIDTH_CM / 2.54 * 1440) - 10, "dot")]
    define_style(doc, "toc 1", style_id="TOC1", ppr=dict(tabs=right_tab, before=3, after=3),
                 rpr=dict(east=FONT_SONG, size=BODY_PT))
    define_style(doc, "toc 2", style_id="TOC2", ppr=dict(tabs=right_tab, left=INDENT_2CH),
                 rpr=dict(east=FONT_SONG, size=BODY_PT))


def setup_page(doc, header_text):
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(2.54), Cm(2.54)
    sec.left_margin, sec.right_margin = Cm(3.0), Cm(2.6)
    sec.header_distance, sec.footer_distance = Cm(1.5), Cm(1.5)
    sec.different_first_page_header_footer = True  # the cover page has neither header nor footer
    for part in (sec.first_page_header, sec.first_page_footer):
        part.paragraphs[0].style = doc.styles["Normal"]
    hp = sec.header.paragraphs[0]
    hp.style = doc.styles["Header"]
    hp.add_run(header_text)
    fp = sec.footer.paragraphs[0]
    fp.style = doc.styles["Footer"]
    fp.add_run("第 ")
    # PAGE as a simple field, NUMPAGES as a complex field: both forms occur in real documents
    fp._p.append(parse_xml('<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                           'w:instr=" PAGE \\* MERGEFORMAT "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    fp.add_run(" 页 共 ")
    for kind, text in (("begin", None), (None, " NUMPAGES \\* MERGEFORMAT "), ("separate", None), (None, "1"),
                       ("end", None)):
        r = fp.add_run()
        if kind:
            r._r.append(w_el("w:fldChar", fldCharType=kind))
        elif text.strip().startswith("NUMPAGES"):
            it = w_el("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = text
            r._r.append(it)
        else:
            r._r.append(w_el("w:t"))
            r._r[-1].text = text
    fp.add_run(" 页")


# ---------------------------------------------------------------------------------------------------------------------
# source parsing

@dataclass
class Block:
    kind: str
    text: str = ""
    arg: str = ""
    rows: list = field(default_factory=list)
    opts: dict = field(default_factory=dict)
    line: int = 0


PREFIXES = [("#### ", "bold_left"), ("### ", "subtitle"), ("## ", "section"), ("# ", "chapter"),
            ("=1 ", "clause0"), ("=2 ", "clause1"), ("=3 ", "clause2"),
            ("-c ", "list_c"), ("-n ", "list_n"), ("-p ", "list_p"),
            ("^^# ", "cover_title"), ("^^## ", "cover_subtitle"), ("^^ ", "center"),
            (">> ", "right"), ("> ", "plain")]


def parse_source(path: Path):
    raw = path.read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n", raw, re.S)
    if not m:
        raise SystemExit(f"{path}: missing YAML front matter")
    meta = yaml.safe_load(m.group(1))
    offset = raw[:m.end()].count("\n")
    blocks: list[Block] = []
    for no, line in enumerate(raw[m.end():].split("\n"), start=offset + 1):
        line = line.rstrip()
        if not line.strip() or line.startswith("//"):
            continue
        if line.startswith("|"):
            if not blocks or blocks[-1].kind != "table":
                raise SystemExit(f"{path}:{no}: table row outside a !table block")
            blocks[-1].rows.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        if line.startswith("!"):
            word, _, rest = line[1:].partition(" ")
            blk = Block(word, arg=rest.strip(), line=no)
            if word == "table":
                for opt in rest.split():
                    key, _, val = opt.partition("=")
                    blk.opts[key] = val if val else True
            elif word not in ("pagebreak", "toc", "blank", "textbox", "newlist"):
                raise SystemExit(f"{path}:{no}: unknown directive !{word}")
            blocks.append(blk)
            continue
        for prefix, kind in PREFIXES:
            if line.startswith(prefix):
                blocks.append(Block(kind, line[len(prefix):].strip(), line=no))
                break
        else:
            blocks.append(Block("body", line.strip(), line=no))
    return meta, blocks


INLINE_RE = re.compile(r"(\*\*.+?\*\*|__.+?__|\[\[[FN]:[A-Z0-9-]+(?:@[a-z]+)?:.+?\]\])")


# ---------------------------------------------------------------------------------------------------------------------
# document builder

class Builder:
    def __init__(self, meta, blocks, toc_pages=None):
        self.meta, self.blocks, self.toc_pages = meta, blocks, toc_pages or {}
        self.doc = docx.Document()
        setup_styles(self.doc)
        self.numbering = setup_numbering(self.doc)
        setup_page(self.doc, meta["header"])
        self.body = self.doc.element.body
        self.next_num_id = HEADING_NUM + 1
        self.chapter = self.section = 0
        self.chapter_label = self.section_label = ""
        self.clause = [0, 0, 0]
        self.clause_num = None  # numId of the clause list of the current chapter
        self.list_kind = None
        self.list_num = None
        self.list_count = 0
        self.textboxes = 0
        self.marks: list[dict] = []
        self.chapters: list[str] = []
        self.sections: dict[str, list[str]] = {}
        self.tables: list[dict] = []
        self.textbox_texts: list[str] = []
        self.clause_samples: list[str] = []

    # -- numbering instances
    def new_num(self, abstract_id):
        num_id = self.next_num_id
        self.next_num_id += 1
        num = w_el("w:num", numId=num_id)
        num.append(w_el("w:abstractNumId", val=abstract_id))
        ov = w_el("w:lvlOverride", ilvl=0)
        ov.append(w_el("w:startOverride", val=1))
        num.append(ov)
        self.numbering.append(num)
        return num_id

    # -- location of a block, for expected.yaml
    def where(self, extra=""):
        parts = [self.chapter_label or "封面"]
        if self.section_label:
            parts.append(self.section_label)
        if any(self.clause):
            parts.append(".".join(str(n) for n in self.clause if n))
        if self.list_kind:
            parts.append({"c": "（%s）" % cn_number(self.list_count), "n": "%d." % self.list_count,
                          "p": "(%d)" % self.list_count}[self.list_kind])
        if extra:
            parts.append(extra)
        return " ".join(parts)

    def add_runs(self, par, text, where, *, bold=False, size=None):
        for piece in INLINE_RE.split(text):
            if not piece:
                continue
            b, u = bold, False
            if piece.startswith("**"):
                piece, b = piece[2:-2], True
            elif piece.startswith("__"):
                piece, u = piece[2:-2], True
            elif piece.startswith("[["):
                kind, rule, piece = piece[2:-2].split(":", 2)
                rule, _, max_sev = rule.partition("@")
                self.marks.append({"kind": "flag" if kind == "F" else "no_flag", "rule": rule, "text": piece,
                                   "where": where, "max_severity": max_sev or None})
            run = par.add_run(piece)
            if b:
                run.bold = True
            if u:
                run.underline = True
            if size:
                run.font.size = Pt(size)
        return par

    def para(self, text="", style="Body Text Indent", *, num=None, jc=None, where=None, bold=False, size=None,
             keep=False):
        par = self.doc.add_paragraph(style=self.doc.styles[style])
        if num or jc or keep:
            ppr_props(par._p.get_or_add_pPr(), num=num, jc=jc, keep_next=keep)
        return self.add_runs(par, text, where or self.where(), bold=bold, size=size)

    # -- blocks
    # simple blocks: kind -> (style, keyword arguments of para())
    SIMPLE = {"body": ("Body Text Indent", {}), "plain": ("Normal", {}), "right": ("Normal", {"jc": "right"}),
              "center": ("Normal", {"jc": "center"}), "bold_left": ("Normal", {"bold": True, "keep": True}),
              "subtitle": ("Sub Title", {}), "cover_title": ("Cover Title", {}),
              "cover_subtitle": ("Cover Subtitle", {})}

    def build(self):
        for blk in self.blocks:
            if not blk.kind.startswith("list") and blk.kind != "newlist":
                self.list_kind = None
            if blk.kind in self.SIMPLE:
                style, kwargs = self.SIMPLE[blk.kind]
                self.para(blk.text, style, **kwargs)
            elif blk.kind.startswith("list_"):
                self._list(blk, blk.kind[-1])
            elif blk.kind.startswith("clause"):
                level = int(blk.kind[-1])
                short = len(blk.text) <= 16 and not re.search(r"[。；：，]", blk.text)
                style = ("Clause Heading 1", "Clause Heading 2" if short else "Clause Text", "Clause Text")[level]
                self._clause(blk, level, style)
            else:
                getattr(self, "b_" + blk.kind)(blk)
        self.finish()
        return self

    def b_chapter(self, blk):
        self.chapter += 1
        self.section, self.section_label = 0, ""
        self.clause, self.clause_num = [0, 0, 0], None
        self.chapter_label = "第%s章 %s" % (cn_number(self.chapter), blk.text)
        self.chapters.append(self.chapter_label)
        self.para(blk.text, "Heading 1")

    def b_section(self, blk):
        self.section += 1
        self.clause = [0, 0, 0]
        self.clause_num = None  # clauses restart in every section as well
        self.section_label = "第%s节 %s" % (cn_number(self.section), blk.text)
        self.sections.setdefault(self.chapter_label, []).append(self.section_label)
        self.para(blk.text, "Heading 2")

    def _clause(self, blk, level, style):
        if self.clause_num is None:
            self.clause_num = self.new_num(CLAUSE_ABS)
        self.clause[level] += 1
        for i in range(level + 1, 3):
            self.clause[i] = 0
        if not all(self.clause[:level + 1]):
            raise SystemExit(f"line {blk.line}: clause level {level} without a parent")
        if len(self.clause_samples) < 400:
            self.clause_samples.append(".".join(str(n) for n in self.clause[:level + 1]))
        self.para(blk.text, style, num=(self.clause_num, level))

    def _list(self, blk, kind):
        if self.list_kind != kind:
            self.list_kind, self.list_num, self.list_count = kind, self.new_num(LIST_ABS[kind]), 0
        self.list_count += 1
        self.para(blk.text, "List Paragraph", num=(self.list_num, 0))

    def b_newlist(self, blk):
        self.list_kind = None

    def b_blank(self, blk):
        for _ in range(int(blk.arg or 1)):
            self.doc.add_paragraph(style=self.doc.styles["Normal"])

    def b_pagebreak(self, blk):
        par = self.doc.add_paragraph(style=self.doc.styles["Normal"])
        br = OxmlElement("w:br")
        br.set(qn("w:type"), "page")
        par.add_run()._r.append(br)

    def b_toc(self, blk):
        self.para("目　　录", "TOC Heading")
        titles = [b.text for b in self.blocks if b.kind == "chapter"]
        for i, title in enumerate(titles, start=1):
            label = "第%s章　%s" % (cn_number(i), title)
            self.para("%s\t%s" % (label, self.toc_pages.get(label, "0")), "toc 1")

    def b_textbox(self, blk):
        """A boxed notice (VML text box, w:txbxContent) in its own paragraph. Not part of the body text."""
        self.textboxes += 1
        title, *lines = [x.strip() for x in blk.arg.split("|")]
        self.textbox_texts.append(title)
        ns = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
              'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"')
        rfonts = '<w:rFonts w:ascii="%s" w:hAnsi="%s" w:eastAsia="%%s"/>' % (FONT_LATIN, FONT_LATIN)

        def tp(text, bold=False, jc="left", east=FONT_SONG):
            esc = text.replace("&", "&amp;").replace("<", "&lt;")
            return ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="320" w:lineRule="exact"/>'
                    '<w:jc w:val="%s"/></w:pPr><w:r><w:rPr>%s%s<w:sz w:val="22"/></w:rPr>'
                    '<w:t xml:space="preserve">%s</w:t></w:r></w:p>') % (jc, rfonts % east, "<w:b/>" if bold else "",
                                                                        esc)
        paras = tp(title, True, "center", FONT_HEI) + "".join(tp(x) for x in lines)
        n_lines = sum(max(1, -(-len(x) // 35)) for x in lines) + 1  # 35 characters of 11 pt per 420 pt line
        height = 20 + n_lines * 16
        xml = ('<w:r %s><w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
               'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
               '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
               '<v:shape id="TextBox%d" o:spid="_x0000_s%d" type="#_x0000_t202" '
               'style="width:420pt;height:%dpt" strokeweight="1.5pt">'
               '<v:textbox inset="8pt,5pt,8pt,5pt"><w:txbxContent>%s</w:txbxContent></v:textbox>'
               '</v:shape></w:pict></w:r>') % (ns, self.textboxes, 1025 + self.textboxes, height, paras)
        par = self.doc.add_paragraph(style=self.doc.styles["Normal"])
        ppr_props(par._p.get_or_add_pPr(), jc="center", before=6, after=6, line=1.0)  # not 固定值: it would clip
        par._p.append(parse_xml(xml))

    def b_table(self, blk):
        rows = blk.rows
        ncols = max(len(r) for r in rows)
        rows = [r + [""] * (ncols - len(r)) for r in rows]
        header_rows = int(blk.opts.get("header", 1))
        caption = blk.opts.get("caption", "").replace("_", " ")
        if blk.opts.get("title"):
            self.para(caption, "Sub Title")
        widths = [float(x) for x in str(blk.opts.get("widths", "")).split(",") if x] or [1.0] * ncols
        widths = [TEXT_WIDTH_CM * w / sum(widths) for w in widths]
        center_cols = {int(x) for x in str(blk.opts.get("center", "0")).split(",") if x != ""}
        table = self.doc.add_table(rows=len(rows), cols=ncols)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        tblPr = table._tbl.tblPr
        put(tblPr, w_el("w:tblW", w=int(sum(widths) / 2.54 * 1440), type="dxa"), TBLPR_ORDER)
        for i, col in enumerate(table.columns):
            col.width = Cm(widths[i])
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                cell.width = Cm(widths[c])
            if r < header_rows and blk.opts.get("repeat"):
                row._tr.get_or_add_trPr().append(w_el("w:tblHeader"))
        # merges: an origin cell extends right over "<" and down over "^"
        origins = []
        for r in range(len(rows)):
            for c in range(ncols):
                if rows[r][c] in ("^", "<"):
                    continue
                c2 = c
                while c2 + 1 < ncols and rows[r][c2 + 1] == "<":
                    c2 += 1
                r2 = r
                while r2 + 1 < len(rows) and rows[r2 + 1][c] == "^":
                    r2 += 1
                origins.append((r, c, r2, c2))
        cells = {}
        for r, c, r2, c2 in origins:
            cell = table.cell(r, c)
            if (r2, c2) != (r, c):
                cell = cell.merge(table.cell(r2, c2))
            cells[(r, c)] = cell
        for (r, c), cell in cells.items():
            text = rows[r][c]
            row_label = rows[r][0] if rows[r][0] not in ("^", "<") else self._origin_text(rows, r, 0)
            where = self.where("%s %s" % (caption or "表格", row_label)).strip()
            parts = text.split("\\\\")
            for i, part in enumerate(parts):
                par = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                par.style = self.doc.styles["Table Text"]
                jc = "center" if (r < header_rows or c in center_cols) else "both"
                ppr_props(par._p.get_or_add_pPr(), jc=jc)
                self.add_runs(par, part.strip(), where, bold=r < header_rows)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if r < header_rows:
                tcPr = cell._tc.get_or_add_tcPr()
                put(tcPr, w_el("w:shd", val="clear", color="auto", fill="D9D9D9"), TCPR_ORDER)
        self.tables.append({"caption": caption or None, "chapter": self.chapter_label, "rows": len(rows),
                            "cols": ncols, "header_rows": header_rows, "repeat_header": bool(blk.opts.get("repeat")),
                            "role": blk.opts.get("role")})
        if blk.opts.get("note"):
            self.para(blk.opts["note"].replace("_", " "), "Normal")
        else:
            self.doc.add_paragraph(style=self.doc.styles["Normal"])  # Word needs a paragraph between tables

    @staticmethod
    def _origin_text(rows, r, c):
        while r > 0 and rows[r][c] == "^":
            r -= 1
        return rows[r][c]

    def finish(self):
        cp = self.doc.core_properties
        cp.title = self.meta["title"]
        cp.author = self.meta.get("author", "招标代理机构")
        cp.last_modified_by = cp.author
        cp.created = cp.modified = cp.last_printed = FIXED_TIME
        cp.revision = 1
        cp.comments = "tendercheck sample corpus (synthetic document, generated by corpus/build_corpus.py)"

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return normalise_zip(buf.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed timestamps so that the same input gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, zin.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------------------------
# PDF rendering and checks

def soffice_pdf(docx_path: Path, outdir: Path) -> Path:
    conf = outdir / "fonts.conf"
    rules = "".join('  <match target="pattern"><test name="family"><string>%s</string></test>'
                    '<edit name="family" mode="assign" binding="strong"><string>%s</string></edit></match>\n'
                    % (a, b) for a, b in FONT_MAP.items())
    conf.write_text(FONTCONFIG.format(rules), encoding="utf-8")
    env = dict(os.environ, FONTCONFIG_FILE=str(conf))
    cmd = ["soffice", "--headless", "-env:UserInstallation=" + LO_PROFILE, "--convert-to", "pdf",
           "--outdir", str(outdir), str(docx_path)]
    res = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    pdf = outdir / (docx_path.stem + ".pdf")
    if res.returncode != 0 or not pdf.exists():
        raise SystemExit("soffice failed: %s\n%s" % (res.stdout.decode(errors="replace"),
                                                      res.stderr.decode(errors="replace")))
    return pdf


def pdf_pages_text(pdf: Path) -> list[str]:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    finally:
        doc.close()


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def docx_texts(path_or_doc) -> tuple[list[str], list[str]]:
    """(paragraph and table-cell texts of the body, text-box texts) the way python-docx sees them."""
    d = docx.Document(path_or_doc) if not hasattr(path_or_doc, "element") else path_or_doc
    from docx.table import _Cell
    body = [p.text for p in d.paragraphs]
    for table in d.tables:
        for tc in table._tbl.iter(qn("w:tc")):
            body.append(_Cell(tc, table).text)
    boxes = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in d.element.body.iter(qn("w:txbxContent"))]
    return body, boxes


def chapter_start_pages(pages: list[str], labels: list[str], first: int) -> dict[str, int]:
    found = {}
    for label in labels:
        want = squash(label)
        for i in range(first, len(pages)):
            lines = [squash(x) for x in pages[i].splitlines()]
            if want in lines:
                found[label] = i + 1
                first = i
                break
    return found


def check(name, meta, b: Builder, docx_path: Path, pdf: Path | None) -> list[str]:
    problems = []
    body, boxes = docx_texts(str(docx_path))
    header = meta["header"]
    for text in body + boxes:
        if squash(header) in squash(text):
            problems.append("header text occurs in the body: %r" % text[:60])
    seen = set()
    for mk in b.marks:
        if mk["text"] in seen:
            problems.append("duplicate mark text %r" % mk["text"])
        seen.add(mk["text"])
        hits = sum(t.count(mk["text"]) for t in body)
        if hits != 1:
            problems.append("%s %r occurs %d times in the DOCX body" % (mk["rule"], mk["text"], hits))
    if pdf is None:
        return problems
    pages = pdf_pages_text(pdf)
    n = len(pages)
    if n < meta["min_pages"] or n > meta["max_pages"]:
        problems.append("%s.pdf has %d pages, wanted %d-%d" % (name, n, meta["min_pages"], meta["max_pages"]))
    joined = ""
    for i, page in enumerate(pages):
        sq = squash(page)
        if i >= meta.get("cover_pages", 1):
            if squash(header) not in sq:
                problems.append("page %d lacks the header" % (i + 1))
            if not re.search(FOOTER_PATTERN, sq):
                problems.append("page %d lacks the footer" % (i + 1))
        joined += re.sub(r"第\d+页共\d+页", "", sq.replace(squash(header), ""))
    for mk in b.marks:
        if squash(mk["text"]) not in joined:
            problems.append("%s %r not found in the PDF text" % (mk["rule"], mk["text"]))
    for label in b.chapters:
        if squash(label) not in joined:
            problems.append("chapter heading %r not rendered in the PDF" % label)
    for sample in sorted({x for x in b.clause_samples if "." in x}):
        if sample not in joined:
            problems.append("clause number %s not rendered in the PDF" % sample)
    return problems


# ---------------------------------------------------------------------------------------------------------------------

def expected_yaml(meta, b: Builder, pdf_pages) -> str:
    out = {
        "document": meta["document"],
        "title": meta["title"],
        "doc_type": meta["doc_type"],
        "regime": meta["regime"],
        "procurement": meta["procurement"],
        "pdf_pages": pdf_pages,
        "min_pages": meta["min_pages"],
        "cover_pages": meta.get("cover_pages", 1),
        "facts": meta.get("facts", {}),
        "structure": {
            "chapters": b.chapters,
            "sections": b.sections,
            "toc": any(x.kind == "toc" for x in b.blocks),
            "front_table": any(t["role"] == "front" for t in b.tables),
            "scoring_table": any(t["role"] == "scoring" for t in b.tables),
            "tables": b.tables,
            "textbox_texts": b.textbox_texts,
            "header_footer_texts": [meta["header"]],
            "footer_pattern": FOOTER_PATTERN,
        },
        "flag": [{k: m[k] for k in ("rule", "text", "where")} for m in b.marks if m["kind"] == "flag"],
        "no_flag": [{k: m[k] for k in ("rule", "text", "where", "max_severity") if m[k]}
                    for m in b.marks if m["kind"] == "no_flag"],
        # Absence rules (未载明投标有效期) have no clause to point at: listed per document.
        **({"document_findings": meta["document_findings"]} if meta.get("document_findings") else {}),
    }
    head = ("# Generated by corpus/build_corpus.py from corpus/src/%s.txt - do not edit by hand.\n"
            "# flag: planted violations; no_flag: look-alikes that must not be reported under that rule\n"
            "# (max_severity, where present, is the most a correct checker may report for it).\n") % meta["document"]
    return head + yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=120)


def build_one(name: str, *, force=False, make_pdf=True) -> bool:
    meta, blocks = parse_source(SRC / (name + ".txt"))
    meta["document"] = name
    docx_path, pdf_path, yaml_path = HERE / (name + ".docx"), HERE / (name + ".pdf"), HERE / (name + ".expected.yaml")
    has_toc = any(x.kind == "toc" for x in blocks)
    with tempfile.TemporaryDirectory(prefix="corpus_") as tmp:
        tmp = Path(tmp)
        b = Builder(meta, blocks).build()
        data = b.to_bytes()
        if has_toc and make_pdf:  # second pass: put the real chapter page numbers into the typed table of contents
            tmp_docx = tmp / (name + ".docx")
            tmp_docx.write_bytes(data)
            pages = pdf_pages_text(soffice_pdf(tmp_docx, tmp))
            labels = ["第%s章　%s" % (cn_number(i + 1), c.split(" ", 1)[1]) for i, c in enumerate(b.chapters)]
            found = chapter_start_pages(pages, [x.replace("　", " ") for x in labels], meta.get("cover_pages", 1) + 1)
            toc = {lab: str(found.get(lab.replace("　", " "), "")) for lab in labels}
            b = Builder(meta, blocks, toc_pages=toc).build()
            data = b.to_bytes()
        unchanged = docx_path.exists() and docx_path.read_bytes() == data and pdf_path.exists()
        docx_path.write_bytes(data)
        pdf = None
        if make_pdf and (force or not unchanged):
            shutil.copy(soffice_pdf(docx_path, tmp), pdf_path)
        if pdf_path.exists() and make_pdf:
            pdf = pdf_path
        problems = check(name, meta, b, docx_path, pdf)
        n_pages = len(pdf_pages_text(pdf_path)) if pdf_path.exists() else None
        yaml_path.write_text(expected_yaml(meta, b, n_pages), encoding="utf-8")
    flags = sum(m["kind"] == "flag" for m in b.marks)
    print("%-20s %s pages, %d flag, %d no_flag%s" % (name, n_pages, flags, len(b.marks) - flags,
                                                       " (PDF kept)" if unchanged and not force else ""))
    for p in problems:
        print("   PROBLEM:", p)
    return not problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", default=DOCUMENTS)
    ap.add_argument("--force", action="store_true", help="re-render PDFs even when the DOCX did not change")
    ap.add_argument("--no-pdf", action="store_true", help="write DOCX and expected.yaml only")
    args = ap.parse_args(argv)
    if not args.no_pdf and not shutil.which("soffice"):
        raise SystemExit("soffice (LibreOffice) not found; use --no-pdf")
    ok = all([build_one(n, force=args.force, make_pdf=not args.no_pdf) for n in args.names])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
