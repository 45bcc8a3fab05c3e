"""Template check speed on a ~300-page tender file (issue 5: aligning it to its template ≤ 2 s).

    .venv/bin/python bench/bench_template.py [--pages 300] [--no-pdf] [--runs 5]

The model text of the template corpus (corpus/templates/src/model.txt) has its three locked parts — the 投标人须知
body, the 评标办法 body and the 通用合同条款 — repeated until the rendered document has about `--pages` pages (each
copy's clauses are made distinct, as the 24 articles of a real 通用合同条款 are); the tender file is that model with
its blanks filled and 40 planted changes spread over the locked parts: 20 clauses modified, 10 deleted, 10 added.
Both are written as DOCX with corpus/build_corpus.py's builder and rendered to PDF by LibreOffice (for the page count
and the PDF timings; cached in bench/out/ until the DOCX changes).

Printed: the page and clause counts, the time to build the template (parse + compile) and to parse the tender, and
the time of check_template — layout, alignment, token diffs and all four STD checks — once with jieba not yet loaded
(what the first document of a process pays) and as the median of `--runs` warm runs; and how many of the 40 planted
changes were found (each must be found exactly once, with nothing else reported).
"""
from __future__ import annotations

import argparse
import math
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "corpus"))
sys.path.insert(0, str(ROOT / "corpus" / "templates"))
OUT = ROOT / "bench" / "out"
TPL = ROOT / "corpus" / "templates"

# (first line, line before which the part ends) of each locked part in model.txt
LOCKED = [("=1 总则", "=1 需要补充的其他内容"), ("=1 评标方法", "// " + "=" * 69 + " 第四章"),
          ("=1 一般约定", "## 专用合同条款")]
PAGES_PER_COPY = 18  # the three locked parts of model.txt render to about this many pages
BASE_PAGES = 10  # cover, 招标公告, 前附表, 专用合同条款, the other chapters


def _distinct(line: str, copy: int) -> str:
    """Make a repeated clause differ from its original (a different article of a long 通用合同条款). A copy's
    top-level clauses go one level down (9.12, 9.12.3 …), so that top-level numbers stay below 100 as in real texts."""
    if copy == 0 or not line.startswith(("=", "-")):
        return line
    marker, text = line.split(" ", 1)
    return f"{'=2' if marker == '=1' else marker} 第{copy + 1}部分：{text}"


def big_model(pages: int) -> str:
    src = (TPL / "src" / "model.txt").read_text(encoding="utf-8")
    lines = src.split("\n")
    copies = max(1, math.ceil((pages - BASE_PAGES) / PAGES_PER_COPY))
    for first, end in LOCKED:
        a = lines.index(first)
        b = lines.index(end)
        part = lines[a:b]
        more = [_distinct(x, c) for c in range(1, copies) for x in part]
        lines[b:b] = more
    return "\n".join(lines)


def plant_changes(src: str) -> tuple[str, int]:
    """20 modified, 10 deleted, 10 added clauses, evenly over the locked parts' =3 clauses."""
    lines = src.split("\n")
    spans = []
    for first, end in LOCKED:
        a = lines.index(first)
        b = next(i for i in range(a, len(lines)) if lines[i].startswith(end))
        spans.append((a, b))
    cands = [i for a, b in spans for i in range(a, b)
             if lines[i].startswith("=3 ") and not lines[i + 1].startswith("-") and "。" in lines[i]]
    step = len(cands) / 40
    chosen = [cands[int(k * step + step / 2)] for k in range(40)]
    plan = {}
    for k, i in enumerate(chosen):
        plan[i] = ("mod", "mod", "del", "add")[k % 4]
    out = []
    for i, line in enumerate(lines):
        action = plan.get(i)
        if action == "mod":
            out.append(line.replace("。", "，但招标人另有规定的除外。", 1))
        elif action == "del":
            continue
        elif action == "add":
            out.append(line)
            out.append(f"=3 新增条款第{i}号：投标人须在项目所在地设立分支机构，并提供其营业执照。")
        else:
            out.append(line)
    return "\n".join(out), len(chosen)


def write(name: str, source: str, meta_update: dict, make_pdf: bool) -> tuple[Path, Path | None]:
    import build_corpus as bc
    import build_templates as bt

    OUT.mkdir(parents=True, exist_ok=True)
    docx_path, pdf_path = OUT / f"{name}.docx", OUT / f"{name}.pdf"
    with tempfile.TemporaryDirectory(prefix="bench_tpl_") as tmp:
        src_path = Path(tmp) / f"{name}.txt"
        src_path.write_text(source, encoding="utf-8")
        meta, blocks = bc.parse_source(src_path)
        meta.update(meta_update)
        meta["document"] = name
        data = bt.Builder(meta, blocks).build().to_bytes()
        unchanged = docx_path.exists() and docx_path.read_bytes() == data and pdf_path.exists()
        docx_path.write_bytes(data)
        if make_pdf and not unchanged:
            shutil.copy(bc.soffice_pdf(docx_path, Path(tmp)), pdf_path)
    return docx_path, (pdf_path if make_pdf and pdf_path.exists() else None)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-pdf", action="store_true", help="DOCX only (page count estimated)")
    args = ap.parse_args(argv)
    make_pdf = not args.no_pdf and bool(shutil.which("soffice"))

    import yaml

    import build_templates as bt

    conf = yaml.safe_load((TPL / "src" / "variants.yaml").read_text(encoding="utf-8"))
    model_src = big_model(args.pages)
    tender_src, planted = plant_changes(bt.render_tender(model_src, conf["fills"]))
    t0 = time.perf_counter()
    model_docx, model_pdf = write(f"tpl_model_{args.pages}", bt.render_model(model_src), {}, make_pdf)
    tender_docx, tender_pdf = write(f"tpl_tender_{args.pages}", tender_src,
                                    {k: conf[k] for k in ("title", "header", "author")}, make_pdf)
    print(f"documents written in {time.perf_counter() - t0:.1f} s ({'with' if make_pdf else 'without'} PDF)")

    from checker.ingest import parse
    from checker.template import build_template, check_template
    from checker.template.layout import layout, body_clauses

    from checker.template import load_spec

    # clause 10 of the 投标人须知 is editable in the spec; in the repeated model it is a copy of clause 1: lock it
    spec = load_spec(TPL / "model.spec.yaml")
    for chapter in spec.chapters:
        chapter.editable = []
    t0 = time.perf_counter()
    template = build_template(model_docx, spec)
    t_build = time.perf_counter() - t0
    from checker.template import load_template, save_template

    tpl_file = OUT / f"tpl_model_{args.pages}.template.json"
    save_template(template, tpl_file)
    t0 = time.perf_counter()
    template = load_template(tpl_file)
    t_load = time.perf_counter() - t0
    rows = []
    for fmt, path in (("DOCX", tender_docx), ("PDF", tender_pdf)):
        if path is None:
            continue
        t0 = time.perf_counter()
        doc = parse(path)
        t_parse = time.perf_counter() - t0
        t0 = time.perf_counter()
        findings = check_template(doc, template)
        t_first = time.perf_counter() - t0
        warm = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            findings = check_template(doc, template)
            warm.append(time.perf_counter() - t0)
        lay = layout(doc, template.spec)
        locked = sum(len(body_clauses(doc, r)) for r in lay.regions.values() if r.mode.value == "locked")
        kinds = {k: sum(f.values.get("修改类型", "") in v for f in findings)
                 for k, v in (("modified", ("实质性修改", "文字修改")), ("deleted", ("删除",)), ("added", ("增加",)))}
        rows.append((fmt, doc, locked, t_parse, t_first, statistics.median(warm), findings, kinds))

    pdf_pages = None
    if tender_pdf is not None:
        import pypdfium2 as pdfium

        pdf_pages = len(pdfium.PdfDocument(str(tender_pdf)))
    print(f"template: {len(template.clauses)} locked clauses from {model_docx.name}, built (parse + compile) in "
          f"{t_build:.2f} s; template file {tpl_file.stat().st_size / 1e6:.1f} MB, loaded in {t_load:.2f} s")
    print(f"tender: {pdf_pages or '~' + str(args.pages)} pages, {planted} planted changes (20 modified, 10 deleted, "
          f"10 added)")
    print(f"{'input':6} {'clauses':>8} {'locked':>7} {'parse s':>8} {'check s (cold)':>15} {'check s (warm)':>15} "
          f"{'findings':>9}  found mod/del/add")
    for fmt, doc, locked, t_parse, t_first, t_warm, findings, kinds in rows:
        print(f"{fmt:6} {len(doc.clauses):>8} {locked:>7} {t_parse:>8.2f} {t_first:>15.3f} {t_warm:>15.3f} "
              f"{len(findings):>9}  {kinds['modified']}/{kinds['deleted']}/{kinds['added']}")
    ok = all(len(r[6]) == planted and r[7] == {"modified": 20, "deleted": 10, "added": 10} for r in rows)
    slowest = max(max(r[4], r[5]) for r in rows)
    print(f"target: check ≤ 2 s — {'met' if slowest <= 2 else 'MISSED'} (slowest {slowest:.3f} s); "
          f"planted changes {'all found exactly once' if ok else 'NOT all found exactly once'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
