"""What each stage document says, read with sentence and table rules the way `checker.facts.extract` reads a tender
document: dates named by a cue before them, the 落款 date of a notice, members of the committee, ranked candidates
with their prices, the number of bidders, contract terms, bond refunds.

A project lexicon (`PROJECT_QUANTITIES`) is kept here rather than in `checker.facts.extract.QUANTITIES`: its cues
(合同金额, 报价, 工期 …) are common words in a tender document and would take values away from the quantities the
per-document rules read there (履约保证金为合同金额的10%).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

from ..facts.extract import document_year  # noqa: F401 (readers.py reads it from here)
from ..facts.stage import PUBLICITY_ELEMENTS, REPORT_ELEMENTS  # noqa: F401 (the facts stage owns the element lists)
from ..facts.values import Value, find_values
from ..models import Clause, ClauseKind, Document, Location
from ..normalize import for_matching
from ..normalize import sentences

# name, cue pattern (normalised text), kinds
PROJECT_QUANTITIES: list[tuple[str, str, tuple[str, ...]]] = [
    ("原公告日期", r"首次公告(发布)?(日期|时间)|原公告(发布)?(日期|时间)", ("date",)),  # not this notice's date
    ("澄清发出", r"澄清(文件|公告)?(的)?(发出|发布|发送)(日期|时间)|更正(公告)?(日期|时间)|(本次)?变更(日期|时间)", ("date",)),
    ("发出日期", r"(通知书)?(发出|签发)(日期|时间)", ("date",)),
    ("发布日期", r"(公告|公示)?发布(日期|时间)|公告(日期|时间)|发布于", ("date",)),
    ("合同签订日期", r"合同签订(日期|时间)|签订(日期|时间)|签约(日期|时间)|签署(日期|时间)|合同签订于|本合同于|签订于",
     ("date",)),
    ("评标报告日期", r"评标报告(提交|送达|收到)(日期|时间)|报告提交(日期|时间)|评(标|审)(结束)?(日期|时间)|评(标|审)工作(于|结束)",
     ("date",)),
    ("公示期", r"公示期(限|间)?|公示时间", ("date",)),
    ("确定日期", r"定标(日期|时间)|确定中标(供应商|人|单位)?的?(日期|时间)|确定成交供应商的?(日期|时间)", ("date",)),
    ("退还日期", r"退还(日期|时间)", ("date",)),
    ("新截止", r"(顺延|延期|推迟|延长|变更|调整|更改|改)(至|为|到)", ("date",)),
    ("中标价", r"中标价(格|款)?|中标金额|中标总价|中标报价|成交金额|成交价(格)?", ("money",)),
    ("签约合同价", r"签约合同价|合同价款|合同总价|合同金额|合同价格|合同总金额|合同价", ("money",)),
    ("投标报价", r"投标报价|投标总价|报价", ("money",)),
    ("工期", r"计划工期|合同工期|总工期|工期|交货期|交付期限|服务期限|服务期|履行期限", ("duration",)),
    ("预付款", r"预付款", ("percent",)),
    ("进度款", r"工程进度款|进度款|进度付款", ("percent",)),
    ("履约保证金", r"履约保证金|履约担保", ("percent", "money")),
]
_CUES = re.compile("|".join(f"(?P<q{i}>{pat})" for i, (_, pat, _) in enumerate(PROJECT_QUANTITIES)))
MAX_GAP = 40
_DATE_ONLY = re.compile(r"^(?:(?:日期|时间|落款日期|签发日期|发布日期|签订日期|签约日期|签署日期)[:：]?)?(?:\d{4}年\d{1,2}月\d{1,2}日|[〇○零一二三四五六七八九]{4}年"
                        r"[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日|\d{4}-\d{1,2}-\d{1,2})$")
_COMPANY = r"[\u4e00-\u9fffa-z0-9()（）·]{2,40}?(?:有限责任公司|股份有限公司|有限公司|集团|公司|研究院|设计院|研究所|事务所|中心|院)"


@dataclass
class Found:
    """A value a document states, with where it stands."""

    name: str
    value: Value
    clause: Clause
    sentence: str

    @property
    def when(self) -> Optional[datetime]:
        return self.value.when


@dataclass
class Table:
    index: int
    header: list[str]
    rows: list[dict[int, Clause]]  # column → cell
    row_clauses: list[Clause]
    heading: str  # the heading path it sits under, joined

    def col(self, pattern: str, not_pattern: Optional[str] = None) -> Optional[int]:
        for i, h in enumerate(self.header):
            n = for_matching(h)
            if re.search(pattern, n) and not (not_pattern and re.search(not_pattern, n)):
                return i
        return None

    def text(self, row: dict[int, Clause], col: Optional[int]) -> str:
        if col is None or col not in row:
            return ""
        return row[col].norm


@dataclass
class Candidate:
    name: str
    rank: Optional[int]
    price: Optional[float] = None
    duration: Optional[float] = None
    duration_unit: str = "日"
    quality: Optional[int] = None
    quality_text: str = ""
    manager: str = ""
    clause: Optional[Clause] = None


@dataclass
class Member:
    name: str
    role: str  # 代表 / 专家 / "" (not stated)
    signed: Optional[bool]  # None: no signature column
    clause: Optional[Clause] = None


@dataclass
class Refund:
    bidder: str
    when: datetime
    won: Optional[bool]
    clause: Optional[Clause] = None


@dataclass
class RefundTerm:
    base: str  # 合同签订 / 中标通知书发出
    days: float
    unit: str  # 日 / 工作日
    clause: Clause
    sentence: str


@dataclass
class DocData:
    """Everything the project rules read from one document."""

    found: list[Found] = field(default_factory=list)
    closing: Optional[Found] = None  # the 落款 date
    names: dict[str, str] = field(default_factory=dict)  # 招标人 / 代理机构 / 中标人
    name_clauses: dict[str, Clause] = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list)
    candidate_table: bool = False
    members: list[Member] = field(default_factory=list)
    member_counts: Optional[tuple[int, Optional[int], Optional[int], Clause]] = None  # from text: n, reps, experts
    bidders: Optional[tuple[int, Clause, str]] = None
    quality: Optional[tuple[int, str, Clause]] = None
    qualification: dict[str, tuple[int, str, Clause]] = field(default_factory=dict)  # part → (grade, text, clause)
    refund_terms: list[RefundTerm] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)
    elements_missing: list[str] = field(default_factory=list)
    elements_checked: bool = False
    flags: dict[str, str] = field(default_factory=dict)  # 评定分离 / 法定事由 / 资格预审 / 影响编制 / 不影响编制 / 国有资金
    determined: Optional[Found] = None  # 中标人确定日期 (stated as 于X日确定中标供应商)

    def first(self, name: str, kind: Optional[str] = None) -> Optional[Found]:
        return next((f for f in self.found if f.name == name and (kind is None or f.value.kind == kind)), None)

    def all(self, name: str, kind: Optional[str] = None) -> list[Found]:
        return [f for f in self.found if f.name == name and (kind is None or f.value.kind == kind)]


# ------------------------------------------------------------------------------------------------------------ helpers


def text_clauses(doc: Document) -> list[Clause]:
    return [c for c in doc.clauses if c.kind in (ClauseKind.heading, ClauseKind.paragraph, ClauseKind.table_cell)]


def tables(doc: Document) -> list[Table]:
    rows: dict[str, Clause] = {}
    cells: dict[str, dict[int, Clause]] = {}
    for c in doc.clauses:
        if c.kind == ClauseKind.table_row:
            rows[c.id] = c
            cells[c.id] = {}
        elif c.kind == ClauseKind.table_cell and c.parent_id in cells and c.location.column is not None:
            cells[c.parent_id][c.location.column] = c
    out: dict[object, Table] = {}
    for rid, row in rows.items():
        key = (row.location.table, tuple(row.table_header or []), row.parent_id)
        t = out.get(key)
        if t is None:
            t = out[key] = Table(index=len(out), header=list(row.table_header or []), rows=[], row_clauses=[],
                                 heading=" ".join(row.heading_path))
        if row.location.row == 0 and row.table_header:
            continue
        t.rows.append(cells[rid])
        t.row_clauses.append(row)
    return list(out.values())


def _cues(text: str):
    out = []
    for m in _CUES.finditer(text):
        i = int(m.lastgroup[1:])
        name, _, kinds = PROJECT_QUANTITIES[i]
        out.append((name, kinds, m.start(), m.end()))
    return out


def lexicon_values(doc: Document, year: Optional[int]) -> list[Found]:
    """Values attached to the nearest project cue before them in the same sentence; in a table row, a cue in the
    row's first cells names the values of the other cells (编列内容)."""
    out: list[Found] = []
    row_cue: dict[str, tuple] = {}
    for c in doc.clauses:
        if c.kind == ClauseKind.table_cell and (c.location.column or 0) <= 1 and c.parent_id:
            found = _cues(c.norm)
            if found and len(c.norm) <= 20:
                row_cue.setdefault(c.parent_id, found[0])
    for c in text_clauses(doc):
        fallback = row_cue.get(c.parent_id or "") if c.kind == ClauseKind.table_cell else None
        if fallback is not None and (c.location.column or 0) <= 1 and _cues(c.norm):
            continue
        for sent in sentences(c.norm):
            values = find_values(sent, year)
            if not values:
                continue
            cues = _cues(sent)
            ranges: dict[str, int] = {}
            for v in values:
                before = [q for q in cues if q[3] <= v.start and v.start - q[3] <= MAX_GAP and v.kind in q[1]]
                cue = before[-1] if before else (fallback if fallback and v.kind in fallback[1] else None)
                if cue is None:
                    continue
                name = cue[0]
                if name == "公示期":  # 公示期：4月8日至4月11日 → start, end
                    k = ranges.get(name, 0)
                    ranges[name] = k + 1
                    if k > 1:
                        continue
                    name = ("公示开始", "公示结束")[k]
                out.append(Found(name, v, c, sent))
    return out


def closing_date(doc: Document, year: Optional[int]) -> Optional[Found]:
    """The 落款 date: the last paragraph that is a date alone (a notice's date under its signature)."""
    # a signature block is often a table (甲方（盖章）| 乙方（盖章） / 日期：… | 日期：…): its cells count too
    paras = [c for c in doc.clauses if c.kind in (ClauseKind.paragraph, ClauseKind.heading, ClauseKind.table_cell)]
    for c in reversed(paras[-16:]):
        if _DATE_ONLY.match(c.norm):
            vals = [v for v in find_values(c.norm, year) if v.kind == "date" and v.when]
            if vals:
                return Found("落款日期", vals[0], c, c.norm)
    return None


def name_after(doc: Document, cue: str) -> Optional[tuple[str, Clause]]:
    pat = re.compile(rf"(?:{cue})(?:名称)?[:：]({_COMPANY})")
    for c in text_clauses(doc):
        m = pat.search(c.norm)
        if m:
            return clean_name(m.group(1)), c
    return None


def clean_name(name: str) -> str:
    name = for_matching(name)
    name = re.sub(r"^(名称|单位名称|中标人|中标单位|中标供应商)[:：]", "", name)
    name = re.sub(r"\((盖章|盖单位章|公章)\)$", "", name)
    return name.strip(":：,，。;；")


def same_company(a: str, b: str) -> bool:
    """The same legal entity (checker/names.py: suffixes, brackets, spacing normalised; a branch is another
    entity). No fuzzy similarity: 某某信息技术 and 某某智能技术 are two companies."""
    from ..names import match

    return match(clean_name(a), clean_name(b)).same


_CN_RANK = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def rank_of(text: str) -> Optional[int]:
    n = for_matching(text)
    m = re.search(r"第?([1-9][0-9]?|[一二三四五六七八九十])(名|中标候选人|成交候选人|候选人|位)?$", n) or \
        re.search(r"第([1-9]|[一二三四五六七八九十])(名|中标候选人|成交候选人|候选人)", n)
    if not m:
        return None
    raw = m.group(1)
    return int(raw) if raw.isdigit() else _CN_RANK.get(raw)


def quality_level(text: str) -> Optional[tuple[int, str]]:
    """A quality standard as a level: 合格 1, 优良 2, 省市级优质工程 3, 国家级（鲁班奖、国优）4."""
    n = for_matching(text)
    levels = [(4, r"鲁班奖|国家优质|国优|詹天佑"), (3, r"(省|市)(级)?优质|(省|市)优|(省|市)级?(优质)?(结构|工程)奖"),
              (2, r"优良"), (1, r"合格")]
    for level, pat in levels:
        m = re.search(pat, n)
        if m:
            return level, m.group(0)
    return None


def money_of(cell_norm: str, header: str, year: Optional[int]) -> Optional[float]:
    """A price cell: a figure in the unit its column header names (投标报价（万元）), or an amount with its unit."""
    head = for_matching(header)
    if re.fullmatch(r"[0-9,]+(\.[0-9]+)?", cell_norm):
        scale = 10_000.0 if "万元" in head else 1.0
        return float(cell_norm.replace(",", "")) * scale
    vals = [v for v in find_values(cell_norm, year) if v.kind == "money"]
    return vals[0].value if vals else None


def duration_of(cell_norm: str, year: Optional[int]) -> Optional[tuple[float, str]]:
    if re.fullmatch(r"[0-9]+", cell_norm):
        return float(cell_norm), "日"
    vals = [v for v in find_values(cell_norm, year) if v.kind == "duration"]
    return (vals[0].value, vals[0].unit) if vals else None


# ----------------------------------------------------------------------------------------------------- per document


# 政府采购中标结果公告 content (政采条例第四十三条第三款)
AWARD_GP_ELEMENTS = [
    ("采购人名称、地址、联系方式", r"采购人"),
    ("采购代理机构名称、地址、联系方式", r"代理机构"),
    ("项目名称和项目编号", r"项目编号"),
    ("中标供应商名称、地址和中标金额", r"中标(供应商|人)|成交供应商"),
    ("主要标的的名称、规格型号、数量、单价、服务要求", r"规格型号|单价|服务要求"),
    ("评审专家名单", r"评审专家(名单)?|评标委员会成员"),
    ("公告期限", r"公告期限|公告期"),
]


def where(clause: Optional[Clause]) -> Location:
    return clause.location if clause is not None else Location()
