"""XLSX export for agencies that file findings in spreadsheets: sheet 问题清单 has one row per finding; 概况 the
document and totals; 规则结果 every rule's outcome (ran, missing data, not applicable, with the reason)."""
from __future__ import annotations

import io
from collections import Counter

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..findings import Report
from ..vocab import SEVERITY_LABEL, STAGES

SEVERITY_FILL = {"error": "F8D7DA", "warning": "FFF3CD", "info": "D1ECF1"}
OUTCOME_LABEL = {"flag": "发现问题", "no_flag": "未发现问题", "missing_data": "缺少数据", "not_applicable": "不适用"}

COLUMNS = [  # header, width
    ("序号", 6), ("阶段", 22), ("级别", 8), ("规则", 26), ("问题名称", 28), ("章节", 30), ("条款号", 9),
    ("页码", 6), ("位置", 18), ("原文", 50), ("命中词", 18), ("问题说明", 50), ("法律依据", 50), ("修改建议", 50),
    ("比较的数值", 24), ("豁免", 30), ("指纹", 18),
]
FINDINGS_SHEET = "问题清单"


def _append(ws, values) -> None:
    """Append a row of document text safely: control characters dropped, nothing read as a formula."""
    ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _bold_header(ws, headers) -> None:
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E9ECEF")
    ws.freeze_panes = "A2"


def finding_cells(f) -> list:
    """One finding of a document as a row of 问题清单 (without the 序号)."""
    waived = f"{f.waived.reason}（{f.waived.approver}，有效至 {f.waived.expires}）" if f.waived else ""
    return [f"{f.stage} {f.stage_name}", SEVERITY_LABEL[f.severity.value], f.rule_id, f.title,
            " › ".join(f.heading_path), f.clause_number or "", f.location.page if f.location.page is not None else "",
            f.location.describe(), f.excerpt, "、".join(f.matched), f.message, "\n".join(b.cite() for b in f.basis),
            f.suggestion, "；".join(f"{k}：{v}" for k, v in f.values.items()), waived, f.fingerprint]


def project_finding_cells(f) -> list:
    """A project (cross-document) finding in the same columns: 位置 names the documents it rests on, 原文 the
    comparison."""
    waived = f"{f.waived.reason}（{f.waived.approver}，有效至 {f.waived.expires}）" if f.waived else ""
    page = next((e.location.page for e in f.documents if e.location.page is not None), "")
    docs = "；".join(f"{e.doc_type} {e.path} {e.what}：{e.value}".strip() for e in f.documents)
    return [f"{f.stage} {f.stage_name}", SEVERITY_LABEL[f.severity.value], f.rule_id, f.title, "", "", page, docs,
            f.comparison or f.excerpt, "、".join(f.matched), f.message, "\n".join(b.cite() for b in f.basis),
            f.suggestion, "；".join(f"{k}：{v}" for k, v in f.values.items() if k != "比较"), waived, f.fingerprint]


def findings_sheet(ws, rows, lead: list[tuple[str, int]] = ()) -> None:
    """问题清单 in `ws`: the `lead` columns (e.g. 项目, 文件), then COLUMNS; one row per finding (cells after the
    序号), severity coloured, autofilter over all of it."""
    columns = [COLUMNS[0], *lead, *COLUMNS[1:]]
    _bold_header(ws, [c for c, _ in columns])
    wrap = Alignment(wrap_text=True, vertical="top")
    sev_col = 2 + len(lead) + 1  # 序号, lead…, 阶段, 级别
    for i, cells in enumerate(rows, 1):
        _append(ws, [i, *cells])
        row = ws.max_row
        for cell in ws[row]:
            cell.alignment = wrap
        level = ws.cell(row=row, column=sev_col).value
        fill = next((SEVERITY_FILL[k] for k, v in SEVERITY_LABEL.items() if v == level), None)
        if fill:
            ws.cell(row=row, column=sev_col).fill = PatternFill("solid", fgColor=fill)
    for idx, (_, width) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(idx)].width = width
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(ws.max_row, 1)}"


def render_xlsx(report: Report) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = FINDINGS_SHEET
    findings_sheet(ws, [finding_cells(f) for f in report.findings])

    doc = report.document
    info = wb.create_sheet("概况")
    counts = Counter(f.severity.value for f in report.findings if f.waived is None)
    rows = [
        ("文件", doc.source.path), ("SHA-256", doc.source.sha256), ("文件类型", doc.doc_type),
        ("适用体系", doc.regime), ("采购类别", doc.procurement or ""), ("阶段", f"{doc.stage} {STAGES.get(doc.stage, '')}"),
        ("工具版本", report.tool_version), ("规则包版本", report.rulepack_version),
        ("违法", counts["error"]), ("不合理", counts["warning"]), ("提示", counts["info"]),
        ("已豁免", sum(1 for f in report.findings if f.waived)),
        ("页数", report.coverage.pages or ""), ("条款数", report.coverage.clauses),
        ("前附表", "有" if report.coverage.has_front_table else "未找到"),
        ("评分标准", "有" if report.coverage.has_scoring_table else "未找到"),
    ]
    if report.baseline:
        rows.append(("基线中已有（未列出）", report.baseline.known))
    for r in rows:
        _append(info, list(r))
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 70
    for cell in info["A"]:
        cell.font = Font(bold=True)

    res = wb.create_sheet("规则结果")
    _bold_header(res, ["规则", "结果", "问题数", "原因"])
    for r in report.results:
        _append(res, [r.rule_id, OUTCOME_LABEL[r.outcome.value], r.findings, r.reason])
    for col, width in zip("ABCD", (30, 12, 8, 60)):
        res.column_dimensions[col].width = width

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
