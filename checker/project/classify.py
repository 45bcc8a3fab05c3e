"""Document type of a dossier document, read from its title first.

`checker.doctype.classify` reads the first dozen clauses and takes the first type whose pattern any of them shows;
in a stand-alone 招标公告 the line `4. 招标文件的获取` then makes it a 招标文件. A dossier holds short notices of
every stage, so the title decides here (the first lines, before the body), and the per-document classifier is the
fallback. The manifest beats both.
"""
from __future__ import annotations

import re

from ..vocab import TITLE_TYPES as DOC_TITLE_TYPES
from ..doctype import Classification
from ..models import ClauseKind, Document

# The title types of a single document (checker.doctype), with the dossier's own: a 合同公告 is a notice of the
# contract, not the contract, and a record of refunded bonds is a document of its own. Most specific first.
_DOSSIER_ONLY = [
    ("合同公告", re.compile(r"合同公告|合同公示")),
    ("保证金退还记录", re.compile(r"保证金退还(记录|情况|明细|登记)")),
]
TITLE_TYPES = _DOSSIER_ONLY + [(name, pat) for name, pat in DOC_TITLE_TYPES
                               if not any(pat.pattern == own.pattern for _, own in _DOSSIER_ONLY)]
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


def detect_type(doc: Document, cls: Classification) -> tuple[str, str]:
    """(document type, how it was found: 标题 / 正文). `cls`: the document's classification (`checker.doctype`),
    whose type is the fallback."""
    title = title_of(doc)
    from ..normalize import for_matching

    norm = for_matching(title)
    for name, pat in TITLE_TYPES:
        if pat.search(norm):
            return name, "标题"
    return cls.doc_type, "正文"
