"""Record every finding the tool gives on the generated corpus, the shared real documents and notices and the corpus
dossiers, in one sorted text file, so a refactor can show that it changed nothing: run it before and after and diff.

    .venv/bin/python bench/snapshot_findings.py -o /tmp/before.txt
    ... refactor ...
    .venv/bin/python bench/snapshot_findings.py -o /tmp/after.txt && diff /tmp/before.txt /tmp/after.txt

One line per finding: source, rule, severity, location and excerpt (what a reviewer sees), plus one line per document
with its exit code and what it was judged as. Runs the installed `tendercheck` command, as a user would.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DOC_SUFFIXES = {".docx", ".pdf", ".doc", ".txt"}


def _tendercheck() -> list[str]:
    exe = Path(sys.executable).with_name("tendercheck")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "cli"]


def _documents() -> list[Path]:
    docs = sorted(p for p in (ROOT / "corpus").glob("*") if p.suffix in {".docx", ".pdf"})
    for folder in ("realdocs", "realnotices"):
        docs += sorted(p for p in (SHARED / folder).glob("*") if p.suffix in DOC_SUFFIXES)
    return docs


def _dossiers() -> list[Path]:
    return sorted(p for p in (ROOT / "corpus" / "projects").iterdir() if (p / "expected.yaml").exists())


def _label(path: Path) -> str:
    for base in (ROOT, SHARED.parent):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)


def _finding_line(f: dict, source: str) -> str:
    where = f.get("location") or {}
    loc = f.get("clause_id") or ",".join(f"{k}={v}" for k, v in where.items() if v is not None)
    docs = ";".join(d.get("path", "") for d in f.get("documents", []))
    excerpt = (f.get("excerpt") or "").replace("\n", " ")[:120]
    values = json.dumps(f.get("values") or {}, ensure_ascii=False, sort_keys=True)
    waived = " WAIVED" if f.get("waived") else ""
    return f"{source}\t{f.get('rule_id')}\t{f.get('severity')}{waived}\t{f.get('stage')}\t{loc}{docs}\t{excerpt}\t{values}"


def _lines_for(report: dict, source: str) -> list[str]:
    """Findings and rule outcomes of a `check` report, or of a `project` report and each of its documents."""
    lines = []
    doc = report.get("document") or {}
    judged = {k: doc.get(k) for k in ("doc_type", "regime", "procurement", "procedure", "regime_detail", "stage")}
    if doc:
        lines.append(f"{source}\tDOC\t{json.dumps(judged, ensure_ascii=False, sort_keys=True)}")
    lines += [_finding_line(f, source) for f in report.get("findings", [])]
    for r in report.get("results") or []:
        lines.append(f"{source}\tOUTCOME\t{r.get('rule_id')}\t{r.get('outcome')}\t{r.get('findings')}\t{r.get('reason')}")
    for r in report.get("missing_rules") or []:
        lines.append(f"{source}\tOUTCOME\t{r.get('rule_id')}\t{r.get('outcome')}\t{r.get('findings')}\t{r.get('reason')}")
    for d in report.get("documents") or []:
        sub = f"{source}/{d.get('path')}"
        lines.append(f"{sub}\tDOC\t{d.get('doc_type')}\t{d.get('stage')}\t{d.get('regime')}\t{d.get('error_code')}")
        lines += _lines_for({k: v for k, v in d.items() if k != "documents"}, sub)
    return lines


def _run(cmd: list[str], source: str) -> list[str]:
    env = dict(os.environ, TENDERCHECK_LIMITS="memory_mb=0")
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    head = [f"{source}\tEXIT\t{proc.returncode}"]
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return head + [f"{source}\tSTDERR\t{(proc.stderr.strip().splitlines() or [''])[-1]}"]
    return head + _lines_for(report, source)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    args = ap.parse_args()
    exe = _tendercheck()
    jobs = [(exe + ["check", str(p), "--format", "json"], _label(p)) for p in _documents()]
    jobs += [(exe + ["project", str(p), "--format", "json"], _label(p)) for p in _dossiers()]
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda job: _run(*job), jobs))
    lines = sorted(line for chunk in results for line in chunk)
    Path(args.output).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(jobs)} documents and dossiers, {sum(1 for line in lines if line.split(chr(9))[1] not in ('EXIT', 'DOC', 'OUTCOME'))}"
          f" finding lines -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
