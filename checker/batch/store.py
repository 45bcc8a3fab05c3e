"""The batch results database (SQLite, WAL). One writer — the scanning parent — commits once per document, so a
killed or interrupted scan loses nothing already written, and a rerun skips every (sha256, rule-pack version) that
is already in `results`.

Schema (version SCHEMA_VERSION, in `meta`):

  runs       one row per scan: when, rule-pack and tool version, the arguments, how it ended
  documents  every (path, sha256) ever seen, with the manifest's metadata (project, agency, stage, …)
  results    one row per (sha256, rule-pack version): ok / unreadable / failed / timeout, the exit code or error code,
             the classification, pages, seconds, the whole report as JSON (ok only)
  findings   the findings of each ok result, one row each, for fast aggregation
  run_docs   which documents each run covered (checked now, or reused from an earlier run): a run's snapshot, the
             basis for its summary, its trends against the previous run, sampling and comparisons
  projects   one row per (project key, rule-pack version): a project checked across its documents (project id,
             folder, name, regime, counts of its project findings, the project report as JSON)
  run_projects  which projects each run covered, as run_docs for documents

Version 2 added `procedure` to documents and results, the project tables, and to findings `scope` ('document' /
'project': a project finding's sha256 is its project key), `title` and `documents` (the paths a project finding
rests on). A version-1 database is upgraded in place when a scan opens it for writing.
"""
from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from .store_projects import ProjectRows

SCHEMA_VERSION = 2

STATUSES = ("ok", "unreadable", "failed", "timeout")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT,
    status TEXT NOT NULL DEFAULT 'running',          -- running / done / interrupted
    rulepack_version TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    engine TEXT NOT NULL DEFAULT 'local',            -- local / dask
    args TEXT NOT NULL DEFAULT '{}',
    total INTEGER NOT NULL DEFAULT 0,                -- documents discovered
    checked INTEGER NOT NULL DEFAULT 0,              -- checked by this run
    reused INTEGER NOT NULL DEFAULT 0                -- already in the database for this rule-pack version
);
CREATE TABLE IF NOT EXISTS documents (
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER,
    format TEXT,
    project_id TEXT,
    agency TEXT,
    stage TEXT,
    doc_type TEXT,
    regime TEXT,
    procedure TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (path, sha256)
);
CREATE INDEX IF NOT EXISTS documents_sha ON documents (sha256);
CREATE TABLE IF NOT EXISTS results (
    sha256 TEXT NOT NULL,
    rulepack_version TEXT NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    path TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'unreadable', 'failed', 'timeout')),
    exit_code INTEGER,                               -- what `tendercheck check` exits with (0/1, 3..11)
    error_code TEXT,                                 -- corrupt, encrypted, no-text-layer, … / crash / timeout
    message TEXT,
    doc_type TEXT,
    regime TEXT,
    procedure TEXT,
    stage TEXT,
    pages INTEGER,
    findings INTEGER,
    errors INTEGER,
    warnings INTEGER,
    infos INTEGER,
    seconds REAL,
    worker TEXT,
    rss_kb INTEGER,
    peak_rss_kb INTEGER,
    finished TEXT NOT NULL,
    report_json TEXT,
    UNIQUE (sha256, rulepack_version)
);
CREATE TABLE IF NOT EXISTS findings (
    sha256 TEXT NOT NULL,
    rulepack_version TEXT NOT NULL,
    rule_id TEXT NOT NULL,
    severity TEXT NOT NULL,
    stage TEXT,
    fingerprint TEXT NOT NULL,
    clause_id TEXT,
    clause_number TEXT,
    page INTEGER,
    excerpt TEXT,
    scope TEXT NOT NULL DEFAULT 'document',
    title TEXT,
    documents TEXT
);
CREATE INDEX IF NOT EXISTS findings_doc ON findings (sha256, rulepack_version);
CREATE INDEX IF NOT EXISTS findings_rule ON findings (rule_id);
CREATE TABLE IF NOT EXISTS projects (
    project_key TEXT NOT NULL,
    rulepack_version TEXT NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    project_id TEXT NOT NULL,
    path TEXT NOT NULL,
    name TEXT,
    regime TEXT,
    procedure TEXT,
    status TEXT NOT NULL,
    error_code TEXT,
    message TEXT,
    documents INTEGER,
    findings INTEGER,
    errors INTEGER,
    warnings INTEGER,
    infos INTEGER,
    seconds REAL,
    worker TEXT,
    rss_kb INTEGER,
    peak_rss_kb INTEGER,
    finished TEXT NOT NULL,
    report_json TEXT,
    UNIQUE (project_key, rulepack_version)
);
CREATE TABLE IF NOT EXISTS run_projects (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    project_key TEXT NOT NULL,
    project_id TEXT NOT NULL,
    path TEXT NOT NULL,
    rulepack_version TEXT NOT NULL,
    action TEXT NOT NULL,
    PRIMARY KEY (run_id, project_key)
);
CREATE TABLE IF NOT EXISTS claims (                -- which run is checking a document: concurrent scans split work
    sha256 TEXT NOT NULL,
    rulepack_version TEXT NOT NULL,
    run_id INTEGER NOT NULL REFERENCES runs (id),
    PRIMARY KEY (sha256, rulepack_version)
);
CREATE TABLE IF NOT EXISTS run_docs (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rulepack_version TEXT NOT NULL,
    action TEXT NOT NULL,                            -- checked / reused / pending (interrupted before its result)
    PRIMARY KEY (run_id, path, sha256)
);
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")  # as shown to a reader (no ISO `T`); still sorts


@dataclass
class Outcome:
    """One document's result as a worker returns it (plain data: it crosses process and machine boundaries)."""

    sha256: str
    path: str
    status: str
    exit_code: Optional[int] = None
    error_code: Optional[str] = None
    message: str = ""
    doc_type: Optional[str] = None
    regime: Optional[str] = None
    stage: Optional[str] = None
    pages: Optional[int] = None
    seconds: float = 0.0
    worker: str = ""
    rss_kb: Optional[int] = None
    peak_rss_kb: Optional[int] = None
    report_json: Optional[str] = None
    findings: list[dict] = field(default_factory=list)  # rule_id, severity, stage, fingerprint, clause_id, …
    rulepack_version: Optional[str] = None  # the worker's, checked against the run's

    kind: str = "document"  # or "project": then `documents` holds its documents' Outcomes
    project_id: Optional[str] = None
    procedure: Optional[str] = None
    name: Optional[str] = None  # a project's name
    documents: list["Outcome"] = field(default_factory=list)

    def counts(self) -> tuple[int, int, int]:
        sev = [f["severity"] for f in self.findings]
        return sev.count("error"), sev.count("warning"), sev.count("info")


class StoreError(Exception):
    pass


class Store(ProjectRows):
    """The results database. Open it in the one process that writes."""

    def __init__(self, path: Path | str, readonly: bool = False):
        self.path = Path(path)
        try:
            self._open(readonly)
        except sqlite3.DatabaseError as exc:  # not a database, corrupt, locked past the timeout: the user's to fix
            raise StoreError(f"无法打开结果库（{exc}），文件可能已损坏或不是 tendercheck 结果库") from None

    def _open(self, readonly: bool) -> None:
        if readonly:
            if not self.path.exists():
                raise StoreError(f"结果库不存在：{self.path}")
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        else:
            self.db = sqlite3.connect(str(self.path), timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a commit survives a killed process
        self.db.row_factory = sqlite3.Row
        if not readonly:
            self._migrate()
        else:
            self._check_version()

    # -- schema --------------------------------------------------------------------------------------------------

    def _migrate(self) -> None:
        with self.db:
            self.db.executescript(_SCHEMA)
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if row is None:
                self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise StoreError(f"结果库 {self.path} 的版本 {row[0]} 比本程序支持的 {SCHEMA_VERSION} 新")
            elif int(row[0]) < SCHEMA_VERSION:
                self._upgrade()
                self.db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))

    _ADDED = {"documents": [("procedure", "TEXT")], "results": [("procedure", "TEXT")],
              "findings": [("scope", "TEXT NOT NULL DEFAULT 'document'"), ("title", "TEXT"), ("documents", "TEXT")]}

    def _upgrade(self) -> None:
        """Version 1 → 2: the columns CREATE TABLE IF NOT EXISTS could not add to existing tables."""
        for table, columns in self._ADDED.items():
            have = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
            for name, decl in columns:
                if name not in have:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")

    def _check_version(self) -> None:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"不是 tendercheck 结果库：{self.path}（{exc}）") from None
        if row is None or int(row[0]) > SCHEMA_VERSION:
            raise StoreError(f"不是可读的 tendercheck 结果库：{self.path}")
        if int(row[0]) < SCHEMA_VERSION:
            raise StoreError(f"结果库 {self.path} 是旧版本（{row[0]}）：先用本版本运行一次 tendercheck scan 升级")

    def close(self) -> None:
        self.db.close()

    # -- runs ----------------------------------------------------------------------------------------------------

    def start_run(self, rulepack_version: str, tool_version: str, engine: str, args: dict) -> int:
        self.close_stale_runs()
        # Host and pid let a later scan tell a run that is still going from one that was killed (kill -9, SIGTERM).
        args = {**args, "host": socket.gethostname(), "pid": os.getpid()}
        with self.db:
            cur = self.db.execute(
                "INSERT INTO runs (started, rulepack_version, tool_version, engine, args) VALUES (?, ?, ?, ?, ?)",
                (now(), rulepack_version, tool_version, engine, json.dumps(args, ensure_ascii=False, default=str)))
        return int(cur.lastrowid)

    def close_stale_runs(self) -> list[int]:
        """Mark interrupted the runs left `running` by a scan that died without closing them: on this host, whose
        process is gone. (A run on another host may still be going: it is left alone.)"""
        host, stale = socket.gethostname(), []
        for row in self.db.execute("SELECT id, args FROM runs WHERE status = 'running'").fetchall():
            try:
                args = json.loads(row["args"] or "{}")
            except ValueError:
                args = {}
            if args.get("host") == host and isinstance(args.get("pid"), int) and not _alive(args["pid"]):
                stale.append(row["id"])
        for run_id in stale:
            self.finish_run(run_id, "interrupted")
        return stale

    def claim(self, run_id: int, rulepack_version: str, sha256: str) -> bool:
        """Take a document for this run, unless another live run has it or its result is already in. One
        `BEGIN IMMEDIATE` transaction: of two scans racing for a document exactly one wins (a SELECT then INSERT
        in a deferred transaction let both do all the work)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            done = self.db.execute("SELECT 1 FROM results WHERE sha256 = ? AND rulepack_version = ? AND status IN"
                                   " ('ok', 'unreadable')", (sha256, rulepack_version)).fetchone()
            held = self.db.execute("SELECT 1 FROM claims c JOIN runs r ON r.id = c.run_id WHERE c.sha256 = ? AND"
                                   " c.rulepack_version = ? AND c.run_id != ? AND r.status = 'running'",
                                   (sha256, rulepack_version, run_id)).fetchone()
            if done or held:
                self.db.rollback()
                return False
            self.db.execute("INSERT OR REPLACE INTO claims VALUES (?, ?, ?)", (sha256, rulepack_version, run_id))
            self.db.commit()
            return True
        except BaseException:
            self.db.rollback()
            raise

    def failed_among(self, rulepack_version: str, shas: Iterable[str]) -> list[sqlite3.Row]:
        """Of these documents, those whose stored result is failed or timeout (a rerun skips them unless asked)."""
        wanted = set(shas)
        rows = self.db.execute("SELECT sha256, path, status, error_code FROM results WHERE rulepack_version = ?"
                               " AND status IN ('failed', 'timeout') ORDER BY path", (rulepack_version,)).fetchall()
        return [r for r in rows if r["sha256"] in wanted]

    def finish_run(self, run_id: int, status: str) -> None:
        with self.db:
            checked = self.db.execute("SELECT count(*) FROM run_docs WHERE run_id = ? AND action = 'checked'",
                                      (run_id,)).fetchone()[0]
            reused = self.db.execute("SELECT count(*) FROM run_docs WHERE run_id = ? AND action = 'reused'",
                                     (run_id,)).fetchone()[0]
            total = self.db.execute("SELECT count(*) FROM run_docs WHERE run_id = ?", (run_id,)).fetchone()[0]
            self.db.execute("UPDATE runs SET finished = ?, status = ?, checked = ?, reused = ?, total = ? WHERE id = ?",
                            (now(), status, checked, reused, total, run_id))

    def runs(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM runs ORDER BY id").fetchall()

    def last_run(self, before: Optional[int] = None) -> Optional[sqlite3.Row]:
        if before is None:
            return self.db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return self.db.execute("SELECT * FROM runs WHERE id < ? ORDER BY id DESC LIMIT 1", (before,)).fetchone()

    # -- documents -----------------------------------------------------------------------------------------------

    def note_documents(self, run_id: int, rulepack_version: str, docs: Iterable, done: set[str]) -> None:
        """Record every discovered document and whether this run reuses an existing result for it (one commit)."""
        stamp = now()
        with self.db:
            for d in docs:
                self.db.execute(
                    "INSERT INTO documents (path, sha256, size, format, project_id, agency, stage, doc_type, regime,"
                    " procedure, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (path, sha256) DO UPDATE SET last_seen = excluded.last_seen,"
                    " project_id = coalesce(excluded.project_id, project_id), agency = coalesce(excluded.agency, agency),"
                    " stage = coalesce(excluded.stage, stage), doc_type = coalesce(excluded.doc_type, doc_type),"
                    " regime = coalesce(excluded.regime, regime), procedure = coalesce(excluded.procedure, procedure),"
                    " size = excluded.size, format = excluded.format",
                    (d.path, d.sha256, d.size, d.format, d.project_id, d.agency, d.stage, d.doc_type, d.regime,
                     d.procedure, stamp, stamp))
                self.db.execute("INSERT OR IGNORE INTO run_docs VALUES (?, ?, ?, ?, ?)",
                                (run_id, d.path, d.sha256, rulepack_version,
                                 "reused" if d.sha256 in done else "pending"))

    def done_shas(self, rulepack_version: str, retry_failed: bool = False) -> set[str]:
        """Documents already checked with this rule-pack version (a rerun skips them)."""
        sql = "SELECT sha256 FROM results WHERE rulepack_version = ?"
        if retry_failed:
            sql += " AND status IN ('ok', 'unreadable')"
        return {r[0] for r in self.db.execute(sql, (rulepack_version,))}

    # -- results -------------------------------------------------------------------------------------------------

    def record(self, run_id: int, rulepack_version: str, out: Outcome) -> bool:
        """Write one document's result and its findings in one transaction. False when it was already there (a
        duplicate never gets in: UNIQUE (sha256, rulepack_version)). A failed/timeout row is replaced by a newer
        result of a retry."""
        errors, warnings, infos = out.counts()
        with self.db:
            old = self.db.execute("SELECT status FROM results WHERE sha256 = ? AND rulepack_version = ?",
                                  (out.sha256, rulepack_version)).fetchone()
            if old is not None:
                if old[0] in ("ok", "unreadable"):
                    self._mark(run_id, out, rulepack_version, "checked")
                    return False
                self.db.execute("DELETE FROM results WHERE sha256 = ? AND rulepack_version = ?",
                                (out.sha256, rulepack_version))
                self.db.execute("DELETE FROM findings WHERE sha256 = ? AND rulepack_version = ?",
                                (out.sha256, rulepack_version))
            self.db.execute(
                "INSERT INTO results (sha256, rulepack_version, run_id, path, status, exit_code, error_code, message,"
                " doc_type, regime, procedure, stage, pages, findings, errors, warnings, infos, seconds, worker, rss_kb,"
                " peak_rss_kb, finished, report_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?, ?, ?)",
                (out.sha256, rulepack_version, run_id, out.path, out.status, out.exit_code, out.error_code,
                 out.message, out.doc_type, out.regime, out.procedure, out.stage, out.pages, len(out.findings), errors, warnings,
                 infos, round(out.seconds, 4), out.worker, out.rss_kb, out.peak_rss_kb, now(), out.report_json))
            self._findings(out, rulepack_version)
            self._mark(run_id, out, rulepack_version, "checked")
            self.db.execute(  # what the check found, where the manifest said nothing
                "UPDATE documents SET doc_type = coalesce(doc_type, ?), regime = coalesce(regime, ?),"
                " stage = coalesce(stage, ?), procedure = coalesce(procedure, ?) WHERE sha256 = ?",
                (out.doc_type, out.regime, out.stage, out.procedure, out.sha256))
        return True

    def _findings(self, out: Outcome, rulepack_version: str) -> None:
        self.db.executemany(
            "INSERT INTO findings (sha256, rulepack_version, rule_id, severity, stage, fingerprint, clause_id,"
            " clause_number, page, excerpt, scope, title, documents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(out.sha256, rulepack_version, f["rule_id"], f["severity"], f.get("stage"), f["fingerprint"],
              f.get("clause_id"), f.get("clause_number"), f.get("page"), f.get("excerpt"),
              f.get("scope", "document"), f.get("title"), f.get("documents")) for f in out.findings])

    def _mark(self, run_id: int, out: Outcome, rulepack_version: str, action: str) -> None:
        self.db.execute("INSERT INTO run_docs VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, path, sha256) DO UPDATE"
                        " SET action = excluded.action", (run_id, out.path, out.sha256, rulepack_version, action))

    def mark_checked(self, run_id: int, path: str, sha256: str, rulepack_version: str,
                     action: str = "checked") -> None:
        """Another path with the same content as a document just checked (or, action 'reused', a document another
        scan claimed)."""
        with self.db:
            self.db.execute("INSERT INTO run_docs VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, path, sha256)"
                            " DO UPDATE SET action = excluded.action", (run_id, path, sha256, rulepack_version, action))

    def result(self, sha256: str, rulepack_version: str) -> Optional[sqlite3.Row]:
        return self.db.execute("SELECT * FROM results WHERE sha256 = ? AND rulepack_version = ?",
                               (sha256, rulepack_version)).fetchone()

    # -- a run's snapshot ----------------------------------------------------------------------------------------

    def snapshot(self, run_id: int) -> list[sqlite3.Row]:
        """Every document the run covered with its result (None fields where it has none yet) and metadata."""
        return self.db.execute(
            "SELECT rd.path, rd.sha256, rd.rulepack_version, rd.action, r.status, r.exit_code, r.error_code,"
            " r.message, coalesce(d.doc_type, r.doc_type) AS doc_type, coalesce(d.regime, r.regime) AS regime,"
            " coalesce(d.stage, r.stage) AS stage, coalesce(d.procedure, r.procedure) AS procedure, r.pages, r.findings, r.errors, r.warnings, r.infos, r.seconds,"
            " d.project_id, d.agency, d.format, d.size"
            " FROM run_docs rd LEFT JOIN results r ON r.sha256 = rd.sha256 AND r.rulepack_version = rd.rulepack_version"
            " LEFT JOIN documents d ON d.path = rd.path AND d.sha256 = rd.sha256"
            " WHERE rd.run_id = ? ORDER BY rd.path", (run_id,)).fetchall()

    def snapshot_findings(self, run_id: int) -> list[sqlite3.Row]:
        """Every finding of the run: the documents' (path = the document) and the projects' (path = the project's
        folder or id, sha256 = its key, scope 'project'), each with its project id."""
        return self.db.execute(
            "SELECT rd.path, d.project_id, f.* FROM run_docs rd JOIN findings f ON f.sha256 = rd.sha256"
            " AND f.rulepack_version = rd.rulepack_version AND f.scope = 'document'"
            " LEFT JOIN documents d ON d.path = rd.path AND d.sha256 = rd.sha256 WHERE rd.run_id = ?"
            " UNION ALL SELECT coalesce(nullif(rp.path, ''), rp.project_id) AS path, rp.project_id, f.*"
            " FROM run_projects rp JOIN findings f ON f.sha256 = rp.project_key"
            " AND f.rulepack_version = rp.rulepack_version AND f.scope = 'project' WHERE rp.run_id = ?"
            " ORDER BY 1, rule_id", (run_id, run_id)).fetchall()
