"""Document type of a dossier document, read from its title first.

`checker.doctype.classify` reads the first dozen clauses and takes the first type whose pattern any of them shows;
in a stand-alone 招标公告 the line `4. 招标文件的获取` then makes it a 招标文件. A dossier holds short notices of
every stage, so the title decides here (the first lines, before the body), and the per-document classifier is the
fallback. The manifest beats both.
"""
from __future__ import annotations

import re
from typing import Optional

from ..doctype import classify
from ..models import ClauseKind, Document

# Most specific first, on the title only.
TITLE_TYPES = [
    ("终止公告", re.compile(r"废标公告|流标公告|终止公告|终止采购公告|采购失败公告|失败公告|终止(招标|采购)")),
    ("合同公告", re.compile(r"合同公告|合同公示")),
    ("保证金退还记录", re.compile(r"保证金退还(记录|情况|明细|登记)")),
    ("中标通知书", re.compile(r"中标通知书|成交通知书|中标结果通知书")),
    ("中标候选人公示", re.compile(r"中标候选人公示|评标结果公示|成交候选人公示")),
    ("中标结果公告", re.compile(r"中标结果公[告示]|成交结果公[告示]|中标公告|成交公告")),
    ("评标报告", re.compile(r"评标报告|评审报告")),
    ("澄清修改", re.compile(r"澄清|答疑|修改通知|补充通知|更正公告|变更公告|补遗")),
    ("资格预审公告", re.compile(r"资格预审公告")),
    ("资格预审文件", re.compile(r"资格预审文件")),
    ("招标公告", re.compile(r"招标公告|采购公告|投标邀请书|谈判公告|磋商公告")),
    ("招标文件", re.compile(r"招标文件|采购文件|磋商文件|谈判文件")),
    ("合同", re.compile(r"合同协议书|合同书$|合同$|合同\(.{0,12}\)$|施工合同|采购合同|服务合同")),
]
_NOT_TITLE = re.compile(r"^(招标|项目|采购|合同)?编号|^第\d+页|^\d{4}年|^致|:|^[一二三四五六七八九十]+、|^\d+[.、]")


def title_of(doc: Document, lines: int = 3) -> str:
    """The first few short lines (a title may be split over two: 项目名称 / 招标公告). A PDF line may run on into
    the body (`…中标结果公告一、项目编号：…`): the title is the part before the first numbered item or colon."""
    out = []
    for c in doc.clauses:
        if c.kind not in (ClauseKind.heading, ClauseKind.paragraph):
            if out:
                break
            continue
        text = c.norm
        head = _CUT.split(text, maxsplit=1)[0]
        if not out and head != text and len(head) >= 4 and not _NOT_TITLE.search(head):
            out.append(head)
            break
        if not text or len(text) > 60 or _NOT_TITLE.search(text):
            if out:
                break
            continue
        out.append(c.text.strip())
        if len(out) >= lines:
            break
    return " ".join(out)


_CUT = re.compile(r"(?<=[告示书件同录])(?:[一二三四五六七八九十]+、|\d+[.、]|[^:]{0,12}:)")


def detect_type(doc: Document) -> tuple[str, str]:
    """(document type, how it was found: 标题 / 正文)."""
    title = title_of(doc)
    from ..normalize import for_matching

    norm = for_matching(title)
    for name, pat in TITLE_TYPES:
        if pat.search(norm):
            return name, "标题"
    return classify(doc).doc_type, "正文"


def detect_regime(doc: Document) -> tuple[str, Optional[str]]:
    cls = classify(doc)
    return cls.regime, cls.procurement
