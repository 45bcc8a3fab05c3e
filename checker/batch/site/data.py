"""Everything the static dashboard shows, read once from the results database: the run's summary, every finding
with the page and anchor it lives at, the documents and projects with their pages, the comparison with the run
before, and the trends over the last runs. Plain dicts; pages.py renders them."""
from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Optional

from ...vocab import STAGES
from ..compare import Comparison, previous_comparison
from ..store import Store
from ..summary import Summary, summarize

TREND_RUNS = 12  # runs shown in the trend table
SEVERITIES = ("error", "warning", "info")


def _slug(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def doc_href(path: str) -> str:
    return f"d-{_slug(path)}.html"


def project_href(project_id: str) -> str:
    return f"p-{_slug(project_id)}.html"


def rule_href(rule_id: str) -> str:
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in rule_id)
    return f"r-{safe}-{_slug(rule_id)[:4]}.html"


def stage_href(stage: str) -> str:
    return f"s-{stage if stage in STAGES else 'other'}.html"


@dataclass
class SiteData:
    summary: Summary
    comparison: Optional[Comparison]
    findings: list[dict]  # every finding: rule, severity, stage, where it lives (href + anchor), details
    documents: dict[str, dict]  # path → document row + href + its findings
    projects: dict[str, dict]  # project id → project row + href + documents + findings + report
    trends: list[dict] = field(default_factory=list)
    stages: list[dict] = field(default_factory=list)  # S1..S7 (+ others) with counts by severity
    rules: dict[str, dict] = field(default_factory=dict)  # rule id → title, severity, findings

    def by_stage(self, stage: str) -> list[dict]:
        return [f for f in self.findings if f["stage"] == stage]

    def by_rule(self, rule_id: str) -> list[dict]:
        return [f for f in self.findings if f["rule_id"] == rule_id]


def collect(store: Store, run_id: Optional[int] = None, rules_dir: Optional[str] = None) -> SiteData:
    summary = summarize(store, run_id, rules_dir=rules_dir)
    run = summary.run
    documents = {d["path"]: {**dict(d), "count": d["findings"] or 0, "href": doc_href(d["path"]), "findings": []}
                 for d in store.snapshot(run["id"])}
    projects: dict[str, dict] = {}
    for p in store.project_snapshot(run["id"]):
        row = {**dict(p), "href": project_href(p["project_id"]), "findings": [], "documents": [], "report": None}
        report = store.project_report(p["project_key"], run["rulepack_version"])
        row["report"] = json.loads(report) if report else None
        projects[p["project_id"]] = row
    for d in documents.values():
        if d["project_id"] in projects:
            projects[d["project_id"]]["documents"].append(d)
    details = _details(store, documents, run["rulepack_version"])
    findings = []
    counter: Counter = Counter()
    for f in store.snapshot_findings(run["id"]):
        row = dict(f)
        owner = projects.get(row["project_id"]) if row["scope"] == "project" else documents.get(row["path"])
        if owner is None:
            continue
        counter[owner["href"]] += 1
        row["anchor"] = f"f{counter[owner['href']]}"
        row["href"] = f"{owner['href']}#{row['anchor']}"
        row["owner_href"] = owner["href"]
        row["project_href"] = project_href(row["project_id"]) if row["project_id"] in projects else ""
        row["doc_href"] = owner["href"] if row["scope"] == "document" else ""
        row["detail"] = details.get((row["scope"], row["path"], row["rule_id"], row["fingerprint"]), {})
        if row["scope"] == "project":
            row["detail"] = _project_detail(owner, row)
        row["stage_name"] = STAGES.get(row["stage"] or "", "")
        owner["findings"].append(row)
        findings.append(row)
    return SiteData(summary=summary, comparison=previous_comparison(store, run["id"]), findings=findings,
                    documents=documents, projects=projects, trends=trends(store, run["id"]),
                    stages=_stages(findings), rules=_rules(findings, summary))


def _details(store: Store, documents: dict[str, dict], version: str) -> dict[tuple, dict]:
    """The full text of each document finding (message, basis, suggestion, heading path) from its stored report."""
    out: dict[tuple, dict] = {}
    for path, d in documents.items():
        if d["status"] != "ok" or not d["count"]:
            continue
        r = store.result(d["sha256"], d["rulepack_version"] or version)
        if r is None or not r["report_json"]:
            continue
        report = json.loads(r["report_json"])
        for f in report.get("findings", []):
            out.setdefault(("document", path, f["rule_id"], f["fingerprint"]), {
                "title": f["title"], "message": f["message"], "suggestion": f["suggestion"],
                "basis": "；".join(f"{b.get('law', '')}{b.get('article', '')}" for b in f.get("basis", [])),
                "heading": " › ".join(f.get("heading_path") or []), "excerpt": f["excerpt"],
                "matched": "、".join(f.get("matched") or []),
                "values": "；".join(f"{k}：{v}" for k, v in (f.get("values") or {}).items())})
    return out


def _project_detail(project: dict, row: dict) -> dict:
    report = project.get("report") or {}
    for f in report.get("findings", []):
        if f["rule_id"] == row["rule_id"] and f["fingerprint"] == row["fingerprint"]:
            return {"title": f["title"], "message": f["message"], "suggestion": f["suggestion"],
                    "basis": "；".join(f"{b.get('law', '')}{b.get('article', '')}" for b in f.get("basis", [])),
                    "excerpt": f.get("excerpt", ""), "comparison": (f.get("values") or {}).get("比较", ""),
                    "documents": [{"doc_type": e["doc_type"], "path": e["path"], "what": e["what"],
                                   "value": e["value"]} for e in f.get("documents", [])]}
    return {}


def _stages(findings: list[dict]) -> list[dict]:
    rows = {s: {"stage": s, "name": n, "href": stage_href(s), "findings": 0, "projects": set(), "documents": set(),
                **{k: 0 for k in SEVERITIES}} for s, n in STAGES.items()}
    for f in findings:
        s = f["stage"] if f["stage"] in STAGES else "other"
        row = rows.setdefault(s, {"stage": s, "name": "其他", "href": stage_href(s), "findings": 0,
                                  "projects": set(), "documents": set(), **{k: 0 for k in SEVERITIES}})
        row["findings"] += 1
        row[f["severity"]] = row.get(f["severity"], 0) + 1
        if f["project_id"]:
            row["projects"].add(f["project_id"])
        if f["scope"] == "document":
            row["documents"].add(f["path"])
    return [{**r, "projects": len(r["projects"]), "documents": len(r["documents"])} for r in rows.values()]


def _rules(findings: list[dict], summary: Summary) -> dict[str, dict]:
    titles = {r["rule_id"]: r for r in summary.by_rule}
    out: dict[str, dict] = {}
    for f in findings:
        r = out.setdefault(f["rule_id"], {"rule_id": f["rule_id"], "href": rule_href(f["rule_id"]),
                                          "title": f.get("title") or titles.get(f["rule_id"], {}).get("title", ""),
                                          "severity": f["severity"], "findings": 0, "stages": Counter(),
                                          "documents": set(), "projects": set()})
        r["findings"] += 1
        r["stages"][f["stage"]] += 1
        r["documents"].add(f["path"]) if f["scope"] == "document" else None
        r["projects"].add(f["project_id"]) if f["project_id"] else None
    return dict(sorted(out.items(), key=lambda kv: (-kv[1]["findings"], kv[0])))


def trends(store: Store, run_id: int) -> list[dict]:
    """The last runs up to this one: documents, projects, findings by severity and by stage."""
    runs = store.db.execute("SELECT * FROM runs WHERE id <= ? ORDER BY id DESC LIMIT ?",
                            (run_id, TREND_RUNS)).fetchall()
    out = []
    for run in reversed(runs):
        finds = store.snapshot_findings(run["id"])
        sev = Counter(f["severity"] for f in finds)
        stages: dict[str, int] = defaultdict(int)
        for f in finds:
            stages[f["stage"] or ""] += 1
        out.append({"id": run["id"], "started": run["started"], "status": run["status"],
                    "rulepack_version": run["rulepack_version"], "documents": run["total"],
                    "projects": len(store.project_snapshot(run["id"])), "findings": len(finds),
                    **{k: sev.get(k, 0) for k in SEVERITIES}, "stages": dict(stages)})
    return out
