"""A contents page's dot leader found in the image, where tesseract reads nothing.

A leader printed as a row of small dots (「第一章 投标邀请 ……………… 2」) is mostly left out by chi_sim: r07's
contents page comes out as 「第一章」 and 「投标邀请 2」, two lines in two columns, and each 「第N章」 then opens a
chapter of its own at the top of the document — every clause after it sits in the last one listed (评标方法和评标
标准: all of r07's scan was taken for its 评标办法 zone, so five SC-* rules ran on clauses the text version never gives
them). What is on the page decides: a gap between two words of a line that holds only a row of evenly spaced dots,
each a small blob on the line's baseline, is a leader, written as ocr.LEADER so pdf_layout takes the line for a
contents entry (as it does when tesseract reads the dots as 「.sse ssss」). The line left of it on the same row (the
「第N章」 column tesseract cut off) is the same entry and joins it.
"""
from __future__ import annotations

import re

from .ocr_engine import Word
from .ocr_marks import _BINARY, _band, _column_runs, _ink_rows

LEADER = "……"
MIN_DOTS = 8  # a leader runs across a good part of the line; 「. . .」 in a sentence is no leader
DOT = 0.3  # a dot's width and height at most this share of the line's CJK height
GAP = 2.0  # a gap of at least this many CJK heights between two words may hold a leader


def mark_leaders(lines: list, image) -> None:
    """`lines`: tesseract's lines (lists of ocr_engine.Word, pixel boxes of `image`), changed in place."""
    leaders = []
    for words in lines:
        band = _band(words)
        if band is None or not _may_hold(words, band[1] - band[0]):
            continue
        span = _leader_span(image, min(w.left for w in words), max(w.right for w in words), band)
        if span is not None:
            leaders.append(_write(words, span, band))
    _join_rows(lines, [w for w in leaders if w is not None])


def _may_hold(words: list, height: int) -> bool:
    """A line that ends in a page number or has a wide gap between two words: only those are looked at."""
    if words[-1].text[-1:].isdigit():
        return True
    return any(b.left - a.right >= GAP * height for a, b in zip(words, words[1:]))


def _leader_span(image, x0: int, x1: int, band: tuple):
    """(left, right) in page pixels of the first row of at least MIN_DOTS dots, each a small blob in the lower half
    of the line, one after another at less than 0.8 of the line's height apart; None when there is none."""
    top, bottom = band
    height = bottom - top
    pad = height // 4
    crop = image.crop((x0, top - pad, x1, bottom + pad)).convert("L").point(_BINARY)
    run: list = []
    for a, b in _column_runs(crop) + [(crop.width * 9, crop.width * 9)]:
        if run and a - run[-1][0] > 0.8 * height:
            if len(run) >= MIN_DOTS:
                return x0 + run[0][0], x0 + run[-1][1]
            run = []
        if b - a <= DOT * height and _dot(crop.crop((a, 0, b, crop.height)), height, pad):
            run.append((a, b))
        elif run:
            if len(run) >= MIN_DOTS:
                return x0 + run[0][0], x0 + run[-1][1]
            run = []
    return None


def _dot(column, height: int, pad: int) -> bool:
    rows = _ink_rows(column)
    return (len(rows) == 1 and rows[0][1] - rows[0][0] <= DOT * height
            and rows[0][0] >= pad + height / 2)  # its top below the line's middle: no piece of a character


def _write(words: list, span: tuple, band: tuple):
    """The words read over the dots go; a word that runs into them keeps its own text. Returns the leader's word,
    or None when the leader was written into a word that spans the dots (「须知.4」 over 「须知……4」)."""
    a, b = span
    inside = [w for w in words if w.left >= a - 2 and w.right <= b + 2]
    for w in inside:
        words.remove(w)
    across = next((w for w in words if w.left < a and w.right > b), None)
    if across is not None:
        across.text = _LEAD_IN.sub(LEADER, across.text, count=1)
        return across
    for w in words:
        if w.left < a < w.right:
            w.text = _TRAIL.sub("", w.text)
        elif w.left < b < w.right:
            w.text = _HEAD.sub("", w.text)
    leader = Word(LEADER, a, band[0], b, band[1], 95.0)
    words.insert(next((k for k, w in enumerate(words) if w.left >= b), len(words)), leader)
    return leader


_MARKS = "[.·…。，,、:：;；se\\s]"
_LEAD_IN = re.compile(_MARKS + "*(?=[0-9]*$)")
_TRAIL = re.compile(_MARKS + "+$")
_HEAD = re.compile("^" + _MARKS + "+")


def _join_rows(lines: list, leaders: list) -> None:
    """A line left of a leader on the same row (its middle within the leader's band) is joined to it."""
    for words in lines:
        lead = next((w for w in words if any(w is x for x in leaders)), None)
        if lead is None:
            continue
        for other in lines:
            if other is words or not other:
                continue
            mid = (min(w.top for w in other) + max(w.bottom for w in other)) / 2
            if lead.top <= mid <= lead.bottom and max(w.right for w in other) <= min(w.left for w in words):
                words[:0] = other
                other.clear()
        words.sort(key=lambda w: w.left)
    lines[:] = [ws for ws in lines if ws]
