"""★ and ▲ decided from the glyph. chi_sim has no reading for them: r07's 「标识"★"的产品」 came out 「标识"紊"」, so the
scan had no ★ and PUB-GP-SUBSTANTIVE-NOT-MARKED (a file that marks no requirement with ★/▲) flagged the scan and not
its text. A glyph is a star when its middle is solid ink and its outline, seen from its centre, reaches out in
five points with deep notches between them (three points: ▲); a CJK character is neither solid in the middle nor
pointed so. The character tesseract read in the glyph's place (its box is often off by the glyph's width) becomes it.
"""
from __future__ import annotations

import math

from .ocr_marks import _BINARY, _band, _column_runs

SOLID = 0.9  # ink share of the glyph's central fifth: ★ and ▲ are solid there, CJK strokes leave paper
DIRECTIONS = 60
POINT, NOTCH = 0.8, 0.6  # the outline's reach at a point and at a notch, as a share of its farthest


def fix_stars(lines: list, image) -> None:
    for words in lines:
        band = _band(words)
        if band is None:
            continue
        height = band[1] - band[0]
        pad = height // 4
        x0 = min(w.left for w in words) - height
        crop = image.crop((x0, band[0] - pad, max(w.right for w in words) + height, band[1] + pad)).point(_BINARY)
        for a, b in _column_runs(crop):
            if not 0.4 * height <= b - a <= 1.2 * height:
                continue
            glyph = crop.crop((a, 0, b, crop.height))
            extent = glyph.getbbox()
            star = extent and _star(glyph.crop(extent))
            if star:
                _replace(words, x0 + a, x0 + b, star, height)


def _star(glyph) -> str:
    """"★", "▲" or "" for a binarised glyph cropped to its ink."""
    w, h = glyph.size
    if not (0.75 <= w / max(1, h) <= 1.3) or min(w, h) < 8:
        return ""
    core = glyph.crop((2 * w // 5, 2 * h // 5, 3 * w // 5 + 1, 3 * h // 5 + 1))
    if sum(core.histogram()[255:]) < SOLID * core.width * core.height:
        return ""
    px = glyph.load()
    ink = [(x, y) for y in range(h) for x in range(w) if px[x, y]]
    cx, cy = sum(x for x, _ in ink) / len(ink), sum(y for _, y in ink) / len(ink)  # a triangle's centre is low
    reach = []
    for k in range(DIRECTIONS):
        t = 2 * math.pi * k / DIRECTIONS
        r = 0.0
        for step in range(1, 2 * max(w, h)):
            x, y = round(cx + step / 2 * math.cos(t)), round(cy + step / 2 * math.sin(t))
            if not (0 <= x < w and 0 <= y < h):
                break
            if px[x, y]:
                r = step / 2
        reach.append(r)
    top = max(reach) or 1
    points = _points([r / top for r in reach])
    return {5: "★", 3: "▲"}.get(points, "")


def _points(reach: list) -> int:
    """How many times the outline reaches out past POINT after falling under NOTCH, round the circle."""
    start = min(range(len(reach)), key=lambda k: reach[k])
    if reach[start] >= NOTCH:
        return 0
    count, low = 0, True
    for k in range(len(reach)):
        r = reach[(start + k) % len(reach)]
        if low and r >= POINT:
            count, low = count + 1, False
        elif not low and r < NOTCH:
            low = True
    return count


def _replace(words: list, x0: int, x1: int, star: str, height: int) -> None:
    """The CJK character read where the glyph is (the word overlapping it most, else the nearest within a
    character's width whose reading tesseract doubts) becomes the star; nothing read there: nothing changes."""
    def overlap(w):
        return min(w.right, x1) - max(w.left, x0)

    near = [w for w in words if overlap(w) > 0 or (abs(w.left - x1) <= height or abs(x0 - w.right) <= height)
            and w.conf < 50 and len(w.text) == 1]
    cjk = [w for w in near if any("\u4e00" <= ch <= "\u9fff" for ch in w.text)]
    if not cjk:
        return
    w = max(cjk, key=overlap)
    step = (w.right - w.left) / len(w.text)
    k = min(range(len(w.text)), key=lambda i: abs(w.left + step * (i + 0.5) - (x0 + x1) / 2))
    if "\u4e00" <= w.text[k] <= "\u9fff":
        w.text = w.text[:k] + star + w.text[k + 1:]
