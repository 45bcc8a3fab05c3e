"""Plain text and Markdown → RawDocument: one paragraph per line, Markdown pipe tables as tables."""
from __future__ import annotations

import re

from ..models import Block, Cell, RawDocument, Source

_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def read_text(text: str, source: Source) -> RawDocument:
    blocks: list[Block] = []
    table: list[list[str]] = []

    def flush_table() -> None:
        if table:
            cells = [Cell(row=r, col=c, text=t) for r, row in enumerate(table) for c, t in enumerate(row)]
            blocks.append(Block(kind="table", index=len(blocks), cells=cells))
            table.clear()

    for raw_line in text.splitlines():
        line = raw_line.strip()
        if line.startswith("|") and line.endswith("|") and len(line) > 1:
            if not _MD_RULE.match(line):
                table.append([c.strip() for c in line.strip("|").split("|")])
            continue
        flush_table()
        line = _MD_HEADING.sub("", line)
        if line:
            blocks.append(Block(kind="paragraph", index=len(blocks), text=line))
    flush_table()
    return RawDocument(source=source, blocks=blocks)
