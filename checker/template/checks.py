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

from typing import Optional, Union


from ..findings import DiffSegment, Finding
from ..models import Clause, Document
from ..rules.schema import Severity
from .align import Side, align
from .diff import summary, token_diff, worst_kind
from .layout import (Layout, Region, body_clauses, editable_ids, layout, number_keys,
                     skeleton, skeleton_fp)
from .model import Template
from .front_table import contradiction, front_table_blanks, front_table_conflicts, unfilled_blanks  # noqa: F401
from .spec import Mode, Spec, title_key
from .texts import _cn, CHECKS, CN_DIGITS, STAGE, check_texts, finding, positions, rule_id, short  # noqa: F401

# A locked part of which fewer than this share of the model's clauses is found unchanged is reported once, as a part
# that does not follow the model (another alternative text, another edition), not clause by clause.
MIN_MATCHED_SHARE = 0.3
MIN_CLAUSES_FOR_SHARE = 10


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
    pos = positions(doc)
    found = sorted((pos[lay.region(k).heading.id], k, lay.region(k).heading)
                   for k in range(len(spec.chapters)) if lay.region(k) is not None)
    if not found:
        names = "、".join(f"第{_cn(k + 1)}章 {ch.title}" for k, ch in enumerate(spec.chapters) if ch.required)
        first = doc.clauses[0]
        out.append(finding(rid, first, specific=f"未识别出{spec.name}的章节结构（应有：{names}）。",
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
        out.append(finding(rid, anchor, specific=f"缺少“{want}”（{spec.name}）。", excerpt=anchor.label,
                            fp_text=f"missing\x00{title_key(ch.title)}", number=anchor.number,
                            values={"模板章节": want, "文件章节": "（缺失）"}))
    for i in sorted(_out_of_order([k for _, k, _ in found])):
        _, k, h = found[i]
        want = f"第{_cn(k + 1)}章 {spec.chapters[k].title}"
        out.append(finding(rid, h, specific=f"“{h.label}”的位置与{spec.name}不一致（标准文本中为{want}）。",
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
                out.append(finding(rid, anchor, specific=f"缺少“{want}”（{spec.name}）。", excerpt=anchor.label,
                                    fp_text=f"missing\x00{title_key(spec.chapters[k].title)}/{title_key(sec.title)}",
                                    values={"模板章节": want, "文件章节": "（缺失）"}))
        for i in sorted(_out_of_order([s for _, s in got])):
            s = got[i][1]
            sh = lay.region(k, s).heading
            want = f"第{_cn(s + 1)}节 {secs[s].title}"
            out.append(finding(rid, sh, specific=f"“{sh.label}”的位置与{spec.name}不一致（标准文本中为{want}）。",
                                excerpt=sh.label, values={"模板章节": want, "文件章节": sh.label},
                                fp_text=f"order\x00{title_key(spec.chapters[k].title)}/{title_key(secs[s].title)}"))
    return out


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
        return [finding(rid, h, severity=Severity.warning, excerpt=h.label, fp_text=f"region\x00{key}\x00{h.norm}",
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
        out.append(finding(
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
        out.append(finding(
            rid, anchor, excerpt=text, fp_text=f"deleted\x00{tc.norm}", number=tc.number,
            specific=f"{where}删除了示范文本的条款“{short(text)}”{extra}。",
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
        out.append(finding(
            rid, dc, excerpt=dc.text, fp_text=f"added\x00{dc.norm}",
            specific=f"{where}中增加了示范文本没有的条款“{short(dc.label)}”{extra}。",
            values={"模板条款": "（无）", "文件条款": dc.label, "修改类型": "增加"},
            diff=[DiffSegment(op="insert", template="", document=dc.text, kind="substantive")],
        ))
    return out


def _label(number: Optional[str], text: str) -> str:
    return f"{number} {text}".strip() if number else text


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




def __getattr__(name: str):
    if name == "RULE_IDS":  # the model-document rules' ids, in the order of CHECKS
        return tuple(rule_id(c) for c in CHECKS)
    raise AttributeError(name)
