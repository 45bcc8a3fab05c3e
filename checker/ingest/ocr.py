"""OCR for pages without usable text: scanned PDF pages and image files (PNG, JPEG, TIFF).

The engine is Debian's tesseract with its chi_sim data, run as a process (`tesseract stdin stdout tsv`): it installs
from the distribution, needs no model download at run time, and a process can be killed when a page takes too long
(the per-page time limit) where a library call could not. Its TSV output gives each word with a box and a
confidence; words become pdf_reader.Line objects in PDF points, so OCR'd pages go through the same running-line
removal, paragraph joining, segmenter and zones as text pages. Each line carries its mean confidence (0–100), which
follows the text to its Block and Clause.

Around the engine: ocr_image (a seal faded by its colour, the page deskewed), ocr_tables (ruled tables found in the
image and read cell by cell), ocr_glyphs (check boxes and signs chi_sim misreads), ocr_marks (punctuation, circled
digits and a range's tilde decided from the glyph: the segmenter's headings and list items depend on them).
Measured (bench/bench_ocr.py, bench/OCR.md): 300 dpi renders of the real text PDFs, tables included, 0.972 of their
characters cell by cell on 24 pages (0.962 on 12 that hold a formula page; body pages 0.97–0.99; dirty scans
0.95), 0.2–0.4 pages/s per core on a loaded machine; OMP threads make tesseract *slower* here (2.4 s → 27 s a page
with 2 threads on 2 busy cores), so each process runs it single-threaded and the batch pool supplies the
parallelism.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from . import ocr_glyphs, ocr_image, ocr_leaders, ocr_marks, ocr_reread, ocr_stars
# The engine and its settings live in ocr_engine (below ocr_reread, which uses them too); named here as before.
from .ocr_engine import (DPI, LANG, MODES, PSM, OcrFailed, OcrTimeout, Settings, Word, _clean_word,  # noqa: F401
                         configure, run_tesseract, settings)



@lru_cache(maxsize=1)
def unavailable_reason() -> Optional[str]:
    """None when OCR can run; else why not, in Chinese, for the one-line message."""
    exe = shutil.which("tesseract")
    if not exe:
        return "未安装 OCR 引擎（tesseract，Debian 软件包 tesseract-ocr tesseract-ocr-chi-sim）"
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "OCR 引擎 tesseract 无法运行"
    if LANG not in out.stdout.split():
        return "OCR 引擎缺少简体中文识别数据（Debian 软件包 tesseract-ocr-chi-sim）"
    return None


def available() -> bool:
    return unavailable_reason() is None


# — is a full-width dash (ocr_marks.fix_dashes): no space around it, as around CJK.
_CJK_OR_PUNCT = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef（）《》“”‘’、。，；：？！—]")


def _join(words: list["Word"]) -> str:
    """tesseract separates every CJK character by a space; Chinese text has none. Keep a space between two
    Latin/digit words (「ISO 9001」, 「Page 3」), and where the page has a gap of a character or more (「第一章　招标公告」:
    the text layer of such a page has the space too)."""
    out = ""
    prev = None
    # The line's height, not a word's: 「一」 and 「、」 are a few pixels high, and their gap would look wide.
    height = max((w.bottom - w.top for w in words), default=1) or 1
    for w in words:
        if not w.text:
            continue
        if out:
            gap = w.left - prev.right
            latin = not (_CJK_OR_PUNCT.search(out[-1]) or _CJK_OR_PUNCT.search(w.text[0]))
            # Between Latin words only a real gap is a space: tesseract splits 「1741200.00」 into touching words,
            # and a space inside an amount would make two numbers of it.
            if gap > 0.9 * height or latin and gap > 0.3 * height:
                out += " "
        out += w.text
        prev = w
    return out


# Confusions of chi_sim at a heading's number, where a misread costs the document its structure: 第一章 read as
# 第一草/第一竟 (seen on the fixture scans). Only at a line's start after 第+numeral, where no real word has them.
_HEADING_FIXES = re.compile(r"^(第[一二三四五六七八九十百零〇0-9]{1,4})[草竟]")


# A table of contents' dot leader comes out of chi_sim as 「.sse ssssss…」 (r10, r05): written back as one leader, so
# the reader takes the line for a contents entry (pdf_reader.OCR_TOC), not for a 第一章 heading.
_LEADER = re.compile(r"[.·…。][.·…。,se\s]{9,}(\S{0,4})$")
LEADER = ocr_leaders.LEADER


# The gap after a chapter number read as a quote mark (「第一章”投标邀请」, r10; confidence 50–80, so _clean_word keeps
# it): a closing mark, or an opening one that nothing closes, right after 第N章 is that gap.
_HEADING_QUOTE = re.compile(r"^(第[一二三四五六七八九十百零〇0-9]{1,4}[章节部分篇卷])\s*(”+|“”|“(?!.*”))\s*")


# chi_sim reads an opening parenthesis as 〈 or 《 (「〈北京时间)」「《如有)」, many times on every real scan). 〈 that no
# 〉 closes on its line is a parenthesis (a cell's parenthesis often closes on its next line); 《 only when a ) closes
# it before any 》 does (a book title 《…》 wraps across lines too).
_ANGLE = re.compile(r"〈(?![^〈〉]*〉)|《(?=[^《》()（）]*[)）])")
_DOUBLED = re.compile(r"[〈《〔](?=[(（])")  # 「《(华阳新材料)」: the parenthesis read twice, once as 《


# Text filled in on an underlined blank (「每天 09:00 至」 over a line, r10) gets the line read as _ or - beside its
# digits: 「每天_09:00」「10点-00分」. Those marks go; a blank left empty is a long run of _ and stays.
_UNDERLINE = re.compile(r"(?<![_])_{1,2}\s*(?=\d)|(?<=\d)\s*_{1,2}(?![_])|(?<=[点时])[-_](?=\d)")
# A list number glued to a year (「1.2025年12月31日」, the text layer's 「1. 2025 年」) would read as the number 1.2025.
_NUMBER_YEAR = re.compile(r"^(\d{1,2}[.、．])(?=\d{4}年)")


def _fix(text: str) -> str:
    text = _HEADING_QUOTE.sub(r"\1 ", _HEADING_FIXES.sub(r"\1章", text))
    text = _DOUBLED.sub("", _ANGLE.sub("(", _DOUBLED.sub("", text)))  # again after: 「〔〈」 → 「〔(」 → 「(」
    text = _NUMBER_YEAR.sub(r"\1 ", _UNDERLINE.sub("", text))
    return ocr_glyphs.fix_signs(ocr_glyphs.fix_open_boxes(_LEADER.sub(LEADER + r"\1", text)))


def page_lines(image, page_no: int, scale: float, timeout: Optional[float] = None):
    """pdf_reader.Line objects of one page image; `scale` converts pixels to PDF points (72 / dpi)."""
    return read_page(image, page_no, scale, timeout, tables=False).lines


def page_content(image, page_no: int, scale: float, timeout: Optional[float] = None, tables: bool = True):
    """(lines, tables) of one page image: ruled tables found in the image are read cell by cell (ocr_tables.py);
    the rest are pdf_reader.Line objects. Positions in PDF points (`scale` = 72 / dpi)."""
    read = read_page(image, page_no, scale, timeout, tables)
    return read.lines, read.tables


@dataclass
class PageRead:
    lines: list  # pdf_reader.Line outside the tables
    tables: list  # pdf_reader.TableItem
    cell_lines: list  # pdf_reader.Line of the cells' text, where it stands on the page (bench_ocr compares them)


def read_page(image, page_no: int, scale: float, timeout: Optional[float] = None, tables: bool = True) -> PageRead:
    from . import ocr_tables

    image = ocr_image.prepare(image, 72 / scale)  # grey, a colour stamp faded, the page turned straight
    boxes = ocr_tables.find_cells(image, scale) if tables else []
    layout = ocr_tables.compose(image, boxes, scale)
    buf = io.BytesIO()
    layout.image.save(buf, format="PNG", compress_level=1)  # speed over size: it goes through a pipe once
    pictures: list = []
    deadline = time.monotonic() + (timeout or settings.page_timeout)  # the page's limit covers the re-reads too
    words = run_tesseract(buf.getvalue(), timeout, pictures=pictures)
    lost = ocr_image.unread_bands(layout.image, layout.page_height, words, scale)
    for line in ocr_reread.pictures(layout.image, pictures, scale, deadline) + \
            ocr_reread.lines(layout.image, lost, deadline):
        top = min(w.top for w in line)  # in place, by position
        at = next((k for k, ws in enumerate(words) if min(w.top for w in ws) > top), len(words))
        words.insert(at, line)
    ocr_glyphs.fix_filled_boxes(words, layout.image)
    ocr_stars.fix_stars(words, layout.image)
    ocr_stars.fix_times(words, layout.image)
    ocr_marks.fix_circled(words, layout.image, _left(deadline))
    ocr_marks.fix_marks(words, layout.image)
    ocr_marks.fix_tildes(words, layout.image)
    ocr_marks.fix_dashes(words, layout.image)
    ocr_leaders.mark_leaders(words, layout.image)
    page_words, cell_words = ocr_tables.split_words(layout, words)
    lines = [ln for ln in (_line(ws, page_no, scale) for ws in page_words) if ln is not None and ln.conf >= NOISE]
    cell_lines = [ln for wss in cell_words.values() for ln in (_line(ws, page_no, scale) for ws in wss)
                  if ln is not None]
    tables = _table_items(boxes, cell_words, page_no, scale, image.height * scale) if boxes else []
    return PageRead(lines, tables, cell_lines)


# A line of the page (not of a table's cell) that tesseract reads at a confidence under this is what it made of a
# picture, a logo or a seal: r10's cover emblem came out as nine lines (「员、ornationa/，厅」「宇 所」 at 0–20) that
# pushed the 项目名称 line out of the head doctype.classify reads, so the scan was classified 货物 where the text is
# 服务. Measured (bench_ocr, 12 pages): lines under 30 are 17–47 % right, six lines in five hundred.
NOISE = 25


def _left(deadline: float) -> float:
    return max(1.0, deadline - time.monotonic())


def _line(words: list[Word], page_no: int, scale: float):
    from .pdf_page import Line

    text = _fix(_join(words))
    if not text.strip():
        return None
    chars = sum(len(w.text) for w in words)
    conf = sum(w.conf * len(w.text) for w in words) / max(1, chars)
    return Line(text, page_no, min(w.left for w in words) * scale, max(w.right for w in words) * scale,
                min(w.top for w in words) * scale, max(w.bottom for w in words) * scale, conf=conf)


def _table_items(boxes: list, cell_words: dict, page_no: int, scale: float, page_height: float) -> list:
    """pdf_reader.TableItem objects, numbered as pdf_tables._table_item numbers its cells; a cell's lines in
    tesseract's order, each joined as a text line is; open_bottom as pdf_tables decides it."""
    from ..models import Cell
    from .pdf_page import TableItem

    items = []
    for t in sorted({b[4] for b in boxes}):
        mine = [(k, b) for k, b in enumerate(boxes) if b[4] == t]
        xs = sorted({round(b[0]) for _, b in mine})
        ys = sorted({round(b[1]) for _, b in mine})
        cells, rated = [], []
        for k, (x0, top, x1, bottom, _) in mine:
            text = "\n".join(_fix(_join(ws)) for ws in cell_words.get(k, [])).strip()
            rated += [(w.conf, len(w.text)) for ws in cell_words.get(k, []) for w in ws]
            cells.append(Cell(row=ys.index(round(top)), col=xs.index(round(x0)), page=page_no, text=text,
                              row_span=max(1, sum(1 for y in ys if top - 1 <= y < bottom - 1)),
                              col_span=max(1, sum(1 for x in xs if x0 - 1 <= x < x1 - 1))))
        conf = sum(c * n for c, n in rated) / max(1, sum(n for _, n in rated)) if rated else None
        bottom = max(b[3] for _, b in mine)
        items.append(TableItem(page=page_no, top=min(b[1] for _, b in mine), bottom=bottom,
                               ncols=len(xs), cells=cells, boxes=[b[:4] for _, b in mine], conf=conf,
                               open_bottom=bottom > page_height * FOOT and _open_bottom(mine, cell_words, scale)))
    return items


FOOT = 0.8  # as pdf_tables.FOOT: only a table reaching into the lowest fifth of the page may run on


def _open_bottom(mine: list, cell_words: dict, scale: float) -> bool:
    """Whether a cell of the table's last row has its last line of text running to the cell's right edge, so its
    text goes on past the page break (pdf_tables._filled_to_edge on the text layer). Without it a row Word broke
    across two pages was two rows on a scan and one on the text: r19's 政策功能 row, whose 「给予10%—20%…的扣除」
    was read without the 联合体 sentence that follows it on the next page (bench/OCR.md, round 4)."""
    last_top = max(b[1] for _, b in mine)
    for k, b in mine:
        lines = cell_words.get(k) or []
        if b[1] != last_top or not lines:
            continue
        last = max(lines, key=lambda ws: min(w.top for w in ws))
        size = sorted(w.bottom - w.top for w in last)[len(last) // 2]
        if max(w.right for w in last) >= b[2] / scale - 2.5 * size:
            return True
    return False


def report_progress(done: int, total: int, page_no: int, seconds: float, name: str) -> None:
    if settings.progress:
        print(f"tendercheck: {name}: OCR 识别第 {page_no} 页（{done}/{total}，{seconds:.1f} 秒）", file=sys.stderr,
              flush=True)


class Clock:
    """Seconds since construction, for the progress line."""

    def __init__(self):
        self.start = time.perf_counter()

    def lap(self) -> float:
        now = time.perf_counter()
        seconds, self.start = now - self.start, now
        return seconds


# ------------------------------------------------------------------------------------------------------ PDF pages


def ocr_pdf_pages(pdf, pages, name: str) -> None:
    """Render each of `pages` (pdf_reader.Page, pages of the open pypdfium2 `pdf`) and put OCR lines in place of
    its text layer. A page over the time limit, or one tesseract fails on, keeps no lines and says so in `ocr`.

    Rendering stays in this thread (pdfium is not thread-safe); tesseract runs as a process, so settings.jobs
    threads keep that many pages in OCR at once — the cores of a single `check`, one in a batch worker (the pool
    already uses every core)."""
    from collections import Counter
    from concurrent.futures import ThreadPoolExecutor

    def render(page):
        pdf_page = pdf[page.number - 1]
        try:
            return pdf_page.render(scale=DPI / 72).to_pil()  # colour: ocr_image fades a red seal by its colour
        finally:
            pdf_page.close()

    def read(page, image):
        try:
            return page_content(image, page.number, 72 / DPI), "done"
        except OcrTimeout:
            return ([], []), "timeout"
        except OcrFailed:
            return ([], []), "failed"

    clock = Clock()
    jobs = max(1, settings.jobs)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        pending = []
        for i, page in enumerate(pages):
            pending.append((page, pool.submit(read, page, render(page))))
            while pending and (len(pending) > jobs or i == len(pages) - 1):  # at most `jobs` rendered pages held
                done_page, future = pending.pop(0)
                (lines, tables), done_page.ocr = future.result()
                done_page.lines, done_page.tables = lines, tables
                done_page.chars = sum(len("".join(ln.text.split())) for ln in lines) + sum(
                    len("".join(c.text.split())) for t in tables for c in t.cells)
                done_page.garbage = 0
                # The text layer (if any) was replaced: nothing of it is "lost" (_reading_issues).
                done_page.layer = Counter()
                if len(pages) >= 3:  # a long scan: say how far it got
                    report_progress(pages.index(done_page) + 1, len(pages), done_page.number, clock.lap(), name)


def ocr_issues(pages) -> list:
    """What a reviewer must know about OCR'd pages: which they are and how sure the engine was (one issue), and each
    page it could not read."""
    from ..models import PageIssue

    issues = []
    done = [p for p in pages if p.ocr == "done"]
    if done:
        rated = [(ln.conf, len(ln.text)) for p in done for ln in p.lines if ln.conf is not None]
        mean = sum(c * n for c, n in rated) / max(1, sum(n for _, n in rated))
        numbers = [p.number for p in done]
        where = f"第{numbers[0]}页" if len(numbers) == 1 else f"{len(numbers)}页（第{numbers[0]}–{numbers[-1]}页）"
        issues.append(PageIssue(problem="ocr", detail=f"{where}的文字经 OCR 识别（平均置信度 {mean:.0f}%），"
                                                      "引文请与原件核对"))
    for p in pages:
        if p.ocr == "timeout":
            issues.append(PageIssue(page=p.number, problem="ocr_timeout",
                                    detail=f"该页 OCR 识别超过 {settings.page_timeout:g} 秒，未能检查"))
        elif p.ocr == "failed":
            issues.append(PageIssue(page=p.number, problem="ocr_failed", detail="该页 OCR 识别失败，未能检查"))
    return issues


# ------------------------------------------------------------------------------------------------------ image files


def _kind(path) -> str:
    """What the image is by its bytes (a PNG renamed .pdf is a PNG), for the message."""
    with open(path, "rb") as f:
        head = f.read(4)
    return "PNG 图片" if head.startswith(b"\x89PN") else "JPEG 图片" if head.startswith(b"\xff\xd8") else "TIFF 图片"


def read_image(path, source):
    """An image file (PNG, JPEG, TIFF; every frame of a multi-page TIFF) → RawDocument, through OCR."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    from .. import limits
    from ..errors import CorruptFile, NoTextLayer, UnsupportedType
    from .sniff import SUPPORTED
    from ..models import RawDocument
    from .page_issues import page_issues
    from .pdf_layout import _drop_frames, _remove_running_lines, _to_blocks
    from .pdf_page import Page

    if settings.mode == "never":  # the contract from before OCR: an image is no document (exit 8)
        raise UnsupportedType(f"文件实际是 {_kind(path)}，不是可检查的文档"
                              f"（--ocr never：不进行 OCR 文字识别）；{SUPPORTED}", str(path))
    missing = unavailable_reason()
    if missing:
        raise NoTextLayer(f"图像文件需要 OCR 文字识别，但{missing}", str(path))
    Image.MAX_IMAGE_PIXELS = 200_000_000  # a hostile header claiming a gigapixel image ends as CorruptFile
    pages = []
    try:
        with Image.open(str(path)) as img:
            frames = getattr(img, "n_frames", 1)
            limits.check_pages(frames, str(path))
            clock = Clock()
            for i, frame in enumerate(ImageSequence.Iterator(img)):
                dpi = _dpi(frame)
                scale = 72 / dpi
                page = Page(number=i + 1, width=frame.width * scale, height=frame.height * scale)
                try:
                    (page.lines, page.tables), page.ocr = page_content(frame, i + 1, scale), "done"
                except OcrTimeout:
                    page.ocr = "timeout"
                except OcrFailed:
                    page.ocr = "failed"
                page.chars = sum(len("".join(ln.text.split())) for ln in page.lines) + sum(
                    len("".join(c.text.split())) for t in page.tables for c in t.cells)
                limits.check_characters(sum(p.chars for p in pages) + page.chars, str(path))
                pages.append(page)
                if frames >= 3:
                    report_progress(i + 1, frames, i + 1, clock.lap(), str(path))
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise CorruptFile(f"图像文件无法读取（{type(exc).__name__}）", str(path)) from None
    source = source.model_copy(update={"page_count": len(pages)})
    issues = page_issues(pages, str(path), ocr_issues(pages))
    _drop_frames(pages)
    _remove_running_lines(pages)
    return RawDocument(source=source, blocks=_to_blocks(pages), page_issues=issues)


def _dpi(image) -> float:
    """The scan's resolution as the file records it; 300 when it records none or nonsense (a phone photo says 72
    and is 3000 pixels wide: 72 would make its characters 40 pt, which no layout threshold expects)."""
    dpi = image.info.get("dpi", (0, 0))[0] or 0
    try:
        dpi = float(dpi)
    except (TypeError, ValueError):
        dpi = 0
    if not 100 <= dpi <= 1200 or image.width / dpi > 20:  # over 20 inches wide is no page
        return max(300.0, image.width / 8.3)  # an A4 width, 8.3 in
    return dpi
