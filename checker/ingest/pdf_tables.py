"""Ruled tables from pdfium's path objects (a lattice), in place of pdfplumber's `find_tables`.

pdfplumber re-interprets the whole page with pdfminer (~120 ms a page) to learn where the rules are; pdfium has
already parsed the page, so the rules are a few hundred ctypes calls away (~1-3 ms). The geometry follows
pdfplumber's "lines" strategy with its tolerances — rect edges, snapping, joining, closing lines — so the cells come
out the same; only the cell search differs: the distinct rule positions of one table make a grid, a rule missing
between two grid cells merges them, and grid cells that reach the outside through a missing rule are not in the table.

Out of scope: tables without rules (columns aligned by whitespace), rules drawn as images, rotated pages. Positions
are pdfium's user space turned top-down with the page height, as pdf_reader's text lines are.
"""
from __future__ import annotations

import ctypes
from typing import TYPE_CHECKING

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..models import Cell
from . import pdf_reader  # a module, not its names: pdf_reader may import this module while it is half-initialised

if TYPE_CHECKING:
    from .pdf_reader import Page, TableItem

TOL = 3.0  # pdfplumber's snap, join and intersection tolerance
MIN_RULE = 3.0  # pdfplumber's edge_min_length: a thin box's short sides are not rules
CLOSE_MIN = 5.0  # as _closing_lines: vertical rules longer than this decide where an open table is closed
FOOT = 0.8  # open_bottom is asked only of tables reaching into the lowest 20 % of the page
INSET = 1.0  # pdfium takes every char whose box touches the rectangle: keep off the rules and the next cell
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

Rule = list  # [position, start, end]: y, x0, x1 of a horizontal rule; x, top, bottom of a vertical one


def find_tables(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, page_info: Page) -> list[TableItem]:
    height = page_info.height
    horizontal, vertical = _rules(page, height)
    horizontal, vertical = _merge(horizontal), _merge(vertical)
    tables = []
    for hs, vs in _groups(horizontal, vertical):
        boxes = _cells(_close(hs, vs), vs)
        if len(boxes) >= 2:  # a frame around text (a text box, a boxed notice) is not a table
            tables.append(_table_item(boxes, textpage, page_info))
    return tables


# ------------------------------------------------------------------------------------------------ rules


def _rules(page: pdfium.PdfPage, height: float) -> tuple[list[Rule], list[Rule]]:
    """Horizontal and vertical rules, top-down: every axis-parallel straight segment of every path, as pdfplumber's
    line, rect and curve edges. A thin filled box (Word draws borders so) gives two long edges that _merge makes one
    rule and two short ones it drops; a whole grid drawn as one path gives all its segments."""
    h: list[Rule] = []
    v: list[Rule] = []

    def segment(x0: float, y0: float, x1: float, y1: float) -> None:  # pdfium (bottom-up) coordinates
        if abs(y1 - y0) < 0.5 and abs(x1 - x0) >= 1:  # pdfplumber drops edges under 1 pt before merging
            h.append([height - (y0 + y1) / 2, min(x0, x1), max(x0, x1)])
        elif abs(x1 - x0) < 0.5 and abs(y1 - y0) >= 1:
            v.append([(x0 + x1) / 2, height - max(y0, y1), height - min(y0, y1)])

    _walk(pdfium_c.FPDFPage_CountObjects(page.raw), lambda i: pdfium_c.FPDFPage_GetObject(page.raw, i),
          _IDENTITY, segment)
    return h, v


def _walk(count: int, get, matrix: tuple, segment) -> None:
    for i in range(count):
        obj = get(i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            _walk_segments(obj, _compose(_matrix(obj), matrix), segment)
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM:  # rules inside a form XObject are in the form's space
            _walk(pdfium_c.FPDFFormObj_CountObjects(obj), lambda k, o=obj: pdfium_c.FPDFFormObj_GetObject(o, k),
                  _compose(_matrix(obj), matrix), segment)


def _walk_segments(obj, matrix: tuple, segment) -> None:
    """The path's straight segments, in page space. Walking the points (~4 µs a segment) rather than taking the
    object's bounds keeps the geometry exact: pdfium pads a stroked path's bounds by the line width, and a box could
    be a diagonal line or a triangle."""
    x, y = ctypes.c_float(), ctypes.c_float()
    start = prev = (0.0, 0.0)
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        point = _apply(matrix, x.value, y.value)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
            segment(*prev, *point)
        prev = point  # a Bézier's points only move the pen: curves are no rules
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            segment(*point, *start)
            prev = start


def _matrix(obj) -> tuple:
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, m)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix that applies `inner`, then `outer`."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _merge(rules: list[Rule]) -> list[Rule]:
    """pdfplumber's snap and join: positions within TOL of the next move to their group's mean (a line and a cell's
    fill edge a fraction apart are one rule); then the pieces of one line that overlap or nearly touch join."""
    rules = sorted(rules)
    out: list[Rule] = []
    i = 0
    while i < len(rules):
        j = i + 1
        while j < len(rules) and rules[j][0] <= rules[j - 1][0] + TOL:
            j += 1
        mean = sum(r[0] for r in rules[i:j]) / (j - i)
        current = None
        for _, start, end in sorted(rules[i:j], key=lambda r: r[1]):
            if current and start <= current[2] + TOL:
                current[2] = max(current[2], end)
            else:
                current = [mean, start, end]
                out.append(current)
        i = j
    return [r for r in out if r[2] - r[1] >= MIN_RULE]


def _groups(h: list[Rule], v: list[Rule]):
    """Rules that cross or touch (within TOL) belong to one table."""
    parent = list(range(len(h) + len(v)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(h):
        for j, (x, top, bottom) in enumerate(v):
            if x0 - TOL <= x <= x1 + TOL and top - TOL <= y <= bottom + TOL:
                parent[find(i)] = find(len(h) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, rule in enumerate(h + v):
        groups.setdefault(find(i), ([], []))[i >= len(h)].append(rule)
    return [g for g in groups.values() if g[0] and g[1]]


def _close(hs: list[Rule], vs: list[Rule]) -> list[Rule]:
    """A row that breaks across pages has no bottom rule on the first page and no top rule on the next: close the
    table where its vertical rules end (pdfplumber's explicit lines from _closing_lines, per table here)."""
    long = [r for r in vs if r[2] - r[1] > CLOSE_MIN]
    if not long:
        return hs
    left, right = min(r[0] for r in long), max(r[0] for r in long)
    ends = [[min(r[1] for r in long), left, right], [max(r[2] for r in long), left, right]]
    return _merge(hs + ends)


# ------------------------------------------------------------------------------------------------ cells


def _cells(hs: list[Rule], vs: list[Rule]) -> list[tuple[float, float, float, float]]:
    """Cell boxes (x0, top, x1, bottom) of one table, by flood fill over its grid."""
    xs = sorted({r[0] for r in vs})
    ys = sorted({r[0] for r in hs})
    nx, ny = len(xs) - 1, len(ys) - 1
    if nx < 1 or ny < 1:
        return []
    at_x: dict[float, list[Rule]] = {}
    at_y: dict[float, list[Rule]] = {}
    for r in vs:
        at_x.setdefault(r[0], []).append(r)
    for r in hs:
        at_y.setdefault(r[0], []).append(r)

    def ruled(lines: list[Rule], a: float, b: float) -> bool:  # a rule runs from a to b (as pdfplumber's corners)
        return any(r[1] <= a + TOL and r[2] >= b - TOL for r in lines)

    left = [[ruled(at_x[xs[j]], ys[i], ys[i + 1]) for j in range(nx + 1)] for i in range(ny)]
    above = [[ruled(at_y[ys[i]], xs[j], xs[j + 1]) for j in range(nx)] for i in range(ny + 1)]

    outside = nx * ny
    parent = list(range(outside + 1))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def join(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for i in range(ny):
        for j in range(nx):
            k = i * nx + j
            if not above[i][j]:
                join(k, k - nx if i else outside)
            if not left[i][j]:
                join(k, k - 1 if j else outside)
            if i == ny - 1 and not above[ny][j]:
                join(k, outside)
            if j == nx - 1 and not left[i][nx]:
                join(k, outside)
    spans: dict[int, list[int]] = {}  # component → [first row, first col, last row, last col]
    for k in range(outside):
        root = find(k)
        if root == find(outside):
            continue  # open to the outside: not part of the table (a ragged edge, a dangling rule)
        i, j = divmod(k, nx)
        s = spans.setdefault(root, [i, j, i, j])
        s[0], s[1], s[2], s[3] = min(s[0], i), min(s[1], j), max(s[2], i), max(s[3], j)
    boxes = [(xs[j0], ys[i0], xs[j1 + 1], ys[i1 + 1]) for i0, j0, i1, j1 in spans.values()]
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def _table_item(boxes, textpage: pdfium.PdfTextPage, page_info: Page) -> TableItem:
    """Row and column numbers, spans and the table's extent exactly as pdf_reader._table_item derives them from
    pdfplumber's cells: indices into the distinct rounded cell tops and lefts."""
    height = page_info.height
    xs = sorted({round(b[0]) for b in boxes})
    ys = sorted({round(b[1]) for b in boxes})
    cells = []
    for x0, top, x1, bottom in boxes:
        text = textpage.get_text_bounded(x0 + INSET, height - bottom + INSET, x1 - INSET, height - top - INSET)
        cells.append(Cell(
            row=ys.index(round(top)), col=xs.index(round(x0)), page=page_info.number,
            text=text.replace("\r\n", "\n").replace("\r", "\n").strip(),
            row_span=max(1, sum(1 for y in ys if top - 1 <= y < bottom - 1)),
            col_span=max(1, sum(1 for x in xs if x0 - 1 <= x < x1 - 1))))
    top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
    open_bottom = False
    if bottom > height * FOOT:
        last_top = max(b[1] for b in boxes)  # pdfplumber's last row: the cells with the greatest top
        last_row = [b for b in boxes if b[1] == last_top]
        chars = _chars(textpage, height, last_top)
        open_bottom = any(_filled_to_edge(chars, box) for box in last_row)
    return pdf_reader.TableItem(page=page_info.number, top=top, bottom=bottom, ncols=len(xs), cells=cells,
                                open_bottom=open_bottom)


def _chars(textpage: pdfium.PdfTextPage, height: float, below: float) -> list[tuple[float, float, float, float]]:
    """Loose boxes (x0, top, x1, bottom; as pdfminer's: advance width by font height) of the page's visible chars
    reaching below `below`. One ctypes call a char: ~1 ms a page, asked only of tables at the page foot."""
    raw = textpage.raw
    box = pdfium_c.FS_RECTF()
    out = []
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, box)
        if height - box.bottom > below and box.right > box.left and not chr(
                pdfium_c.FPDFText_GetUnicode(raw, i) or 32).isspace():
            out.append((box.left, height - box.top, box.right, height - box.bottom))
    return out


def _filled_to_edge(chars, box) -> bool:
    """Whether the last text line in a cell runs to the cell's right edge (so the text goes on after it), as
    pdf_reader._filled_to_edge decides it from pdfplumber's chars cropped to the cell."""
    x0, top, x1, bottom = box
    inside = [(max(l, x0), max(t, top), min(r, x1)) for l, t, r, b in chars if l < x1 and r > x0 and t < bottom and b > top]
    if not inside:
        return False
    last_top = max(c[1] for c in inside)
    last_line = [c for c in inside if abs(c[1] - last_top) < 2]
    size = max(c[2] - c[0] for c in last_line)
    return max(c[2] for c in last_line) >= x1 - 2.5 * size
