#!/usr/bin/env python3
"""Build the project dossiers (案卷) for `tendercheck project DIR`.

For every dossier ``corpus/projects/src/<name>/`` this script writes ``corpus/projects/<name>/``:

* each ``NN_<document>.txt`` source (the markup of ``corpus/build_corpus.py``, with a YAML front matter naming its
  ``format``: docx or pdf) as a DOCX built with python-docx and Word auto-numbering, or as the PDF LibreOffice
  renders from that DOCX — the dossiers mix both, as platforms receive them;
* the registration record (``registration.json`` / ``.yaml`` / ``.csv``), the manifest (``project.yaml``) where the
  dossier has one, and ``expected.yaml`` (the project findings a correct checker reports, nothing more), copied as
  they are.

Usage::

    .venv/bin/python corpus/projects/build_projects.py              # all dossiers
    .venv/bin/python corpus/projects/build_projects.py works_clean  # one
    .venv/bin/python corpus/projects/build_projects.py --force      # re-render every PDF

DOCX output is byte-for-byte deterministic. LibreOffice stamps a creation date into each PDF, so a PDF is rendered
again only when the DOCX it comes from changed (its sha256 is kept in ``src/<name>/pdf_sources.txt``) or with
``--force``.
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from build_corpus import Builder, parse_source, soffice_pdf  # noqa: E402

SRC = HERE / "src"
COPIED = ("registration.json", "registration.yaml", "registration.csv", "project.yaml", "expected.yaml")


def dossiers() -> list[str]:
    return sorted(p.name for p in SRC.iterdir() if p.is_dir())


def build_dossier(name: str, force: bool = False) -> None:
    src, out = SRC / name, HERE / name
    out.mkdir(exist_ok=True)
    stamps_path = src / "pdf_sources.txt"
    stamps = {}
    if stamps_path.exists():
        for line in stamps_path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                key, digest = line.split()
                stamps[key] = digest
    wanted = set()
    for path in sorted(src.glob("*.txt")):
        if path.name == "pdf_sources.txt":
            continue
        meta, blocks = parse_source(path)
        meta.setdefault("header", meta["title"])
        fmt = meta.get("format", "docx")
        data = Builder(meta, blocks).build().to_bytes()
        target = out / f"{path.stem}.{fmt}"
        wanted.add(target.name)
        if fmt == "docx":
            target.write_bytes(data)
            print(f"{name}/{target.name}")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if not force and target.exists() and stamps.get(path.stem) == digest:
            print(f"{name}/{target.name} (PDF kept)")
            continue
        with tempfile.TemporaryDirectory(prefix="dossier_") as tmp:
            docx_path = Path(tmp) / f"{path.stem}.docx"
            docx_path.write_bytes(data)
            shutil.copy(soffice_pdf(docx_path, Path(tmp)), target)
        stamps[path.stem] = digest
        print(f"{name}/{target.name} (rendered)")
    for extra in COPIED:
        if (src / extra).exists():
            shutil.copy(src / extra, out / extra)
            wanted.add(extra)
    for stale in out.iterdir():
        if stale.is_file() and stale.name not in wanted:
            stale.unlink()
    stamps_path.write_text("".join(f"{k} {v}\n" for k, v in sorted(stamps.items())), encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*")
    ap.add_argument("--force", action="store_true", help="re-render PDFs even when their DOCX did not change")
    args = ap.parse_args(argv)
    if not shutil.which("soffice"):
        raise SystemExit("soffice (LibreOffice) not found")
    for name in args.names or dossiers():
        build_dossier(name, force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
