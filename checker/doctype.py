"""Document type, regime and procurement kind, guessed from the text (overridable from the command line)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .models import Document

# Most specific first: a 资格预审文件 also says 招标; a 中标候选人公示 also says 中标.
_TYPES = [
    ("中标通知书", re.compile(r"中标通知书")),
    ("中标候选人公示", re.compile(r"中标候选人公示|评标结果公示|成交候选人公示")),
    ("中标结果公告", re.compile(r"中标结果公[告示]|成交结果公告|中标公告|成交公告")),
    ("评标报告", re.compile(r"评标报告|评审报告")),
    ("澄清修改", re.compile(r"澄清|答疑|修改通知|补充通知|更正公告")),
    ("资格预审文件", re.compile(r"资格预审文件")),
    ("资格预审公告", re.compile(r"资格预审公告")),
    ("合同", re.compile(r"合同协议书|^.{0,20}合同$")),
    ("招标文件", re.compile(r"招标文件|采购文件|磋商文件|谈判文件")),
    ("招标公告", re.compile(r"招标公告|采购公告|投标邀请")),
]
STAGE_OF_TYPE = {
    "项目登记": "S1", "招标公告": "S2", "资格预审公告": "S2", "招标文件": "S2", "资格预审文件": "S2",
    "澄清修改": "S3", "评标报告": "S4", "中标候选人公示": "S5", "中标结果公告": "S6", "中标通知书": "S6", "合同": "S7",
}


@dataclass(frozen=True)
class Classification:
    doc_type: str
    regime: str
    procurement: Optional[str]

    @property
    def stage(self) -> str:
        return STAGE_OF_TYPE.get(self.doc_type, "S2")


def classify(doc: Document, head_clauses: int = 12) -> Classification:
    head = [c.norm for c in doc.clauses[:head_clauses]]
    doc_type = next((name for name, pat in _TYPES for line in head if pat.search(line)), "招标文件")
    body = "".join(c.norm for c in doc.clauses[:400])
    gov = body.count("政府采购") * 3 + body.count("采购人") + body.count("供应商")
    works = body.count("招标人") + body.count("投标人") + body.count("施工") + body.count("依法必须招标") * 3
    regime = "政府采购" if gov > works else "工程"
    title = "".join(head)
    if re.search(r"施工|工程总承包|监理", title) and regime == "工程":
        procurement = "工程"
    elif re.search(r"服务|物业|运维|咨询|设计", title):
        procurement = "服务"
    elif re.search(r"货物|设备|采购", title):
        procurement = "货物"
    else:
        procurement = "工程" if regime == "工程" else None
    return Classification(doc_type=doc_type, regime=regime, procurement=procurement)
