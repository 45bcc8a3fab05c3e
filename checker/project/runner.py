"""Dossier → ProjectReport: per-document checks, then the project rules (rules/project/) over the project facts.

The per-document rule pack runs on every document as `tendercheck check` would (one `Checker`, reused). The project
rules are a pack of their own, in the same YAML schema, kept out of the per-document pack because their facts come
from several documents:

- `compare` rules compare project facts (checker/project/facts/, one module per fact family) in the durable-rules engine, through a second
  `Checker`'s engine built from the project pack (`checker.rules.compile.definitions`): a period between two
  documents' dates against a limit, or a value of one document against the same value in another;
- `match` and `absent` rules read the text of the documents of their `doc_types` through the same `Checker`;
- CLAR-NEW-RESTRICTION also compares the clarification's per-document findings with the 招标文件's.

A rule whose facts come from a document that is not in the dossier is `missing_data` and names that document.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Optional

from ..findings import Outcome, RuleResult
from ..pipeline import Checker, tool_version
from ..rules.compile import factor_and_const, fact_name, holds, rule_id_of
from ..rules.loader import DEFAULT_RULES_DIR, RulePack
from ..rules.registry import PROJECT_PACK_NAME, load_project_pack  # noqa: F401 (re-exported)
from ..rules.schema import STAGES, Rule, Severity
from .facts import SOURCES, Context, ProjectFacts, derive, money
from .dossier import Dossier, discover, load_document
from .extract import read_document
from .report import DocumentEntry, Evidence, ProjectFact, ProjectFinding, ProjectInfo, ProjectReport

PROJECT_RULES_DIR = DEFAULT_RULES_DIR / "project"
RESTRICTION_FAMILIES = ("DQ-", "SC-", "TECH-", "BOND-", "PROC-", "PRJ-")
REQUIRED_BY_STAGE = {
    "S1": ["项目登记"], "S2": ["招标文件"], "S4": ["评标报告"], "S5": ["中标候选人公示"],
    "S6": ["中标结果公告", "中标通知书"], "S7": ["合同"],
}


class ProjectChecker:
    """Build once per process (two rule packs compiled: the per-document one and rules/project)."""

    def __init__(self, main: Optional[Checker] = None, pack: Optional[RulePack] = None,
                 params: Optional[dict] = None):
        self.main = main if main is not None else Checker()
        self.pack = pack or load_project_pack()
        self.params = dict(params or {})
        self.checker = Checker(pack=self.pack, params=self.params)
        self.rules = {r.id: r for r in self.pack.rules}

    # --------------------------------------------------------------------------------------------------- entry points

    def check_dir(self, directory: Path, manifest: Optional[Path] = None, registration: Optional[Path] = None,
                  regime: Optional[str] = None, finish=None) -> ProjectReport:
        """`finish`: applied to each per-document report (the CI gate's disabled rules, waivers, baseline)."""
        dossier = discover(Path(directory), manifest, registration)
        for d in dossier.docs:
            load_document(d)
        return self.check_dossier(dossier, regime=regime, finish=finish)

    def check_dossier(self, dossier: Dossier, regime: Optional[str] = None, run_documents: bool = True,
                      finish=None) -> ProjectReport:
        ctx = self._context(dossier, regime)
        for d in dossier.docs:
            if not d.readable:
                continue
            if run_documents:
                report = self.main.check(d.doc, regime=ctx.regime, doc_type=d.doc_type, procurement=ctx.procurement)
                d.report = finish(report) if finish else report
                d.typed = list(report.facts)
            else:
                from ..facts.extract import extract_facts

                d.typed = extract_facts(d.doc)
            d.data = read_document(d.doc, d.doc_type)
        if ctx.state_funded is None:
            for d in dossier.of_type("招标文件", "招标公告"):
                if d.data and "国有资金" in d.data.flags:
                    ctx.state_funded, ctx.state_funded_from = True, f"{d.doc_type}：{d.data.flags['国有资金']}"
                    break
        pf = derive(dossier, ctx)
        findings: list[ProjectFinding] = []
        results: dict[str, RuleResult] = {}
        self._compare(dossier, ctx, pf, findings, results)
        self._text(dossier, ctx, findings, results)
        order = {s: i for i, s in enumerate(STAGES)}
        findings.sort(key=lambda f: (order.get(f.stage, 9), -f.severity.rank, f.rule_id, f.values.get("比较", "")))
        return self._report(dossier, ctx, pf, findings, results)

    # ------------------------------------------------------------------------------------------------------ context

    def _context(self, dossier: Dossier, regime: Optional[str]) -> Context:
        from .classify import detect_regime

        m, reg = dossier.manifest, dossier.registration
        procurement = None
        detected = None
        # The documents say which law binds the project: the tender first, else any stage document (a lone 成交结果公告
        # or 更正公告 says 政府采购 as clearly as its tender would). Never a default: a 政府采购 notice judged as 工程
        # loses every 政府采购 rule.
        order = ("招标文件", "招标公告", "资格预审文件", "资格预审公告", "评标报告", "中标结果公告", "中标通知书",
                 "中标候选人公示", "澄清修改", "合同", "合同公告")
        for t in order + tuple(sorted({d.doc_type for d in dossier.docs if d.doc is not None} - set(order))):
            docs = [d for d in dossier.of_type(t) if d.doc is not None]
            if docs:
                detected = detect_regime(docs[0].doc)
                break
        regime = regime or (m.regime if m else None) or (reg.regime if reg else None) or next(
            (d.entry.regime for d in dossier.docs if d.entry and d.entry.regime), None) or (
            detected[0] if detected else "工程")  # no readable document at all: nothing is judged either way
        if m and m.procurement:
            procurement = m.procurement
        elif reg and reg.lots and any(l.kind for l in reg.lots):
            kinds = [l.kind for l in reg.lots if l.kind]
            procurement = {"施工": "工程"}.get(kinds[0], kinds[0])
        elif detected:
            procurement = detected[1]
        ctx = Context(regime=regime, procurement=procurement, state_funded=None, params=self.params)
        if m and m.state_funded is not None:
            ctx.state_funded, ctx.state_funded_from = m.state_funded, "清单 state_funded"
        elif reg is not None and reg.is_state_controlled() is not None:
            ctx.state_funded = reg.is_state_controlled()
            share = reg.share()
            ctx.state_funded_from = "项目登记" + (f"：国有资金占比{share:.4g}%" if share is not None else "")
        return ctx

    # --------------------------------------------------------------------------------------------- compare rules

    def _applies(self, rule: Rule, ctx: Context) -> Optional[str]:
        if rule.regime.value not in ("通用", ctx.regime):
            return f"适用于{rule.regime.value}，本项目为{ctx.regime}"
        return None

    def _compare(self, dossier: Dossier, ctx: Context, pf: ProjectFacts, findings: list[ProjectFinding],
                 results: dict[str, RuleResult]) -> None:
        by_name: dict[str, list[ProjectFact]] = defaultdict(list)
        for f in pf.facts:
            by_name[f.name].append(f)
        engine_facts: list[dict] = []
        asserted: dict[str, ProjectFact] = {}
        state: dict[str, dict] = {}
        for rule in self.pack.rules:
            if not rule.compare:
                continue
            na = self._applies(rule, ctx)
            if na:
                results[rule.id] = RuleResult(rule_id=rule.id, outcome=Outcome.not_applicable, reason=na)
                continue
            eligible = [(k, c) for k, c in enumerate(rule.compare) if c.eligible(ctx.regime, ctx.procurement)]
            if not eligible:
                results[rule.id] = RuleResult(rule_id=rule.id, outcome=Outcome.not_applicable,
                                              reason=f"不适用于{ctx.regime}{ctx.procurement or ''}项目")
                continue
            st = state[rule.id] = {"ran": 0, "missing": [], "na": []}
            for k, cmp in eligible:
                chosen, lacking = {}, []
                for alias, ref in cmp.facts.items():
                    found = self._select(ref, by_name)
                    if found:
                        chosen[alias] = found
                    else:
                        lacking.append(ref)
                if lacking:
                    for ref in lacking:
                        kind, reason = self._why_missing(ref.names, pf, dossier)
                        st[kind].append(reason)
                    continue
                st["ran"] += 1
                for alias, facts in chosen.items():
                    for f in facts:
                        fid = f"p{len(engine_facts)}"
                        asserted[fid] = f
                        engine_facts.append({"id": fid, "t": "fact", "name": fact_name(rule.id, k, alias),
                                             "value": f.value, "lot": f.lot})
        seen: set = set()
        counts: dict[str, int] = defaultdict(int)
        for fired in self.checker.engine.run(engine_facts):
            rule = self.rules[rule_id_of(fired.rule_id)]
            k = int(fired.rule_id.split("#")[1])
            cmp = rule.compare[k]
            left = asserted[fired.facts["l"]]
            right = asserted[fired.facts["r"]] if "r" in fired.facts else None
            finding = self._finding(rule, cmp, left, right)
            key = (rule.id, finding.values.get("比较", ""))
            if key in seen:
                continue
            seen.add(key)
            findings.append(finding)
            counts[rule.id] += 1
        def joined(reasons: list[str]) -> str:
            unique = list(dict.fromkeys(reasons))
            return "；".join(unique[:3]) + (f"；另有{len(unique) - 3}项比较无法进行" if len(unique) > 3 else "")

        for rid, st in state.items():
            if counts.get(rid):
                reason = joined(st["missing"]) if st["missing"] else ""
                results[rid] = RuleResult(rule_id=rid, outcome=Outcome.flag, findings=counts[rid],
                                          reason=f"部分比较未能进行：{reason}" if reason else "")
            elif st["ran"]:
                reason = joined(st["missing"])
                results[rid] = RuleResult(rule_id=rid, outcome=Outcome.no_flag,
                                          reason=f"部分比较未能进行：{reason}" if reason else "")
            elif st["missing"]:
                results[rid] = RuleResult(rule_id=rid, outcome=Outcome.missing_data, reason=joined(st["missing"]))
            else:
                results[rid] = RuleResult(rule_id=rid, outcome=Outcome.not_applicable, reason=joined(st["na"]))

    @staticmethod
    def _select(ref, by_name: dict[str, list[ProjectFact]]) -> list[ProjectFact]:
        for name in ref.names:
            found = [f for f in by_name.get(name, [])
                     if f.kind == ref.kind and (ref.unit is None or f.unit == ref.unit)]
            if found:
                return found
        return []

    @staticmethod
    def _why_missing(names: list[str], pf: ProjectFacts, dossier: Dossier) -> tuple[str, str]:
        """('missing' | 'na', reason) for facts none of `names` gave."""
        for name in names:
            if name in pf.missing:
                return "missing", pf.missing[name]
        if all(n in pf.not_applicable for n in names):
            return "na", pf.not_applicable[names[0]]
        for name in names:
            groups = SOURCES.get(name, [])
            absent = [g for g in groups if not dossier.has_type(*g)]
            if absent:
                return "missing", f"缺少{'；'.join('或'.join(g) for g in absent)}，无法检查"
        return "missing", f"案卷文件中未找到{'或'.join(names)}"

    def _finding(self, rule: Rule, cmp, left: ProjectFact, right: Optional[ProjectFact]) -> ProjectFinding:
        factor, const = factor_and_const(cmp, self.params)
        fields = {cmp.left: left.describe(), f"{cmp.left}_value": left.shown, f"{cmp.left}_name": left.name,
                  "limit": money(const) if abs(const) >= 10_000 else f"{const:g}", "factor": f"{factor:g}"}
        values = {left.name + (f"（{left.lot}）" if left.lot and right is None else ""): left.shown}
        if right is not None:
            fields.update({cmp.right: right.describe(), f"{cmp.right}_value": right.shown,
                           f"{cmp.right}_name": right.name})
            values[right.name] = right.shown
        try:
            values["比较"] = cmp.show.format(**fields)
        except (KeyError, IndexError, ValueError):
            values["比较"] = cmp.show
        severity = rule.severity
        notes = [n for n in (left.note, right.note if right else "") if n]
        for cap in (left.severity_cap, right.severity_cap if right else None):
            if cap is not None and cap.rank < severity.rank:
                severity = cap
        if left.alt is not None:
            bound = (right.value if right else 0) * factor + const
            if not holds(cmp.test, left.alt, bound):
                severity = min(severity, Severity.warning, key=lambda s: s.rank)
                notes.append(f"按开始日不计{'并适用民法典第二百零三条' if left.note else ''}为{left.shown}，"
                             f"首尾均计为{left.alt:g}{left.unit}，两种计法结论不同，请核实")
        if notes:
            values["说明"] = "；".join(notes)
        evidence: list[Evidence] = []
        for ev in left.evidence + (right.evidence if right else []):
            if not any(e.path == ev.path and e.what == ev.what and e.value == ev.value for e in evidence):
                evidence.append(ev)
        stages = [f.stage for f in (left, right) if f is not None and f.stage in rule.stages]
        stage = max(stages) if stages else rule.stages[0]
        return ProjectFinding(
            rule_id=rule.id, title=rule.title, severity=severity, stage=stage, stage_name=STAGES[stage],
            message=rule.message, suggestion=rule.suggestion, basis=rule.basis, documents=evidence, values=values,
            excerpt=next((e.excerpt for e in evidence if e.excerpt), ""), note="；".join(notes),
            fingerprint=ProjectFinding.make_fingerprint(rule.id, values["比较"]))

    # ------------------------------------------------------------------------------------------ text and absence

    def _text(self, dossier: Dossier, ctx: Context, findings: list[ProjectFinding],
              results: dict[str, RuleResult]) -> None:
        rules = [r for r in self.pack.rules if r.match or r.absent]
        own_names = set()
        for d in dossier.of_type("招标文件", "招标公告", "澄清修改"):
            for role in ("招标人", "代理机构"):
                if d.data and d.data.names.get(role):
                    own_names.add(d.data.names[role])
        counts: dict[str, int] = defaultdict(int)
        ran: dict[str, int] = defaultdict(int)
        for d in dossier.docs:
            if not d.readable:
                continue
            ids = {r.id for r in rules if d.doc_type in r.doc_types and not self._applies(r, ctx)}
            if not ids:
                continue
            report = self.checker.check(d.doc, regime=ctx.regime, doc_type=d.doc_type, procurement=ctx.procurement,
                                        only=ids)
            for rid in ids:
                ran[rid] += 1
            for f in report.findings:
                if f.rule_id == "CLAR-DISCLOSURE" and any(n and n in f.excerpt for n in own_names) and \
                        not any(m and not any(n in m or m in n for n in own_names) for m in f.matched):
                    continue  # the tender's own 招标人 or agency, not a bidder
                rule = self.rules[f.rule_id]
                stage = d.stage if d.stage in rule.stages else rule.stages[0]
                ev = d.evidence("原文", f.excerpt, excerpt=f.excerpt, location=f.location)
                findings.append(ProjectFinding(
                    rule_id=f.rule_id, title=f.title, severity=f.severity, stage=stage, stage_name=STAGES[stage],
                    message=f.message, suggestion=f.suggestion, basis=f.basis, documents=[ev],
                    values={**f.values, "比较": f"{d.doc_type}（{d.rel}）：{f.excerpt}"} if f.values else
                    {"比较": f"{d.doc_type}（{d.rel}）：「{f.excerpt}」"},
                    excerpt=f.excerpt, matched=f.matched, fingerprint=f.fingerprint))
                counts[f.rule_id] += 1
        if "CLAR-NEW-RESTRICTION" in self.rules and not self._applies(self.rules["CLAR-NEW-RESTRICTION"], ctx):
            n, why = self._new_restrictions(dossier, findings)
            counts["CLAR-NEW-RESTRICTION"] += n
            # a sentence the diff already reports (with the triggered rule's severity) is not listed twice
            from ..normalize import for_matching

            diffed = {(f.documents[0].path, for_matching(f.excerpt)) for f in findings
                      if f.rule_id == "CLAR-NEW-RESTRICTION" and "触发规则" in f.values}
            before = len(findings)
            findings[:] = [f for f in findings if not (
                f.rule_id == "CLAR-NEW-RESTRICTION" and "触发规则" not in f.values
                and (f.documents[0].path, for_matching(f.excerpt)) in diffed)]
            counts["CLAR-NEW-RESTRICTION"] -= before - len(findings)
            if why:
                results["_CLAR-NEW-RESTRICTION"] = RuleResult(rule_id="CLAR-NEW-RESTRICTION",
                                                              outcome=Outcome.missing_data, reason=why)
        for rule in rules:
            na = self._applies(rule, ctx)
            if na:
                results[rule.id] = RuleResult(rule_id=rule.id, outcome=Outcome.not_applicable, reason=na)
            elif counts.get(rule.id):
                results[rule.id] = RuleResult(rule_id=rule.id, outcome=Outcome.flag, findings=counts[rule.id])
            elif not ran.get(rule.id):
                results[rule.id] = RuleResult(
                    rule_id=rule.id, outcome=Outcome.missing_data,
                    reason=f"案卷中没有{'、'.join(rule.doc_types)}，无法检查" + (
                        "（未发出澄清的，本规则无需检查）" if rule.doc_types == ["澄清修改"] else ""))
            elif "_" + rule.id in results:
                results[rule.id] = results["_" + rule.id]
            else:
                results[rule.id] = RuleResult(rule_id=rule.id, outcome=Outcome.no_flag)
        results.pop("_CLAR-NEW-RESTRICTION", None)

    def _new_restrictions(self, dossier: Dossier, findings: list[ProjectFinding]) -> tuple[int, str]:
        """Restrictive clauses a clarification adds: the clarification's per-document findings of the restriction
        families whose rule the 招标文件 does not trigger (catalogue CLAR-NEW-RESTRICTION: 前后差分)."""
        rule = self.rules["CLAR-NEW-RESTRICTION"]
        tenders = [d for d in dossier.of_type("招标文件") if d.report is not None]
        before = {f.rule_id for d in tenders for f in d.report.findings}
        n = 0
        for d in dossier.of_type("澄清修改"):
            if d.report is None:
                continue
            for f in d.report.findings:
                if not f.rule_id.startswith(RESTRICTION_FAMILIES) or f.severity == Severity.info or f.rule_id in before:
                    continue
                ev = d.evidence("新增条款", f.excerpt, excerpt=f.excerpt, location=f.location)
                docs = [ev]
                if tenders:
                    docs.append(tenders[0].evidence(f"{f.rule_id}", "无此类条款", excerpt=""))
                    comparison = f"澄清修改（{d.rel}）新增「{f.excerpt}」→ {f.rule_id} {f.title}；招标文件中无此类条款"
                else:
                    comparison = f"澄清修改（{d.rel}）含「{f.excerpt}」→ {f.rule_id} {f.title}（招标文件不在案卷中，未能确认是否新增）"
                severity = f.severity if tenders else min(f.severity, Severity.warning, key=lambda s: s.rank)
                findings.append(ProjectFinding(
                    rule_id=rule.id, title=rule.title, severity=severity, stage="S3", stage_name=STAGES["S3"],
                    message=rule.message + f"（{f.rule_id}：{f.message}）", suggestion=rule.suggestion,
                    basis=rule.basis + f.basis, documents=docs, values={"触发规则": f"{f.rule_id} {f.title}",
                                                                        "比较": comparison},
                    excerpt=f.excerpt, matched=f.matched,
                    fingerprint=ProjectFinding.make_fingerprint(rule.id, f.fingerprint)))
                n += 1
        if dossier.of_type("澄清修改") and not tenders:
            return n, "缺少招标文件，无法判断澄清是否新增限制性条款"
        return n, ""

    # ------------------------------------------------------------------------------------------------------- report

    def _report(self, dossier: Dossier, ctx: Context, pf: ProjectFacts, findings: list[ProjectFinding],
                results: dict[str, RuleResult]) -> ProjectReport:
        entries = []
        for d in sorted(dossier.docs, key=lambda d: (d.stage, d.rel)):
            e = DocumentEntry(path=d.rel, doc_type=d.doc_type, stage=d.stage, stage_name=STAGES.get(d.stage, ""),
                              type_from=d.type_from, title=d.title,
                              dates={k: v.evidence.value for k, v in d.keys.items()})
            if d.doc is not None:
                e.format, e.sha256, e.pages = (d.doc.source.format.value, d.doc.source.sha256,
                                               d.doc.source.page_count or d.doc.coverage.pages)
            if d.error is not None:
                e.error, e.error_code = d.error.one_line(), d.error.exit_code
            if d.report is not None:
                e.regime = d.report.document.regime
                e.findings = list(d.report.findings)
                e.missing_rules = [r for r in d.report.results if r.outcome == Outcome.missing_data]
            entries.append(e)
        missing_docs: dict[str, list[str]] = {}
        for stage, types in REQUIRED_BY_STAGE.items():
            if stage == "S5" and ctx.regime != "工程":
                continue
            need = list(types) + (["合同公告"] if stage == "S7" and ctx.regime == "政府采购" else [])
            absent = [t for t in need if not dossier.has_type(t)]
            if absent:
                missing_docs[stage] = absent
        name = (dossier.manifest.project if dossier.manifest and dossier.manifest.project else None) or (
            dossier.registration.project if dossier.registration and dossier.registration.project else None) or \
            _project_name(dossier) or dossier.directory.name
        notes = list(pf.notes)
        for d in dossier.docs:
            if d.error is not None:
                notes.append(f"{d.rel}：无法读取（{d.error.message}），依赖该文件的规则按缺少数据处理")
        return ProjectReport(
            tool_version=tool_version(), rulepack_version=self.main.pack.version,
            project_rulepack_version=self.pack.version,
            project=ProjectInfo(name=name, directory=str(dossier.directory), regime=ctx.regime,
                                procurement=ctx.procurement, state_funded=ctx.state_funded,
                                state_funded_from=ctx.state_funded_from,
                                manifest=dossier.manifest.path if dossier.manifest else None,
                                registration=dossier.registration.path if dossier.registration else None),
            documents=entries, missing_documents=missing_docs, timeline=pf.timeline, findings=findings,
            results=[results[r] for r in sorted(results)], rule_stages={r.id: r.stages[0] for r in self.pack.rules},
            facts=pf.facts, notes=notes)


def _project_name(dossier: Dossier) -> Optional[str]:
    for d in dossier.of_type("招标文件", "招标公告"):
        for c in d.doc.clauses[:40]:
            m = re.search(r"项目名称[:：](.{4,40})", c.norm)
            if m:
                return re.split(r"[,，;；。]", m.group(1))[0]
    return None
