#!/usr/bin/env python3
"""Build the template corpus: a model text (示范文本) with blanks, and tender files made from it, in DOCX and PDF.

    .venv/bin/python corpus/templates/build_templates.py            # everything
    .venv/bin/python corpus/templates/build_templates.py --no-pdf   # DOCX and expected.yaml only
    .venv/bin/python corpus/templates/build_templates.py --force    # re-render PDFs whose DOCX did not change

Inputs (corpus/templates/src/):
* `model.txt`     — the model text in corpus/build_corpus.py's markup, with blanks `{{name}}` / `{{name|shown}}`
                    and `⏎` for a line break inside a paragraph;
* `variants.yaml` — the values that fill the blanks, and the tender variants: edits to the filled text, each with
                    what the template check must report.
Outputs (corpus/templates/): `model.docx|pdf` (blanks shown as underlined gaps), `<variant>.docx|pdf`, and
`expected.yaml` (generated, do not edit). The spec of the model, `model.spec.yaml`, is written by hand.
DOCX files are byte-for-byte reproducible; a PDF is re-rendered only when its DOCX changed (LibreOffice stamps a date).
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
sys.path.insert(0, str(HERE.parent))

import build_corpus as bc  # noqa: E402  (corpus/build_corpus.py: markup parser, DOCX builder, LibreOffice)

SLOT = re.compile(r"\{\{([^{}|]+)(?:\|([^{}]*))?\}\}")
MODEL_BLANK = "__　　　　　　__"  # an underlined gap, as a printed model text has
LINE_BREAK = "⏎"


class Builder(bc.Builder):
    """corpus/build_corpus.py's builder, plus `⏎` = a line break (w:br) inside a paragraph."""

    def add_runs(self, par, text, where, **kwargs):
        for k, part in enumerate(text.split(LINE_BREAK)):
            if k:
                par.add_run().add_break()
            super().add_runs(par, part, where, **kwargs)
        return par


def render_model(src: str) -> str:
    return SLOT.sub(lambda m: m.group(2) if m.group(2) is not None else MODEL_BLANK, src)


def render_tender(src: str, fills: dict) -> str:
    missing = sorted({m.group(1) for m in SLOT.finditer(src) if m.group(1) not in fills})
    if missing:
        raise SystemExit(f"variants.yaml: no value for the blanks {missing}")
    return SLOT.sub(lambda m: str(fills[m.group(1)]), src)


def _one_line(lines: list[str], find: str, name: str) -> int:
    hits = [i for i, line in enumerate(lines) if find in line]
    if len(hits) != 1:
        raise SystemExit(f"{name}: {find!r} is on {len(hits)} source lines, wanted exactly one")
    return hits[0]


def apply_edits(src: str, edits: list[dict], name: str) -> str:
    for e in edits:
        if "replace" in e:
            if src.count(e["replace"]) != 1:
                raise SystemExit(f"{name}: {e['replace']!r} occurs {src.count(e['replace'])} times, wanted once")
            src = src.replace(e["replace"], e["with"])
            continue
        lines = src.split("\n")
        if "delete_line" in e:
            del lines[_one_line(lines, e["delete_line"], name)]
        elif "insert_after" in e:
            lines.insert(_one_line(lines, e["insert_after"], name) + 1, e["line"])
        else:
            raise SystemExit(f"{name}: unknown edit {e}")
        src = "\n".join(lines)
    return src


def build_doc(name: str, source: str, meta_update: dict, *, make_pdf: bool, force: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="tpl_corpus_") as tmp:
        tmp = Path(tmp)
        src_path = tmp / f"{name}.txt"
        src_path.write_text(source, encoding="utf-8")
        meta, blocks = bc.parse_source(src_path)
        meta.update(meta_update)
        meta["document"] = name
        data = Builder(meta, blocks).build().to_bytes()
        docx_path, pdf_path = HERE / f"{name}.docx", HERE / f"{name}.pdf"
        unchanged = docx_path.exists() and docx_path.read_bytes() == data and pdf_path.exists()
        docx_path.write_bytes(data)
        if make_pdf and (force or not unchanged):
            shutil.copy(bc.soffice_pdf(docx_path, tmp), pdf_path)
    pages = len(bc.pdf_pages_text(pdf_path)) if pdf_path.exists() else None
    print(f"{name:18} {pages} pages{' (PDF kept)' if unchanged and not force else ''}")
    return {"pdf_pages": pages}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--force", action="store_true", help="re-render PDFs even when the DOCX did not change")
    ap.add_argument("--no-pdf", action="store_true", help="write DOCX and expected.yaml only")
    args = ap.parse_args(argv)
    make_pdf = not args.no_pdf
    if make_pdf and not shutil.which("soffice"):
        raise SystemExit("soffice (LibreOffice) not found; use --no-pdf")

    model_src = (SRC / "model.txt").read_text(encoding="utf-8")
    conf = yaml.safe_load((SRC / "variants.yaml").read_text(encoding="utf-8"))
    docs = {"model": build_doc("model", render_model(model_src), {}, make_pdf=make_pdf, force=args.force)}
    filled = render_tender(model_src, conf["fills"])
    meta = {k: conf[k] for k in ("title", "header", "author") if k in conf}
    expected = {}
    for v in conf["variants"]:
        src = apply_edits(filled, v.get("edits", []), v["name"])
        info = build_doc(v["name"], src, meta, make_pdf=make_pdf, force=args.force)
        expected[v["name"]] = {
            "title": v["title"], "pdf_pages": info["pdf_pages"],
            "findings": [e["expect"] for e in v.get("edits", []) if e.get("expect")],
            "cosmetic_edits": sum(1 for e in v.get("edits", []) if not e.get("expect")),
        }
    out = {"model": "model.docx", "spec": "model.spec.yaml", "model_pdf_pages": docs["model"]["pdf_pages"],
           "formats": ["docx", "pdf"], "documents": expected}
    head = ("# Generated by corpus/templates/build_templates.py from src/variants.yaml - do not edit by hand.\n"
            "# findings: what checking each document against the template built from model.docx with model.spec.yaml\n"
            "# must report - every entry exactly once, nothing else (in DOCX and PDF alike).\n")
    (HERE / "expected.yaml").write_text(head + yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=120),
                                        encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
