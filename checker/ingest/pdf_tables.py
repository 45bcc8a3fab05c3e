"""Ruled tables from pdfium's path objects (a lattice), in place of pdfplumber's `find_tables`.

pdfplumber re-interprets the whole page with pdfminer (~120 ms a page) to learn where the rules are; pdfium has
already parsed the page, so the rules are a few hundred ctypes calls away (~4 ms a table page with the cells' text,
most of it ctypes overhead). The geometry follows
pdfplumber's "lines" strategy with its tolerances — rect edges, snapping, joining, closing lines — so the cells come
out the same; only the cell search differs: the distinct rule positions of one table make a grid, a rule missing
between two grid cells merges them, and grid cells that reach the outside through a missing rule are not in the table.

Out of scope: tables without rules (columns aligned by whitespace), rules drawn as images, rotated pages. Positions
are pdfium's user space turned top-down with the page height, as pdf_reader's text lines are.
"""
from __future__ import annotations

import bisect
import ctypes
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..models import Cell
from .pdf_page import Page, TableItem

TOL = 3.0  # pdfplumber's snap, join and intersection tolerance
MIN_RULE = 3.0  # pdfplumber's edge_min_length: a thin box's short sides are not rules
CLOSE_MIN = 5.0  # as _closing_lines: vertical rules longer than this decide where an open table is closed
FOOT = 0.8  # open_bottom is asked only of tables reaching into the lowest 20 % of the page
MAX_GRID = 5_000  # grid cells: more is a drawing (graph paper, a plan), not a table of text, and would take a second
INSET = 1.0  # pdfium takes every char whose box touches the rectangle: keep off the rules and the next cell
_BUFFER = 4096  # UTF-16 units for one cell's text; a longer cell falls back to get_text_bounded

Rule = list  # [position, start, end, visible]: y, x0, x1 of a horizontal rule; x, top, bottom of a vertical one


def find_tables(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, page_info: Page) -> list[TableItem]:
    """The ruled tables on an open page, top to bottom, as pdf_reader's pdfplumber path gives them. Reads
    page_info's number, height and symbol mapping; counts the frames it passes over in page_info.frames."""
    height = page_info.height
    horizontal, vertical = _rules(page, height)
    horizontal, vertical = _merge(horizontal), _merge(vertical)
    tables = []
    for hs, vs in _groups(horizontal, vertical):
        hs = _close(hs, vs)
        if len({r[0] for r in hs}) < 3 or len({r[0] for r in vs}) < 3 or not any(r[3] for r in hs + vs):
            # fewer than two rows or two columns: a frame, or boxes behind one line (table_shape.py); or only the
            # closing lines _close adds (not drawn)
            page_info.frames += 1
            continue
        boxes = _cells(hs, vs)
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

    def segment(x0: float, y0: float, x1: float, y1: float, visible: bool = True) -> None:  # pdfium: bottom-up
        if abs(y1 - y0) < 0.5 and abs(x1 - x0) >= 1:  # pdfplumber drops edges under 1 pt before merging
            h.append([height - (y0 + y1) / 2, min(x0, x1), max(x0, x1), visible])
        elif abs(x1 - x0) < 0.5 and abs(y1 - y0) >= 1:
            v.append([(x0 + x1) / 2, height - max(y0, y1), height - min(y0, y1), visible])

    raw = page.raw
    _walk([pdfium_c.FPDFPage_GetObject(raw, i) for i in range(pdfium_c.FPDFPage_CountObjects(raw))], None, segment)
    return h, v


# The hot calls, bound once: a module attribute look-up per call would cost a tenth of the call.
_get_type, _count_segments, _get_segment = (
    pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDFPath_CountSegments, pdfium_c.FPDFPath_GetPathSegment)
_get_point, _segment_type, _segment_close = (
    pdfium_c.FPDFPathSegment_GetPoint, pdfium_c.FPDFPathSegment_GetType, pdfium_c.FPDFPathSegment_GetClose)
_PATH, _FORM, _MOVETO, _LINETO = (
    pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM, pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO)


def _walk(objects: list, outer: tuple | None, segment) -> None:
    for obj in objects:
        kind = _get_type(obj)
        if kind == _PATH:
            if outer is None and _filled_box(obj, segment):
                continue
            _walk_segments(obj, _compose(_matrix(obj), outer), segment)
        elif kind == _FORM:  # rules inside a form XObject are in the form's space
            children = [pdfium_c.FPDFFormObj_GetObject(obj, k) for k in range(pdfium_c.FPDFFormObj_CountObjects(obj))]
            _walk(children, _compose(_matrix(obj), outer), segment)


_fill_mode, _stroke = ctypes.c_int(), ctypes.c_int()
_draw_mode, _bounds, _fill_color = (pdfium_c.FPDFPath_GetDrawMode, pdfium_c.FPDFPageObj_GetBounds,
                                    pdfium_c.FPDFPageObj_GetFillColor)
_rgba = [ctypes.c_uint() for _ in range(4)]
_left, _bottom, _right, _top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()


def _filled_box(obj, segment) -> bool:
    """A filled, unstroked path. White or transparent, it draws nothing a reader sees and gives no rules: boxes some
    generators put behind every run of text (~90 a page in one 400-page file) tile into fake grids and cut real cells
    into pieces (「经审核通过的 | H5 | 作品」); a table whose only vertical borders are white cell fills reads as text
    lines, in order. Otherwise, with four or five segments (a cell's shading, a thin box Word draws as a rule), it
    gives the four edges of its bounds, exact since nothing is stroked: a few ctypes calls instead of twenty to walk
    its points. False: walk it."""
    if not _draw_mode(obj, _fill_mode, _stroke) or _stroke.value or not _fill_mode.value:
        return False
    if _fill_color(obj, *_rgba) and (_rgba[3].value == 0 or min(c.value for c in _rgba[:3]) >= 250):
        return True
    if _count_segments(obj) not in (4, 5) or not _bounds(obj, _left, _bottom, _right, _top):
        return False
    x0, y0, x1, y1 = _left.value, _bottom.value, _right.value, _top.value
    segment(x0, y0, x1, y0)
    segment(x1, y0, x1, y1)
    segment(x1, y1, x0, y1)
    segment(x0, y1, x0, y0)
    return True


def _walk_segments(obj, matrix: tuple, segment) -> None:
    """The path's straight segments, in page space. Walking the points (~4 µs a segment) rather than taking the
    object's bounds keeps the geometry exact: pdfium pads a stroked path's bounds by the line width, and a box could
    be a diagonal line or a triangle."""
    x, y = ctypes.c_float(), ctypes.c_float()
    a, b, c, d, e, f = matrix
    start = prev = (0.0, 0.0)
    for k in range(_count_segments(obj)):
        seg = _get_segment(obj, k)
        _get_point(seg, x, y)
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = _segment_type(seg)
        if kind == _MOVETO:
            start = prev = point
            continue
        if kind == _LINETO:
            segment(*prev, *point)
        prev = point  # a Bézier's points only move the pen: curves are no rules
        if _segment_close(seg):
            segment(*point, *start)
            prev = start


def _matrix(obj) -> tuple:
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, m)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: tuple, outer: tuple | None) -> tuple:
    """The matrix that applies `inner`, then `outer` (None: the page itself)."""
    if outer is None:
        return inner
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


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
        for _, start, end, visible in sorted(rules[i:j], key=lambda r: r[1]):
            if current and start <= current[2] + TOL:
                current[2] = max(current[2], end)
                current[3] = current[3] or visible
            else:
                current = [mean, start, end, visible]
                out.append(current)
        i = j
    return [r for r in out if r[2] - r[1] >= MIN_RULE]


def _groups(h: list[Rule], v: list[Rule]):
    """Rules that cross or touch (within TOL) belong to one table. `v` is sorted by x (as _merge leaves it), so each
    horizontal rule only looks at the vertical rules within its span."""
    parent = list(range(len(h) + len(v)))
    v_xs = [r[0] for r in v]
    for i, (y, x0, x1, _) in enumerate(h):
        for j in range(bisect.bisect_left(v_xs, x0 - TOL), bisect.bisect_right(v_xs, x1 + TOL)):
            if v[j][1] - TOL <= y <= v[j][2] + TOL:
                parent[_find(parent, i)] = _find(parent, len(h) + j)
    groups: dict[int, tuple[list[Rule], list[Rule]]] = {}
    for i, rule in enumerate(h + v):
        groups.setdefault(_find(parent, i), ([], []))[i >= len(h)].append(rule)
    return [g for g in groups.values() if g[0] and g[1]]


def _find(parent: list[int], i: int) -> int:
    """Union-find's root look-up, halving the path as it goes."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _close(hs: list[Rule], vs: list[Rule]) -> list[Rule]:
    """A row that breaks across pages has no bottom rule on the first page and no top rule on the next: close the
    table where its vertical rules end (pdfplumber's explicit lines from _closing_lines, per table here)."""
    long = [r for r in vs if r[2] - r[1] > CLOSE_MIN]
    if not long:
        return hs
    left, right = min(r[0] for r in long), max(r[0] for r in long)
    ends = [[min(r[1] for r in long), left, right, False], [max(r[2] for r in long), left, right, False]]
    return _merge(hs + ends)


# ------------------------------------------------------------------------------------------------ cells


def _cells(hs: list[Rule], vs: list[Rule]) -> list[tuple[float, float, float, float]]:
    """Cell boxes (x0, top, x1, bottom) of one table, by flood fill over its grid."""
    xs = sorted({r[0] for r in vs})
    ys = sorted({r[0] for r in hs})
    nx, ny = len(xs) - 1, len(ys) - 1
    if nx < 1 or ny < 1 or nx * ny > MAX_GRID:
        return []
    left = _covered(vs, xs, ys)  # left[i][j]: a rule at xs[j] closes row i
    top = _covered(hs, ys, xs)  # top[j][i]: a rule at ys[i] closes column j

    outside = nx * ny
    parent = list(range(outside + 1))

    def join(a: int, b: int) -> None:
        parent[_find(parent, a)] = _find(parent, b)

    for i in range(ny):
        for j in range(nx):
            k = i * nx + j
            if not top[j][i]:
                join(k, k - nx if i else outside)
            if not left[i][j]:
                join(k, k - 1 if j else outside)
            if i == ny - 1 and not top[j][ny]:
                join(k, outside)
            if j == nx - 1 and not left[i][nx]:
                join(k, outside)
    spans: dict[int, list[int]] = {}  # component → [first row, first col, last row, last col, grid cells]
    for k in range(outside):
        root = _find(parent, k)
        if root == _find(parent, outside):
            continue  # open to the outside: not part of the table (a ragged edge, a dangling rule)
        i, j = divmod(k, nx)
        s = spans.setdefault(root, [i, j, i, j, 0])
        s[0], s[1], s[2], s[3] = min(s[0], i), min(s[1], j), max(s[2], i), max(s[3], j)
        s[4] += 1
    # A cell is a rectangle. A component that is not (a ring) is the space between a page frame and the table the
    # frame encloses: reading it as a cell would put the whole page, running header and all, into one cell.
    boxes = [(xs[j0], ys[i0], xs[j1 + 1], ys[i1 + 1]) for i0, j0, i1, j1, n in spans.values()
             if n == (i1 - i0 + 1) * (j1 - j0 + 1)]
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def _covered(rules: list[Rule], lines: list[float], stops: list[float]) -> list[list[bool]]:
    """covered[i][j]: a rule at lines[j] runs from stops[i] to stops[i + 1], give or take TOL (pdfplumber's test
    that one edge joins two corners)."""
    index = {p: j for j, p in enumerate(lines)}
    covered = [[False] * len(lines) for _ in range(len(stops) - 1)]
    for position, start, end, _ in rules:
        j = index[position]
        for i in range(bisect.bisect_left(stops, start - TOL), len(stops) - 1):
            if stops[i + 1] > end + TOL:
                break
            covered[i][j] = True
    return covered


def _table_item(boxes, textpage: pdfium.PdfTextPage, page_info: Page) -> TableItem:
    """Row and column numbers, spans and the table's extent exactly as pdf_reader._table_item derives them from
    pdfplumber's cells: indices into the distinct rounded cell tops and lefts."""
    height = page_info.height
    xs = sorted({round(b[0]) for b in boxes})
    ys = sorted({round(b[1]) for b in boxes})
    cells, buffer = [], (ctypes.c_ushort * _BUFFER)()
    for x0, top, x1, bottom in boxes:
        text = _text(textpage, buffer, x0 + INSET, height - bottom + INSET, x1 - INSET, height - top - INSET)
        if page_info.symbols:
            text = text.translate(page_info.symbols)
        cells.append(Cell(
            row=ys.index(round(top)), col=xs.index(round(x0)), page=page_info.number,
            text=text.replace("\r\n", "\n").replace("\r", "\n").strip(),
            row_span=max(1, sum(1 for y in ys if top - 1 <= y < bottom - 1)),
            col_span=max(1, sum(1 for x in xs if x0 - 1 <= x < x1 - 1))))
    top, bottom = min(b[1] for b in boxes), max(b[3] for b in boxes)
    open_bottom = False
    if bottom > height * FOOT:
        last_top = max(b[1] for b in boxes)  # pdfplumber's last row: the cells with the greatest top
        last_row = [b for b, cell in zip(boxes, cells) if b[1] == last_top and cell.text]
        if last_row:
            chars = _chars(textpage, height, last_top)
            open_bottom = any(_filled_to_edge(chars, box) for box in last_row)

    return TableItem(page=page_info.number, top=top, bottom=bottom, ncols=len(xs), cells=cells, open_bottom=open_bottom,
                     boxes=list(boxes))


def _text(textpage: pdfium.PdfTextPage, buffer, left: float, bottom: float, right: float, top: float) -> str:
    """textpage.get_text_bounded in one call instead of two (it asks pdfium for the length first, and each call
    walks all the page's chars): most cells fit a fixed buffer."""
    n = pdfium_c.FPDFText_GetBoundedText(textpage.raw, left, top, right, bottom, buffer, _BUFFER)
    if n >= _BUFFER:
        return textpage.get_text_bounded(left, bottom, right, top)
    # n counts the terminating NUL that pdfium writes after the text
    return bytes(memoryview(buffer).cast("B")[:2 * max(n - 1, 0)]).decode("utf-16-le", errors="ignore")


def _chars(textpage: pdfium.PdfTextPage, height: float, below: float) -> list[tuple[float, float, float, float]]:
    """Loose boxes (x0, top, x1, bottom; as pdfminer's: advance width by font height) of the page's visible chars
    reaching below `below`. A ctypes call a char (~2 ms a page), so asked only of tables at the page foot."""
    raw, box, limit = textpage.raw, pdfium_c.FS_RECTF(), height - below
    get_box, get_unicode = pdfium_c.FPDFText_GetLooseCharBox, pdfium_c.FPDFText_GetUnicode
    out = []
    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        get_box(raw, i, box)
        if box.bottom < limit and box.right > box.left and not chr(get_unicode(raw, i) or 32).isspace():
            out.append((box.left, height - box.top, box.right, height - box.bottom))
    return out


def _filled_to_edge(chars, box) -> bool:
    """Whether the last text line in a cell runs to the cell's right edge (so the text goes on after it), as
    pdf_reader._filled_to_edge decides it from pdfplumber's chars cropped to the cell."""
    x0, top, x1, bottom = box
    inside = [(max(c0, x0), max(c_top, top), min(c1, x1))
              for c0, c_top, c1, c_bottom in chars if c0 < x1 and c1 > x0 and c_top < bottom and c_bottom > top]
    if not inside:
        return False
    last_top = max(c[1] for c in inside)
    last_line = [c for c in inside if abs(c[1] - last_top) < 2]
    size = max(c[2] - c[0] for c in last_line)
    return max(c[2] for c in last_line) >= x1 - 2.5 * size
