"""Where a document's chapters and sections are, and which spec chapter / section (and so which mode) each clause
falls under. The same code lays out the model text when a template is built and the tender file when it is checked.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Optional

from ..models import Clause, ClauseKind, Document
from ..numbering import kind_of_rendered
from .spec import Mode, SectionSpec, Spec, title_matches

_PUNCT_CATS = ("P", "S", "Z", "C")
_KEEP_SYMBOLS = set("%‰¥$+-<>=≤≥×÷~～/")


def norm_number(number: Optional[str]) -> Optional[str]:
    if not number:
        return None
    n = re.sub(r"\s+", "", unicodedata.normalize("NFKC", number)).rstrip(".")
    return n or None


def _drop_class() -> str:
    """A regex character class of every BMP punctuation, symbol, separator and control character, except the
    symbols that carry meaning (%, ¥, <, = …) and the two handled apart (. and :)."""
    ranges: list[list[int]] = []
    for cp in range(0x10000):
        ch = chr(cp)
        if unicodedata.category(ch)[0] in _PUNCT_CATS and ch not in _KEEP_SYMBOLS and ch not in ".:":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return "[" + "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                         for a, b in ranges) + "]"


# punctuation goes, except . and : between two digits (1.5 is not 15, 9:30 is not 930)
_DROP = re.compile(_drop_class() + r"|(?<!\d)[.:]|[.:](?!\d)")


def skeleton(norm: str) -> str:
    """The clause text with punctuation and symbols removed (numbers, %, ¥ kept): two clauses with one skeleton differ
    only cosmetically (punctuation, width, whitespace, line breaks)."""
    return _DROP.sub("", norm)


_CN_DIGIT = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2} | \
    {c: i + 1 for i, c in enumerate("壹贰叁肆伍陆柒捌玖")}
_CN_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}


def cn_number(text: str) -> Optional[int]:
    """十五 → 15, 二百零五 → 205, 三万 → 30000, 叁拾 → 30; None for anything else. (cn2an would do, but importing it
    costs a second of regex compilation.)"""
    if not text:
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            section += (1 if digit is None else digit) * _CN_UNIT[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def fingerprint(norm: str) -> str:
    return skeleton_fp(skeleton(norm))


def skeleton_fp(skel: str) -> str:
    return hashlib.sha1(skel.encode()).hexdigest()[:16]


def is_chapter(clause: Clause) -> bool:
    return bool(clause.number) and clause.kind == ClauseKind.heading and kind_of_rendered(clause.number) == "chapter"


def is_section(clause: Clause) -> bool:
    return bool(clause.number) and clause.kind == ClauseKind.heading and kind_of_rendered(clause.number) == "section"


@dataclass
class Region:
    """A stretch of the document that one spec chapter or section governs."""

    chapter: int  # index into spec.chapters
    section: Optional[int]  # index into spec.chapters[chapter].sections; None = the chapter's own body
    spec: SectionSpec
    heading: Clause  # the chapter or section heading (anchor for findings about the whole region)
    clauses: list[int] = field(default_factory=list)  # indexes into doc.clauses, headings of the region excluded

    @property
    def mode(self) -> Mode:
        return self.spec.mode

    @property
    def key(self) -> str:
        return f"{self.chapter}" if self.section is None else f"{self.chapter}.{self.section}"


@dataclass
class DocChapter:
    clause: Clause
    position: int  # index into doc.clauses
    spec_index: Optional[int]
    sections: list[tuple[Clause, Optional[int]]] = field(default_factory=list)  # (heading, spec section index)


@dataclass
class Layout:
    chapters: list[DocChapter]
    regions: dict[str, Region]  # Region.key → region (only regions present in the document)
    region_of: dict[str, str]  # clause id → region key

    def region(self, chapter: int, section: Optional[int] = None) -> Optional[Region]:
        return self.regions.get(f"{chapter}" if section is None else f"{chapter}.{section}")


def layout(doc: Document, spec: Spec) -> Layout:
    chapters: list[DocChapter] = []
    regions: dict[str, Region] = {}
    region_of: dict[str, str] = {}
    used: set[int] = set()
    current: Optional[Region] = None
    chapter_region: Optional[Region] = None
    chapter_spec: Optional[int] = None
    used_sections: set[int] = set()

    for i, clause in enumerate(doc.clauses):
        if is_chapter(clause):
            idx = next((k for k, ch in enumerate(spec.chapters)
                        if k not in used and title_matches(clause.text, ch.names())), None)
            chapters.append(DocChapter(clause, i, idx))
            used_sections = set()
            if idx is None:
                current = chapter_region = None
                chapter_spec = None
                continue
            used.add(idx)
            chapter_spec = idx
            current = chapter_region = regions.setdefault(str(idx), Region(idx, None, spec.chapters[idx], clause))
            continue
        if is_section(clause) and chapters:
            sec_idx = None
            if chapter_spec is not None:
                secs = spec.chapters[chapter_spec].sections
                sec_idx = next((k for k, s in enumerate(secs) if k not in used_sections
                                and title_matches(clause.text, s.names())), None)
            chapters[-1].sections.append((clause, sec_idx))
            if sec_idx is None:
                current = chapter_region
                continue
            used_sections.add(sec_idx)
            current = regions.setdefault(f"{chapter_spec}.{sec_idx}", Region(
                chapter_spec, sec_idx, spec.chapters[chapter_spec].sections[sec_idx], clause))
            continue
        if current is not None:
            current.clauses.append(i)
            region_of[clause.id] = current.key
    return Layout(chapters, regions, region_of)


def is_caption(doc: Document, i: int) -> bool:
    """An unnumbered heading right before a table (投标人须知前附表): part of the table, not of the body text."""
    c = doc.clauses[i]
    if c.number or c.kind != ClauseKind.heading or i + 1 >= len(doc.clauses):
        return False
    nxt = doc.clauses[i + 1]
    return nxt.kind == ClauseKind.table_row and bool(nxt.heading_path) and nxt.heading_path[-1] == c.text


def body_clauses(doc: Document, region: Region) -> list[int]:
    """The region's running text: headings and paragraphs, not tables (前附表 and 附表 are never locked)."""
    return [i for i in region.clauses
            if doc.clauses[i].kind in (ClauseKind.heading, ClauseKind.paragraph) and not is_caption(doc, i)]


def editable_ids(doc: Document, idxs: list[int], editable: list[str]) -> set[str]:
    """Clauses under a clause whose number the spec lists as editable (the clause itself stays locked)."""
    if not editable:
        return set()
    wanted = {norm_number(n) for n in editable}
    by_id = {doc.clauses[i].id: doc.clauses[i] for i in idxs}
    out: set[str] = set()
    for i in idxs:
        c = doc.clauses[i]
        parent = by_id.get(c.parent_id or "")
        while parent is not None:
            if norm_number(parent.number) in wanted:
                out.add(c.id)
                break
            parent = by_id.get(parent.parent_id or "")
    return out


def number_keys(doc: Document, idxs: list[int]) -> dict[str, Optional[str]]:
    """A key for each numbered clause that is unique within a region in a well-formed document: a decimal number
    (3.4.1) stands for itself; a list number （一） is qualified by its parent's key (3.4.5/（一）)."""
    by_id = {doc.clauses[i].id: doc.clauses[i] for i in idxs}
    keys: dict[str, Optional[str]] = {}
    for i in idxs:
        c = doc.clauses[i]
        n = norm_number(c.number)
        if n is None:
            keys[c.id] = None
        elif re.fullmatch(r"\d+(\.\d+)*", n):
            keys[c.id] = n
        else:
            parent = by_id.get(c.parent_id or "")
            pk = keys.get(parent.id) if parent is not None else None
            keys[c.id] = f"{pk}/{n}" if pk else n
    return keys
