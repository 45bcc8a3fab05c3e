"""Batch scan (local process pool): discovery and manifests, the SQLite results database, resume without loss or
duplicates, isolation of crashing / hanging documents, the summary dashboard, rule-change comparison, and the
双随机 sample."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from checker.batch import ScanOptions, Store, scan
from checker.session import SessionOptions
from checker.batch.compare import compare, render_comparison
from checker.batch.dashboard import render_dashboard_html, render_dashboard_xlsx
from checker.batch.discover import discover, read_manifest
from checker.batch.sample import draw, render_draw, sample_size
from checker.batch.store import Outcome
from checker.batch.summary import summarize
from checker.batch.worker import TEST_HOOKS_ENV
from dbutil import rows
from checker.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
BAD = ROOT / "tests" / "fixtures" / "bad"
GOOD = ["works_tender.docx", "works_prequal.docx", "gp_goods_tender.docx", "gp_services_tender.docx",
        "works_prequal.pdf"]


def make_corpus(d: Path, hooks=()) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for name in GOOD:
        shutil.copy(CORPUS / name, d / name)
    shutil.copy(BAD / "truncated.pdf", d / "truncated.pdf")
    shutil.copy(BAD / "encrypted.pdf", d / "encrypted.pdf")
    (d / "notes.md").write_text("# not a tender document\n", encoding="utf-8")  # not discovered (extension)
    for h in hooks:  # distinct content per file: results are keyed by sha256
        (d / f"__tc_{h}__.txt").write_text(f"第一章 招标公告\n{h}\n", encoding="utf-8")
    return d



@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """One scan of the good and bad corpus with every hook, two workers, a 3-second timeout."""
    d = tmp_path_factory.mktemp("batch")
    docs = make_corpus(d / "docs", hooks=["segfault", "hang", "raise", "exit"])
    db = d / "results.sqlite"
    old = os.environ.get(TEST_HOOKS_ENV)
    os.environ[TEST_HOOKS_ENV] = "1"
    try:
        result = scan(ScanOptions(inputs=[str(docs)], db=str(db), workers=2, timeout=3, progress=False))
    finally:
        if old is None:
            os.environ.pop(TEST_HOOKS_ENV)
        else:
            os.environ[TEST_HOOKS_ENV] = old
    return docs, db, result


def test_scan_records_every_document_and_survives_crashes(scanned):
    docs, db, result = scanned
    by_name = {Path(p).name: (s, code, msg) for p, s, code, msg in
               rows(db, "SELECT path, status, error_code, message FROM results")}
    assert set(by_name) == set(GOOD) | {"truncated.pdf", "encrypted.pdf", "__tc_segfault__.txt", "__tc_hang__.txt",
                                        "__tc_raise__.txt", "__tc_exit__.txt"}
    assert all(by_name[n][0] == "ok" for n in GOOD)  # the batch went on past every failure
    assert by_name["truncated.pdf"][:2] == ("unreadable", "corrupt")
    assert by_name["encrypted.pdf"][:2] == ("unreadable", "encrypted")
    assert by_name["__tc_segfault__.txt"][:2] == ("failed", "crash") and "SIGSEGV" in by_name["__tc_segfault__.txt"][2]
    assert by_name["__tc_exit__.txt"][:2] == ("failed", "worker-exit")
    assert by_name["__tc_raise__.txt"][:2] == ("failed", "exception")
    assert "RuntimeError" in by_name["__tc_raise__.txt"][2]
    assert by_name["__tc_hang__.txt"][:2] == ("timeout", "timeout")
    assert result.statuses == {"ok": 5, "unreadable": 2, "failed": 3, "timeout": 1}
    assert rows(db, "PRAGMA journal_mode")[0][0] == "wal"
    assert rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("2",)]
    exit_codes = dict(rows(db, "SELECT error_code, exit_code FROM results WHERE status = 'unreadable'"))
    assert exit_codes == {"corrupt": 3, "encrypted": 4}


def test_results_match_a_single_check(scanned):
    """What the batch stores is what `tendercheck check` reports for the same document."""
    from checker.ingest import parse
    from checker.pipeline import Checker

    docs, db, _ = scanned
    path = docs / "works_tender.docx"
    expected = Checker().check(parse(path))
    (report_json, n, errors, exit_code, regime, doc_type), = rows(
        db, "SELECT report_json, findings, errors, exit_code, regime, doc_type FROM results WHERE path = ?",
        "works_tender.docx")  # relative to the folder scanned
    stored = json.loads(report_json)
    assert [f["fingerprint"] for f in stored["findings"]] == [f.fingerprint for f in expected.findings]
    assert n == len(expected.findings) and errors == sum(f.severity.value == "error" for f in expected.findings)
    assert exit_code == (1 if errors else 0)
    assert (regime, doc_type) == (expected.document.regime, expected.document.doc_type)
    fps = rows(db, "SELECT fingerprint FROM findings f JOIN results r USING (sha256, rulepack_version) "
                   "WHERE r.path = ?", "works_tender.docx")
    assert sorted(f for f, in fps) == sorted(f.fingerprint for f in expected.findings)


def test_rerun_skips_everything_already_checked(scanned, tmp_path):
    docs, db, first = scanned
    copy_db = tmp_path / "r.sqlite"
    shutil.copy(db, copy_db)
    before = rows(copy_db, "SELECT count(*) FROM results")[0][0]
    again = scan(ScanOptions(inputs=[str(docs)], db=str(copy_db), workers=2, progress=False))
    assert again.to_check == 0 and again.reused == first.total == 11
    assert rows(copy_db, "SELECT count(*) FROM results")[0][0] == before
    # A new document, and a second path with the content of one already checked: only the new one is checked.
    shutil.copy(CORPUS / "works_tender.pdf", docs / "zz_new.pdf")
    shutil.copy(CORPUS / "works_tender.docx", docs / "zz_same_content.docx")
    try:
        third = scan(ScanOptions(inputs=[str(docs)], db=str(copy_db), workers=1, progress=False))
    finally:
        (docs / "zz_new.pdf").unlink()
        (docs / "zz_same_content.docx").unlink()
    assert (third.to_check, third.reused, third.total) == (1, 12, 13)
    assert rows(copy_db, "SELECT count(*) FROM results")[0][0] == before + 1
    assert rows(copy_db, "SELECT count(*) FROM (SELECT sha256, rulepack_version FROM results GROUP BY 1, 2 "
                         "HAVING count(*) > 1)")[0][0] == 0
    runs = rows(copy_db, "SELECT id, status, total, checked, reused FROM runs ORDER BY id")
    assert [r[1] for r in runs] == ["done", "done", "done"]
    assert runs[2][2:] == (13, 1, 12)


def test_retry_failed_checks_failures_again(scanned, tmp_path):
    docs, db, _ = scanned
    copy_db = tmp_path / "r.sqlite"
    shutil.copy(db, copy_db)
    # Without the hooks the failed documents are ordinary text files now, and check fine.
    result = scan(ScanOptions(inputs=[str(docs)], db=str(copy_db), workers=1, progress=False, retry_failed=True,
                              recycle=2))
    assert result.to_check == 4 and result.statuses == {"ok": 4}
    assert len({o.worker for o in result.outcomes}) == 2  # --recycle 2: a fresh worker after two documents
    assert rows(copy_db, "SELECT count(*) FROM results WHERE status IN ('failed', 'timeout')")[0][0] == 0
    assert rows(copy_db, "SELECT count(*) FROM results")[0][0] == 11


def test_rule_pack_change_rescans_and_compare_lists_the_difference(scanned, tmp_path):
    docs, db, _ = scanned
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    (rules / "technical" / "TECH-BRAND-DESIGNATION.yaml").unlink()  # a rule removed in the "new" pack
    new_db = tmp_path / "new.sqlite"
    result = scan(ScanOptions(inputs=[str(docs / n) for n in GOOD], db=str(new_db), workers=2, progress=False,
                              session=SessionOptions(rules_dir=str(rules))))
    old_version = rows(db, "SELECT rulepack_version FROM runs")[0][0]
    assert result.rulepack_version != old_version and result.to_check == len(GOOD)

    old_store, new_store = Store(db, readonly=True), Store(new_db, readonly=True)
    try:
        c = compare(new_store, old_store)
    finally:
        old_store.close()
        new_store.close()
    removed = rows(db, "SELECT count(*) FROM findings WHERE rule_id = 'TECH-BRAND-DESIGNATION'")[0][0]
    assert removed > 0
    assert c.compared == len(GOOD)
    diff = {r.rule_id: r for r in c.rules}
    assert len(diff["TECH-BRAND-DESIGNATION"].vanished) == removed
    assert not diff["TECH-BRAND-DESIGNATION"].appeared
    assert all(not r.vanished for r in c.rules if r.rule_id != "TECH-BRAND-DESIGNATION")
    text = render_comparison(c)
    assert "TECH-BRAND-DESIGNATION" in text and f"-{removed}" in text
    assert "文件" in text and "消失" in text


def test_summary_dashboard_and_trends(scanned, tmp_path):
    docs, db, _ = scanned
    copy_db = tmp_path / "r.sqlite"
    shutil.copy(db, copy_db)
    (docs / "truncated.pdf").rename(tmp_path / "truncated.pdf")  # one unreadable document fewer in the next run
    try:
        scan(ScanOptions(inputs=[str(docs)], db=str(copy_db), workers=1, progress=False))
    finally:
        (tmp_path / "truncated.pdf").rename(docs / "truncated.pdf")
    store = Store(copy_db, readonly=True)
    try:
        s = summarize(store)
    finally:
        store.close()
    assert s.previous is not None and s.totals.documents == 10 and s.previous_totals.documents == 11
    assert (s.totals.unreadable, s.previous_totals.unreadable) == (1, 2)
    assert s.totals.ok == 5 and s.totals.failed == 3 and s.totals.timeout == 1
    assert {r["rule_id"] for r in s.by_rule} and all(r["delta"] == 0 for r in s.by_rule)
    assert sum(r["findings"] for r in s.by_rule) == s.totals.findings > 0
    assert {r["regime"] for r in s.by_regime} >= {"工程", "政府采购"}
    assert s.by_stage and s.worst[0]["errors"] >= s.worst[-1]["errors"]
    assert {d["status"] for d in s.unreadable} == {"unreadable", "failed", "timeout"}

    html = render_dashboard_html(s)
    for heading in ("按规则", "按在线检查阶段", "按适用体系", "按代理机构", "问题最多的文件", "无法读取或检查失败的文件", "较上次"):
        assert heading in html
    assert "encrypted" in html and "SIGSEGV" in html and "<script" not in html and "http" not in html.split("</head>")[0]

    from openpyxl import load_workbook
    import io

    wb = load_workbook(io.BytesIO(render_dashboard_xlsx(s)))
    assert wb.sheetnames == ["概况", "按规则", "按阶段", "按适用体系", "按代理机构", "按文件类型", "问题最多的文件", "无法读取"]
    assert wb["无法读取"].max_row == 1 + len(s.unreadable)


def test_manifest_metadata_and_overrides(tmp_path):
    make_corpus(tmp_path / "docs")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "path,project_id,agency,stage,doc_type,regime\n"
        "docs/works_tender.docx,P-001,甲招标代理有限公司,招标,招标文件,\n"
        "docs/works_prequal.docx,P-001,甲招标代理有限公司,资格预审,,\n"
        "docs/gp_goods_tender.docx,P-002,乙采购代理有限公司,,,工程\n"
        "docs/missing.docx,P-003,丙,,,\n", encoding="utf-8-sig")
    found = discover([manifest])
    assert [Path(d.path).name for d in found.documents] == ["works_tender.docx", "works_prequal.docx",
                                                            "gp_goods_tender.docx"]
    assert found.missing == [str(tmp_path / "docs" / "missing.docx")]
    db = tmp_path / "r.sqlite"
    result = scan(ScanOptions(inputs=[str(manifest)], db=str(db), workers=1, progress=False))
    assert result.statuses == {"ok": 3} and result.missing
    meta = rows(db, "SELECT d.project_id, d.agency, d.stage, r.regime FROM documents d JOIN results r USING (sha256) "
                    "ORDER BY d.path")
    assert ("P-002", "乙采购代理有限公司", "S2", "工程") in meta  # the manifest's regime overrides 政府采购; stage found
    assert ("P-001", "甲招标代理有限公司", "资格预审", "工程") in meta
    store = Store(db, readonly=True)
    try:
        s = summarize(store)
    finally:
        store.close()
    assert {r["agency"] for r in s.by_agency} == {"甲招标代理有限公司", "乙采购代理有限公司"}
    assert s.missing == found.missing

    yaml_manifest = tmp_path / "m.yaml"
    yaml_manifest.write_text("documents:\n  - {path: docs/works_tender.docx, project_id: P-9, regime: 政府采购}\n"
                             "  - docs/works_prequal.pdf\n", encoding="utf-8")
    assert [r["project_id"] for r in read_manifest(yaml_manifest)] == ["P-9", None]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"path": "docs/works_tender.docx", "regime": "建设"}]), encoding="utf-8")
    with pytest.raises(UsageError, match="regime"):
        read_manifest(bad)


def test_directory_discovery_by_extension(tmp_path):
    docs = make_corpus(tmp_path / "docs")
    (docs / ".hidden").mkdir()
    shutil.copy(CORPUS / "works_tender.docx", docs / ".hidden" / "x.docx")
    (docs / "~$lock.docx").write_bytes(b"lock")
    names = sorted(Path(d.path).name for d in discover([docs]).documents)
    assert names == sorted(GOOD + ["truncated.pdf", "encrypted.pdf"])


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def _wait_for(db: Path, n: int, proc, limit=90.0) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        assert proc.poll() is None, proc.communicate()
        try:
            if db.exists() and rows(db, "SELECT count(*) FROM results")[0][0] >= n:
                return
        except sqlite3.OperationalError:
            pass
        time.sleep(0.2)
    raise AssertionError("the scan wrote too few results in time")


@pytest.mark.skipif(sys.platform != "linux", reason="kills processes and reads /proc")
@pytest.mark.parametrize("how", ["SIGINT", "SIGKILL"])
def test_interrupted_scan_loses_nothing_and_resumes_without_duplicates(tmp_path, how):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in GOOD[:3]:
        shutil.copy(CORPUS / name, docs / name)
    shutil.copy(BAD / "truncated.pdf", docs / "truncated.pdf")
    (docs / "__tc_hang__.txt").write_text("第一章 招标公告\nhang\n", encoding="utf-8")
    db = tmp_path / "r.sqlite"
    env = {**os.environ, TEST_HOOKS_ENV: "1"}
    cmd = [sys.executable, str(ROOT / "cli.py"), "scan", str(docs), "--db", str(db), "--workers", "2",
           "--timeout", "0", "-q"]
    proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        _wait_for(db, 4, proc)  # everything but the hanging document
        workers = _children(proc.pid)
        os.kill(proc.pid, signal.SIGINT if how == "SIGINT" else signal.SIGKILL)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    written = rows(db, "SELECT path, status FROM results")
    assert len(written) == 4 and all(s != "timeout" for _, s in written)
    if how == "SIGINT":
        assert proc.returncode == 130 and "已中断" in err
        assert rows(db, "SELECT status FROM runs") == [("interrupted",)]
    else:
        assert proc.returncode == -signal.SIGKILL
        assert rows(db, "SELECT status FROM runs") == [("running",)]  # died: nobody could mark it
    end = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < end:
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers), "worker processes outlived the scan"
    assert rows(db, "SELECT action, count(*) FROM run_docs GROUP BY 1 ORDER BY 1") == [("checked", 4), ("pending", 1)]

    # Resume: only the document without a result is checked (with a timeout this time), nothing twice.
    again = subprocess.run(cmd[:-3] + ["--timeout", "2", "-q"], env=env, cwd=tmp_path, capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0, again.stderr
    assert rows(db, "SELECT count(*), count(DISTINCT sha256) FROM results") == [(5, 5)]
    assert rows(db, "SELECT status FROM results WHERE path LIKE '%__tc_hang__%'") == [("timeout",)]
    assert rows(db, "SELECT checked, reused FROM runs ORDER BY id DESC LIMIT 1") == [(1, 4)]


# ---------------------------------------------------------------------------------------------------- sampling


def _sample_db(path: Path, projects: int = 100) -> Path:
    """A results database with `projects` projects of two documents each; project k has k % 7 error findings."""
    from checker.batch.discover import DocEntry

    store = Store(path)
    run = store.start_run("1+test", "0", "local", {})
    docs = [DocEntry(path=f"/d/p{k:03}-{i}.docx", sha256=f"{k:03}{i}".ljust(64, "0"), size=1, format="docx",
                     project_id=f"P{k:03}", agency=f"A{k % 3}") for k in range(projects) for i in range(2)]
    store.note_documents(run, "1+test", docs, set())
    for d in docs:
        k = int(d.project_id[1:])
        errs = (k % 7) if d.path.endswith("-0.docx") else 0
        store.record(run, "1+test", Outcome(sha256=d.sha256, path=d.path, status="ok", findings=[
            {"rule_id": "R", "severity": "error", "stage": "S2", "fingerprint": f"{d.sha256[:6]}{j}"}
            for j in range(errs)] + [{"rule_id": "W", "severity": "warning", "stage": "S2", "fingerprint": "w"}]))
    store.finish_run(run, "done")
    store.close()
    return path


def test_sample_size_is_at_least_the_share():
    assert sample_size(0.05, 100) == 5  # not 6: 0.05 × 100 in binary floating point is 5.000000000000001
    assert sample_size(0.05, 101) == 6 and sample_size(0.05, 3) == 1 and sample_size(1, 7) == 7
    assert sample_size(0.05, 0) == 0
    for n in range(1, 300):
        assert sample_size(0.05, n) / n >= 0.05


def test_sample_is_reproducible_weighted_and_published(tmp_path):
    db = _sample_db(tmp_path / "s.sqlite")
    store = Store(db, readonly=True)
    try:
        a, b = draw(store, 0.05, "20260101"), draw(store, 0.05, "20260101")
        other = draw(store, 0.05, "20260102")
        assert [p.project_id for p in a.drawn] == [p.project_id for p in b.drawn]
        assert [p.project_id for p in a.drawn] != [p.project_id for p in other.drawn]
        assert a.population == 100 and a.n == len(a.drawn) == 5 and len({p.project_id for p in a.drawn}) == 5
        p = next(p for p in a.drawn)
        assert p.weight == 1 + 3 * p.errors + p.warnings and len(p.documents) == 2
        # Riskier projects are drawn more often: over many seeds, weight-21 projects (k % 7 == 6: 6 errors, 2
        # warnings) beat weight-3 ones (k % 7 == 0: no errors, 2 warnings).
        hits = {"risky": 0, "clean": 0}
        for seed in range(300):
            for q in draw(store, 0.05, str(seed)).drawn:
                k = int(q.project_id[1:]) % 7
                if k == 6:
                    hits["risky"] += 1
                elif k == 0:
                    hits["clean"] += 1
        assert hits["risky"] > 2.5 * hits["clean"] > 0
        assert draw(store, 0.2).seed  # no seed given: one is made up, and printed
    finally:
        store.close()
    text = render_draw(a)
    assert "随机种子 20260101" in text and "N = 100" in text and "n = 5" in text
    assert all(p.project_id in text for p in a.drawn)
    assert json.loads(render_draw(a, "json"))["seed"] == "20260101"


def test_sample_cli(tmp_path):
    db = _sample_db(tmp_path / "s.sqlite", projects=40)
    runner = CliRunner()
    r1 = runner.invoke(cli.main, ["sample", "--db", str(db), "--ratio", "0.1", "--seed", "7"])
    r2 = runner.invoke(cli.main, ["sample", "--db", str(db), "--ratio", "0.1", "--seed", "7", "--format", "csv"])
    assert r1.exit_code == 0 and "随机种子 7" in r1.output and "n = 4" in r1.output
    assert r2.exit_code == 0 and len(r2.output.strip().splitlines()) == 5
    bad = runner.invoke(cli.main, ["sample", "--db", str(tmp_path / "nope.sqlite")])
    assert bad.exit_code == 2


def test_scan_cli(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in GOOD[:2]:
        shutil.copy(CORPUS / name, docs / name)
    db, html, xlsx = tmp_path / "r.sqlite", tmp_path / "s.html", tmp_path / "s.xlsx"
    runner = CliRunner()
    r = runner.invoke(cli.main, ["scan", str(docs), "--db", str(db), "--workers", "1", "-q", "--report", str(html),
                                 "--xlsx", str(xlsx)])
    assert r.exit_code == 0, r.output
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>") and xlsx.stat().st_size > 0
    r = runner.invoke(cli.main, ["scan", "--db", str(db), "--compare", str(db)])  # the database alone: compare only
    assert r.exit_code == 0 and "没有变化" in r.output
    assert runner.invoke(cli.main, ["scan", "--db", str(db)]).exit_code == 2  # nothing to do
    assert runner.invoke(cli.main, ["scan", "--db", str(tmp_path / "none.sqlite"), "--report", "x.html"]).exit_code == 2
