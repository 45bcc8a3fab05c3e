"""Resource bounds: part of the contract, enforced while a document is read, each breach its own one-line error
and exit code (README, "Limits").

Measured on the largest real tenders we hold (shared/realdocs, December 2026): 405 pages, 30,963 clauses and
495,650 characters (r09, a 2.9 MB PDF; `check` 4.3 s, 168 MB), 2.9 MB of XML in one DOCX (r17), 22 findings. Every
limit below is ten times that or more, so no real tender comes near one, while a hostile upload inside the 200 MiB
file limit (20 MB of XML in a 2.7 MB DOCX, 2,000 pages of tiny text, 5 MiB of violating sentences) ends in seconds
with its error instead of taking gigabytes. TENDERCHECK_LIMITS="pages=10000,memory_mb=8192" raises them for a site
that needs more (memory_mb=0: no ceiling).
"""
from __future__ import annotations

import _thread
import os
import resource
import signal
import threading
import time
from dataclasses import dataclass
from functools import lru_cache

from .errors import (LimitExceeded, OutOfMemory, TooManyCharacters, TooManyClauses, TooManyFindings,  # noqa: F401
                     TooManyPages, TooMuchXml, UsageError)

MIB = 1024 * 1024


@dataclass
class Limits:
    xml_bytes: int = 32 * MIB  # every XML part of a DOCX, uncompressed (largest real: 2.9 MB)
    pages: int = 5_000  # largest real: 405
    clauses: int = 300_000  # largest real: 30,963
    characters: int = 5_000_000  # largest real: 495,650
    findings: int = 5_000  # candidate findings (rule hits) in one document; largest real: 22 findings
    memory_mb: int = 2_048  # resident memory of one check (largest real check: 168 MB)


def current() -> Limits:
    """The limits in force: the defaults, raised or lowered by TENDERCHECK_LIMITS (key=value, comma separated). A
    key or value that is not one of them is a usage error (exit 2), never silently ignored."""
    return _parse(os.environ.get("TENDERCHECK_LIMITS") or "")


@lru_cache(maxsize=8)
def _parse(spec: str) -> Limits:
    lim = Limits()
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key, _, value = (x.strip() for x in item.partition("="))
        if key not in Limits.__dataclass_fields__:
            raise UsageError(f"环境变量 TENDERCHECK_LIMITS 中的 {key} 无效：可用 {'、'.join(Limits.__dataclass_fields__)}")
        if not value.isdigit() or (int(value) == 0 and key != "memory_mb"):
            raise UsageError(f"环境变量 TENDERCHECK_LIMITS 中 {key} 的值“{value}”无效：应为正整数"
                             "（memory_mb=0 表示不设内存上限）")
        setattr(lim, key, int(value))
    return lim


_HINT = "超过处理上限，疑似恶意构造；确属正常文件时请拆分，或用环境变量 TENDERCHECK_LIMITS 调高上限"


def check_xml(total: int, where: str) -> None:
    lim = current().xml_bytes
    if total > lim:
        raise TooMuchXml(f"文档的 XML 内容解压后超过 {lim // MIB} MiB，{_HINT}", where)


def check_pages(n: int, where: str) -> None:
    lim = current().pages
    if n > lim:
        raise TooManyPages(f"文件有 {n} 页，超过上限 {lim} 页，{_HINT}", where)


def check_characters(n: int, where: str) -> None:
    lim = current().characters
    if n > lim:
        raise TooManyCharacters(f"正文超过 {lim:,} 个字符，{_HINT}", where)


def check_clauses(n: int, where: str) -> None:
    lim = current().clauses
    if n > lim:
        raise TooManyClauses(f"文件有 {n:,} 个条款，超过上限 {lim:,}，{_HINT}", where)


def check_findings(n: int, where: str) -> None:
    lim = current().findings
    if n > lim:
        raise TooManyFindings(f"疑似问题超过 {lim:,} 处，{_HINT}", where)


def out_of_memory(where: str | None) -> OutOfMemory:
    return OutOfMemory(f"处理此文件所需内存超过上限 {current().memory_mb} MiB，{_HINT}", where)


_watching: int | None = None  # pid whose watchdog runs (a forked worker starts its own)


def _resident_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # no /proc: the peak is the best we have
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _on_ceiling(signum, frame):
    raise out_of_memory(None)


def _watch(limit: int, interval: float) -> None:
    while True:
        time.sleep(interval)
        if _resident_bytes() > limit:
            # Raised in the main thread at its next bytecode: frames unwind (temporary files are removed, memory
            # is freed) and the one-line error is written as for any other. Repeated while still over the limit,
            # in case a handler somewhere swallowed it.
            _thread.interrupt_main(signal.SIGUSR1)
            time.sleep(1.0)


def apply_memory_ceiling() -> None:
    """Bound this process's memory. A watchdog thread samples the resident size every 50 ms and, past memory_mb,
    raises OutOfMemory (exit 18) in the main thread; an address-space rlimit at twice that is the backstop for an
    allocation too fast for the watchdog (a MemoryError then, which the CLI also reports as exit 18 when it can).
    RLIMIT_AS alone is not enough: at the limit, C extensions (pydantic-core, lxml) fail in odd ways
    ("SystemError: error return without exception set") instead of raising MemoryError cleanly. Call from the
    main thread. A lower address-space limit already in force (ulimit -v) is kept."""
    global _watching
    mb = current().memory_mb
    if mb <= 0 or _watching == os.getpid():
        return
    limit = mb * MIB
    try:
        signal.signal(signal.SIGUSR1, _on_ceiling)
    except ValueError:  # not the main thread: no way to raise there, so only the backstop
        pass
    else:
        _watching = os.getpid()
        threading.Thread(target=_watch, args=(limit, 0.05), name="tendercheck-memory", daemon=True).start()
    try:
        want = 2 * limit
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY and soft <= want:
            return
        if hard != resource.RLIM_INFINITY:
            want = min(want, hard)
        resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (ValueError, OSError):  # a platform without RLIMIT_AS: the watchdog still holds
        pass
