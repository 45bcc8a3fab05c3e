"""The review database (`--db review.sqlite`): every checked upload, its findings, every verdict with who and when,
and the desk's login sessions. A verdict is never overwritten: the latest per finding counts, the rest is history.

A finding is keyed by (entry, key): key is its fingerprint — for a project, the document's path and the
fingerprint — so a verdict survives a re-check that finds the same clause again (a new upload to the project).
"""
from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Optional

VERDICTS = {"confirmed": "确认", "dismissed": "驳回", "pending": "待定"}

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
  id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, project TEXT, uploaded_by TEXT NOT NULL,
  uploaded_at TEXT NOT NULL, exit_code INTEGER, doc_type TEXT, agency TEXT, report TEXT NOT NULL, html TEXT);
CREATE TABLE IF NOT EXISTS findings (
  entry TEXT NOT NULL REFERENCES entries(id), key TEXT NOT NULL, rule_id TEXT NOT NULL, severity TEXT NOT NULL,
  stage TEXT NOT NULL, stage_name TEXT NOT NULL, title TEXT NOT NULL, message TEXT NOT NULL, excerpt TEXT NOT NULL,
  page INTEGER, document TEXT NOT NULL, heading TEXT NOT NULL DEFAULT '', seq INTEGER NOT NULL,
  PRIMARY KEY (entry, key));
CREATE INDEX IF NOT EXISTS findings_rule ON findings(rule_id);
CREATE TABLE IF NOT EXISTS verdicts (
  id INTEGER PRIMARY KEY, entry TEXT NOT NULL, key TEXT NOT NULL, rule_id TEXT NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'dismissed', 'pending')), reason TEXT NOT NULL DEFAULT '',
  reviewer TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS verdicts_finding ON verdicts(entry, key);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY, user TEXT NOT NULL, csrf TEXT NOT NULL, expires REAL NOT NULL);
"""

# The latest verdict of every finding that has one.
LATEST = """SELECT v.* FROM verdicts v JOIN (SELECT entry, key, MAX(id) AS id FROM verdicts GROUP BY entry, key) m
            ON v.id = m.id"""


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class ReviewStore:
    def __init__(self, path: str | Path, readonly: bool = False):
        """`readonly`: for the reports (`scan --review-db`) that read the database while the desk writes it: nothing
        is created or migrated, and a file that is not a review database raises sqlite3.DatabaseError here."""
        self.path = str(path)
        self.readonly = readonly
        with self.connect() as db:
            if readonly:
                tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                missing = sorted({"entries", "findings", "verdicts"} - tables)
                if missing:
                    raise sqlite3.DatabaseError(f"缺少表 {'、'.join(missing)}")
            else:
                db.executescript(SCHEMA)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        if self.readonly:  # a URI, so that mode=ro holds; as_uri escapes a '?' or '#' in the file name
            db = sqlite3.connect(Path(self.path).resolve().as_uri() + "?mode=ro", uri=True, timeout=30)
        else:
            db = sqlite3.connect(self.path, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
        db.row_factory = sqlite3.Row
        try:
            with db:
                yield db
        finally:
            db.close()

    # ------------------------------------------------------------------------------------------------ entries

    def add_document(self, entry_id: str, name: str, user: str, result: dict, project: Optional[str] = None) -> None:
        report = json.loads(result["report"])
        rows = [(f["fingerprint"], f, report["document"]["source"]["path"]) for f in report["findings"]]
        self._put(entry_id, "document", name, project, user, result, report["document"]["doc_type"], rows)

    def put_project(self, project: str, user: str, result: dict) -> str:
        """The project's entry, replaced on every upload: its findings are the project rules' and every document's."""
        report = json.loads(result["report"])
        rows = [(f["fingerprint"], f, "、".join(e["path"] for e in f["documents"][:3])) for f in report["findings"]]
        for d in report["documents"]:
            rows += [(f"{d['path']}:{f['fingerprint']}", f, d["path"]) for f in d["findings"]]
        entry_id = f"project-{project}"
        self._put(entry_id, "project", report["project"]["name"] or project, project, user, result, "项目案卷", rows)
        return entry_id

    def _put(self, entry_id, kind, name, project, user, result, doc_type, rows) -> None:
        with self.connect() as db:
            db.execute("DELETE FROM findings WHERE entry = ?", (entry_id,))
            db.execute("INSERT OR REPLACE INTO entries VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                       (entry_id, kind, name, project, user, now(), result["exit_code"], doc_type,
                        result.get("agency"), result["report"], result.get("html")))
            for seq, (key, f, document) in enumerate(rows):
                loc = f.get("location") or {}
                db.execute("INSERT OR IGNORE INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           (entry_id, key, f["rule_id"], f["severity"], f["stage"], f["stage_name"], f["title"],
                            f["message"], f.get("excerpt") or f.get("values", {}).get("比较", ""), loc.get("page"),
                            document, " › ".join(f.get("heading_path") or []), seq))

    def entry(self, entry_id: str) -> Optional[sqlite3.Row]:
        with self.connect() as db:
            return db.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()

    def entries(self, limit: int = 200) -> list[sqlite3.Row]:
        with self.connect() as db:
            return db.execute(f"""SELECT e.id, e.kind, e.name, e.project, e.uploaded_by, e.uploaded_at, e.exit_code,
                e.doc_type, e.agency, (SELECT COUNT(*) FROM findings f WHERE f.entry = e.id) AS findings
                FROM entries e ORDER BY e.uploaded_at DESC LIMIT {int(limit)}""").fetchall()

    def findings_of(self, entry_id: str) -> list[sqlite3.Row]:
        with self.connect() as db:
            return db.execute(f"""SELECT f.*, l.verdict, l.reason, l.reviewer, l.at FROM findings f
                LEFT JOIN ({LATEST}) l ON l.entry = f.entry AND l.key = f.key
                WHERE f.entry = ? ORDER BY f.seq""", (entry_id,)).fetchall()

    # ------------------------------------------------------------------------------------------------ verdicts

    def record_verdict(self, entry_id: str, key: str, verdict: str, reason: str, reviewer: str) -> sqlite3.Row:
        with self.connect() as db:
            row = db.execute("SELECT rule_id FROM findings WHERE entry = ? AND key = ?", (entry_id, key)).fetchone()
            if row is None:
                raise KeyError(key)
            db.execute("INSERT INTO verdicts (entry, key, rule_id, verdict, reason, reviewer, at) "
                       "VALUES (?,?,?,?,?,?,?)",
                       (entry_id, key, row["rule_id"], verdict, reason, reviewer, now()))
            return row

    def queue(self, stage: str = "", rule: str = "", agency: str = "", severity: str = "",
              limit: int = 500) -> list[sqlite3.Row]:
        """Findings without a verdict, or marked 待定, newest upload first; each filter narrows when given."""
        where, args = ["(l.verdict IS NULL OR l.verdict = 'pending')"], []
        for column, value in (("f.stage", stage), ("f.rule_id", rule), ("e.agency", agency),
                              ("f.severity", severity)):
            if value:
                where.append(f"{column} = ?")
                args.append(value)
        with self.connect() as db:
            return db.execute(f"""SELECT f.*, e.name AS entry_name, e.agency, e.kind, l.verdict FROM findings f
                JOIN entries e ON e.id = f.entry LEFT JOIN ({LATEST}) l ON l.entry = f.entry AND l.key = f.key
                WHERE {' AND '.join(where)} ORDER BY e.uploaded_at DESC, f.seq LIMIT {int(limit)}""",
                              args).fetchall()

    def facets(self) -> dict[str, list[str]]:
        with self.connect() as db:
            def col(sql):
                return [r[0] for r in db.execute(sql).fetchall() if r[0]]

            return {"stage": col("SELECT DISTINCT stage FROM findings ORDER BY stage"),
                    "rule": col("SELECT DISTINCT rule_id FROM findings ORDER BY rule_id"),
                    "agency": col("SELECT DISTINCT agency FROM entries ORDER BY agency"),
                    "severity": col("SELECT DISTINCT severity FROM findings ORDER BY severity")}

    def latest_verdicts(self) -> list[sqlite3.Row]:
        """Every finding's latest verdict with the clause it judged, for the rule statistics and the export."""
        with self.connect() as db:
            return db.execute(f"""SELECT l.*, f.excerpt, f.page, f.document, f.heading, f.title, e.name AS entry_name
                FROM ({LATEST}) l JOIN findings f ON f.entry = l.entry AND f.key = l.key
                JOIN entries e ON e.id = l.entry ORDER BY l.rule_id, l.id""").fetchall()

    def findings_per_rule(self) -> dict[str, int]:
        with self.connect() as db:
            return {r[0]: r[1] for r in db.execute("SELECT rule_id, COUNT(*) FROM findings GROUP BY rule_id")}

    # ------------------------------------------------------------------------------------------------ sessions

    def new_session(self, token_hash: str, user: str, csrf: str, ttl: float) -> None:
        with self.connect() as db:
            db.execute("DELETE FROM sessions WHERE expires < ?", (time.time(),))
            db.execute("INSERT INTO sessions VALUES (?,?,?,?)", (token_hash, user, csrf, time.time() + ttl))

    def session(self, token_hash: str) -> Optional[sqlite3.Row]:
        with self.connect() as db:
            return db.execute("SELECT * FROM sessions WHERE token_hash = ? AND expires >= ?",
                              (token_hash, time.time())).fetchone()

    def end_session(self, token_hash: str) -> None:
        with self.connect() as db:
            db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))
