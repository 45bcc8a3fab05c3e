#!/usr/bin/env python3
"""The legal checklist's coverage, generated so it cannot drift: bench/coverage_map.yaml → bench/COVERAGE.md.

Each of the 120 rows of ../shared/reference/legal-coverage.md §3 (83 single-document rows A01–A83, 37 cross-document
rows B01–B37) is covered, partial or missing, with the rules that cover it. This script checks the map before it
writes anything: every row is there and no other; every rule it names exists in the pack (rules/**/*.yaml, the
project pack and the template findings); a missing row names no rule and a covered row names one; and every `flag`
probe sentence of a row makes one of the row's rules fire, and no `quiet` probe (a lawful look-alike) makes any of them
fire (as a small 招标文件 of either regime, as bench/eval_gaps.py judges; a first line naming the project settles the
procurement kind, 货物/服务/工程, for a rule whose band depends on it). With the audit beside the clone it also checks the map's rows are the audit's rows.

Usage: bench/legal_coverage.py            write bench/COVERAGE.md and print the counts
       bench/legal_coverage.py --check    exit 1 when COVERAGE.md is stale or the map is wrong (tests/test_coverage.py)
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MAP = ROOT / "bench" / "coverage_map.yaml"
OUT = ROOT / "bench" / "COVERAGE.md"
AUDIT = ROOT.parent / "shared" / "reference" / "legal-coverage.md"
STATUSES = ("covered", "partial", "missing")
# the audit's own counts when it was written (legal-coverage.md §1), for the before/after line
AUDIT_COUNTS = {"A": (47, 16, 20), "B": (20, 5, 12)}
_ROW = re.compile(r"^\| ([AB][0-9]{2}) \|")
_ID = re.compile(r"^\s*-?\s*id:\s*([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\s*$", re.M)


def pack_rule_ids() -> set[str]:
    """Every rule id the project ships: document rules, project rules, stage rules and template findings."""
    ids: set[str] = set()
    for path in (ROOT / "rules").rglob("*.yaml"):
        ids.update(_ID.findall(path.read_text(encoding="utf-8")))
    return ids


def problems(rows: dict, known: set[str]) -> list[str]:
    out = []
    expected = [f"A{i:02d}" for i in range(1, 84)] + [f"B{i:02d}" for i in range(1, 38)]
    if sorted(rows) != expected:
        missing, extra = set(expected) - set(rows), set(rows) - set(expected)
        out.append(f"rows: missing {sorted(missing)}, unknown {sorted(extra)}")
    for rid, row in rows.items():
        status, rules = row.get("status"), row.get("rules") or []
        if status not in STATUSES:
            out.append(f"{rid}: status {status!r} is not one of {STATUSES}")
        if status == "missing" and rules:
            out.append(f"{rid}: a missing row names rules {rules}")
        if status in ("covered", "partial") and not rules:
            out.append(f"{rid}: a {status} row names no rule")
        out += [f"{rid}: rule {r} is not in the pack" for r in rules if r not in known]
        if not row.get("item"):
            out.append(f"{rid}: no item")
    if AUDIT.exists():
        audit_rows = {m.group(1) for line in AUDIT.read_text(encoding="utf-8").splitlines() if (m := _ROW.match(line))}
        if audit_rows != set(rows):
            out.append(f"rows differ from the audit {AUDIT.name}: {sorted(audit_rows ^ set(rows))}")
    return out


def probe_failures(rows: dict) -> list[str]:
    """Each probe sentence must raise one of its row's rules."""
    from eval_gaps import rules_fired  # noqa: E402 (bench/ on the path below)

    from checker.pipeline import Checker

    checker = Checker()
    out = []
    for rid, row in rows.items():
        for sentence in row.get("flag") or []:
            fired = rules_fired(checker, sentence)
            if not fired & set(row.get("rules") or []):
                out.append(f"{rid}: probe not flagged by {row.get('rules')} (fired {sorted(fired) or '—'}): {sentence}")
        for sentence in row.get("quiet") or []:
            fired = rules_fired(checker, sentence) & set(row.get("rules") or [])
            if fired:
                out.append(f"{rid}: lawful probe flagged by {sorted(fired)}: {sentence}")
    return out


def counts(rows: dict, part: str) -> tuple[int, int, int]:
    c = Counter(row["status"] for rid, row in rows.items() if rid.startswith(part))
    return c["covered"], c["partial"], c["missing"]


def render(rows: dict) -> str:
    a, b = counts(rows, "A"), counts(rows, "B")
    total = tuple(x + y for x, y in zip(a, b))
    before = tuple(x + y for x, y in zip(AUDIT_COUNTS["A"], AUDIT_COUNTS["B"]))
    lines = [
        "# 法定禁止行为清单的覆盖情况（生成文件，勿手改）",
        "",
        "由 `bench/legal_coverage.py` 从 `bench/coverage_map.yaml` 生成；`tests/test_coverage.py` 在本文件过期、规则不存在、"
        "或某行的必须报警探针句不再被该行规则标出时失败。行号与条目取自 `../shared/reference/legal-coverage.md` §3。",
        "",
        "| 类别 | 行数 | covered | partial | missing | 审计时（covered/partial/missing） |",
        "|---|---|---|---|---|---|",
        f"| A. 单文件 | 83 | {a[0]} | {a[1]} | {a[2]} | {'/'.join(map(str, AUDIT_COUNTS['A']))} |",
        f"| B. 跨文件及阶段 | 37 | {b[0]} | {b[1]} | {b[2]} | {'/'.join(map(str, AUDIT_COUNTS['B']))} |",
        f"| 合计 | 120 | {total[0]} | {total[1]} | {total[2]} | {'/'.join(map(str, before))} |",
        "",
        "| # | 禁止行为 / 强制限度 | 法律依据 | 结论 | 规则 | 探针 | 说明 |",
        "|---|---|---|---|---|---|---|",
    ]
    for rid, row in rows.items():
        rules = "; ".join(row.get("rules") or []) or "—"
        probes = str(len(row.get("flag") or [])) if row.get("flag") else ""
        if row.get("quiet"):
            probes += f"（合法{len(row['quiet'])}）"
        note = (row.get("note") or "").replace("|", "/").replace("\n", " ")
        lines.append(f"| {rid} | {row['item']} | {row.get('basis', '')} | {row['status']} | {rules} | {probes} | {note} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail when COVERAGE.md is stale or the map is wrong")
    ap.add_argument("--no-probes", action="store_true", help="skip running the probe sentences")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    rows = yaml.safe_load(MAP.read_text(encoding="utf-8"))
    bad = problems(rows, pack_rule_ids()) + ([] if args.no_probes else probe_failures(rows))
    for line in bad:
        print(f"coverage: {line}", file=sys.stderr)
    text = render(rows)
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print("coverage: bench/COVERAGE.md is stale: run bench/legal_coverage.py", file=sys.stderr)
            bad.append("stale")
    elif not bad:
        OUT.write_text(text, encoding="utf-8")
    a, b = counts(rows, "A"), counts(rows, "B")
    print(f"coverage A covered/partial/missing {a[0]}/{a[1]}/{a[2]}  B {b[0]}/{b[1]}/{b[2]}  "
          f"total {a[0] + b[0]}/{a[1] + b[1]}/{a[2] + b[2]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
