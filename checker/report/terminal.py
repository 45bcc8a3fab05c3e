"""Terminal report with rich: findings grouped by stage, severity colours, the matched words highlighted."""
from __future__ import annotations

import io
from collections import Counter
from typing import Optional

from rich.console import Console
from rich.text import Text

from ..findings import Finding, Outcome, Report
from ..vocab import SEVERITY_LABEL, SEVERITY_ORDER, STAGES
from .spans import find_all

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITY_ORDER)}


def _excerpt(finding: Finding) -> Text:
    text = Text(finding.excerpt)
    for word in finding.matched:
        for a, b in find_all(finding.excerpt, word):
            text.stylize("bold reverse", a, b)
    return text


def _where(finding: Finding) -> str:
    parts = [" › ".join(finding.heading_path)] if finding.heading_path else []
    if finding.clause_number:
        parts.append(finding.clause_number)
    loc = finding.location.describe()
    if loc:
        parts.append(loc)
    return "  ".join(parts) or "全文（文件中没有相应条款）"


def describe_document(doc) -> list[str]:
    """What the document was judged as: type, regime, procedure, procurement, date (and what was not settled)."""
    parts = [doc.doc_type, doc.regime_detail or f"{doc.regime}（是否依法必须招标未载明）"]
    parts.append(doc.procedure or "采购方式未识别")
    if doc.procurement:
        parts.append(doc.procurement)
    parts.append(f"{doc.doc_date.isoformat()}（{doc.date_source}）" if doc.doc_date else "文件日期未识别")
    if doc.model_text:
        parts.append("范本")
    return parts


def render(report: Report, console: Optional[Console] = None, show_missing: bool = True,
           fail_on: str = "error") -> None:
    console = console or Console(highlight=False)
    doc = report.document
    console.print(Text.assemble(("tendercheck ", "bold"), f"{doc.source.path}  ",
                                (" · ".join(describe_document(doc)), "dim"),
                                (f"  规则包 {report.rulepack_version}", "dim")))
    by_stage: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_stage.setdefault(f.stage, []).append(f)
    for stage in STAGES:
        findings = by_stage.get(stage)
        if not findings:
            continue
        console.rule(Text(f"{stage} {STAGES[stage]}（{len(findings)}）", style="bold"))
        for f in findings:
            _finding(console, f)
    if show_missing:
        missing = [r for r in report.results if r.outcome == Outcome.missing_data]
        if missing:
            console.rule(Text(f"未能检查的规则（{len(missing)}）", style="dim"))
            for r in missing:
                console.print(Text(f"  {r.rule_id}：{r.reason}", style="dim"))
    notes = getattr(report, "notes", None) or []
    if notes:
        console.rule(Text(f"说明（{len(notes)}）", style="dim"))
        for n in notes:
            console.print(Text(f"  {n}", style="dim"))
    stale = [w for w in report.waivers if w.status != "applied"]
    if stale:
        console.rule(Text(f"需要处理的豁免（{len(stale)}）", style="yellow"))
        for w in stale:
            what = f"已于 {w.expires} 过期，不再生效" if w.status == "expired" else "未匹配任何问题"
            target = w.fingerprint or f"「{w.clause}」"
            console.print(Text(f"  {w.rule_id} {target}：{what}（{w.approver}：{w.reason}）", style="yellow"))
    console.print(_summary(report, fail_on), soft_wrap=True)


def _finding(console: Console, f: Finding) -> None:
    sev = f.severity.value
    waived = f.waived is not None
    head = Text.assemble((f"[{SEVERITY_LABEL[sev]}] ", "dim" if waived else SEVERITY_STYLE[sev]),
                         (f.rule_id, "bold"), f"  {f.title}")
    if waived:
        head.append("  [已豁免]", style="green")
    console.print(head)
    console.print(Text(f"  位置：{_where(f)}", style="dim"))
    if f.also_at:  # the same text flagged elsewhere too: one finding, every place
        console.print(Text("  另见：" + "；".join(loc.describe() or "全文" for loc in f.also_at), style="dim"))
    console.print(Text("  原文：").append_text(_excerpt(f)))
    if f.diff:
        from ..template import render_inline

        console.print("  差异：" + render_inline(f.diff))
    if f.values:
        console.print("  数值：" + "；".join(f"{k}：{v}" for k, v in f.values.items()))
    console.print(f"  问题：{f.message}")
    console.print(f"  依据：{'；'.join(b.cite() for b in f.basis)}")
    console.print(f"  建议：{f.suggestion}")
    if waived:
        console.print(Text(f"  豁免：{f.waived.reason}（{f.waived.approver}，有效至 {f.waived.expires}）", style="green"))
    console.print(Text(f"  指纹：{f.fingerprint}", style="dim"))
    console.print()


def _summary(report: Report, fail_on: str) -> Text:
    live = [f for f in report.findings if f.waived is None]
    counts = Counter(f.severity.value for f in live)
    outcomes = Counter(r.outcome for r in report.results)
    parts = [f"共 {len(live)} 项：违法 {counts['error']}，不合理 {counts['warning']}，提示 {counts['info']}"]
    if len(live) != len(report.findings):
        parts.append(f"已豁免 {len(report.findings) - len(live)} 项")
    if report.baseline:
        parts.append(f"基线中已有 {report.baseline.known} 项未列出")
    stale = Counter(w.status for w in report.waivers if w.status != "applied")
    if stale:
        parts.append(f"豁免过期 {stale['expired']} 条、未匹配 {stale['unmatched']} 条")
    parts.append(f"运行规则 {outcomes[Outcome.flag] + outcomes[Outcome.no_flag]} 条，"
                 f"缺少数据 {outcomes[Outcome.missing_data]} 条，不适用 {outcomes[Outcome.not_applicable]} 条")
    threshold = SEVERITY_RANK[fail_on]
    failed = any(SEVERITY_RANK[f.severity.value] >= threshold for f in live)
    parts.append(f"{'未通过' if failed else '通过'}（--fail-on {fail_on}）")
    style = "bold red" if counts["error"] else ("yellow" if counts["warning"] else "green")
    return Text("；".join(parts), style=style)


def render_text(report: Report, fail_on: str = "error", width: int = 100) -> str:
    """The terminal report as plain text (for --output FILE or a pipe): no hard wrapping (soft_wrap), so a saved
    report keeps each sentence and excerpt on one line, whole words, whatever the viewer's width; `width` only sizes
    the rules between sections."""
    buf = io.StringIO()
    render(report, Console(file=buf, width=width, no_color=True, highlight=False, force_terminal=False,
                        soft_wrap=True),
           fail_on=fail_on)
    return buf.getvalue()
