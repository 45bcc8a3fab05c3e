"""JUnit XML for CI systems that read nothing else: one test suite per document, one test case per rule.

A rule's test case fails when it has findings at or above --fail-on that are not waived (exactly what makes the exit
code 1); findings below the threshold and waived ones are listed in its system-out. Rules that did not run (not
applicable, disabled in the configuration, or missing data) are skipped with the reason.

A test's identity never depends on the outcome, so a CI history sees the same tests run after run: the name is the
rule id and the rule's title from the rule pack, the classname `tendercheck.<the rule's first stage>` from the pack
(a rule outside it, such as a template check: `tendercheck.<its id's family>`); the outcome is only in the result.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from functools import lru_cache
from typing import Optional

from ..findings import Finding, Outcome, Report
from ..rules.loader import RulePack
from ..vocab import STAGES, at_or_above

SEVERITY_LABEL = {"error": "违法", "warning": "不合理", "info": "提示"}
OUTCOME_LABEL = {"missing_data": "缺少数据", "not_applicable": "不适用"}


@lru_cache(maxsize=1)
def _bundled() -> dict[str, tuple[str, str]]:
    from ..rules.loader import load_pack

    try:
        return {r.id: (r.title, r.stages[0] if r.stages else "") for r in load_pack().rules}
    except Exception:  # noqa: BLE001 - a report must not fail on the bundled pack
        return {}


def identity(rule_id: str, pack: Optional[RulePack]) -> tuple[str, str]:
    """(name, classname) of a rule's test case, the same whatever the outcome."""
    known = {r.id: (r.title, r.stages[0] if r.stages else "") for r in pack.rules} if pack is not None else {}
    title, stage = known.get(rule_id) or _bundled().get(rule_id) or ("", "")
    return f"{rule_id} {title}".strip(), f"tendercheck.{stage or rule_id.split('-')[0]}"


def _describe(f: Finding) -> str:
    where = " › ".join([*f.heading_path, *([f.clause_number] if f.clause_number else [])])
    loc = f.location.describe()
    lines = [f"[{SEVERITY_LABEL[f.severity.value]}] {f.rule_id} {f.title}",
             f"位置：{where}  {loc}".rstrip(),
             f"原文：{f.excerpt}",
             f"问题：{f.message}",
             f"依据：{'；'.join(b.cite() for b in f.basis)}",
             f"建议：{f.suggestion}",
             f"指纹：{f.fingerprint}"]
    if f.waived:
        lines.append(f"已豁免：{f.waived.reason}（{f.waived.approver}，有效至 {f.waived.expires}）")
    return "\n".join(lines)


def junit_tree(report: Report, fail_on: str = "error", pack: Optional[RulePack] = None) -> ET.Element:
    doc = report.document
    by_rule: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_rule.setdefault(f.rule_id, []).append(f)
    results = {r.rule_id: r for r in report.results}
    rule_ids = sorted(set(results) | set(by_rule))

    suite = ET.Element("testsuite", name=doc.source.path, file=doc.source.path)
    props = ET.SubElement(suite, "properties")
    for name, value in [("tool_version", report.tool_version), ("rulepack_version", report.rulepack_version),
                        ("sha256", doc.source.sha256), ("doc_type", doc.doc_type), ("regime", doc.regime),
                        ("stage", doc.stage), ("fail_on", fail_on)]:
        ET.SubElement(props, "property", name=name, value=str(value))
    failures = skipped = 0
    for rid in rule_ids:
        findings = by_rule.get(rid, [])
        name, classname = identity(rid, pack)
        case = ET.SubElement(suite, "testcase", name=name, classname=classname, file=doc.source.path)
        failing = [f for f in findings if f.waived is None and at_or_above(f, fail_on)]
        others = [f for f in findings if f not in failing]
        result = results.get(rid)
        if failing:
            failures += 1
            worst = max(failing, key=lambda f: f.severity.rank)
            el = ET.SubElement(case, "failure", type=worst.severity.value,
                               message=f"{len(failing)} 处：{worst.title}（{STAGES.get(worst.stage, worst.stage)}）")
            el.text = "\n\n".join(_describe(f) for f in failing)
        elif result is not None and result.outcome in (Outcome.missing_data, Outcome.not_applicable) and not findings:
            skipped += 1
            ET.SubElement(case, "skipped", message=f"{OUTCOME_LABEL[result.outcome.value]}：{result.reason}")
        if others:
            ET.SubElement(case, "system-out").text = "\n\n".join(_describe(f) for f in others)
    suite.set("tests", str(len(rule_ids)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    root = ET.Element("testsuites", name="tendercheck", tests=str(len(rule_ids)), failures=str(failures),
                      errors="0", skipped=str(skipped))
    root.append(suite)
    return root


def render_junit(report: Report, fail_on: str = "error", pack: Optional[RulePack] = None) -> str:
    root = junit_tree(report, fail_on, pack)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
