"""Prometheus text exposition (format 0.0.4), hand-written: four families are not worth a client library.

    tendercheck_http_requests_total{method,route,status}     every request, by route template (not the raw path,
                                                             so ids in URLs do not explode the series)
    tendercheck_http_request_seconds{route}                  latency histogram
    tendercheck_findings_total{rule}                          findings reported by /v1/check and project uploads
    tendercheck_checks_total{exit_code}                       checks by the CLI's exit code (3..19: not readable …)
    tendercheck_pool_busy / tendercheck_pool_workers / tendercheck_pool_replaced_total
"""
from __future__ import annotations

import threading
from collections import Counter, defaultdict

BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, float("inf"))


def _labels(**kv: str) -> str:
    def esc(v: str) -> str:
        return str(v).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')

    return "{" + ",".join(f'{k}="{esc(v)}"' for k, v in kv.items()) + "}"


class Metrics:
    def __init__(self):
        self._lock = threading.Lock()
        self.requests: Counter = Counter()
        self.latency_buckets: dict[str, list[int]] = defaultdict(lambda: [0] * len(BUCKETS))
        self.latency_sum: Counter = Counter()
        self.latency_count: Counter = Counter()
        self.findings: Counter = Counter()
        self.exits: Counter = Counter()

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(method, route, str(status))] += 1
            buckets = self.latency_buckets[route]
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    buckets[i] += 1
            self.latency_sum[route] += seconds
            self.latency_count[route] += 1

    def observe_check(self, exit_code: int, rule_ids: list[str]) -> None:
        with self._lock:
            self.exits[str(exit_code)] += 1
            for r in rule_ids:
                self.findings[r] += 1

    def render(self, pool=None) -> str:
        out = ["# HELP tendercheck_http_requests_total HTTP requests by method, route and status.",
               "# TYPE tendercheck_http_requests_total counter"]
        with self._lock:
            for (method, route, status), n in sorted(self.requests.items()):
                out.append(f"tendercheck_http_requests_total{_labels(method=method, route=route, status=status)} {n}")
            out += ["# HELP tendercheck_http_request_seconds Request latency by route.",
                    "# TYPE tendercheck_http_request_seconds histogram"]
            for route in sorted(self.latency_buckets):
                for bound, n in zip(BUCKETS, self.latency_buckets[route]):
                    le = "+Inf" if bound == float("inf") else f"{bound:g}"
                    out.append(f"tendercheck_http_request_seconds_bucket{_labels(route=route, le=le)} {n}")
                total = self.latency_sum[route]
                out.append(f"tendercheck_http_request_seconds_sum{_labels(route=route)} {total:.6f}")
                out.append(f"tendercheck_http_request_seconds_count{_labels(route=route)} {self.latency_count[route]}")
            out += ["# HELP tendercheck_findings_total Findings reported, by rule.",
                    "# TYPE tendercheck_findings_total counter"]
            out += [f"tendercheck_findings_total{_labels(rule=r)} {n}" for r, n in sorted(self.findings.items())]
            out += ["# HELP tendercheck_checks_total Checks by the CLI's exit code (1 findings, 3-19 not readable).",
                    "# TYPE tendercheck_checks_total counter"]
            out += [f"tendercheck_checks_total{_labels(exit_code=c)} {n}"
                    for c, n in sorted(self.exits.items(), key=lambda kv: int(kv[0]))]
        if pool is not None:
            out += ["# TYPE tendercheck_pool_workers gauge", f"tendercheck_pool_workers {pool.size}",
                    "# TYPE tendercheck_pool_busy gauge", f"tendercheck_pool_busy {pool.busy}",
                    "# TYPE tendercheck_pool_replaced_total counter",
                    f"tendercheck_pool_replaced_total {pool.replaced}"]
        return "\n".join(out) + "\n"
