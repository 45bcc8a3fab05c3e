"""The OCR engine itself: Debian's tesseract run as a process on one page image, its TSV read into words with pixel
boxes and confidences, and the process-wide settings (mode, per-page time limit). ocr.py builds pages from these;
ocr_reread.py reads parts of a page again with the same engine, which is why this sits below both."""
from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from typing import Optional

MODES = ("auto", "always", "never")
DPI = 300  # 200 dpi lost ~2 points of accuracy on 5-point body text (bench/bench_ocr.py); 300 is what scanners give
LANG = "chi_sim"
# Page segmentation 4, one column of text of varying sizes, as a tender is typed: the automatic layout analysis (3)
# dropped whole blocks of table pages (r24 p.38: 64 % of the characters found against 80 %; p.39 80 % against 97 %).
PSM = "4"


@dataclass
class Settings:
    """Process-wide: set once by the CLI or the batch worker from `--ocr`/the configuration, read by the readers."""

    mode: str = "auto"
    page_timeout: float = 60.0  # seconds for one page; a page over it is reported and left unread
    progress: bool = False  # one line per OCR'd page on stderr (the CLI turns it on for `check`/`parse`)
    jobs: int = 1  # pages in OCR at once (the CLI: every core; a batch worker: 1, the pool is the parallelism)


settings = Settings()


def configure(mode: Optional[str] = None, page_timeout: Optional[float] = None,
              progress: Optional[bool] = None, jobs: Optional[int] = None) -> None:
    if mode is not None:
        if mode not in MODES:
            raise ValueError(mode)
        settings.mode = mode
    if page_timeout is not None:
        settings.page_timeout = float(page_timeout)
    if progress is not None:
        settings.progress = progress
    if jobs is not None:
        settings.jobs = jobs


class OcrTimeout(Exception):
    pass


class OcrFailed(Exception):
    pass


@dataclass
class Word:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    conf: float


_QUOTES = "“”\"'‘’"
_PUNCT = re.compile(r"[:：,，;；。.、!！?？]")


def _clean_word(text: str, conf: float) -> str:
    """A table's vertical rule is read as 「|」, which Chinese text never has; the wide gap of 「第一章　　招标公告」 as
    an unsure quote mark (「第一章“”招标公告」, confidence under 20 on r19's scan). Both would change what the
    segmenter sees (第一章“” is no chapter number). A real quote mark is read with 80–97."""
    text = text.replace("|", "")
    if conf < 50:
        text = text.strip(_QUOTES)
    if conf < 60 and len(text) >= 2 and all(_PUNCT.match(ch) for ch in text):
        text = text[0]  # 「:，」 (confidence 44, r19's 报名时间:，2024-12-11): a speck read as a second mark
    return text


def run_tesseract(png: bytes, timeout: Optional[float] = None, psm: str = PSM,
                  pictures: Optional[list] = None, lang: str = LANG, options: tuple = ()) -> list[list[Word]]:
    """The page's lines in tesseract's reading order, each a list of words. Raises OcrTimeout past the limit.
    `pictures`, when given, collects the pixel boxes of the blocks tesseract took for a picture (no text);
    `lang` and `options` (extra arguments, e.g. a character whitelist) for a second read of glyphs."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # see ocr.py's docstring: threads are slower here
    try:
        proc = subprocess.run(["tesseract", "stdin", "stdout", "-l", lang, "--psm", psm, *options, "tsv"], input=png,
                              capture_output=True, timeout=timeout or settings.page_timeout, env=env)
    except subprocess.TimeoutExpired:
        raise OcrTimeout() from None
    except OSError as exc:
        raise OcrFailed(str(exc)) from None
    if proc.returncode != 0:
        raise OcrFailed(proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or "tesseract failed")
    lines: dict[tuple, list[Word]] = {}
    for row in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5":
            continue
        conf = float(parts[10])
        text = _clean_word(parts[11].strip(), conf)
        left, top, width, height = (int(v) for v in parts[6:10])
        if not parts[11].strip() and pictures is not None:
            pictures.append((left, top, left + width, top + height))
        if not text or conf < 0:
            continue
        key = (int(parts[1]), int(parts[2]), int(parts[3]), int(parts[4]))  # page, block, paragraph, line
        lines.setdefault(key, []).append(Word(text, left, top, left + width, top + height, conf))
    return list(lines.values())
