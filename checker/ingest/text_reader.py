"""Plain text and Markdown → RawDocument: one paragraph per line, Markdown pipe tables as tables, and the numbered
tables a notice pasted from a web page keeps (a `序号 …` header line, then rows 1, 2, 3 … split by tabs or spaces)."""
from __future__ import annotations

import re
from typing import Optional

from ..models import Block, Cell, RawDocument, Source

_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
# A pasted table's header: 序号 and at least one more short column name (序号 内容 / 序号\t分标名称\t包号 …). A header
# column is a name, not a sentence: no sentence punctuation.
_ROW_HEADER = re.compile(r"^序号([ \t\u3000]+[^ \t\u3000，。；：,;:]{1,16})+$")
_ROW = re.compile(r"^([0-9]{1,3})[ \t\u3000]+(\S.*)$")


def _split(line: str, columns: int, tabbed: bool) -> list[str]:
    """A row's cells: by tabs where the header used them, else by runs of spaces; the last column takes the rest (a
    sentence in the 内容 column may hold spaces)."""
    parts = line.split("\t") if tabbed else re.split(r"[ \u3000]+", line)
    parts = [p.strip() for p in parts]
    if len(parts) > columns:
        sep = "\t" if tabbed else " "
        parts = parts[:columns - 1] + [sep.join(parts[columns - 1:]).strip()]
    return parts + [""] * (columns - len(parts))


class _PastedTable:
    """The rows under a `序号 …` header, while they go on 1, 2, 3 …: those lines are a table's rows, not clauses
    numbered 1, 2, 3 of the document (which would close the heading they stand under: the 供应商资格要求 of a notice)."""

    def __init__(self, header: str):
        self.tabbed = "\t" in header
        self.header = [h for h in (header.split("\t") if self.tabbed else re.split(r"[ \t\u3000]+", header)) if h]
        self.rows: list[list[str]] = []

    def take(self, line: str) -> bool:
        m = _ROW.match(line)
        if not m or int(m.group(1)) != len(self.rows) + 1:
            return False
        self.rows.append(_split(line, len(self.header), self.tabbed))
        return True


def read_text(text: str, source: Source) -> RawDocument:
    blocks: list[Block] = []
    table: list[list[str]] = []
    pasted: Optional[_PastedTable] = None

    def add_table(rows: list[list[str]]) -> None:
        cells = [Cell(row=r, col=c, text=t) for r, row in enumerate(rows) for c, t in enumerate(row)]
        blocks.append(Block(kind="table", index=len(blocks), cells=cells))

    def flush_table() -> None:
        if table:
            add_table(table)
            table.clear()

    def end_pasted() -> None:
        nonlocal pasted
        if pasted is None:
            return
        if pasted.rows:
            add_table([pasted.header] + pasted.rows)
        else:  # a header no row followed: the line as it stood
            blocks.append(Block(kind="paragraph", index=len(blocks), text=" ".join(pasted.header)))
        pasted = None

    for raw_line in text.splitlines():
        line = raw_line.strip()
        if pasted is not None and line and pasted.take(line):
            continue
        end_pasted()
        if line.startswith("|") and line.endswith("|") and len(line) > 1:
            if not _MD_RULE.match(line):
                table.append([c.strip() for c in line.strip("|").split("|")])
            continue
        flush_table()
        line = _MD_HEADING.sub("", line)
        if _ROW_HEADER.match(line):
            pasted = _PastedTable(line)
            continue
        if line:
            blocks.append(Block(kind="paragraph", index=len(blocks), text=line))
    end_pasted()
    flush_table()
    return RawDocument(source=source, blocks=blocks)
