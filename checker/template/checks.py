"""The four STD-* checks of a document against a template (or a bare spec): Document → list[Finding].

* STD-CHAPTER-STRUCTURE  — a chapter (or a required section) of the spec is missing, or chapters are out of order;
* STD-VERBATIM-SECTIONS  — in a locked part, a model clause was modified, deleted, or a clause was added
                           (needs the model text: a Template);
* STD-FRONT-TABLE-CONFLICT — a 前附表 row fixes a number (days, %, amount) that the body clause it cites fixes
                           differently, or a 专用合同条款 clause does so for the 通用合同条款 clause of its number, or
                           declares a 通用合同条款 clause 不适用/删除 (needs a Template, as the lead engineer asked);
* STD-BLANKS-UNFILLED    — a placeholder left in a 前附表 value cell or in the 专用合同条款 (forms chapters skipped).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional, Union

import yaml

from ..findings import DiffSegment, Finding
from ..models import Clause, ClauseKind, Document
from ..rules.schema import STAGES, Basis, Severity
from .align import Side, align
from .diff import summary, token_diff, worst_kind
from .layout import (Layout, Region, body_clauses, cn_number, editable_ids, layout, norm_number, number_keys,
                     skeleton, skeleton_fp)
from .model import Template
from .spec import BUNDLED_DIR, Mode, Spec, title_key

STAGE = "S2"
# A locked part of which fewer than this share of the model's clauses is found unchanged is reported once, as a part
# that does not follow the model (another alternative text, another edition), not clause by clause.
MIN_MATCHED_SHARE = 0.3
MIN_CLAUSES_FOR_SHARE = 10
CN_DIGITS = "零一二三四五六七八九"


MODEL_RULES_DIR = BUNDLED_DIR.parent / "model"  # rules/model/STD-*.yaml: each names the check it reports (model.check)
CHECKS = ("chapter_structure", "verbatim_sections", "front_table_conflict", "blanks_unfilled")


@dataclass(frozen=True)
class CheckText:
    rule_id: str
    title: str
    severity: Severity
    message: str
    suggestion: str
    basis: tuple[Basis, ...]


@lru_cache(maxsize=1)
def _texts_by_check() -> dict[str, CheckText]:
    """check name → the rule that reports it (rules/model/*.yaml: id, title, severity, message, basis)."""
    out = {}
    for path in sorted(MODEL_RULES_DIR.glob("*.yaml")):
        v = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[v["model"]["check"]] = CheckText(
            rule_id=v["id"], title=v["title"], severity=Severity(v["severity"]), message=v["message"],
            suggestion=v["suggestion"], basis=tuple(Basis.model_validate(b) for b in v["basis"]))
    return out


def rule_id(check: str) -> str:
    return _texts_by_check()[check].rule_id


def check_texts() -> dict[str, CheckText]:
    """rule id → its texts, for the four model-document rules."""
    return {t.rule_id: t for t in _texts_by_check().values()}


def __getattr__(name: str):
    if name == "RULE_IDS":  # the model-document rules' ids, in the order of CHECKS
        return tuple(rule_id(c) for c in CHECKS)
    raise AttributeError(name)


def _cn(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def _finding(rule_id: str, clause: Clause, *, specific: str, excerpt: str, fp_text: str,
             severity: Optional[Severity] = None, values: Optional[dict[str, str]] = None,
             matched: Optional[list[str]] = None, diff: Optional[list[DiffSegment]] = None,
             number: Optional[str] = None) -> Finding:
    t = check_texts()[rule_id]
    return Finding(
        rule_id=rule_id, title=t.title, severity=severity or t.severity, stage=STAGE, stage_name=STAGES[STAGE],
        message=f"{specific}{t.message}", suggestion=t.suggestion, basis=list(t.basis), clause_id=clause.id,
        clause_number=number if number is not None else clause.number, heading_path=clause.heading_path,
        location=clause.location, excerpt=excerpt, matched=[m for m in (matched or []) if m],
        values=values or {}, diff=diff or [], fingerprint=Finding.make_fingerprint(rule_id, fp_text),
    )


def check_template(doc: Document, template: Union[Template, Spec]) -> list[Finding]:
    """All STD-* findings for `doc`. With a bare Spec (no model text) only the structure and blank checks run."""
    spec = template.spec if isinstance(template, Template) else template
    lay = layout(doc, spec)
    findings = chapter_structure(doc, spec, lay)
    if isinstance(template, Template):
        findings += verbatim_sections(doc, template, lay)
        findings += front_table_conflicts(doc, spec, lay)
    findings += unfilled_blanks(doc, spec, lay)
    order = {c.id: i for i, c in enumerate(doc.clauses)}
    return sorted(findings, key=lambda f: (order.get(f.clause_id, 0), f.rule_id))


# ---------------------------------------------------------------------------------------------------- structure

def _out_of_order(seq: list[int]) -> set[int]:
    """Positions in `seq` outside one longest increasing subsequence: the fewest items to move to restore order."""
    if not seq:
        return set()
    best = [1] * len(seq)
    prev = [-1] * len(seq)
    for i in range(len(seq)):
        for j in range(i):
            if seq[j] < seq[i] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    k = max(range(len(seq)), key=lambda i: best[i])
    keep = set()
    while k != -1:
        keep.add(k)
        k = prev[k]
    return set(range(len(seq))) - keep


def chapter_structure(doc: Document, spec: Spec, lay: Layout) -> list[Finding]:
    rid = rule_id("chapter_structure")
    out: list[Finding] = []
    if not doc.clauses:
        return out
    pos = _positions(doc)
    found = sorted((pos[lay.region(k).heading.id], k, lay.region(k).heading)
                   for k in range(len(spec.chapters)) if lay.region(k) is not None)
    if not found:
        names = "、".join(f"第{_cn(k + 1)}章 {ch.title}" for k, ch in enumerate(spec.chapters) if ch.required)
        first = doc.clauses[0]
        out.append(_finding(rid, first, specific=f"未识别出{spec.name}的章节结构（应有：{names}）。",
                            excerpt=first.text, fp_text=f"no-chapters\x00{spec.id}",
                            values={"模板章节": names, "文件章节": "、".join(doc.coverage.chapters) or "（无）"}))
        return out
    present = {k for _, k, _ in found}
    for k, ch in enumerate(spec.chapters):
        if k in present or not ch.required:
            continue
        after = [h for _, kk, h in found if kk > k]
        anchor = after[0] if after else found[-1][2]
        want = f"第{_cn(k + 1)}章 {ch.title}"
        out.append(_finding(rid, anchor, specific=f"缺少“{want}”（{spec.name}）。", excerpt=anchor.label,
                            fp_text=f"missing\x00{title_key(ch.title)}", number=anchor.number,
                            values={"模板章节": want, "文件章节": "（缺失）"}))
    for i in sorted(_out_of_order([k for _, k, _ in found])):
        _, k, h = found[i]
        want = f"第{_cn(k + 1)}章 {spec.chapters[k].title}"
        out.append(_finding(rid, h, specific=f"“{h.label}”的位置与{spec.name}不一致（标准文本中为{want}）。",
                            excerpt=h.label, fp_text=f"order\x00{title_key(spec.chapters[k].title)}",
                            values={"模板章节": want, "文件章节": h.label}))
    # sections of the chapters found
    for _, k, h in found:
        secs = spec.chapters[k].sections
        if not secs:
            continue
        got = sorted((pos[lay.region(k, s).heading.id], s) for s in range(len(secs)) if lay.region(k, s))
        have = {s for _, s in got}
        for s, sec in enumerate(secs):
            if s not in have and sec.required:
                later = [lay.region(k, t).heading for t in range(s + 1, len(secs)) if lay.region(k, t)]
                anchor = later[0] if later else h
                want = f"{spec.chapters[k].title} 第{_cn(s + 1)}节 {sec.title}"
                out.append(_finding(rid, anchor, specific=f"缺少“{want}”（{spec.name}）。", excerpt=anchor.label,
                                    fp_text=f"missing\x00{title_key(spec.chapters[k].title)}/{title_key(sec.title)}",
                                    values={"模板章节": want, "文件章节": "（缺失）"}))
        for i in sorted(_out_of_order([s for _, s in got])):
            s = got[i][1]
            sh = lay.region(k, s).heading
            want = f"第{_cn(s + 1)}节 {secs[s].title}"
            out.append(_finding(rid, sh, specific=f"“{sh.label}”的位置与{spec.name}不一致（标准文本中为{want}）。",
                                excerpt=sh.label, values={"模板章节": want, "文件章节": sh.label},
                                fp_text=f"order\x00{title_key(spec.chapters[k].title)}/{title_key(secs[s].title)}"))
    return out


def _positions(doc: Document) -> dict[str, int]:
    return {c.id: i for i, c in enumerate(doc.clauses)}


# ---------------------------------------------------------------------------------------------------- verbatim

def verbatim_sections(doc: Document, template: Template, lay: Layout) -> list[Finding]:
    out: list[Finding] = []
    for treg in template.regions:
        if treg.mode != Mode.locked.value:
            continue
        region = lay.region(treg.chapter, treg.section)
        if region is None:
            continue  # the whole chapter or section is missing: STD-CHAPTER-STRUCTURE says so once
        out += _verbatim_region(doc, template, treg.key, region)
    return out


def _verbatim_region(doc: Document, template: Template, key: str, region: Region) -> list[Finding]:
    rid = rule_id("verbatim_sections")
    t_all = template.region_clauses(key)
    t_idx = [i for i in t_all if not template.clauses[i].editable]
    spec_part = region.spec
    d_all = body_clauses(doc, region)
    free = editable_ids(doc, d_all, spec_part.editable)
    d_idx = [i for i in d_all if doc.clauses[i].id not in free]
    d_keys = number_keys(doc, d_all)
    tcs = [template.clauses[i] for i in t_idx]
    dcs = [doc.clauses[i] for i in d_idx]
    t_side = Side([c.fp for c in tcs], [skeleton(c.norm) for c in tcs], [c.key for c in tcs])
    d_skel = [skeleton(c.norm) for c in dcs]
    d_side = Side([skeleton_fp(x) for x in d_skel], d_skel, [d_keys.get(c.id) for c in dcs])
    al = align(t_side, d_side)
    where = region.heading.label

    exact = sum(1 for _, _, s in al.pairs if s >= 100.0)
    if len(tcs) >= MIN_CLAUSES_FOR_SHARE and exact < MIN_MATCHED_SHARE * len(tcs):
        h = region.heading
        return [_finding(rid, h, severity=Severity.warning, excerpt=h.label, fp_text=f"region\x00{key}\x00{h.norm}",
                         specific=(f"“{where}”与示范文本的该部分基本不对应（{len(tcs)} 条中仅 {exact} 条相同），"
                                   "可能采用了另一可选文本或另一版本的标准文本，请人工核对。"),
                         values={"模板条款数": str(len(tcs)), "相同条款数": str(exact)})]

    out: list[Finding] = []
    t_pos = {ti: n for n, ti in enumerate(t_idx)}  # template clause index → position in tcs
    paired_t = {i: j for i, j, _ in al.pairs}

    # modified
    for i, j, _score in al.pairs:
        tc, dc = tcs[i], dcs[j]
        if tc.norm == dc.norm or tc.fp == d_side.fps[j]:
            continue  # identical, or differs only in punctuation, width or whitespace
        segs = token_diff(tc.text, tc.norm, dc.text, dc.norm)
        kind = worst_kind(segs)
        if kind not in ("substantive", "wording"):
            continue
        change = summary(segs)
        sev = Severity.error if kind == "substantive" else Severity.warning
        label = "实质性修改" if kind == "substantive" else "文字修改"
        out.append(_finding(
            rid, dc, severity=sev, excerpt=dc.text, fp_text=dc.norm, diff=segs,
            specific=f"{where} {dc.number or ''}与示范文本{tc.number or ''}不一致（{label}：{change}）。".replace("  ", " "),
            matched=[s.document for s in segs if s.kind == kind and s.document],
            values={"模板条款": _label(tc.number, tc.text), "文件条款": dc.label, "变化": change,
                    "修改类型": label},
        ))

    # deleted: one finding per deleted subtree (a clause deleted with its list items is one change)
    deleted = set(al.deleted)
    for i in al.deleted:
        tc = tcs[i]
        parent = t_pos.get(tc.parent) if tc.parent is not None else None
        if parent is not None and parent in deleted:
            continue
        inner = _descendants(template, t_idx, i, deleted)
        anchor_j = max((paired_t[k] for k in paired_t if k < i), default=None)
        anchor = dcs[anchor_j] if anchor_j is not None else region.heading
        text = _label(tc.number, tc.text)
        extra = f"（连同其下 {len(inner)} 项）" if inner else ""
        out.append(_finding(
            rid, anchor, excerpt=text, fp_text=f"deleted\x00{tc.norm}", number=tc.number,
            specific=f"{where}删除了示范文本的条款“{_short(text)}”{extra}。",
            values={"模板条款": text, "文件条款": "（已删除）", "修改类型": "删除"},
            diff=[DiffSegment(op="delete", template=tc.text, document="", kind="substantive")],
        ))

    # added: one finding per added subtree
    added = set(al.added)
    d_pos = {c.id: n for n, c in enumerate(dcs)}
    for j in al.added:
        dc = dcs[j]
        p = d_pos.get(dc.parent_id or "")
        if p is not None and p in added:
            continue
        inner = [k for k in al.added if k != j and _under(dcs, d_pos, k, j)]
        extra = f"（连同其下 {len(inner)} 项）" if inner else ""
        out.append(_finding(
            rid, dc, excerpt=dc.text, fp_text=f"added\x00{dc.norm}",
            specific=f"{where}中增加了示范文本没有的条款“{_short(dc.label)}”{extra}。",
            values={"模板条款": "（无）", "文件条款": dc.label, "修改类型": "增加"},
            diff=[DiffSegment(op="insert", template="", document=dc.text, kind="substantive")],
        ))
    return out


def _label(number: Optional[str], text: str) -> str:
    return f"{number} {text}".strip() if number else text


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _descendants(template: Template, t_idx: list[int], i: int, within: set[int]) -> list[int]:
    """Positions (in the region's compared clauses) under position i that are also in `within`."""
    root = t_idx[i]
    out = []
    for n in within:
        p = template.clauses[t_idx[n]].parent
        while p is not None:
            if p == root:
                out.append(n)
                break
            p = template.clauses[p].parent
    return out


def _under(dcs: list[Clause], d_pos: dict[str, int], k: int, j: int) -> bool:
    p = d_pos.get(dcs[k].parent_id or "")
    while p is not None:
        if p == j:
            return True
        p = d_pos.get(dcs[p].parent_id or "")
    return False


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
    pos = _positions(doc)
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
                    out.append(_finding(rid, c, excerpt=c.text, fp_text=c.norm, matched=[m.group(0)],
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
    return _finding(
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
    pos = _positions(doc)
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
                    out.append(_finding(rid, c, excerpt=c.text, fp_text=c.norm, matched=[blank], number=number,
                                        specific=f"“{_short(c.text)}”中的“{blank}”未填写。",
                                        values={"位置": "前附表"}))
    return out


def unfilled_blanks(doc: Document, spec: Spec, lay: Layout) -> list[Finding]:
    rid = rule_id("blanks_unfilled")
    out: list[Finding] = []
    pos = _positions(doc)
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
                out.append(_finding(rid, c, excerpt=c.text, fp_text=c.norm, matched=[blank], number=number,
                                    specific=f"“{_short(c.text)}”中的“{blank}”未填写。",
                                    values={"位置": "前附表" if c.kind == ClauseKind.table_cell and
                                            region.mode != Mode.special else region.heading.text}))
    return out
