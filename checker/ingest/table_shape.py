"""What makes a grid of rules (PDF) or a w:tbl (DOCX) a table rather than a frame.

Real documents draw boxes for layout: a rectangle around every page, a one-cell box around a notice, a row of
boxes behind the runs of one line of text. None of them is a table, and reading them as one turns every line into a
table row and hides chapter headings inside cells. A table shows rows AND columns of content: at least two rows and
at least two columns with text in them. The same test runs on both formats so a document's DOCX and PDF renditions
agree on what is a table.
"""
from __future__ import annotations

from typing import Iterable


def is_table(cells: Iterable) -> bool:
    """`cells` are objects with row, col and text (models.Cell) or (row, col, text, ...) sequences."""
    rows: set[int] = set()
    cols: set[int] = set()
    for cell in cells:
        row, col, text = (cell.row, cell.col, cell.text) if hasattr(cell, "row") else (cell[0], cell[1], cell[2])
        rows.add(row)
        if text and text.strip():
            cols.add(col)
    return len(rows) > 1 and len(cols) > 1
