"""Throughput of `POST /v1/check` on a real ~100-page PDF: a local `tendercheck serve --workers N`, C concurrent
clients (threads, one HTTP connection each) posting the same document for D seconds after one warm-up request.

Prints requests/min, p50/p95/max latency, the server's peak memory (resident set of the server process and its
workers, sampled every 0.2 s from /proc) and the gate verdict. No load tool is needed (none of wrk/hey is on the
machines); the loop is plain httpx.

    .venv/bin/python bench/bench_serve.py ../shared/realdocs/r05_goods_huayang_switchgear.pdf --workers 2 \\
        --clients 4 --seconds 120
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from serve_server import TOKENS, Server  # noqa: E402


def group_rss_kb(pgid: int) -> int:
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != pgid:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ProcessLookupError, ValueError):
            continue
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=120)
    args = ap.parse_args()
    data = args.pdf.read_bytes()
    count = f"import pypdfium2 as p; print(len(p.PdfDocument({str(args.pdf)!r})))"
    pages = subprocess.run([sys.executable, "-c", count], capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        srv = Server(Path(tmp), workers=args.workers, max_upload_mb=50, timeout=600)
        try:
            return run(srv, args, data, pages)
        finally:
            srv.stop()


def run(srv: Server, args, data: bytes, pages: str) -> int:
    headers = {"Authorization": f"Bearer {TOKENS['check']}"}
    files = {"file": (args.pdf.name, data)}
    with httpx.Client(base_url=srv.url, headers=headers, timeout=600) as c:
        t0 = time.perf_counter()
        warm = c.post("/v1/check", files=files)
        print(f"warm-up: {warm.status_code} gate {warm.headers.get('x-tendercheck-exit')} "
              f"in {time.perf_counter() - t0:.2f} s")
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    peak = [group_rss_kb(srv.proc.pid)]
    stop = time.monotonic() + args.seconds
    lock = threading.Lock()

    def client():
        with httpx.Client(base_url=srv.url, headers=headers, timeout=600) as c:
            while time.monotonic() < stop:
                t = time.perf_counter()
                r = c.post("/v1/check", files=files)
                with lock:
                    latencies.append(time.perf_counter() - t)
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

    def sampler():
        while time.monotonic() < stop:
            peak[0] = max(peak[0], group_rss_kb(srv.proc.pid))
            time.sleep(0.2)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(args.clients)] + [threading.Thread(target=sampler)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    lat = sorted(latencies)
    p95 = lat[min(len(lat) - 1, int(round(0.95 * len(lat))) - 1)]
    print(f"document: {args.pdf.name} ({pages} pages, {len(data) / 1024:.0f} KiB); server --workers {args.workers}; "
          f"{args.clients} concurrent clients for {wall:.0f} s; statuses {statuses}")
    print(f"throughput: {len(lat) / wall * 60:.1f} requests/min; latency p50 {statistics.median(lat):.2f} s, "
          f"p95 {p95:.2f} s, max {lat[-1]:.2f} s")
    print(f"server memory (server + workers, peak RSS): {peak[0] / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())
