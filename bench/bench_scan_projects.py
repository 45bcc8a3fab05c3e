"""Benchmark: `tendercheck scan` over projects — ≥ 100 project folders, ≥ 1,000 documents — with 1 and 2 workers.

The tree is built in a temp directory by copying the three corpus dossiers (corpus/projects/*) COPIES times each,
every copy's documents given distinct content (a PDF gets a trailing comment after %%EOF, a DOCX a zip comment), so
no result is reused by content and every project is checked across its documents. Generated documents are fine for
a speed benchmark (never as evidence that a rule works).

Prints per worker count: wall time, documents/s, projects/s, and the workers' peak resident memory (the largest
VmHWM any worker reported, from the results database). The machine may be shared: note the load next to the numbers.

    .venv/bin/python bench/bench_scan_projects.py [--copies 40] [--workers 1 2] [--keep DIR]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DOSSIERS = ["works_violations", "gp_violations", "works_clean"]


def distinct_copy(src: Path, dst: Path, tag: str) -> None:
    if src.suffix.lower() == ".pdf":
        dst.write_bytes(src.read_bytes() + f"\n% copy {tag}\n".encode())
    elif src.suffix.lower() == ".docx":
        shutil.copy(src, dst)
        with zipfile.ZipFile(dst, "a") as z:
            z.comment = f"copy {tag}".encode()
    else:
        shutil.copy(src, dst)


def build(root: Path, copies: int) -> tuple[int, int]:
    projects = documents = 0
    for k in range(copies):
        for name in DOSSIERS:
            src = ROOT / "corpus" / "projects" / name
            dst = root / f"{name}-{k:03}"
            dst.mkdir(parents=True)
            for f in sorted(src.iterdir()):
                if f.is_file():
                    distinct_copy(f, dst / f.name, f"{name}-{k}")
                    documents += f.suffix.lower() in (".pdf", ".docx")
            projects += 1
    return projects, documents


def run(tree: Path, workers: int, db: Path) -> dict:
    from checker.batch import ScanOptions, scan

    started = time.perf_counter()
    result = scan(ScanOptions(inputs=[str(tree)], db=str(db), workers=workers, progress=False))
    seconds = time.perf_counter() - started
    con = sqlite3.connect(db)
    try:
        peak = con.execute("SELECT max(peak_rss_kb) FROM projects").fetchone()[0] or 0
        findings = con.execute("SELECT count(*) FROM findings").fetchone()[0]
        project_findings = con.execute("SELECT count(*) FROM findings WHERE scope = 'project'").fetchone()[0]
    finally:
        con.close()
    docs = sum(result.statuses.values())
    return {"workers": workers, "seconds": seconds, "documents": docs, "projects": result.projects,
            "statuses": dict(result.statuses), "docs_per_s": docs / seconds, "projects_per_s": result.projects / seconds,
            "peak_mb": peak / 1024, "findings": findings, "project_findings": project_findings}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=40, help="copies of each of the three dossiers (40 → 120 projects)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--keep", type=Path, help="build the tree and databases here and keep them")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="tc-bench-projects-"))
    tree = base / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    projects, documents = build(tree, args.copies)
    print(f"tree: {projects} projects, {documents} documents ({base})")
    print(f"load before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for w in args.workers:
        db = base / f"w{w}.sqlite"
        db.unlink(missing_ok=True)
        r = run(tree, w, db)
        print(f"workers {w}: {r['seconds']:.1f} s, {r['documents']} documents in {r['projects']} projects "
              f"({r['statuses']}), {r['docs_per_s']:.1f} docs/s, {r['projects_per_s']:.2f} projects/s, "
              f"worker peak RSS {r['peak_mb']:.0f} MB, findings {r['findings']} "
              f"(project findings {r['project_findings']}); load {os.getloadavg()[0]:.2f}")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
