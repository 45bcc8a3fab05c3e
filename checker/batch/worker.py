"""One document in a worker process: parse, check, and a plain-data Outcome (status, counts, the report as JSON).

The Session (configuration, rule pack, matcher, engine ruleset, waivers) and jieba's dictionary are built once per process and cached in a
module global: the local pool builds them in the parent before forking its workers, a Dask worker on its first task.

TEST-ONLY HOOKS. With the environment variable TENDERCHECK_BATCH_TEST_HOOKS=1 (and only then), a document whose file
name contains one of these markers makes the worker misbehave on purpose, so the tests can prove that a batch
survives it:
    __tc_segfault__  the worker process kills itself with SIGSEGV (as a crashing C extension would)
    __tc_hang__      the worker sleeps for an hour (a parser that never returns)
    __tc_raise__     the check raises RuntimeError (a bug in our own code)
    __tc_exit__      the worker calls os._exit(3) (a library that exits the process)
Nothing else reads these names; without the variable they are ordinary file names.
"""
from __future__ import annotations

import os
import signal
import socket
import time
import traceback
from pathlib import Path
from typing import Optional

from .memory import memory_kb
from .store import Outcome

TEST_HOOKS_ENV = "TENDERCHECK_BATCH_TEST_HOOKS"

_SESSION = None


def get_session(spec):
    """The process's Session for `spec` (a resolved SessionOptions), built on first use (and jieba initialised with
    it): the same rules, templates, waivers, baseline and fail-on as `tendercheck check` with those options."""
    global _SESSION
    if _SESSION is None or _SESSION.options != spec:
        from ..session import Session
        from ..tokenize import tokens

        session = Session(spec)
        # A worker reads scans like `check` does: --ocr / the configuration's [ocr], no progress lines (the pool
        # shows its own), one page at a time (the pool is the parallelism).
        session.configure_ocr(progress=False, jobs=1)
        tokens("预热")  # jieba's dictionary: ~0.7 s, once per process, before the first document
        _SESSION = session
    return _SESSION


def _test_hook(path: str) -> None:
    if os.environ.get(TEST_HOOKS_ENV) != "1":
        return
    name = Path(path).name
    if "__tc_segfault__" in name:
        import faulthandler

        faulthandler.disable()  # pytest's faulthandler would print this deliberate crash's traceback
        os.kill(os.getpid(), signal.SIGSEGV)
    if "__tc_hang__" in name:
        time.sleep(3600)
    if "__tc_exit__" in name:
        os._exit(3)
    if "__tc_raise__" in name:
        raise RuntimeError("test hook: deliberate failure")


def check_one(job: dict, spec) -> Outcome:
    """Check one document; never raises for a bad document (the batch goes on)."""
    if job.get("kind") == "project":  # a project: its documents, then the cross-document rules (issue 17)
        from .project_job import check_project

        return check_project(job, spec)
    from ..errors import InputError, TenderCheckError
    from ..ingest import parse
    from ..report.gate import exit_code
    from ..session import DocumentOptions

    started = time.perf_counter()
    out = Outcome(sha256=job["sha256"], path=job["path"], status="failed",
                  worker=f"{socket.gethostname()}:{os.getpid()}")
    try:
        session = get_session(spec)
        out.rulepack_version = session.pack.version
        _test_hook(job["path"])
        doc = parse(Path(job["path"]))
        report = session.check(doc, DocumentOptions(regime=job.get("regime"), doc_type=job.get("doc_type")))
        out.status = "ok"
        out.doc_type, out.regime, out.stage = report.document.doc_type, report.document.regime, report.document.stage
        out.procedure = report.document.procedure
        out.pages = doc.source.page_count or doc.coverage.pages
        out.findings = [{"rule_id": f.rule_id, "severity": f.severity.value, "stage": f.stage,
                         "fingerprint": f.fingerprint, "clause_id": f.clause_id, "clause_number": f.clause_number,
                         "page": f.location.page, "excerpt": f.excerpt[:300], "title": f.title} for f in report.findings]
        out.exit_code = exit_code(report, session.fail_on)  # as `check` exits: waived findings do not count
        out.report_json = report.model_dump_json()
        out.message = f"{len(out.findings)} 个问题"
    except InputError as err:
        out.status, out.exit_code, out.error_code, out.message = "unreadable", err.exit_code, err.code, err.message
    except MemoryError:  # the worker's ceiling (checker.limits): this document, not the batch, is the problem
        from ..limits import out_of_memory

        err = out_of_memory(job["path"])
        out.status, out.exit_code, out.error_code, out.message = "unreadable", err.exit_code, err.code, err.message
    except TenderCheckError as err:  # configuration or rule pack: the same for every document
        out.exit_code, out.error_code, out.message = err.exit_code, err.code, err.message
    except Exception as exc:  # a bug or a library tripping over this document: recorded, the batch goes on
        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
        out.error_code, out.message = "exception", f"{type(exc).__name__}: {exc}{where}"[:500]
    out.seconds = time.perf_counter() - started
    out.rss_kb, out.peak_rss_kb = memory_kb()
    return out


# ------------------------------------------------------------------------------------------------ Dask entry point


def dask_check(job: dict, spec, timeout: Optional[float] = None) -> dict:
    """A Dask task: one document, isolated in a forked child of the Dask worker when it can be (so a segfault or a
    hang costs that document, not the worker), with the same Session built once per Dask worker process."""
    from dataclasses import asdict

    version = get_session(spec).pack.version
    if hasattr(os, "fork"):
        out = run_forked(job, spec, timeout)
    else:  # pragma: no cover - Windows workers: in-process, no isolation
        out = check_one(job, spec)
    out.rulepack_version = version
    return asdict(out)


def run_forked(job: dict, spec, timeout: Optional[float]) -> Outcome:
    """check_one in a child forked with os.fork (a Dask worker is a daemonic process, which multiprocessing forbids
    to have children); the child's death or a timeout becomes a failed / timeout Outcome."""
    import pickle
    import select

    started = time.perf_counter()
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: check, send the pickled Outcome, leave without running the parent's exit handlers
        code = 0
        try:
            os.close(r)
            die_with_parent()
            from ..limits import apply_memory_ceiling

            apply_memory_ceiling()  # the child holds one document: a hostile one must not take the Dask worker
            data = pickle.dumps(check_one(job, spec))
            with os.fdopen(w, "wb") as f:
                f.write(data)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    chunks: list[bytes] = []
    deadline = started + timeout if timeout else None
    timed_out = False
    try:
        while True:
            wait = None if deadline is None else deadline - time.perf_counter()
            if wait is not None and wait <= 0:
                timed_out = True
                break
            readable, _, _ = select.select([r], [], [], wait)
            if not readable:
                continue
            chunk = os.read(r, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(r)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    worker = f"{socket.gethostname()}:{pid}"
    if timed_out:
        return Outcome(sha256=job["sha256"], path=job["path"], status="timeout", error_code="timeout",
                       message=f"超过单个文件时限 {timeout:g} 秒，已终止", seconds=time.perf_counter() - started,
                       worker=worker)
    try:
        return pickle.loads(b"".join(chunks))
    except Exception:
        return died(job, os.waitstatus_to_exitcode(status), time.perf_counter() - started, worker)


def die_with_parent() -> None:
    """Linux: the kernel kills this process when its parent dies (kill -9 of a scan leaves no orphans)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def died(job: dict, exitcode: Optional[int], seconds: float, worker: str) -> Outcome:
    """The Outcome of a document whose worker process died under it."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        reason = f"工作进程在处理此文件时崩溃（{name}）"
        code = "crash"
    else:
        reason = f"工作进程在处理此文件时意外退出（退出码 {exitcode}）"
        code = "worker-exit"
    return Outcome(sha256=job["sha256"], path=job["path"], status="failed", error_code=code, message=reason,
                   seconds=seconds, worker=worker)
