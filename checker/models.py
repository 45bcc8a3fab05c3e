"""Pydantic models passed forward through the pipeline: parse → segment → facts → rules → findings → report.

Each stage takes the previous stage's model and returns its own; nothing points back to an earlier stage except by
id, so a model can be serialised, cached or sent to another process on its own.
"""
from __future__ import annotations

from enum import Enum
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field


class DocFormat(str, Enum):
    docx = "docx"
    pdf = "pdf"
    doc = "doc"
    wps = "wps"
    text = "text"
    image = "image"  # PNG, JPEG, TIFF: read through OCR (ingest/ocr.py)


class Source(BaseModel):
    """Where a parsed document came from."""

    path: str
    sha256: str
    format: DocFormat
    size: int
    page_count: Optional[int] = None  # known for PDF; estimated from page breaks for DOCX (None when unknown)
    converted_with: Optional[str] = None  # "LibreOffice" when a .doc/.wps was converted to DOCX first


# ---------------------------------------------------------------------------------------------------------------------
# Parser output: a flat sequence of blocks in reading order. Parsers only extract; they do not decide what a clause is.


class Cell(BaseModel):
    model_config = ConfigDict(frozen=True)

    row: int
    col: int
    text: str
    page: Optional[int] = None
    row_span: int = 1
    col_span: int = 1


class Block(BaseModel):
    """One paragraph or one table, in document order.

    `number` is a list number that the source rendered outside the text (Word auto-numbering); for PDF and text the
    number is still inside `text` and the segmenter finds it. `style_level` is a heading level the source declared
    (Word heading style or outline level), when it declared one.
    """

    kind: Literal["paragraph", "table"]
    index: int
    text: str = ""
    number: Optional[str] = None
    style_level: Optional[int] = None
    page: Optional[int] = None
    cells: list[Cell] = Field(default_factory=list)
    origin: Literal["body", "textbox", "toc"] = "body"  # toc: a table-of-contents entry, not a clause
    ocr_confidence: Optional[float] = None  # 0–100 when the text was read by OCR (ingest/ocr.py); None: a text layer


class PageIssue(BaseModel):
    page: Optional[int] = None
    problem: str  # short English code: "no_text", "cid_garbage", "table_unreadable", ...
    detail: str = ""  # Chinese, for the user


class RawDocument(BaseModel):
    """What a parser hands to the segmenter."""

    source: Source
    blocks: list[Block]
    page_issues: list[PageIssue] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------------------
# Segmenter output: the clause tree.


class ClauseKind(str, Enum):
    heading = "heading"
    paragraph = "paragraph"
    table_row = "table_row"
    table_cell = "table_cell"


class Location(BaseModel):
    page: Optional[int] = None  # 1-based; None where the format has no pages (DOCX, text)
    paragraph: Optional[int] = None  # index of the source block
    table: Optional[int] = None  # 0-based table ordinal in the document
    row: Optional[int] = None  # 0-based
    column: Optional[int] = None  # 0-based

    def describe(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.table is not None:
            parts.append(f"表{self.table + 1}")
            if self.row is not None:
                parts.append(f"第{self.row + 1}行")
            if self.column is not None:
                parts.append(f"第{self.column + 1}列")
        elif self.paragraph is not None:
            parts.append(f"段{self.paragraph + 1}")
        return " ".join(parts)


class Clause(BaseModel):
    """One node of the clause tree, stored flat in document order with a parent id."""

    id: str  # stable: derived from the position in the tree, not from a counter over the whole file
    number: Optional[str] = None  # as rendered: 第一章, 3.2, （一）, 1.
    level: int  # 0 = top
    heading_path: list[str] = Field(default_factory=list)  # titles of enclosing headings, outermost first
    kind: ClauseKind
    text: str  # for display, as in the document (without the number)
    norm: str  # normalised for matching only
    location: Location
    parent_id: Optional[str] = None
    table_header: Optional[list[str]] = None  # for table rows/cells: the header row's texts
    zone: Optional[str] = None  # vocab.ZONES: the part of the document the clause sits in (checker/zones.py)
    # For table rows/cells, what a reader of the table sees around a value (the facts stage reads key/value rows and
    # unit-bearing headers from these): the table's title (its caption, the title line just above it, or a title row
    # merged across the table), the row's label (its first filled cell) and the column's header text.
    table_title: Optional[str] = None
    row_label: Optional[str] = None  # cells only, when the cell is not the label itself
    column_label: Optional[str] = None  # cells only, below the header row
    # 0–100 when the text was read by OCR from a scan (its block's confidence); None for a text layer. Findings on
    # text below pipeline.OCR_TRUSTED are never 违法 (a misread 不 or digit could make the breach).
    ocr_confidence: Optional[float] = None

    @property
    def label(self) -> str:
        return f"{self.number} {self.text}".strip() if self.number else self.text

    @property
    def checkboxes(self) -> list[tuple[str, bool]]:
        """The check boxes in the text with their state: 「☑不提交 □提交」 → [("不提交", True), ("提交", False)].
        Symbol-font boxes are ☑/☐ already (ingest/symbols.py)."""
        from .ingest.symbols import checkbox_options

        return checkbox_options(self.text)


class Coverage(BaseModel):
    """How much structure the parser found: a reviewer reads this before trusting an empty report."""

    chapters: list[str] = Field(default_factory=list)  # 第X卷/篇/部分/章 headings, in order, at any depth
    divisions: list[str] = Field(default_factory=list)  # the top-level divisions only (level 0)
    has_front_table: bool = False  # 投标人须知前附表
    has_scoring_table: bool = False  # 评分标准 / 评标办法前附表
    tables: int = 0
    numbered_clauses: int = 0
    toc_entries: int = 0  # table-of-contents lines recognised and left out of the clause tree
    clauses: int = 0
    characters: int = 0
    pages: Optional[int] = None
    problem_pages: list[PageIssue] = Field(default_factory=list)


class Document(BaseModel):
    """A parsed document: its source, its clause tree, and the coverage of the parse."""

    source: Source
    clauses: list[Clause]
    coverage: Coverage

    def children(self, clause_id: Optional[str]) -> list[Clause]:
        return [c for c in self.clauses if c.parent_id == clause_id]
