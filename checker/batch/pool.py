"""A small process pool that survives its workers: each worker is a `multiprocessing.Process` with its own pipe and
one document at a time, so the parent always knows which document a worker holds. A worker that dies (a segfault
in a C extension, os._exit) or passes the per-document deadline is killed and replaced, and that document is
recorded as failed / timeout; the batch goes on. (`concurrent.futures.ProcessPoolExecutor` breaks as a whole on one
dead worker: BrokenProcessPool.)

The fork start method is used where it exists: the parent builds the Checker and initialises jieba once, and every
worker — a replacement too — starts with them already in memory (stack-notes §5: 1.9–2.06× on 2 cores). Elsewhere
(spawn) each worker builds its own on start. The parent runs no threads, so forking a replacement is safe.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from collections import deque
from multiprocessing.connection import wait
from typing import Callable, Iterable, Optional

from .store import Outcome
from .worker import check_one, die_with_parent, died, get_session

TICK = 0.25  # seconds between progress refreshes while waiting


def _worker_main(conn, spec, parent_pid: int) -> None:
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it stops the workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's SIGTERM handler is for the parent (scan.py)
    get_session(spec)  # already built before the fork; built here under spawn
    from ..limits import apply_memory_ceiling

    apply_memory_ceiling()  # a hostile document ends as one unreadable row (exit 18), not in the OOM killer
    while True:
        if not conn.poll(1.0):
            if os.getppid() != parent_pid:  # orphaned (no prctl): stop
                return
            continue
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(check_one(job, spec))


class _Slot:
    def __init__(self, proc, conn):
        self.proc = proc
        self.conn = conn
        self.job: Optional[dict] = None
        self.deadline: Optional[float] = None
        self.started = 0.0
        self.done = 0


class LocalPool:
    """`run(jobs, on_result)` checks every job with `workers` processes; `on_result(Outcome)` is called in the parent
    as each finishes (the parent writes it to the database there)."""

    def __init__(self, workers: int, spec, timeout: Optional[float] = None, recycle: int = 0,
                 start_method: Optional[str] = None):
        self.workers = max(1, workers)
        self.spec = spec
        self.timeout = timeout
        self.recycle = recycle  # replace a worker after this many documents (0: never)
        methods = mp.get_all_start_methods()
        self.ctx = mp.get_context(start_method or ("fork" if "fork" in methods else "spawn"))
        if self.ctx.get_start_method() == "fork":
            get_session(spec)  # once, in the parent: every forked worker shares it copy-on-write
        self.slots: list[_Slot] = []
        self.restarts = 0
        self.pids: list[int] = []  # every worker process started, in order

    def _spawn(self) -> _Slot:
        parent, child = self.ctx.Pipe(duplex=True)
        proc = self.ctx.Process(target=_worker_main, args=(child, self.spec, os.getpid()), daemon=True,
                                name="tendercheck-worker")
        proc.start()
        child.close()
        self.pids.append(proc.pid)
        return _Slot(proc, parent)

    def _replace(self, i: int, kill: bool) -> None:
        slot = self.slots[i]
        if kill and slot.proc.is_alive():
            slot.proc.kill()
        slot.proc.join(5)
        slot.conn.close()
        self.slots[i] = self._spawn()
        self.restarts += 1

    def run(self, jobs: Iterable[dict], on_result: Callable[[Outcome], None],
            on_tick: Optional[Callable[[], None]] = None, claim: Optional[Callable[[dict], bool]] = None) -> None:
        """`claim(job)` is asked just before a job goes to a worker; False skips it (another scan has it)."""
        pending = deque(jobs)
        if not self.slots:
            self.slots = [self._spawn() for _ in range(min(self.workers, max(1, len(pending))))]
        while pending or any(s.job is not None for s in self.slots):
            self._dispatch(pending, claim)
            busy = [s for s in self.slots if s.job is not None]
            now = time.monotonic()
            soonest = min((s.deadline for s in busy if s.deadline is not None), default=now + TICK)
            ready = set(wait([s.conn for s in busy] + [s.proc.sentinel for s in busy],
                             timeout=max(0.0, min(TICK, soonest - now))))
            for i, s in enumerate(list(self.slots)):
                if s.job is None:
                    continue
                if s.conn in ready or s.proc.sentinel in ready:
                    on_result(self._result(i, s, s.conn in ready))
                elif s.deadline is not None and time.monotonic() >= s.deadline:
                    on_result(self._timed_out(i, s))
            if on_tick:
                on_tick()

    def _dispatch(self, pending: deque, claim: Optional[Callable[[dict], bool]]) -> None:
        """Give every idle worker the next pending job."""
        for i, s in enumerate(list(self.slots)):
            if s.job is None and pending:
                job = pending.popleft()
                if claim is not None and not claim(job):
                    continue
                try:
                    s.conn.send(job)
                except OSError:  # the idle worker had died (killed from outside): replace it, keep the job
                    pending.appendleft(job)
                    self._replace(i, kill=True)
                    continue
                s.job, s.started = job, time.monotonic()
                # a project job holds several documents: the per-document limit times their number
                s.deadline = s.started + self.timeout * job.get("weight", 1) if self.timeout else None

    def _result(self, i: int, s: _Slot, readable: bool) -> Outcome:
        """The Outcome a worker sent, or, when it died under its document, a failed one (and a new worker)."""
        out = None
        if readable:
            try:
                out = s.conn.recv()
            except (EOFError, OSError):
                out = None
        if out is None:  # died under this document
            s.proc.join(5)
            out = died(s.job, s.proc.exitcode, time.monotonic() - s.started, f"{os.uname().nodename}:{s.proc.pid}")
            s.job = None
            self._replace(i, kill=True)
            return out
        s.job = None
        s.done += 1
        # Past the memory ceiling a worker's heap may stay mapped and fail the next document too: it is replaced
        # like a recycled one.
        if self.recycle and s.done >= self.recycle or out.error_code == "memory-limit":
            s.conn.send(None)
            self._replace(i, kill=False)
        return out

    def _timed_out(self, i: int, s: _Slot) -> Outcome:
        job, started = s.job, s.started
        s.job = None
        self._replace(i, kill=True)
        return Outcome(sha256=job["sha256"], path=job["path"], status="timeout", error_code="timeout",
                       message=f"超过单个文件时限 {self.timeout:g} 秒，已终止", seconds=time.monotonic() - started,
                       worker=f"{os.uname().nodename}:{s.proc.pid}")

    def close(self, force: bool = False) -> None:
        """Stop the workers: politely (no more documents) or, after Ctrl-C, at once."""
        for s in self.slots:
            try:
                if force or s.job is not None:
                    s.proc.kill()
                else:
                    s.conn.send(None)
            except (OSError, ValueError):
                pass
        for s in self.slots:
            s.proc.join(5)
            if s.proc.is_alive():
                s.proc.kill()
                s.proc.join()
            s.conn.close()
        self.slots = []

    def __enter__(self) -> "LocalPool":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(force=exc_type is not None)
