"""Are two written names the same legal entity? Compared after normalising what varies in how notices print a name,
with evidence of how sure the match is.

A winner printed `甲建设集团有限公司` in the 中标通知书 and `甲建设集团` in the 评标报告 is one bidder; a string
comparison made it "中标人不在候选人中" (a false 违法). What varies without changing the entity: full/half-width
brackets and spacing, the organisational-form suffix (有限公司 / 有限责任公司 / 股份有限公司 / 集团 / 集团有限公司),
a stamp note (（盖章）). What does change it: a branch (（某分公司）, 某某分公司) is a different entity from its
head office, and any difference in the distinctive part of the name.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

# Longest first: 集团股份有限公司 before 股份有限公司 before 有限公司.
_FORMS = ["集团股份有限公司", "集团有限责任公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司", "集团公司",
          "股份公司", "集团", "公司"]
_STAMP = re.compile(r"\((?:盖章|盖单位章|公章|签章|盖公章)\)$")
_BRANCH = re.compile(r"(?:\(([^()]{1,20}?分公司)\)|([\u4e00-\u9fff]{1,20}?分公司))$")


@dataclass(frozen=True)
class NameMatch:
    same: bool
    level: str  # 完全一致 / 规范化后一致 / 组织形式不同 / 分支机构不同 / 不一致
    evidence: str  # how the two were compared, for the reviewer

    def __bool__(self) -> bool:
        return self.same


def normalise(name: str) -> str:
    """NFKC (full-width brackets and letters folded), no whitespace, no stamp note, no trailing punctuation."""
    n = unicodedata.normalize("NFKC", name or "")
    n = re.sub(r"\s+", "", n).strip(":：,，。;；")
    n = re.sub(r"^(?:名称|单位名称|中标人|中标单位|中标供应商|成交供应商|致)[:：]", "", n)
    return _STAMP.sub("", n)


def split(name: str) -> tuple[str, str, str]:
    """(distinctive part, organisational form, branch): 甲建设集团有限公司（城东分公司） → (甲建设, 集团有限公司,
    城东分公司)."""
    n = normalise(name)
    branch = ""
    m = _BRANCH.search(n)
    if m:
        branch = m.group(1) or m.group(2)
        n = n[:m.start()]
        n = re.sub(r"\($", "", n)
    form = next((f for f in _FORMS if n.endswith(f) and len(n) > len(f) + 1), "")
    core = n[:len(n) - len(form)] if form else n
    return core, form, branch


def match(a: str, b: str) -> NameMatch:
    """Same entity? `level` says how sure: 完全一致 and 规范化后一致 are certain; 组织形式不同 (甲建设集团 vs
    甲建设集团有限公司) is the same registered name written short, the usual case in notices, and counts as the
    same; a different branch or a different distinctive part is not the same entity."""
    if not a or not b:
        return NameMatch(False, "不一致", "缺少名称")
    if a == b:
        return NameMatch(True, "完全一致", f"{a} = {b}")
    na, nb = normalise(a), normalise(b)
    if na == nb:
        return NameMatch(True, "规范化后一致", f"{a} ≈ {b}（全半角括号、空格、盖章字样不计）")
    (ca, fa, ba), (cb, fb, bb) = split(a), split(b)
    if ba != bb:
        return NameMatch(False, "分支机构不同", f"{a} ≠ {b}（分支机构{ba or '无'}／{bb or '无'}，不是同一主体）")
    if ca == cb and ca:
        return NameMatch(True, "组织形式不同", f"{a} ≈ {b}（名称主体“{ca}”一致，组织形式“{fa or '未写'}”／“{fb or '未写'}”）")
    # 集团 is part of the distinctive name in one spelling and of the form in the other (甲建设集团 / 甲建设集团有限公司)
    for x, y in ((na, nb), (nb, na)):
        for f in _FORMS:
            if y == x + f and len(x) >= 4:
                return NameMatch(True, "组织形式不同", f"{a} ≈ {b}（只差组织形式“{f}”）")
    return NameMatch(False, "不一致", f"{a} ≠ {b}")


def find(name: str, names: list[str]) -> Optional[tuple[int, NameMatch]]:
    """The first of `names` that is the same entity as `name`, preferring the surest match."""
    order = ["完全一致", "规范化后一致", "组织形式不同"]
    best: Optional[tuple[int, NameMatch]] = None
    for i, other in enumerate(names):
        m = match(name, other)
        if m.same and (best is None or order.index(m.level) < order.index(best[1].level)):
            best = (i, m)
    return best
