"""Key dates: when each document was issued, published, signed or determined (the manifest's record first, else the
text's cue, else the date under its signature), and the deadline the tender documents set or a clarification moves.
The other families measure their periods between these dates; no rule reads them directly."""
from __future__ import annotations

import re
from typing import Optional

from ..dossier import Dossier, DossierDoc, KeyDate
from ..extract import Found
from .base import d2s, typed

PROVIDES: dict[str, list[list[str]]] = {}

_KEYS_BY_TYPE = {
    # key: (manifest date names, lexicon names in order, use the 落款 date)
    "澄清修改": {"issued": (("issued",), ("澄清发出", "发出日期", "发布日期"), True)},
    "中标通知书": {"issued": (("issued",), ("发出日期", "发布日期"), True)},
    "招标公告": {"issued": (("issued",), ("发布日期",), True)},
    "资格预审公告": {"issued": (("issued",), ("发布日期",), True)},
    "中标结果公告": {"issued": (("issued",), ("发布日期",), True),
                  "determined": (("determined",), ("确定日期",), False)},
    "中标候选人公示": {"issued": (("issued", "publicity_start"), ("发布日期", "公示开始"), True),
                   "publicity_start": (("publicity_start",), ("公示开始",), False),
                   "publicity_end": (("publicity_end",), ("公示结束",), False)},
    "评标报告": {"report": (("report", "issued"), ("评标报告日期",), True),
             "determined": (("determined",), ("确定日期",), False)},
    "合同": {"signed": (("signed",), ("合同签订日期",), True)},
    "合同公告": {"published": (("published", "issued"), ("发布日期",), True),
             "signed": (("signed",), ("合同签订日期",), False)},
}
_KEY_LABEL = {"issued": "发出（发布）日期", "determined": "中标人确定日期", "publicity_start": "公示开始日期",
              "publicity_end": "公示结束日期", "report": "评标报告日期", "signed": "合同签订日期",
              "published": "合同公告发布日期"}


def settle_dates(d: DossierDoc) -> None:
    """The key dates of a document: the manifest's, else the text's cue, else its 落款 date."""
    spec = _KEYS_BY_TYPE.get(d.doc_type, {})
    given = d.entry.dates if d.entry is not None else {}
    for key, (manifest_names, lexicon, closing) in spec.items():
        when = next((given[n] for n in manifest_names if n in given), None)
        if when is not None:
            d.keys[key] = KeyDate(when, d.evidence(_KEY_LABEL[key], d2s(when), excerpt="（清单记录）"))
            continue
        found = _from_text(d, key, lexicon, closing) if d.data is not None else None
        if found is not None and found.when is not None:
            d.keys[key] = KeyDate(found.when, d.evidence(_KEY_LABEL[key], d2s(found.when), found.clause))
    for name in ("refund", "deadline"):
        if name in given:
            d.keys[name] = KeyDate(given[name], d.evidence("投标截止时间" if name == "deadline" else "保证金退还日期",
                                                           d2s(given[name]), excerpt="（清单记录）"))


def _from_text(d: DossierDoc, key: str, lexicon: tuple[str, ...], closing: bool) -> Optional[Found]:
    found: Optional[Found] = None
    for name in lexicon:
        found = next((f for f in d.data.found if f.name == name and f.value.kind == "date" and f.when), None)
        if found:
            return found
    if key == "determined" and d.data.determined is not None:
        return d.data.determined
    if key == "signed" and d.doc_type == "合同" and d.data.closing is not None:
        # a contract signed on the date under the parties' signatures: the last date of the document
        return d.data.closing
    return d.data.closing if closing else None


def original_deadline(dossier: Dossier, pq: bool = False) -> Optional[KeyDate]:
    """The deadline the tender documents set: the latest the 招标文件 states (else the notice's)."""
    name = "资格预审申请截止" if pq else "投标截止"
    types = ("资格预审文件", "资格预审公告") if pq else ("招标文件", "招标公告")
    for t in types:
        for d in dossier.of_type(t):
            facts = [f for f in typed(d, name, "date") if f.when]
            if facts:
                f = max(facts, key=lambda f: f.when)
                return KeyDate(f.when, d.evidence(name, d2s(f.when), d.clause(f.clause_id)))
    return None


def new_deadline(d: DossierDoc, pq: bool) -> Optional[KeyDate]:
    """A clarification that moves the deadline (顺延至 …): the new deadline."""
    if "deadline" in d.keys:
        return d.keys["deadline"]
    if d.data is None:
        return None
    want = r"申请截止|申请文件" if pq else r"投标截止|开标时间|递交截止|投标文件的?截止|截止时间"
    for f in d.data.found:
        if f.name == "新截止" and f.when and re.search(want, f.sentence) and not re.search(
                r"(截止|开标)时间[^,;。]{0,6}(不变|不作调整|不顺延|不予顺延)", f.sentence):
            if not pq and re.search(r"申请截止", f.sentence):
                continue
            return KeyDate(f.when, d.evidence("顺延后的截止时间", d2s(f.when), f.clause, f.sentence))
    return None


def derive(dossier: Dossier, ctx, pf) -> None:
    for d in dossier.docs:
        if d.readable:
            settle_dates(d)
