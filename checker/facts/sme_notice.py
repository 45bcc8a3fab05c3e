"""Whether a 政府采购 result notice publishes the winner's 中小企业声明函 (财库〔2020〕46号 第十三条).

The duty holds only when the winner enjoys the SME policy, which a notice shows in a few ways: the procurement was
reserved for SMEs (专门面向中小企业), the notice names the winner a small, micro or medium enterprise, or it says the
winner enjoyed the SME price deduction. Without such a sign nothing is asserted, so the rule reports 缺少数据 rather
than guess (its reason then reads 未找到中标供应商享受中小企业政策的说明). The fact `中标供应商享受中小企业政策的说明`
is asserted only where such a sign is: 1 when no 声明函 is there, 0 when one is; its clause is the sign.
"""
from __future__ import annotations

import re

from ..models import ClauseKind, Document
from .model import Fact

# Signs that the winner enjoys the SME policy (not the boilerplate "促进中小企业发展" policy line).
_SME_WINNER = re.compile(
    r"专门面向中小企业|面向中小企业(?:预留|采购)"
    r"|(?:中标|成交)(?:供应商|人|单位)?[^。;]{0,30}(?:为|属于|是)(?:小型|微型|小微|中型|中小)(?:企业)?"
    r"|\((?:小型|微型|小微|中型|中小)企业\)"
    r"|(?:小型|微型|小微|中小)企业[^。;]{0,6}(?:价格扣除|扣除后)"
    r"|享受[^。;]{0,12}(?:中小企业|小微企业)[^。;]{0,6}(?:扶持|优惠|政策|价格扣除)")
# Non-SME look-alikes of the sign: a negated reservation (非专门面向 / 不专门面向).
_NOT_RESERVED = re.compile(r"(?:非|不|未)专门面向中小企业")
_DECLARATION = re.compile(r"(?:中小企业|小微企业)?声明函")


def sme_declaration_facts(doc: Document, regime: str) -> list[Fact]:
    if regime != "政府采购":
        return []
    clauses = [c for c in doc.clauses if c.kind in (ClauseKind.heading, ClauseKind.paragraph, ClauseKind.table_cell)]
    sign = next((c for c in clauses
                 if _SME_WINNER.search(_NOT_RESERVED.sub("", c.norm))), None)
    if sign is None:
        return []
    published = any(_DECLARATION.search(c.norm) for c in clauses)
    return [Fact(id="s-sme", name="中标供应商享受中小企业政策的说明", kind="count", value=0.0 if published else 1.0, unit="项",
                 text="已公开声明函" if published else "未见中标（成交）供应商的《中小企业声明函》", clause_id=sign.id,
                 location=sign.location, context=sign.norm)]
