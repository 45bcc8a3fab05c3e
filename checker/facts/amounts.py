"""Money, percentages, durations and counts (steps 4 of checker/facts/values.py): their patterns and scanners, with
ranges (50万元至80万元, 10%-20%, 3-5个工作日) and a 大写 amount followed by its 小写 merged into one value."""
from __future__ import annotations

import re
from typing import Optional

from .numerals import _Scan
from .numerals import (_CN_D, _CN_DEC, _CN_START, _CN_U, _CONN, _D1_NB, _NB, _NUM, _NUM_REST, _arabic, _cn, _lead,
                       _money)

# --- 4. money -------------------------------------------------------------------------------------------------------
_MUL = r"(?:[十百千]?万亿|[十百千]?万|[十百千]?亿|[十百千])"
_CUR = r"(?:(?:人民币|rmb|cny)(?:\((?:大写|小写)(?:金额)?\))?:?)"
_NOT_AFTER_WAN = "人平吨册字千瓦立公亩户次套件台辆张份个株棵余多kmgt米方"
_YUAN = r"(?:元(?:整|正)?)"
_CN1 = _lead(_CN_START, _CN_D + _CN_U + "第亿点")  # the first character of a Chinese numeral
_CN_AMOUNT = rf"(?P<cn>{_CN1}[{_CN_D}{_CN_U}亿]*(?:元|圆)(?:[{_CN_D}{_CN_U}]角)?(?:[{_CN_D}{_CN_U}]分)?)(?:整|正)?"
_FIG_AMOUNT = rf"(?P<n>{_NUM})(?P<mul>{_MUL})?{_YUAN}?(?!\d)"
# Each opens with a character class or literal (see `_lead`); where two overlap the one that starts first is kept.
_MONEY = [
    # 人民币100万元 / 人民币¥100,000.00 / 人民币(大写)壹拾万元整
    re.compile(rf"{_CUR}(?:¥:?{_FIG_AMOUNT}"
               rf"|(?P<n2>{_NUM})(?:(?P<mul2>{_MUL})?{_YUAN}|(?P<wan>[十百千]?万|[十百千]?亿)(?![{_NOT_AFTER_WAN}]))"
               rf"|{_CN_AMOUNT})"),
    # ¥1,500,000.00
    re.compile(rf"¥:?{_FIG_AMOUNT}"),
    # 100万元 / 1,000,000.00元 / 0.3亿元 / 3000万
    re.compile(rf"(?P<n2>{_D1_NB}{_NUM_REST})(?:(?P<mul2>{_MUL})?{_YUAN}"
               rf"|(?P<wan>[十百千]?万|[十百千]?亿)(?![{_NOT_AFTER_WAN}]))"),
    # 壹佰万元整 / 伍万元 / 十万元 / 贰拾叁万肆仟伍佰陆拾柒元捌角玖分
    re.compile(_CN_AMOUNT),
]
_CONN_RE = re.compile(_CONN)
_UNIT_MUL = re.compile(rf"\d({_MUL})")
_PAIR_OPEN = re.compile(r"\((?:(?:大写|小写)(?:金额)?(?:为)?:?)?")  # between 大写 and its 小写: `(` / `(小写:`
_RANGE_LOW = re.compile(rf"{_NB}(?P<n>{_NUM})(?P<m>{_MUL})?(?P<conn>{_CONN})$")
_CONN_LAST = frozenset("至到~〜-–—―－")


def _range_low(masked: str, end: int) -> Optional[re.Match]:
    """The bare low end of a range just before `end`: `50至` in 50至80万元, `3-` in 3-5个工作日."""
    if end == 0 or masked[end - 1] not in _CONN_LAST:
        return None
    return _RANGE_LOW.search(masked, max(0, end - 30), end)


# --- 5. percentages -------------------------------------------------------------------------------------------------
_PERCENT = [
    re.compile(rf"(?P<n>{_D1_NB}{_NUM_REST})(?P<u>%|‰|个百分点)"),  # 2% / 3‰ / 1个百分点
    re.compile(rf"(?P<k>[百千])分之(?:(?P<an>{_NUM})|(?P<cn>{_CN_DEC}))"),  # 百分之二 / 千分之一 / 百分之2.5
]


# --- 6. durations and counts ----------------------------------------------------------------------------------------
_UNITS = {
    "个工作日": "工作日", "工作日": "工作日",
    "个日历天": "日历天", "日历天": "日历天", "个日历日": "日历天", "日历日": "日历天",
    "个自然日": "日历天", "自然日": "日历天", "自然天": "日历天",
    "天": "日", "日": "日",
    "个月": "月", "年": "年",
    "个小时": "小时", "小时": "小时", "个钟头": "小时",
    "分钟": "分钟",
    "个星期": "周", "周": "周",
    "个人": "人", "人次": "人次", "人": "人", "名": "名", "个": "个", "项": "项", "家": "家", "分": "分",
}
_COUNT_UNITS = {"个", "人", "人次", "项", "家", "分", "名"}
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
# lookaheads keep 3人民币, 2项目, 百分之, 5周岁 and 3日期 out
_UNIT_TAIL = r"(?!(?<=人)民|(?<=项)目|(?<=分)之|(?<=周)岁|(?<=周)年|(?<=日)期|(?<=年)[度级龄]|(?<=名)[称单次])"
_QUANTITY = re.compile(rf"(?P<n>{_D1_NB}{_NUM_REST})(?P<u>{_UNIT_ALT}){_UNIT_TAIL}")
_CN_QUANTITY = re.compile(
    rf"(?P<cn>{_CN1}[{_CN_D}{_CN_U}]*(?:点[{_CN_D}]+)?)(?P<u>{_UNIT_ALT}){_UNIT_TAIL}")
_CN_NOT_UNITS = {"分", "个"}  # 十分重要, 一个: a lower-case numeral before 分/个 is rarely a count


# --------------------------------------------------------------------------------------------------------------------
# Money, percentages, quantities
# --------------------------------------------------------------------------------------------------------------------

def _matches(text: str, patterns: list[re.Pattern]) -> list[re.Match]:
    """The matches of several patterns, in text order; of two that overlap, the one that starts first (then the
    longer) is kept."""
    found = sorted((m for rx in patterns for m in rx.finditer(text)), key=lambda m: (m.start(), -m.end()))
    out: list[re.Match] = []
    for m in found:
        if not out or m.start() >= out[-1].end():
            out.append(m)
    return out


def _scan_money(sc: _Scan) -> None:
    found: list[tuple[int, int, float, bool]] = []  # start, end, value, written in figures
    for m in _matches(sc.masked, _MONEY):
        g = m.groupdict()
        if g.get("n") is not None:
            v, figures = _arabic(g["n"], g.get("mul")), True
        elif g.get("n2") is not None:
            v, figures = _arabic(g["n2"], g.get("mul2") or g.get("wan")), True
        else:
            cn = _cn(g["cn"])
            if cn is None:
                continue
            v, figures = cn, False
        found.append((m.start(), m.end(), _money(v), figures))
    i = 0
    text = sc.text
    while i < len(found):
        s, e, v, fig = found[i]
        # 人民币壹佰伍拾万元整(¥1,500,000.00) / 1500000元(大写:壹佰伍拾万元整): one amount written twice
        if i + 1 < len(found):
            s2, e2, v2, fig2 = found[i + 1]
            op = _PAIR_OPEN.match(text, e)
            if op and op.end() == s2 and text.startswith(")", e2) and fig != fig2 and abs(v - v2) < 0.005:
                sc.add("money", v if fig else v2, "元", s, e2 + 1)
                i += 2
                continue
            # 50万元至80万元
            gap = text[e:s2]
            if gap and _CONN_RE.fullmatch(gap) and v2 >= v:
                sc.add("money", v, "元", s, e2, high=v2)
                i += 2
                continue
        # 50至80万元 / 50-80万元: the low end borrows the unit of the high end
        low = _range_low(sc.masked, s) if fig else None
        if low:
            mul = low.group("m") or _unit_mul(text[s:e])
            lv = _money(_arabic(low.group("n"), mul))
            if lv <= v:
                sc.add("money", lv, "元", low.start(), e, high=v)
                i += 1
                continue
        sc.add("money", v, "元", s, e)
        i += 1


def _unit_mul(money_text: str) -> Optional[str]:
    """The multiplier in `80万元`: 万."""
    m = _UNIT_MUL.search(money_text)
    return m.group(1) if m else None


def _scan_percent(sc: _Scan) -> None:
    found: list[tuple[int, int, float]] = []
    for m in _matches(sc.masked, _PERCENT):
        g = m.groupdict()
        if g.get("n") is not None:
            v = float(m.group("n").replace(",", ""))
            if m.group("u") == "‰":
                v /= 10
        else:
            v = float(g["an"].replace(",", "")) if g["an"] else _cn(g["cn"])
            if v is None:
                continue
            if m.group("k") == "千":
                v /= 10
        found.append((m.start(), m.end(), round(v, 6)))
    _add_with_ranges(sc, "percent", [(s, e, v, "%") for s, e, v in found])


def _scan_quantities(sc: _Scan) -> None:
    found: list[tuple[int, int, float, str]] = []
    for m in _QUANTITY.finditer(sc.masked):
        found.append((m.start(), m.end(), float(m.group("n").replace(",", "")), _UNITS[m.group("u")]))
    for m in _CN_QUANTITY.finditer(sc.masked):
        if m.group("u") in _CN_NOT_UNITS:
            continue
        v = _cn(m.group("cn"))
        if v is not None:
            found.append((m.start(), m.end(), v, _UNITS[m.group("u")]))
    found.sort()
    _add_with_ranges(sc, None, found)


def _add_with_ranges(sc: _Scan, kind: Optional[str], found: list[tuple[int, int, float, str]]) -> None:
    """Add (start, end, value, unit) values, merging ranges: `10%-20%`, `3至5人`, and `3-5个工作日` whose low end has
    no unit of its own. `kind` None: a count or a duration, by unit."""
    text = sc.text
    i = 0
    while i < len(found):
        s, e, v, unit = found[i]
        k = kind or ("count" if unit in _COUNT_UNITS else "duration")
        if i + 1 < len(found):
            s2, e2, v2, unit2 = found[i + 1]
            gap = text[e:s2]
            if unit2 == unit and gap and _CONN_RE.fullmatch(gap) and v2 >= v:
                sc.add(k, v, unit, s, e2, high=v2)
                i += 2
                continue
        low = _range_low(sc.masked, s) if text[s].isdigit() else None
        if low and not low.group("m"):
            lv = float(low.group("n").replace(",", ""))
            if lv <= v:
                sc.add(k, lv, unit, low.start(), e, high=v)
                i += 1
                continue
        sc.add(k, v, unit, s, e)
        i += 1


