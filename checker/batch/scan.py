"""`tendercheck scan`: discover documents, skip those already checked with this rule-pack version, check the rest in
a local process pool or on a Dask cluster, and write each result to the database as it arrives."""
from __future__ import annotations

import signal
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from .discover import discover
from .distributed import NoWorkers
from .store import Outcome, Store
from ..session import SessionOptions
from .worker import get_session

DEFAULT_TIMEOUT = 300.0


@dataclass
class ScanOptions:
    inputs: Sequence[str]
    db: str
    workers: int = 1
    timeout: Optional[float] = DEFAULT_TIMEOUT  # seconds per document (None: no limit)
    scheduler: Optional[str] = None  # tcp://HOST:PORT of a Dask distributed scheduler
    session: SessionOptions = field(default_factory=SessionOptions)  # rules, configuration, waivers… as `check`
    retry_failed: bool = False  # check again documents whose last result is failed / timeout
    recycle: int = 0  # replace a local worker after this many documents (0: never)
    progress: bool = True


@dataclass
class ScanResult:
    run_id: int
    rulepack_version: str
    engine: str
    total: int = 0  # documents discovered
    reused: int = 0  # already in the database for this rule-pack version
    to_check: int = 0
    statuses: Counter = field(default_factory=Counter)  # of the documents checked by this run
    missing: list[str] = field(default_factory=list)  # manifest rows without a file
    seconds: float = 0.0
    pages: int = 0
    interrupted: bool = False
    outcomes: list[Outcome] = field(default_factory=list)  # light copies (no report JSON), for benchmarks
    failed_skipped: list[str] = field(default_factory=list)  # earlier failed/timeout results not retried (paths)
    elsewhere: int = 0  # claimed by a concurrent scan of the same database
    stop_reason: str = ""  # why an interrupted run stopped, when not Ctrl-C


    def line(self) -> str:
        done = "、".join(f"{k} {v}" for k, v in sorted(self.statuses.items())) or "无"
        rate = f"，{sum(self.statuses.values()) / self.seconds:.2f} 个/秒" if self.seconds and self.statuses else ""
        head = "已中断：" if self.interrupted else ""
        missing = f"；清单中 {len(self.missing)} 个文件不存在" if self.missing else ""
        failed = ""
        if self.failed_skipped:  # a rerun must not silently pass over documents that never got a verdict
            names = "、".join(Path(p).name for p in self.failed_skipped[:5])
            more = " 等" if len(self.failed_skipped) > 5 else ""
            failed = (f"（其中 {len(self.failed_skipped)} 个上次检查失败或超时，本次未重试：{names}{more}；"
                      "用 --retry-failed 重试）")
        elsewhere = f"；{self.elsewhere} 个由同时运行的另一次扫描检查" if self.elsewhere else ""
        stop = f"；{self.stop_reason}" if self.stop_reason else ""
        return (f"{head}第 {self.run_id} 次扫描（{self.engine}，规则包 {self.rulepack_version}）：共 {self.total} 个文件，"
                f"已有结果 {self.reused} 个{failed}，本次检查 {sum(self.statuses.values())}/{self.to_check} 个（{done}），"
                f"用时 {self.seconds:.1f} 秒{rate}{missing}{elsewhere}{stop}")


def scan(opts: ScanOptions, on_outcome=None) -> ScanResult:
    """Run one scan. KeyboardInterrupt propagates after the run is marked interrupted (everything already written
    stays; a rerun goes on from there)."""
    from ..pipeline import tool_version

    spec = opts.session.resolved()  # in the parent: a worker's current directory is not the user's
    if opts.scheduler:
        version = _pack_version(spec)  # the parent does not check documents: the pack alone gives the version
    else:
        version = get_session(spec).pack.version  # built once here; forked workers share it
    found = discover(opts.inputs)
    store = Store(opts.db)
    engine = "dask" if opts.scheduler else "local"
    args = {"inputs": [str(p) for p in opts.inputs], "workers": opts.workers, "timeout": opts.timeout,
            "scheduler": opts.scheduler, "rules_dir": spec.rules_dir, "config": spec.config,
            "retry_failed": opts.retry_failed, "missing": found.missing}
    run_id = store.start_run(version, tool_version(), engine, args)
    result = ScanResult(run_id=run_id, rulepack_version=version, engine=engine, total=len(found.documents),
                        missing=found.missing)
    status = "interrupted"
    started = time.perf_counter()
    previous = _on_sigterm_interrupt()
    try:
        done = store.done_shas(version, retry_failed=opts.retry_failed)
        store.note_documents(run_id, version, found.documents, done)
        result.reused = sum(1 for d in found.documents if d.sha256 in done)
        if not opts.retry_failed:
            result.failed_skipped = [r["path"] for r in store.failed_among(version, done)]
        jobs, same = _jobs(found.documents, done)
        result.to_check = len(jobs)
        # Largest first: a big document started last would keep one worker busy while the others idle.
        ordered = sorted(jobs.values(), key=lambda j: -j["size"])

        def record(out: Outcome) -> None:
            out.path = jobs[out.sha256]["path"]  # as discovered (a Dask worker was given the absolute path)
            if out.status == "ok" and out.rulepack_version and out.rulepack_version != version:
                out = Outcome(sha256=out.sha256, path=out.path, status="failed", error_code="rulepack-mismatch",
                              message=f"工作进程的规则包版本 {out.rulepack_version} 与本次扫描的 {version} 不同",
                              seconds=out.seconds, worker=out.worker)
            store.record(run_id, version, out)
            for other in same.get(out.sha256, []):
                store.mark_checked(run_id, other, out.sha256, version)
            result.statuses[out.status] += 1
            result.pages += out.pages or 0
            result.outcomes.append(Outcome(**{**out.__dict__, "report_json": None, "findings": []}))
            if on_outcome:
                on_outcome(out)
            bar.advance(out)

        def claim(job: dict) -> bool:
            if store.claim(run_id, version, job["sha256"]):
                return True
            for path in [job["path"], *same.get(job["sha256"], [])]:
                store.mark_checked(run_id, path, job["sha256"], version, action="reused")
            result.elsewhere += 1
            bar.skip()
            return False

        with _Progress(len(jobs), enabled=opts.progress and bool(jobs)) as bar:
            if not jobs:
                pass
            elif opts.scheduler:
                from .distributed import run_dask

                run_dask(opts.scheduler, [j for j in ordered if claim(j)], spec, opts.timeout, record, bar.refresh)
            else:
                from .pool import LocalPool

                with LocalPool(opts.workers, spec, timeout=opts.timeout, recycle=opts.recycle) as pool:
                    pool.run(ordered, record, bar.refresh, claim=claim)
        status = "done"
    except NoWorkers as exc:  # the documents not done stay `pending` in run_docs; a rerun goes on from there
        result.interrupted = True
        result.stop_reason = str(exc)
    except KeyboardInterrupt:
        result.interrupted = True
        raise
    finally:
        result.seconds = time.perf_counter() - started
        store.finish_run(run_id, status)
        store.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return result


def _jobs(documents, done: set) -> tuple[dict[str, dict], dict[str, list[str]]]:
    """One job per content not yet checked, by sha256; and sha256 → the other paths with that content."""
    jobs: dict[str, dict] = {}
    same: dict[str, list[str]] = {}
    for d in documents:
        if d.sha256 in done:
            continue
        if d.sha256 in jobs:
            same.setdefault(d.sha256, []).append(d.path)
        else:
            jobs[d.sha256] = d.job()
    return jobs, same


def _on_sigterm_interrupt():
    """SIGTERM (a service manager stopping the scan) ends it as Ctrl-C does: the run is marked interrupted instead
    of staying `running` for good. Returns the previous handler (None when not in the main thread)."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread
        return None


def _pack_version(spec: SessionOptions) -> str:
    from ..session import Session

    return Session(spec).pack.version


class _Progress:
    """A rich progress bar on stderr with the ETA, refreshed by the pool's loop (no refresh thread: the pool forks
    replacement workers, and forking a process that runs threads is unsafe)."""

    def __init__(self, total: int, enabled: bool):
        self.enabled = enabled
        self.total = total
        self.counts: Counter = Counter()
        self.progress = None
        if enabled:
            from rich.console import Console
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            self.progress = Progress(TextColumn("[bold]扫描"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(), TextColumn("剩余"),
                                     TimeRemainingColumn(), TextColumn("{task.fields[counts]}"),
                                     console=Console(stderr=True), auto_refresh=False, transient=False)
            self.task = self.progress.add_task("scan", total=total, counts="")

    def __enter__(self) -> "_Progress":
        if self.progress:
            self.progress.start()
        return self

    def advance(self, out: Outcome) -> None:
        self.counts[out.status] += 1
        if self.progress:
            text = " ".join(f"{k}={v}" for k, v in sorted(self.counts.items()))
            self.progress.update(self.task, advance=1, counts=text)
            self.progress.refresh()

    def skip(self) -> None:
        if self.progress:
            self.progress.update(self.task, advance=1)

    def refresh(self) -> None:
        if self.progress:
            self.progress.refresh()

    def __exit__(self, *exc) -> None:
        if self.progress:
            self.progress.stop()

