"""Facts of a stage document read on its own: what a 中标（成交）结果公告 publishes, whether its prices are withheld,
and the date under its signature.

The rules that one notice can settle (`rules/stage/`) read these facts by name; the text matching lives here, the
rules only compare the facts (a count of missing items > 0, a published price ≤ 0).

Required items follow the regime:
- 政府采购 (政府采购法实施条例 第四十三条第三款; 87号令 第六十九条 adds the 公告期限): 采购人 and, where one was used,
  the 采购代理机构 (name, address, contact); 项目名称和编号; the supplier's name, address and price; the main items
  (goods: 名称、规格型号、数量、单价; services: 服务要求); the 评审专家名单 (the 磋商/谈判/询价小组成员名单 is that list).
- 依法必须招标的工程 (招标公告和公示信息发布管理办法 第六条): the 中标人名称.
Each item is read leniently (any wording real notices use); an item counts as missing only when no wording of it is
there, so a finding names only what is certainly absent.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Optional

from ..models import Clause, ClauseKind, Document
from .model import Fact
from .sme_notice import sme_declaration_facts
from .values import find_values

# An organisation's name as notices print it: companies, but also 经销处, 门市部, 合作社 (个体工商户 win small lots).
ORG = (r"[\u4e00-\u9fffa-z0-9()·]{2,40}?(?:有限责任公司|股份有限公司|有限公司|集团|公司|研究院|设计院|研究所|事务所|中心|"
       r"经销处|经营部|门市部|合作社|商行|商店|工作室|厂|店|院|所|处|社|站|部|局|队)")
_ORG_LINE = re.compile(rf"{ORG}(?:\(.{{1,12}}\))?")
_WINNER_CUE = r"(?:中标|成交)(?:供应商|人|单位|候选人|服务商|公司)?(?:名称)?|(?:中标|成交)?供应商名称"
# `中标供应商名称：某公司` / `成交供应商：某公司`
_WINNER_INLINE = re.compile(rf"(?:{_WINNER_CUE})(?:为|是)?[:：]({ORG})")
# a two-column line with the colon left out (中标单位 大连某工程有限公司: spaces are gone in the normalised text)
_WINNER_KEY_VALUE = re.compile(rf"^(?:{_WINNER_CUE})({ORG})$")
# a 中标通知书 form published as the notice: the name, then the form's label for it (某地质局二八一大队（中标人名称）：)
_WINNER_LABELLED = re.compile(rf"({ORG})\((?:中标|成交)(?:人|单位|供应商)(?:名称)?\)")
# a column header alone on its line (a table printed one cell a line): the names follow a few lines later
_WINNER_HEADER = re.compile(rf"^(?:{_WINNER_CUE})$")
# under the winner, its bid is the price it won at (成交供应商：某公司 / 投标报价：492800.00元)
_PRICE_CUE = re.compile(r"(?:中标|成交)(?:\(成交\))?(?:金额|价格|总价|报价|价|总金额)|中标\(成交\)(?:金额|价格)|"
                        r"(?:投标|响应|最终|磋商|谈判)报价")
_NUMBER = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")
_SUPPLIER_ADDRESS = re.compile(r"(?:中标|成交)?(?:供应商|中标人|成交人|中标单位|成交单位|服务商|中标公司|成交公司)(?:名称/)?(?:的)?(?:联系|通讯|通信)?(?:地址|住所|注册地)")
_EXPERTS = re.compile(r"评审专家|评标专家|(?:评标|评审)委员会|(?:磋商|谈判|询价|评审|评标)小组|专家名单|采购人员名单|评委")
_AGENCY = re.compile(r"(?:采购|招标)?代理机构|受[^,;。]{2,40}委托|代理(?:有限)?公司")
_BUYER = re.compile(r"采购人|采购单位|采购方|招标人|采购机构")
_ADDRESS = re.compile(r"地址|住所")
_CONTACT = re.compile(r"联系方式|联系电话|电话|联系人")
_CODE = re.compile(r"编号|项目代码|项目号")
_NAME = re.compile(r"项目名称")
_GOODS_ITEMS = re.compile(r"规格|型号|单价|数量|主要标的|标的(?:名称|信息)")
_SERVICE_ITEMS = re.compile(r"服务要求|服务内容|服务范围|服务期|服务标准|主要标的|标的(?:名称|信息)")
_TERM = re.compile(r"公告期限|公告期|公示期|公告时间为|公告[0-9一]个工作日|发布之日起[0-9一]个工作日")
_NO_PANEL = re.compile(r"网上超市|电子卖场|网上商城|电子商城|协议供货|定点采购|直购|框架协议")
_DATE_ONLY = re.compile(r"^(?:(?:日期|时间|落款日期|签发日期|发布日期|发布时间|公告日期)[:：]?)?"
                        r"(?:\d{4}年\d{1,2}月\d{1,2}日|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月"
                        r"[一二三四五六七八九十]{1,3}日|\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{4}\.\d{1,2}\.\d{1,2})$")

RESULT_TYPES = ("中标结果公告",)


@dataclass
class ResultNotice:
    """What a result notice publishes, each with the clause that shows it."""

    winners: list[tuple[str, Clause]] = field(default_factory=list)
    prices: list[tuple[float, str, Clause]] = field(default_factory=list)  # (value as printed, text, clause)
    missing: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)


# 评标委员会和评标方法暂行规定 第四十二条: what a 评标报告 records (工程)
REPORT_ELEMENTS = [
    ("基本情况和数据表", r"基本情况"),
    ("评标委员会成员名单", r"(评标|评审)委员会(成员)?(名单|组成)|成员名单"),
    ("开标记录", r"开标记录|开标情况"),
    ("符合要求的投标一览表", r"符合要求的投标|有效投标(人)?(一览|名单)|通过(初步|形式|资格|响应性)?评审的投标"),
    ("否决投标的情况说明", r"否决投标|废标|无效投标|投标被否决"),
    ("评标标准、评标方法或者评标因素一览表", r"评(标|审)(标准|方法|办法|因素)"),
    ("经评审的价格或者评分比较一览表", r"评分(比较|汇总|结果)|得分(汇总|比较|情况)|价格比较|评审价格|评分一览"),
    ("经评审的投标人排序", r"排序|排名"),
    ("推荐的中标候选人名单与签订合同前要处理的事宜", r"推荐(的)?中标候选人|中标候选人(名单|推荐)"),
    ("澄清、说明、补正事项纪要", r"澄清|补正"),
]
# 中标候选人公示 content (发改委令第10号第六条, 转述)
PUBLICITY_ELEMENTS = [
    ("中标候选人排序", r"排序|排名|第一(中标)?候选人|第1名"),
    ("中标候选人名称", r"中标候选人|候选人名称|投标人名称"),
    ("投标报价", r"投标报价|报价"),
    ("质量", r"质量"),
    # 履约期限: the 湖北 form's word for it (bench/unseen x2, 合同签订后30日内完成)
    ("工期（交货期）", r"工期|交货期|服务期|履约期限|供货期|完成期限"),
    ("项目负责人姓名", r"项目负责人|项目经理|总监"),
    ("项目负责人证书名称和编号", r"证书|注册编号|注册号|建造师"),
    ("候选人响应招标文件的资格能力条件（业绩等）", r"业绩|资格能力|资质"),
    ("提出异议的渠道和方式", r"异议"),
]


def _text(doc: Document) -> list[Clause]:
    return [c for c in doc.clauses if c.kind in (ClauseKind.heading, ClauseKind.paragraph, ClauseKind.table_cell)]


def read_result_notice(doc: Document, regime: str, procurement: Optional[str],
                       procedure: Optional[str] = None) -> ResultNotice:
    clauses = _text(doc)
    out = ResultNotice()
    full = "".join(c.norm for c in clauses)
    for i, c in enumerate(clauses):
        _read_winners(clauses, i, c, out)
        for m in _PRICE_CUE.finditer(c.norm):
            _read_price(clauses, i, c, c.norm[m.end():m.end() + 30], out)
    seen: set[str] = set()
    out.winners = [(n, c) for n, c in out.winners if not (n in seen or seen.add(n))]

    def need(item: str, ok: bool) -> None:
        (out.present if ok else out.missing).append(item)

    if regime != "政府采购":
        need("中标人名称", bool(out.winners))
        return out
    _gp_required(clauses, full, out, need, procedure)
    return out


def _read_winners(clauses: list[Clause], i: int, c: Clause, out: ResultNotice) -> None:
    for m in _WINNER_INLINE.finditer(c.norm):
        out.winners.append((m.group(1), c))
    for m in [*_WINNER_LABELLED.finditer(c.norm), *_WINNER_KEY_VALUE.finditer(c.norm)]:
        out.winners.append((m.group(1), c))
    if _WINNER_HEADER.match(c.norm) or _table_header_names_winner(c):
        for d in clauses[i + 1:i + 10]:
            if _ORG_LINE.fullmatch(d.norm) and not _BUYER.search(d.norm):
                out.winners.append((d.norm, d))
                break


def _read_price(clauses: list[Clause], i: int, c: Clause, after: str, out: ResultNotice) -> None:
    """The price after a price cue: the figure right after it, a price column's figures, or the value under a
    column header printed one cell a line."""
    num = _NUMBER.search(after)
    if num and num.start() <= 12:  # `中标金额：人民币0.0万元`: the figure right after its name
        if re.search(r"率|折|下浮|优惠|比例", after[:num.start()]) or after[num.end():num.end() + 1] in ("%", "‰"):
            return  # a rate (下浮率0%) is a price written another way, not a withheld amount
        out.prices.append((_amount(after), after[:num.end() + 2], c))
    elif c.kind == ClauseKind.table_cell and c.location.row == 0 and not after.strip("()万元"):
        # a price column: every row's figure (0.000000 in every row is a withheld price)
        scale = 10_000.0 if "万元" in after else 1.0
        for d in clauses[i + 1:]:
            if d.kind != ClauseKind.table_cell or d.location.table != c.location.table:
                break
            if d.location.column == c.location.column and re.fullmatch(r"[0-9][0-9,]*(?:\.[0-9]+)?", d.norm):
                out.prices.append((_amount(d.norm) * scale, d.norm, d))
    elif re.fullmatch(r"[(（]?(?:万元|元)?[)）]?", after) or not after:
        # a column header (成交金额(元)) in a table printed one cell a line: its value stands as far
        # below the header block as the header stands inside it
        d = _cell_below(clauses, i)
        if d is not None and re.fullmatch(r"(?:人民币)?[0-9][0-9,]*(?:\.[0-9]+)?(?:万元|元)?", d.norm):
            out.prices.append((_amount(d.norm), d.norm, d))


def _gp_required(clauses: list[Clause], full: str, out: ResultNotice, need, procedure: Optional[str]) -> None:
    """The items a 政府采购 result notice must publish (政采条例第四十三条, 87号令第六十九条)."""
    need("采购人名称", bool(_BUYER.search(full)))
    need("采购人地址", bool(_ADDRESS.search(full)))
    need("采购人联系方式", bool(_CONTACT.search(full)))
    if _AGENCY.search(full) and not re.search(r"自行(组织|采购)", full):
        # only where an agency ran the procurement: a buyer buying by itself names none
        need("采购代理机构名称、地址、联系方式", bool(re.search(r"代理机构", full)) and len(_ADDRESS.findall(full)) >= 2)
    # the title names the project (`上海市交通委交通行业舆情监测成交公告`): a label 项目名称 is not needed
    title = re.sub(r"(中标|成交|结果|采购|公告|公示|\(.*?\)|的)", "", clauses[0].norm if clauses else "")
    need("项目名称", bool(_NAME.search(full)) or len(title) >= 4)
    need("项目编号", bool(_CODE.search(full)))
    # named in a layout the reader does not know is still named: only a notice with no supplier cue lacks it
    need("中标（成交）供应商名称", bool(out.winners) or bool(re.search(r"(中标|成交)(供应商|人|单位)|供应商名称", full)))
    need("中标（成交）供应商地址", _supplier_address(clauses, out.winners))
    need("中标（成交）金额", bool(out.prices) or bool(re.search(r"(中标|成交)(金额|价格|价)", full)))
    # goods or services as the notice describes them, whichever kind was detected: a misread kind must not
    # make printed items missing
    items = re.compile(_GOODS_ITEMS.pattern + "|" + _SERVICE_ITEMS.pattern)
    need("主要标的的名称、规格型号、数量、单价、服务要求", bool(items.search(full)))
    if not _NO_PANEL.search(full):
        # an electronic mall or framework order has no evaluation panel to name
        need("评审专家名单", bool(_EXPERTS.search(full)))
    if procedure in ("公开招标", "邀请招标", "招标") and _after_order_87(full):
        need("公告期限", bool(_TERM.search(full)))


# 87号令 (in force 2017-10-01) added the 公告期限 to what a 招标's result notice prints: a notice of 2016 owed none, nor
# does a 磋商, 谈判 or 网上超市 order (87号令 governs 招标 only), nor a notice that does not say how it bought. The
# notice's latest date is its own (公告时间, 落款); with no date in it the item is not known to be owed.
_YEAR_MONTH = re.compile(r"(20[0-9]{2})(?:年|-|/|\.)([0-9]{1,2})")


def _after_order_87(full: str) -> bool:
    dates = [(int(y), int(m)) for y, m in _YEAR_MONTH.findall(full) if 1 <= int(m) <= 12]
    return bool(dates) and max(dates) >= (2017, 10)


def _is_header_line(c: Clause) -> bool:
    return (c.kind != ClauseKind.table_cell and 0 < len(c.norm) <= 14 and not re.search(r"[0-9:：,，;；。]", c.norm)
            and not re.search(r"公告|公示|通知", c.norm))  # a title is no column header


def _cell_below(clauses: list[Clause], i: int) -> Optional[Clause]:
    """`包号 / 成交供应商名称 / 成交金额(元) / 001 / 某经销处 / 256100.00`: the line under header line i."""
    s = i
    while s > 0 and _is_header_line(clauses[s - 1]) and i - s < 8:
        s -= 1
    e = i + 1
    while e < len(clauses) and _is_header_line(clauses[e]) and e - i < 8:
        e += 1
    k = e + (i - s)
    return clauses[k] if k < len(clauses) else None


def _table_header_names_winner(c: Clause) -> bool:
    return c.kind == ClauseKind.table_cell and (c.location.row or 0) == 0 and bool(
        re.search(r"(中标|成交)|供应商名称", c.norm)) and not re.search(r"金额|价|地址", c.norm)


def _amount(text: str) -> float:
    num = _NUMBER.search(text)
    if not num:
        return -1.0
    return float(num.group(0).replace(",", ""))


def _supplier_address(clauses: list[Clause], winners: list[tuple[str, Clause]]) -> bool:
    """The supplier's own address: named as such, or a 地址 in the clause (or table row) that holds the supplier's
    name, or on the line right after it. A 地址 under the 采购单位 or 代理机构 is theirs, not the supplier's."""
    if any(_SUPPLIER_ADDRESS.search(c.norm) for c in clauses):
        return True
    if any(c.kind == ClauseKind.table_cell and (c.location.row or 0) == 0 and _ADDRESS.search(c.norm)
           for c in clauses):
        return True
    index = {c.id: i for i, c in enumerate(clauses)}
    for name, c in winners:
        tail = c.norm[c.norm.find(name) + len(name):]
        if _ADDRESS.search(tail[:60]):
            return True
        i = index.get(c.id)
        # the winner's block: its address on one of the next lines (成交供应商 / 投标报价 / 单位地址)
        for nxt in clauses[i + 1:i + 4] if i is not None else []:
            if re.match(r"(?:供应商|中标人|成交人|单位|公司)?(?:联系|通讯|通信|注册)?(?:地址|住所)", nxt.norm):
                return True
    return False


def closing_date(doc: Document) -> Optional[Fact]:
    """The date under a notice's signature (`2019-7-17`, `日期：2026年4月14日`): its issue date when no 发布日期 is
    written. The last short line that is a date alone, among the last lines of the document."""
    paras = [c for c in doc.clauses if c.kind in (ClauseKind.paragraph, ClauseKind.heading, ClauseKind.table_cell)]
    for c in reversed(paras[-15:]):
        if _DATE_ONLY.match(c.norm):
            vals = [v for v in find_values(c.norm) if v.kind == "date" and v.when]
            if vals:
                v = vals[-1]
                return Fact(id="s-date", name="落款日期", kind="date", value=float(v.when.toordinal()), unit="date",
                            text=v.text, when=v.when, clause_id=c.id, location=c.location, context=c.norm)
    return None


# The line that opens a list of what to bring when registering or collecting the documents:
# `领取文件其他说明：`, `购买招标文件时须携带以下材料：`, `报名时须提供下列资料：`, `获取采购文件需提交：`.
_PURCHASE_LEAD = re.compile(r"(报名|购买|获取|领取|下载|购领|发售)[^;。]{0,12}(时|前|其他说明|说明|须知|所需|须提交|需提交|"
                            r"须提供|需提供|须携带|需携带|应提交|应提供|应携带|资料|材料)[^;。]{0,20}([:：]|"
                            r"(资料|材料|证件|文件)(清单)?)$|"
                            # the papers named first, then the step: 携带下列资料购买招标文件(复印件加盖公章留存): (bench/unseen y2)
                            r"(携带|提供|提交|持)(下列|以下|如下)(资料|材料|证件|文件)[^;。]{0,6}(报名|购买|获取|领取|购领)[^;。]{0,30}[:：]$")
# What is a qualification check (the 资格审查 of 评审), not a buyer's registration of who collected the documents:
# tax and social-security records, product test reports, licences, certificates, track record, financial reports.
_QUAL_EVIDENCE = re.compile(r"缴纳税收|纳税(证明|凭证|记录)|社会保障|社保|质检报告|检测报告|检验报告|资质|业绩|财务(报表|报告|状况)|"
                            r"审计报告|信用(报告|记录|等级)|无(违法|犯罪)|许可证|(推荐|资格|认证|体系)证书|证书|授权(书|委托书)?及售后|"
                            r"制造(厂)?商(出具的)?授权")
_NEGATED_LEAD = re.compile(r"无需|不需|不要求|不得|无须")
PURCHASE_TYPES = ("招标公告", "资格预审公告", "招标文件", "资格预审文件", "澄清修改")


def _next_item(previous: Optional[str], number: Optional[str]) -> bool:
    """`2、` after `1、`, `(3)` after `(2)`: the same list's next number."""
    if not previous or not number:
        return False
    a, b = re.fullmatch(r"(\D*)(\d+)(\D*)", previous), re.fullmatch(r"(\D*)(\d+)(\D*)", number)
    return bool(a and b) and a.group(1, 3) == b.group(1, 3) and int(b.group(2)) == int(a.group(2)) + 1


def purchase_step_items(doc: Document) -> list[Clause]:
    """The items of a `领取文件时须提供：1、…2、…` list that are qualification evidence. The list is the numbered
    clauses right after the lead-in line under the same heading; identity papers (营业执照, 身份证明, 授权委托书 of
    the person collecting) are not counted here: PROC-PRE-REGISTRATION judges those sentences itself."""
    clauses = _text(doc)
    out: list[Clause] = []
    for i, c in enumerate(clauses):
        # the lead-in is a line of its own, or the last sentence of a paragraph that ends by announcing the list
        lead = re.split(r"[。;]", c.norm.rstrip("。;"))[-1]
        if len(lead) > 60 or not _PURCHASE_LEAD.search(lead) or _NEGATED_LEAD.search(lead):
            continue
        previous = None
        for d in clauses[i + 1:i + 16]:
            # the items stand beside the lead-in line, or under it when the lead-in is itself a heading
            under = c.kind == ClauseKind.heading and bool(d.heading_path) and \
                c.norm in re.sub(r"\s+", "", unicodedata.normalize("NFKC", d.heading_path[-1]))
            # a short item with no closing stop reads as a heading (2、草种经营许可证(原件或复印件盖单位公章)): it is the
            # list's next item all the same when it goes on the previous item's numbering (bench/unseen y2)
            heading = d.kind == ClauseKind.heading and not _next_item(previous, d.number)
            if not d.number or heading or not (d.heading_path == c.heading_path or under):
                break
            previous = d.number
            if _QUAL_EVIDENCE.search(d.norm) and not _NEGATED_LEAD.search(d.norm):
                out.append(d)
    return out


def stage_facts(doc: Document, doc_type: str, regime: str, procurement: Optional[str],
                procedure: Optional[str] = None) -> list[Fact]:
    """Facts the per-document stage rules read: 结果公告缺少要素数 (count, its text naming what is missing) and
    公布的中标金额 (each price a result notice prints; 0 means withheld)."""
    out: list[Fact] = []
    if doc_type in PURCHASE_TYPES:
        for k, c in enumerate(purchase_step_items(doc)):
            out.append(Fact(id=f"s-buy{k}", name="文件获取环节资格材料", kind="count", value=1.0, unit="项",
                            text=c.text, clause_id=c.id, location=c.location, context=c.norm))
    if doc_type == "中标候选人公示" and regime == "工程":
        # what a 依法必须招标 project's 公示 publishes (发改委令第10号 第六条): the same list `project` read before

        full = "".join(c.norm for c in doc.clauses if c.kind != ClauseKind.table_row)
        missing = [name for name, pat in PUBLICITY_ELEMENTS if not re.search(pat, full)]
        anchor = next(iter(_text(doc)), None)
        if anchor is not None:
            out.append(Fact(id="s-pub", name="公示缺少要素数", kind="count", value=float(len(missing)), unit="项",
                            text=("缺少：" + "、".join(missing)) if missing else "要素齐全", clause_id=anchor.id,
                            location=anchor.location, context=anchor.norm))
    if doc_type not in RESULT_TYPES:
        return out
    notice = read_result_notice(doc, regime, procurement, procedure)
    anchor = notice.winners[0][1] if notice.winners else next(iter(_text(doc)), None)
    if anchor is not None:
        missing = notice.missing
        out.append(Fact(id="s-missing", name="结果公告缺少要素数", kind="count", value=float(len(missing)), unit="项",
                        text=("缺少：" + "、".join(missing)) if missing else "要素齐全", clause_id=anchor.id,
                        location=anchor.location, context=anchor.norm))
    for k, (value, text, c) in enumerate(notice.prices):
        if value < 0:
            continue
        out.append(Fact(id=f"s-price{k}", name="公布的中标金额", kind="money", value=value, unit="元", text=text,
                        clause_id=c.id, location=c.location, context=c.norm))
    return out + sme_declaration_facts(doc, regime)
