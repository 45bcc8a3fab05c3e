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


def render_xlsx(report: Report) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = FINDINGS_SHEET
    _bold_header(ws, [c for c, _ in COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, f in enumerate(report.findings, 1):
        waived = f"{f.waived.reason}（{f.waived.approver}，有效至 {f.waived.expires}）" if f.waived else ""
        _append(ws, [
            i, f"{f.stage} {f.stage_name}", SEVERITY_LABEL[f.severity.value], f.rule_id, f.title,
            " › ".join(f.heading_path), f.clause_number or "", f.location.page if f.location.page is not None else "",
            f.location.describe(), f.excerpt, "、".join(f.matched), f.message,
            "\n".join(b.cite() for b in f.basis), f.suggestion,
            "；".join(f"{k}：{v}" for k, v in f.values.items()), waived, f.fingerprint,
        ])
        row = ws.max_row
        for cell in ws[row]:
            cell.alignment = wrap
        ws.cell(row=row, column=3).fill = PatternFill("solid", fgColor=SEVERITY_FILL[f.severity.value])
    for idx, (_, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(idx)].width = width
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(ws.max_row, 1)}"

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
