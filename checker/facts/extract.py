"""Facts stage: find typed values and attach each to the quantity it states.

A value belongs to the nearest quantity named before it in the same sentence (投标保证金：人民币90万元); in a
前附表 row to the quantity its 条款名称 cell names, inherited down a vertically merged name cell; in a table whose
header names the quantity and unit (预算金额（万元）) to that column. 包1/标段一 in a sentence or a 包号 column puts
the fact in that lot, so per-lot bonds are compared with per-lot budgets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..models import Clause, ClauseKind, Document
from ..normalize import for_matching
from ..normalize import sentences
from .model import Fact
from .values import Value, find_values

# Ordered: more specific names first (资格预审申请截止 before 投标截止, 投标保证金 before a bare 保证金).
QUANTITIES: list[tuple[str, str, tuple[str, ...]]] = [
    ("估算价", r"估算价|估算金额|投资估算|工程估算", ("money",)),
    ("最高投标限价", r"最高投标限价|最高限价|招标控制价|控制价|拦标价", ("money",)),
    ("年度预算", r"年度预算|年预算|每年预算|月度预算", ("money",)),  # a part of the budget, not the budget
    ("预算金额", r"预算金额|采购预算|项目预算|预算资金|预算价|包预算|预算上限", ("money",)),  # 预算上限：1541000元 (bench/unseen y3)
    # before 投标保证金: at one position the first alternative wins, and 投标保证金有效期 is a period, not the bond
    ("投标保证金有效期", r"投标保证金的?有效期|投标保函的?有效期|投标担保的?有效期", ("duration",)),
    # the same sums by their other names: 投标担保 (投标担保10万元, bench/clauses/bond.yaml), 合同履约金 (real: r03),
    # 缺陷责任保证金 and 维修保证金 (the retention by the defects-liability period's name)
    ("投标保证金", r"投标保证金|投标担保(?!函|有效期|的?形式|方式)", ("money", "percent")),
    ("履约保证金", r"履约保证金|履约担保|履约金", ("money", "percent")),
    ("质量保证金", r"质量保证金|质量保修金|质保金|保修金|缺陷责任(?:期)?保证金|维修保证金|质量保留金|预留比例", ("money", "percent")),
    # the amount a past contract must reach to count as 业绩 (单项合同金额不低于800万元的同类项目业绩): not this
    # tender's contract, so only where the sentence ties it to 业绩 / 类似 / 同类
    ("业绩金额", r"单项合同(金额|额|价款?)|单个合同(金额|额)|(业绩|类似(工程|项目)|同类(工程|项目))[^,;。]{0,10}合同(金额|额|价款?)|"
              r"合同(金额|额|价款?)(?=[^,;。]{0,14}[0-9][^,;。]{0,14}(业绩|类似(工程|项目)|同类(工程|项目)))", ("money",)),
    ("注册资本", r"注册资本|注册资金", ("money",)),
    ("营业收入", r"营业收入|营业额", ("money",)),
    ("价格扣除", r"价格扣除|价格给予|报价给予|扣除比例|价格扣减|报价扣减|扣减比例", ("percent",)),
    # the price's weight in any wording (价格部分权重为20%, 评分因素及权重：价格20%, 价格(20%), 报价分占20%): the name is
    # the price row itself when a percentage follows it at once and nothing stands before it (合同价格10%的履约保证金 is a
    # share of the price, not its weight)
    ("价格权重", r"价格分值占|价格权重|价格分占|价格(?:部分|因素|评分|分值?)的?(?:权重|权值|比重)|报价(?:分|得分)?(?:权重|占)|"
              r"(?:^|(?<=[:,;、(]))价格(?:分|部分)?(?=\(?[0-9]{1,2}%)|(?<=%\))价格(?:分|部分)?", ("percent",)),
    ("总分", r"评分总分为?|总分值?为?", ("count",)),  # not 满分: 本项满分10分 is one item's maximum
    ("价格分", r"价格分值?|价格得分", ("count",)),
    ("资格预审申请截止", r"申请截止|申请文件的?递交截止|申请文件的?截止|递交资格预审申请文件的截止", ("date",)),
    # the cut-off for objections to the file (提出质疑时间应在2013年5月21日13:30时前): compared with the bid deadline
    ("异议截止", r"(异议|质疑)[^,;。]{0,6}截止|(提出|递交|提交)(异议|质疑)的?(时间|期限)", ("date",)),
    ("其他截止", r"提出问题的截止|问题的截止|澄清[^,;。]{0,8}截止|异议[^,;。]{0,6}截止|质疑[^,;。]{0,6}截止|"
              r"答疑[^,;。]{0,6}截止", ("date",)),  # deadlines that are not the bid deadline
    ("投标截止", r"投标截止|递交截止|投标文件递交的?截止|(提交|递交)(投标|响应)文件的?截止|响应文件(提交|递交)的?截止|"
              r"开标时间|开标日期|响应截止|报价截止|(?<![获领])(?:投标|递交投标文件|响应文件(?:提交|递交))时间(?=[:：])",
     ("date",)),
    # the end of the sale named alone (招标文件获取截止时间：2026-03-23 23:59, bench/unseen b1): its one date closes the
    # sale; read as the range's first date it opened it, and the 等标期 was counted from the wrong day
    ("文件获取截止", r"(?:招标|采购|磋商|谈判|资格预审)?文件的?(?:获取|发售|下载|领取)截止(?:时间|日期)?|"
                r"(?:获取|发售|下载|领取)(?:招标|采购|磋商|谈判|资格预审)?文件的?截止(?:时间|日期)?", ("date",)),
    ("文件获取", r"获取时间|获取文件的?(?:期限|时间)|获取期限|获取招标文件|获取资格预审文件|获取采购文件|获取磋商文件|获取谈判文件|获取询价(通知书|文件)|获取比选文件|文件的获取|文件获取|"
              r"发售时间|出售时间|发售期|提供期限|下载时间|获取方式及时间|领取时间|文件领取|领取(采购|磋商|谈判|招标)文件|"
              r"发放时间|售卖时间|发售日期|领购时间|购买(招标|采购|磋商|谈判)?文件的?时间",
     ("date",)),
    # a 更正公告 names the first notice's date too: that is not this document's date
    # …and a result notice names the date of the tender notice it closes (招标公告日期：2017年09月12日, ccgp template)
    ("原公告发布", r"首次公告(发布)?(日期|时间)|原公告(发布)?(日期|时间)|(招标|采购|磋商|谈判|询价)公告日期", ("date",)),
    # a 招标计划 and the file's 预公示 are published before the notice (本项目招标计划发布时间：2026年1月30日, 招标文件预公示
    # 发布时间为：2026年3月10日, bench/unseen b1): not the notice's day
    ("招标计划发布", r"招标计划(发布|公布|公示)(时间|日期)?|预公示(发布)?(时间|日期)", ("date",)),
    ("公告发布", r"公告发布|发布日期|公告日期|发布时间|公告时间(?!为)|公示开始(?:时间|日期)|更正日期|变更日期|更正公告日期", ("date",)),
    # a publicity's own period as its field (（公示期：2026年03月16日至2026年03月18日）, bench/unseen b7): the first day is the
    # notice's; a period quoted in a sentence (对中标候选人进行公示，公示期为…, s12's earlier stage) is not read
    ("公示期", r"公示期(?:间|限)?:(?=[0-9])", ("date",)),
    # the day a result was settled: a result notice without its own date is no earlier than it
    ("结果日期", r"(中标|成交)(结果)?日期|(定标|评标|评审)日期", ("date",)),
    ("投标有效期", r"投标有效期", ("duration",)),
    ("公告期限", r"公告期限", ("duration",)),
]
_CUES = re.compile("|".join(f"(?P<q{i}>{pat})" for i, (_, pat, _) in enumerate(QUANTITIES)))
_LOT = re.compile(r"(?:第([0-9一二三四五六七八九十]+)(?:包|标段|分包)|(?:包|标段|分包)([0-9一二三四五六七八九十]+))")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九", 0)}
# on the normalised header: （ is folded to (; the currency or 单位: may stand before the unit (（人民币万元）, （单位:万元）)
_UNIT_IN_HEADER = re.compile(r"[(（](?:人民币|单位:?)?(万元|元|亿元|%|日|天)[)）]")
MAX_GAP = 40  # characters between a quantity's name and its value in one sentence
MAX_SCORE_GAP = 6
_RANGE_KINDS = {"文件获取": ("文件获取开始", "文件获取截止"), "公示期": ("公示开始", "公示结束")}


@dataclass
class _Cue:
    name: str
    kinds: tuple[str, ...]
    start: int
    end: int


def lot_of(text: str) -> str:
    m = _LOT.search(text)
    if not m:
        return ""
    raw = m.group(1) or m.group(2)
    return "包" + ("".join(_CN_DIGIT.get(c, c) for c in raw) if raw != "十" else "10")


def _cues(text: str) -> list[_Cue]:
    out = []
    for m in _CUES.finditer(text):
        i = int(m.lastgroup[1:])
        name, _, kinds = QUANTITIES[i]
        out.append(_Cue(name, kinds, m.start(), m.end()))
    return out


class FactBuilder:
    def __init__(self, default_year: Optional[int]):
        self.facts: list[Fact] = []
        self.default_year = default_year

    def add(self, name: str, value: Value, clause: Clause, context: str, lot: str) -> None:
        if value.kind == "date" and value.when is None:
            return
        self.facts.append(Fact(
            id=f"f{len(self.facts)}", name=name, kind=value.kind, value=_number(value), unit=value.unit,
            text=value.text, when=value.when, high=value.high, clause_id=clause.id, location=clause.location,
            context=context, lot=lot,
        ))

    def sentence(self, text: str, clause: Clause, fallback: Optional[_Cue] = None, lot: str = "") -> None:
        """Attach values in one sentence to the quantity named nearest before them (or to `fallback`)."""
        values = find_values(text, self.default_year)
        if not values:
            return
        cues = _cues(text)
        ranges: dict[str, int] = {}
        for v in values:
            if v.kind == "money" and (_PER_UNIT.match(text, v.end)
                                      or _UNIT_PRICE.search(text, max(0, v.start - 8), v.start)):
                continue  # 1400元/组, 单价…元: a unit price is no project total (nor a bond)
            cue = _nearest(cues, v, text) or _named_after(cues, v, text)
            if v.kind == "date" and _BEFORE_SUBMISSION.match(text, v.end):
                # 于2024年1月16日9:30前递交投标文件: what follows the date names it, whatever was named before
                cue = _Cue("投标截止", ("date",), v.start, v.start)
            if cue is None and fallback is not None and v.kind in fallback.kinds and v.kind != "count" \
                    and not _OTHER_QUANTITY.search(text, 0, v.start):
                cue = fallback  # (a score needs its own label: 施工组织设计:30分 under 总分100分 is not a total)
            if cue is None:
                continue
            name = cue.name
            if name in _RANGE_KINDS:  # 获取时间：3月2日至3月9日 → the first date opens, the second closes
                k = ranges.get(name, 0)
                ranges[name] = k + 1
                if k > 1:
                    continue
                name = _RANGE_KINDS[name][k]
            # The lot named just before the value (包1预算金额240万元), else the row's: a lot named elsewhere in the
            # sentence (预算金额380万元，其中包1……) is not this value's.
            local_lot = lot_of(text[max(0, v.start - 12):v.start]) or lot
            self.add(name, v, clause, text, local_lot)


# Words that name another quantity between a name and a value: the value is that quantity's, not the name's
# (`履约保证金……支付进度款（合同款的20%）`, `退还投标保证金……基准利率上浮20%`). A guess is worse than no value.
_OTHER_QUANTITY = re.compile(r"支付|付款|进度款|首付款|预付款|尾款|结算款|合同款的|违约金|罚款|罚金|滞纳金|赔偿|利率|利息|"
                             r"上浮|下浮|占[^,;。]{0,10}(比例|比重)|协议合同金额|工程项目为")


_PER_UNIT = re.compile(r"\s*(/|每)")
_BEFORE_SUBMISSION = re.compile(r"\s*(\(北京时间\))?(之前|以前|前)[^,;。]{0,4}(递交|提交|上传|送达|递送)[^,;。]{0,4}(投标|响应|申请)文件")
_UNIT_PRICE = re.compile(r"单价|综合单价|单位价格|每(人|组|台|套|吨|平方米|月)")


def _nearest(cues: list[_Cue], v: Value, text: str = "") -> Optional[_Cue]:
    # Scores sit right after their label (价格分30分、技术分45分): a score further away belongs to another label.
    gap = MAX_SCORE_GAP if v.kind == "count" else MAX_GAP
    before = [c for c in cues if c.end <= v.start and v.start - c.end <= gap and v.kind in c.kinds]
    if not before:
        return None
    cue = before[-1]
    if text and v.kind in ("percent", "money") and _OTHER_QUANTITY.search(text, cue.end, v.start):
        return None
    if text and cue.name in _FIRST_VALUE_ONLY and _ANY_NUMBER.search(text, cue.end, v.start):
        return None
    return cue


# A share or an amount written before its name, nothing named before it: 交纳合同价款20%的履约保证金, 预留5%的质量保证金,
# a score row (20%)价格. 的 or the closing bracket must stand between: a bare 付5%质保金 is a payment of the retention,
# not the share kept (real: r03). 作为 names the share too: 剩余5%作为质量保修金 (bench/clauses/bond.yaml, a 施工分包 notice).
_BEFORE_NAME = re.compile(r"\)的?|的|作为")


def _named_after(cues: list[_Cue], v: Value, text: str) -> Optional[_Cue]:
    if v.kind not in ("percent", "money"):
        return None
    m = _BEFORE_NAME.match(text, v.end)
    if not m:
        return None
    return next((c for c in cues if c.start == m.end() and v.kind in c.kinds), None)


# A weight is the first number after its name: in 价格30%，技术50%，商务20% the later shares are the other factors'.
_FIRST_VALUE_ONLY = {"价格权重"}
_ANY_NUMBER = re.compile(r"[0-9%一二三四五六七八九十百]")


def _number(v: Value) -> float:
    if v.kind == "date" and v.when is not None:
        return float(v.when.toordinal())
    return float(v.value)


def extract_facts(doc: Document) -> list[Fact]:
    builder = FactBuilder(document_year(doc))
    rows = _rows(doc)
    for clause in doc.clauses:
        if clause.kind in (ClauseKind.heading, ClauseKind.paragraph):
            # 「4. 招标文件的获取」 names the quantity; 「4.1 请于3月2日至3月9日……」 under it gives the values.
            heading = _cues(for_matching(clause.heading_path[-1])) if clause.heading_path else []
            for sent in sentences(clause.norm):
                builder.sentence(sent, clause, fallback=heading[0] if heading else None)
    for row_cells, name_cue, lot, header in rows:
        for cell in row_cells:
            column_cue, scale = _header_quantity(header, cell)
            plain = cell.norm.replace(",", "")  # 1,234,567.00 as tables print it
            if column_cue and re.fullmatch(r"[0-9]+(\.[0-9]+)?", plain):
                value = float(plain) * scale
                builder.add(column_cue.name, Value("money", value, "元", 0, len(cell.norm), cell.norm), cell,
                            cell.norm, lot)
                continue
            for sent in sentences(cell.norm):
                builder.sentence(sent, cell, fallback=name_cue or column_cue, lot=lot)
    return builder.facts


def _rows(doc: Document):
    """Table rows as (cells, the quantity the row's name cell names, lot, header), in order; a row whose name cell
    is merged from above inherits the name."""
    by_row: dict[str, list[Clause]] = {}
    row_of: dict[str, Clause] = {}
    for c in doc.clauses:
        if c.kind == ClauseKind.table_row:
            row_of[c.id] = c
            by_row[c.id] = []
        elif c.kind == ClauseKind.table_cell and c.parent_id in by_row:
            by_row[c.parent_id].append(c)
    out = []
    last: dict[Optional[int], tuple[Optional[_Cue], str]] = {}
    for row_id, cells in by_row.items():
        row = row_of[row_id]
        table = row.location.table
        header = row.table_header or []
        if row.location.row == 0 and header:
            continue  # the header row names columns; it holds no values
        name_cells = [c for c in cells if (c.location.column or 0) <= 1]
        name_cue = None
        lot = ""
        for c in name_cells:
            found = _cues(c.norm)
            if found:
                name_cue = found[0]
            if not lot and len(c.norm) <= 8:
                lot = lot_of(c.norm)
        if not name_cells and table in last:  # merged from the row above
            name_cue, lot = last[table]
        last[table] = (name_cue, lot)
        out.append((cells, name_cue, lot, header))
    return out


def _header_quantity(header: list[str], cell: Clause) -> tuple[Optional[_Cue], float]:
    col = cell.location.column
    if cell.column_label:  # the header text above the cell, merged headers spanned (the reader works it out)
        head = for_matching(cell.column_label)
    elif not header or col is None or col >= len(header):
        return None, 1.0
    else:
        head = for_matching(header[col])  # wrapped headers carry spaces: 预算金 额(元)
    found = [c for c in _cues(head) if "money" in c.kinds]
    if not found:
        return None, 1.0
    unit = _UNIT_IN_HEADER.search(head)
    scale = {"万元": 10_000.0, "亿元": 100_000_000.0}.get(unit.group(1) if unit else "元", 1.0)
    return found[0], scale


def document_year(doc: Document) -> Optional[int]:
    """The first year the document writes (2026年): the year a date written without one belongs to."""
    for c in doc.clauses[:200]:
        m = re.search(r"(20[0-9]{2})年", c.norm)
        if m:
            return int(m.group(1))
    return None
