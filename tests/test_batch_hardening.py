"""The batch's loose ends (issue 16, defects 5 and 9): a Dask scan with no worker stops at a deadline and marks its
run interrupted; a run left `running` by a killed scan is closed by the next; a rerun names the failed documents it
skips; concurrent scans of one database split the work (one BEGIN IMMEDIATE claim per document)."""
import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from checker.batch import ScanOptions, Store, scan
from checker.batch.worker import TEST_HOOKS_ENV
from test_batch import rows  # the same query helper

ROOT = Path(__file__).resolve().parents[1]


def texts(d: Path, n: int, extra=(), body: int = 1) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    filler = "".join(f"{k}. 投标人应按招标文件要求提交第{k}项资料。\n" for k in range(body))
    for i in range(n):  # distinct content: results are keyed by sha256
        (d / f"doc{i:02d}.txt").write_text(f"某工程施工招标文件\n第一章 招标公告\n投标人须在本市注册。{i}\n{filler}",
                                           encoding="utf-8")
    for name in extra:
        (d / name).write_text(f"第一章 招标公告\n{name}\n", encoding="utf-8")
    return d


def test_dask_scan_without_workers_stops_and_marks_the_run(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    from checker.batch import distributed as tc_distributed

    monkeypatch.setattr(tc_distributed, "NO_WORKERS_S", 2.0)
    monkeypatch.setattr(tc_distributed, "POLL_S", 0.5)
    docs, db = texts(tmp_path / "docs", 3), tmp_path / "r.sqlite"
    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        result = CliRunner().invoke(cli.main, ["scan", str(docs), "--db", str(db), "--scheduler",
                                               cluster.scheduler_address, "--quiet"])
    assert result.exit_code == 20, (result.output, result.exception)
    assert "[no-workers]" in result.stderr and "3 个文件留待下次" in result.stderr
    assert rows(db, "SELECT status FROM runs") == [("interrupted",)]
    assert rows(db, "SELECT count(*) FROM run_docs WHERE action = 'pending'") == [(3,)]


def test_stale_running_run_is_closed_by_the_next_scan(tmp_path):
    docs, db = texts(tmp_path / "docs", 1), tmp_path / "r.sqlite"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a scan killed with kill -9 leaves exactly this: its row `running`, its pid gone
    store = Store(db)
    with store.db:
        store.db.execute("INSERT INTO runs (started, rulepack_version, tool_version, args) VALUES (?, ?, ?, ?)",
                         ("2026-12-01T00:00:00", "x", "x", json.dumps({"host": socket.gethostname(),
                                                                       "pid": dead.pid})))
        store.db.execute("INSERT INTO runs (started, rulepack_version, tool_version, args) VALUES (?, ?, ?, ?)",
                         ("2026-12-01T00:00:00", "x", "x", json.dumps({"host": socket.gethostname(),
                                                                       "pid": os.getpid()})))  # alive: kept
    store.close()
    scan(ScanOptions(inputs=[str(docs)], db=str(db), progress=False))
    assert [r[0] for r in rows(db, "SELECT status FROM runs ORDER BY id")] == ["interrupted", "running", "done"]


def test_rerun_names_the_failed_documents_it_skips(tmp_path, monkeypatch):
    monkeypatch.setenv(TEST_HOOKS_ENV, "1")
    docs, db = texts(tmp_path / "docs", 2, extra=["__tc_raise__.txt"]), tmp_path / "r.sqlite"
    first = scan(ScanOptions(inputs=[str(docs)], db=str(db), progress=False))
    assert first.statuses["failed"] == 1
    again = scan(ScanOptions(inputs=[str(docs)], db=str(db), progress=False))
    assert again.failed_skipped and "__tc_raise__.txt" in again.line() and "--retry-failed" in again.line()
    retried = scan(ScanOptions(inputs=[str(docs)], db=str(db), progress=False, retry_failed=True))
    assert not retried.failed_skipped and retried.to_check == 1


def test_claims_are_taken_once():
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "r.sqlite"
        a, b = Store(db), Store(db)
        ra, rb = a.start_run("v", "t", "local", {}), b.start_run("v", "t", "local", {})
        assert a.claim(ra, "v", "s1") and not b.claim(rb, "v", "s1") and b.claim(rb, "v", "s2")
        a.finish_run(ra, "interrupted")  # a claim of a run that stopped is free again
        assert b.claim(rb, "v", "s1")
        a.close(), b.close()


def test_concurrent_scans_split_the_work(tmp_path):
    # Documents slow enough (~0.3 s each) that the two scans surely overlap: without claims both checked all 12.
    docs, db = texts(tmp_path / "docs", 12, body=1500), tmp_path / "r.sqlite"
    Store(db).close()  # schema in place before the race
    cmd = [sys.executable, "-c", "import cli; cli.main()", "scan", str(docs), "--db", str(db), "--quiet"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    checked = rows(db, "SELECT run_id, count(*) FROM run_docs WHERE action = 'checked' GROUP BY run_id")
    assert sum(n for _, n in checked) == 12  # every document checked once, by one of the two
    assert rows(db, "SELECT count(*) FROM results") == [(12,)]


def test_sigterm_marks_the_run_interrupted(tmp_path):
    import signal
    import time

    docs, db = texts(tmp_path / "docs", 1, extra=["__tc_hang__.txt"]), tmp_path / "r.sqlite"
    env = {**os.environ, TEST_HOOKS_ENV: "1"}
    proc = subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "scan", str(docs), "--db", str(db),
                             "--quiet", "--workers", "1"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until the quick document is in: the hanging one is then being checked
        time.sleep(0.2)
        try:
            if rows(db, "SELECT count(*) FROM results") == [(1,)]:
                break
        except sqlite3.OperationalError:
            pass
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=60)
    assert rows(db, "SELECT status FROM runs") == [("interrupted",)]
    assert rows(db, "SELECT action FROM run_docs WHERE path LIKE '%__tc_hang__%'") == [("pending",)]


def test_memory_ceiling_in_a_batch_worker_fails_that_document_only(tmp_path, monkeypatch):
    # The worker's watchdog: a document over the ceiling is one unreadable row (exit 18); the next is checked by a
    # fresh worker. A text of 300,000 one-line clauses passes 400 MiB; the small documents stay far below.
    monkeypatch.setenv("TENDERCHECK_LIMITS", "memory_mb=400,characters=100000000,clauses=10000000")
    docs = texts(tmp_path / "docs", 2)
    (docs / "huge.txt").write_bytes("投标人须具备相应资质。\n".encode() * 300_000)
    result = scan(ScanOptions(inputs=[str(docs)], db=str(tmp_path / "r.sqlite"), progress=False, workers=1))
    got = {Path(p).name: (s, c) for p, s, c in rows(tmp_path / "r.sqlite", "SELECT path, status, exit_code FROM results")}
    assert got["huge.txt"] == ("unreadable", 18)
    assert got["doc00.txt"][0] == got["doc01.txt"][0] == "ok"
    assert result.statuses["ok"] == 2
