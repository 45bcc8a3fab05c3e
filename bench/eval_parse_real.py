"""Parse quality on a folder of real tender documents with gold outlines (outlines.yaml, as in ../shared/realdocs).

    .venv/bin/python bench/eval_parse_real.py DOCDIR [--only r02,r09] [--detail]

For every document the gold file lists, the document is parsed in this process (checker.ingest.parse) and scored:

  top        gold top-level divisions found as headings at the top level (level 0)    found/total
  extra      top-level headings that are no gold division (or repeat one)              count, 0 is right
  second     gold second-level headings found as headings anywhere                     found/total
  leaks      clauses (table rows excluded; cells count) holding a running header/footer beyond its legitimate
             occurrences in gold
  sent       gold body sentences found whole inside one clause                          found/total
  tables     has_front_table / has_scoring_table agreeing with gold                     agree/2
  lost       PDF only: characters of pypdfium2's own text layer that the reader's blocks (paragraphs, contents lines,
             table cells) do not hold, over the whole document. A table's header row repeated on every page it runs
             over is kept once, so its repeats count here.
  lostpg     PDF only: pages on which the reader itself found characters of the text layer in no line, cell or
             removed running line (coverage.problem_pages, lost_characters): the per-page check (whitespace ignored; the gold running header/footer strings are allowed to go)
  s          parse time in seconds, and pypdfium2's bare text extraction time for PDFs

Matching is that of ../shared/tools/parse_real_check.py (NFKC, whitespace dropped; headings also without punctuation
and symbols), so the two tools agree; this one runs in-process, adds character fidelity and speed, and prints the
misses with --detail. Needs PyYAML.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.errors import TenderCheckError  # noqa: E402
from checker.ingest import read_raw  # noqa: E402
from checker.segment import segment  # noqa: E402


def norm_text(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or "")).lower()


def norm_head(s: str) -> str:
    return "".join(ch for ch in norm_text(s) if not unicodedata.category(ch).startswith(("P", "S", "Z")))


def heading_keys(c) -> set[str]:
    keys = {norm_head(c.text)}
    if c.number and not norm_head(c.text).startswith(norm_head(c.number)):
        keys.add(norm_head(c.number + c.text))
    keys.discard("")
    return keys


def header_regex(pattern: str):
    literal = norm_head(pattern.replace("{n}", ""))
    if len(literal) < 4:
        return None  # a bare page number cannot be told apart from body text
    return re.compile(r"\d+".join(re.escape(norm_text(p)) for p in pattern.split("{n}")))


def score(gold: dict, doc) -> dict:
    clauses = doc.clauses
    heads = [c for c in clauses if c.kind.value == "heading"]
    tops = [c for c in heads if not c.parent_id and c.level == 0]
    r: dict = {"miss_top": [], "extra_top": [], "miss_second": [], "leak": [], "miss_sent": [], "tables": []}

    gold_top = list(gold.get("top_level") or [])
    keys = [norm_head(t) for t in gold_top]
    r["top"] = sum(1 for k in keys if any(k in heading_keys(c) for c in tops))
    r["top_total"] = len(keys)
    r["miss_top"] = [t for t, k in zip(gold_top, keys) if not any(k in heading_keys(c) for c in tops)]
    used: set[int] = set()
    for c in tops:
        hit = [i for i, k in enumerate(keys) if k in heading_keys(c)]
        if hit and hit[0] not in used:
            used.add(hit[0])
        else:
            r["extra_top"].append(f"{c.number or ''} {c.text}"[:60])
    r["extra"] = len(r["extra_top"])

    r["second"] = r["second_total"] = 0
    for parent, subs in (gold.get("second_level") or {}).items():
        for t in subs or []:
            r["second_total"] += 1
            if any(norm_head(t) in heading_keys(c) for c in heads):
                r["second"] += 1
            else:
                r["miss_second"].append(f"{parent} > {t}")

    pool = [norm_text(c.text) for c in clauses if c.kind.value != "table_row"]
    legit = gold.get("running_legit_occurrences") or {}
    r["leaks"] = 0
    for pattern in (gold.get("running_headers") or []) + (gold.get("running_footers") or []):
        rx = header_regex(pattern)
        if rx is None:
            continue
        hits = [t for t in pool if rx.search(t)]
        n = max(0, len(hits) - int(legit.get(pattern, 0)))
        r["leaks"] += n
        if n:
            r["leak"].append(f"{pattern[:30]} ×{n}: {hits[0][:60]}")

    texts = [norm_text(c.text) for c in clauses] + [norm_text((c.number or "") + c.text) for c in clauses if c.number]
    sentences = gold.get("sentences") or []
    r["sent_total"] = len(sentences)
    r["miss_sent"] = [s for s in sentences if not any(norm_text(s) in t for t in texts)]
    r["sent"] = len(sentences) - len(r["miss_sent"])

    r["tab"] = 0
    for key in ("has_front_table", "has_scoring_table"):
        want = bool((gold.get(key) or {}).get("present"))
        got = bool(getattr(doc.coverage, key))
        if want == got:
            r["tab"] += 1
        else:
            r["tables"].append(f"{key}: gold={want} ({(gold.get(key) or {}).get('title')}) parser={got}")
    return r


def pdf_text_layer(path: Path) -> tuple[list[str], float]:
    """pypdfium2's text of every page and the time it took: the reference for fidelity and for speed."""
    import pypdfium2 as pdfium

    t0 = time.perf_counter()
    pdf = pdfium.PdfDocument(str(path))
    pages = []
    for i in range(len(pdf)):
        page = pdf[i]
        textpage = page.get_textpage()
        pages.append(textpage.get_text_range())
        textpage.close()
        page.close()
    pdf.close()
    return pages, time.perf_counter() - t0


def lost_characters(pages: list[str], raw, gold: dict) -> tuple[int, Counter]:
    """Characters of the text layer missing from the parse, as a multiset difference over the whole document
    (a paragraph that crosses a page is counted on its first page, so a per-page difference would show false
    losses at every page break). Running headers/footers that gold names may go; so may pdfium's U+FFFE hyphens."""
    want: Counter = Counter()
    for text in pages:
        want.update(ch for ch in text if not ch.isspace() and ch != "\ufffe")
    have: Counter = Counter()  # what the reader hands on: paragraphs (contents lines too) and table cells
    for b in raw.blocks:
        for text in [b.text] + [c.text for c in b.cells]:
            have.update(ch for ch in text if not ch.isspace())
    allowed: Counter = Counter()
    for pattern in (gold.get("running_headers") or []) + (gold.get("running_footers") or []):
        allowed.update(ch for ch in pattern.replace("{n}", "") * len(pages) if not ch.isspace())
    digits_allowed = sum(len(str(i + 1)) + 4 for i in range(len(pages)))  # page numbers, 第 页 共 页
    lost = want - have - allowed
    for ch in list(lost):
        if ch.isdigit() or ch in "第页共/-—":
            take = min(lost[ch], digits_allowed)
            lost[ch] -= take
            digits_allowed -= take
    lost = +lost
    return sum(lost.values()), lost


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("docdir", type=Path)
    ap.add_argument("--gold", type=Path, help="outlines.yaml (default DOCDIR/outlines.yaml)")
    ap.add_argument("--only", default="", help="comma-separated file name prefixes")
    ap.add_argument("--detail", action="store_true", help="list the misses of each document")
    a = ap.parse_args()
    gold = yaml.safe_load((a.gold or a.docdir / "outlines.yaml").read_text(encoding="utf-8"))
    docs = gold["documents"]
    if a.only:
        wanted = [w.strip() for w in a.only.split(",") if w.strip()]
        docs = [d for d in docs if any(d["file"].startswith(w) for w in wanted)]

    totals = Counter()
    print(f"{'document':34} {'top':>6} {'extra':>5} {'second':>7} {'leaks':>5} {'sent':>6} {'tables':>6} "
          f"{'lost':>6} {'lostpg':>6} {'parse s':>8} {'pdfium s':>8}")
    for d in docs:
        path = a.docdir / d["file"]
        t0 = time.perf_counter()
        try:
            raw = read_raw(path)
            doc = segment(raw)
        except TenderCheckError as exc:
            print(f"{d['file'][:34]:34} PARSE-ERROR {exc}")
            continue
        took = time.perf_counter() - t0
        r = score(d, doc)
        lost, lost_chars, pdfium_s, lost_pages = "", Counter(), "", ""
        if path.suffix.lower() == ".pdf":
            pages, pdfium_time = pdf_text_layer(path)
            n, lost_chars = lost_characters(pages, raw, d)
            lost, pdfium_s = str(n), f"{pdfium_time:.2f}"
            lost_pages = str(sum(1 for p in doc.coverage.problem_pages if p.problem == "lost_characters"))
            totals["lost"] += n
        for k in ("top", "top_total", "extra", "second", "second_total", "leaks", "sent", "sent_total", "tab"):
            totals[k] += r[k]
        totals["tab_total"] += 2
        print(f"{d['file'][:34]:34} {r['top']:>3}/{r['top_total']:<2} {r['extra']:>5} "
              f"{r['second']:>3}/{r['second_total']:<3} {r['leaks']:>5} {r['sent']:>3}/{r['sent_total']:<2} "
              f"{r['tab']:>4}/2 {lost:>6} {lost_pages:>6} {took:>8.2f} {pdfium_s:>8}")
        if a.detail:
            for key in ("miss_top", "extra_top", "miss_second", "leak", "miss_sent", "tables"):
                for item in r[key]:
                    print(f"    {key}: {item}")
            if lost_chars:
                print(f"    lost: {''.join(ch * min(n, 3) for ch, n in lost_chars.most_common(40))}")
    print(f"{'TOTAL':34} {totals['top']:>3}/{totals['top_total']:<2} {totals['extra']:>5} "
          f"{totals['second']:>3}/{totals['second_total']:<3} {totals['leaks']:>5} "
          f"{totals['sent']:>3}/{totals['sent_total']:<2} {totals['tab']:>3}/{totals['tab_total']} {totals['lost']:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
