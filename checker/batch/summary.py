"""A run's summary from the database: counts by rule, stage, regime and agency, the worst documents, the documents
that could not be read and why, and the trends against the previous run. Plain data; dashboard.py renders it."""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Optional

from .store import Store

WORST = 20


@dataclass
class Totals:
    documents: int = 0
    ok: int = 0
    unreadable: int = 0
    failed: int = 0
    timeout: int = 0
    pending: int = 0  # covered by an interrupted run, no result yet
    findings: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    flagged: int = 0  # documents with at least one error finding
    pages: int = 0


@dataclass
class Summary:
    run: dict
    previous: Optional[dict]
    totals: Totals
    previous_totals: Optional[Totals]
    by_rule: list[dict]  # rule_id, title, severity, findings, documents, previous, delta
    by_stage: list[dict]  # stage, name, findings, errors, warnings, documents
    by_regime: list[dict]  # regime, documents, ok, findings, errors, flagged
    by_agency: list[dict]  # agency, documents, findings, errors, flagged
    by_doc_type: list[dict]
    worst: list[dict]  # path, project_id, agency, errors, warnings, findings, pages
    unreadable: list[dict]  # path, status, error_code, message
    missing: list[str] = field(default_factory=list)


def summarize(store: Store, run_id: Optional[int] = None, titles: Optional[dict[str, tuple[str, str]]] = None,
              rules_dir: Optional[str] = None) -> Summary:
    """The summary of `run_id` (default: the latest run), compared with the run before it. `titles`: rule id →
    (title, severity), from the current rule pack, for display."""
    run = store.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone() if run_id else store.last_run()
    if run is None:
        raise ValueError("结果库中还没有扫描记录")
    prev = store.last_run(before=run["id"])
    titles = titles if titles is not None else _titles(rules_dir)

    docs = store.snapshot(run["id"])
    finds = store.snapshot_findings(run["id"])
    totals = _totals(docs)
    per_rule = Counter(f["rule_id"] for f in finds)
    docs_per_rule: dict[str, set] = defaultdict(set)
    severity_of: dict[str, str] = {}
    for f in finds:
        docs_per_rule[f["rule_id"]].add(f["path"])
        severity_of[f["rule_id"]] = f["severity"]

    prev_totals = None
    prev_rule: Counter = Counter()
    if prev is not None:
        prev_totals = _totals(store.snapshot(prev["id"]))
        prev_rule = Counter(f["rule_id"] for f in store.snapshot_findings(prev["id"]))

    by_rule = []
    for rid in sorted(set(per_rule) | set(prev_rule), key=lambda r: (-per_rule.get(r, 0), r)):
        title, sev = titles.get(rid, ("", severity_of.get(rid, "")))
        by_rule.append({"rule_id": rid, "title": title, "severity": severity_of.get(rid, sev),
                        "findings": per_rule.get(rid, 0), "documents": len(docs_per_rule.get(rid, ())),
                        "previous": prev_rule.get(rid, 0) if prev is not None else None,
                        "delta": per_rule.get(rid, 0) - prev_rule.get(rid, 0) if prev is not None else None})

    from ..rules.schema import STAGES

    stage_rows: dict[str, dict] = {}
    for f in finds:
        row = stage_rows.setdefault(f["stage"] or "-", {"stage": f["stage"] or "-",
                                                         "name": STAGES.get(f["stage"] or "", ""),
                                                         "findings": 0, "errors": 0, "warnings": 0, "docs": set()})
        row["findings"] += 1
        row["errors"] += f["severity"] == "error"
        row["warnings"] += f["severity"] == "warning"
        row["docs"].add(f["path"])
    by_stage = [{**{k: v for k, v in r.items() if k != "docs"}, "documents": len(r["docs"])}
                for _, r in sorted(stage_rows.items())]

    meta = json.loads(run["args"] or "{}")
    return Summary(
        run=dict(run), previous=dict(prev) if prev is not None else None, totals=totals, previous_totals=prev_totals,
        by_rule=by_rule, by_stage=by_stage, by_regime=_group(docs, "regime"), by_agency=_group(docs, "agency"),
        by_doc_type=_group(docs, "doc_type"),
        worst=[{"path": d["path"], "project_id": d["project_id"] or "", "agency": d["agency"] or "",
                "errors": d["errors"], "warnings": d["warnings"], "findings": d["findings"], "pages": d["pages"]}
               for d in sorted((d for d in docs if d["status"] == "ok" and d["findings"]),
                               key=lambda d: (-d["errors"], -d["warnings"], -d["findings"], d["path"]))[:WORST]],
        unreadable=[{"path": d["path"], "status": d["status"], "error_code": d["error_code"] or "",
                     "exit_code": d["exit_code"], "message": d["message"] or ""}
                    for d in docs if d["status"] in ("unreadable", "failed", "timeout")],
        missing=list(meta.get("missing") or []),
    )


def _totals(docs) -> Totals:
    t = Totals(documents=len(docs))
    for d in docs:
        status = d["status"] or "pending"
        setattr(t, status, getattr(t, status) + 1)
        if status == "ok":
            t.findings += d["findings"] or 0
            t.errors += d["errors"] or 0
            t.warnings += d["warnings"] or 0
            t.infos += d["infos"] or 0
            t.flagged += bool(d["errors"])
            t.pages += d["pages"] or 0
    return t


def _group(docs, key: str) -> list[dict]:
    rows: dict[str, dict] = {}
    for d in docs:
        name = d[key] or "（未注明）"
        row = rows.setdefault(name, {key: name, "documents": 0, "ok": 0, "findings": 0, "errors": 0, "warnings": 0,
                                     "flagged": 0, "unreadable": 0})
        row["documents"] += 1
        if d["status"] == "ok":
            row["ok"] += 1
            row["findings"] += d["findings"] or 0
            row["errors"] += d["errors"] or 0
            row["warnings"] += d["warnings"] or 0
            row["flagged"] += bool(d["errors"])
        elif d["status"]:
            row["unreadable"] += 1
    return sorted(rows.values(), key=lambda r: (-r["errors"], -r["findings"], r[key]))


def _titles(rules_dir: Optional[str] = None) -> dict[str, tuple[str, str]]:
    try:
        from pathlib import Path

        from ..rules.loader import load_pack

        return {r.id: (r.title, r.severity.value) for r in load_pack(Path(rules_dir) if rules_dir else None).rules}
    except Exception:  # a broken local pack must not stop a summary of results already written
        return {}
