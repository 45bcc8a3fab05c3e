"""Parse speed and memory on a generated 300-page DOCX and its PDF rendition (LibreOffice).

    .venv/bin/python bench/bench_parse.py [--pages 300]

The document is the corpus works tender repeated until it reaches the page count, so it has the corpus's numbering,
tables (前附表 with merged cells, a 评分标准 table over several pages), headers and footers. Each measurement runs in a
fresh process (peak RSS is per process); times are the median of three runs. Targets (issue 2): PDF text path
>= 200 pages/s, DOCX 300 pages <= 1 s, peak RSS <= 300 MB.
"""
from __future__ import annotations

import copy
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SOURCE = ROOT / "corpus" / "works_tender.docx"

_MEASURE = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from checker.ingest import read_raw, sha256_of
from checker.ingest.pdf_reader import read_pdf
from checker.models import Source, DocFormat
from checker.segment import segment
from pathlib import Path
t1 = time.perf_counter()
path, mode = Path({path!r}), {mode!r}
if mode == "pdf-text":
    raw = read_pdf(path, Source(path=str(path), sha256=sha256_of(path), format=DocFormat.pdf, size=path.stat().st_size),
                   tables="none")
elif mode == "pdf-plumber":
    raw = read_pdf(path, Source(path=str(path), sha256=sha256_of(path), format=DocFormat.pdf, size=path.stat().st_size),
                   tables="pdfplumber")
else:
    raw = read_raw(path)
doc = segment(raw)
t2 = time.perf_counter()
print(json.dumps({{"import": t1 - t0, "parse": t2 - t1, "pages": doc.source.page_count, "clauses": len(doc.clauses),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def build(pages: int) -> tuple[Path, Path | None]:
    import docx

    OUT.mkdir(parents=True, exist_ok=True)
    big = OUT / f"big_{pages}.docx"
    pdf = big.with_suffix(".pdf")
    if not big.exists():
        source_pdf = SOURCE.with_suffix(".pdf")
        import pypdfium2 as pdfium

        per_copy = len(pdfium.PdfDocument(str(source_pdf)))
        copies = -(-pages // per_copy)
        doc = docx.Document(str(SOURCE))
        body = doc.element.body
        original = [el for el in body if not el.tag.endswith("}sectPr")]
        sect = body[-1] if body[-1].tag.endswith("}sectPr") else None
        for _ in range(copies - 1):
            for el in original:
                new = copy.deepcopy(el)
                if sect is not None:
                    sect.addprevious(new)
                else:
                    body.append(new)
        doc.save(str(big))
    if not pdf.exists():
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not soffice:
            print("LibreOffice not found: PDF rendition skipped (apt-get install libreoffice-writer-nogui)")
            return big, None
        subprocess.run([soffice, "--headless", "-env:UserInstallation=file:///tmp/tendercheck-bench-lo",
                        "--convert-to", "pdf", "--outdir", str(OUT), str(big)], check=True, capture_output=True,
                       timeout=600)
    return big, pdf


def measure(path: Path, mode: str) -> dict:
    runs = []
    for _ in range(3):
        code = _MEASURE.format(root=str(ROOT), path=str(path), mode=mode)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        runs.append(json.loads(out))
    best = dict(runs[0])
    best["parse"] = statistics.median(r["parse"] for r in runs)
    best["rss_mb"] = max(r["rss_mb"] for r in runs)
    return best


def main() -> None:
    pages = int(sys.argv[sys.argv.index("--pages") + 1]) if "--pages" in sys.argv else 300
    big, pdf = build(pages)
    rows = [("DOCX", big, "full")]
    if pdf:
        rows += [("PDF (text path, no tables)", pdf, "pdf-text"), ("PDF (full, pdfium tables)", pdf, "full"),
                 ("PDF (pdfplumber tables)", pdf, "pdf-plumber")]
    # The DOCX has no fixed pages (its count is an estimate from page breaks): rate it by its PDF rendition's pages.
    import pypdfium2 as pdfium

    pdf_pages = len(pdfium.PdfDocument(str(pdf))) if pdf else None
    print(f"{'input':28} {'pages':>6} {'clauses':>8} {'parse s':>8} {'pages/s':>8} {'peak RSS MB':>12}")
    for label, path, mode in rows:
        r = measure(path, mode)
        n = pdf_pages or r["pages"]
        rate = f"{n / r['parse']:>8.0f}" if n else f"{'-':>8}"
        print(f"{label:28} {n or '-':>6} {r['clauses']:>8} {r['parse']:>8.3f} {rate} {r['rss_mb']:>12.0f}")


if __name__ == "__main__":
    main()
