"""The project rows of the results database (schema 2): which projects a run covered, each project's result and its
cross-document findings. A mixin of Store (store.py), which owns the connection and the schema."""
from __future__ import annotations

import sqlite3
import time
from typing import TYPE_CHECKING, Iterable, Optional

if TYPE_CHECKING:
    from .store import Outcome


class ProjectRows:
    db: sqlite3.Connection

    def _findings(self, out: "Outcome", rulepack_version: str) -> None:  # Store's
        raise NotImplementedError

    def done_projects(self, rulepack_version: str, retry_failed: bool = False) -> set[str]:
        sql = "SELECT project_key FROM projects WHERE rulepack_version = ?"
        if retry_failed:
            sql += " AND status = 'ok'"
        return {r[0] for r in self.db.execute(sql, (rulepack_version,))}

    def note_projects(self, run_id: int, rulepack_version: str, projects: Iterable, done: set[str]) -> None:
        with self.db:
            for p in projects:
                self.db.execute("INSERT OR IGNORE INTO run_projects VALUES (?, ?, ?, ?, ?, ?)",
                                (run_id, p.sha256, p.project_id, p.path or "", rulepack_version,
                                 "reused" if p.sha256 in done else "pending"))

    def record_project(self, run_id: int, rulepack_version: str, out: "Outcome") -> None:
        """A project's own row and findings (its documents are recorded one by one with `record`)."""
        errors, warnings, infos = out.counts()
        with self.db:
            self.db.execute("DELETE FROM projects WHERE project_key = ? AND rulepack_version = ?",
                            (out.sha256, rulepack_version))
            self.db.execute("DELETE FROM findings WHERE sha256 = ? AND rulepack_version = ?",
                            (out.sha256, rulepack_version))
            self.db.execute(
                "INSERT INTO projects (project_key, rulepack_version, run_id, project_id, path, name, regime,"
                " procedure, status, error_code, message, documents, findings, errors, warnings, infos, seconds,"
                " worker, rss_kb, peak_rss_kb, finished, report_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (out.sha256, rulepack_version, run_id, out.project_id or out.path, out.path, out.name, out.regime,
                 out.procedure, out.status, out.error_code, out.message, len(out.documents), len(out.findings),
                 errors, warnings, infos, round(out.seconds, 4), out.worker, out.rss_kb, out.peak_rss_kb, _now(),
                 out.report_json))
            self._findings(out, rulepack_version)
            self.db.execute("UPDATE run_projects SET action = 'checked' WHERE run_id = ? AND project_key = ?",
                            (run_id, out.sha256))

    def project_snapshot(self, run_id: int) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT rp.project_key, rp.project_id, rp.path, rp.action, p.name, p.regime, p.procedure, p.status,"
            " p.error_code, p.message, p.documents, p.findings, p.errors, p.warnings, p.infos, p.seconds"
            " FROM run_projects rp LEFT JOIN projects p ON p.project_key = rp.project_key"
            " AND p.rulepack_version = rp.rulepack_version WHERE rp.run_id = ? ORDER BY rp.project_id",
            (run_id,)).fetchall()

    def project_report(self, project_key: str, rulepack_version: str) -> Optional[str]:
        row = self.db.execute("SELECT report_json FROM projects WHERE project_key = ? AND rulepack_version = ?",
                              (project_key, rulepack_version)).fetchone()
        return row[0] if row else None



def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")  # as store.now writes it (this mixin must not import store: a cycle)
