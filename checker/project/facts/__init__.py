"""Cross-document facts, one module per fact family; each declares the facts it provides (`PROVIDES`: fact name →
the groups of document types it needs). A project rule may only name facts some family provides: the loader
refuses any other (`check_pack_facts`)."""
from __future__ import annotations

from ...errors import RulePackError


def provided() -> dict[str, list[list[str]]]:
    """Every fact name a family provides, with the documents it needs."""
    from ..derive import SOURCES

    return dict(SOURCES)


def check_pack_facts(pack) -> None:
    """A compare rule naming a fact no family provides is refused at load, with the rule and the fact."""
    known = provided()
    for rule in pack.rules:
        for cmp in rule.compare or []:
            for ref in cmp.facts.values():
                for name in ref.names:
                    if name not in known:
                        raise RulePackError(f"规则 {rule.id} 引用的事实「{name}」没有事实模块提供"
                                            f"（checker/project/facts/）", pack.files.get(rule.id, ""))
