"""Every finding of a run in full, read back from the stored reports: the rows of the scan workbook's 问题明细, in
the columns of `check`'s 问题清单 after 项目 and 文件 (a project's cross-document findings under its folder)."""
from __future__ import annotations

from typing import Iterator

from .store import Store


def finding_rows(store: Store, run_id: int) -> Iterator[list]:
    from ..findings import Report
    from ..project.report import ProjectReport
    from ..report.xlsx import finding_cells, project_finding_cells

    run = store.db.execute("SELECT rulepack_version FROM runs WHERE id = ?", (run_id,)).fetchone()
    for p in store.project_snapshot(run_id):
        if p["status"] != "ok" or not p["findings"]:
            continue
        text = store.project_report(p["project_key"], run["rulepack_version"])
        if text:
            for f in ProjectReport.model_validate_json(text).findings:
                yield [p["project_id"], p["path"] or "（项目）", *project_finding_cells(f)]
    for d in store.snapshot(run_id):
        if d["status"] != "ok" or not d["findings"]:
            continue
        r = store.result(d["sha256"], d["rulepack_version"])
        if r is None or not r["report_json"]:
            continue
        for f in Report.model_validate_json(r["report_json"]).findings:
            yield [d["project_id"] or "", d["path"], *finding_cells(f)]
