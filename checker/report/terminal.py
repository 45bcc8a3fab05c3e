"""Terminal report with rich: findings grouped by stage, severity colours, the matched words highlighted."""
from __future__ import annotations

from collections import Counter
from typing import Optional

from rich.console import Console
from rich.text import Text

from ..findings import Finding, Outcome, Report
from ..rules.schema import STAGES

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_LABEL = {"error": "违法", "warning": "不合理", "info": "提示"}


def _excerpt(finding: Finding) -> Text:
    text = Text(finding.excerpt)
    for word in finding.matched:
        text.highlight_words([word], style="bold reverse")
    return text


def _where(finding: Finding) -> str:
    parts = [" › ".join(finding.heading_path)] if finding.heading_path else []
    if finding.clause_number:
        parts.append(finding.clause_number)
    loc = finding.location.describe()
    if loc:
        parts.append(loc)
    return "  ".join(parts)


def render(report: Report, console: Optional[Console] = None, show_missing: bool = True) -> None:
    console = console or Console(highlight=False)
    doc = report.document
    console.print(Text.assemble(("tendercheck ", "bold"), f"{doc.source.path}  ",
                                (f"{doc.doc_type} · {doc.regime}" + (f" · {doc.procurement}" if doc.procurement else ""),
                                 "dim"), (f"  规则包 {report.rulepack_version}", "dim")))
    by_stage: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_stage.setdefault(f.stage, []).append(f)
    for stage in STAGES:
        findings = by_stage.get(stage)
        if not findings:
            continue
        console.rule(Text(f"{stage} {STAGES[stage]}（{len(findings)}）", style="bold"))
        for f in findings:
            sev = f.severity.value
            console.print(Text.assemble((f"[{SEVERITY_LABEL[sev]}] ", SEVERITY_STYLE[sev]), (f.rule_id, "bold"),
                                        f"  {f.title}"))
            console.print(Text(f"  位置：{_where(f)}", style="dim"))
            console.print(Text("  原文：").append_text(_excerpt(f)))
            console.print(f"  问题：{f.message}")
            console.print(f"  依据：{'；'.join(b.cite() for b in f.basis)}")
            console.print(f"  建议：{f.suggestion}")
            console.print()
    if show_missing:
        missing = [r for r in report.results if r.outcome == Outcome.missing_data]
        if missing:
            console.rule(Text(f"未能检查的规则（{len(missing)}）", style="dim"))
            for r in missing:
                console.print(Text(f"  {r.rule_id}：{r.reason}", style="dim"))
    counts = Counter(f.severity.value for f in report.findings)
    ran = sum(1 for r in report.results if r.outcome in (Outcome.flag, Outcome.no_flag))
    summary = (f"共 {len(report.findings)} 项：违法 {counts['error']}，不合理 {counts['warning']}，提示 {counts['info']}"
               f"；运行规则 {ran} 条，缺少数据 {sum(1 for r in report.results if r.outcome == Outcome.missing_data)} 条，"
               f"不适用 {sum(1 for r in report.results if r.outcome == Outcome.not_applicable)} 条")
    style = "bold red" if counts["error"] else ("yellow" if counts["warning"] else "green")
    console.print(Text(summary, style=style))
