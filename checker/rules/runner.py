"""One rule runner for the document pack and the project pack.

* `not_applicable` / `unsettled`: whether a rule applies to what is being checked (regime, document type, validity
  dates, procedure, detailed regime, procurement kind, eligible compare alternatives) — decided here only, for a
  document (`checker/pipeline.py`) and for a dossier (`checker/project/runner.py`, which knows no document type or
  date of its own and passes None for them).
* `CompareRun`: a numeric rule's facts asserted per alternative and alias, the engine run once, and each firing
  returned as a `Comparison` (rule, alternative, left and right fact), whatever the facts are: a document's typed
  values or a dossier's project facts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterator, Optional

from .compile import fact_name, rule_id_of
from .schema import Compare, Rule


@dataclass(frozen=True)
class Subject:
    """What a rule is judged on: a document's classification, or a project's context (doc_type and date None)."""

    regime: str
    procurement: Optional[str] = None
    doc_type: Optional[str] = None
    on: Optional[date] = None  # the date the rule's validity is judged at
    date_known: bool = True  # False: `on` is today's date, the document's own was not found
    date_source: str = ""
    procedure: Optional[str] = None
    regime_detail: Optional[str] = None


def not_applicable(rule: Rule, s: Subject) -> str:
    """Why the rule does not apply to the subject ("" when it does)."""
    conditions = rule.absent.only_if if rule.absent else []
    if rule.regime.value not in ("通用", s.regime):
        return f"适用于{rule.regime.value}，本{'文件' if s.doc_type else '项目'}为{s.regime}"
    if s.doc_type is not None and s.doc_type not in rule.doc_types:
        return f"不适用于{s.doc_type}"
    # an undated document may be of any year: which version binds it is 缺少数据 (unsettled), not today's answer
    if s.on is not None and s.date_known and not rule.in_force(s.on):
        return (f"文件日期{s.on.isoformat()}（{s.date_source}）不在规则有效期"
                f"（{rule.valid_from or '—'}至{rule.valid_to or '—'}）内")
    if not rule.fits_procedure(s.procedure):
        return f"适用于{'/'.join(rule.procedures)}，本文件为{s.procedure}"
    if not rule.fits_regime_detail(s.regime_detail):
        if s.regime_detail in rule.not_regimes_detail:
            return f"不适用于{s.regime_detail}项目"
        return f"适用于{'/'.join(rule.regimes_detail)}项目，本文件为{s.regime_detail}"
    if conditions and s.procurement is not None and s.procurement not in conditions:
        return f"适用于{'/'.join(conditions)}项目，本文件为{s.procurement or '未识别'}"
    if rule.compare and not eligible(rule, s) and not waits_for_kind(rule, s):
        return f"不适用于{s.regime}{s.procurement or ''}项目"
    return ""


def unsettled(rule: Rule, s: Subject) -> str:
    """Why it cannot be told whether the rule applies (缺少数据), "" when it can: never a guess."""
    if s.doc_type is None:
        return ""
    if (rule.valid_from or rule.valid_to) and not s.date_known:
        return "缺少数据：未识别出文件日期（公告发布、文件获取或投标截止），无法判断适用哪一版规定"
    kinds = _kinds_awaited(rule, s)
    if kinds:
        return f"缺少数据：未能识别采购对象（工程/货物/服务），本规则仅适用于{'/'.join(kinds)}项目"
    if rule.procedures and not s.procedure:
        return f"缺少数据：未能识别采购方式，本规则仅适用于{'/'.join(rule.procedures)}"
    if rule.regimes_detail and not s.regime_detail:
        return (f"缺少数据：文件未载明是否属于{'/'.join(rule.regimes_detail)}项目"
                f"（资金来源、依法必须招标等），请人工核对")
    return ""


def _kinds_awaited(rule: Rule, s: Subject) -> list[str]:
    """The procurement kinds the rule is bound to, when only the document's unknown kind keeps it from applying."""
    if s.procurement:
        return []
    if rule.absent:
        return list(rule.absent.only_if)
    if rule.compare and not eligible(rule, s) and waits_for_kind(rule, s):
        return sorted({k for c in rule.compare for k in c.only_if})
    return []


def waits_for_kind(rule: Rule, s: Subject) -> bool:
    """No alternative applies only because the procurement kind is unknown: one bound to a kind fits the regime."""
    return not s.procurement and any(c.only_if and c.fits_regime(s.regime, s.regime_detail) for c in rule.compare or [])


def eligible(rule: Rule, s: Subject) -> list[tuple[int, Compare]]:
    """The compare alternatives that apply to the subject's regime and procurement kind."""
    return [(k, c) for k, c in enumerate(rule.compare or []) if c.eligible(s.regime, s.procurement, s.regime_detail)]


@dataclass
class Comparison:
    rule: Rule
    k: int
    cmp: Compare
    left: Any
    right: Optional[Any]


@dataclass
class CompareRun:
    """The facts of numeric rules for one engine run. `prefix` keeps engine fact ids apart from other facts."""

    prefix: str = "n"
    engine_facts: list[dict] = field(default_factory=list)
    asserted: dict[str, Any] = field(default_factory=dict)

    def assert_fact(self, rule_id: str, k: int, alias: str, fact: Any, value: float, lot: str) -> None:
        fid = f"{self.prefix}{len(self.engine_facts)}"
        self.asserted[fid] = fact
        self.engine_facts.append({"id": fid, "t": "fact", "name": fact_name(rule_id, k, alias), "value": value,
                                  "lot": lot})

    def comparisons(self, fired: list, rules: dict[str, Rule]) -> Iterator[Comparison]:
        """The engine's firings of compare rules, as the facts they joined."""
        for f in fired:
            rule = rules[rule_id_of(f.rule_id)]
            if not rule.compare or "l" not in f.facts:
                continue
            k = int(f.rule_id.split("#")[1])
            right = self.asserted[f.facts["r"]] if "r" in f.facts else None
            yield Comparison(rule, k, rule.compare[k], self.asserted[f.facts["l"]], right)
