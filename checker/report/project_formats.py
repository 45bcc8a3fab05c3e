"""`tendercheck project --format html|xlsx|sarif`: the project report in the formats `check` has, with the same look.

- html: one self-contained page in the style of `check`'s report (its stylesheet, read from report.html.j2, so the
  two never drift): verdict, summary per stage and severity (project and document findings), the timeline, then
  stage by stage the documents and every finding — the cross-document ones with the comparison and each document's
  value — missing documents, rules that could not run, notes.
- xlsx: 问题清单 (`check`'s columns after 文件; a project finding's 位置 names its documents), 时间线, 文件, 规则结果.
- sarif: SARIF 2.1.0, one artifact per document; a document finding located in its document as `check` does, a
  project finding located in every document it rests on (the first as its location, the others related).
"""
from __future__ import annotations

import io
import json
import re
from collections import Counter
from pathlib import Path

from ..findings import Outcome
from ..project.report import ProjectFinding, ProjectReport
from ..rules.schema import STAGES
from .gate import at_or_above

TEMPLATES = Path(__file__).resolve().parent / "templates"
SEVERITY_LABEL = {"error": "违法", "warning": "不合理", "info": "提示"}
SEVERITY_ORDER = ["error", "warning", "info"]
OUTCOME_LABEL = {"flag": "发现问题", "no_flag": "未发现问题", "missing_data": "缺少数据", "not_applicable": "不适用"}


def _style() -> str:
    text = (TEMPLATES / "report.html.j2").read_text(encoding="utf-8")
    m = re.search(r"<style>(.*?)</style>", text, re.S)
    return m.group(1) if m else ""


def _failing(f, fail_on: str) -> bool:
    return f.waived is None and at_or_above(f, fail_on)


def _view(report: ProjectReport, fail_on: str) -> dict:
    stages = []
    live: Counter = Counter()
    matrix = []
    for stage, name in STAGES.items():
        docs = [d for d in report.documents if d.stage == stage]
        project = [f for f in report.findings if f.stage == stage]
        counts = Counter(f.severity.value for f in project if f.waived is None)
        counts += Counter(f.severity.value for d in docs for f in d.findings if f.waived is None)
        live += counts
        missing = [r for r in report.results if r.outcome == Outcome.missing_data
                   and report.rule_stages.get(r.rule_id, "S1") == stage]
        total = len(project) + sum(len(d.findings) for d in docs)
        matrix.append({"stage": stage, "name": name, "counts": [counts[s] for s in SEVERITY_ORDER], "total": total})
        stages.append({"stage": stage, "name": name, "docs": docs, "project": project, "missing": missing,
                       "missing_docs": report.missing_documents.get(stage, []), "total": total})
    failing = sum(1 for f in report.findings if _failing(f, fail_on)) + sum(
        1 for d in report.documents for f in d.findings if _failing(f, fail_on))
    return {"r": report, "p": report.project, "fail_on": fail_on, "failing": failing, "stages": stages,
            "matrix": matrix, "totals": [live[s] for s in SEVERITY_ORDER], "labels": SEVERITY_LABEL,
            "style": _style(), "unreadable": [d for d in report.documents if d.error]}


def render_project_html(report: ProjectReport, fail_on: str = "error") -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    return env.get_template("project.html.j2").render(**_view(report, fail_on))


# ----------------------------------------------------------------------------------------------------------- xlsx


def render_project_xlsx(report: ProjectReport) -> bytes:
    from openpyxl import Workbook

    from .xlsx import FINDINGS_SHEET, _append, _bold_header, finding_cells, findings_sheet, project_finding_cells

    wb = Workbook()
    ws = wb.active
    ws.title = FINDINGS_SHEET
    rows = [["（项目）", *project_finding_cells(f)] for f in report.findings]
    rows += [[d.path, *finding_cells(f)] for d in report.documents for f in d.findings]
    findings_sheet(ws, rows, lead=[("文件", 30)])
    tl = wb.create_sheet("时间线")
    _bold_header(tl, ["日期", "阶段", "事项", "文件类型", "文件", "说明"])
    for e in report.timeline:
        _append(tl, [e.date.replace("T", " "), f"{e.stage} {STAGES.get(e.stage, '')}", e.event, e.doc_type, e.path,
                     e.note])
    docs = wb.create_sheet("文件")
    _bold_header(docs, ["阶段", "文件类型", "文件", "类型依据", "体系", "页数", "问题", "无法读取的原因"])
    for d in report.documents:
        _append(docs, [f"{d.stage} {d.stage_name}", d.doc_type, d.path, d.type_from, d.regime or "", d.pages or "",
                       len(d.findings), d.error or ""])
    res = wb.create_sheet("规则结果")
    _bold_header(res, ["规则", "阶段", "结果", "问题数", "原因"])
    for r in report.results:
        _append(res, [r.rule_id, report.rule_stages.get(r.rule_id, ""), OUTCOME_LABEL[r.outcome.value], r.findings,
                      r.reason])
    for sheet, widths in ((tl, (18, 16, 30, 14, 36, 30)), (docs, (16, 14, 36, 8, 10, 6, 6, 40)),
                          (res, (34, 6, 12, 8, 60))):
        for i, w in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + i)].width = w
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------------------- sarif


def project_sarif_log(report: ProjectReport, fail_on: str = "error") -> dict:
    from .sarif import LEVEL, SARIF_SCHEMA, _result, _rule_descriptor, artifact_uri

    docs = {d.path: i for i, d in enumerate(report.documents)}
    descriptors: dict[str, dict] = {}
    for f in [*report.findings, *(f for d in report.documents for f in d.findings)]:
        if f.rule_id not in descriptors:
            descriptors[f.rule_id] = _rule_descriptor(f.rule_id, f.title, f.message, f.suggestion, f.basis,
                                                      f.severity.value, [f.stage])
    rule_index = {rid: i for i, rid in enumerate(descriptors)}
    results = []
    for d in report.documents:
        for f in d.findings:
            r = _result(f, rule_index, artifact_uri(d.path), False)
            for loc in r["locations"]:
                loc["physicalLocation"]["artifactLocation"]["index"] = docs[d.path]
            for rel in r.get("relatedLocations", []):
                rel["physicalLocation"]["artifactLocation"]["index"] = docs[d.path]
            results.append(r)
    results += [_project_result(f, rule_index, docs, LEVEL, artifact_uri) for f in report.findings]
    notifications = [{"level": "warning", "message": {"text": f"规则未能检查：{r.reason}"},
                      "descriptor": {"id": "missing-data"},
                      "associatedRule": {"id": r.rule_id, **({"index": rule_index[r.rule_id]}
                                                             if r.rule_id in rule_index else {})}}
                     for r in report.results if r.outcome == Outcome.missing_data]
    notifications += [{"level": "error", "message": {"text": f"{d.path}：无法读取（{d.error}）"},
                       "descriptor": {"id": "unreadable"}} for d in report.documents if d.error]
    run = {
        "tool": {"driver": {"name": "tendercheck", "version": report.tool_version, "rules": list(descriptors.values()),
                            "properties": {"rulePackVersion": report.rulepack_version,
                                           "projectRulePackVersion": report.project_rulepack_version}}},
        "artifacts": [{"location": {"uri": artifact_uri(d.path)},
                       **({"hashes": {"sha-256": d.sha256}} if d.sha256 else {}),
                       "properties": {"docType": d.doc_type, "stage": d.stage, "format": d.format,
                                      "pages": d.pages}} for d in report.documents],
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications,
                         "properties": {"failOn": fail_on}}],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {"project": report.project.model_dump(mode="json"),
                       "timeline": [e.model_dump(mode="json") for e in report.timeline],
                       "ruleResults": [r.model_dump(mode="json") for r in report.results]},
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _project_result(f: ProjectFinding, rule_index: dict, docs: dict, level: dict, artifact_uri) -> dict:
    locations = []
    for e in f.documents:
        if e.path not in docs:
            continue
        phys = {"artifactLocation": {"uri": artifact_uri(e.path), "index": docs[e.path]}}
        props = {k: v for k, v in e.location.model_dump().items() if v is not None}
        region = {"snippet": {"text": e.excerpt or e.value}}
        if e.location.paragraph is not None:
            phys["region"] = {"startLine": e.location.paragraph + 1, **region, "properties": props}
        else:
            phys["properties"] = props | {"snippet": e.excerpt or e.value}
        locations.append({"physicalLocation": phys, "message": {"text": f"{e.doc_type} {e.what}：{e.value}"}})
    text = f"{f.title}：{f.message}" + (f"（{f.comparison}）" if f.comparison else "")
    result = {"ruleId": f.rule_id, "ruleIndex": rule_index[f.rule_id],
              "kind": "fail" if f.severity.value == "error" else "review",
              "level": level["error"] if f.severity.value == "error" else "none", "message": {"text": text},
              "locations": locations[:1],
              "partialFingerprints": {"tendercheck/v1": f.fingerprint},
              "properties": {"severity": f.severity.value, "stage": f.stage, "stageName": f.stage_name,
                             "scope": "project", "values": f.values, "suggestion": f.suggestion,
                             "basis": [b.cite() for b in f.basis]}}
    if len(locations) > 1:
        result["relatedLocations"] = [{"id": i, **loc} for i, loc in enumerate(locations[1:], start=1)]
    if f.waived is not None:
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": f.waived.reason}]
    return result


def render_project_sarif(report: ProjectReport, fail_on: str = "error") -> str:
    return json.dumps(project_sarif_log(report, fail_on), ensure_ascii=False, indent=1) + "\n"


def render_project(report: ProjectReport, fmt: str, fail_on: str = "error") -> str | bytes:
    if fmt == "html":
        return render_project_html(report, fail_on)
    if fmt == "xlsx":
        return render_project_xlsx(report)
    if fmt == "sarif":
        return render_project_sarif(report, fail_on)
    return report.model_dump_json(indent=1) + "\n"
