"""Ruled tables in a page image, read cell by cell.

tesseract's own layout analysis reads a ruled table's row across its cells (a cell's second line lands after the
next cell's first) and drops characters of thin cells next to a rule: on the table pages of the real documents that
cost 10–20 points of character accuracy (bench/OCR.md). So the rules are found in the image (runs of dark pixels,
the grid and merged cells from pdf_tables' own lattice, as for a text PDF's path objects), the tables are whited out
of the page, and each non-empty cell's inside (the rules shaved off) is pasted below the page, at its own x, one
under the other with a blank gap. One tesseract run then reads the page's text and every cell as separate blocks;
a word's position says which cell it came from. One run, not one per cell: loading chi_sim costs ~0.2 s, a table page
has 30–80 cells.
"""
from __future__ import annotations

from dataclasses import dataclass, field

RULE_WINDOW = 1 / 6  # inches: a rule is dark over whole windows this long (a CJK stroke at 12 pt is under 1/7 in)
RULE_MIN_WINDOWS = 2  # and over at least two in a row (1/3 in): longer than any stroke, shorter than any table rule
SHAVE = 1 / 60  # inches taken off each side of a cell: the rule (1–3 px at 300 dpi) and its anti-aliasing
GAP = 1 / 5  # inches of white between two pasted cells: more than a line gap, so tesseract never joins them
INK = 160  # grey level under which a pixel is ink (binarising a grey render or scan)


def find_cells(image, scale: float) -> list:
    """Cell boxes (x0, top, x1, bottom, table number) in points of the ruled tables in a grey page image."""
    from . import pdf_tables as pt

    k = max(8, round(RULE_WINDOW / scale * 72))  # window in pixels
    dark = image.point(lambda v: 255 if v < 150 else 0)
    horizontal = _runs(dark, k, scale)
    vertical = [[x, top, bottom, True] for x, top, bottom, _ in _runs(dark.transpose(_transpose()), k, scale)]
    horizontal, vertical = pt._merge(horizontal), pt._merge(vertical)
    boxes = []
    for t, (hs, vs) in enumerate(pt._groups(horizontal, vertical)):
        hs = pt._close(hs, vs)
        if len({r[0] for r in hs}) < 3 or len({r[0] for r in vs}) < 3:
            continue  # a frame or an underline, not a table
        cells = pt._cells(hs, vs)
        if len(cells) >= 2:
            boxes.extend((*b, t) for b in cells)
    return boxes


def _transpose():
    """Pillow's transpose across the main diagonal: a column of the page becomes a row, top still first."""
    from PIL import Image

    return Image.Transpose.TRANSPOSE if hasattr(Image, "Transpose") else Image.TRANSPOSE


def _runs(dark, k: int, scale: float) -> list:
    """Rules [position, start, end, True] in points from a binarised image (255 = ink): each pixel row's runs of
    k-pixel windows that are (almost) all ink, then followed pixel by pixel to where the ink ends (the windows alone
    would cut up to k pixels off each end, and a rule that stops short of the one it meets leaves the cell open).
    For the vertical pass the image was transposed (a row is a column of the page, read top to bottom)."""
    reduced = dark.reduce((k, 1))
    width, full_width = reduced.width, dark.width
    data, full = reduced.tobytes(), dark.tobytes()
    rules = []
    for y in range(reduced.height):
        row = data[y * width:(y + 1) * width]
        x = 0
        while x < width:
            if row[x] >= 240:
                start = x
                while x < width and row[x] >= 240:
                    x += 1
                if x - start >= RULE_MIN_WINDOWS:
                    line = full[y * full_width:(y + 1) * full_width]
                    left, right = start * k, min(full_width, x * k)
                    while left > 0 and line[left - 1]:
                        left -= 1
                    while right < full_width and line[right]:
                        right += 1
                    rules.append([(y + 0.5) * scale, left * scale, right * scale, True])
            else:
                x += 1
    return rules


@dataclass
class Layout:
    """The image tesseract reads (the page without its tables, the cells pasted below) and where each pasted cell
    came from: pasted[k] = (cell index, top of the paste in pixels, its height, dy to the cell's place on the page)."""

    image: object
    page_height: int  # pixels: a word above this is page text
    pasted: list = field(default_factory=list)


def compose(image, boxes: list, scale: float) -> Layout:
    """The page with its tables whited out, and below it each cell's inside that has any ink."""
    from PIL import Image

    px = 1 / scale  # pixels per point
    shave = max(2, round(SHAVE * 72 * px))
    gap = max(20, round(GAP * 72 * px))
    crops = []
    for k, (x0, top, x1, bottom, _) in enumerate(boxes):
        box = (round(x0 * px) + shave, round(top * px) + shave, round(x1 * px) - shave, round(bottom * px) - shave)
        if box[2] - box[0] < 4 or box[3] - box[1] < 4:
            continue
        crop = image.crop(box)
        if crop.getextrema()[0] >= INK:
            continue  # an empty cell: nothing to read
        crops.append((k, box, crop))
    page = image.copy()
    for t in {b[4] for b in boxes}:
        mine = [b for b in boxes if b[4] == t]
        page.paste(255, (round(min(b[0] for b in mine) * px) - shave, round(min(b[1] for b in mine) * px) - shave,
                         round(max(b[2] for b in mine) * px) + shave, round(max(b[3] for b in mine) * px) + shave))
    height = image.height + gap + sum(c.height + gap for _, _, c in crops)
    out = Image.new("L", (image.width, height), 255)
    out.paste(page, (0, 0))
    layout = Layout(out, image.height)
    y = image.height + gap
    for k, box, crop in crops:
        out.paste(crop, (box[0], y))
        layout.pasted.append((k, y, crop.height, box[1] - y))
        y += crop.height + gap
    return layout


def split_words(layout: Layout, ocr_lines: list) -> tuple[list, dict]:
    """tesseract's lines (lists of ocr.Word) → (the page's own lines, {cell index: [lines]}), each word moved back to
    where it is on the page. A line that spans pastes (it should not: the gap is wide) is split by word."""
    page_lines, cell_lines = [], {}
    for words in ocr_lines:
        mine: dict = {}
        for w in words:
            cy = (w.top + w.bottom) / 2
            if cy < layout.page_height:
                mine.setdefault(None, []).append(w)
                continue
            hit = next((p for p in layout.pasted if p[1] - 2 <= cy <= p[1] + p[2] + 2), None)
            if hit is None:
                continue  # noise in a gap
            w.top, w.bottom = w.top + hit[3], w.bottom + hit[3]
            mine.setdefault(hit[0], []).append(w)
        for key, ws in mine.items():
            if key is None:
                page_lines.append(ws)
            else:
                cell_lines.setdefault(key, []).append(ws)
    return page_lines, cell_lines
