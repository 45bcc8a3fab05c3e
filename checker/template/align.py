"""Align a region's clauses in the document with the template's.

1. Identical clauses (same fingerprint: the text without punctuation) are paired in order with
   difflib.SequenceMatcher over the fingerprint sequences, so a renumbered but unchanged clause pairs with its model
   (Word renumbers everything after a deleted or inserted clause);
2. identical clauses that moved are paired across the whole region;
3. in each gap between identical runs, the remaining clauses are paired by similarity (rapidfuzz ratio on the
   fingerprint text) with a bonus for the same clause number, best pair first, above a cutoff;
4. what is left anywhere in the region is paired if it is very similar (a modified clause that also moved).
Template clauses left over were deleted; document clauses left over were added.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Optional, Sequence

from rapidfuzz import fuzz, process

GAP_CUTOFF = 60.0  # similarity (0-100) for pairing inside a gap between identical runs
NUMBER_BONUS = 10.0  # added when the two clauses carry the same number key
REGION_CUTOFF = 80.0  # similarity for pairing leftovers across the whole region
MAX_GAP_CELLS = 4_000_000  # a gap larger than this (both sides rewritten wholesale) is paired by number only


@dataclass
class Side:
    """One side of an alignment: fingerprints, fingerprint texts (for similarity) and number keys, in order."""

    fps: Sequence[str]
    texts: Sequence[str]
    keys: Sequence[Optional[str]]


@dataclass
class Alignment:
    pairs: list[tuple[int, int, float]] = field(default_factory=list)  # (template i, document j, similarity)
    deleted: list[int] = field(default_factory=list)  # template indexes with no partner
    added: list[int] = field(default_factory=list)  # document indexes with no partner


def align(t: Side, d: Side) -> Alignment:
    n, m = len(t.fps), len(d.fps)
    t_to: dict[int, tuple[int, float]] = {}
    d_used: set[int] = set()

    def pair(i: int, j: int, score: float) -> None:
        t_to[i] = (j, score)
        d_used.add(j)

    # 1. identical runs, in order
    blocks = SequenceMatcher(None, list(t.fps), list(d.fps), autojunk=False).get_matching_blocks()
    gaps: list[tuple[range, range]] = []
    ti = dj = 0
    for b in blocks:
        if b.a > ti or b.b > dj:
            gaps.append((range(ti, b.a), range(dj, b.b)))
        for k in range(b.size):
            pair(b.a + k, b.b + k, 100.0)
        ti, dj = b.a + b.size, b.b + b.size

    # 2. identical clauses that moved
    free_d: dict[str, list[int]] = {}
    for j in range(m):
        if j not in d_used:
            free_d.setdefault(d.fps[j], []).append(j)
    for i in range(n):
        if i not in t_to and free_d.get(t.fps[i]):
            pair(i, free_d[t.fps[i]].pop(0), 100.0)

    # 3. similar clauses inside each gap
    for t_range, d_range in gaps:
        ts = [i for i in t_range if i not in t_to]
        ds = [j for j in d_range if j not in d_used]
        if ts and ds:
            _pair_best(t, d, ts, ds, GAP_CUTOFF, pair)

    # 4. very similar leftovers anywhere in the region
    ts = [i for i in range(n) if i not in t_to]
    ds = [j for j in range(m) if j not in d_used]
    if ts and ds:
        _pair_best(t, d, ts, ds, REGION_CUTOFF, pair, bonus=False)

    out = Alignment()
    out.pairs = sorted(((i, j, s) for i, (j, s) in t_to.items()), key=lambda p: p[1])
    out.deleted = [i for i in range(n) if i not in t_to]
    out.added = [j for j in range(m) if j not in d_used]
    return out


def _pair_best(t: Side, d: Side, ts: list[int], ds: list[int], cutoff: float, pair, bonus: bool = True) -> None:
    if len(ts) * len(ds) > MAX_GAP_CELLS:
        by_key: dict[str, int] = {d.keys[j]: j for j in ds if d.keys[j]}
        for i in ts:
            j = by_key.pop(t.keys[i], None) if t.keys[i] else None
            if j is not None and fuzz.ratio(t.texts[i], d.texts[j]) >= cutoff:
                pair(i, j, fuzz.ratio(t.texts[i], d.texts[j]))
        return
    floor = cutoff - (NUMBER_BONUS if bonus else 0)
    choices = [d.texts[j] for j in ds]
    candidates = []
    for a, i in enumerate(ts):
        # process.extract loops over the choices in C; no numpy needed (unlike process.cdist)
        for _choice, s, b in process.extract(t.texts[i], choices, scorer=fuzz.ratio, score_cutoff=floor, limit=None):
            j = ds[b]
            ranked = s + (NUMBER_BONUS if bonus and t.keys[i] and t.keys[i] == d.keys[j] else 0.0)
            if ranked >= cutoff:
                candidates.append((ranked, -abs(a - b), i, j, float(s)))
    candidates.sort(reverse=True)
    taken_t: set[int] = set()
    taken_d: set[int] = set()
    for _ranked, _dist, i, j, s in candidates:
        if i in taken_t or j in taken_d:
            continue
        taken_t.add(i)
        taken_d.add(j)
        pair(i, j, s)
