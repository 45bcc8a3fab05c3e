"""Clarifications (澄清修改): from each clarification to the deadline in force after it (顺延 recognised), 15 days
before the bid deadline or 3 before the prequalification deadline (招标投标法第二十三条, 实施条例第二十一条,
政采条例第三十一条). A clarification that does not say whether it affects the preparation of bids caps the severity."""
from __future__ import annotations

import re

from ...facts.periods import days_between
from ...rules.schema import Severity
from ..dossier import Dossier
from .base import Context, ProjectFacts, event, period_fact
from .keydates import new_deadline, original_deadline

BID, PQ = "澄清至投标截止", "澄清至资格预审申请截止"
PROVIDES = {BID: [["澄清修改"], ["招标文件", "招标公告"]], PQ: [["澄清修改"], ["资格预审文件", "资格预审公告"]]}


def derive(dossier: Dossier, ctx: Context, pf: ProjectFacts) -> None:
    clars = dossier.of_type("澄清修改")
    if not clars:
        pf.miss_all((BID, PQ), "案卷中没有澄清修改文件（未发出澄清的，本规则无需检查）")
        return
    has_pq = bool(dossier.of_type("资格预审文件", "资格预审公告"))
    dated = []
    for d in clars:
        if "issued" not in d.keys:
            pf.notes.append(f"{d.rel}：未找到澄清发出日期")
            continue
        pq = has_pq and bool(d.data and "资格预审" in d.data.flags)
        dated.append((d.keys["issued"], d, pq))
    dated.sort(key=lambda x: x[0].when)
    for pq in (False, True):
        mine = [x for x in dated if x[2] == pq]
        if mine:
            _periods(dossier, pf, mine, pq)
        elif pq and not has_pq:
            pf.not_applicable[PQ] = "项目未进行资格预审"
        else:
            pf.miss(PQ if pq else BID, "澄清修改中未找到发出日期" if not dated else "案卷中没有针对该文件的澄清修改")
    orig = original_deadline(dossier)
    if orig is not None:
        src = next(d for d in dossier.docs if d.rel == orig.evidence.path)
        event(pf, orig.when, "投标截止（原定）", src)


def _periods(dossier: Dossier, pf: ProjectFacts, mine: list, pq: bool) -> None:
    """Each clarification → the deadline in force after the last one that moved it."""
    name = PQ if pq else BID
    current = original_deadline(dossier, pq)
    moved_by = None
    for issued, d, _ in mine:
        new = new_deadline(d, pq)
        if new is not None:
            current, moved_by = new, d
    if current is None:
        pf.miss(name, ("资格预审文件中未找到申请截止时间" if pq else "招标文件（招标公告）中未找到投标截止时间"))
        return
    deadline_label = ("资格预审申请截止" if pq else "投标截止")
    deadline_label += f"（{moved_by.rel} 顺延）" if moved_by is not None else "（未顺延）"
    for issued, d, _ in mine:
        raw = days_between(issued.day, current.day)
        cap, note = _affects_preparation(d)
        pf.add(period_fact(name, issued, current, float(raw), float(raw), "日", f"澄清修改（{d.rel}）",
                           deadline_label, note=note, stage=d.stage, severity_cap=cap))
        number = re.search(r"第[0-9一二三四五六七八九十]+号", d.title or "")
        event(pf, issued.when, "澄清修改发出" + (f"（{number.group(0)}）" if number else ""), d)
    if moved_by is not None:
        event(pf, current.when, "顺延后的" + ("申请截止" if pq else "投标截止"), moved_by)


def _affects_preparation(d) -> tuple:
    """(severity cap, note): only a clarification that affects the preparation of bids must keep the period; one
    that says it does not, or does not say, is reported at a lower level for a reviewer to confirm."""
    flags = d.data.flags if d.data else {}
    if "影响编制" in flags:
        return None, ""
    if "不影响编制" in flags:
        return Severity.info, flags["不影响编制"] + "，似不影响投标文件编制，请核实"
    return Severity.warning, "未能识别澄清内容是否影响投标文件编制，请核实"
