"""Start-up time of a CLI process: the cost every CI-gate `check`, every `rules` command and every end-to-end test
pays before it reads a byte of the document.

Times `tendercheck rules list` and `tendercheck check` of a one-sentence text, each as a fresh process, first with
an empty pattern store (checker/regex_cache.py: the pack's patterns are compiled, ~3 s) and then with the store the
first run left (loaded, not compiled). Median of N runs each (default 3), wall clock and the child's CPU.

    .venv/bin/python bench/bench_startup.py [N]
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = str(Path(sys.executable).with_name("tendercheck"))
TEXT = "投标人须在本市注册并设立分支机构。\n"


def timed(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([CLI, *args], input=TEXT.encode(), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   cwd=ROOT, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    commands = {"rules list": ["rules", "list"], "check (stdin, one sentence)": ["check", "-", "--format", "json"]}
    print(f"{'command':<30}{'store':<8}{'wall s':>8}{'cpu s':>8}")
    for name, args in commands.items():
        for state in ("cold", "warm"):
            walls, cpus = [], []
            for _ in range(runs):
                with tempfile.TemporaryDirectory() as cold:
                    env = dict(os.environ)
                    if state == "cold":
                        env["TENDERCHECK_CACHE_DIR"] = cold
                    walls_cpu = timed(args, env)
                walls.append(walls_cpu[0])
                cpus.append(walls_cpu[1])
            print(f"{name:<30}{state:<8}{statistics.median(walls):>8.2f}{statistics.median(cpus):>8.2f}")


if __name__ == "__main__":
    main()
