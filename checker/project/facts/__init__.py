"""Cross-document facts, one module per fact family. Each family declares the facts it provides (`PROVIDES`: fact
name → the groups of document types it needs; any one type of a group will do, and a fact missing because a group has
no document in the dossier is reported as `缺少X，无法检查`) and derives them (`derive(dossier, ctx, pf)`). A project
rule may name only facts some family provides: the loader refuses any other (`check_pack_facts`).

Each fact names the documents it comes from (`Evidence`), so a finding can say `中标通知书 2026-04-20 → 合同
2026-06-02 = 43日`. A fact that cannot be derived leaves a reason (`missing`): the document that is not in the
dossier, or what its text does not say. A new fact is one function in the family it belongs to plus its name in that
family's PROVIDES.
"""
from __future__ import annotations

from ...errors import RulePackError
from ..dossier import Dossier
from . import award, clarifications, contract, evaluation, keydates, publicity, refunds, registration, tender
from .base import Context, ProjectFacts, money  # noqa: F401 (re-exported)

# In the order they run: key dates first (every period is measured between them), then stage by stage.
FAMILIES = (keydates, registration, tender, clarifications, evaluation, publicity, award, contract, refunds)

SOURCES: dict[str, list[list[str]]] = {}
for _family in FAMILIES:
    for _name, _groups in _family.PROVIDES.items():
        if _name in SOURCES:
            raise RuntimeError(f"fact {_name} provided by two families")  # a programming error, caught by any test
        SOURCES[_name] = _groups


def derive(dossier: Dossier, ctx: Context) -> ProjectFacts:
    pf = ProjectFacts()
    for family in FAMILIES:
        family.derive(dossier, ctx, pf)
    pf.timeline.sort(key=lambda e: (e.date[:10], e.stage, e.date))
    return pf


def provided() -> dict[str, str]:
    """Every fact name a family provides → the family's module name."""
    return {name: family.__name__.rsplit(".", 1)[1] for family in FAMILIES for name in family.PROVIDES}


def check_pack_facts(pack) -> None:
    """A compare rule naming a fact no family provides is refused at load, with the rule and the fact."""
    for rule in pack.rules:
        for cmp in rule.compare or []:
            for ref in cmp.facts.values():
                for name in ref.names:
                    if name not in SOURCES:
                        raise RulePackError(f"规则 {rule.id} 引用的事实「{name}」没有事实模块提供"
                                            f"（checker/project/facts/）", pack.files.get(rule.id, ""))
