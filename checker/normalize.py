"""Text normalisation.

Two different jobs, kept apart on purpose:
- `for_matching` builds the text rules match against (full-width folded, whitespace gone). It is never shown.
- `tidy_extracted` repairs display text that an extractor damaged (PDF font switches put spaces between CJK and
  digits: `起 90 日`). Display text from DOCX is left as the author wrote it.
"""
from __future__ import annotations

import re
import unicodedata

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK punctuation and full-width forms count as CJK for spacing: nobody writes `， 5` on purpose.
_CJK_PUNCT = r"\u3000-\u303f\uff00-\uffef"
_CJKP = _CJK + _CJK_PUNCT

_WS = re.compile(r"\s+")
# Characters Word and every viewer show as nothing: all of Unicode's format characters (Cf: soft hyphen, zero-width
# space/joiners, word joiner, bidi marks, BOM, tag characters), variation selectors, the combining grapheme joiner and
# the Hangul fillers. One of them inside 国有 would otherwise split the phrase a rule looks for, invisibly: this is how
# a rigged tender would evade the checker. `tests/test_invisible.py` checks the list against unicodedata's Cf.
INVISIBLE = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180b-\u180f\u200b-\u200f\u202a-\u202e"
             "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
             "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
             "\ufe00-\ufe0f\U000e0100-\U000e01ef\u034f\u115f\u1160\u3164\uffa0")
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_DROP = re.compile(rf"[\s{INVISIBLE}]+")
_SPACE_AFTER_CJK = re.compile(rf"(?<=[{_CJKP}])[ \t\u00a0\u3000]+(?=[0-9A-Za-z%.,¥$（(])")
_SPACE_BEFORE_CJK = re.compile(rf"(?<=[0-9A-Za-z%.,)）])[ \t\u00a0\u3000]+(?=[{_CJKP}])")
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJKP}])[ \t\u00a0]+(?=[{_CJKP}])")
_LINEBREAK_CJK = re.compile(rf"(?<=[{_CJKP}])\s*\n\s*|\s*\n\s*(?=[{_CJKP}])")


# Variant characters that tender documents use interchangeably, folded one to one (so spans stay aligned): 帐户 and
# 账户, 帐号 and 账号 are the same account; a rule written with one must read the other.
_VARIANTS = str.maketrans({"帐": "账"})


def for_matching(text: str) -> str:
    """NFKC folds full-width digits/letters/punctuation (２０２６ → 2026, （ → (), circled numbers and Kangxi radicals
    that some PDF fonts emit instead of the ideograph; then all whitespace goes, since Chinese has no word spaces and
    extractors add them at random; invisible characters (INVISIBLE) go too; variant characters (_VARIANTS) fold.
    `matching_map` must do the same."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text)).casefold().translate(_VARIANTS)


def is_invisible(ch: str) -> bool:
    return _INVISIBLE.match(ch) is not None


def strip_invisible(text: str) -> str:
    """`text` without INVISIBLE characters, nothing else changed: for cue searches on display text (headings)."""
    return _INVISIBLE.sub("", text)


def tidy_extracted(text: str) -> str:
    """Remove spaces an extractor inserted next to CJK text and join lines wrapped inside CJK text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _LINEBREAK_CJK.sub("", text)
    text = text.replace("\n", " ")
    text = _SPACE_AFTER_CJK.sub("", text)
    text = _SPACE_BEFORE_CJK.sub("", text)
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return _WS.sub(" ", text).strip()


def collapse_ws(text: str) -> str:
    return _WS.sub(" ", text).strip()


_DIGITS = re.compile(r"[0-9０-９]+|[一二三四五六七八九十百零〇]+(?=页)")


def digit_shape(text: str) -> str:
    """`第 3 页 共 20 页` and `第 4 页 共 20 页` share one shape: used to spot running headers and footers."""
    return _DIGITS.sub("#", _WS.sub("", text))


def matching_map(text: str) -> tuple[str, list[int]]:
    """`for_matching(text)` built character by character, with the index in `text` that each of its characters
    came from, so a span found in normalised text can be shown in the original."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch).casefold().translate(_VARIANTS)
        for f in folded:
            if not f.isspace() and not _INVISIBLE.match(f):
                out.append(f)
                where.append(i)
    return "".join(out), where


def original_span(text: str, start: int, end: int) -> str:
    """The stretch of `text` behind the normalised span [start, end)."""
    norm, where = matching_map(text)
    if not (0 <= start < end <= len(where)):
        return norm[start:end]
    return text[where[start]:where[end - 1] + 1]


# A sentence ends at 。；！？ (and their half-width forms, which NFKC folds ；！？ to) or a line break: rules match
# inside one sentence, and facts are read sentence by sentence the same way.
SENTENCE_END = re.compile(r"[。；;！!？?\n]+")


def sentences(norm_text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(norm_text) if s]
