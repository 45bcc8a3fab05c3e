"""`tendercheck project`'s own pieces: --param parsing, the exit code and --test-rules (the command itself runs
through the Session, checker/session.py, as `check` and `scan` do).

Exit codes (as `check`): 0 no finding at or above --fail-on; 1 findings at or above it (a project finding or any
document's); 2 usage, configuration, manifest, registration record or rule-pack error. A document that cannot be read
does not stop the check: it is listed in the report with its reason, and the rules that needed it report missing
data. When no finding fails the gate but a document could not be read, the exit code is that document's (3..11, the
first in stage order): the check is incomplete, so the project does not pass. Findings win over unreadable documents
(1), since the project already fails.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from ..errors import EXIT_FINDINGS, EXIT_OK, UsageError
from .render import failing


def parse_params(items: tuple[str, ...]) -> dict:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--param 应写作 名称=数值：{item}")
        try:
            out[key.strip()] = float(value)
        except ValueError:
            raise UsageError(f"--param {key} 的值不是数值：{value}") from None
        from ..config import PARAM_MAX

        if not 0 <= out[key.strip()] <= PARAM_MAX:  # also nan/inf: the engine cannot hold them (exit 12 before)
            raise UsageError(f"--param {key} 的值 {value} 超出范围（0 至 {PARAM_MAX:.0e}）")
    return out


def exit_code(report, fail_on: str = "error") -> int:
    if failing(report, fail_on):
        return EXIT_FINDINGS
    codes = [d.error_code for d in report.documents if d.error_code]
    return codes[0] if codes else EXIT_OK


def test_project_rules(project_rules: Optional[str] = None, echo=print) -> int:
    """Run every project rule's own examples; 1 when one fails (the contract of `tendercheck rules test`)."""
    from .runner import ProjectChecker, load_project_pack
    from .selftest import run_all_examples

    pc = ProjectChecker(pack=load_project_pack(Path(project_rules) if project_rules else None))
    results = run_all_examples(pc)
    failed = [r for r in results if not r.ok]
    for f in failed:
        text = f.text.replace("\n", " / ")
        echo(f"未通过 {f.rule_id}：{f.verdict()}：{text}")
    echo(f"项目规则示例 {len(results)} 个：通过 {len(results) - len(failed)} 个，未通过 {len(failed)} 个")
    return 1 if failed else 0
