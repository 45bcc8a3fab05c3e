"""The same scan on Dask distributed: a real scheduler and a worker started as separate processes on 127.0.0.1,
results written to the same kind of database and equal to the local pool's; a crashing and a hanging document cost
only themselves."""
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker.batch import ScanOptions, scan
from checker.batch.worker import TEST_HOOKS_ENV

distributed = pytest.importorskip("distributed", reason="Dask distributed is not installed: pip install "
                                  "'tendercheck[distributed]' (it is in the test extra)")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
DOCS = ["works_tender.docx", "gp_goods_tender.docx", "works_prequal.pdf"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask_cli() -> list[str]:
    return [str(Path(sys.executable).with_name("dask"))]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """`dask scheduler` and `dask worker` (one process, one thread) on 127.0.0.1 with free ports; torn down after."""
    if not Path(sys.executable).with_name("dask").exists():
        pytest.skip("the dask command is not installed beside this Python")
    tmp = tmp_path_factory.mktemp("dask")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, TEST_HOOKS_ENV: "1"}
    logs = [open(tmp / "scheduler.log", "w"), open(tmp / "worker.log", "w")]
    procs = [subprocess.Popen(_dask_cli() + ["scheduler", "--host", "127.0.0.1", "--port", str(port),
                                             "--no-dashboard"], cwd=tmp, env=env, stdout=logs[0],
                              stderr=subprocess.STDOUT, start_new_session=True)]
    procs.append(subprocess.Popen(_dask_cli() + ["worker", address, "--host", "127.0.0.1", "--nworkers", "1",
                                                 "--nthreads", "1", "--no-dashboard", "--local-directory", str(tmp),
                                                 "--death-timeout", "60"], cwd=tmp, env=env, stdout=logs[1],
                                  stderr=subprocess.STDOUT, start_new_session=True))
    try:
        from distributed import Client

        deadline = time.monotonic() + 60
        client = None
        while client is None:
            try:
                client = Client(address, timeout=5, set_as_default=False)
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        client.wait_for_workers(1, timeout=60)
        client.close()
        yield address
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for f in logs:
            f.close()


def _results(db: Path) -> dict[str, tuple]:
    con = sqlite3.connect(db)
    try:
        out = {}
        for path, sha, status, code, findings in con.execute(
                "SELECT path, sha256, status, error_code, findings FROM results"):
            fps = sorted(f for f, in con.execute("SELECT fingerprint FROM findings WHERE sha256 = ?", (sha,)))
            out[Path(path).name] = (status, code, findings, fps)
        return out
    finally:
        con.close()


def test_dask_scan_equals_local_scan_and_isolates_failures(cluster, tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in DOCS:
        shutil.copy(CORPUS / name, docs / name)
    (docs / "__tc_segfault__.txt").write_text("第一章 招标公告\nsegfault\n", encoding="utf-8")
    (docs / "__tc_hang__.txt").write_text("第一章 招标公告\nhang\n", encoding="utf-8")

    dask_db = tmp_path / "dask.sqlite"
    monkeypatch.chdir(tmp_path)  # a relative input: the workers, elsewhere, still find the files
    result = scan(ScanOptions(inputs=["docs"], db=str(dask_db), scheduler=cluster, timeout=3, progress=False))
    assert result.engine == "dask" and result.statuses == {"ok": 3, "failed": 1, "timeout": 1}
    got = _results(dask_db)
    assert got["__tc_segfault__.txt"][:2] == ("failed", "crash")
    assert got["__tc_hang__.txt"][:2] == ("timeout", "timeout")

    monkeypatch.delenv(TEST_HOOKS_ENV, raising=False)
    local_db = tmp_path / "local.sqlite"
    scan(ScanOptions(inputs=[str(docs / n) for n in DOCS], db=str(local_db), workers=1, progress=False))
    local = _results(local_db)
    assert {n: got[n] for n in DOCS} == local
    assert all(local[n][0] == "ok" for n in DOCS) and any(local[n][2] for n in DOCS)

    # The same database resumes from a Dask run like from a local one: nothing left to check.
    again = scan(ScanOptions(inputs=["docs"], db=str(dask_db), scheduler=cluster, timeout=3, progress=False))
    assert again.to_check == 0 and again.reused == 5
    con = sqlite3.connect(dask_db)
    try:
        assert con.execute("SELECT engine, status FROM runs ORDER BY id").fetchall() == [("dask", "done")] * 2
        workers = {w for w, in con.execute("SELECT worker FROM results WHERE status = 'ok'")}
        assert workers and all(":" in w for w in workers)
        assert {p for p, in con.execute("SELECT path FROM results")} == {
            n for n in DOCS + ["__tc_segfault__.txt", "__tc_hang__.txt"]}  # relative to the folder scanned
    finally:
        con.close()


def test_dask_scans_projects_as_the_local_pool_does(cluster, tmp_path):
    """A project job on a Dask worker: its documents and cross-document findings come back whole (issue 17)."""
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "corpus" / "projects" / "works_violations", tree / "works_violations")
    shutil.copy(CORPUS / "works_tender.docx", tree / "works_tender.docx")
    local_db, dask_db = tmp_path / "local.sqlite", tmp_path / "dask.sqlite"
    local = scan(ScanOptions(inputs=[str(tree)], db=str(local_db), workers=1, progress=False))
    remote = scan(ScanOptions(inputs=[str(tree)], db=str(dask_db), scheduler=cluster, progress=False))
    assert remote.projects == local.projects == 1 and remote.statuses == local.statuses == {"ok": 9}

    def project_findings(db):
        con = sqlite3.connect(db)
        try:
            return sorted(con.execute("SELECT rule_id, severity, stage, fingerprint FROM findings"
                                      " WHERE scope = 'project'").fetchall())
        finally:
            con.close()

    assert project_findings(dask_db) == project_findings(local_db) and len(project_findings(local_db)) > 5
