"""SARIF 2.1.0 (validated against the OASIS schema in the tests).

- `tool.driver.rules`: every rule of the pack (or, without the pack, every rule with a finding), with the title as
  `shortDescription`, the message as `fullDescription`, the suggestion and legal basis as `help`, and tags.
- One result per finding. Only 违法 (error) findings fail (`kind: "fail"`, `level: "error"`). 不合理 (warning) and
  提示 (info) findings are judgement calls a reviewer settles: they are `kind: "review"`, which SARIF §3.27.9 requires
  to carry `level: "none"`; their severity stays in `properties.severity` and in the rule's `defaultConfiguration`.
- Location: `physicalLocation.artifactLocation.uri` is the document; its `region.startLine` is the source paragraph
  (block) number — the 段N that the text report prints — with the excerpt as `snippet` and page / table / row /
  column in `region.properties`. `logicalLocations` carry the heading path and clause number.
- `partialFingerprints["tendercheck/v1"]` is the finding's fingerprint (rule id + normalised clause text), stable
  across re-parses and page shifts; `--baseline` accepts a SARIF file and reads it back from there.
- Waived findings carry a SARIF `suppressions` entry (external, accepted, with the reason); rules that could not run
  and stale waivers are `toolExecutionNotifications`.
"""
from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Optional
from urllib.parse import quote

from ..findings import Finding, Outcome, Report
from ..rules.loader import RulePack
from ..vocab import STAGES

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "tendercheck/v1"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str) -> str:
    """A valid URI reference for a file path, Chinese names and spaces percent-encoded."""
    p = path.replace("\\", "/")
    if PurePosixPath(p).is_absolute():
        return "file://" + quote(p)
    return quote(p)


def _basis_lines(basis) -> list[str]:
    lines = []
    for b in basis:
        line = b.cite()
        if b.quote:
            line += f"：“{b.quote}”"
        lines.append(line)
    return lines


def _rule_descriptor(rule_id: str, title: str, message: str, suggestion: str, basis, severity: str,
                     stages: list[str], regime: Optional[str] = None) -> dict:
    basis_lines = _basis_lines(basis)
    help_text = f"建议：{suggestion}\n依据：\n" + "\n".join(f"- {x}" for x in basis_lines)
    tags = [rule_id.split("-")[0], *[f"{s} {STAGES.get(s, '')}".strip() for s in stages]]
    if regime:
        tags.append(regime)
    if severity == "warning":
        tags.append("review")
    return {
        "id": rule_id,
        "name": rule_id,
        "shortDescription": {"text": title},
        "fullDescription": {"text": message},
        "help": {"text": help_text,
                 "markdown": f"**建议**：{suggestion}\n\n**依据**：\n\n" + "\n".join(f"- {x}" for x in basis_lines)},
        "defaultConfiguration": {"level": LEVEL[severity]},
        "properties": {"tags": tags, "severity": severity,
                       "basis": [b.model_dump(mode="json", exclude_none=True) for b in basis]},
    }


def _rules(report: Report, pack: Optional[RulePack]) -> list[dict]:
    descriptors: dict[str, dict] = {}
    if pack is not None:
        for r in sorted(pack.rules, key=lambda r: r.id):
            descriptors[r.id] = _rule_descriptor(r.id, r.title, r.message, r.suggestion, r.basis, r.severity.value,
                                                 r.stages, r.regime.value)
    for f in report.findings:  # rules outside the pack (template checks) or when no pack was given
        if f.rule_id not in descriptors:
            descriptors[f.rule_id] = _rule_descriptor(f.rule_id, f.title, f.message, f.suggestion, f.basis,
                                                      f.severity.value, [f.stage])
    return list(descriptors.values())


def _result(f: Finding, rule_index: dict[str, int], uri: str, baseline: bool) -> dict:
    loc = f.location
    region: dict = {"snippet": {"text": f.excerpt}}
    if loc.paragraph is not None:
        region = {"startLine": loc.paragraph + 1, **region}
    region_props = {k: v for k, v in loc.model_dump().items() if v is not None}
    if f.matched:
        region_props["matched"] = f.matched
    region["properties"] = region_props
    physical: dict = {"artifactLocation": {"uri": uri, "index": 0}}
    if "startLine" in region:
        physical["region"] = region
    else:
        physical["properties"] = region_props | {"snippet": f.excerpt}
    path = [*f.heading_path, *([f.clause_number] if f.clause_number else [])]
    logical = {"name": f.clause_number or (f.heading_path[-1] if f.heading_path else f.clause_id),
               "fullyQualifiedName": " › ".join(path) or f.clause_id, "kind": "clause",
               "properties": {"clauseId": f.clause_id}}
    text = f"{f.title}：{f.message}"
    result: dict = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index[f.rule_id],
        "kind": "fail" if f.severity.value == "error" else "review",
        "level": LEVEL["error"] if f.severity.value == "error" else "none",
        "message": {"text": text},
        "locations": [{"physicalLocation": physical, "logicalLocations": [logical]}],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"severity": f.severity.value, "stage": f.stage, "stageName": f.stage_name,
                       "suggestion": f.suggestion, "basis": [b.cite() for b in f.basis],
                       **({"values": f.values} if f.values else {})},
    }
    if f.also_at:  # the same text flagged elsewhere (a row repeated on every page): one result, every place
        result["relatedLocations"] = [
            {"id": k + 1, "message": {"text": other.describe() or "全文"},
             "physicalLocation": {"artifactLocation": {"uri": uri, "index": 0},
                                  **({"region": {"startLine": other.paragraph + 1}}
                                     if other.paragraph is not None else {})}}
            for k, other in enumerate(f.also_at)]
    if baseline:
        result["baselineState"] = "new"
    if f.waived is not None:
        result["suppressions"] = [{
            "kind": "external", "status": "accepted", "justification": f.waived.reason,
            "properties": {"approver": f.waived.approver, "expires": f.waived.expires.isoformat()},
        }]
    return result


def sarif_log(report: Report, pack: Optional[RulePack] = None, fail_on: str = "error") -> dict:
    doc = report.document
    rules = _rules(report, pack)
    rule_index = {r["id"]: i for i, r in enumerate(rules)}
    uri = artifact_uri(doc.source.path)
    notifications = []
    for r in report.results:
        if r.outcome == Outcome.missing_data:
            ref = {"id": r.rule_id, **({"index": rule_index[r.rule_id]} if r.rule_id in rule_index else {})}
            notifications.append({"level": "warning", "message": {"text": f"规则未能检查：{r.reason}"},
                                  "descriptor": {"id": "missing-data"}, "associatedRule": ref})
    for w in report.waivers:
        if w.status != "applied":
            what = f"豁免已于 {w.expires} 过期" if w.status == "expired" else "豁免未匹配任何问题"
            notifications.append({"level": "warning", "message": {"text": f"{w.rule_id}：{what}（{w.reason}）"},
                                  "descriptor": {"id": f"waiver-{w.status}"},
                                  "properties": w.model_dump(mode="json", exclude_none=True)})
    run = {
        "tool": {"driver": {
            "name": "tendercheck",
            "version": report.tool_version,
            "rules": rules,
            "properties": {"rulePackVersion": report.rulepack_version},
        }},
        "artifacts": [{
            "location": {"uri": uri},
            "length": doc.source.size,
            "hashes": {"sha-256": doc.source.sha256},
            "properties": {"format": doc.source.format.value, "pages": doc.source.page_count},
        }],
        "invocations": [{
            "executionSuccessful": True,
            "toolExecutionNotifications": notifications,
            "properties": {"failOn": fail_on},
        }],
        "results": [_result(f, rule_index, uri, report.baseline is not None) for f in report.findings],
        "columnKind": "unicodeCodePoints",
        "properties": {
            "reportSchemaVersion": report.schema_version,
            "document": {"path": doc.source.path, "sha256": doc.source.sha256, "docType": doc.doc_type,
                         "regime": doc.regime, "procurement": doc.procurement, "stage": doc.stage,
                         "regimeDetail": doc.regime_detail, "procedure": doc.procedure,
                         "documentDate": doc.doc_date.isoformat() if doc.doc_date else None,
                         "dateSource": doc.date_source, "modelText": doc.model_text},
            "coverage": report.coverage.model_dump(mode="json"),
            "ruleResults": [r.model_dump(mode="json") for r in report.results],
            **({"baseline": report.baseline.model_dump(mode="json")} if report.baseline else {}),
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render_sarif(report: Report, pack: Optional[RulePack] = None, fail_on: str = "error") -> str:
    return json.dumps(sarif_log(report, pack, fail_on), ensure_ascii=False, indent=1) + "\n"
