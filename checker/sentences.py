"""Sentences: how a clause's text is split for matching, for facts and for display. Below the rules and the facts
stage, which both split the same way (a sentence a rule matched is the sentence a fact was read from)."""
from __future__ import annotations

import re

from .normalize import for_matching

SENTENCE_END = re.compile(r"[。；;！!？?\n]+")


def sentences(norm_text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(norm_text) if s]


def display_sentence(text: str, index: int) -> str:
    """The `index`-th sentence of the original text, split as `sentences` splits its normalised form (NFKC keeps
    。 and folds ；！？ to ;!?, all of which split)."""
    parts = [s for s in SENTENCE_END.split(text) if for_matching(s)]
    return parts[index].strip() if index < len(parts) else ""
