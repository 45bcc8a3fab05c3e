"""Symbol-font glyphs → Unicode.

Word inserts check boxes and math signs from the Wingdings and Symbol fonts. Their characters are stored as the font's
byte code, which PDF text layers and DOCX `w:sym` give as a private-use code point U+F0xx: 「\\uf0fe不接受 \\uf0a8接受」
cannot be read by a rule, and the same code means different glyphs in different fonts (U+F0A3 is ☐ in Wingdings 2 and
≤ in Symbol). So the font decides. Check boxes come out as ☑ (checked) and ☐ (unchecked), which rules can read
as the box's state; other known glyphs as their Unicode character; unknown ones stay as they are (the page's garbage
count reports them).
"""
from __future__ import annotations

import re
from typing import Optional

SYMBOL_CODE = re.compile("[\uf020-\uf0ff]")  # a symbol font's byte code as pdfium and w:sym give it

CHECKED, UNCHECKED, CROSSED = "☑", "☐", "☒"

_WINGDINGS = {0xFE: CHECKED, 0xFD: CROSSED, 0x78: CROSSED, 0xA8: UNCHECKED, 0x6F: UNCHECKED, 0x71: UNCHECKED,
              0x72: UNCHECKED, 0xFC: "✓", 0xFB: "✗", 0x9F: "•", 0x6C: "●", 0xA1: "○", 0x6E: "■", 0xA7: "▪",
              0xD8: "➢", 0xE0: "→", 0xE8: "➔", 0x76: "❖", 0xAB: "★"}
_WINGDINGS2 = {0xA3: UNCHECKED, 0xA2: UNCHECKED, 0x30: UNCHECKED, 0x52: CHECKED, 0x53: CROSSED, 0x54: CROSSED,
               0x50: "✓", 0x4F: "✗", 0x51: "✗", 0x97: "●", 0x99: "○"}
# Symbol: the ASCII digits and most punctuation are themselves; the rest is Adobe's Symbol encoding.
_SYMBOL = {0x2D: "−", 0x2A: "∗", 0xA3: "≤", 0xB3: "≥", 0xB4: "×", 0xB8: "÷", 0xB1: "±", 0xB0: "°", 0xB9: "≠",
           0xBB: "≈", 0xBC: "…", 0xD6: "√", 0xA5: "∞", 0xE5: "∑", 0xD7: "·", 0xB7: "•", 0xAE: "→", 0xAC: "←",
           0xE6: "⎛", 0xE7: "⎜", 0xE8: "⎝", 0xF6: "⎞", 0xF7: "⎟", 0xF8: "⎠", 0xE9: "⎡", 0xEA: "⎢", 0xEB: "⎣",
           0xF9: "⎤", 0xFA: "⎥", 0xFB: "⎦", 0xEC: "⎧", 0xED: "⎨", 0xEE: "⎩", 0xEF: "⎪", 0xFC: "⎫", 0xFD: "⎬",
           0xFE: "⎭", 0x61: "α", 0x62: "β", 0x67: "γ", 0x64: "δ", 0x44: "Δ", 0x6D: "μ", 0x70: "π", 0x73: "σ",
           0x53: "Σ", 0x57: "Ω", 0x77: "ω", 0x6C: "λ", 0x71: "θ", 0x66: "φ", 0xA2: "′", 0xB2: "″"}


def is_symbol_code(ch: str) -> bool:
    return 0xF020 <= ord(ch) <= 0xF0FF


def map_symbol(ch: str, font: Optional[str]) -> Optional[str]:
    """The Unicode character for private-use `ch` drawn in `font` (a PDF base font name such as
    "QJLWVE+Wingdings2" or a DOCX font name such as "Wingdings 2"); None when unknown."""
    code = ord(ch) - 0xF000 if is_symbol_code(ch) else ord(ch)
    if not 0x20 <= code <= 0xFF:
        return None
    name = (font or "").split("+")[-1].replace(" ", "").replace("-", "").lower()
    if name.startswith("wingdings2"):
        return _WINGDINGS2.get(code)
    if name.startswith("wingdings"):
        return _WINGDINGS.get(code)
    if name.startswith("symbol"):
        if code in _SYMBOL:
            return _SYMBOL[code]
        return chr(code) if chr(code) in "0123456789.,;:+=<>()[]{}/|!%#& " else None
    return None


# Boxes as documents type them: ☑ ■ √ ☒ mark the chosen option (■ is how most model texts print a ticked box), ☐ □ an
# option left open.
_BOX = re.compile(r"([☑■√☒☐□])\s*([^☑■√☒☐□\n，,；;。]*)")
_CHECKED_MARKS = frozenset("☑■√☒")


def checkbox_options(text: str) -> list[tuple[str, bool]]:
    """(option, checked) for each check box in `text`: 「☑不提交 □提交」 → [("不提交", True), ("提交", False)]. The
    option is the text after the box up to the next box or clause punctuation."""
    return [(m.group(2).strip(), m.group(1) in _CHECKED_MARKS) for m in _BOX.finditer(text) if m.group(2).strip()]
