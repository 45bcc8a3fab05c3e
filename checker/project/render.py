"""The project report as a supervisor reads it: the timeline, then stage by stage the documents of that stage, their
own findings, the project findings (each naming the documents and the values compared), and what could not be
checked and why."""
from __future__ import annotations

import io
from collections import Counter
from typing import Optional

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..findings import Outcome
from ..report.terminal import SEVERITY_LABEL, SEVERITY_RANK, SEVERITY_STYLE
from ..rules.schema import STAGES
from .report import ProjectFinding, ProjectReport


def failing(report: ProjectReport, fail_on: str) -> bool:
    return any(SEVERITY_RANK[s.value] >= SEVERITY_RANK[fail_on] for s in report.all_severities())


def render(report: ProjectReport, console: Optional[Console] = None, fail_on: str = "error",
           show_document_findings: bool = True) -> None:
    console = console or Console(highlight=False)
    p = report.project
    kind = p.regime + (f" · {p.procurement}" if p.procurement and p.procurement != p.regime else "")
    head = Text.assemble(("tendercheck project ", "bold"), f"{p.name}  ", (kind, "dim"))
    if p.state_funded is not None:
        head.append(f" · {'国有资金控股或主导' if p.state_funded else '非国有资金控股'}（{p.state_funded_from}）", style="dim")
    console.print(head)
    console.print(Text(f"  案卷：{p.directory}  文件 {len(report.documents)} 份"
                       + (f"  清单：{p.manifest}" if p.manifest else "")
                       + (f"  项目登记：{p.registration}" if p.registration else "")
                       + f"  规则包 {report.rulepack_version} / 项目规则 {report.project_rulepack_version}",
                       style="dim"))
    _timeline(console, report)
    by_stage: dict[str, list[ProjectFinding]] = {}
    for f in report.findings:
        by_stage.setdefault(f.stage, []).append(f)
    missing_by_stage: dict[str, list] = {}
    for r in report.results:
        if r.outcome == Outcome.missing_data:
            missing_by_stage.setdefault(report.rule_stages.get(r.rule_id, "S1"), []).append(r)
    for stage, name in STAGES.items():
        _stage(console, report, stage, name, by_stage.get(stage, []), missing_by_stage.get(stage, []),
               show_document_findings)
    if report.notes:
        console.rule(Text(f"说明（{len(report.notes)}）", style="dim"))
        for n in report.notes:
            console.print(Text(f"  {n}", style="dim"))
    console.print(_summary(report, fail_on), soft_wrap=True)


def _stage(console: Console, report: ProjectReport, stage: str, name: str, findings: list[ProjectFinding],
           missing: list, show_document_findings: bool) -> None:
    """One stage: its documents (with their own findings), missing documents, project findings, rules not run."""
    p = report.project
    docs = [d for d in report.documents if d.stage == stage]
    doc_findings = sum(len(d.findings) for d in docs)
    missing_docs = report.missing_documents.get(stage, [])
    label = ("项目登记：" + ("已提供" if p.registration else "未提供")) if stage == "S1" else f"文件 {len(docs)} 份"
    console.rule(Text(f"{stage} {name}（{label}，问题 {len(findings) + doc_findings} 项）", style="bold"))
    for d in docs:
        _document(console, d, show_document_findings)
    if missing_docs:
        console.print(Text(f"  缺少文件：{'、'.join(missing_docs)}", style="yellow"))
    if stage == "S5" and not docs and p.regime == "政府采购":
        console.print(Text("  政府采购项目：评审报告送交采购人后直接确定中标供应商，无中标候选人公示环节", style="dim"))
    for f in findings:
        _finding(console, f)
    for r in missing:
        console.print(Text(f"  未能检查 {r.rule_id}：{r.reason}", style="dim"))
    console.print()


def _document(console: Console, d, show_findings: bool) -> None:
    line = Text(f"  {d.doc_type}  ", style="bold")
    line.append(d.path)
    line.append(f"  [{d.type_from}]", style="dim")
    if d.dates:
        line.append("  " + "；".join(f"{_DATE_LABEL.get(k, k)} {v.replace('T', ' ')}" for k, v in d.dates.items()),
                    style="dim")
    if d.error:
        line.append(f"  无法读取：{d.error}", style="bold red")
    console.print(line)
    if not show_findings:
        return
    for f in d.findings:
        sev = f.severity.value
        t = Text(f"    [{SEVERITY_LABEL[sev]}] ", style="dim" if f.waived else SEVERITY_STYLE[sev])
        t.append(f.rule_id, style="bold")
        t.append(f"  {f.title}")
        where = " ".join(x for x in (f.clause_number or "", f.location.describe()) if x)
        if where:
            t.append(f"  {where}", style="dim")
        console.print(t)
        console.print(Text(f"      原文：{f.excerpt}"))
        if f.values.get("比较"):
            console.print(f"      数值：{f.values['比较']}")


_DATE_LABEL = {"issued": "发出/发布", "determined": "确定中标", "publicity_start": "公示开始", "publicity_end": "公示结束",
               "report": "评标报告", "signed": "签订", "published": "合同公告", "refund": "退还", "deadline": "截止"}


def _timeline(console: Console, report: ProjectReport) -> None:
    if not report.timeline:
        console.print(Text("  时间线：案卷中未找到可排列的日期", style="dim"))
        return
    table = Table(title="项目时间线", title_justify="left", show_edge=False, pad_edge=False, box=None)
    table.add_column("日期", no_wrap=True)
    table.add_column("阶段", no_wrap=True)
    table.add_column("事项")
    table.add_column("文件", style="dim")
    for e in report.timeline:
        table.add_row(e.date.replace("T", " "), e.stage, e.event + (f"（{e.note}）" if e.note else ""), e.path)
    console.print(table)


def _finding(console: Console, f: ProjectFinding) -> None:
    sev = f.severity.value
    console.print(Text.assemble((f"  [{SEVERITY_LABEL[sev]}] ", SEVERITY_STYLE[sev]), (f.rule_id, "bold"),
                                f"  {f.title}"))
    if f.comparison:
        console.print(Text("    比较：").append(f.comparison, style="bold"))
    for k, v in f.values.items():
        if k not in ("比较", "说明") and v not in f.comparison:
            console.print(Text(f"    {k}：{v}", style="dim"))
    for d in f.documents:
        where = d.location.describe()
        console.print(Text(f"    文件：{d.doc_type} {d.path}" + (f" {where}" if where else "") + f"  {d.what}：{d.value}",
                           style="dim"))
    if f.values.get("说明"):
        console.print(Text(f"    说明：{f.values['说明']}", style="yellow"))
    console.print(f"    问题：{f.message}")
    console.print(f"    依据：{'；'.join(b.cite() for b in f.basis)}")
    console.print(f"    建议：{f.suggestion}")


def _summary(report: ProjectReport, fail_on: str) -> Text:
    counts = Counter(f.severity.value for f in report.findings)
    doc_counts = Counter(f.severity.value for d in report.documents for f in d.findings if f.waived is None)
    outcomes = Counter(r.outcome for r in report.results)
    unreadable = [d for d in report.documents if d.error]
    parts = [f"项目规则问题 {len(report.findings)} 项：违法 {counts['error']}，不合理 {counts['warning']}，提示 {counts['info']}",
             f"各文件条款问题 {sum(doc_counts.values())} 项：违法 {doc_counts['error']}，不合理 {doc_counts['warning']}，"
             f"提示 {doc_counts['info']}",
             f"项目规则 运行 {outcomes[Outcome.flag] + outcomes[Outcome.no_flag]} 条，缺少数据 {outcomes[Outcome.missing_data]} 条，"
             f"不适用 {outcomes[Outcome.not_applicable]} 条"]
    if unreadable:
        parts.append(f"无法读取的文件 {len(unreadable)} 份")
    failed = failing(report, fail_on)
    parts.append(f"{'未通过' if failed else '通过'}（--fail-on {fail_on}）")
    style = "bold red" if counts["error"] or doc_counts["error"] else (
        "yellow" if counts["warning"] or doc_counts["warning"] else "green")
    return Text("；".join(parts), style=style)


def render_text(report: ProjectReport, fail_on: str = "error", width: int = 110) -> str:
    buf = io.StringIO()
    render(report, Console(file=buf, width=width, no_color=True, highlight=False, force_terminal=False,
                        soft_wrap=True),
           fail_on=fail_on)
    return buf.getvalue()
