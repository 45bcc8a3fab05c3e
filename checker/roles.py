"""Clause roles: what part of a tender a clause belongs to (catalogue §6.1: role before keyword).

A clause's roles come from its heading path, its table row (a 前附表 row names its topic in the 条款名称 cell, and a
评分标准 table names it in its header) and cues in its own text. Roles decide which rules read the clause: 本地 in a
资格条件 is an exclusion, 本地 in 项目概况 is a description.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .models import Clause, ClauseKind
from .normalize import strip_invisible

_ROLE_CUES: dict[str, re.Pattern] = {
    "资格条件": re.compile(r"资格要求|资格条件|资格审查|资格评审|资质要求|资质条件|投标人资格|申请人资格|供应商资格|资格预审|"
                       r"合格条件|合格投标人|合格供应商|特定资格|资格证明"),
    "评分标准": re.compile(r"评分|评审因素|评审标准|分值|得分|加分|扣分|评标办法|综合评估|评标方法|评标标准|打分"),
    "技术要求": re.compile(r"技术|采购需求|参数|规格|配置|服务要求|服务需求|质量标准|检测|品牌"),
    "投标须知": re.compile(r"须知|投标文件|响应文件|开标|递交|获取|发售|踏勘|答疑|保证金|投标有效期|报名"),
    "合同条款": re.compile(r"合同|通用条款|专用条款|履约|中标人应|承包人应|供应商应在合同|付款|结算|验收"),
    "公告": re.compile(r"招标公告|投标邀请|资格预审公告|采购公告|招标条件"),
    "实质性条款": re.compile(r"★|实质性|否决其?投标|投标无效|无效投标|响应无效|按无效标|废标|不予通过|拒收|不予受理"),
    "背景": re.compile(r"项目概况|工程概况|建设地点|工程地点|项目地点|气候|地质|水文|地形|交通条件|现场条件"),
}
# The staff, named by the nearest heading, the table's header or the row's first cells (not by an outer heading: a
# 资格要求 chapter that also names 项目经理 somewhere does not make every item a staff requirement). Read only there,
# never from the sentence itself, which may name the firm and its staff at once.
_PERSONNEL = re.compile(r"项目经理|项目负责人|技术负责人|总监|(拟派|拟投入|主要|关键|管理|技术|专业|服务|驻场)人员|"
                        r"人员(要求|配备|配置|资格|条件|安排)|任职(要求|资格|条件)|岗位|项目部|项目团队|团队成员|"
                        r"(安全|质检|施工|资料|材料|造价|预算)员")
# Cues that make a sentence a scoring or contract sentence whatever its heading says.
_SENTENCE_ROLES = ("评分标准", "合同条款", "实质性条款")
# The amount of a past contract in a performance requirement (`单项合同金额不低于800万元的同类项目业绩`) does not make
# the sentence a contract clause of this tender.
_PAST_CONTRACT = re.compile(r"(单项|单个|单份|类似|同类|业绩)[^,;。]{0,6}合同(金额|额|价款?)?|"
                            r"合同(金额|额|价款?)[^,;。]{0,16}(业绩|同类|类似)")


def _own_roles(sentence: str) -> set[str]:
    own = _PAST_CONTRACT.sub("", sentence)
    return {role for role in _SENTENCE_ROLES if _ROLE_CUES[role].search(own)}


@lru_cache(maxsize=4096)
def _context_roles(context: str) -> frozenset[str]:
    return frozenset(role for role, pat in _ROLE_CUES.items() if pat.search(context))


def roles_of(clause: Clause, row_texts: str = "") -> set[str]:
    """Roles from the heading path, table context and the clause's own text. Many clauses share a context (the same
    heading path), so its roles are computed once."""
    context = " ".join(clause.heading_path) + " " + " ".join(clause.table_header or []) + " " + row_texts
    context = strip_invisible(context)  # 资格\u200b要求 is still 资格要求 (issue 16)
    roles = set(_context_roles(context))
    near = (clause.heading_path[-1] if clause.heading_path else "") + " " + " ".join(clause.table_header or []) \
        + " " + row_texts
    if _PERSONNEL.search(strip_invisible(near)):
        roles.add("人员要求")
    own = clause.norm
    roles |= _own_roles(own)
    if clause.kind == ClauseKind.heading:
        roles |= {role for role, pat in _ROLE_CUES.items() if pat.search(own)}
    return roles


def sentence_roles(sentence: str) -> set[str]:
    return _own_roles(sentence)


def text_roles(text: str) -> set[str]:
    """Roles from a free-standing text (a heading given with a rule example)."""
    roles = {role for role, pat in _ROLE_CUES.items() if pat.search(text)}
    return roles | ({"人员要求"} if _PERSONNEL.search(text) else set())
