"""Check boxes that chi_sim has no good reading for: ■ comes out as 国 and □ as 口 (tender forms tick ■是□否,
■不组织□组织; r05, r10, r24). Mapping every 口 or 国 back would break 出口, 中国, 口径. So ■ is decided from the glyph
(a filled square is almost all ink where 国 is a third), and □ from where it stands: 口 opening a line or following
a colon, a comma or a full stop, and not the start of a word that begins with 口 (口径, 口头, 口岸…), is the box of a
choice — tesseract's own words are the text layer's 「□不允许□允许」 with the boxes read as 口.
"""
from __future__ import annotations

import re

FILLED = 0.75  # ink share of a character's central area: ■ measures 0.95–1.0 at 150–300 dpi, 国 0.25–0.45
INK = 160  # grey level under which a pixel is ink
_FILLED_READS = "国图回"


def fix_filled_boxes(lines: list, image) -> None:
    """Every 国, 图 or 回 of tesseract's words (ocr.Word, pixel boxes of `image`) whose glyph is a filled square
    becomes ■ (chi_sim's readings of ■ on r05, r10, r24)."""
    for words in lines:
        for w in words:
            if any(ch in _FILLED_READS for ch in w.text):
                w.text = "".join("■" if ch in _FILLED_READS and _filled(image, w, k) else ch
                                 for k, ch in enumerate(w.text))


def _filled(image, word, k: int) -> bool:
    """Whether the k-th character of the word is a filled square. tesseract gives a box per word, sometimes wider
    than its ink (r19's ■ in a 53-pixel box, 25 pixels of it ink); CJK characters are as wide as they are high, so
    the word's width split evenly by its characters places each closely enough, and within that place the ink's own
    extent is found: its central half is all ink only for ■."""
    n = len(word.text)
    step = (word.right - word.left) / n
    place = (round(word.left + step * k), word.top, round(word.left + step * (k + 1)), word.bottom)
    if place[2] - place[0] < 4 or place[3] - place[1] < 4:
        return False
    ink = image.crop(place).point(lambda v: 255 if v < INK else 0)
    ink = ink.crop(_widest_run(ink))  # the box may take in a piece of the next character (r19: ■ and 其's left)
    extent = ink.getbbox()
    if extent is None:
        return False
    x0, y0, x1, y1 = extent
    if min(x1 - x0, y1 - y0) < 4:
        return False  # a speck or a rule, no square
    qx, qy = (x1 - x0) / 4, (y1 - y0) / 4
    core = ink.crop((round(x0 + qx), round(y0 + qy), round(x1 - qx), round(y1 - qy)))
    return sum(core.histogram()[255:]) >= FILLED * core.width * core.height


def _widest_run(ink) -> tuple:
    """The box of the widest run of columns with ink: one glyph of what the crop holds."""
    from PIL import Image

    columns = ink.resize((ink.width, 1), Image.BOX).tobytes()
    best, start = (0, 0), None
    for x, v in enumerate(list(columns) + [0]):
        if v and start is None:
            start = x
        elif not v and start is not None:
            best = max(best, (x - start, start))
            start = None
    return (best[1], 0, best[1] + best[0], ink.height)


# Words that begin with 口: a 口 before these characters is the word, not a box.
_KOU_WORDS = "岸径头罩腔碑令号味语气述试吻音红服才齿感粮腹角供诀"
_OPEN_BOX = re.compile(r"(?<=[\s:：,，、。;；.)）/／])口(?=[\u4e00-\u9fff■□])(?![" + _KOU_WORDS + "])")
# At a line's start 口 may end a word wrapped from the line before (出|口, 接|口): there only before the words a
# choice begins with (□是, □不组织, □本项目, □货物…).
_LINE_BOX = re.compile(r"^口(?=[是否有无不允需本货服工项专其采适接同非现整分按自组召面])")
# Characters that end a word with 口 (出口, 接口, 人口, 窗口…): a 口 after them is the word.
_KOU_ENDS = "出入进接人窗端开港关户门路缺胃借切河山海渡井闸道"
_CHOICE = 6  # characters after a box that can still be the same choice (■不组织, □不需要)


# A ticked box ☑ (Wingdings, as Word inserts it; r05) has no reading in chi_sim: it comes out as 四, 加 or 图. Where
# it opens a line or follows punctuation and a choice's words follow, it is the box (「四不允许」; 「四是」 counts a
# list, so 是 is no such word).
_TICKED = re.compile(r"(?:^|(?<=[\s:：,，、。;；/／]))[四加图团](?=不?(?:接受|允许|召开|组织|需要|提交|适用|采用)|否)")


def fix_open_boxes(text: str) -> str:
    """口 where a choice's box stands → □: opening the line or after punctuation (_OPEN_BOX), or a few characters
    after another box of the same line (「□是口否」, 「■不组织口组织」); a ticked box read as a character → ☑."""
    text = _TICKED.sub("☑", _LINE_BOX.sub("□", _OPEN_BOX.sub("□", text)))
    chars = list(text)
    for i, ch in enumerate(chars):
        if ch != "口" or i == 0 or i + 1 >= len(chars):
            continue
        after, before = chars[i + 1], chars[i - 1]
        if after in _KOU_WORDS or before in _KOU_ENDS or not "\u4e00" <= after <= "\u9fff":
            continue
        recent = chars[max(0, i - _CHOICE - 1):i]
        if any(c in "■□" for c in recent) and all("\u4e00" <= c <= "\u9fff" or c in "■□" for c in
                                                   chars[max(0, i - _CHOICE - 1):i][-_CHOICE:]):
            chars[i] = "□"
    return "".join(chars)


# Signs in scoring formulas and ranges that chi_sim reads as letters or CJK (r02, r05 评分标准):
# × as X/x between numbers or a bracket (「100X(1-…)」); 一 (one) between two numbers, which as "one" never stands
# there: a date's hyphen (2024一12一11) or a range's tilde (3一5分); $ that no US/HK precedes (a 5 in 「$分」).
_TIMES = re.compile(r"(?<=[\d)）%])\s?[xX]\s?(?=[\d(（])")
_DATE_DASH = re.compile(r"(?<!\d)(\d{4})一(\d{1,2})一(\d{1,2})(?!\d)")
_RANGE = re.compile(r"(?<=(?<!\d)\d)一(?=\d)|(?<=(?<!\d)\d\d)一(?=\d)")
_DOLLAR = re.compile(r"(?<![A-Za-z$])\$(?=[\d分个项%.])|(?<=\d)\$")


def fix_signs(text: str) -> str:
    text = _DATE_DASH.sub(r"\1-\2-\3", text)
    text = _RANGE.sub("~", text)
    return _DOLLAR.sub("5", _TIMES.sub("×", text))
