"""Document → Report: facts (roles, text hits, typed values, periods) → engine → findings. Build a Checker once
per process."""
from __future__ import annotations

import re
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Optional

from . import limits
from .concepts import compiled
from .doctype import Classification, classify, dated, overridden, signed
from .engine import Engine
from .facts.derived import cutoff_from_issue, derive, from_notice
from .facts.extract import extract_facts
from .facts.stage import closing_date, stage_facts
from .facts.model import Fact
from .findings import DocumentInfo, Finding, Report, RuleResult
from .models import Clause, ClauseKind, Document, Location
from .normalize import for_matching, original_span
from .outcome import UNDECIDED_COUNT, applicability, counts_disagree, finding_fields, fingerprint, rule_result
from .roles import roles_of, sentence_roles, text_roles
from .rules.compile import definitions, factor_and_const, rule_id_of
from .rules.loader import RulePack, load_pack
from .rules.leadin import clause_leads
from .rules.matcher import Matcher, display_sentence
from .rules.runner import CompareRun, Subject, eligible
from .rules.schema import Rule, Severity
from .template.run import TEMPLATE_AUTO, model_results  # noqa: F401 (TEMPLATE_AUTO re-exported)
from .vocab import NEUTRAL_ROLES, NON_REQUIREMENT_ZONES, WHOLE_NOTICE_TYPES
from .zones import assign_zones, heading_zone, sentence_zone

_MATCHED_KINDS = (ClauseKind.heading, ClauseKind.paragraph, ClauseKind.table_cell)
# Where a document's date says when its documents were first given out: its publication, the sale's start, the
# signature under a notice, the date a caller gives (the platform's publication date). Not the deadline.
_ISSUE_DATE_SOURCES = ("公告发布", "文件获取开始", "落款日期", "指定")


def tool_version() -> str:
    try:
        return metadata.version("tendercheck")
    except metadata.PackageNotFoundError:
        return "0+unknown"


class Checker:
    """Build once per process: loads the pack, compiles the matcher and the engine ruleset."""

    def __init__(self, pack: Optional[RulePack] = None, rules_dir: Optional[Path] = None,
                 params: Optional[dict] = None):
        self.pack = pack or load_pack(rules_dir)
        self.params = dict(params or {})
        self.rules: dict[str, Rule] = {r.id: r for r in self.pack.rules}
        self.matcher = Matcher([r for r in self.pack.rules if r.match])
        self.engine = Engine(definitions(list(self.pack.rules), self.params))

    # ------------------------------------------------------------------------------------------------ one document

    def check(self, doc: Document, regime: Optional[str] = None, doc_type: Optional[str] = None,
              on_date: Optional[date] = None, procurement: Optional[str] = None,
              only: Optional[set[str]] = None, template=TEMPLATE_AUTO, procedure: Optional[str] = None,
              classified: Optional[Classification] = None) -> Report:
        """`template`: a compiled Template or a Spec to compare the document with; TEMPLATE_AUTO uses the bundled
        chapter-structure spec of the 2007 standard documents for 工程 招标文件/资格预审文件; None skips the step.
        `classified`: the document's classification when the caller already made it (a dossier classifies each
        document once, when it loads it); only its date is read here, from the facts."""
        doc = assign_zones(doc)
        run = _Run(doc, *document_facts(doc))
        stated = [f for f in run.facts if run.stated(f)]
        guessed = dated(classified, stated) if classified is not None else classify(doc, facts=stated)
        cls = overridden(signed(guessed, doc), doc_type=doc_type, regime=regime, procurement=procurement, procedure=procedure,
                        on_date=on_date)
        run.cls = cls
        if cls.doc_type in WHOLE_NOTICE_TYPES:
            run.read_as_notice()
        if cls.doc_type == "招标公告":
            self._window_from_notice(run, doc, stated)
        if cls.doc_type in ("招标公告", "招标文件"):
            issued = cls.doc_date if cls.date_source in _ISSUE_DATE_SOURCES else None
            run.add_facts(cutoff_from_issue(stated, issued))
        # What a stage document publishes (a result notice's items, its prices), read once its type and regime
        # are known: the stage rules compare these facts.
        run.add_facts(stage_facts(doc, cls.doc_type, cls.regime, cls.procurement, cls.procedure))
        applicable, results = self._applicability(cls, cls.doc_date or date.today(), only)

        self._text_facts(run, applicable)
        missing = self._numeric_facts(run, applicable)
        missing.update(self._absence_facts(run, applicable))
        for fired in self.engine.run(run.engine_facts):
            rule = self.rules[rule_id_of(fired.rule_id)]
            finding = run.finding(rule, fired, self.params)
            if finding is None:
                continue
            key = (rule.id, finding.clause_id)
            if key in run.findings:  # one finding per clause and rule: further sentences add what they matched
                kept = run.findings[key]
                kept.matched.extend(m for m in finding.matched if m not in kept.matched)
            else:
                run.findings[key] = finding

        std_results = model_results(self.rules, run, template, only)

        # A specific rule replaces a general one on the same clause (BOND-GP-CASH-FORM over BOND-FORM-RESTRICTED).
        for rule_id, clause_id in list(run.findings):
            for general in (self.rules[rule_id].supersedes if rule_id in self.rules else ()):
                run.findings.pop((general, clause_id), None)
        _mark_ocr(run.findings.values(), {c.id: c.ocr_confidence for c in doc.clauses
                                          if c.ocr_confidence is not None})
        order = {c.id: i for i, c in enumerate(doc.clauses)}
        ordered = _collapse(sorted(run.findings.values(), key=lambda f: (order.get(f.clause_id, -1), f.rule_id)))
        counts: dict[str, int] = {}
        for f in ordered:
            counts[f.rule_id] = counts.get(f.rule_id, 0) + 1
        present_roles = set().union(*run.roles.values()) if run.roles else set()
        for rid in applicable:
            results[rid] = rule_result(rid, counts.get(rid, 0), missing.get(rid) or _unreadable(
                self.rules[rid], doc, present_roles))

        results.update(std_results)
        return Report(
            tool_version=tool_version(), rulepack_version=self.pack.version,
            document=DocumentInfo(source=doc.source, doc_type=cls.doc_type, regime=cls.regime,
                                  procurement=cls.procurement, stage=cls.stage, procedure=cls.procedure,
                                  regime_detail=cls.regime_detail, doc_date=cls.doc_date,
                                  date_source=cls.date_source, model_text=cls.model_text),
            findings=ordered, results=[results[r] for r in sorted(results)], coverage=doc.coverage,
            facts=run.facts, notes=run.notes,
        )

    @staticmethod
    def _window_from_notice(run: "_Run", doc: Document, stated: list[Fact]) -> None:
        """A notice that names no date for getting its documents: the 等标期 counts from the notice's own date
        (facts/derived.py from_notice). Any 文件获取开始 read anywhere, even where not trusted, keeps it out."""
        if any(f.name in ("等标期", "文件获取开始") for f in run.facts):
            return
        notice = next((f for f in stated if f.name == "公告发布" and f.when is not None), None) or closing_date(doc)
        run.add_facts(from_notice(stated, notice) if notice is not None else [])

    def _applicability(self, cls: Classification, on: date,
                       only: Optional[set[str]]) -> tuple[set[str], dict[str, RuleResult]]:
        """Which rules apply to the document (checker/rules/runner.py decides, for documents and dossiers alike)."""
        subject = Subject(regime=cls.regime, procurement=cls.procurement, doc_type=cls.doc_type, on=on,
                          date_known=cls.doc_date is not None, date_source=cls.date_source or "",
                          procedure=cls.procedure, regime_detail=cls.regime_detail)
        applicable: set[str] = set()
        results: dict[str, RuleResult] = {}
        for rule in self.pack.rules:
            if (only is not None and rule.id not in only) or rule.model:
                continue  # a model-document rule's outcome comes from the comparison (template/run.py)
            result = applicability(rule, subject)
            if result is not None:
                results[rule.id] = result
            else:
                applicable.add(rule.id)
        return applicable, results

    def _text_facts(self, run: "_Run", applicable: set[str]) -> None:
        text_rules = {rid for rid in applicable if self.rules[rid].match}
        if not text_rules:
            return
        # list lead-ins only for the rules that read them (match.lead_in)
        leads = clause_leads(run.doc.clauses) if any(self.rules[r].match.lead_in for r in text_rules) else {}
        for clause in run.doc.clauses:
            if clause.kind not in _MATCHED_KINDS:
                continue
            for hit in self.matcher.match(clause.norm, only=text_rules, zone=clause.zone, on=run.cls.doc_date,
                                          lead=leads.get(clause.id, "")):
                rule = self.rules[hit.rule_id]
                roles = run.roles.get(clause.id, set()) | sentence_roles(hit.sentence)
                fact_id = f"h{len(run.engine_facts)}"
                scoped = in_scope(rule, roles) and judges(rule, clause.zone, hit.sentence)
                run.engine_facts.append({"id": fact_id, "t": "hit", "rule": hit.rule_id, "clause": clause.id,
                                         "negated": int(hit.negated), "excepted": int(hit.excepted),
                                         "in_scope": int(scoped), "applicable": 1})
                run.hits[fact_id] = (clause, hit)
            limits.check_findings(len(run.engine_facts), run.doc.source.path)  # before the engine gets them all

    def _numeric_facts(self, run: "_Run", applicable: set[str]) -> dict[str, str]:
        """Assert, per numeric rule, the facts each alias reads (the first quantity name the document has).
        Returns the rules that lack a fact, with the reason."""
        missing: dict[str, str] = {}
        for rid in sorted(applicable):
            rule = self.rules[rid]
            if not rule.compare:
                continue
            reasons = []
            alternatives = [(k, cmp) for k, cmp in eligible(rule, Subject(regime=run.cls.regime,
                            procurement=run.cls.procurement, regime_detail=run.cls.regime_detail))
                            if (not cmp.when or run.says(rule, cmp.when))
                            and not (cmp.unless_stated and run.says(rule, cmp.unless_stated))]
            for k, cmp in alternatives:
                chosen = {alias: run.select(ref) for alias, ref in cmp.facts.items()}
                lacking = [alias for alias, facts in chosen.items() if not facts]
                if lacking:
                    reasons.append("、".join("/".join(_explain(n) for n in cmp.facts[a].names) for a in lacking))
                    continue
                right = _lenient(chosen[cmp.right], cmp.test) if cmp.right else None
                for fact in chosen[cmp.left]:
                    run.assert_fact(rid, k, cmp.left, fact)
                    if right is not None and fact.lot and not any(r.lot == fact.lot for r in right):
                        # No base of its own for this lot: compare with the whole project's.
                        for r in right:
                            if not r.lot:
                                run.assert_fact(rid, k, cmp.right, r.model_copy(update={"lot": fact.lot}))
                for fact in right or []:
                    run.assert_fact(rid, k, cmp.right, fact)
            if alternatives and len(reasons) == len(alternatives):
                missing[rid] = f"缺少数据：文件中未找到{reasons[0]}"
        return missing

    def _absence_facts(self, run: "_Run", applicable: set[str]) -> dict[str, str]:
        """Assert per absence rule whether the document states the thing. A document that names it without a
        value we can read (a blank in a model text, a value in a form we could not parse) is missing data for a
        reviewer, not an accusation that the document omits it."""
        unsure: dict[str, str] = {}
        for rid in sorted(applicable):
            rule = self.rules[rid]
            if not rule.absent:
                continue
            present = any(f.name in rule.absent.facts for f in run.facts) or any(
                compiled(p).search(c.norm) for p in rule.absent.phrases for c in run.doc.clauses)
            # not owed: the document shows none of the conditions under which it must state the thing
            present = present or bool(rule.absent.when) and not any(
                compiled(p).search(c.norm) for p in rule.absent.when for c in run.doc.clauses)
            mentioned = not present and next((c for p in rule.absent.mentioned for c in run.doc.clauses
                                              if compiled(p).search(c.norm)), None)
            if mentioned:
                where = mentioned.location.describe()
                unsure[rid] = (f"缺少数据：文件提到{rule.absent.what or '、'.join(rule.absent.facts)}"
                               f"（{where or '正文'}），但未识别出具体数值，可能为空白待填，请人工核对")
                continue
            if present:
                run.engine_facts.append({"id": f"p-{rid}", "t": "present", "rule": rid})
            run.engine_facts.append({"id": f"e-{rid}", "t": "doc_end", "rule": rid})
        return unsure

    # ------------------------------------------------------------------------------------------------ rule examples

    def example_hits(self, rule: Rule, text: str, role: Optional[str] = None, heading: Optional[str] = None,
                     regime: Optional[str] = None, procurement: Optional[str] = None,
                     zone: Optional[str] = None, procedure: Optional[str] = None,
                     regime_detail: Optional[str] = None, on_date: Optional[date] = None) -> bool:
        """Does `rule` flag `text`? A text rule reads it as one clause under `heading` with `role`; a numeric or
        absence rule reads it as a small document. The same path as a real document takes."""
        if rule.model:
            from .template.examples import model_example_hits

            return model_example_hits(self, rule, text)
        if not rule.match:
            from .ingest.text_reader import read_text
            from .models import DocFormat, Source
            from .segment import segment

            src = Source(path="example.txt", sha256="0" * 64, format=DocFormat.text, size=len(text))
            doc = segment(read_text(text, src))
            reg = regime or (rule.regime.value if rule.regime.value != "通用" else "工程")
            detail = regime_detail or next((r for r in rule.regimes_detail if (r == "政府采购") == (reg == "政府采购")),
                                           None)
            proc = procurement or next((c for cmp in (rule.compare or []) for c in cmp.only_if), None)
            report = self.check(doc, regime=detail or reg, doc_type=rule.doc_types[0], procurement=proc or "工程",
                                only={rule.id}, procedure=procedure or (rule.procedures[0] if rule.procedures else None),
                                on_date=on_date)
            return any(f.rule_id == rule.id for f in report.findings)
        # The example's own date and procedure decide applicability as they would for a document.
        if (on_date and not rule.in_force(on_date)) or not rule.fits_procedure(procedure) \
                or not rule.fits_regime_detail(regime_detail):
            return False
        norm = for_matching(text)
        roles = set(text_roles(heading)) if heading else set()
        if role:
            roles.add(role)
        elif not heading and zone and text_roles(zone):
            # a zone that is also a chapter (评标办法, 采购需求, 合同条款) gives the roles that chapter's clauses have: an
            # example passes only where a real clause of that chapter would
            roles |= text_roles(zone)
        elif rule.scope and not heading:
            roles.add(rule.scope[0])
        facts = []
        if zone is None:
            zone = heading_zone(heading)[0] if heading else None
            zone = zone or (rule.zones[0] if rule.zones else "未定")
        # an example without a date is a clause of today (a document's missing date is another matter: see
        # matcher.not_yet)
        for hit in self.matcher.match(norm, only={rule.id}, zone=zone, on=on_date or date.today()):
            scoped = in_scope(rule, roles | sentence_roles(hit.sentence)) and judges(rule, zone, hit.sentence)
            facts.append({"id": f"h{len(facts)}", "t": "hit", "rule": rule.id, "clause": "example",
                          "negated": int(hit.negated), "excepted": int(hit.excepted),
                          "in_scope": int(scoped), "applicable": 1})
        return any(f.rule_id == rule.id for f in self.engine.run(facts))


def document_facts(doc: Document) -> tuple[list[Fact], list[str]]:
    """A document's typed values (checker/facts/extract.py) and the periods derived from them, with the notes of
    what could not be derived: the facts stage, before any rule runs."""
    facts = extract_facts(doc)
    derived, notes = derive(facts)
    return facts + derived, notes


class _Run:
    """One document's working state: its facts for the engine and the objects behind them."""

    cls: Classification  # set once the document is classified (classification reads the facts)

    def __init__(self, doc: Document, facts: list[Fact], notes: list[str]):
        self.doc = doc
        self.roles = _roles(doc)
        self.zones = {c.id: c.zone for c in doc.clauses}
        self._stated: dict[str, bool] = {}
        self.facts = facts
        self.notes = notes
        self.by_id = {f.id: f for f in self.facts}
        self.engine_facts: list[dict] = []
        self.hits: dict[str, tuple] = {}
        self.compare = CompareRun(engine_facts=self.engine_facts)  # numeric rules' facts, in the same engine run
        self.findings: dict[tuple[str, str], Finding] = {}

    def add_facts(self, facts: list[Fact]) -> None:
        """Facts known only once the document is classified (a notice's window, a stage document's items)."""
        self.facts += facts
        self.by_id.update({f.id: f for f in facts})

    def read_as_notice(self) -> None:
        """Every clause of a document that is one notice as a whole is also a part of that notice (vocab). A clause
        with no role of its own is read by every rule already (`in_scope`): the role would narrow it, so it gets none
        (a scoring table's bare 一般的计2.4分 stays read by the scoring rules, bench/unseen u1)."""
        for roles in self.roles.values():
            if roles - set(NEUTRAL_ROLES):
                roles.add("公告")

    def select(self, ref) -> list[Fact]:
        for name in ref.names:
            found = [f for f in self.facts if f.name == name and f.kind == ref.kind
                     and (ref.unit is None or f.unit == ref.unit) and self.stated(f)
                     and not (ref.single and f.high is not None)
                     and not (ref.unless_context and re.search(ref.unless_context, for_matching(f.context)))
                     and not (ref.context and not re.search(ref.context, for_matching(f.context)))
                     and not (ref.whole and f.lot)]
            if found:
                return found
        return []

    def says(self, rule: Rule, patterns: list[str]) -> bool:
        """Does a clause the rule judges (not a form, quoted policy or a model instruction) state one of these?"""
        return any(compiled(p).search(c.norm) and judges(rule, c.zone, c.norm) for p in patterns
                   for c in self.doc.clauses)

    def stated(self, fact: Fact) -> bool:
        """A value counts only where the tender states it: not in a form to fill in, quoted policy or a model
        instruction (the 20% of `逾期退还…基准利率上浮20%` in a form is no bond rate). Asked once per rule that reads
        the quantity, so the answer is kept per fact."""
        if fact.id not in self._stated:
            if fact.derived_from:
                ok = all(self.stated(self.by_id[i]) for i in fact.derived_from if i in self.by_id)
            else:
                ok = (self.zones.get(fact.clause_id) not in NON_REQUIREMENT_ZONES
                      and sentence_zone(for_matching(fact.context)) not in NON_REQUIREMENT_ZONES)
            self._stated[fact.id] = ok
        return self._stated[fact.id]

    def assert_fact(self, rule_id: str, k: int, alias: str, fact: Fact) -> None:
        self.compare.assert_fact(rule_id, k, alias, fact, fact.value, fact.lot)

    def finding(self, rule: Rule, fired, params: dict) -> Optional[Finding]:
        base = finding_fields(rule, self.cls.stage, self.cls.regime, regime_detail=self.cls.regime_detail,
                              on=self.cls.doc_date)
        if rule.match:
            clause, hit = self.hits[fired.fact_id]
            shown = display_sentence(clause.text, hit.sentence_index)
            if for_matching(shown) == hit.sentence:
                excerpt, matched = shown, original_span(shown, hit.start, hit.end)
            else:
                excerpt, matched = hit.sentence, hit.matched
            if len(for_matching(excerpt)) < 12:  # `差得0分` alone tells a reviewer nothing: show the whole clause
                excerpt = clause.text if len(clause.text) <= 300 else clause.text[:300] + "…"
            base["message"] = rule.match.message_for(hit.sentence, rule.message)
            return Finding(**base, clause_id=clause.id, clause_number=clause.number,
                           heading_path=clause.heading_path, location=clause.location, excerpt=excerpt,
                           matched=[matched], fingerprint=fingerprint(rule.id, clause.norm))
        if rule.compare:
            k = int(fired.rule_id.split("#")[1])
            cmp = rule.compare[k]
            left = self.compare.asserted[fired.facts["l"]]
            right = self.compare.asserted[fired.facts["r"]] if "r" in fired.facts else None
            factor, const = factor_and_const(cmp, params)
            values = _values(cmp, left, right, factor, const)
            severity = base["severity"]
            if counts_disagree(cmp, left, right, factor, const):
                severity = UNDECIDED_COUNT  # the two ways of counting disagree: a reviewer decides
                values["说明"] = f"开始日不计为{left.value:g}{left.unit}，首尾均计为{left.alt:g}{left.unit}，两种计法结论不同"
            clause = self._clause(left.clause_id)
            # A derived period names where each of its dates was read: a reviewer checks both ends.
            sources = [self.by_id[i].context for i in left.derived_from if i in self.by_id]
            return Finding(**{**base, "severity": severity}, clause_id=left.clause_id,
                           clause_number=clause.number if clause else None,
                           heading_path=clause.heading_path if clause else [], location=left.location,
                           excerpt=clause.text if clause else left.context, matched=[left.text] + sources,
                           values=values,
                           fingerprint=fingerprint(rule.id, (clause.norm if clause else "") + left.lot))
        return Finding(**base, clause_id="", location=Location(), excerpt="（全文未找到）",
                       values={"缺少": rule.absent.what or "、".join(rule.absent.facts)},
                       fingerprint=fingerprint(rule.id, "document"))

    def _clause(self, clause_id: str) -> Optional[Clause]:
        return next((c for c in self.doc.clauses if c.id == clause_id), None)


# OCR confidence (0–100, tesseract's) below which a clause's text is not trusted enough for 违法. Set from
# bench/bench_ocr.py on renders of the real documents (12 body pages, 150–300 dpi): lines at 90+ read 98.4–98.8 % of
# their characters right, lines at 80–89 only 94–96 %, lines under 80 under 90 % — at 80–89 one character in twenty
# is wrong, enough for a misread 不, 日 or digit to make a breach the document does not contain.
OCR_TRUSTED = 90.0


def _mark_ocr(findings, confidence: dict[str, float]) -> None:
    """Findings on OCR'd text say so, with the confidence; below OCR_TRUSTED a 违法 becomes 不合理 (a reviewer checks
    the original first)."""
    for f in findings:
        conf = confidence.get(f.clause_id)
        if conf is None:
            continue
        f.values["OCR识别置信度"] = f"{conf:.0f}%"
        if conf < OCR_TRUSTED and f.severity == Severity.error:
            f.severity = Severity.warning
            f.values["说明"] = (f.values.get("说明", "") + "；" if f.values.get("说明") else "") + \
                f"条款经 OCR 识别且置信度低于 {OCR_TRUSTED:.0f}%，请与原件核对后再定性"


def _unreadable(rule: Rule, doc: Document, present_roles: set[str]) -> str:
    """Why a text rule could not read the document (missing data, not a pass): none of its zones or roles is there."""
    if rule.match and rule.zones and not any(c.zone in rule.zones for c in doc.clauses):
        return f"文件中未识别出「{'、'.join(rule.zones)}」区域的条款，无法检查"
    if rule.scope and rule.match and not (set(rule.scope) & present_roles):
        return f"文件中未找到「{'、'.join(rule.scope)}」类条款，无法检查"
    return ""


def _collapse(findings: list[Finding]) -> list[Finding]:
    """Findings of one rule on the same text (its fingerprint) are one finding with all their places."""
    first: dict[str, Finding] = {}
    out: list[Finding] = []
    for f in findings:
        kept = first.get(f.fingerprint)
        if kept is not None and kept.rule_id == f.rule_id:
            kept.also_at.append(f.location)
            continue
        first[f.fingerprint] = f
        out.append(f)
    return out


def _explain(name: str) -> str:
    """A derived period names the dates it needs: 等标期 alone would not tell a reviewer what to look for."""
    from .facts.derived import PERIODS

    sources = next((f"{a}、{b}" for n, a, b, _ in PERIODS if n == name), None)
    return f"{name}（由{sources}推算）" if sources else name


def _lenient(facts: list[Fact], test: str) -> list[Fact]:
    """Where a document states the base of a comparison twice with different values (per lot), compare with the
    reading most favourable to the document: a finding must not rest on the wrong base. (Disagreeing values are
    themselves a problem for PROC-DIFFERENT-INFO, not for a cap rule.)"""
    best: dict[str, Fact] = {}
    for f in facts:
        keep = best.get(f.lot)
        if keep is None or (f.value > keep.value if test in ("gt", "ge") else f.value < keep.value):
            best[f.lot] = f
    return list(best.values())


def _values(cmp, left: Fact, right: Optional[Fact], factor: float, const: float) -> dict[str, str]:
    """The values compared, for the reviewer: each fact as found, and the comparison in one line."""
    fields = {cmp.left: left.shown(), f"{cmp.left}_name": left.name, f"{cmp.left}_text": left.text, "limit": f"{(factor * 100 if right else const):g}"}
    out = {left.name + (f"（{left.lot}）" if left.lot else ""): left.shown()}
    if right is not None:
        fields.update({cmp.right: right.shown(), f"{cmp.right}_name": right.name,
                       "ratio": f"{left.value / right.value * 100:.2f}%" if right.value else "-"})
        out[right.name + (f"（{right.lot}）" if right.lot else "")] = right.shown()
    try:
        out["比较"] = cmp.show.format(**fields)
    except (KeyError, IndexError, ValueError):
        out["比较"] = cmp.show
    return out


def judges(rule: Rule, zone: Optional[str], sentence: str) -> bool:
    """Does the rule judge this sentence, given the clause's zone? A sentence that quotes policy or instructs the
    model's user is judged as that zone, wherever it stands."""
    return rule.judges_zone(zone) and rule.judges_zone(sentence_zone(sentence) or zone)


def in_scope(rule: Rule, roles: set[str]) -> bool:
    """A clause with no recognisable role is read by every rule (plain text, fragments); a clause that is only
    background (项目概况, 气候, 地质) is read by none; otherwise the rule's scope must meet the clause's roles."""
    if roles & set(rule.unless_roles):
        return False
    meaningful = roles - set(NEUTRAL_ROLES)
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
