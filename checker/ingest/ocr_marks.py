"""Punctuation, circled digits and a range's tilde decided from the glyph, not from chi_sim's reading.

chi_sim (fast) confuses the small full-width marks with each other — a colon comes out as ，or ；, a list number's
「2.」 as 「2，」 — and it has no circled digits at all: ①–⑧ come out as @, 包, 名, 中, 外 (r10's 评分标准, bench/OCR.md).
The segmenter lives on exactly these marks (a heading ends in ：, a list item opens with ① or 1.), so each is decided
again from the ink in the character's place on the page:

- a mark (what tesseract read as ：；，.、 or their ASCII forms) is split into its blobs, the runs of pixel rows with
  ink: two blobs of the same size stacked are a colon, a dot over a taller tail a semicolon; one blob low in the line
  is a comma when it is taller than wide and its top lies right of its foot (、 runs the other way, top left), a
  full stop when it is a dot;
- a character whose ink is a ring (ink all round at the rim of its box, none just inside the rim) around ink in the
  middle is a circled digit; the digits of all a page's rings are read in one run of tesseract's `eng` model on the
  insides alone (the ring whited out), digits only; a digit it leaves unread follows the count from the ring
  before it unless the ring after it says otherwise (①②_④ → ③);
- 一 or * beside a digit whose glyph is a wave is a range's ~.

Where the glyph gives no clear answer, tesseract's reading stays.
"""
from __future__ import annotations

import io
import math

INK = 160  # grey level under which a pixel is ink (as ocr_glyphs)
_BINARY = [255 if v < INK else 0 for v in range(256)]  # the table for Image.point: ink white, paper black
MARKS = "：:；;，,.．、"
_ASCII = {"：": ":", "；": ";", "，": ","}
_FULL = {v: k for k, v in _ASCII.items()}


def fix_marks(lines: list, image) -> None:
    """Every mark of tesseract's words (ocr.Word, pixel boxes of `image`) decided again from its glyph. A mark
    read twice (「5.，」「:，」: one glyph, two readings) is one."""
    for words in lines:
        band = _band(words)
        if band is None:
            continue
        last = (None, "")  # the glyph of the mark just before, and how it was read
        for w in words:
            if not any(ch in MARKS for ch in w.text):
                last = (None, "")
                continue
            out = ""
            for k, ch in enumerate(w.text):
                if ch not in MARKS:
                    out, last = out + ch, (None, "")
                    continue
                mark, glyph = _mark(image, w, k, band)
                # The same glyph read twice, or a different mark with no glyph of its own right after one that has
                # one (r19's 「报名时间:，2024」: no second mark is printed there), is read once. A leader's dots
                # (「......」, the same mark again) stay whatever their glyphs.
                if last[0] is None or glyph is not None and glyph != last[0] or glyph is None and ch == last[1]:
                    out += mark
                last = (glyph, ch)
            w.text = out


def _band(words: list):
    """(top, bottom) of the line's CJK characters: the body the marks sit in (a mark's own box is unreliable)."""
    tops = sorted(w.top for w in words if _cjk(w.text))
    bottoms = sorted(w.bottom for w in words if _cjk(w.text))
    if not tops:
        return None
    top, bottom = tops[len(tops) // 2], bottoms[len(bottoms) // 2]
    return (top, bottom) if bottom - top >= 8 else None


def _em(words: list) -> int:
    """The lower quartile of the heights of the line's CJK words."""
    heights = sorted(w.bottom - w.top for w in words if _cjk(w.text))
    return heights[len(heights) // 4] if heights else 0


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _place(word, k: int) -> tuple:
    """The k-th character's columns: the word's width shared by its characters, a CJK glyph as wide as the line is
    high, a digit, a Latin letter or a mark about half that (「3，2024」: an even split puts the comma on the 2)."""
    weights = [0.5 if ch.isascii() or ch in MARKS else 1.0 for ch in word.text]
    unit = (word.right - word.left) / max(0.5, sum(weights))
    start = word.left + unit * sum(weights[:k])
    return round(start), round(start + unit * weights[k])


def _ink_rows(crop) -> list:
    """Runs [start, end) of pixel rows with ink in a binarised crop (255 = ink), one-row gaps closed."""
    from PIL import Image

    rows = crop.resize((1, crop.height), Image.BOX).tobytes()
    runs: list = []
    for y, v in enumerate(rows):
        if not v:
            continue
        if runs and y - runs[-1][1] <= 1:
            runs[-1][1] = y + 1
        else:
            runs.append([y, y + 1])
    return runs


def _mark(image, word, k: int, band: tuple) -> tuple:
    """(the mark, the glyph's columns on the page or None where there is no mark's glyph)."""
    read = word.text[k]
    height = band[1] - band[0]
    x0, x1 = _place(word, k)
    pad = max(2, height // 4)
    left = round(0.8 * height)  # tesseract boxes a full-width comma right of its ink (r07: 0.6 of a line's height)
    crop = image.crop((x0 - left, band[0] - pad, x1 + pad, band[1] + pad)).point(_BINARY)
    runs = _column_runs(crop)
    if x1 - x0 < 2 or not runs:
        return read, None
    # The mark's glyph: of the runs of inked columns around the place, those of a mark's size, the one nearest the
    # place (a place split evenly can cut a semicolon's tail off; a full-width comma's box can start right of it).
    best = None
    for a, b in runs:
        extent = crop.crop((a, 0, b, crop.height)).getbbox()
        small = 0.08 * height <= b - a <= 0.5 * height and extent[3] - extent[1] <= 0.85 * height
        overlap = min(b, left + x1 - x0) - max(a, left)
        distance = abs(a + b - x1 + x0 - 2 * left) / 2
        near = min(b, left + x1 - x0 + height / 6) - max(a, 0) > 0  # touching the place or just left of it
        if small and near:
            key = (overlap > 0, -distance)
            if best is None or key > best[0]:
                best = (key, a, b, extent)
    if best is None:
        return read, None  # no mark's glyph here: a character read as a mark, or a rule
    _, a, b, extent = best
    glyph = crop.crop((a, extent[1], b, extent[3]))
    blobs = [_blob(glyph, r) for r in _ink_rows(glyph) if r[1] - r[0] >= 0.08 * height]
    kind = _kind(glyph, [bl for bl in blobs if bl[2] >= 0.08 * height], extent[1] - pad, height)
    if kind is None or read in "：:；;" and kind not in "：；":
        kind = None  # never one blob where tesseract saw two: a dot it saw may lie outside the band
    return (_styled(kind, read) if kind else read), (x0 - left + a, x0 - left + b)


def _blob(glyph, rows: list) -> tuple:
    """(top, height, width) of a run of inked rows."""
    box = glyph.crop((0, rows[0], glyph.width, rows[1])).getbbox()
    return rows[0], rows[1] - rows[0], box[2] - box[0]


def _kind(glyph, blobs: list, top: int, height: int):
    """'：', '；', '，', '、', '.' or None (no clear shape) from the blobs (top, height, width) of a mark's glyph;
    `top` is the glyph's top against the line's band. A dot is about as high as wide; a comma's tail higher."""
    if len(blobs) == 2:
        (_, up_h, up_w), (_, low_h, low_w) = blobs
        if up_h > 1.4 * up_w or max(up_w, low_w) > 0.3 * height:
            return None  # the upper blob is no dot, or the blobs are strokes of a character
        if low_h >= 1.35 * low_w and low_h > up_h:
            return "；"  # the lower blob is a tail: higher than it is wide and than the dot above it
        if low_h <= 1.2 * low_w and low_h <= 1.5 * up_h and abs(low_w - up_w) <= 0.3 * max(low_w, up_w):
            return "："  # two dots (r10's colons measure 6–8 × 7–9 px a dot at 300 dpi, its semicolons' tails 9–10 × 6–7)
        return None
    if len(blobs) != 1 or top + glyph.height < 0.6 * height or glyph.height > 0.5 * height:
        return None  # one blob must be small and sit low: a mark high in the line is no comma or stop
    lean = _lean(glyph)
    if lean < 0:
        return "、"  # a stroke from top left down to the right, however squat the font draws it (r05: 10 × 11 px)
    if lean == 0 and glyph.height <= 1.3 * glyph.width and max(glyph.size) <= 0.2 * height:
        return "." if _filled(glyph) else None  # a round dot, no lean
    return "，" if lean > 0 and glyph.height >= 1.2 * glyph.width else None


def _filled(glyph) -> bool:
    """A dot (.) is ink through its middle; a small circle (。) is not."""
    w, h = glyph.size
    return glyph.getpixel((w // 2, h // 2)) == 255


def _lean(glyph) -> int:
    """+1 when the ink's top lies right of its foot (a comma's head and tail), −1 when left (、), 0 unclear."""
    third = max(1, glyph.height // 3)
    top = glyph.crop((0, 0, glyph.width, third)).getbbox()
    foot = glyph.crop((0, glyph.height - third, glyph.width, glyph.height)).getbbox()
    if not top or not foot:
        return 0
    shift = (top[0] + top[2]) / 2 - (foot[0] + foot[2]) / 2
    if abs(shift) < 0.15 * glyph.width:
        return 0
    return 1 if shift > 0 else -1


def _styled(kind: str, read: str) -> str:
    """The decided mark in the width tesseract read it in (「09:00」 stays ASCII, 「时间：」 full-width)."""
    if kind in (".", "、"):
        return kind
    if read in _FULL or read == ".":
        return _ASCII.get(kind, kind)
    return kind


# ------------------------------------------------------------------------------------------------ circled digits

RING_ANGLES = 36
RING_COVER = 0.9  # share of directions with ink at the rim: a circle has it all round, 口's corners leave gaps
INSIDE_EMPTY = 0.35  # at most this share of directions with ink just inside the rim (a ring is thin)
RING_INK = 200  # a ring's line is one or two pixels, grey where it runs diagonally: lighter ink counts (215 let
# a dirty scan's speckle fill the inside: 5 of 27 rings found there against 20)


def find_rings(lines: list, image) -> list:
    """(word, character indices, box) of every glyph that is a ring around ink: the page's circled digits. A ring
    is found in the word's own ink, not in its characters' places: tesseract reads one ① as 「@@」 or glues it to
    the mark before (「，@」), so the evenly split places miss it; a ring is one run of inked columns as wide as
    the line is high, and the characters whose places lie in that run are what it was read as."""
    px = image.load()
    found, seen = [], set()
    for words in lines:
        band = _band(words)
        if band is None:
            continue
        # The size a ring is measured against: the line's smaller CJK boxes (tesseract boxes some characters with
        # the line's ascent, 59 px where the glyphs are 40: r02's ③ in a 评分 cell).
        sizes = (band[1] - band[0], _em(words))
        height = sizes[0]
        pad = max(2, height // 6)
        for w in words:
            left = max(0, w.left - height // 2)  # the word's box can be narrower than the ring it read
            crop = image.crop((left, band[0] - pad, w.right + height // 2, band[1] + pad))
            crop = crop.point(_BINARY)
            for x0, x1 in _column_runs(crop):
                x0, x1 = x0 + left, x1 + left
                fits = [h for h in sizes if 0.75 * h <= x1 - x0 <= 1.3 * h]
                if not fits or min(x1, w.right) - max(x0, w.left) < 0.3 * (x1 - x0):
                    continue
                extent = crop.crop((x0 - left, 0, x1 - left, crop.height)).getbbox()
                box = (x0, band[0] - pad + extent[1], x1, band[0] - pad + extent[3])
                if box not in seen and _ring(px, box, fits[0]):
                    seen.add(box)
                    found.append((w, _chars_in(w, x0, x1), box))
    return found


def _column_runs(crop) -> list:
    """[start, end) of the runs of pixel columns with ink in a binarised crop."""
    from PIL import Image

    columns = crop.resize((crop.width, 1), Image.BOX).tobytes()
    runs, start = [], None
    for x, v in enumerate(list(columns) + [0]):
        if v and start is None:
            start = x
        elif not v and start is not None:
            runs.append((start, x))
            start = None
    return runs


def _chars_in(word, x0: int, x1: int) -> list:
    """Indices of the word's characters whose evenly split place lies at least 40 % within [x0, x1] (at least the
    nearest one): what the ring was read as (r02's ① read 「GD」 in a box wider than the ring)."""
    step = (word.right - word.left) / max(1, len(word.text))
    places = [(word.left + step * k, word.left + step * (k + 1)) for k in range(len(word.text))]
    inside = [k for k, (a, b) in enumerate(places) if min(b, x1) - max(a, x0) >= 0.4 * (b - a)]
    if inside:
        return list(range(inside[0], inside[-1] + 1))
    return [min(range(len(places)), key=lambda k: abs(sum(places[k]) / 2 - (x0 + x1) / 2))]


def _ring(px, box: tuple, height: int) -> bool:
    """Whether the glyph in `box` is a ring around ink: along every direction from its centre the outermost ink
    lies on the ellipse the box inscribes (a square's — 口, 国, 回 — lies out in the corners, √2 away on the
    diagonals), just inside that rim there is paper, and the middle has ink (the digit; ○ has none)."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if not (0.7 * height <= h <= 1.35 * height and 0.8 <= w / max(1, h) <= 1.25):
        return False
    cx, cy, rx, ry = (x0 + x1 - 1) / 2, (y0 + y1 - 1) / 2, (w - 1) / 2, (h - 1) / 2

    def ink(f: float, t: float) -> bool:
        x, y = round(cx + f * rx * math.cos(t)), round(cy + f * ry * math.sin(t))
        return x0 <= x < x1 and y0 <= y < y1 and px[x, y] < RING_INK

    off_rim = inside = middle = 0
    # Directions in a spread order (7 is prime to 36), so that a character fails within its first few: this runs
    # on every glyph of a line's height, and most are no rings.
    for a in range(RING_ANGLES):
        t = 2 * math.pi * (a * 7 % RING_ANGLES) / RING_ANGLES
        outermost = next((f / 100 for f in range(145, 55, -3) if ink(f / 100, t)), 0)
        off_rim += not 0.76 <= outermost <= 1.08
        inside += ink(0.7, t)
        if off_rim > (1 - RING_COVER) * RING_ANGLES or inside > INSIDE_EMPTY * RING_ANGLES:
            return False
        middle += any(ink(f, t) for f in (0.0, 0.15, 0.3, 0.45))
    return middle >= 0.3 * RING_ANGLES


def read_ring_digits(rings: list, image, timeout: float) -> list:
    """The digit inside each ring (None where unread): the insides, ring whited out, side by side in one strip at
    twice the size, read by tesseract's eng model as one line of digits; each number is matched to its ring by
    position in the strip. eng at psm 7 leaves a digit it is unsure of out (r10's 5) rather than misread it;
    psm 11 and chi_sim read that 5 as 2 or 9."""
    from PIL import Image, ImageDraw

    from .ocr_engine import OcrFailed, OcrTimeout, run_tesseract

    if not rings:
        return []
    size = max(b[3] - b[1] for _, _, b in rings)
    cell = size * 2
    strip = Image.new("L", (cell * len(rings) + cell, cell), 255)
    for n, (_, _, (x0, y0, x1, y1)) in enumerate(rings):
        inside = image.crop((x0, y0, x1, y1))
        mask = Image.new("L", inside.size, 255)
        w, h = inside.size
        ImageDraw.Draw(mask).ellipse((0.22 * w, 0.22 * h, 0.78 * w, 0.78 * h), fill=0)
        inside.paste(255, (0, 0), mask)  # the ring and everything outside the digit white
        strip.paste(inside, (cell // 2 + n * cell + (cell - w) // 2, (cell - h) // 2))
    strip = strip.resize((strip.width * 2, strip.height * 2), Image.LANCZOS)
    buf = io.BytesIO()
    strip.save(buf, format="PNG")
    try:
        lines = run_tesseract(buf.getvalue(), timeout, psm="7", lang="eng",
                              options=("-c", "tessedit_char_whitelist=0123456789"))
    except (OcrTimeout, OcrFailed):
        return [None] * len(rings)
    digits: list = [None] * len(rings)
    for words in lines:
        for w in words:
            # a word may hold the digits of neighbouring rings (「34」): each digit where its share of the box is
            step = (w.right - w.left) / max(1, len(w.text))
            for k, ch in enumerate(w.text):
                n = math.floor(((w.left + step * (k + 0.5)) / 2 - cell // 2) / cell)
                if ch.isdigit() and ch != "0" and 0 <= n < len(rings) and digits[n] is None:
                    digits[n] = int(ch)
    return _in_sequence(digits)


def _in_sequence(digits: list) -> list:
    """An unread digit whose ring follows a ring read as d − 1 is d, where the ring after it is unread, is d + 1 or
    starts a list again (1): circled digits count up (①②③), and the ring itself was seen in the image."""
    out = list(digits)
    for n, d in enumerate(out):
        if d is None and n and out[n - 1] is not None and out[n - 1] < 20:
            after = digits[n + 1] if n + 1 < len(digits) else None
            if after in (None, 1, out[n - 1] + 2):
                out[n] = out[n - 1] + 1
    return out


def fix_circled(lines: list, image, timeout: float) -> None:
    """Characters whose glyph is a ring around a digit become that circled digit (① U+2460 …)."""
    rings = find_rings(lines, image)
    digits = read_ring_digits(rings, image, timeout)
    for (word, ks, _), digit in sorted(zip(rings, digits), key=lambda r: -r[0][1][0]):
        if digit is not None:  # right to left, so that the indices of the word's other rings stay valid
            word.text = word.text[:ks[0]] + chr(0x2460 + digit - 1) + word.text[ks[-1] + 1:]


# ------------------------------------------------------------------------------------------------------- tildes

def glyph_chars(lines: list):
    """Each character of each line whose band is known, as (word, index in the word, character, the character
    before, the one after, band), neighbours across word boundaries and "" at the line's ends. The fixers that
    decide one character from its glyph and its neighbours share this walk; they replace one character by one, so
    the indices stay valid while they write."""
    for words in lines:
        band = _band(words)
        if band is None:
            continue
        chars = [(w, k, ch) for w in words for k, ch in enumerate(w.text)]
        for i, (w, k, ch) in enumerate(chars):
            before = chars[i - 1][2] if i > 0 else ""
            after = chars[i + 1][2] if i + 1 < len(chars) else ""
            yield w, k, ch, before, after, band


_DASH_READS = "一*"  # what chi_sim reads a range's ~ as (「2019年一2021年」「5000万元*3000万元」, r05)


def fix_tildes(lines: list, image) -> None:
    """A 一 or * next to a digit whose glyph is a wave is the tilde of a range (「3~5分」「2019年~2021年」); a straight
    stroke stays 一 (ocr_glyphs.fix_signs still reads 一 between two numbers as a range)."""
    for w, k, ch, before, after, band in glyph_chars(lines):
        if ch in _DASH_READS and (before.isdigit() or after.isdigit()) and _wave(image, w, k, band):
            w.text = w.text[:k] + "~" + w.text[k + 1:]


def fix_dashes(lines: list, image) -> None:
    """A 一 beside a digit or % whose glyph is a straight stroke of even thickness is a dash: 「10%—20%」 read
    「10%一20%」 (r19's 价格扣除 range, so SC-SME-PRICE-DEDUCTION saw 20 % alone on the scan). Measured on r19 at
    300 dpi: the dash 35 px long and 2 px thick all along, 一 1 px in the middle swelling to 4 at its serif end. As
    long as a CJK character is wide it is —, shorter a hyphen (a date's 2024-12-11). Straight but swelling, or a
    sans-serif 一 whose ends are as thick as its middle but read beside no number, stays 一."""
    for w, k, ch, before, after, band in glyph_chars(lines):
        if ch != "一" or not any(c and (c.isdigit() or c in "%％") for c in (before, after)):
            continue
        dash = _even_stroke(image, w, k, band)
        if dash:
            w.text = w.text[:k] + dash + w.text[k + 1:]


def _even_stroke(image, word, k: int, band: tuple) -> str:
    """"—" or "-" when the character's glyph is a flat stroke no thicker anywhere than one pixel over its median,
    else ""."""
    glyph = _stroke_glyph(image, word, k, band)
    if glyph is None or glyph.width < 4:
        return ""
    thickness = [sum(1 for v in glyph.crop((x, 0, x + 1, glyph.height)).tobytes() if v) for x in range(glyph.width)]
    inner = thickness[1:-1]
    if max(inner) > sorted(inner)[len(inner) // 2] + 1:
        return ""  # a serif end swells: 一
    return "—" if glyph.width >= 0.6 * (band[1] - band[0]) else "-"


def _stroke_glyph(image, word, k: int, band: tuple):
    """The binarised ink (cropped to its extent) of the character's glyph when it is no taller than a dash, else
    None: of the runs of inked columns around the character's place, the one overlapping it most."""
    height = band[1] - band[0]
    x0, x1 = _place(word, k)
    pad = max(2, height // 4)
    crop = image.crop((x0 - pad, band[0], x1 + pad, band[1])).point(_BINARY)
    runs = [r for r in _column_runs(crop) if 0.3 * height <= r[1] - r[0] <= 1.2 * height]
    if not runs:
        return None
    a, b = max(runs, key=lambda r: min(r[1], pad + x1 - x0) - max(r[0], pad))
    glyph = crop.crop((a, 0, b, crop.height))
    extent = glyph.getbbox()
    if extent is None or extent[3] - extent[1] > 0.4 * height:
        return None  # taller than a dash: a character
    return glyph.crop(extent)


def _wave(image, word, k: int, band: tuple) -> bool:
    """Whether the character's glyph is a wave: along the middle of its width the ink's centre rises and falls by
    more than the stroke is thick (a 一's centre stays on one row, only its serif end swells)."""
    glyph = _stroke_glyph(image, word, k, band)
    if glyph is None:
        return False
    centres, thickness = [], []
    for x in range(glyph.width // 5, glyph.width - glyph.width // 5):  # the middle three fifths
        rows = [y for y, v in enumerate(glyph.crop((x, 0, x + 1, glyph.height)).tobytes()) if v]
        if rows:
            centres.append(sum(rows) / len(rows))
            thickness.append(len(rows))
    if len(centres) < 4:
        return False
    stroke = sorted(thickness)[len(thickness) // 2]
    return max(centres) - min(centres) >= max(2.0, 0.8 * stroke)
