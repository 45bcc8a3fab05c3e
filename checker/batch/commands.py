"""What `tendercheck scan` and `tendercheck sample` do, so that cli.py stays options in, a call, an exit code."""
from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from dataclasses import dataclass
from typing import Optional

from ..errors import EXIT_OK, UsageError
from .scan import ScanOptions, scan
from .store import Store, StoreError

# The scan stopped before its end (no Dask worker left): the run is marked interrupted, a rerun goes on.
EXIT_SCAN_STOPPED = 20


def _write(path: str, data: str | bytes) -> None:
    try:
        Path(path).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"无法写入输出文件：{exc.strerror or exc}", path) from None


@dataclass(frozen=True)
class Outputs:
    """What `scan` writes from the database once the scan is done."""

    report: Optional[str] = None  # --report: the HTML dashboard
    xlsx: Optional[str] = None  # --xlsx: the summary workbook
    site: Optional[str] = None  # --site: the static site
    compare_db: Optional[str] = None  # --compare: another result database
    compare_details: int = 20  # findings listed per rule in the comparison (0: all)
    review_db: Optional[str] = None  # --review-db: the desk's verdicts per rule (else the configuration's [review] db)


def scan_command(opts: ScanOptions, outputs: Outputs) -> int:
    """Scan (when inputs are given), then the summary files and the comparison from the database. Returns the exit
    code: 0 when the scan finished (whatever it found); KeyboardInterrupt propagates (130)."""
    inputs, db, scheduler, rules_dir = opts.inputs, opts.db, opts.scheduler, opts.session.rules_dir
    report, xlsx, site, compare_db = outputs.report, outputs.xlsx, outputs.site, outputs.compare_db
    if not inputs and not (report or xlsx or compare_db or site):
        raise UsageError("请给出要扫描的目录、清单或文件，或用 --report/--site/--xlsx/--compare 只读取结果库")
    if compare_db and not Path(compare_db).is_file():
        raise UsageError("对比用的结果库不存在", compare_db)
    feedback = _feedback(opts, outputs)  # before the scan: a wrong path must not wait for the night to end
    code = EXIT_OK
    try:
        if inputs:
            result = scan(opts)
            print(result.line(), file=sys.stderr)
            if result.stop_reason:
                print(f"tendercheck: {scheduler}: {result.stop_reason} [no-workers]", file=sys.stderr)
                code = EXIT_SCAN_STOPPED
            for path in result.missing:
                print(f"tendercheck: {path}: 清单中列出的文件不存在 [missing]", file=sys.stderr)
        elif not Path(db).is_file():
            raise UsageError("结果库不存在", db)
        comparison = _comparison(db, compare_db) if compare_db else None
        if comparison is not None:
            from .compare import render_comparison

            sys.stdout.write(render_comparison(comparison, details=outputs.compare_details))
        _outputs(db, rules_dir, report, xlsx, site, comparison, feedback)
    except (StoreError, ValueError, sqlite3.DatabaseError) as exc:  # a database damaged mid-way, too
        raise UsageError(str(exc), db) from None
    return code


def _feedback(opts: ScanOptions, outputs: Outputs):
    """The reviewers' rates per rule (checker/feedback.py, the desk's own definition), read once; None when no
    review database is named by --review-db or by the configuration's [review] db."""
    path = outputs.review_db
    if path is None:
        if not (outputs.report or outputs.xlsx or outputs.site):
            return None
        from ..config import load_config

        s = opts.session
        if not (s.config or s.search):
            return None
        path = load_config(Path(s.config) if s.config else None).review_db_path()
        if path is None:
            return None
    from ..feedback import read_feedback

    return read_feedback(path)


def _comparison(db: str, compare_db: str):
    """The latest run of `db` against the latest of `compare_db`; the same database: against the run before (or
    itself when it has only one)."""
    from .compare import compare

    new, old = Store(db, readonly=True), Store(compare_db, readonly=True)
    try:
        same = Path(db).resolve() == Path(compare_db).resolve()
        if same:
            run = new.last_run()
            prev = new.last_run(before=run["id"]) if run is not None else None
            return compare(new, new, run["id"] if run else None, (prev or run)["id"] if run else None)
        return compare(new, old)
    finally:
        new.close()
        old.close()


def _outputs(db: str, rules_dir: Optional[str], report: Optional[str], xlsx: Optional[str], site: Optional[str],
             comparison, feedback=None) -> None:
    """The dashboard page, the workbook and the static site, each with the comparison when one was asked for (else
    with the run before in the same database), and the reviewers' rates per rule when `feedback` is given."""
    if not (report or xlsx or site):
        return
    from .compare import previous_comparison
    from .dashboard import render_dashboard_html, render_dashboard_xlsx
    from .summary import summarize

    store = Store(db, readonly=True)
    try:
        summary = summarize(store, rules_dir=rules_dir)
        comparison = comparison or previous_comparison(store)
        if report:
            _write(report, render_dashboard_html(summary, comparison, feedback))
        if xlsx:
            _write(xlsx, render_dashboard_xlsx(summary, comparison, store, feedback))
        if site:
            from .site import build_site

            try:
                build_site(store, Path(site), rules_dir=rules_dir, comparison=comparison, feedback=feedback)
            except OSError as exc:
                raise UsageError(f"无法写入看板目录：{exc.strerror or exc}", site) from None
    finally:
        store.close()


def sample_command(db: str, ratio: float, seed: Optional[str], fmt: str, output: Optional[str],
                   run_id: Optional[int]) -> int:
    from .sample import draw, render_draw

    if not Path(db).is_file():
        raise UsageError("结果库不存在（先运行 tendercheck scan --db …）", db)
    try:
        store = Store(db, readonly=True)
        try:
            result = draw(store, ratio, seed, run_id)
        finally:
            store.close()
    except (StoreError, ValueError, sqlite3.DatabaseError) as exc:  # a database damaged mid-way, too
        raise UsageError(str(exc), db) from None
    text = render_draw(result, fmt)
    if output:
        _write(output, text)
        print(f"随机种子 {result.seed}；项目总数 {result.population}；抽取 {result.n} 个 → {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK
