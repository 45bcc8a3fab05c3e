"""Dossier → ProjectReport: per-document checks, then the project rules (rules/project/) over the project facts.

The per-document rule pack runs on every document as `tendercheck check` would (one `Checker`, reused). The project
rules are a pack of their own, in the same YAML schema, kept out of the per-document pack because their facts come
from several documents:

- `compare` rules compare project facts (checker/project/facts/, one module per fact family) in the durable-rules engine, through a second
  `Checker`'s engine built from the project pack (`checker.rules.compile.definitions`): a period between two
  documents' dates against a limit, or a value of one document against the same value in another;
- `match` and `absent` rules read the text of the documents of their `doc_types` through the same `Checker`
  (checker/project/text.py), with the named conditions and `added_by` diffs their YAML asks for.

A rule whose facts come from a document that is not in the dossier is `missing_data` and names that document.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from ..findings import Outcome, RuleResult
from ..pipeline import Checker, tool_version
from ..rules.loader import DEFAULT_RULES_DIR, RulePack
from ..rules import registry
from ..rules.schema import STAGES
from .compare import run_compare
from .facts import Context, ProjectFacts, check_pack_facts, derive
from .dossier import Dossier, discover, load_document
from .readers import read_document
from .report import DocumentEntry, ProjectFinding, ProjectInfo, ProjectReport
from .text import run_text

PROJECT_RULES_DIR = DEFAULT_RULES_DIR / "project"
REQUIRED_BY_STAGE = {
    "S1": ["项目登记"], "S2": ["招标文件"], "S4": ["评标报告"], "S5": ["中标候选人公示"],
    "S6": ["中标结果公告", "中标通知书"], "S7": ["合同"],
}


def load_project_pack(rules_dir: Optional[Path] = None) -> RulePack:
    """The cross-document pack (checker.rules.registry), refused when a compare rule names a fact no fact family
    (checker/project/facts/) provides: one line naming the rule and the fact."""
    pack = registry.load_project_pack(rules_dir)
    check_pack_facts(pack)
    return pack


class ProjectChecker:
    """Build once per process (two rule packs compiled: the per-document one and rules/project)."""

    def __init__(self, main: Optional[Checker] = None, pack: Optional[RulePack] = None,
                 params: Optional[dict] = None):
        self.main = main if main is not None else Checker()
        self.pack = pack or load_project_pack()
        if pack is not None:
            check_pack_facts(pack)  # a pack selected elsewhere (registry.load_packs) is checked here
        self.params = dict(params or {})
        self.checker = Checker(pack=self.pack, params=self.params)
        self.rules = {r.id: r for r in self.pack.rules}

    # --------------------------------------------------------------------------------------------------- entry points

    def check_dir(self, directory: Path, manifest: Optional[Path] = None, registration: Optional[Path] = None,
                  regime: Optional[str] = None) -> ProjectReport:
        """The dossier in `directory`, read and checked. Each document's report is as `check` gives it when `main`
        is the session's document checker (checker/session.py: disabled rules, waivers, baseline)."""
        dossier = discover(Path(directory), manifest, registration)
        for d in dossier.docs:
            load_document(d)
        return self.check_dossier(dossier, regime=regime)

    def check_dossier(self, dossier: Dossier, regime: Optional[str] = None, run_documents: bool = True) -> ProjectReport:
        ctx = self._context(dossier, regime)
        for d in dossier.docs:
            if not d.readable:
                continue
            if run_documents:
                report = self.main.check(d.doc, regime=ctx.regime, doc_type=d.doc_type, procurement=ctx.procurement,
                                         classified=d.classification())
                d.report = report
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
        run_compare(self.checker, self.rules, self.params, dossier, ctx, pf, findings, results)
        run_text(self.checker, self.rules, dossier, ctx, findings, results)
        order = {s: i for i, s in enumerate(STAGES)}
        findings.sort(key=lambda f: (order.get(f.stage, 9), -f.severity.rank, f.rule_id, f.values.get("比较", "")))
        return self._report(dossier, ctx, pf, findings, results)

    # ------------------------------------------------------------------------------------------------------ context

    def _context(self, dossier: Dossier, regime: Optional[str]) -> Context:
        m, reg = dossier.manifest, dossier.registration
        procurement = None
        detected = None
        # The documents say which law binds the project: the tender first, else any stage document (a lone 成交结果公告
        # or 更正公告 says 政府采购 as clearly as its tender would). Never a default: a 政府采购 notice judged as 工程
        # loses every 政府采购 rule.
        order = ("招标文件", "招标公告", "资格预审文件", "资格预审公告", "评标报告", "中标结果公告", "中标通知书",
                 "中标候选人公示", "澄清修改", "合同", "合同公告")
        for t in order + tuple(sorted({d.doc_type for d in dossier.docs if d.doc is not None} - set(order))):
            docs = [d.classification() for d in dossier.of_type(t) if d.doc is not None]
            if docs:
                detected = docs[0].regime, docs[0].procurement
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
