"""List lead-ins: which text introduces a list item (`下列情况之一的，投标保证金将被没收：` over `5.8.3 放弃投标…`).

A rule with `match.lead_in` reads an item together with its lead-in (schema.LeadIn). The lead-in is found two ways:
inside one clause, a sentence's text up to its colon introduces the rest of that sentence and the clause's later
sentences (a list written on one line or in one cell); across clauses, a paragraph ending in a colon introduces the
list items right after it (numbered, or opened by an item mark) until something else comes. Only a lead-in that
announces a list (下列/以下/如下/下述) counts: `联系方式：` introduces no list.
"""
from __future__ import annotations

import re
from typing import Iterator, Optional

from ..models import Clause, ClauseKind
from ..normalize import sentences

# A colon that ends a list's announcement, and the words that make it one.
_ANNOUNCES = re.compile(r"(下列|以下|如下|下述)")
_COLON = re.compile(r"[:：]")
# How a list item opens when the parser did not number it: (1) 1、 1. ① a) 一、 — and the clause number itself.
_ITEM_MARK = re.compile(r"^([(（]?[0-9一二三四五六七八九十]{1,3}[)）、.．]|[①-⑳]|[a-zA-Z][)、.])")
_SECTION = re.compile(r"^[0-9]+[.．][0-9]")
LEAD_MAX = 120  # a lead-in longer than this is a paragraph, not an announcement


def lead_of(norm: str) -> Optional[tuple[str, int]]:
    """The lead-in of one sentence, up to its last colon, and where its item starts; None when the sentence
    announces no list."""
    colon = None
    for m in _COLON.finditer(norm):
        colon = m
    if colon is None or colon.start() > LEAD_MAX:
        return None
    lead = norm[:colon.start()]
    return (lead, colon.end()) if _ANNOUNCES.search(lead) else None


def clause_leads(clauses: list[Clause]) -> dict[str, str]:
    """For each clause that is an item of a list announced by an earlier paragraph, that paragraph's lead-in (the
    normalised text up to its colon). Headings and table cells break a list; so does any clause that is not an
    item, unless it is the lead-in's own numbered child (5.8 → 5.8.3)."""
    out: dict[str, str] = {}
    lead: Optional[tuple[str, str]] = None  # (clause id, lead-in text)
    for clause in clauses:
        if clause.kind != ClauseKind.paragraph:
            lead = None
            continue
        if lead is not None and (clause.parent_id == lead[0] or _is_item(clause)):
            out[clause.id] = lead[1]
            continue
        # The clause's last sentence may announce a list, its first item on the same line or none yet.
        last = sentences(clause.norm)[-1:]
        found = lead_of(last[0]) if last else None
        lead = (clause.id, found[0]) if found is not None else None
    return out


def _is_item(clause: Clause) -> bool:
    """An item mark, as the parser kept it in the number or left it in the text: (1) 1) ① a、 — not a section
    number such as 3.2, which opens the next section unless it is the lead-in's own child."""
    return bool(_ITEM_MARK.match(clause.number or clause.norm)) and not _SECTION.match(clause.number or "")


def items(sentences: list[str], outer: str) -> Iterator[tuple[int, str, int]]:
    """(sentence index, lead-in, where the item starts in the sentence) for each sentence of a clause that reads as
    a list item: after a lead-in sentence of the same clause, or in a clause that an earlier paragraph introduces
    (`outer`). A sentence that announces a list itself offers the text after its colon as its first item."""
    lead = outer
    for k, sent in enumerate(sentences):
        found = lead_of(sent)
        if found is not None:
            if found[1] < len(sent):
                yield k, found[0], found[1]
            lead = found[0]
            continue
        if lead:
            yield k, lead, 0
