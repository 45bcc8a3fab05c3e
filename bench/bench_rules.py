"""Rule-stage throughput: clauses/s for 10k clauses at 10/50/100/200 rules, on one core.

Clauses are the corpus documents' own clauses, repeated to 10,000. Rule counts above the size of the real pack are
reached by cloning real rules under new ids (same patterns, so the same work per rule): the benchmark measures how the
cost grows with the number of rules, which is what the issue asks. Parsing is not timed here (see bench_parse.py).

    .venv/bin/python bench/bench_rules.py
"""
from __future__ import annotations

import itertools
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.ingest import parse  # noqa: E402
from checker.models import Document  # noqa: E402
from checker.pipeline import Checker  # noqa: E402
from checker.rules.loader import RulePack, load_pack  # noqa: E402

N_CLAUSES = 10_000


def corpus_document(n: int) -> Document:
    docs = [parse(p) for p in sorted((ROOT / "corpus").glob("*.docx")) if not p.name.startswith("zz_")]
    pool = [c for d in docs for c in d.clauses]
    clauses = []
    for i, c in zip(range(n), itertools.cycle(pool)):
        clauses.append(c.model_copy(update={"id": f"{c.id}-b{i}",
                                            "parent_id": f"{c.parent_id}-b{i}" if c.parent_id else None}))
    return Document(source=docs[0].source, clauses=clauses, coverage=docs[0].coverage)


def pack_of(base: RulePack, size: int) -> RulePack:
    rules = []
    for i, rule in zip(range(size), itertools.cycle(base.rules)):
        rules.append(rule if i < len(base.rules) else rule.model_copy(update={"id": f"{rule.id}-X{i}"}))
    return RulePack(name="bench", version="bench", rules=tuple(rules), files={})


def main() -> None:
    base = load_pack()
    doc = corpus_document(N_CLAUSES)
    print(f"real rule pack: {len(base.rules)} rules; document: {len(doc.clauses)} clauses "
          f"({sum(len(c.text) for c in doc.clauses):,} characters)")
    print(f"{'rules':>6} {'build s':>8} {'check s':>8} {'clauses/s':>10} {'findings':>9}")
    for size in (10, 50, 100, 200):
        t0 = time.perf_counter()
        checker = Checker(pack=pack_of(base, size))
        build = time.perf_counter() - t0
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            report = checker.check(doc, regime="工程", doc_type="招标文件", template=None)
            runs.append(time.perf_counter() - t0)
        best = statistics.median(runs)
        print(f"{size:>6} {build:>8.3f} {best:>8.3f} {len(doc.clauses) / best:>10,.0f} {len(report.findings):>9}")


if __name__ == "__main__":
    main()
