"""Ingestion: any supported file → Document (clause tree). `parse` is the one entry point."""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Optional

from .. import limits
from ..errors import CorruptFile, TenderCheckError
from ..models import DocFormat, Document, RawDocument, Source
from ..segment import segment
from .sniff import DEFAULT_MAX_BYTES, check_docx_safety, read_text_file, sniff


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_raw(path: Path, declared: Optional[str] = None, max_bytes: int = DEFAULT_MAX_BYTES) -> RawDocument:
    """Sniff the real type, then hand the file to its reader. Raises an InputError subclass for bad input, never
    anything else: a reader that trips over a malformed file must not show the user a traceback."""
    path = Path(path)
    try:
        return _read_raw(path, declared, max_bytes)
    except (TenderCheckError, MemoryError):
        raise
    except RecursionError:  # nesting no real document has; a bug of ours where a walk is still recursive
        raise CorruptFile("文件结构嵌套过深，无法解析", str(path)) from None
    except Exception as exc:  # malformed input deep inside lxml, pdfminer or zipfile
        raise CorruptFile(f"文件内容无法解析，可能已损坏（{type(exc).__name__}: {exc}）"[:300], str(path)) from None


def _read_raw(path: Path, declared: Optional[str], max_bytes: int) -> RawDocument:
    fmt = sniff(path, declared=declared, max_bytes=max_bytes)
    source = Source(path=str(path), sha256=sha256_of(path), format=fmt, size=path.stat().st_size)
    if fmt == DocFormat.pdf:
        from .pdf_reader import read_pdf
        return read_pdf(path, source)
    if fmt == DocFormat.docx:
        return _read_docx(path, source)
    if fmt in (DocFormat.doc, DocFormat.wps):
        from .convert import convert_to_docx
        with tempfile.TemporaryDirectory(prefix="tendercheck-") as tmp:
            converted = convert_to_docx(path, Path(tmp))
            raw = _read_docx(converted, source.model_copy(update={"converted_with": "LibreOffice"}))
        return raw
    if fmt == DocFormat.image:
        from .ocr import read_image
        return read_image(path, source)
    from .text_reader import read_text
    text, _encoding = read_text_file(path)
    return read_text(text, source)


def _read_docx(path: Path, source: Source) -> RawDocument:
    from .docx_reader import read_docx
    check_docx_safety(path)  # also the XML size limit, so the tree read_docx builds is bounded
    raw = read_docx(path, source)
    limits.check_characters(sum(len(b.text) + sum(len(c.text) for c in b.cells) for b in raw.blocks), str(path))
    return raw


def parse(path: Path, declared: Optional[str] = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    from ..zones import assign_zones
    raw = read_raw(path, declared=declared, max_bytes=max_bytes)
    # Blocks are what segmentation multiplies into clauses (a table cell is one); refusing before segment() keeps
    # the clause tree, and everything matched against it, bounded.
    limits.check_clauses(sum(max(1, len(b.cells)) for b in raw.blocks), str(path))
    return assign_zones(segment(raw))
