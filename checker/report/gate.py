"""The CI gate: which findings count, the exit code, and one entry point for every output format.

Exit codes (README, stable): 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, configuration,
waiver, baseline or rule-pack error; 3..11 the document could not be read (checker/errors.py).
"""
from __future__ import annotations

from typing import Optional

from ..errors import EXIT_DAMAGED, EXIT_FINDINGS, EXIT_OK
from ..findings import Finding, Outcome, Report, RuleResult
from ..models import Document
from ..rules.loader import RulePack

SEVERITIES = ["info", "warning", "error"]
FORMATS = ["text", "json", "sarif", "junit", "html", "xlsx"]
BINARY_FORMATS = {"xlsx"}
DISABLED_REASON = "已在配置中停用"


def at_or_above(finding: Finding, fail_on: str) -> bool:
    return SEVERITIES.index(finding.severity.value) >= SEVERITIES.index(fail_on)


def active(report: Report) -> list[Finding]:
    """Findings that count: not waived (baseline-known findings are already out of the report)."""
    return [f for f in report.findings if f.waived is None]


def failing(report: Report, fail_on: str = "error") -> list[Finding]:
    return [f for f in active(report) if at_or_above(f, fail_on)]


def exit_code(report: Report, fail_on: str = "error") -> int:
    """1 for findings at the fail level; else 19 when the document was damaged (text may be missing, so "no
    finding" proves nothing); else 0."""
    if failing(report, fail_on):
        return EXIT_FINDINGS
    return EXIT_DAMAGED if damage(report) else EXIT_OK


def damage(report: Report) -> list:
    """The coverage's damage issues (checker/ingest/pdf_damage.py)."""
    from ..ingest.pdf_damage import PROBLEMS

    return [i for i in report.coverage.problem_pages if i.problem in PROBLEMS]


def with_disabled(report: Report, disabled: list[str], config_path: Optional[str] = None) -> Report:
    """Rules the configuration switched off still appear among the rule results, as not applicable, with the reason."""
    have = {r.rule_id for r in report.results}
    extra = [RuleResult(rule_id=r, outcome=Outcome.not_applicable, reason=DISABLED_REASON)
             for r in disabled if r not in have]
    results = sorted(report.results + extra, key=lambda r: r.rule_id)
    return report.model_copy(update={"results": results, "config": config_path})


def render(report: Report, fmt: str, *, fail_on: str = "error", pack: Optional[RulePack] = None,
           doc: Optional[Document] = None) -> str | bytes:
    """The report in `fmt` (text without colour; the CLI prints `text` to a terminal with colour itself)."""
    if fmt == "json":
        return report.model_dump_json(indent=1) + "\n"
    if fmt == "sarif":
        from .sarif import render_sarif

        return render_sarif(report, pack=pack, fail_on=fail_on)
    if fmt == "junit":
        from .junit import render_junit

        return render_junit(report, fail_on=fail_on, pack=pack)
    if fmt == "html":
        from .html import render_html

        return render_html(report, doc=doc, fail_on=fail_on)
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx(report)
    if fmt == "text":
        from .terminal import render_text

        return render_text(report, fail_on=fail_on)
    raise ValueError(f"unknown format {fmt}")


# ------------------------------------------------------------------------------------------------ wiring for the CLI


class Gate:
    """Everything a check needs besides the document, loaded (and validated) before the document is read, so that a
    bad configuration, waivers file, baseline or rule pack ends with exit code 2 whatever the document."""

    def __init__(self, config_file=None, rules_dir=None, waivers_file=None, baseline_file=None,
                 fail_on: Optional[str] = None):
        from pathlib import Path

        from ..config import build_pack, load_config
        from ..waivers import find_waivers, load_baseline, load_waivers

        self.config = load_config(Path(config_file) if config_file else None)
        self.fail_on = fail_on or (self.config.fail_on.value if self.config.fail_on else "error")
        self.pack, self.disabled = build_pack(self.config, Path(rules_dir) if rules_dir else None)
        waivers_path = waivers_file or self.config.waivers_path() or find_waivers()
        self.waivers_path = str(waivers_path) if waivers_path else None
        self.waivers = load_waivers(Path(waivers_path)) if waivers_path else []
        self.baseline_path = str(baseline_file) if baseline_file else None
        self.baseline = load_baseline(Path(baseline_file)) if baseline_file else None

    def finish(self, report: Report, today=None) -> Report:
        """Disabled rules listed, waivers applied, then baseline-known findings left out."""
        from ..waivers import apply_baseline, apply_waivers

        report = with_disabled(report, self.disabled, self.config.path)
        if self.waivers:
            report = apply_waivers(report, self.waivers, today)
        if self.baseline is not None:
            report = apply_baseline(report, self.baseline, self.baseline_path)
        return report
