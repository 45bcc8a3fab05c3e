"""Batch scan throughput, worker memory, and cold single-document checks against pdfplumber.

    .venv/bin/python bench/bench_batch.py [--docs 1000] [--speed-docs 40] [--skip-speed] [--skip-rss] [--skip-cold]

1. Generates tender documents from the corpus works tender (its body repeated or cut to 20, 60, 150 and 300 pages,
   each as DOCX and as its LibreOffice PDF rendition), once, under bench/out/batch/base/; then copies of them with a
   small variation each (a numbered paragraph in the DOCX, a numbered comment line after the PDF's %%EOF) so every
   copy has its own sha256 and none is skipped as already checked.
2. Speed: the same mixed set of --speed-docs documents scanned into a fresh database with 1 and with 2 local workers:
   docs/s, pages/s (pages of the PDF renditions), speed-up, peak RSS of each worker (VmHWM).
3. Memory: a --docs document run (default 1,000) with 2 workers; each worker's RSS is sampled every 100 documents
   and printed as a series (flat = no leak).
4. Cold: `tendercheck check` of the 300-page PDF in a fresh process, against pdfplumber's extract_text over all its
   pages, side by side in this run; and the cold `tendercheck check` of the 300-page DOCX. Medians of 3.

Targets (issue 7): 2 workers >= 1.8x one; worker RSS flat over 1,000 documents; check of the 300-page PDF <= 0.5x
pdfplumber's extraction; the 300-page DOCX checked in <= 2 s including start-up. Everything is written under
bench/out/ (gitignored); the numbers also go to bench/out/batch/results.json.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out" / "batch"
BASE = OUT / "base"
SOURCE = ROOT / "corpus" / "works_tender.docx"
SIZES = [20, 60, 150, 300]
MIX = {20: 0.5, 60: 0.3, 150: 0.15, 300: 0.05}  # share of each size in a generated set (mean ≈ 65 pages)


# ------------------------------------------------------------------------------------------------ documents


def build_base() -> dict[str, dict]:
    """The base documents: {name: {"path", "format", "pages"}}, DOCX and PDF for each size."""
    import docx
    import pypdfium2 as pdfium

    BASE.mkdir(parents=True, exist_ok=True)
    per_copy = len(pdfium.PdfDocument(str(SOURCE.with_suffix(".pdf"))))
    todo = []
    for pages in SIZES:
        target = BASE / f"tender_{pages}p.docx"
        if not target.exists():
            doc = docx.Document(str(SOURCE))
            body = doc.element.body
            original = [el for el in body if not el.tag.endswith("}sectPr")]
            sect = body[-1] if body[-1].tag.endswith("}sectPr") else None
            for el in original:
                body.remove(el)
            want = pages / per_copy
            items = []
            while want >= 1:
                items += original
                want -= 1
            items += original[: int(len(original) * want)]
            for el in items:
                new = copy.deepcopy(el)
                if sect is not None:
                    sect.addprevious(new)
                else:
                    body.append(new)
            doc.save(str(target))
        if not target.with_suffix(".pdf").exists():
            todo.append(target)
    if todo:
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not soffice:
            sys.exit("LibreOffice (soffice) is needed to render the PDFs: apt-get install libreoffice-writer-nogui")
        subprocess.run([soffice, "--headless", "-env:UserInstallation=file:///tmp/tendercheck-bench-lo",
                        "--convert-to", "pdf", "--outdir", str(BASE)] + [str(t) for t in todo], check=True,
                       capture_output=True, timeout=1200)
    base = {}
    for pages in SIZES:
        d = BASE / f"tender_{pages}p.docx"
        real = len(pdfium.PdfDocument(str(d.with_suffix(".pdf"))))
        base[d.name] = {"path": d, "format": "docx", "pages": real, "size": pages}
        base[d.with_suffix(".pdf").name] = {"path": d.with_suffix(".pdf"), "format": "pdf", "pages": real,
                                            "size": pages}
    return base


def _docx_variant(src: Path, dst: Path, n: int) -> None:
    """A copy with one more paragraph (its number) at the start of the body: same document, its own sha256."""
    para = f'<w:p><w:r><w:t>批次测试副本 {n}</w:t></w:r></w:p>'.encode()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                i = data.index(b"<w:body>") + len(b"<w:body>")
                data = data[:i] + para + data[i:]
            zout.writestr(item, data)


def _pdf_variant(src: Path, dst: Path, n: int) -> None:
    dst.write_bytes(src.read_bytes() + f"%tendercheck-bench copy {n}\n".encode())


def make_set(name: str, count: int, base: dict, seed: int = 7) -> tuple[Path, dict[str, int]]:
    """`count` varied copies, mixed DOCX/PDF and sizes by MIX; returns the folder and path → pages."""
    folder = OUT / name
    meta_file = folder / "pages.json"
    if meta_file.exists():
        pages = json.loads(meta_file.read_text())
        if len(pages) == count:
            return folder, pages
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    sizes, weights = list(MIX), list(MIX.values())
    pages = {}
    for i in range(count):
        size = rng.choices(sizes, weights)[0]
        fmt = "docx" if i % 2 == 0 else "pdf"
        src = base[f"tender_{size}p.{fmt}"]
        dst = folder / f"doc{i:05}_{size}p.{fmt}"
        (_docx_variant if fmt == "docx" else _pdf_variant)(src["path"], dst, i)
        pages[str(dst)] = src["pages"]
    meta_file.write_text(json.dumps(pages))
    return folder, pages


# ------------------------------------------------------------------------------------------------ measurements


def run_scan(folder: Path, workers: int, db: Path, on_outcome=None):
    from checker.batch import ScanOptions, scan

    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    return scan(ScanOptions(inputs=[str(folder)], db=str(db), workers=workers, timeout=600, progress=False),
                on_outcome=on_outcome)


def speed(folder: Path, pages: dict[str, int]) -> dict:
    from checker.batch.worker import get_session
    from checker.session import SessionOptions

    get_session(SessionOptions().resolved())  # built once, before timing (a scan builds it before forking)
    rows = {}
    for workers in (1, 2):
        r = run_scan(folder, workers, OUT / f"speed_{workers}.sqlite")
        n = sum(r.statuses.values())
        total_pages = sum(pages[o.path] for o in r.outcomes)
        peaks = {}
        for o in r.outcomes:
            peaks[o.worker] = max(peaks.get(o.worker, 0), o.peak_rss_kb or 0)
        rows[workers] = {"docs": n, "ok": r.statuses.get("ok", 0), "seconds": r.seconds, "docs_per_s": n / r.seconds,
                         "pages": total_pages, "pages_per_s": total_pages / r.seconds,
                         "peak_rss_mb_per_worker": sorted(round(v / 1024) for v in peaks.values())}
    rows["speedup"] = rows[2]["docs_per_s"] / rows[1]["docs_per_s"]
    return rows


def memory(folder: Path, pages: dict[str, int], every: int = 100) -> dict:
    samples: list[dict] = []
    seen = {"n": 0}
    last: dict[str, int] = {}

    def on_outcome(out):
        seen["n"] += 1
        if out.rss_kb:
            last[out.worker] = out.rss_kb
        if seen["n"] == 1 or seen["n"] % every == 0:
            samples.append({"docs": seen["n"], "rss_mb": {w: round(v / 1024) for w, v in sorted(last.items())}})

    r = run_scan(folder, 2, OUT / "memory.sqlite", on_outcome=on_outcome)
    n = sum(r.statuses.values())
    if samples[-1]["docs"] != n:
        samples.append({"docs": n, "rss_mb": {w: round(v / 1024) for w, v in sorted(last.items())}})
    total_pages = sum(pages[o.path] for o in r.outcomes)
    return {"docs": n, "statuses": dict(r.statuses), "seconds": r.seconds, "docs_per_s": n / r.seconds,
            "pages": total_pages, "pages_per_s": total_pages / r.seconds, "series": samples}


_PLUMBER = r"""
import sys, time, json
t0 = time.perf_counter()
import pdfplumber
t1 = time.perf_counter()
chars = 0
with pdfplumber.open(sys.argv[1]) as pdf:
    n = len(pdf.pages)
    for page in pdf.pages:
        chars += len(page.extract_text() or "")
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "extract": t2 - t1, "pages": n, "chars": chars}))
"""


def _timed(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=OUT)
    return time.perf_counter() - t, p


def cold(base: dict, repeat: int = 3) -> dict:
    tendercheck = shutil.which("tendercheck", path=str(Path(sys.executable).parent)) or "tendercheck"
    pdf, docx_file = base["tender_300p.pdf"], base["tender_300p.docx"]
    out = {"pdf_pages": pdf["pages"]}
    check_pdf, plumber_wall, plumber_extract, check_docx = [], [], [], []
    for _ in range(repeat):  # interleaved, so that both see the same machine load
        t, p = _timed([tendercheck, "check", str(pdf["path"]), "--format", "json", "-o", os.devnull])
        assert p.returncode in (0, 1), p.stderr
        check_pdf.append(t)
        t, p = _timed([sys.executable, "-c", _PLUMBER, str(pdf["path"])])
        assert p.returncode == 0, p.stderr
        plumber_wall.append(t)
        plumber_extract.append(json.loads(p.stdout)["extract"])
        t, p = _timed([tendercheck, "check", str(docx_file["path"]), "--format", "json", "-o", os.devnull])
        assert p.returncode in (0, 1), p.stderr
        check_docx.append(t)
    out.update({"check_pdf_s": statistics.median(check_pdf), "pdfplumber_process_s": statistics.median(plumber_wall),
                "pdfplumber_extract_s": statistics.median(plumber_extract),
                "check_docx_s": statistics.median(check_docx)})
    out["ratio_vs_pdfplumber_process"] = out["check_pdf_s"] / out["pdfplumber_process_s"]
    out["ratio_vs_pdfplumber_extract"] = out["check_pdf_s"] / out["pdfplumber_extract_s"]
    return out


# ------------------------------------------------------------------------------------------------ report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1000, help="documents in the memory run (default 1000)")
    ap.add_argument("--speed-docs", type=int, default=40, help="documents in each speed run (default 40)")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-rss", action="store_true")
    ap.add_argument("--skip-cold", action="store_true")
    args = ap.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    base = build_base()
    print(f"base documents ({time.perf_counter() - t:.1f} s): "
          + ", ".join(f"{k} {v['pages']} p" for k, v in base.items() if k.endswith(".pdf")))
    print(f"machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results: dict = {"cpus": os.cpu_count(), "loadavg_start": os.getloadavg()}

    if not args.skip_speed:
        folder, pages = make_set(f"speed_{args.speed_docs}", args.speed_docs, base)
        s = speed(folder, pages)
        results["speed"] = s
        print(f"\nSpeed: {args.speed_docs} mixed documents ({s[1]['pages']} pages), local pool, fork")
        print(f"{'workers':>8} {'docs':>6} {'seconds':>8} {'docs/s':>8} {'pages/s':>8}  peak RSS per worker (MB)")
        for w in (1, 2):
            r = s[w]
            print(f"{w:>8} {r['docs']:>6} {r['seconds']:>8.1f} {r['docs_per_s']:>8.2f} {r['pages_per_s']:>8.0f}  "
                  f"{r['peak_rss_mb_per_worker']}")
        print(f"speed-up with 2 workers: {s['speedup']:.2f}x (target >= 1.8x)")

    if not args.skip_rss:
        folder, pages = make_set(f"memory_{args.docs}", args.docs, base, seed=11)
        m = memory(folder, pages)
        results["memory"] = m
        print(f"\nMemory: {m['docs']} documents ({m['pages']} pages), 2 workers: {m['seconds']:.0f} s, "
              f"{m['docs_per_s']:.2f} docs/s, {m['pages_per_s']:.0f} pages/s; statuses {m['statuses']}")
        workers = sorted({w for s_ in m["series"] for w in s_["rss_mb"]})
        print(f"{'docs':>6}  " + "  ".join(f"{'RSS MB ' + w.split(':')[-1]:>14}" for w in workers))
        for s_ in m["series"]:
            print(f"{s_['docs']:>6}  " + "  ".join(f"{s_['rss_mb'].get(w, ''):>14}" for w in workers))

    if not args.skip_cold:
        c = cold(base)
        results["cold"] = c
        print(f"\nCold single documents (fresh process each, median of 3), {c['pdf_pages']}-page rendition:")
        print(f"  tendercheck check 300-page PDF          {c['check_pdf_s']:7.2f} s")
        print(f"  pdfplumber extract_text, whole process  {c['pdfplumber_process_s']:7.2f} s "
              f"(extraction alone {c['pdfplumber_extract_s']:.2f} s)")
        print(f"  ratio check / pdfplumber                {c['ratio_vs_pdfplumber_process']:7.3f} "
              f"(vs extraction alone {c['ratio_vs_pdfplumber_extract']:.3f}; target <= 0.5)")
        print(f"  tendercheck check 300-page DOCX         {c['check_docx_s']:7.2f} s (target <= 2 s)")

    results["loadavg_end"] = os.getloadavg()
    (OUT / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
