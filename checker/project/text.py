"""The project pack's text and absence rules: they read the dossier's documents of their `doc_types` through the
project pack's Checker, exactly as the per-document pack reads a document. Two named extensions come from the YAML:

* `conditions: [not_own_party]` — a hit that names only the tender's own 招标人 or agency is not a bidder's name;
* `added_by:` — what a later document adds: the later document's per-document findings of the rule families
  listed, whose rule the baseline document does not trigger (澄清修改 against 招标文件), reported under this rule
  with the triggered rule's severity.
"""
from __future__ import annotations

from collections import defaultdict

from ..findings import Finding, RuleResult
from ..normalize import for_matching
from ..outcome import applicability, at_most_warning, finding_fields, fingerprint, rule_result
from ..rules.runner import Subject, not_applicable
from ..rules.schema import Rule, Severity
from .dossier import Dossier, DossierDoc
from .facts import Context
from .report import ProjectFinding


def run_text(checker, rules: dict[str, Rule], dossier: Dossier, ctx: Context, findings: list[ProjectFinding],
             results: dict[str, RuleResult]) -> None:
    text_rules = [r for r in rules.values() if r.match or r.absent]
    subject = Subject(regime=ctx.regime, procurement=ctx.procurement)
    applies = {r.id: not not_applicable(r, subject) for r in text_rules}
    own = _own_names(dossier)
    counts: dict[str, int] = defaultdict(int)
    ran: dict[str, int] = defaultdict(int)
    for d in dossier.docs:
        ids = {r.id for r in text_rules if d.readable and d.doc_type in r.doc_types and applies[r.id]}
        if not ids:
            continue
        report = checker.check(d.doc, regime=ctx.regime, doc_type=d.doc_type, procurement=ctx.procurement, only=ids,
                               classified=d.classification())
        for rid in ids:
            ran[rid] += 1
        for f in report.findings:
            rule = rules[f.rule_id]
            if "not_own_party" in rule.conditions and _own_party(f, own):
                continue  # the tender's own 招标人 or agency, not a bidder
            findings.append(_text_finding(rule, d, f))
            counts[f.rule_id] += 1
    unsure: dict[str, str] = {}
    for rule in text_rules:
        if rule.added_by is not None and applies[rule.id]:
            counts[rule.id] += _added(rule, dossier, findings, unsure)
    for rule in text_rules:
        results[rule.id] = _outcome(rule, subject, counts.get(rule.id, 0), ran.get(rule.id, 0), unsure.get(rule.id))


def _own_names(dossier: Dossier) -> set[str]:
    own = set()
    for d in dossier.of_type("招标文件", "招标公告", "澄清修改"):
        for role in ("招标人", "代理机构"):
            if d.data and d.data.names.get(role):
                own.add(d.data.names[role])
    return own


def _own_party(f: Finding, own: set[str]) -> bool:
    """The hit names the tender's own party and nothing else it matched is another name."""
    return any(n and n in f.excerpt for n in own) and \
        not any(m and not any(n in m or m in n for n in own) for m in f.matched)


def _text_finding(rule: Rule, d: DossierDoc, f: Finding) -> ProjectFinding:
    """The document's finding of a project rule, reported at the document's stage; its severity is the one the
    document's check gave (regime, OCR confidence)."""
    ev = d.evidence("原文", f.excerpt, excerpt=f.excerpt, location=f.location)
    return ProjectFinding(
        **finding_fields(rule, d.stage, None, f.severity), documents=[ev],
        values={**f.values, "比较": f"{d.doc_type}（{d.rel}）：{f.excerpt}"} if f.values else
        {"比较": f"{d.doc_type}（{d.rel}）：「{f.excerpt}」"},
        excerpt=f.excerpt, matched=f.matched, fingerprint=f.fingerprint)


def _outcome(rule: Rule, subject: Subject, count: int, ran: int, unsure) -> RuleResult:
    na = applicability(rule, subject)
    if na is not None:
        return na
    if not ran and not count:
        return rule_result(rule.id, missing=f"案卷中没有{'、'.join(rule.doc_types)}，无法检查" + (
            "（未发出澄清的，本规则无需检查）" if rule.doc_types == ["澄清修改"] else ""))
    return rule_result(rule.id, count, missing=unsure or "")


def _added(rule: Rule, dossier: Dossier, findings: list[ProjectFinding], unsure: dict[str, str]) -> int:
    """Findings the later document adds; a sentence the diff reports (with the triggered rule's severity) is not
    also listed as this rule's own text hit. Returns the change in this rule's count."""
    spec = rule.added_by
    base = [d for d in dossier.of_type(spec.baseline) if d.report is not None]
    before = {f.rule_id for d in base for f in d.report.findings}
    n = 0
    for d in dossier.of_type(spec.document):
        for f in d.report.findings if d.report is not None else []:
            if f.rule_id.startswith(tuple(spec.families)) and f.severity != Severity.info and f.rule_id not in before:
                findings.append(_added_finding(rule, d, f, base))
                n += 1
    diffed = {(f.documents[0].path, for_matching(f.excerpt)) for f in findings
              if f.rule_id == rule.id and "触发规则" in f.values}
    kept = [f for f in findings if not (f.rule_id == rule.id and "触发规则" not in f.values
                                        and (f.documents[0].path, for_matching(f.excerpt)) in diffed)]
    n -= len(findings) - len(kept)
    findings[:] = kept
    if dossier.of_type(spec.document) and not base:
        unsure[rule.id] = f"缺少{spec.baseline}，无法判断{spec.document}是否新增限制性条款"
    return n


def _added_finding(rule: Rule, d: DossierDoc, f: Finding, base: list[DossierDoc]) -> ProjectFinding:
    spec = rule.added_by
    docs = [d.evidence("新增条款", f.excerpt, excerpt=f.excerpt, location=f.location)]
    if base:
        docs.append(base[0].evidence(f"{f.rule_id}", "无此类条款", excerpt=""))
        comparison = (f"{spec.document}（{d.rel}）新增「{f.excerpt}」→ {f.rule_id} {f.title}；"
                      f"{spec.baseline}中无此类条款")
    else:
        comparison = (f"{spec.document}（{d.rel}）含「{f.excerpt}」→ {f.rule_id} {f.title}"
                      f"（{spec.baseline}不在案卷中，未能确认是否新增）")
    # the triggered rule's severity: the diff is only as grave as what it added (unconfirmed without the baseline)
    fields = finding_fields(rule, spec.stage, None, f.severity if base else at_most_warning(f.severity))
    fields.update(message=rule.message + f"（{f.rule_id}：{f.message}）", basis=rule.basis + f.basis)
    return ProjectFinding(
        **fields, documents=docs, values={"触发规则": f"{f.rule_id} {f.title}", "比较": comparison},
        excerpt=f.excerpt, matched=f.matched, fingerprint=fingerprint(rule.id, f.fingerprint))
