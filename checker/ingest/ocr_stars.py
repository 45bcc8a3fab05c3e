"""★, ▲ and × decided from the glyph. chi_sim has no reading for them: r07's 「标识"★"的产品」 came out 「标识"紊"」, so the
scan had no ★ and PUB-GP-SUBSTANTIVE-NOT-MARKED (a file that marks no requirement with ★/▲) flagged the scan and not
its text. A glyph is a star when its middle is solid ink and its outline, seen from its centre, reaches out in
five points with deep notches between them (three points: ▲); a CJK character is neither solid in the middle nor
pointed so. The character tesseract read in the glyph's place (its box is often off by the glyph's width) becomes it.
"""
from __future__ import annotations

import math

from .ocr_marks import _BINARY, _band, _column_runs, glyph_chars

SOLID = 0.9  # ink share of the glyph's central fifth: ★ and ▲ are solid there, CJK strokes leave paper
FILL = 0.4  # ▲'s ink share of its box (a half); bold 无 0.30, 京 0.35 (r10 p.5, its cover emblem) have 3–5 points too
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
    if len(points) == 5 and _regular(points):
        return "★"
    if len(points) == 3 and _regular(points) and sum(glyph.histogram()[255:]) >= FILL * w * h:
        return "▲"
    return ""


def _points(reach: list) -> list:
    """The directions (indices) where the outline reaches out past POINT after falling under NOTCH, round the
    circle: each its farthest."""
    start = min(range(len(reach)), key=lambda k: reach[k])
    if reach[start] >= NOTCH:
        return []
    points, low = [], True
    for k in range(len(reach)):
        at = (start + k) % len(reach)
        if low and reach[at] >= POINT:
            points.append(at)
            low = False
        elif not low and reach[at] >= reach[points[-1]]:
            points[-1] = at
        elif not low and reach[at] < NOTCH:
            low = True
    return sorted(points)


def _regular(points: list) -> bool:
    """Points evenly round the circle (within a sixth of their spacing), one of them straight up: a stroke's ends
    in a character fall where they will."""
    n, spacing = len(points), DIRECTIONS / len(points)
    gaps = [(points[(i + 1) % n] - points[i]) % DIRECTIONS for i in range(n)]
    up = DIRECTIONS * 3 // 4  # image y grows downwards: straight up is 270°
    return all(abs(g - spacing) <= spacing / 6 for g in gaps) and \
        min(abs((p - up + DIRECTIONS // 2) % DIRECTIONS - DIRECTIONS // 2) for p in points) <= spacing / 6


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


_TIMES_READS = "xX义乂"
ON_DIAGONAL = 0.85  # share of a ×'s ink within a stroke's width of its box's two diagonals (义's dot is off them)


def fix_times(lines: list, image) -> None:
    """A multiplication sign read as x, X or 义 (「综合费率义55%」「元X1.5%」: r07, r24, r05 评分 formulas): between a
    number, a bracket or a CJK character on both sides, never beside a Latin letter (「XX公司」「Excel」), and only
    when the glyph is two strokes crossing along its box's diagonals."""
    for w, k, ch, before, after, band in glyph_chars(lines):
        if ch not in _TIMES_READS or not before or not after:
            continue
        if _operand(before, "%％)）") and _operand(after, "(（《〈") and _cross(image, w, k, band):
            w.text = w.text[:k] + "×" + w.text[k + 1:]


def _operand(ch: str, marks: str) -> bool:
    return ch.isdigit() or ch in marks or "\u4e00" <= ch <= "\u9fff"


def _cross(image, word, k: int, band: tuple) -> bool:
    """Whether a glyph at the character's place (its box is often off by half a glyph: r07's 义 boxes sat 15 px
    right of the ×) is a ×: every whole run of inked columns of a sign's width that overlaps the place is tried."""
    from .ocr_marks import _place

    height = band[1] - band[0]
    x0, x1 = _place(word, k)
    pad = height // 2
    crop = image.crop((x0 - pad, band[0] - height // 4, x1 + pad, band[1] + height // 4)).point(_BINARY)
    for a, b in _column_runs(crop):
        if a == 0 or b == crop.width or not 0.25 * height <= b - a <= 0.9 * height:
            continue  # cut by the crop's edge, or no sign's width
        if min(b, pad + x1 - x0) - max(a, pad) <= 0:
            continue
        extent = crop.crop((a, 0, b, crop.height)).getbbox()
        if extent is not None and _diagonal_cross(crop.crop((a, 0, b, crop.height)).crop(extent), height):
            return True
    return False


def _diagonal_cross(glyph, height: int) -> bool:
    w, h = glyph.size
    if not 0.7 <= w / max(1, h) <= 1.4 or h > 0.9 * height:
        return False
    px = glyph.load()
    near = max(2.0, 0.12 * w)
    ink = on = 0
    for y in range(h):
        for x in range(w):
            if px[x, y]:
                ink += 1
                d1, d2 = abs(x - y * (w - 1) / max(1, h - 1)), abs(x - (w - 1) * (1 - y / max(1, h - 1)))
                on += min(d1, d2) <= near
    return ink > 0 and on >= ON_DIAGONAL * ink and _both_diagonals(px, w, h)


def _both_diagonals(px, w: int, h: int) -> bool:
    """Ink along each diagonal at four in five of its points (a stroke of 乂 or X that stops short fails)."""
    hits = [0, 0]
    steps = 10
    for s in range(steps + 1):
        y = round(s * (h - 1) / steps)
        for d, x in enumerate((round(s * (w - 1) / steps), round((w - 1) * (1 - s / steps)))):
            hits[d] += any(px[xx, y] for xx in range(max(0, x - 2), min(w, x + 3)))
    return min(hits) >= 0.8 * (steps + 1)
