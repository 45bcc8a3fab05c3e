"""The project's vocabulary: severities, stages, document types, regimes, procedures, clause roles and zones.

One module owns these words so that rules, the pipeline, the reports and the CLI cannot drift apart. User-facing
words are Chinese; the identifiers that name them are English.
"""
from __future__ import annotations

import re
from enum import Enum


class Severity(str, Enum):
    error = "error"  # 违法: a clear breach of a law or regulation, and the rule's real-document precision earns it
    warning = "warning"  # 不合理: listed as improper by policy, or depends on facts a reviewer weighs
    info = "info"  # 提示: for review; the document alone cannot settle it

    @property
    def rank(self) -> int:
        return SEVERITY_ORDER.index(self.value)

    @property
    def label(self) -> str:
        return SEVERITY_LABEL[self.value]


SEVERITY_LABEL = {"error": "违法", "warning": "不合理", "info": "提示"}
SEVERITY_ORDER = ["info", "warning", "error"]  # lowest first: `--fail-on warning` counts warning and error


def at_or_above(item, fail_on: str) -> bool:
    """Whether a finding (or a severity) counts at the `--fail-on` level."""
    severity = getattr(item, "severity", item)
    return SEVERITY_ORDER.index(getattr(severity, "value", severity)) >= SEVERITY_ORDER.index(fail_on)


DISABLED_REASON = "已在配置中停用"  # a rule the configuration switched off, among the rule results


class Regime(str, Enum):
    """The legal system a rule belongs to (coarse: the law the rule cites)."""

    works = "工程"  # 招标投标法 system
    gov = "政府采购"  # 政府采购法 system
    any = "通用"


STAGES: dict[str, str] = {
    "S1": "项目注册",
    "S2": "发布资格预审文件或招标文件",
    "S3": "答疑澄清",
    "S4": "评标报告",
    "S5": "评标结果公示",
    "S6": "中标结果公示及中标通知书",
    "S7": "合同在线签订",
}

DOC_TYPES = ["招标公告", "资格预审公告", "招标文件", "资格预审文件", "澄清修改", "评标报告", "中标候选人公示",
             "中标结果公告", "中标通知书", "合同", "项目登记", "终止公告"]
# 终止公告: a 废标/流标/终止 notice. No award was made: the result-notice rules do not apply to it.
# A dossier (tendercheck project) may hold two more: the 政府采购 contract announcement (政采条例第五十条) and the
# record of bid bonds returned (实施条例第五十七条).
DOSSIER_DOC_TYPES = ["合同公告", "保证金退还记录"]

# A stage document's title names its type; read first, before any body line (a stand-alone 采购公告 lists
# `五、采购文件的领取`, a 成交公告 says 采购文件 too). Most specific first.
TITLE_TYPES = [
    ("终止公告", re.compile(r"废标公[告示]|流标公[告示]|终止公告|终止采购公告|采购失败公告|失败公告|终止(招标|采购)")),
    ("合同", re.compile(r"合同公告|合同公示")),
    ("中标通知书", re.compile(r"中标通知书|成交通知书|中标结果通知书")),
    ("中标候选人公示", re.compile(r"中标候选人公示|评标结果公示|成交候选人公示")),
    ("中标结果公告", re.compile(r"中标结果公[告示]|成交结果公[告示]|中标公告|成交公告|中标\(成交\)结果公告|结果公告$")),
    ("评标报告", re.compile(r"评标报告|评审报告")),
    ("澄清修改", re.compile(r"澄清|答疑|修改通知|补充通知|更正公告|变更公告|补遗|更正通知|延期公告|补充公告|"
                        r"(调整|变更|修改|更正|延期)的?(通知|说明)")),
    ("资格预审公告", re.compile(r"资格预审公告")),
    ("资格预审文件", re.compile(r"资格预审文件")),
    ("招标公告", re.compile(r"招标公告|采购公告|投标邀请书|谈判公告|磋商公告|询价公告|询价通知书|比选公告|竞价公告|比价公告|"
                        r"^校内比价")),  # a university's own price comparison under its own number (bench/unseen w1)
    ("招标文件", re.compile(r"招标文件|采购文件|磋商文件|谈判文件")),
    ("合同", re.compile(r"合同协议书|合同书$|合同$|合同\(.{0,12}\)$|施工合同|采购合同|服务合同")),
]
# Documents that are, as a whole, one notice: their title is no heading, so their clauses do not carry the 公告 role a
# 招标文件's 第一章 招标公告 gives. Each clause is also read as a part of a 公告 (a result notice's 质疑 item under its
# 评分结果 heading, a 磋商公告's 获取文件 paragraph), besides the roles its own headings give (资格要求 stays 资格条件).
WHOLE_NOTICE_TYPES = ("招标公告", "资格预审公告", "中标候选人公示", "中标结果公告", "终止公告")
# The stage of the online routine check each document type belongs to (a dossier's own types included).
STAGE_OF_TYPE = {
    "项目登记": "S1", "招标公告": "S2", "资格预审公告": "S2", "招标文件": "S2", "资格预审文件": "S2",
    "澄清修改": "S3", "评标报告": "S4", "中标候选人公示": "S5", "中标结果公告": "S6", "中标通知书": "S6", "合同": "S7",
    "终止公告": "S6", "合同公告": "S7", "保证金退还记录": "S7",
}

# Finer than Regime: who must follow which procedure. 依法必须招标 decides whether the 招标投标法 periods bind at all
# (第二十四条 20日 applies to 依法必须进行招标的项目 only); 企业自主采购 is bound by neither law's procedure rules.
# 军队采购 is outside 政府采购法 (its 第八十六条: 军事采购法规由中央军事委员会另行制定): the coarse regime stays
# 政府采购 (the same duties of fairness), but rules that rest on 财政部令 (87号令 …) name 政府采购 alone.
REGIMES_DETAILED = ["依法必须招标", "其他招标", "政府采购", "军队采购", "企业自主采购"]
GOV_REGIMES = ("政府采购", "军队采购")  # the detailed regimes under the coarse 政府采购

# Procedures, as documents name them. 资格预审 is a variant of 公开/邀请招标 but has its own periods.
PROCEDURES = ["公开招标", "邀请招标", "招标", "竞争性谈判", "竞争性磋商", "询价", "单一来源", "框架协议", "比选", "竞价",
              "询比", "其他"]
# The 招标 procedures (招标投标法 / 政府采购法 招标): the 20-day bid-preparation rule and its relatives apply to these.
# 招标 alone: a tender that does not say whether it is open or invited; a rule written for both applies to it.
TENDER_PROCEDURES = {"公开招标", "邀请招标"}


def procedure_fits(procedure: str, allowed: list[str]) -> bool:
    return procedure in allowed or (procedure == "招标" and TENDER_PROCEDURES <= set(allowed))

# Clause roles (checker/roles.py): what a clause is about. Zones (checker/zones.py): which part of the document it
# sits in. A role says "this is about qualification"; a zone says "this is a form the bidder fills in".
ROLES = ["资格条件", "评分标准", "技术要求", "投标须知", "合同条款", "公告", "实质性条款", "背景", "人员要求"]
# Roles that say what a clause is about without deciding which rules read it: 背景 is read by none, 人员要求 (the
# clause sits under a heading, table or row naming the staff: 项目经理业绩要求, 项目部质检员) by every rule its other
# roles admit. A rule's `unless_roles` names the roles it must not read (a person's 从事3年…经验 is no firm's age).
NEUTRAL_ROLES = ("背景", "人员要求")

ZONES = ["公告", "须知正文", "前附表", "资格条件", "评标办法", "采购需求", "商务要求", "合同条款", "投标文件格式", "附件",
         "政策引文", "使用说明", "目录", "原文引用", "未定"]
# Text that is not a requirement of this tender: a form to fill in, quoted law or policy, a model document's
# instruction to its user, the table of contents, and the wording a 更正公告 replaces (原招标文件…为：…).
# Restriction rules do not judge it unless they name it.
NON_REQUIREMENT_ZONES = ("投标文件格式", "政策引文", "使用说明", "目录", "原文引用")
# Zones whose lines are requirements by where they stand: an item of a 资格条件 list or a 评标办法 scoring row says
# what a bidder must have or what scores without any 须/应 (`具有…且在本市有…常设办事机构`). A rule's `listed`
# patterns (a restriction's object without its modal verb) hit only here.
LISTED_ZONES = ("资格条件", "评标办法")
