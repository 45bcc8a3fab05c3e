"""OCR accuracy and speed on rendered pages of the real text PDFs (shared/realdocs), against their own text layer.

    python bench/bench_ocr.py [--pages 3] [--dpi 300 200 150] [--dirty] [--docs r02 r05 …]

Each page is rendered with pypdfium2 (grey), optionally made dirty (noise, a 0.7° skew, a red round stamp, JPEG
at quality 70, as a cheap scanner gives), read by ingest/ocr.py exactly as a scanned page is, and compared with the
page's text layer. Character accuracy = 1 − Levenshtein distance / characters of the text layer, both sides with
whitespace removed and NFKC-folded (OCR's ASCII colon for the full-width one is no error a rule can see: the
matcher folds width too). Per line, the best-matching stretch of the page's text gives the line's accuracy, bucketed
by the line's OCR confidence: that is what pipeline.OCR_TRUSTED is set from. Prints numbers only.
"""
from __future__ import annotations

import argparse
import io
import random
import re
import sys
import time
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter
from rapidfuzz.distance import Levenshtein
from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from checker.ingest import ocr  # noqa: E402

REAL = Path(__file__).resolve().parents[2] / "shared" / "realdocs"
if not REAL.exists():
    REAL = Path("/work/shared/realdocs")
DOCS = ["r02", "r05", "r07", "r10", "r19", "r24"]


_PRIVATE = re.compile("[\ue000-\uf8ff]")
_BLANK = re.compile("_{2,}")


def fold(text: str) -> str:
    """Whitespace out, NFKC; a symbol font's private-use codes out (a formula's ⎧ drawn from Symbol: the text
    layer itself has no character there that a reader or a rule could use); a blank's run of underscores as one
    (「____年__月」: how long a blank is drawn is no text, and OCR reads an underline's length only roughly; a blank
    missed altogether still counts)."""
    return _BLANK.sub("_", _PRIVATE.sub("", "".join(unicodedata.normalize("NFKC", text).split())))


def bag_found(truth: str, got: str) -> int:
    """Characters of the truth that the OCR text has, in any order (recognition apart from reading order: a table's
    cells come out of tesseract row by row across the cells, the text layer cell by cell)."""
    from collections import Counter

    have = Counter(got)
    return sum(min(n, have[ch]) for ch, n in Counter(truth).items())


def dirty(image: Image.Image, seed: int) -> Image.Image:
    """What a cheap office scanner does: a slight skew, speckle, a red stamp over text, lossy compression."""
    rnd = random.Random(seed)
    img = image.convert("RGB")
    w, h = img.size
    draw = ImageDraw.Draw(img, "RGBA")
    cx, cy, r = int(w * 0.65), int(h * rnd.uniform(0.3, 0.7)), int(w * 0.09)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(220, 30, 30, 200), width=max(4, w // 250))
    draw.regular_polygon((cx, cy, r // 3), 5, fill=(220, 30, 30, 150))  # the star of an official seal
    noise = Image.effect_noise((w, h), 40).convert("RGB")
    img = Image.blend(img, noise, 0.12)
    img = img.rotate(0.7, resample=Image.BICUBIC, expand=False, fillcolor="white")
    img = img.filter(ImageFilter.GaussianBlur(0.6))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=70)
    return Image.open(io.BytesIO(buf.getvalue()))


def reading_order(lines) -> str:
    """Lines grouped into rows (centres within half a line height), rows top to bottom, each left to right: the text
    layer's content-stream order and tesseract's block order differ on tables and side-by-side text, which is no
    character error."""
    return "".join(text for text, _ in _rows(lines))


def cell_order(lines, tables) -> str:
    """The text as the segmenter gets it: lines outside tables in row order, each table where it stands, its cells
    top to bottom and left to right by their boxes, so the text layer's tables and the scan's line up cell by cell
    however the lines of one cell fall against its neighbours' (the row order above interleaves them)."""
    outside = [ln for ln in lines if not any(t.top - 1 <= (ln.top + ln.bottom) / 2 <= t.bottom + 1 for t in tables)]
    blocks = []
    for t in tables:
        order = sorted(range(len(t.cells)), key=lambda k: (round(t.boxes[k][1]), t.boxes[k][0]))
        blocks.append((t.top, "".join(t.cells[k].text for k in order)))
    return _merge_blocks(outside, blocks)


def _merge_blocks(lines, tables) -> str:
    """Lines (in row order) and tables (top, text) interleaved by position."""
    text, k = [], 0
    tables = sorted(tables)
    for row_text, mid in _rows(lines):
        while k < len(tables) and tables[k][0] < mid:
            text.append(tables[k][1])
            k += 1
        text.append(row_text)
    return "".join(text + [t[1] for t in tables[k:]])


def _rows(lines):
    rows: list[list] = []
    for ln in sorted(lines, key=lambda ln: (ln.top + ln.bottom) / 2):
        mid, half = (ln.top + ln.bottom) / 2, (ln.bottom - ln.top) / 2
        if rows and abs(mid - rows[-1][0]) <= half:
            rows[-1][1].append(ln)
        else:
            rows.append([mid, [ln]])
    return [("".join(ln.text for ln in sorted(row, key=lambda ln: ln.x0)), mid) for mid, row in rows]


def truth_tables(pdf, i: int):
    from checker.ingest import pdf_tables
    from checker.ingest.pdf_reader import Page

    page = pdf[i]
    tp = page.get_textpage()
    width, height = page.get_size()
    tables = pdf_tables.find_tables(page, tp, Page(number=i + 1, width=width, height=height))
    tp.close()
    return tables


def truth_lines(pdf, i: int):
    from checker.ingest.pdf_reader import _lines

    page = pdf[i]
    tp = page.get_textpage()
    text = tp.get_text_range().replace("\ufffe", "-")
    lines = list(_lines(tp, text, i + 1, page.get_size()[1]))
    tp.close()
    return lines


def ruled(page) -> bool:
    """Whether the page draws enough paths for a ruled table (pdf_reader's test)."""
    import pypdfium2.raw as raw

    n = raw.FPDFPage_CountObjects(page.raw)
    paths = sum(1 for k in range(n) if raw.FPDFPageObj_GetType(raw.FPDFPage_GetObject(page.raw, k))
                == raw.FPDF_PAGEOBJ_PATH)
    return paths >= 4


# Pages whose text layer is not the page's readable text, so no reading of the image can match it (bench/OCR.md,
# round 4). The headline figure keeps them; the "readable truth" figure leaves them out and says so.
UNREADABLE_TRUTH = {
    ("r02", 48): "a formula drawn as an equation: its text layer is the glyphs in drawing order (「21212nnBBB…」)",
}


def image_boxes(page) -> list:
    """(x0, top, x1, bottom) in points from the page's top of the page's image objects: text printed inside a picture
    (r24's logo 「公诚咨询 GCMC」 on every page) is no part of the text layer, so what OCR reads there has no truth."""
    import pypdfium2.raw as raw

    height = page.get_size()[1]
    boxes = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = obj.get_bounds()
        boxes.append((left, height - top, right, height - bottom))
    return boxes


def outside_images(lines, boxes) -> list:
    return [ln for ln in lines if not any(x0 - 2 <= ln.x0 and ln.x1 <= x1 + 2 and top - 2 <= ln.top and
                                          ln.bottom <= bottom + 2 for x0, top, x1, bottom in boxes)]


TABLE_CELLS = True  # --page-layout: tesseract's own layout across tables instead of ocr_tables' cell by cell
TABLES = True  # --no-tables: only pages without ruled tables (tables from scans are read as lines, not cells)


def pages_of(doc: str, count: int):
    """Body pages: from the middle of the document on (a cover, a contents page and a notice's form are not what the
    rules read), each with at least 400 characters and no dot leaders. Contents pages are measured apart (--toc)."""
    path = next(REAL.glob(f"{doc}_*.pdf"))
    pdf = pdfium.PdfDocument(str(path))
    picked = []
    n = len(pdf)
    for i in list(range(n // 3, n)) + list(range(0, n // 3)):
        tp = pdf[i].get_textpage()
        text = tp.get_text_range()
        tp.close()
        if len(fold(text)) >= 400 and not re.search(r"\.{6,}|…{3,}|·{6,}", text) and (TABLES or not ruled(pdf[i])):
            picked.append((i, text))
        if len(picked) == count:
            break
    return path, pdf, picked


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=2, help="pages per document")
    ap.add_argument("--dpi", type=int, nargs="+", default=[300])
    ap.add_argument("--dirty", action="store_true", help="also measure dirty scans (noise, skew, stamp, JPEG)")
    ap.add_argument("--docs", nargs="+", default=DOCS)
    ap.add_argument("--no-tables", action="store_true", help="only pages without ruled tables")
    ap.add_argument("--scan", type=int, metavar="N",
                    help="instead: time a whole N-page scan (r19's pages as 300 dpi images) through parse, all cores")
    ap.add_argument("--page-layout", action="store_true", help="tables read by tesseract's layout, not by cell")
    args = ap.parse_args()
    if args.scan:
        return whole_scan(args.scan)
    global TABLES, TABLE_CELLS
    TABLES = not args.no_tables
    TABLE_CELLS = not args.page_layout
    if not ocr.available():
        sys.exit(f"OCR unavailable: {ocr.unavailable_reason()}")
    variants = [(dpi, False) for dpi in args.dpi] + ([(max(args.dpi), True)] if args.dirty else [])
    for dpi, is_dirty in variants:
        errors = total = found = c_err = c_tot = 0
        seconds = 0.0
        n_pages = 0
        buckets: dict[int, list[tuple[float, int]]] = {}
        per_doc = []
        readable = [0, 0]  # errors, characters: the readable truth (UNREADABLE_TRUTH out, OCR inside images out)
        for doc in args.docs:
            path, pdf, picked = pages_of(doc, args.pages)
            d_err = d_tot = d_cerr = d_ctot = 0
            for i, text in picked:
                image = pdf[i].render(scale=dpi / 72, grayscale=True).to_pil()
                if is_dirty:
                    image = dirty(image, seed=i)
                t0 = time.perf_counter()
                read = ocr.read_page(image, i + 1, 72 / dpi, timeout=120, tables=TABLE_CELLS)
                lines = read.lines + read.cell_lines
                seconds += time.perf_counter() - t0
                n_pages += 1
                truth, got = fold(reading_order(truth_lines(pdf, i))), fold(reading_order(lines))
                dist = Levenshtein.distance(truth, got)
                c_truth = fold(cell_order(truth_lines(pdf, i), truth_tables(pdf, i)))
                d_cerr += Levenshtein.distance(c_truth, fold(cell_order(read.lines, read.tables)))
                d_ctot += len(c_truth)
                if (doc, i + 1) not in UNREADABLE_TRUTH:
                    got = fold(cell_order(outside_images(read.lines, image_boxes(pdf[i])), read.tables))
                    readable[0] += Levenshtein.distance(c_truth, got)
                    readable[1] += len(c_truth)
                found += bag_found(truth, got)
                d_err += dist
                d_tot += len(truth)
                for ln in lines:
                    line = fold(ln.text)
                    if len(line) < 4:
                        continue
                    acc = fuzz.partial_ratio(line, truth) / 100
                    buckets.setdefault(min(9, int(ln.conf // 10)), []).append((acc, len(line)))
            pdf.close()
            errors += d_err
            total += d_tot
            c_err, c_tot = c_err + d_cerr, c_tot + d_ctot
            per_doc.append(f"{doc} {1 - d_err / max(1, d_tot):.3f}/{1 - d_cerr / max(1, d_ctot):.3f}")
        label = f"{dpi} dpi" + (" dirty" if is_dirty else "")
        print(f"[{label}] character accuracy {1 - errors / max(1, total):.4f} over {total} characters "
              f"(in reading order; {found / max(1, total):.4f} of the characters found in any order), "
              f"{n_pages} pages, {n_pages / seconds:.2f} pages/s (OCR only, 1 process)")
        print(f"  in cell order (tables cell by cell, as the segmenter reads them): {1 - c_err / max(1, c_tot):.4f}")
        print(f"  in cell order, readable truth only (pages out: "
              f"{', '.join(f'{d} p.{n}' for d, n in UNREADABLE_TRUTH if d in args.docs) or 'none'}; "
              f"OCR text inside the page's images out): {1 - readable[0] / max(1, readable[1]):.4f}")
        print("  per document (row order/cell order): " + ", ".join(per_doc))
        for b in sorted(buckets):
            rows = buckets[b]
            chars = sum(n for _, n in rows)
            acc = sum(a * n for a, n in rows) / chars
            print(f"  line confidence {b * 10:>2}–{b * 10 + 9}: {len(rows):4} lines, accuracy {acc:.3f}")


def whole_scan(n: int) -> None:
    """The issue's 'a 50-page scan on 2 cores': the pages of r19 (then r24) rendered to 300 dpi grey images in an
    image-only PDF, parsed as `tendercheck check` parses it (OCR threads = cores)."""
    import os
    import tempfile

    from checker.ingest import parse

    images = []
    for doc in ("r19", "r24"):
        pdf = pdfium.PdfDocument(str(next(REAL.glob(f"{doc}_*.pdf"))))
        for i in range(len(pdf)):
            if len(images) < n:
                images.append(pdf[i].render(scale=300 / 72, grayscale=True).to_pil())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scan.pdf"
        images[0].save(path, save_all=True, append_images=images[1:], resolution=300)
        ocr.configure(jobs=os.cpu_count() or 1)
        t0 = time.perf_counter()
        doc = parse(path)
        seconds = time.perf_counter() - t0
    print(f"{len(images)}-page scan: parsed in {seconds:.1f} s on {os.cpu_count()} cores, "
          f"{len(images) / seconds:.2f} pages/s; {doc.coverage.clauses} clauses, {len(doc.coverage.chapters)} chapters, "
          f"{doc.coverage.tables} tables")


if __name__ == "__main__":
    main()
