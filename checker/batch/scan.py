"""`tendercheck scan`: discover documents, skip those already checked with this rule-pack version, check the rest in
a local process pool or on a Dask cluster, and write each result to the database as it arrives."""
from __future__ import annotations

import signal
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from .compare import STATUS_LABEL
from .discover import discover
from .projects import group
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
    include: Sequence[str] = ()  # globs on the relative path (discover.py)
    exclude: Sequence[str] = ()


@dataclass
class ScanResult:
    run_id: int
    rulepack_version: str
    engine: str
    total: int = 0  # documents discovered
    projects: int = 0  # projects among them (checked across their documents)
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
        done = "、".join(f"{STATUS_LABEL.get(k, k)} {v}" for k, v in sorted(self.statuses.items())) or "无"
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
        projects = f"（{self.projects} 个项目）" if self.projects else ""
        return (f"{head}第 {self.run_id} 次扫描（{self.engine}，规则包 {self.rulepack_version}）：共 {self.total} 个文件"
                f"{projects}，"
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
    found = discover(opts.inputs, include=opts.include, exclude=opts.exclude)
    projects, loose = group(found, list(opts.inputs))
    if projects and not opts.scheduler:
        from .project_job import get_project_checker

        get_project_checker(spec)  # once, in the parent: forked workers share it
    store = Store(opts.db)
    engine = "dask" if opts.scheduler else "local"
    args = {"inputs": [str(p) for p in opts.inputs], "workers": opts.workers, "timeout": opts.timeout,
            "scheduler": opts.scheduler, "rules_dir": spec.rules_dir, "config": spec.config,
            "retry_failed": opts.retry_failed, "missing": found.missing, "root": found.root,
            "include": list(opts.include), "exclude": list(opts.exclude), "excluded": len(found.excluded)}
    run_id = store.start_run(version, tool_version(), engine, args)
    result = ScanResult(run_id=run_id, rulepack_version=version, engine=engine, total=len(found.documents),
                        missing=found.missing, projects=len(projects))
    status = "interrupted"
    started = time.perf_counter()
    previous = _on_sigterm_interrupt()
    try:
        run = _Run(store, run_id, version, result, on_outcome)
        ordered = run.plan(found, projects, loose, opts.retry_failed)
        with _Progress(len(ordered), enabled=opts.progress and bool(ordered)) as bar:
            run.bar = bar
            if not ordered:
                pass
            elif opts.scheduler:
                from .distributed import run_dask

                run_dask(opts.scheduler, [j for j in ordered if run.claim(j)], spec, opts.timeout, run.record,
                         bar.refresh)
            else:
                from .pool import LocalPool

                with LocalPool(opts.workers, spec, timeout=opts.timeout, recycle=opts.recycle) as pool:
                    pool.run(ordered, run.record, bar.refresh, claim=run.claim)
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


class _Run:
    """One scan's bookkeeping in the parent: which jobs to run (documents and projects not yet checked with this
    rule-pack version), and each Outcome written to the database as it arrives."""

    def __init__(self, store: Store, run_id: int, version: str, result: ScanResult, on_outcome=None):
        self.store, self.run_id, self.version, self.result, self.on_outcome = store, run_id, version, result, on_outcome
        self.jobs: dict[str, dict] = {}
        self.same: dict[str, list[str]] = {}  # sha256 → the other paths with that content
        self.bar: Optional[_Progress] = None

    def plan(self, found, projects, loose, retry_failed: bool) -> list[dict]:
        store, version, result = self.store, self.version, self.result
        done = store.done_shas(version, retry_failed=retry_failed)
        done_projects = store.done_projects(version, retry_failed=retry_failed)
        in_done_project = {d.path for p in projects if p.sha256 in done_projects for d in p.documents}
        store.note_documents(self.run_id, version, found.documents, done | _shas(projects, done_projects))
        store.note_projects(self.run_id, version, projects, done_projects)
        result.reused = sum(1 for d in found.documents if d.sha256 in done or d.path in in_done_project)
        if not retry_failed:
            result.failed_skipped = [r["path"] for r in store.failed_among(version, done)]
        self.jobs = {p.sha256: p.job() for p in projects if p.sha256 not in done_projects}
        for d in loose:
            if d.sha256 in done:
                continue
            if d.sha256 in self.jobs:
                self.same.setdefault(d.sha256, []).append(d.path)
            else:
                self.jobs[d.sha256] = d.job()
        result.to_check = sum(len(j["documents"]) if j.get("kind") == "project" else 1 for j in self.jobs.values())
        # Largest first: a big document started last would keep one worker busy while the others idle.
        return sorted(self.jobs.values(), key=lambda j: -j["size"])

    def _mismatch(self, out: Outcome) -> bool:
        return out.status == "ok" and bool(out.rulepack_version) and out.rulepack_version != self.version

    def record(self, out: Outcome) -> None:
        job = self.jobs[out.sha256]
        if job.get("kind") == "project":
            return self.record_project(out)
        out.path = job["rel"]  # as discovered, relative to the scan's root
        if self._mismatch(out):
            out = Outcome(sha256=out.sha256, path=out.path, status="failed", error_code="rulepack-mismatch",
                          message=f"工作进程的规则包版本 {out.rulepack_version} 与本次扫描的 {self.version} 不同",
                          seconds=out.seconds, worker=out.worker)
        self.store.record(self.run_id, self.version, out)
        for other in self.same.get(out.sha256, []):
            self.store.mark_checked(self.run_id, other, out.sha256, self.version)
        self._count(out)
        self._done(out, Outcome(**{**out.__dict__, "report_json": None, "findings": []}))

    def record_project(self, out: Outcome) -> None:
        job = self.jobs[out.sha256]
        out.path, out.project_id = job["rel"] or job["project_id"], job["project_id"]
        docs = {d["rel"]: d for d in job["documents"]}
        if self._mismatch(out):
            out.status, out.error_code = "failed", "rulepack-mismatch"
        for d in out.documents if out.status == "ok" else []:
            d = d if isinstance(d, Outcome) else Outcome(**d)  # from Dask: the nested Outcomes came back as dicts
            self.store.record(self.run_id, self.version, d)
            self._count(d)
            docs.pop(d.path, None)
        for rel, d in docs.items():  # the project failed as a whole (crash, timeout): each document says so
            failed = Outcome(sha256=d["sha256"], path=rel, status=out.status, error_code=out.error_code,
                             message=out.message, seconds=out.seconds, worker=out.worker)
            self.store.record(self.run_id, self.version, failed)
            self._count(failed)
        self.store.record_project(self.run_id, self.version, out)
        self._done(out, Outcome(**{**out.__dict__, "report_json": None, "findings": [], "documents": []}))

    def _count(self, out: Outcome) -> None:
        self.result.statuses[out.status] += 1
        self.result.pages += out.pages or 0

    def _done(self, out: Outcome, light: Outcome) -> None:
        self.result.outcomes.append(light)
        if self.on_outcome:
            self.on_outcome(out)
        if self.bar is not None:
            self.bar.advance(out)

    def claim(self, job: dict) -> bool:
        if job.get("kind") == "project":
            return True  # a project is not split between concurrent scans: its key is checked once per run
        if self.store.claim(self.run_id, self.version, job["sha256"]):
            return True
        for path in [job["rel"], *self.same.get(job["sha256"], [])]:
            self.store.mark_checked(self.run_id, path, job["sha256"], self.version, action="reused")
        self.result.elsewhere += 1
        if self.bar is not None:
            self.bar.skip()
        return False


def _shas(projects, done_projects: set[str]) -> set[str]:
    """The documents of projects already checked: reused, not pending."""
    return {d.sha256 for p in projects if p.sha256 in done_projects for d in p.documents}


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
            text = " ".join(f"{STATUS_LABEL.get(k, k)} {v}" for k, v in sorted(self.counts.items()))
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

