"""The page model the PDF reader, the table finder (pdf_tables.py) and OCR (ocr.py) share: text lines with their
boxes, tables with their cells, and what a page holds. No reading here, so every reader can import it."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from ..models import Cell

MIN_PATHS_FOR_TABLE = 4  # path objects a page must draw before it may hold a ruled table


@dataclass
class Line:
    text: str
    page: int  # 1-based
    x0: float
    x1: float
    top: float  # distance from the page top, so larger is lower on the page (pdfplumber's convention)
    bottom: float
    full: bool = False  # reaches the right edge of its text block: a wrapped line, not a paragraph's last
    conf: Optional[float] = None  # OCR confidence 0–100 (ocr.py); None for a text-layer line

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class TableItem:
    page: int
    top: float
    bottom: float
    ncols: int
    cells: list[Cell]
    open_bottom: bool = False  # at the page foot, a cell of the last row is filled to its right edge
    boxes: list = field(default_factory=list)  # the cells' (x0, top, x1, bottom); empty: the table's full width
    conf: Optional[float] = None  # OCR confidence of the cells' text (ocr.py); None for a text-layer table


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    paths: int = 0
    images: int = 0
    chars: int = 0
    garbage: int = 0
    tables: list[TableItem] = field(default_factory=list)
    symbols: dict = field(default_factory=dict)  # private-use code → Unicode, as mapped on this page (symbols.py)
    layer: Counter = field(default_factory=Counter)  # characters of pdfium's text layer
    dropped: list = field(default_factory=list)  # running header/footer lines removed from this page
    frames: int = 0  # ruled boxes that were not tables (a page frame, a boxed notice)
    ocr: Optional[str] = None  # "done", "timeout", "failed": what OCR made of the page (None: not tried)
    unplaced_font: Optional[str] = None  # a non-embedded font whose CJK glyphs pdfium could not place (_unplaced_font)
