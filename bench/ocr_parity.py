"""Findings on a real text PDF against the findings on its scan (issue 19: "the findings on them match the text
version's").

    python bench/ocr_parity.py [--docs r02 r05 …] [--head 8] [--dpi 300] [--dirty]

For each document: the pages checked are its first `--head` pages plus every page with a finding of the whole text
document (±1 page, so a clause that starts on the page before is whole); the same pages are written once as a text
PDF (pdfium's page import) and once as an image-only PDF of their renders (optionally made dirty as bench_ocr does:
skew, noise, a red seal, JPEG). Both go through parse and check as `tendercheck check` runs them. Prints per
document the findings (rule, severity) only on the text, only on the scan, and the same, and how many rule outcomes
differ.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pypdfium2 as pdfium

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ocr import REAL, dirty  # noqa: E402
from checker.ingest import ocr, parse  # noqa: E402
from checker.pipeline import Checker  # noqa: E402

DOCS = ["r02", "r05", "r07", "r10", "r19", "r24"]


def pages_to_check(checker: Checker, path: Path, head: int) -> list[int]:
    """0-based page indices: the first `head` and those around the whole text document's findings."""
    report = checker.check(parse(path))
    n = len(pdfium.PdfDocument(str(path)))
    picked = set(range(min(head, n)))
    for f in report.findings:
        for loc in [f.location, *f.also_at]:
            if loc.page:
                picked.update(p for p in (loc.page - 2, loc.page - 1, loc.page) if 0 <= p < n)
    return sorted(picked)


def text_subset(path: Path, pages: list[int], out: Path) -> None:
    src = pdfium.PdfDocument(str(path))
    new = pdfium.PdfDocument.new()
    new.import_pages(src, pages)
    new.save(str(out))


def scan_subset(path: Path, pages: list[int], out: Path, dpi: int, is_dirty: bool) -> None:
    src = pdfium.PdfDocument(str(path))
    images = []
    for i in pages:
        image = src[i].render(scale=dpi / 72).to_pil()
        images.append((dirty(image, seed=i) if is_dirty else image).convert("RGB"))
    images[0].save(out, save_all=True, append_images=images[1:], resolution=dpi)


def findings(checker: Checker, path: Path):
    doc = parse(path)
    report = checker.check(doc)
    kinds = Counter((f.rule_id, f.severity.value) for f in report.findings)
    outcomes = {r.rule_id: r.outcome.value for r in report.results}
    return report, kinds, outcomes, doc.clauses


def compare(doc: str, checker: Checker, head: int, dpi: int, is_dirty: bool) -> None:
    path = next(REAL.glob(f"{doc}_*.pdf"))
    pages = pages_to_check(checker, path, head)
    with tempfile.TemporaryDirectory() as tmp:
        text_pdf, scan_pdf = Path(tmp) / "text.pdf", Path(tmp) / "scan.pdf"
        text_subset(path, pages, text_pdf)
        scan_subset(path, pages, scan_pdf, dpi, is_dirty)
        t_report, t_kinds, t_out, _ = findings(checker, text_pdf)
        t0 = time.perf_counter()
        s_report, s_kinds, s_out, s_clauses = findings(checker, scan_pdf)
        seconds = time.perf_counter() - t0
    same = t_kinds & s_kinds
    only_text, only_scan = t_kinds - s_kinds, s_kinds - t_kinds
    differ = sorted(r for r in t_out if s_out.get(r) != t_out[r])
    fmt = lambda c: ", ".join(f"{r} {s}" + (f" ×{n}" if n > 1 else "") for (r, s), n in sorted(c.items())) or "—"  # noqa: E731
    print(f"{doc}: {len(pages)} pages ({seconds:.0f} s OCR+check, {len(pages) / seconds:.2f} pages/s); "
          f"text {t_report.document.doc_type}/{t_report.document.procedure}, "
          f"scan {s_report.document.doc_type}/{s_report.document.procedure}")
    print(f"  same:      {fmt(same)}")
    print(f"  only text: {fmt(only_text)}")
    print(f"  only scan: {fmt(only_scan)}")
    print(f"  rule outcomes differing: {len(differ)} of {len(t_out)}"
          + (": " + ", ".join(f"{r} {t_out[r]}→{s_out.get(r)}" for r in differ) if differ else ""))
    for f in s_report.findings:  # why a finding differs: the scan's clause and its confidence
        if (f.rule_id, f.severity.value) in only_scan:
            conf = next((c.ocr_confidence for c in s_clauses if c.id == f.clause_id), None)
            print(f"    scan {f.rule_id} {f.severity.value} p.{f.location.page} confidence {conf}: {f.excerpt[:80]}")
    sys.stdout.flush()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", nargs="+", default=DOCS)
    ap.add_argument("--head", type=int, default=8, help="first pages of each document always checked")
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--dirty", action="store_true")
    args = ap.parse_args()
    if not ocr.available():
        sys.exit(f"OCR unavailable: {ocr.unavailable_reason()}")
    ocr.configure(jobs=os.cpu_count() or 1)
    checker = Checker()
    for doc in args.docs:
        compare(doc, checker, args.head, args.dpi, args.dirty)


if __name__ == "__main__":
    main()
