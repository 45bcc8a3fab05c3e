"""One session for every command: what a check needs besides the document, built once from the options and the
configuration file, and used by `check`, `project`, `scan` (and a future `serve`), so that they agree by construction.

    session = Session(SessionOptions(config="tendercheck.toml", waivers="w.yml"))    # exit 2 here on a bad file
    report = session.check(doc, DocumentOptions(regime="政府采购"))                    # rules, template, waivers, baseline
    project = session.check_project(ProjectOptions(directory="dossier/"))

Everything that can be wrong with the configuration, the rule packs, the waivers or the baseline is found when the
session is built, before any document is read (exit code 2 whatever the document). `SessionOptions` is small, frozen
and picklable: a batch worker (a forked or spawned process, a Dask worker) rebuilds the same Session from it
(`options.resolved()` first, in the parent: a worker's current directory is not the user's).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Optional

from .config import Config, find_config, load_config
from .doctype import Classification
from .findings import Report
from .pipeline import TEMPLATE_AUTO, Checker
from .report.gate import with_disabled
from .vocab import DISABLED_REASON
from .waivers import Waiver, apply_baseline, apply_waivers, find_waivers, load_baseline, load_waivers


@dataclass(frozen=True)
class SessionOptions:
    """The command-line options that shape every check of a run (None: the configuration's value, else the
    default)."""

    config: Optional[str] = None  # --config; None: found from the current directory upward
    rules_dir: Optional[str] = None  # --rules
    project_rules: Optional[str] = None  # --project-rules (tendercheck project)
    waivers: Optional[str] = None  # --waivers; None: the configuration's, else tendercheck-waivers.yml upward
    baseline: Optional[str] = None  # --baseline
    fail_on: Optional[str] = None  # --fail-on; None: the configuration's fail_on, else error
    template: Optional[str] = None  # --template; "none" skips the model-document comparison
    ocr_mode: Optional[str] = None  # --ocr; None: the configuration's [ocr] mode
    params: tuple[tuple[str, float], ...] = ()  # --param k=v, over the configuration's [params]
    search: bool = True  # look for a configuration / waiver file from the current directory upward when not given

    def resolved(self) -> "SessionOptions":
        """The same options with the configuration and waivers found now and every path absolute, for a process
        whose current directory differs (a batch worker): it then looks for nothing itself."""
        if not self.search:
            return self
        config = self.config or find_config()
        waivers = self.waivers
        if waivers is None:
            waivers = load_config(Path(config) if config else None).waivers_path() or find_waivers()
        return replace(self, search=False, config=_absolute(config), rules_dir=_absolute(self.rules_dir),
                       project_rules=_absolute(self.project_rules), waivers=_absolute(waivers),
                       baseline=_absolute(self.baseline),
                       template=self.template if self.template in (None, "none") or not Path(self.template).exists()
                       else _absolute(self.template))


@dataclass(frozen=True)
class DocumentOptions:
    """What the caller states about one document, over what is recognised in it."""

    regime: Optional[str] = None  # 工程 / 政府采购, or a detailed regime (依法必须招标 …)
    procedure: Optional[str] = None
    on_date: Optional[date] = None
    doc_type: Optional[str] = None
    procurement: Optional[str] = None
    classified: Optional[Classification] = None  # already classified by the caller (a dossier's document): not again


@dataclass(frozen=True)
class ProjectOptions:
    directory: str
    manifest: Optional[str] = None
    registration: Optional[str] = None
    regime: Optional[str] = None


def _absolute(path: Optional[str | Path]) -> Optional[str]:
    return str(Path(path).resolve()) if path else None


@dataclass
class _Packs:
    """The rule selection the configuration asks for (one call: part A's registry takes its place)."""

    checker: Checker
    disabled: list[str]
    project: Optional[object] = None  # a ProjectChecker, for `tendercheck project`
    project_disabled: list[str] = field(default_factory=list)


def select_rules(config: Config, options: SessionOptions, project: bool = False) -> _Packs:
    """Both packs as the configuration asks (checker.rules.registry.load_packs, the one rule selection of every
    command), compiled: the per-document Checker, and with `project` the dossier checker around it."""
    from .rules.registry import load_packs

    packs = load_packs(Path(options.rules_dir) if options.rules_dir else None,
                       Path(options.project_rules) if options.project_rules else None, config, dict(options.params))
    checker = Checker(pack=packs.document, params=packs.params or None)
    if not project:
        return _Packs(checker=checker, disabled=list(packs.disabled))
    from .project.runner import ProjectChecker

    pc = ProjectChecker(main=checker, pack=packs.project, params=packs.project_params)
    return _Packs(checker=checker, disabled=list(packs.disabled), project=pc,
                  project_disabled=list(packs.project_disabled))


class Session:
    """Configuration, rule packs, templates, waivers, baseline, params, fail-on and OCR settings of one run."""

    def __init__(self, options: Optional[SessionOptions] = None, *, project: bool = False):
        self.options = options = options or SessionOptions()
        self.config = (load_config(Path(options.config)) if options.config
                       else load_config() if options.search else Config())
        self.fail_on = options.fail_on or (self.config.fail_on.value if self.config.fail_on else "error")
        self.packs = select_rules(self.config, options, project=project)
        waivers_path = options.waivers or self.config.waivers_path() or (find_waivers() if options.search else None)
        self.waivers_path = str(waivers_path) if waivers_path else None
        self.waivers: list[Waiver] = load_waivers(Path(waivers_path)) if waivers_path else []
        self.baseline_path = str(options.baseline) if options.baseline else None
        self.baseline = load_baseline(Path(options.baseline)) if options.baseline else None
        self._templates: dict[str, object] = {}

    @classmethod
    def from_config(cls, config: Optional[str] = None, *, project: bool = False, **options) -> "Session":
        """A session without click (a web service): the configuration file and any SessionOptions field."""
        return cls(SessionOptions(config=config, **options), project=project)

    # ---------------------------------------------------------------------------------------------------- settings

    @property
    def checker(self) -> Checker:
        return self.packs.checker

    @property
    def pack(self):
        return self.packs.checker.pack

    @property
    def disabled(self) -> list[str]:
        return self.packs.disabled

    @property
    def ocr_mode(self) -> str:
        return self.options.ocr_mode or self.config.ocr.mode

    def configure_ocr(self, progress: bool, jobs: int) -> None:
        """Process-wide OCR settings (ingest/ocr.py) from --ocr and the configuration's [ocr]."""
        from .ingest import ocr

        ocr.configure(mode=self.ocr_mode, page_timeout=self.config.ocr.page_timeout, progress=progress, jobs=jobs)

    def template_for(self, cls):
        """The model document to compare a classified document with: --template wins (none: no comparison); then
        the configured template for its type or regime; then the bundled structure spec where one applies."""
        name = self.options.template
        if name == "none":
            return None
        if not name:
            configured = self.config.template_for(cls.doc_type, cls.regime)
            if configured is None:
                return TEMPLATE_AUTO
            name = str(configured)
        if name not in self._templates:
            from .template import resolve_template

            self._templates[name] = resolve_template(name)
        return self._templates[name]

    # ------------------------------------------------------------------------------------------------ one document

    def check(self, doc, opts: Optional[DocumentOptions] = None) -> Report:
        """The document's report with the session's rules and template, then its gate (disabled rules listed,
        waivers applied, baseline-known findings left out)."""
        opts = opts or DocumentOptions()
        report = self.checker.check(doc, regime=opts.regime, doc_type=opts.doc_type, procurement=opts.procurement,
                                    procedure=opts.procedure, on_date=opts.on_date, template=self.template_for,
                                    classified=opts.classified)
        return self.finish(report)

    def finish(self, report: Report, today: Optional[date] = None) -> Report:
        report = with_disabled(report, self.disabled, self.config.path)
        if self.waivers:
            report = apply_waivers(report, self.waivers, today)
        if self.baseline is not None:
            report = apply_baseline(report, self.baseline, self.baseline_path)
        return report

    # ----------------------------------------------------------------------------------------------------- project

    def check_project(self, opts: ProjectOptions):
        """A dossier's report: every document through `check` (the same rules, templates, waivers and baseline),
        then the cross-document rules; waivers and the baseline also apply to project findings."""
        report = self._project_checker().check_dir(
            Path(opts.directory), Path(opts.manifest) if opts.manifest else None,
            Path(opts.registration) if opts.registration else None, regime=opts.regime)
        return self._finish_project(report)

    def check_dossier(self, dossier, regime: Optional[str] = None):
        """The same for a dossier already read (a scan's project job)."""
        return self._finish_project(self._project_checker().check_dossier(dossier, regime=regime))

    def _project_checker(self):
        pc = self.packs.project
        if pc is None:
            raise ValueError("Session(project=True) is needed to check a dossier")
        pc.main = _DocumentChecker(self)
        return pc

    def _finish_project(self, report):
        self._waive_project_findings(report)
        if self.baseline is not None:  # a project finding the baseline knows is left out, as a document's is
            report.findings = [f for f in report.findings if f.fingerprint not in self.baseline]
        if self.packs.project_disabled:
            from .findings import Outcome, RuleResult

            report.results = sorted(report.results + [
                RuleResult(rule_id=r, outcome=Outcome.not_applicable, reason=DISABLED_REASON)
                for r in self.packs.project_disabled], key=lambda r: r.rule_id)
        return report

    def _waive_project_findings(self, report) -> None:
        """A waiver names a project finding by its rule and fingerprint (or a piece of its excerpt)."""
        if not self.waivers:
            return
        from .findings import WaiverInfo

        today = date.today()
        for f in report.findings:
            w = next((w for w in self.waivers if w.matches(f) and w.expires >= today), None)
            if w is not None:
                f.waived = WaiverInfo(reason=w.reason, approver=w.approver, expires=w.expires)


class _DocumentChecker:
    """What the project runner asks of its per-document checker (`check`, `pack`), answered by the session, so a
    dossier's documents get the same templates, waivers and baseline as `check` gives them."""

    def __init__(self, session: Session):
        self.session = session
        self.pack = session.checker.pack

    def check(self, doc, regime=None, doc_type=None, procurement=None, procedure=None, on_date=None,
              classified=None) -> Report:
        return self.session.check(doc, DocumentOptions(regime=regime, doc_type=doc_type, procurement=procurement,
                                                       procedure=procedure, on_date=on_date, classified=classified))
