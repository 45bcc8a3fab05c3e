"""Token-level diff of a document clause against its model clause, each change classified.

Both clauses are tokenised with jieba (domain dictionary loaded, checker.tokenize) and compared with
difflib.SequenceMatcher over the tokens. Each changed stretch is

* `substantive` — it touches a number (digits, Chinese numerals, 大写), a period or unit (日/天/工作日/%/元 …), a
  modal or negation word (不得/应当/应/可以/必须/须/不予/可/不 …), a comparison (以上/不少于/前/后/内 …) or a party
  (招标人/投标人/发包人/承包人/评标委员会 …);
* `cosmetic` — only punctuation, whitespace, full-/half-width forms, 的/了, a blank of the model filled in, the same
  number written another way (十五 / 15) or the 招标人/发包人 synonym (rule-catalogue §4.3);
* `wording` — any other change of words.

Segments are shown in the text as written (the normalised text is mapped back), so a report can print them side by
side.
"""
from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from typing import Optional

from ..findings import DiffSegment
from ..normalize import matching_map
from ..tokenize import tokens
from .layout import cn_number

_CN_NUM = "零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟"
_NUMERIC = re.compile(rf"\d|^(百分之|千分之)?[{_CN_NUM}]+(点[{_CN_NUM}]+)?(日|天|个|月|年|周|倍|次|名|家|份|分|元|万元|项|人)?$")
UNITS = {"日", "天", "工作日", "日历天", "个工作日", "小时", "个月", "月", "年", "周", "%", "‰", "元", "万元", "亿元",
         "倍", "次", "份", "家", "名", "分", "百分点", "日内", "天内"}
MODALS = {"不得", "应当", "应", "可以", "必须", "须", "不予", "可", "不", "不应", "不必", "无须", "无需", "禁止", "严禁",
          "允许", "不允许", "不能", "能", "只能", "仅", "方可", "有权", "无权", "视为", "予以", "未", "无", "非", "除外",
          "不再", "应予", "需", "需要", "不宜", "宜", "免除", "否决", "拒绝", "拒收", "无效", "有效", "或", "或者",
          "并且", "且", "但", "但是", "除", "均", "全部", "任何", "所有"}
COMPARATORS = {"以上", "以下", "以内", "超过", "不少于", "不超过", "不低于", "不高于", "高于", "低于", "少于", "多于",
               "至少", "最多", "最少", "前", "后", "内", "之前", "之后", "以前", "以后", "届满", "起", "之日起", "日起",
               "同时", "及时", "立即"}
PARTIES = ("招标人", "投标人", "发包人", "承包人", "评标委员会", "监理人", "中标人", "中标候选人", "招标代理机构",
           "申请人", "审查委员会", "分包人", "联合体", "行政监督部门", "监督部门", "代理机构", "供应商", "采购人")
COSMETIC_WORDS = {"的", "了"}
SOFT_CONJUNCTIONS = {"和", "及", "与", "以及"}  # 甲、乙和丙 = 甲、乙、丙: a conjunction swapped for an enumeration comma
SYNONYMS = {"发包人": "招标人"}  # rule-catalogue §4.3: the 须知 says 招标人 where the 合同条款 say 发包人
_BLANK = re.compile(r"^[_＿\s\u3000()（）【】\[\]□/／]*$")


def _is_punct(tok: str) -> bool:
    return all(unicodedata.category(ch)[0] in "PZSC" and ch not in "%‰¥$<>=≤≥" for ch in tok)


def _cosmetic_token(tok: str) -> bool:
    return not tok.strip() or _is_punct(tok) or tok in COSMETIC_WORDS


def is_substantive_token(tok: str) -> bool:
    if _NUMERIC.search(tok) or tok in UNITS or tok in MODALS or tok in COMPARATORS:
        return True
    if tok.startswith(("工作日", "日历天")) or tok.endswith(("工作日", "日历天")):
        return True
    return any(p in tok for p in PARTIES)


def _as_number(text: str) -> Optional[float]:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        n = cn_number(text)
        return float(n) if n is not None else None


def classify(a_toks: list[str], b_toks: list[str]) -> str:
    """substantive / wording / cosmetic for one changed stretch (template tokens → document tokens)."""
    a = [t for t in a_toks if not _cosmetic_token(t)]
    b = [t for t in b_toks if not _cosmetic_token(t)]
    ja, jb = "".join(a), "".join(b)
    if ja == jb:
        return "cosmetic"
    for x, y, y_raw in ((a, b, b_toks), (b, a, a_toks)):
        if not y and x and all(t in SOFT_CONJUNCTIONS for t in x) and any(t in ("、", ",", "，") for t in y_raw):
            return "cosmetic"
    if _BLANK.match("".join(a_toks)) and re.search(r"[_＿]|\(\)|（）|【】|□", "".join(a_toks)):
        return "cosmetic"  # a blank of the model, filled in
    if "".join(SYNONYMS.get(t, t) for t in a) == "".join(SYNONYMS.get(t, t) for t in b):
        return "cosmetic"
    na, nb = _as_number(ja), _as_number(jb)
    if na is not None and na == nb:
        return "cosmetic"
    if any(is_substantive_token(t) for t in a + b):
        return "substantive"
    return "wording"


def _display_spans(text: str, norm: str, toks: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Where each token of `norm` lies in the display text: the spans partition `text`, each token taking the
    characters the normaliser dropped after it (spaces, line breaks). Falls back to `norm` when they do not map."""
    starts, pos = [], 0
    for tok in toks:
        starts.append(pos)
        pos += len(tok)
    mapped, where = matching_map(text)
    if mapped != norm or pos != len(norm):
        return norm, [(s, s + len(t)) for s, t in zip(starts, toks)]
    bounds = [0] + [where[s] for s in starts[1:]] + [len(text)]
    return text, [(bounds[k], bounds[k + 1]) for k in range(len(toks))]


def token_diff(t_text: str, t_norm: str, d_text: str, d_norm: str) -> list[DiffSegment]:
    """The diff of the template clause against the document clause: equal and changed segments in order."""
    ta, tb = tokens(t_norm), tokens(d_norm)
    src_a, sa = _display_spans(t_text, t_norm, ta)
    src_b, sb = _display_spans(d_text, d_norm, tb)

    def piece(src: str, spans: list[tuple[int, int]], lo: int, hi: int) -> str:
        return src[spans[lo][0]:spans[hi - 1][1]] if lo < hi else ""

    segments: list[DiffSegment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        a, b = piece(src_a, sa, i1, i2), piece(src_b, sb, j1, j2)
        kind = "equal" if tag == "equal" else classify(ta[i1:i2], tb[j1:j2])
        segments.append(DiffSegment(op=tag, template=a, document=b, kind=kind))
    return segments


def worst_kind(segments: list[DiffSegment]) -> str:
    kinds = {s.kind for s in segments}
    for k in ("substantive", "wording", "cosmetic"):
        if k in kinds:
            return k
    return "equal"


def summary(segments: list[DiffSegment], kinds: tuple[str, ...] = ("substantive", "wording")) -> str:
    """`「15」→「10」；删除「不」` — the reported changes, for one line of a report."""
    parts = []
    for s in segments:
        if s.kind not in kinds:
            continue
        if s.op == "insert":
            parts.append(f"增加「{s.document}」")
        elif s.op == "delete":
            parts.append(f"删除「{s.template}」")
        else:
            parts.append(f"「{s.template}」→「{s.document}」")
    return "；".join(parts)


def render_inline(segments: list[DiffSegment], context: int = 12) -> str:
    """One-line rendering for plain-text reports: `…截止时间[-15-]{+10+}天前…` (cosmetic changes shown as the
    document has them, long equal stretches shortened to `context` characters either side)."""
    out = []
    for k, s in enumerate(segments):
        if s.kind in ("equal", "cosmetic"):
            text = s.document
            if s.kind == "equal" and len(text) > 2 * context:
                head = text[:context] if k > 0 else ""
                tail = text[-context:] if k < len(segments) - 1 else ""
                text = f"{head}…{tail}" if (head or tail) else "…"
            out.append(text)
        else:
            if s.template:
                out.append(f"[-{s.template}-]")
            if s.document:
                out.append(f"{{+{s.document}+}}")
    return "".join(out)
