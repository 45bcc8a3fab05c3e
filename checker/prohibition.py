"""Sentences that state a prohibition, a waiver or an invitation to object: not a demand on the bidder.

The matcher's own negation (checker/rules/matcher.py) looks a few characters before a hit: `不得要求投标人在本地注册`.
Real sentences put the restriction far from the cue, inside the object of a prohibition the law addresses to the
tenderer: `招标人不得以投标人在本地注册、设立分支机构、缴纳社保等作为投标条件` quotes 实施条例 第三十二条 and demands
nothing. This module reads the whole sentence and names what it is (`prohibition_kind`), so zones.sentence_zone can
judge it as quoted policy, wherever it stands:

- 禁止：the prohibition is addressed to the tenderer, the buyer, an agency, the committee or "any unit"
  (`采购人不得……`), or it opens the sentence with a demand verb (`不得要求…` / `不得以…作为…` / `不得指定…`);
- 免除：the sentence waives a condition (`投标人无需在本市设立分支机构`, `是否在本地注册不作为评审因素`);
- 异议：it invites bidders to object to a restrictive or brand-directed term (`如认为…指向特定品牌…可提出质疑`);
- 引文：it quotes a law before a prohibition (`根据《政府采购法实施条例》第二十条规定，……不得……`);
- 列举：it lists a prohibited practice by naming its own effect (`将经营者在本地区的业绩……作为加分条件，限制或者变相
  限制外地经营者参加本地招标投标活动` — a 审查标准 quoted): a tender's demand never calls itself a restriction.

A sentence that turns back to a demand (`……不要求本地注册，但须在本市设立服务网点`) or that prohibits the bidder
(`投标人不得以联合体形式投标`, `非本地企业不得参加投标`) is none of these: those are requirements and stay judged.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

_NUMBER = r"(?:[0-9]+(?:\.[0-9]+)*[、.]?|[(][0-9一二三四五六七八九十]+[)]|[一二三四五六七八九十]+[、.])?"
# Whom the law's prohibitions address. Not the bidder: `投标人不得…` is a condition of this tender.
_ADDRESSEE = (r"(?:招标人|采购人|招标代理机构|采购代理机构|代理机构|招标采购单位|集中采购机构|招标人及其招标代理机构|"
              r"采购人或者?(?:其|采购)?代理机构|任何单位和个人|任何单位|评标委员会|评审委员会|评审小组|磋商小组|谈判小组|"
              r"询价小组|行政监督部门|有关部门|财政部门|政策制定机关)")
_FORBID = r"(?:不得|不应当?|不能|禁止|严禁|不允许)"
# what a prohibition on the tenderer forbids doing to bidders
_DEMAND_VERB = r"(?:要求|设定|设置|规定|限定|指定|排斥|限制|歧视|强制|额外要求|非法限定)"
_INSTRUMENT = r"(?:以|将|把)"
_AS = r"(?:作为|视为|当作|为由|为条件|作为条件)"

_PROHIBITION = [
    # 招标人不得…… / 采购人或者采购代理机构不得…… (possibly after 本项目/同时/并且)
    re.compile(rf"^{_NUMBER}(?:本项目|同时|并且|且)?{_ADDRESSEE}(?:[^,;:。]{{0,12}}?)(?:均|也|亦|都)?{_FORBID}"),
    # 不得要求投标人…… / 不得指定品牌 (the subject left out, as the law's lists write it)
    re.compile(rf"^{_NUMBER}{_FORBID}{_DEMAND_VERB}"),
    # 不得以……作为……条件 / 不得将……作为……因素
    re.compile(rf"^{_NUMBER}{_FORBID}{_INSTRUMENT}[^;。]{{1,80}}?{_AS}"),
]
_WAIVER = [
    # 投标人无需在本市设立分支机构 / 本项目不要求…… / 供应商不必提供……
    re.compile(rf"^{_NUMBER}(?:本项目|本次(?:招标|采购|磋商|谈判)?)?[^,;:。]{{0,4}}(?:对)?(?:投标人|供应商|申请人|响应人|"
               r"潜在投标人|投标单位|外地企业|外省企业|省外企业|各投标人)?[^,;:。]{0,3}"
               r"(?:无需|无须|不需要?|不要求|不必|不强制|不作要求|不作限制|不限制|不限定)"),
    # ……不作为资格条件 / 评审因素 / 加分依据
    re.compile(r"不(?:作为|列为|视为|纳入)[^,;。]{0,10}(?:条件|因素|依据|评审|评分|加分|否决|资格审查)"),
    # whether or not …, it does not matter: 投标人是否在本地设立分支机构，不影响其投标资格 / 不论是否在本市注册，均可参加
    re.compile(r"(?:是否|不论|无论|不管)[^。;]{0,30}?[,，]?(?:不影响|均可|都可|均不影响|一律可以|同等对待|一视同仁)"),
]
_OBJECTION = [
    re.compile(r"(?:认为|发现|如有|若有|存在)[^。;]{0,50}(?:限制|排斥|倾向|指向|歧视|不合理|特定品牌|唯一性|排他)"
               r"[^。;]{0,40}(?:可|可以|有权|请|应)[^。;]{0,20}(?:提出|提交|反映|反馈|向)[^。;]{0,16}(?:异议|质疑|投诉|意见)"),
]
# A law or a policy named by its title or only by its document number (财库〔2019〕38号, 财政部令第87号, 16号令): tender files
# quote the prohibitions of notices they cite by number as often as those of laws they cite by title.
_DOC_NUMBER = (r"(?:[\u4e00-\u9fa5]{1,12}[〔\[(][0-9]{4}[〕\])][0-9]+号|[\u4e00-\u9fa5]{0,8}令第[0-9一二三四五六七八九十]+号|"
               r"第?[0-9一二三四五六七八九十]+号令)")
_SOURCE = rf"(?:《[^》]{{2,40}}》|{_DOC_NUMBER})"
_CITATION = re.compile(rf"(?:依据|根据|按照|依照|按)?{_SOURCE}[^。;]{{0,24}}(?:规定|明确)[^。;]{{0,6}}?[,:]?[^。;]{{0,24}}"
                       + _FORBID + "|"
                       # 根据财库〔2019〕38号，不得要求供应商…… : the cited source, then the prohibition opening the next part
                       + rf"^{_NUMBER}(?:依据|根据|按照|依照){_SOURCE}[^,;。]{{0,20}}[,:]{_FORBID}(?:{_DEMAND_VERB}|{_INSTRUMENT})")
# the practice named by its effect on competitors, after a comma: `……，限制或者变相限制外地经营者参加……`
_EFFECT = re.compile(r",(?:从而|进而|以此)?(?:排斥|限制|排除)(?:或者|或|、|和)?(?:变相)?(?:排斥|限制|排除)?[^。;,]{0,20}"
                     r"(?:经营者|潜在投标人|投标人|供应商|竞争)|"
                     # a 审查标准's own opening: 没有法律、行政法规或者国务院规定依据，…… / 直接拒绝外地经营者……
                     rf"^{_NUMBER}没有法律、?行政法规|^{_NUMBER}直接(?:拒绝|强制|规定)外地经营者|"
                     # a 审查标准 item names the practice with the regulator's word for the market party (a tender's own
                     # demand names the bidder): （三）要求经营主体取得本地区业绩或者奖项
                     rf"^{_NUMBER}(?:要求|限定|设置|设定|强制|指定)(?:或者变相(?:要求|限定|强制|指定))?(?:外地)?(?:经营主体|经营者|"
                     r"市场主体)")
_DIGIT = re.compile(r"[0-9]")
# A turn back to a demand on the bidder after the prohibition: the sentence is then a requirement after all.
_TURN = re.compile(r"[,，](?:但|但是|然而|同时|否则|而|且)|(?:投标人|供应商|申请人|中标人|成交供应商)[^,;。]{0,6}"
                   r"(?:必须|须|(?<![供响相对适反])应当?|需要?(?!求))")


@lru_cache(maxsize=16384)
def prohibition_kind(sentence: str) -> Optional[str]:
    """禁止 / 免除 / 异议 / 引文 / 列举 for a (normalised) sentence that states a prohibition, waives a condition,
    invites objections, quotes a law's prohibition or lists a prohibited practice by its effect; None for anything
    that may be a demand."""
    for kind, patterns in (("异议", _OBJECTION), ("禁止", _PROHIBITION), ("免除", _WAIVER)):
        for pat in patterns:
            m = pat.search(sentence)
            if not m or (kind != "异议" and _TURN.search(sentence, m.end())):
                continue
            # a waiver that goes on to state a value (`无需踏勘现场，投标保证金为2万元`) keeps its facts judged
            if kind == "免除" and _DIGIT.search(sentence, m.end()):
                continue
            return kind
    m = _CITATION.search(sentence)
    if m and not _TURN.search(sentence, m.end()):
        return "引文"
    m = _EFFECT.search(sentence)
    if m and not _TURN.search(sentence, m.end()):
        return "列举"
    return None


def states_prohibition(sentence: str) -> bool:
    return prohibition_kind(sentence) is not None
