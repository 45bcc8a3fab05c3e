"""STD-FRONT-TABLE-CONFLICT and STD-BLANKS-UNFILLED: the 前附表 (and 专用合同条款) against the body clauses they
cite, and placeholders left where the tenderer must fill in."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ..findings import Finding
from ..models import Clause, ClauseKind, Document
from .layout import Layout, Region, body_clauses, cn_number, norm_number
from .spec import Mode, Spec, title_key
from .texts import finding, positions, rule_id, short


# ---------------------------------------------------------------------------------------------------- 前附表
#
# What STD-FRONT-TABLE-CONFLICT covers (kept narrow on purpose, so that what it reports is a real contradiction):
# * a 前附表 row whose 条款号 cell names a body clause of the same chapter (3.3.1, 7.1.2 …) — the body clause with its
#   sub-clauses is read; a 专用合同条款 clause whose number is a 通用合同条款 clause (4.2, 17.3.2 …) likewise;
# * one kind of quantity at a time: a period (日/天/日历天/工作日), hours, months, a percentage or an amount of money;
# * the body must fix one value of that kind (after narrowing by the row's label, e.g. 公示期), either exactly or as
#   a bound: 不少于/至少/…前 (a minimum), 不超过/最迟/…内 (a maximum); the 前附表 value must be a single value of the
#   same kind; it conflicts when it differs from an exact value or falls outside the bound;
# * a body that lets the 前附表 / 专用合同条款 decide otherwise (除…另有规定/约定外) cannot be contradicted; a body that
#   leaves the value to them (见前附表, 前附表规定的金额 …) fixes no value, but a bound it states in words (不得超过,
#   不少于) still holds;
# * a 专用合同条款 sentence that declares a 通用合同条款 clause 不适用 / 删除 / 不执行.
# Dates, amounts written in 大写, and values that only make sense together with another row are not compared.

_NUM = r"(\d+(?:\.\d+)?|[零〇一二三四五六七八九十百两]+)"
_QTY = re.compile(_NUM + r"(个工作日|工作日|个日历天|日历天|天|日|小时|个月|%|万元|元)|百分之([零〇一二三四五六七八九十点]+)")
_UNIT_GROUP = {"个工作日": ("期限", "工作日"), "工作日": ("期限", "工作日"), "日历天": ("期限", "日"),
               "个日历天": ("期限", "日"), "天": ("期限", "日"), "日": ("期限", "日"), "小时": ("小时", "小时"),
               "个月": ("月", "个月"), "%": ("比例", "%"), "万元": ("金额", "元"), "元": ("金额", "元")}
_MIN_BEFORE = re.compile(r"(不得少于|不少于|不应少于|至少|不低于|不得低于|最少|最低)[^，,。；;]{0,12}$")
_MAX_BEFORE = re.compile(r"(不得超过|不超过|不应超过|不高于|不得高于|最长|最多|最高|最迟)[^，,。；;]{0,12}$")
_MIN_AFTER = re.compile(r"^(以前|之前|前|以上)")
_MAX_AFTER = re.compile(r"^(以内|之内|内|以下)")
# the body lets the 前附表 / 专用合同条款 decide otherwise: nothing it says can be contradicted
_OVERRIDABLE = re.compile(r"另有(规定|约定)")
# the body leaves the value to them: only a bound it states in words (不得超过, 不少于) still holds
_DEFERS = re.compile(r"前附表(中)?(载明|规定|约定)的(期限|时限|天数|比例|金额|数额|人数)|"
                     r"见[^。;；]{0,16}(前附表|专用合同条款)|专用合同条款(中)?约定的(期限|比例|金额|天数)")
_NOT_APPLY = re.compile(r"通用合同条款(第)?(\d+(?:\.\d+)*)(条|款|项)?[^。;；]{0,12}(不适用|删除|不执行|作废|取消)")
_LABEL = re.compile(r"([\u4e00-\u9fff]{2,4})[:：为是]?$")


@dataclass(frozen=True)
class Quantity:
    group: str  # 期限 / 小时 / 月 / 比例 / 金额
    unit: str
    value: float
    bound: str  # exact / min / max
    start: int  # offset in the normalised text
    worded: bool = False  # the bound is said in words (不得超过, 不少于), not only by position (…前, …内)
    label: str = ""  # the words right before it (公示期), for narrowing

    def show(self) -> str:
        v = int(self.value) if self.value == int(self.value) else self.value
        return f"{v}{'个工作日' if self.unit == '工作日' else self.unit}"


def _to_number(raw: str) -> Optional[float]:
    try:
        return float(raw)
    except ValueError:
        n = cn_number(raw)
        return float(n) if n is not None else None


def quantities(norm: str) -> list[Quantity]:
    """Every number with a unit in a normalised text, with the bound its context gives it. Dates (3月25日, 9时) are
    not quantities."""
    out = []
    for m in _QTY.finditer(norm):
        if m.group(3) is not None:
            raw, unit_word = m.group(3), "%"
        else:
            raw, unit_word = m.group(1), m.group(2)
            if unit_word == "日" and re.search(r"月$", norm[:m.start()]):
                continue
        value = _to_number(raw)
        if value is None:
            continue
        group, unit = _UNIT_GROUP[unit_word]
        if unit_word == "万元":
            value *= 10000
        before, after = norm[max(0, m.start() - 16):m.start()], norm[m.end():m.end() + 3]
        worded = False
        if _MIN_BEFORE.search(before) or _MIN_AFTER.match(after):
            bound, worded = "min", bool(_MIN_BEFORE.search(before))
        elif _MAX_BEFORE.search(before) or _MAX_AFTER.match(after):
            bound, worded = "max", bool(_MAX_BEFORE.search(before))
        else:
            bound = "exact"
        label_m = _LABEL.search(norm[max(0, m.start() - 6):m.start()])
        out.append(Quantity(group, unit, value, bound, m.start(), worded, label_m.group(1) if label_m else ""))
    return out


def _body_constraint(body: str, group: str, label: str) -> Optional[Quantity]:
    """The one value of `group` the body fixes (narrowed to the sentence part that carries `label`), or None."""
    if _OVERRIDABLE.search(body):
        return None
    occ = [q for q in quantities(body) if q.group == group]
    if _DEFERS.search(body):
        occ = [q for q in occ if q.worded]
    if label:
        near = [q for q in occ if label[-2:] in body[max(0, q.start - 12):q.start]]
        occ = near or occ
    if len({(q.unit, q.value) for q in occ}) != 1:
        return None
    bounds = {q.bound for q in occ} - {"exact"}
    if len(bounds) > 1:
        return None
    bound = bounds.pop() if bounds else "exact"
    return Quantity(group, occ[0].unit, occ[0].value, bound, occ[0].start, occ[0].worded, occ[0].label)


def contradiction(body: str, value: str) -> Optional[tuple[Quantity, Quantity]]:
    """(body quantity, value quantity) when `value` (a 前附表 cell, a 专用条款) contradicts `body`."""
    for group in dict.fromkeys(q.group for q in quantities(value)):
        given = [q for q in quantities(value) if q.group == group]
        if len({(q.unit, q.value) for q in given}) != 1:
            continue
        v = given[0]
        b = _body_constraint(body, group, v.label)
        if b is None:
            continue
        if b.bound == "exact" and (b.unit, b.value) != (v.unit, v.value):
            return b, v
        if b.bound == "min" and v.value < b.value:
            return b, v
        if b.bound == "max" and v.value > b.value:
            return b, v
    return None


def _front_tables(doc: Document, region: Region) -> dict[int, list[Clause]]:
    """Table number → its rows (table_row clauses) for the 前附表 tables of a region."""
    tables: dict[int, list[Clause]] = {}
    for i in region.clauses:
        c = doc.clauses[i]
        if c.kind != ClauseKind.table_row or c.location.table is None:
            continue
        header = "".join(c.table_header or [])
        context = (c.heading_path[-1] if c.heading_path else "") + header
        if "前附表" in context or "条款号" in header:
            tables.setdefault(c.location.table, []).append(c)
    return tables


def _row_cells(doc: Document, pos: dict[str, int], row: Clause) -> list[Clause]:
    cells = []
    for c in doc.clauses[pos[row.id] + 1:]:
        if c.kind != ClauseKind.table_cell or c.parent_id != row.id:
            break
        cells.append(c)
    return cells


def _numbered_texts(doc: Document, idxs: list[int]) -> dict[str, tuple[Clause, str]]:
    """Clause number → (clause, its text with everything under it), for the numbered clauses of a region's body."""
    clauses = [doc.clauses[i] for i in idxs]
    by_id = {c.id: c for c in clauses}
    numbers = {}
    for c in clauses:
        n = norm_number(c.number)
        numbers[c.id] = n if n and re.fullmatch(r"\d+(\.\d+)*", n) else None
    texts: dict[str, list[str]] = {}
    heads: dict[str, Clause] = {}
    for c in clauses:
        node: Optional[Clause] = c
        while node is not None:
            n = numbers[node.id]
            if n:
                if heads.setdefault(n, node).id == node.id:
                    texts.setdefault(n, []).append(c.norm)
            node = by_id.get(node.parent_id or "")
    return {n: (heads[n], "。".join(texts[n])) for n in texts}


def _row_numbers(doc: Document, pos: dict[str, int], rows: list[Clause]):
    """(row's value cells, the 条款号 it carries) — rows merged with the one above inherit its 条款号."""
    header = rows[0].table_header
    wide = len(header or []) >= 3
    number: Optional[str] = None
    for row in rows:
        if header and row.location.row == 0:
            continue
        cells = _row_cells(doc, pos, row)
        first = next((c for c in cells if c.location.column == 0), None)
        if first is not None:
            n = norm_number(first.text)
            number = n if n and re.fullmatch(r"\d+(\.\d+)*", n) else None
        yield [c for c in cells if (c.location.column or 0) >= (2 if wide else 1)], number


def front_table_conflicts(doc: Document, spec: Spec, lay: Layout) -> list[Finding]:
    rid = rule_id("front_table_conflict")
    out: list[Finding] = []
    pos = positions(doc)
    for region in lay.regions.values():
        if region.mode == Mode.locked and region.section is None:
            body = _numbered_texts(doc, body_clauses(doc, region))
            for rows in _front_tables(doc, region).values():
                for cells, number in _row_numbers(doc, pos, rows):
                    if number not in body:
                        continue
                    target, text = body[number]
                    for cell in cells:
                        hit = contradiction(text, cell.norm)
                        if hit:
                            out.append(_conflict_finding(rid, cell, target, hit, "前附表", "正文", number))
        if region.mode == Mode.special and region.spec.compare_with:
            ch = spec.chapters[region.chapter]
            base_idx = next((s for s, sec in enumerate(ch.sections)
                             if title_key(sec.title) == title_key(region.spec.compare_with)), None)
            base = lay.region(region.chapter, base_idx) if base_idx is not None else None
            general = _numbered_texts(doc, body_clauses(doc, base)) if base is not None else {}
            for i in region.clauses:
                c = doc.clauses[i]
                if c.kind not in (ClauseKind.paragraph, ClauseKind.heading):
                    continue
                m = _NOT_APPLY.search(c.norm)
                if m:
                    out.append(finding(rid, c, excerpt=c.text, fp_text=c.norm, matched=[m.group(0)],
                                        specific=f"专用合同条款排除了通用合同条款第{m.group(2)}条（“{m.group(0)}”）。",
                                        values={"专用合同条款": c.label, "通用合同条款": m.group(2)}))
                    continue
                n = norm_number(c.number)
                if n in general:
                    target, text = general[n]
                    hit = contradiction(text, c.norm)
                    if hit:
                        out.append(_conflict_finding(rid, c, target, hit, "专用合同条款", "通用合同条款"))
    return out


def _conflict_finding(rid: str, clause: Clause, target: Clause, hit: tuple[Quantity, Quantity], this: str,
                      that: str, number: Optional[str] = None) -> Finding:
    b, v = hit
    rule = {"exact": "", "min": "不少于", "max": "不超过"}[b.bound]
    return finding(
        rid, clause, excerpt=clause.text, fp_text=clause.norm, matched=[v.show()], number=number,
        specific=f"{this}规定为{v.show()}，而{that}第{target.number}条规定为{rule}{b.show()}。",
        values={this: clause.text, f"{that}条款": target.label, f"{this}取值": v.show(),
                f"{that}取值": f"{rule}{b.show()}"},
    )


# ---------------------------------------------------------------------------------------------------- blanks

_BLANKS = [
    re.compile(r"_{2,}|＿{2,}"),
    re.compile(r"[（(][ \u3000\u00a0]*[）)]"),
    re.compile(r"【[ \u3000\u00a0]*】|【[^】]{0,12}(填写|填入|待定)[^】]{0,6}】"),
    re.compile(r"(?<![A-Za-zＡ-Ｚａ-ｚ0-9])(?:×{2,}|ＸＸ+|XX+|xx+)(?![A-Za-zＡ-Ｚａ-ｚ])"),
]
_TICKED = re.compile(r"[■☑☒✓✔√▣◼●]")


# "/" written into a blank is the drafter's "not applicable" (model texts say so: 确实没有需要填写的，在空格中以"/"
# 标示): `金额：____/_____元`, `标段中的 / 个标段`. Such a cell is filled, options left unticked included.
_NOT_APPLICABLE = re.compile(r"(?:(?<=[\s_＿:：])|^)[/／](?=[\s_＿]|$)")


_BOX = re.compile(r"[□☐■☑☒✓✔√▣◼●]")


def _unchosen(text: str, at: int) -> bool:
    """Does the blank at `at` follow an option left unticked while another was ticked? Then it goes with an option
    not chosen and stays empty by design (`■不允许□允许，具体要求：可以分包的内容：_____`)."""
    boxes = list(_BOX.finditer(text, 0, at))
    return bool(boxes) and boxes[-1].group(0) in "□☐" and bool(_TICKED.search(text))


def _blank_in(text: str) -> Optional[str]:
    if _NOT_APPLICABLE.search(text):
        return None
    for pat in _BLANKS:
        for m in pat.finditer(text):
            if not _unchosen(text, m.start()):
                return m.group(0)
    if text.count("□") >= 2 and not _TICKED.search(text):
        return "□"
    return None


def front_table_blanks(doc: Document) -> list[Finding]:
    """STD-BLANKS-UNFILLED without a model document: placeholders left in the value cells of the document's own
    前附表 (zone 前附表). Any 招标文件 must state its project-specific terms there, whatever model it follows."""
    rid = rule_id("blanks_unfilled")
    pos = positions(doc)
    tables: dict[int, list[Clause]] = {}
    for c in doc.clauses:
        if c.kind == ClauseKind.table_row and c.location.table is not None and c.zone == "前附表":
            header = "".join(c.table_header or [])
            context = "".join(c.heading_path[-2:]) + header
            if "前附表" in context or "条款号" in header or "条款名称" in header:
                tables.setdefault(c.location.table, []).append(c)
    out: list[Finding] = []
    for rows in tables.values():
        for cells, number in _row_numbers(doc, pos, rows):
            for c in cells:
                blank = _blank_in(c.text)
                if blank:
                    out.append(finding(rid, c, excerpt=c.text, fp_text=c.norm, matched=[blank], number=number,
                                        specific=f"“{short(c.text)}”中的“{blank}”未填写。",
                                        values={"位置": "前附表"}))
    return out


def unfilled_blanks(doc: Document, spec: Spec, lay: Layout) -> list[Finding]:
    rid = rule_id("blanks_unfilled")
    out: list[Finding] = []
    pos = positions(doc)
    for region in lay.regions.values():
        if region.mode == Mode.forms:
            continue
        chapter = spec.chapters[region.chapter]
        if chapter.mode == Mode.forms and region.section is None:
            continue
        candidates: list[tuple[Clause, Optional[str]]] = []
        for rows in _front_tables(doc, region).values():
            for cells, number in _row_numbers(doc, pos, rows):
                candidates += [(cell, number) for cell in cells]
        if region.mode == Mode.special:
            candidates += [(doc.clauses[i], None) for i in region.clauses
                           if doc.clauses[i].kind in (ClauseKind.paragraph, ClauseKind.heading, ClauseKind.table_cell)]
        for c, number in candidates:
            blank = _blank_in(c.text)
            if blank:
                out.append(finding(rid, c, excerpt=c.text, fp_text=c.norm, matched=[blank], number=number,
                                    specific=f"“{short(c.text)}”中的“{blank}”未填写。",
                                    values={"位置": "前附表" if c.kind == ClauseKind.table_cell and
                                            region.mode != Mode.special else region.heading.text}))
    return out
