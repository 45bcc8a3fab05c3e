"""Where the matched words sit in a display text, for highlighting (terminal and HTML)."""
from __future__ import annotations

from typing import Optional

from ..normalize import for_matching, matching_map


def find_all(text: str, word: str, lo: int = 0, hi: Optional[int] = None) -> list[tuple[int, int]]:
    """Spans of `word` in text[lo:hi]; where it is not there as written, spans of its normalised form (full-width
    brackets, spaces: a numeric rule's matched value is often normalised)."""
    spans, hi = [], len(text) if hi is None else hi
    if not word:
        return spans
    i = text.find(word, lo, hi)
    while i >= 0:
        spans.append((i, i + len(word)))
        i = text.find(word, i + len(word), hi)
    if spans:
        return spans
    norm, where = matching_map(text)
    target = for_matching(word)
    i = norm.find(target) if target else -1
    while i >= 0:
        a, b = where[i], where[i + len(target) - 1] + 1
        if lo <= a and b <= hi:
            spans.append((a, b))
        i = norm.find(target, i + len(target))
    return spans
