"""`scan --site DIR`: the run as a small static site, no server needed — overview → stage → rule → project →
document → finding, every count a link, the comparison with the run before and the trends on the overview.

    index.html        totals, stages S1–S7 (counts link to the stage page, by severity to its sections), the
                      comparison with the previous run per rule, every rule, every project, the trends
    s-S2.html         a stage: its rules, its findings by severity (each links to the finding)
    r-<RULE>-….html   a rule: its findings (project, document, location), what changed since the last run
    p-….html          a project: timeline, documents, the cross-document findings in full
    d-….html          a document: its findings in full (each an anchor #fN)
    files.html        every document, and those that could not be read

From the overview a finding of any stage is two clicks away (stage → finding) or three (stage → rule → finding)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Optional

from ...vocab import STAGES
from ..compare import STATUS_LABEL
from ..dashboard import pct
from ..store import Store
from .data import SEVERITIES, SiteData, collect, doc_href, project_href, rule_href, stage_href
from .pages import TEMPLATES

SEVERITY_LABEL = {"error": "违法", "warning": "不合理", "info": "提示"}
RUN_STATUS = {"done": "已完成", "running": "进行中", "interrupted": "已中断"}


def _env():
    import jinja2

    env = jinja2.Environment(loader=jinja2.DictLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.ChainableUndefined)
    env.globals.update(sev_label=SEVERITY_LABEL, status_label=STATUS_LABEL, run_status=RUN_STATUS,
                       rule_href=rule_href, stage_href=stage_href, doc_href=doc_href, project_href=project_href,
                       stage_codes=list(STAGES), pct=pct)
    return env


def build_site(store: Store, out_dir: Path | str, run_id: Optional[int] = None,
               rules_dir: Optional[str] = None, comparison=None, feedback=None) -> SiteData:
    """`comparison`: shown instead of the one with the run before (`scan --compare OLD.sqlite`); `feedback`:
    checker.feedback.ReviewFeedback (`--review-db`), the reviewers' rates on the rule table and every rule page."""
    data = collect(store, run_id, rules_dir=rules_dir)
    if comparison is not None:
        data.comparison = comparison
    write_site(data, Path(out_dir), feedback)
    return data


def write_site(data: SiteData, out: Path, feedback=None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    env = _env()
    common = {"run": data.summary.run, "s": data.summary, "projects": data.projects, "documents": data.documents,
              "rules": data.rules, "fb": feedback}
    pages: dict[str, str] = {}
    sev_count = Counter(f["severity"] for f in data.findings)
    pages["index.html"] = env.get_template("overview").render(
        **common, t=data.summary.totals, findings=data.findings, sev_count={k: sev_count.get(k, 0) for k in SEVERITIES},
        stages=data.stages, c=data.comparison, trends=data.trends)
    for st in data.stages:
        items = [f for f in data.findings if (f["stage"] if f["stage"] in STAGES else "other") == st["stage"]]
        per_rule = Counter(f["rule_id"] for f in items).most_common()
        pages[st["href"]] = env.get_template("stage").render(**common, stage=st, items=items, per_rule=per_rule)
    diffs = {r.rule_id: r for r in data.comparison.rules} if data.comparison else {}
    for rid in set(data.rules) | {r for r, d in diffs.items() if d.touched}:
        d = diffs.get(rid)
        diff = {"appeared": d.appeared, "vanished": d.vanished, "changed": d.changed} if d and d.touched else None
        pages[rule_href(rid)] = env.get_template("rule").render(**common, rule_id=rid, rule=data.rules.get(rid),
                                                                items=data.by_rule(rid), diff=diff)
    for p in data.projects.values():
        pages[p["href"]] = env.get_template("project").render(**common, p=p, report=p["report"])
    for d in data.documents.values():
        pages[d["href"]] = env.get_template("document").render(**common, d=d)
    pages["files.html"] = env.get_template("files").render(**common)
    written = []
    for name, html in pages.items():
        path = out / name
        path.write_text(html, encoding="utf-8")
        written.append(path)
    return written
