"""YAML rules → durable-rules conditions. Facts carry rule-specific names (`RULE/alias`) so each fact is matched by
its own rule and the catch-all only (more than 64 rules on one fact makes the engine drop all matches)."""
from __future__ import annotations

from typing import Optional

from ..engine import text_rule
from .schema import Compare, Rule

_TESTS = {"gt": "$gt", "ge": "$gte", "lt": "$lt", "le": "$lte"}


def engine_name(rule_id: str, k: int) -> str:
    return f"{rule_id}#{k}"


def rule_id_of(engine_rule: str) -> str:
    return engine_rule.split("#", 1)[0]


def fact_name(rule_id: str, k: int, alias: str) -> str:
    return f"{rule_id}#{k}/{alias}"


def definitions(rules: list[Rule], params: Optional[dict] = None) -> dict[str, list[dict]]:
    params = params or {}
    out: dict[str, list[dict]] = {}
    for rule in rules:
        if rule.match:
            out[rule.id] = text_rule(rule.id)
        elif rule.compare:
            for k, cmp in enumerate(rule.compare):
                out[engine_name(rule.id, k)] = _compare(rule.id, k, cmp, params)
        elif rule.absent:
            out[engine_name(rule.id, 0)] = [
                {"d": {"$and": [{"t": "doc_end"}, {"rule": rule.id}]}},
                {"x$not": {"$and": [{"t": "present"}, {"rule": rule.id}]}},
            ]
    return out


def factor_and_const(cmp: Compare, params: dict) -> tuple[float, float]:
    """A province may be stricter (a lower performance-bond cap): a [params] value replaces the factor, or the
    constant when the rule compares with a constant alone."""
    factor, const = cmp.factor, cmp.const
    if cmp.param and cmp.param in params:
        if cmp.right:
            factor = float(params[cmp.param])
        else:
            const = float(params[cmp.param])
    return factor, const


def _compare(rule_id: str, k: int, cmp: Compare, params: dict) -> list[dict]:
    factor, const = factor_and_const(cmp, params)
    left = [{"t": "fact"}, {"name": fact_name(rule_id, k, cmp.left)}]
    if not cmp.right:
        return [{"l": {"$and": left + [{_TESTS[cmp.test]: {"value": const}}]}}]
    bound = {"$add": {"$l": {"$mul": {"$l": {"r": "value"}, "$r": factor}}, "$r": const}}
    right = {"r": {"$and": [{"t": "fact"}, {"name": fact_name(rule_id, k, cmp.right)}]}}
    # Same lot only: a per-lot bond is compared with that lot's budget (the facts stage copies a whole-project base
    # into each lot that has none of its own).
    return [right, {"l": {"$and": left + [{"lot": {"r": "lot"}}, {_TESTS[cmp.test]: {"value": bound}}]}}]


def holds(test: str, left: float, bound: float) -> bool:
    return {"gt": left > bound, "ge": left >= bound, "lt": left < bound, "le": left <= bound}[test]
