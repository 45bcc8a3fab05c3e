"""Document → Report: facts (roles, text hits) → engine → findings. Build a Checker once per process."""
from __future__ import annotations

from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Optional

from .doctype import Classification, classify
from .engine import Engine
from .findings import DocumentInfo, Finding, Outcome, Report, RuleResult
from .models import Clause, ClauseKind, Document
from .roles import roles_of, sentence_roles, text_roles
from .rules.loader import RulePack, load_pack
from .normalize import for_matching, original_span
from .rules.matcher import Matcher, display_sentence
from .rules.schema import STAGES, Rule

_MATCHED_KINDS = (ClauseKind.heading, ClauseKind.paragraph, ClauseKind.table_cell)


def tool_version() -> str:
    try:
        return metadata.version("tendercheck")
    except metadata.PackageNotFoundError:
        return "0+unknown"


class Checker:
    def __init__(self, pack: Optional[RulePack] = None, rules_dir: Optional[Path] = None):
        self.pack = pack or load_pack(rules_dir)
        self.rules: dict[str, Rule] = {r.id: r for r in self.pack.rules}
        self.matcher = Matcher(self.pack.rules)
        self.engine = Engine(self.rules)

    # ------------------------------------------------------------------------------------------------ one document

    def check(self, doc: Document, regime: Optional[str] = None, doc_type: Optional[str] = None,
              on_date: Optional[date] = None) -> Report:
        guessed = classify(doc)
        cls = Classification(doc_type=doc_type or guessed.doc_type, regime=regime or guessed.regime,
                             procurement=guessed.procurement)
        applicable, results = self._applicability(cls, on_date or date.today())
        clause_roles = _roles(doc)
        present_roles = set().union(*clause_roles.values()) if clause_roles else set()

        facts, by_fact = [], {}
        for clause in doc.clauses:
            if clause.kind not in _MATCHED_KINDS:
                continue
            for hit in self.matcher.match(clause.norm, only=applicable):
                roles = clause_roles.get(clause.id, set()) | sentence_roles(hit.sentence)
                fact_id = f"h{len(facts)}"
                facts.append({"id": fact_id, "t": "hit", "rule": hit.rule_id, "clause": clause.id,
                              "negated": int(hit.negated), "excepted": int(hit.excepted),
                              "in_scope": int(in_scope(self.rules[hit.rule_id], roles)), "applicable": 1})
                by_fact[fact_id] = (clause, hit)

        findings: dict[tuple[str, str], Finding] = {}
        for fired in self.engine.run(facts):
            clause, hit = by_fact[fired.fact_id]
            key = (fired.rule_id, clause.id)
            if key in findings:
                continue  # one finding per rule and clause; the first sentence that hit is shown
            findings[key] = self._finding(self.rules[fired.rule_id], clause, hit, cls.stage)

        # A specific rule replaces a general one on the same clause (BOND-GP-CASH-FORM over BOND-FORM-RESTRICTED).
        for rule_id, clause_id in list(findings):
            for general in self.rules[rule_id].supersedes:
                findings.pop((general, clause_id), None)
        order = {c.id: i for i, c in enumerate(doc.clauses)}
        ordered = sorted(findings.values(), key=lambda f: (order[f.clause_id], f.rule_id))
        counts: dict[str, int] = {}
        for f in ordered:
            counts[f.rule_id] = counts.get(f.rule_id, 0) + 1
        for rid in applicable:
            rule = self.rules[rid]
            if counts.get(rid):
                results[rid] = RuleResult(rule_id=rid, outcome=Outcome.flag, findings=counts[rid])
            elif rule.scope and not (set(rule.scope) & present_roles):
                results[rid] = RuleResult(rule_id=rid, outcome=Outcome.missing_data,
                                          reason=f"文件中未找到「{'、'.join(rule.scope)}」类条款，无法检查")
            else:
                results[rid] = RuleResult(rule_id=rid, outcome=Outcome.no_flag)

        return Report(
            tool_version=tool_version(), rulepack_version=self.pack.version,
            document=DocumentInfo(source=doc.source, doc_type=cls.doc_type, regime=cls.regime,
                                  procurement=cls.procurement, stage=cls.stage),
            findings=ordered, results=[results[r] for r in sorted(results)], coverage=doc.coverage,
        )

    def _applicability(self, cls: Classification, on: date) -> tuple[set[str], dict[str, RuleResult]]:
        applicable: set[str] = set()
        results: dict[str, RuleResult] = {}
        for rule in self.pack.rules:
            reason = ""
            if rule.regime.value not in ("通用", cls.regime):
                reason = f"适用于{rule.regime.value}，本文件为{cls.regime}"
            elif cls.doc_type not in rule.doc_types:
                reason = f"不适用于{cls.doc_type}"
            elif (rule.valid_from and on < rule.valid_from) or (rule.valid_to and on > rule.valid_to):
                reason = "不在规则有效期内"
            if reason:
                results[rule.id] = RuleResult(rule_id=rule.id, outcome=Outcome.not_applicable, reason=reason)
            else:
                applicable.add(rule.id)
        return applicable, results

    @staticmethod
    def _finding(rule: Rule, clause: Clause, hit, doc_stage: str) -> Finding:
        stage = doc_stage if doc_stage in rule.stages else rule.stages[0]
        # Show the sentence as the document wrote it; fall back to the normalised one if the split disagrees.
        shown = display_sentence(clause.text, hit.sentence_index)
        if for_matching(shown) == hit.sentence:
            excerpt, matched = shown, original_span(shown, hit.start, hit.end)
        else:
            excerpt, matched = hit.sentence, hit.matched
        return Finding(
            rule_id=rule.id, title=rule.title, severity=rule.severity, stage=stage, stage_name=STAGES[stage],
            message=rule.message, suggestion=rule.suggestion, basis=rule.basis, clause_id=clause.id,
            clause_number=clause.number, heading_path=clause.heading_path, location=clause.location,
            excerpt=excerpt, matched=[matched], fingerprint=Finding.make_fingerprint(rule.id, clause.norm),
        )

    # ------------------------------------------------------------------------------------------------ rule examples

    def example_hits(self, rule: Rule, text: str, role: Optional[str] = None, heading: Optional[str] = None) -> bool:
        """Does `rule` flag `text` as a clause under `heading` with `role`? The same path as a document takes."""
        norm = for_matching(text)
        roles = set(text_roles(heading)) if heading else set()
        if role:
            roles.add(role)
        elif rule.scope and not heading:
            roles.add(rule.scope[0])
        facts, by_fact = [], {}
        for hit in self.matcher.match(norm, only={rule.id}):
            fact_id = f"h{len(facts)}"
            facts.append({"id": fact_id, "t": "hit", "rule": rule.id, "clause": "example",
                          "negated": int(hit.negated), "excepted": int(hit.excepted),
                          "in_scope": int(in_scope(rule, roles | sentence_roles(hit.sentence))), "applicable": 1})
        return any(f.rule_id == rule.id for f in self.engine.run(facts))


def in_scope(rule: Rule, roles: set[str]) -> bool:
    """A clause with no recognisable role is read by every rule (plain text, fragments); a clause that is only
    background (项目概况, 气候, 地质) is read by none; otherwise the rule's scope must meet the clause's roles."""
    meaningful = roles - {"背景"}
    if not meaningful:
        return "背景" not in roles
    return not rule.scope or bool(meaningful & set(rule.scope))


def _roles(doc: Document) -> dict[str, set[str]]:
    """Roles per clause; a table cell also reads its row's first cells (条款号/条款名称 name the row's topic)."""
    row_heads: dict[str, str] = {}
    for c in doc.clauses:
        if c.kind == ClauseKind.table_cell and c.parent_id and (c.location.column or 0) <= 1:
            row_heads[c.parent_id] = row_heads.get(c.parent_id, "") + " " + c.text
    return {c.id: roles_of(c, row_heads.get(c.parent_id or "", "")) for c in doc.clauses if c.kind in _MATCHED_KINDS}
