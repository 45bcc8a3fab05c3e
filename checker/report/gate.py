"""The CI gate: which findings count, the exit code, and one entry point for every output format. (What a check
needs besides the document — configuration, waivers, baseline — is checker.session.Session.)

Exit codes (README, stable): 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, configuration,
waiver, baseline or rule-pack error; 3..11 the document could not be read (checker/errors.py).
"""
from __future__ import annotations

from typing import Optional

from ..errors import EXIT_DAMAGED, EXIT_FINDINGS, EXIT_OK
from ..findings import Finding, Outcome, Report, RuleResult
from ..models import Document
from ..rules.loader import RulePack
from ..vocab import DISABLED_REASON, at_or_above

FORMATS = ["text", "json", "sarif", "junit", "html", "xlsx"]
BINARY_FORMATS = {"xlsx"}


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
