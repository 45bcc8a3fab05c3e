"""Signs that a PDF is damaged, for a gate that must never read "could not read" as "no violations" (issue 16).

pdfium opens a byte-damaged PDF silently: it rebuilds a broken cross-reference table and decodes what it can of a
corrupt content stream, dropping the rest of the page's glyphs (numbered clauses went 160 → 60 with no problem page
reported). Two cheap checks catch what pdfium hides:
- every Flate stream is inflated (a byte scan, no PDF parser): one that fails or stops short lost its data;
- pdfium says whether it had to rebuild the cross-reference table (then objects may be missing).
A rebuilt table alone is common in sloppy but complete files, so it counts only together with a broken stream.
Text-level signs (replacement glyphs) are counted per page by the reader.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

# The `stream` keyword after a dictionary; the data runs to the next `endstream`. Only streams whose one filter is
# FlateDecode are checked (ASCII85 then Flate, or an encrypted file's streams, are not zlib data as stored).
_STREAM = re.compile(rb">>\s*stream\r?\n")
_FLATE_ONLY = re.compile(rb"/Filter\s*(?:/FlateDecode|\[\s*/FlateDecode\s*\])")
_END = b"endstream"
_MAX_SCAN = 256 * 1024 * 1024


@dataclass
class Damage:
    broken_streams: int = 0
    streams: int = 0
    xref_rebuilt: bool = False
    pages: list[int] = field(default_factory=list)  # pages whose own content stream is broken, where known

    @property
    def damaged(self) -> bool:
        return self.broken_streams > 0


def broken_flate_streams(data: bytes) -> tuple[int, int]:
    """(broken, total) Flate streams: one is broken when inflating it raises or ends before the end of its data
    (trailing whitespace and a few stray bytes before `endstream` are normal)."""
    broken = total = 0
    for m in _STREAM.finditer(data, 0, min(len(data), _MAX_SCAN)):
        head = data[max(0, m.start() - 2048):m.start()]
        head = head[head.rfind(b"obj") + 1:]  # this object's dictionary
        if not _FLATE_ONLY.search(head):
            continue
        start = m.end()
        end = data.find(_END, start)
        if end < 0:
            broken += 1
            total += 1
            break
        total += 1
        if not data[start:end].strip():
            continue  # an empty stream
        d = zlib.decompressobj()
        try:
            # Inflate in bounded chunks: a stream is checked, never held whole (a bomb stays cheap).
            pos, done = start, False
            while pos < end and not d.eof:
                d.decompress(data[pos:min(end, pos + 65536)], 1 << 20)
                while d.unconsumed_tail and not d.eof:
                    d.decompress(d.unconsumed_tail, 1 << 20)
                pos += 65536
            done = d.eof
        except zlib.error:
            done = False
        if not done:
            broken += 1
    return broken, total


# A replacement character is what a viewer shows for a glyph it could not map; real tenders have none (0 in every
# real and corpus PDF), so a few on one page mean lost text there.
MIN_REPLACEMENTS = 3

DAMAGED = "damaged"  # PageIssue.problem: the document as a whole (page None)
REPLACEMENT = "replacement_glyphs"
PROBLEMS = (DAMAGED, REPLACEMENT)


def inspect(path, pdf, pages) -> list:
    """PageIssues for damage pdfium did not report: broken Flate streams (document level, with whether the
    cross-reference table had to be rebuilt) and pages with replacement glyphs. `pdf` is the open pypdfium2
    document, `pages` the reader's pages (their lines)."""
    import mmap

    import pypdfium2.raw as pdfium_c

    from ..models import PageIssue

    issues = []
    if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) == -1:  # encrypted streams are not zlib data as stored
        with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            broken, total = broken_flate_streams(data)
        if broken:
            rebuilt = not pdfium_c.FPDF_DocumentHasValidCrossReferenceTable(pdf.raw)
            issues.append(PageIssue(page=None, problem=DAMAGED,
                                    detail=f"PDF 已损坏：{total} 个压缩数据流中有 {broken} 个无法完整解码"
                                           f"{'，交叉引用表也已损坏' if rebuilt else ''}，部分页面的文字可能缺失"))
    return issues + page_issues(pages)


def page_issues(pages) -> list:
    """Pages with replacement glyphs."""
    from ..models import PageIssue

    issues = []
    for p in pages:
        n = sum(ln.text.count("\ufffd") for ln in p.lines)
        if n >= MIN_REPLACEMENTS:
            issues.append(PageIssue(page=p.number, problem=REPLACEMENT,
                                    detail=f"该页有 {n} 个无法识别的字符（替换符 �），文字可能缺失"))
    return issues


# pdfium's FPDF_GetLastError codes. Its message for a failure with code 0 was "PDFium: Success", which told the user
# nothing (and in English): each code gets a Chinese reason.
_PDFIUM_REASONS = {0: "文件结构无法识别", 1: "未知错误", 2: "无法打开文件", 3: "不是有效的 PDF 或已损坏", 4: "需要密码",
                   5: "不支持的加密方式", 6: "页面缺失或已损坏"}


def pdfium_reason(exc) -> str:
    code = getattr(exc, "err_code", None)
    if code is None:
        return "文件结构无法识别"
    return _PDFIUM_REASONS.get(code, f"错误码 {code}")
