"""`tendercheck project DIR`: options in, the project report out, the exit code.

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


def build(config_file: Optional[str], rules_dir: Optional[str], project_rules: Optional[str],
          extra_params: dict):
    """The two rule packs the configuration asks for (checker.rules.registry.load_packs), the waivers, fail_on."""
    from ..config import load_config
    from ..pipeline import Checker
    from ..rules.registry import load_packs
    from ..waivers import find_waivers, load_waivers
    from .runner import ProjectChecker

    config = load_config(Path(config_file) if config_file else None)
    packs = load_packs(Path(rules_dir) if rules_dir else None, Path(project_rules) if project_rules else None,
                       config, extra_params)
    main = Checker(pack=packs.document, params=packs.params or None)
    pc = ProjectChecker(main=main, pack=packs.project, params=packs.project_params)
    waivers_path = config.waivers_path() or find_waivers()
    waivers = load_waivers(Path(waivers_path)) if waivers_path else []
    fail_on = config.fail_on.value if config.fail_on else None
    return pc, list(packs.disabled), list(packs.project_disabled), waivers, fail_on


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


def run_project(directory: str, manifest: Optional[str] = None, registration: Optional[str] = None,
                out_format: str = "text", output: Optional[str] = None, regime: Optional[str] = None,
                fail_on: Optional[str] = None, config_file: Optional[str] = None, rules_dir: Optional[str] = None,
                project_rules: Optional[str] = None, params: tuple[str, ...] = (), echo=print) -> int:
    from ..report.gate import with_disabled
    from ..waivers import apply_waivers
    from .render import render as render_terminal, render_text

    if not Path(directory).is_dir():
        raise UsageError("不是目录", directory)
    pc, disabled, project_disabled, waivers, config_fail_on = build(config_file, rules_dir, project_rules,
                                                                   parse_params(params))
    fail_on = fail_on or config_fail_on or "error"

    def finish(report):
        report = with_disabled(report, disabled)
        return apply_waivers(report, waivers) if waivers else report

    report = pc.check_dir(Path(directory), Path(manifest) if manifest else None,
                          Path(registration) if registration else None, regime=regime, finish=finish)
    if waivers:  # a waiver names a project finding by its rule and fingerprint (or a piece of its excerpt)
        from datetime import date

        from ..findings import WaiverInfo

        for f in report.findings:
            w = next((w for w in waivers if w.matches(f) and w.expires >= date.today()), None)
            if w is not None:
                f.waived = WaiverInfo(reason=w.reason, approver=w.approver, expires=w.expires)
    if project_disabled:
        from ..findings import Outcome, RuleResult

        report.results = sorted(report.results + [RuleResult(rule_id=r, outcome=Outcome.not_applicable,
                                                             reason="已在配置中停用") for r in project_disabled],
                                key=lambda r: r.rule_id)
    if out_format == "json":
        data = report.model_dump_json(indent=1) + "\n"
    elif out_format in ("html", "xlsx", "sarif"):  # issue 17: the formats `check` has
        from ..report.project_formats import render_project

        if out_format == "xlsx" and not output:
            raise UsageError("--format xlsx 需要 --output 文件")
        data = render_project(report, out_format, fail_on)
    elif output:
        data = render_text(report, fail_on=fail_on)
    else:
        data = None
        render_terminal(report, fail_on=fail_on)
    if data is not None:
        if output:
            try:
                Path(output).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
            except OSError as exc:
                raise UsageError(f"无法写入输出文件：{exc.strerror or exc}", output) from None
        else:
            echo(data, nl=False) if echo is not print else print(data, end="")
    return exit_code(report, fail_on)


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
