"""The same scan on a Dask distributed cluster (`--scheduler tcp://HOST:PORT`): one task per document, each Dask
worker builds its Checker once (a cached global in checker.batch.worker) and checks each document in a forked child
with the per-document timeout, so a crash or a hang costs that document only. Results come back to the scanning
parent, which writes them to the same database as a local scan.

The workers read the documents by path: the paths the scan discovers must be valid on the workers (a shared file
system, or the same machine)."""
from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Callable, Optional

from ..errors import UsageError
from .store import Outcome

CONNECT_TIMEOUT = 30
# A cluster whose workers have all gone leaves the futures pending forever: after this long with no worker and
# nothing finishing, the scan stops, its run is marked interrupted and a rerun takes the rest.
NO_WORKERS_S = 120.0
POLL_S = 1.0


class NoWorkers(Exception):
    """Raised by run_dask when the cluster had no worker for NO_WORKERS_S seconds."""


def run_dask(scheduler: str, jobs: list[dict], spec, timeout: Optional[float],
             on_result: Callable[[Outcome], None], on_tick: Optional[Callable[[], None]] = None) -> None:
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--scheduler 需要 Dask distributed：pip install 'tendercheck[distributed]'") from None
    from .worker import dask_check

    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"无法连接 Dask 调度器 {scheduler}：{exc}") from None
    batch = uuid.uuid4().hex[:8]
    futures = {}
    try:
        for job in jobs:
            job = {**job, "path": str(Path(job["path"]).resolve())}  # the workers' current directory is not ours
            fut = client.submit(dask_check, job, spec, timeout * job.get("weight", 1) if timeout else timeout, key=f"tendercheck-{batch}-{job['sha256'][:20]}",
                                pure=False, retries=0)
            futures[fut.key] = (fut, job)
        for fut in _completed(client, [f for f, _ in futures.values()], on_tick):
            job = futures[fut.key][1]
            try:
                data = fut.result()
                out = Outcome(**data)
            except Exception as exc:  # KilledWorker (the Dask worker itself died, even outside our fork), …
                out = Outcome(sha256=job["sha256"], path=job["path"], status="failed", error_code="dask-error",
                              message=f"{type(exc).__name__}: {exc}"[:500])
            on_result(out)
            fut.release()
            if on_tick:
                on_tick()
    finally:
        pending = [f for f, _ in futures.values() if not f.done()]
        if pending:
            client.cancel(pending)
        client.close()


def _completed(client, futures: list, on_tick: Optional[Callable[[], None]]):
    """Futures as they finish, like distributed.as_completed, but raising NoWorkers after NO_WORKERS_S seconds in
    which the scheduler had no worker and nothing finished."""
    from distributed import as_completed

    queue = as_completed(futures, loop=client.loop)
    idle_since = None
    last_probe = 0.0
    pending = len(futures)
    while not queue.is_empty():
        if queue.has_ready():
            idle_since = None
            for fut in queue.next_batch(block=False):
                pending -= 1
                yield fut
            continue
        time.sleep(0.05)
        now = time.monotonic()
        if now - last_probe < POLL_S:
            continue
        last_probe = now
        if on_tick:
            on_tick()
        if client.nthreads():  # asks the scheduler now (scheduler_info() is a cached copy)
            idle_since = None
        elif idle_since is None:
            idle_since = now
        elif now - idle_since >= NO_WORKERS_S:
            raise NoWorkers(f"Dask 集群 {NO_WORKERS_S:g} 秒内没有可用的工作进程，扫描已中断，"
                            f"未完成的 {pending} 个文件留待下次扫描")
