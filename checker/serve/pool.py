"""A bounded pool of worker processes for the service: at most N documents are checked at once, each in its own
process with a deadline. A worker that overruns the deadline (a parser that hangs on a hostile file) or dies is
killed and replaced; its request answers 504 / 500 and the other workers go on — one file cannot stall the service.

Workers are started with `spawn` (the server runs an event loop and threads, which fork would copy half-way), each
building the session once (engine.setup). Requests wait for a free worker at most `queue_wait` seconds (then 503).
The blocking pipe round trip runs in a thread, so the event loop keeps serving /healthz and /metrics meanwhile.
"""
from __future__ import annotations

import asyncio
import multiprocessing as mp
import signal
import threading
from typing import Optional


class PoolBusy(Exception):
    """No worker became free within queue_wait."""


class WorkerTimeout(Exception):
    """The document ran past the per-document deadline; its worker was killed."""


class WorkerDied(Exception):
    """The worker process ended while checking (a crash in a C extension, the kernel's OOM killer)."""


def _worker_main(conn, options: dict) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle; it stops the workers
    from . import engine

    try:
        engine.setup(options)
    except Exception as exc:  # noqa: BLE001 - a bad configuration: tell the parent in one line, then stop
        line = exc.one_line() if hasattr(exc, "one_line") else f"{type(exc).__name__}: {exc}"
        conn.send({"ready": False, "error": line})
        return
    conn.send({"ready": True})
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(engine.run(job))


class _Worker:
    def __init__(self, ctx, options: dict):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, options), daemon=True)
        self.proc.start()
        child.close()

    def wait_ready(self, timeout: float = 120) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise RuntimeError("worker did not start")
        msg = self.conn.recv()
        if not msg.get("ready"):
            self.kill()
            raise RuntimeError(msg.get("error", "worker failed to start"))

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class WorkerPool:
    def __init__(self, workers: int, options: dict, timeout: float, queue_wait: float):
        self.size = workers
        self.options = options
        self.timeout = timeout
        self.queue_wait = queue_wait
        self._ctx = mp.get_context("spawn")
        self._idle: Optional[asyncio.Queue] = None
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        self.busy = 0
        self.replaced = 0

    def start(self) -> None:
        """Start every worker and wait until each has built its session (a bad configuration fails here)."""
        started = [_Worker(self._ctx, self.options) for _ in range(self.size)]
        try:
            for w in started:
                w.wait_ready()
        except Exception:
            for w in started:
                w.kill()
            raise
        self._all = started

    async def attach(self) -> None:
        """Hand the started workers to the running event loop."""
        self._idle = asyncio.Queue()
        for w in self._all:
            self._idle.put_nowait(w)

    async def run(self, job: dict, documents: int = 1) -> dict:
        """Run one job; its deadline is the per-document timeout times the documents it reads (a dossier re-check
        reads every document of the dossier)."""
        assert self._idle is not None
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_wait)
        except asyncio.TimeoutError:
            raise PoolBusy() from None
        self.busy += 1
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(None, self._roundtrip, worker, job, self.timeout * max(1, documents))
        except (WorkerTimeout, WorkerDied):
            fresh = await loop.run_in_executor(None, self._replace, worker)
            self._idle.put_nowait(fresh)
            raise
        finally:
            self.busy -= 1
        self._idle.put_nowait(worker)
        return result

    def _roundtrip(self, worker: _Worker, job: dict, deadline: float) -> dict:
        try:
            worker.conn.send(job)
            if not worker.conn.poll(deadline):
                raise WorkerTimeout()
            return worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            raise WorkerDied() from None

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        fresh = _Worker(self._ctx, self.options)
        fresh.wait_ready()
        with self._lock:
            self._all = [w for w in self._all if w is not worker] + [fresh]
            self.replaced += 1
        return fresh

    def stop(self) -> None:
        for w in self._all:
            try:
                w.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        for w in self._all:
            w.proc.join(2)
            w.kill()
        self._all = []
