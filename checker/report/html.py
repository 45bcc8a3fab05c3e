"""A self-contained HTML report (jinja2, inline CSS, no external assets, no script): a verdict, a summary per stage
and severity, every finding with its clause in context and the matched words highlighted, the legal basis and
suggestion, the template diff where there is one, the rules that could not run, waivers and parse coverage."""
from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path
from typing import Optional

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ..findings import Finding, Outcome, Report
from ..models import Clause, ClauseKind, Document
from ..vocab import DISABLED_REASON, SEVERITY_LABEL, SEVERITY_ORDER as LOWEST_FIRST, STAGES, at_or_above
from .spans import find_all as _find_all

TEMPLATES = Path(__file__).resolve().parent / "templates"
SEVERITY_ORDER = LOWEST_FIRST[::-1]  # highest first, as a reviewer reads
TEMPLATE_KEYS = ("模板条款", "文件条款")  # values of a template finding: the model text and the document's text
CONTEXT_CHARS = 160  # neighbouring clauses are cut to this length

_env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]),
                   trim_blocks=True, lstrip_blocks=True)


# ------------------------------------------------------------------------------------------------------- highlighting


def marked(text: str, sentence: Optional[str] = None, words: tuple[str, ...] | list[str] = ()) -> tuple[Markup, bool]:
    """`text` escaped, the flagged sentence underlined and the matched words in <mark>; also whether anything of the
    finding was found in `text` (False: the caller shows the excerpt on its own)."""
    labels = [0] * len(text)
    lo, hi = 0, len(text)
    found = False
    if sentence:
        at = text.find(sentence)
        if at >= 0:
            lo, hi, found = at, at + len(sentence), True
            labels[lo:hi] = [1] * (hi - lo)
    for w in words:
        spans = _find_all(text, w, lo, hi) or _find_all(text, w)
        for a, b in spans:
            labels[a:b] = [2] * (b - a)
            found = True
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and labels[j] == labels[i]:
            j += 1
        piece = escape(text[i:j])
        out.append(piece if labels[i] == 0 else
                   Markup('<span class="hit">{}</span>').format(piece) if labels[i] == 1 else
                   Markup("<mark>{}</mark>").format(piece))
        i = j
    return Markup("").join(out), found


def _cut(text: str, n: int = CONTEXT_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# ------------------------------------------------------------------------------------------------------------ context


class _Index:
    def __init__(self, doc: Document):
        self.by_id = {c.id: c for c in doc.clauses}
        self.children: dict[Optional[str], list[Clause]] = {}
        for c in doc.clauses:
            self.children.setdefault(c.parent_id, []).append(c)


def _context(f: Finding, index: Optional[_Index]) -> Optional[dict]:
    """The clause around the finding: a table row (header + cells) or the paragraph with its neighbours."""
    if index is None or f.clause_id not in index.by_id:
        return None
    clause = index.by_id[f.clause_id]
    if clause.kind == ClauseKind.table_cell and clause.parent_id:
        return _row_context(f, clause, index)
    siblings = index.children.get(clause.parent_id, [])
    pos = next((i for i, c in enumerate(siblings) if c.id == clause.id), None)
    before = _cut(siblings[pos - 1].label) if pos else None
    after = _cut(siblings[pos + 1].label) if pos is not None and pos + 1 < len(siblings) else None
    html, found = marked(clause.text, f.excerpt, f.matched)
    parent = index.by_id.get(clause.parent_id) if clause.parent_id else None
    return {"kind": "text", "number": clause.number, "html": html, "found": found, "before": before, "after": after,
            "parent": parent.label if parent is not None and parent.kind == ClauseKind.heading else None}


def _cells(index: _Index, row_id: str) -> dict[int, Clause]:
    return {c.location.column or 0: c for c in index.children.get(row_id, []) if c.kind == ClauseKind.table_cell}


def _row_context(f: Finding, clause: Clause, index: _Index) -> dict:
    """The table row of a flagged cell, aligned under the table header. Cells a merged row leaves empty (条款号,
    条款名称 spanning several rows of a 前附表) are carried down from the rows above, shown muted."""
    row = index.by_id.get(clause.parent_id)
    cells = _cells(index, clause.parent_id)
    header = clause.table_header or []
    width = max([len(header), *(k + 1 for k in cells)])
    above = []
    if row is not None:
        rows = [r for r in index.children.get(row.parent_id, []) if r.kind == ClauseKind.table_row]
        pos = next((i for i, r in enumerate(rows) if r.id == row.id), 0)
        above = rows[:pos][::-1]
    out, found = [], False
    for col in range(width):
        c = cells.get(col)
        if c is not None and c.id == clause.id:
            html, found = marked(c.text, f.excerpt, f.matched)
            out.append({"html": html, "hit": True, "carried": False})
        elif c is not None and c.text.strip():
            out.append({"html": escape(c.text), "hit": False, "carried": False})
        else:
            carried = next((cc.text for r in above if (cc := _cells(index, r.id).get(col)) and cc.text.strip()), "")
            out.append({"html": escape(_cut(carried)), "hit": False, "carried": bool(carried)})
    return {"kind": "row", "header": header if len(header) == width else [], "cells": out, "found": found}


# -------------------------------------------------------------------------------------------------------------- diffs


def template_diff(f: Finding) -> Optional[list[dict]]:
    """Segments {op: equal|delete|insert, text, kind} between the template's clause and the document's: the template
    check's `diff` (DiffSegment: op, template, document, kind) where the finding has one, else a character diff of
    the two texts in `values` (模板条款 / 文件条款)."""
    segments = getattr(f, "diff", None)
    if segments:
        out = []
        for s in segments:
            get = s.get if isinstance(s, dict) else (lambda k, d=None, s=s: getattr(s, k, d))
            op, kind = str(get("op") or "equal"), str(get("kind") or "")
            old, new = str(get("template") or ""), str(get("document") or "")
            if op == "equal":
                out.append({"op": "equal", "text": new or old, "kind": kind})
                continue
            if op in ("delete", "replace") and old:
                out.append({"op": "delete", "text": old, "kind": kind})
            if op in ("insert", "replace") and new:
                out.append({"op": "insert", "text": new, "kind": kind})
        return out
    old, new = (f.values.get(k) for k in TEMPLATE_KEYS)
    if old is None or new is None:
        return None
    out = []
    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append({"op": "equal", "text": old[a0:a1], "kind": "equal"})
        if tag in ("delete", "replace"):
            out.append({"op": "delete", "text": old[a0:a1], "kind": ""})
        if tag in ("insert", "replace"):
            out.append({"op": "insert", "text": new[b0:b1], "kind": ""})
    return out


# -------------------------------------------------------------------------------------------------------------- render


def _view(report: Report, doc: Optional[Document], fail_on: str) -> dict:
    index = _Index(doc) if doc is not None else None
    stages: dict[str, list[dict]] = {}
    for f in report.findings:
        excerpt, _ = marked(f.excerpt, None, f.matched)
        diff = template_diff(f)
        values = {k: v for k, v in f.values.items() if not (diff is not None and k in TEMPLATE_KEYS)}
        stages.setdefault(f.stage, []).append({
            "f": f, "sev": f.severity.value, "label": SEVERITY_LABEL[f.severity.value], "excerpt": excerpt,
            "context": _context(f, index), "diff": diff, "vals": values, "where": f.location.describe(),
            "path": [*f.heading_path], "failing": f.waived is None and at_or_above(f, fail_on),
        })
    matrix = []
    for stage in STAGES:
        items = stages.get(stage, [])
        if not items:
            continue
        live = Counter(i["sev"] for i in items if i["f"].waived is None)
        matrix.append({"stage": stage, "name": STAGES[stage], "counts": [live[s] for s in SEVERITY_ORDER],
                       "waived": sum(1 for i in items if i["f"].waived), "total": len(items)})
    live = Counter(f.severity.value for f in report.findings if f.waived is None)
    failing = sum(1 for f in report.findings if f.waived is None and at_or_above(f, fail_on))
    outcomes = Counter(r.outcome for r in report.results)
    return {
        "r": report, "doc": report.document, "fail_on": fail_on, "failing": failing,
        "stages": [(s, STAGES[s], stages[s]) for s in STAGES if s in stages],
        "matrix": matrix, "totals": [live[s] for s in SEVERITY_ORDER],
        "waived": sum(1 for f in report.findings if f.waived), "labels": [SEVERITY_LABEL[s] for s in SEVERITY_ORDER],
        "sev_order": SEVERITY_ORDER,
        "ran": outcomes[Outcome.flag] + outcomes[Outcome.no_flag],
        "missing": [r for r in report.results if r.outcome == Outcome.missing_data],
        "not_applicable": [r for r in report.results if r.outcome == Outcome.not_applicable
                           and r.reason != DISABLED_REASON],
        "disabled": [r for r in report.results if r.reason == DISABLED_REASON],
        "stale_waivers": [w for w in report.waivers if w.status != "applied"],
        "notes": list(getattr(report, "notes", []) or []),
        "facts": [_fact(x) for x in getattr(report, "facts", []) or []],
    }


def _fact(x) -> dict:
    """A typed fact (amount, date, period) as a reviewer reads it; tolerant of the model growing."""
    try:
        shown = x.shown()
    except Exception:  # noqa: BLE001 - a display helper must not break the report
        shown = str(getattr(x, "value", ""))
    loc = getattr(x, "location", None)
    return {"name": getattr(x, "name", ""), "shown": shown, "text": getattr(x, "text", ""),
            "lot": getattr(x, "lot", ""), "where": loc.describe() if loc is not None else "",
            "context": _cut(getattr(x, "context", "") or "", 80)}


def render_html(report: Report, doc: Optional[Document] = None, fail_on: str = "error") -> str:
    return _env.get_template("report.html.j2").render(**_view(report, doc, fail_on))
