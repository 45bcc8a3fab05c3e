"""How much memory a worker process holds: read by the worker for each document and by a project job."""
from __future__ import annotations

from typing import Optional


def memory_kb() -> tuple[Optional[int], Optional[int]]:
    """(current RSS, peak RSS) of this process in KiB."""
    try:
        with open("/proc/self/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])
    except (OSError, KeyError, ValueError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return None, int(peak)
