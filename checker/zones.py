"""Document zones: which part of the tender a clause sits in (vocab.ZONES).

A restriction rule must not judge text that is not a requirement of this tender. On real documents most false
accusations came from such text: the 中小企业划型标准 printed inside a 声明函 form, a model document's instruction
to its user (`第三章"评标办法前附表"应列明全部评审因素…`), SME policy quoted in the 须知, the contract's own
performance-appraisal table read as bid scoring. The zone decides that from the heading path, the table a clause
sits in and, for single sentences, content cues:

- A *container* heading anywhere in the path settles the zone for everything under it: a forms chapter
  (投标文件格式, 附件——响应文件) holds forms even where a form's own heading says 评分 or 投标保证金; a contract
  chapter holds the contract's appraisal tables.
- Otherwise the innermost heading (or table header, or a row's name cells) that names a part wins.
- A sentence inside any zone can still be quoted policy or a model-text instruction (`sentence_zone`).

A clause that cannot be placed gets 未定; rules read it as they would a requirement, except where a rule needs a
specific zone (its `zones` list), which 未定 never satisfies.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from .models import Clause, ClauseKind, Document
from .normalize import for_matching
from .prohibition import states_prohibition

# Containers first: once one of these is in the path, deeper headings do not change the zone.
_CONTAINERS: list[tuple[str, re.Pattern]] = [
    ("目录", re.compile(r"^(目录|目次)$")),
    ("使用说明", re.compile(r"使用说明|编制说明|编写说明|填写说明|使用指南|(范本|示范文本)(的)?说明|适用说明")),
    ("合同条款", re.compile(r"合同(条款|文本|格式|主要条款|专用条款|通用条款|协议书|草案|范本)|拟签订的?(采购)?合同|"
                        r"^(采购|服务|政府采购)?合同$|通用条款|专用条款|"
                        r"(履约|服务质量|服务商|供应商|承包商|外包|服务)[^评]{0,4}(考核|考评|绩效评价)|"
                        r"考核(办法|标准|细则|表|评分)")),
    ("投标文件格式", re.compile(r"(投标|响应|申请|磋商|谈判|报价|应答|比选|资格预审申请)文件的?(格式|组成及格式|内容及格式|"
                           r"格式与要求|编制格式|参考格式|内容与格式|格式要求|组成与格式)|"
                           r"(附件|附录)[^a-z0-9]{0,3}(响应|投标|申请)文件|^(投标|响应|申请)文件附件$|"
                           r"声明函|承诺函|承诺书|授权委托书|法定代表人身份证明|身份证明书|^投标函|^响应函|"
                           r"[(（]格式[)）]|格式[0-9一二三四五六七八九十]*$")),
    ("政策引文", re.compile(r"(政策|法规|法律)(汇编|摘录|依据|文件|规定)$|^(相关|有关)?(法律法规|政策法规|法规政策)|"
                        r"划型标准|划分标准")),
]
# Parts that refine the zone; the innermost match wins. More specific first (评标办法前附表 is 评标办法, not 前附表).
_PARTS: list[tuple[str, re.Pattern]] = [
    ("评标办法", re.compile(r"评标办法|评审办法|评分(标准|办法|细则|表|因素|项目)|评审(因素|标准|细则|方法|要素|项目)|"
                        r"评标(细则|标准|信息|方法|因素)|综合评分|综合评估|打分|(商务|技术|价格|服务)(部分)?评(审|分)|"
                        r"定标(办法|方法)|评定分离|分值")),
    ("资格条件", re.compile(r"资格(要求|条件|审查|标准|证明|评审)|(投标人|申请人|供应商|响应人|投标单位)的?资格|"
                        r"合格(的)?(投标人|供应商)|资质(要求|条件)|特定(资格)?条件")),
    ("公告", re.compile(r"招标公告|投标邀请|采购公告|磋商公告|谈判公告|询价公告|比选公告|资格预审公告|邀请(书|函)|竞价公告")),
    ("前附表", re.compile(r"前附表|须知附表|评标信息|项目信息表|采购信息表")),
    ("商务要求", re.compile(r"商务(要求|条款|需求|条件)")),
    ("采购需求", re.compile(r"采购需求|技术(要求|规格|参数|需求|标准|条款|规范)|服务(要求|需求|内容|范围|标准)|需求(书|说明)|"
                        r"工作(内容|范围|要求)|用户需求|项目需求|货物需求|规格|清单$")),
    ("须知正文", re.compile(r"须知|总则|投标文件的?(编制|递交|提交|组成)|开标|评标程序|定标|授予合同")),
    ("附件", re.compile(r"^附件|^附录|^附表")),
]
_NUMBER_PREFIX = re.compile(r"^(第[0-9一二三四五六七八九十百]+[章节卷篇部分条]+|[0-9]+(\.[0-9]+)*\.?|[一二三四五六七八九十]+[、.]|"
                            r"[(（][0-9一二三四五六七八九十]+[)）])\s*")


# Table-shaped form titles (报价一览表, 人员情况表, 业绩明细表): forms, unless the title names scoring (综合评分明细表).
_FORM_TABLE = re.compile(r"一览表$|情况表$|登记表$|明细表$|简历表")


@lru_cache(maxsize=8192)
def heading_zone(title: str) -> tuple[Optional[str], bool]:
    """(zone, is_container) for one heading or table header text."""
    t = _NUMBER_PREFIX.sub("", for_matching(title))
    if not t or len(t) > 60:  # a sentence, not a heading: it names no part
        return None, False
    for zone, pat in _CONTAINERS:
        if pat.search(t):
            return zone, True
    if _FORM_TABLE.search(t) and not _PARTS[0][1].search(t):
        return "投标文件格式", True
    for zone, pat in _PARTS:
        if pat.search(t):
            return zone, False
    return None, False


def zone_of(clause: Clause, row_heads: str = "", stale: frozenset[str] = frozenset()) -> str:
    path = [t for t in clause.heading_path if t not in stale]
    if clause.kind == ClauseKind.heading:
        path = path + [clause.text]
    for title in path:
        zone, container = heading_zone(title)
        if container:
            return zone
    inner: Optional[str] = None
    for title in path:
        zone, _ = heading_zone(title)
        if zone:
            inner = zone
    # A table's header and a row's name cells say more than the heading above the table (a scoring table under
    # 投标人须知前附表 is scoring).
    for context in list(clause.table_header or []) + ([row_heads] if row_heads else []):
        zone, container = heading_zone(context[:60])
        if container and zone in ("投标文件格式", "政策引文"):
            return zone
        if zone == "评标办法" or (zone and inner in (None, "前附表", "须知正文", "附件")):
            inner = zone
    return inner or "未定"


def assign_zones(doc: Document) -> Document:
    """The document with every clause's zone set (idempotent: zones already set are kept)."""
    if doc.clauses and all(c.zone for c in doc.clauses):
        return doc
    row_heads: dict[str, str] = {}
    for c in doc.clauses:
        if c.kind == ClauseKind.table_cell and c.parent_id and (c.location.column or 0) <= 1 and len(c.text) <= 30:
            row_heads[c.parent_id] = (row_heads.get(c.parent_id, "") + " " + c.text).strip()
    # A top-level title that comes again further on was a table-of-contents line read as a heading: clauses
    # before its real occurrence are not in that chapter (a TOC's 第七章 投标文件格式 must not swallow the 须知).
    last_at: dict[str, int] = {}
    for i, c in enumerate(doc.clauses):
        if c.kind == ClauseKind.heading and c.level == 0:
            last_at[c.label] = i  # heading paths hold labels (第七章 投标文件格式)
    clauses = []
    for i, c in enumerate(doc.clauses):
        if not c.zone:
            stale = frozenset(t for t, j in last_at.items() if j > i)
            c = c.model_copy(update={"zone": zone_of(c, row_heads.get(c.parent_id or "", ""), stale)})
        clauses.append(c)
    return doc.model_copy(update={"clauses": clauses})


# -- sentences ---------------------------------------------------------------------------------------------------
# A model document's instruction to its user: "招标人应根据项目实际情况合理设置…", `第三章"评标办法前附表"应列明…`.
_INSTRUCTION = re.compile(
    r"^(招标人|采购人|招标代理机构|采购代理机构|代理机构|招标人或其?招标代理机构)[^,;:。]{0,16}"
    r"(应当?|要|可以?|宜|须)(根据|结合|按照|依据|视|合理|明确|列明|载明|写明|填写|选择|设置|在本章|在前附表|自行|对照)|"
    r"^(第[一二三四五六七八九十]+章)?[\"“'‘]?[^\"”'’]{2,14}[\"”'’]?(应|可)(列明|载明|写明|填写|补充)|"
    r"根据(项目|本项目|招标项目)的?(具体|实际)情况(选择|确定|填写|设置|调整|补充|删减)|"
    r"(本章|本表|本节|本范本|本示范文本)[^,;]{0,6}(应|可|由)(招标人|采购人)?(根据|结合|填写|补充)|"
    # (a scoring table's own note that decides what counts, 注：外省颁发的荣誉不计分, is the tender's rule, not an
    # instruction: round 11 probe)
    r"^(注|说明|填写说明|编制说明)[:：](?![^。;]*(不计分|不得分|不予计分|不计入|不予认可|(?<!不)得[0-9.]*分|加分|扣分))|"
    r"(相关规定|有关规定|实际情况|具体情况)[^。;]{0,6}合理(设置|确定|选择)")
# Quoted policy: what the law grants or how it classifies, not what this tender demands.
_POLICY = re.compile(
    # what the policy grants the subject, with no demand (须/应/需) in between: "小微企业须提供…否则不享受" is a demand
    r"(联合体|中小企业|小微企业|小型企业|微型企业|监狱企业|残疾人福利性单位)[^。;,须应需]{0,12}(视同|享受|不享受|"
    r"可以独立|无须以|不再享受|同等对待)|"
    # (须为大型企业 demands a size class: no classification)
    r"(为|属于|划为|界定为)(中型|小型|微型)企业|(?<![须应])(为|属于|划为|界定为)大型企业|"
    r"(从业人员|营业收入|资产总额)[^。;]{0,30}(的为|为)(中型|小型|微型)|"
    r"(中型|小型|微型)企业[:：]?[^。;]{0,6}(从业人员|营业收入|资产总额)[^。;]{0,10}(以下|以上|及以上)")


# A correction quotes the wording it replaces (`原公开招标文件中“投标截止时间和地点”为：…`, `更正前：…`): that text is
# no longer a requirement of the tender; the corrected wording after it is.
_SUPERSEDED = re.compile(r"^(?:[0-9一二三四五六七八九十]+[、.]|\([0-9一二三四五六七八九十]+\))?(?:原(?:公开)?(?:招标|采购|磋商|谈判|询价|"
                         r"资格预审)?(?:文件|公告|内容|条款)[^。;]{0,40}?(?:为|如下)[:：]?|(?:更正|修改|变更)前(?:内容|原文)?[:：])")


def sentence_zone(sentence: str) -> Optional[str]:
    """政策引文 or 使用说明 for a (normalised) sentence that quotes policy or instructs the model's user; 原文引用 for
    the wording a correction replaces. A sentence that states a prohibition addressed to the tenderer, waives a
    condition or invites objections (checker/prohibition.py) demands nothing of the bidder: 政策引文 too."""
    if _SUPERSEDED.search(sentence):
        return "原文引用"
    if _INSTRUCTION.search(sentence):
        return "使用说明"
    if _POLICY.search(sentence) or states_prohibition(sentence):
        return "政策引文"
    return None
