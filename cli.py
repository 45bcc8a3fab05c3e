"""Command-line entry point. Thin on purpose: options in, library call, renderer out, exit code."""
from __future__ import annotations

import functools
import shutil
import sys
import tempfile
from pathlib import Path

import click

from checker.errors import EXIT_USAGE, TenderCheckError, UsageError

INPUT_FORMATS = ["docx", "pdf", "doc", "wps", "txt", "md"]


def _one_line_errors(func):
    """Every expected failure ends as one line on stderr and its exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except TenderCheckError as err:
            click.echo(err.one_line(), err=True)
            sys.exit(err.exit_code)
        except KeyboardInterrupt:
            click.echo("tendercheck: 已中断", err=True)
            sys.exit(130)

    return wrapper


def _parse(file: str, input_format: str | None):
    from checker.ingest import parse

    if file != "-":
        return parse(Path(file), declared=input_format)
    if not input_format:
        raise click.UsageError("从标准输入读取时必须用 --input-format 指明格式（docx/pdf/doc/wps/txt/md）")
    # A platform pipes an upload: spool it to a temp file, since the PDF and DOCX readers need random access.
    with tempfile.TemporaryDirectory(prefix="tendercheck-stdin-") as tmp:
        target = Path(tmp) / f"stdin.{input_format}"
        with open(target, "wb") as out:
            shutil.copyfileobj(sys.stdin.buffer, out)
        return parse(target, declared=input_format)


file_argument = click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
input_format_option = click.option("--input-format", type=click.Choice(INPUT_FORMATS),
                                   help="文件的真实格式（从标准输入读取时必填）")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tendercheck")
def main() -> None:
    """tendercheck：招标采购文件合规检查（公共资源交易在线日常检查）。"""


@main.command("parse")
@file_argument
@input_format_option
@click.option("--format", "out_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--summary", is_flag=True, help="只显示解析覆盖情况，不列出条款")
@click.option("--facts", "show_facts", is_flag=True, help="列出识别出的金额、比例、期限、日期及推算的期间")
@_one_line_errors
def parse_cmd(file: str, input_format: str | None, out_format: str, summary: bool, show_facts: bool) -> None:
    """解析文件，显示条款树与解析覆盖情况。"""
    doc = _parse(file, input_format)
    if show_facts:
        from checker.facts.derived import derive
        from checker.facts.extract import extract_facts
        from checker.report.parse_text import render_facts

        facts = extract_facts(doc)
        derived, notes = derive(facts)
        if out_format == "json":
            click.echo("[" + ",".join(f.model_dump_json() for f in facts + derived) + "]")
        else:
            click.echo(render_facts(facts + derived, notes))
        return
    if out_format == "json":
        click.echo(doc.model_dump_json(indent=1, exclude={"clauses"} if summary else None))
    else:
        from checker.report.parse_text import render_parse

        click.echo(render_parse(doc, show_clauses=not summary))


SEVERITIES = ["info", "warning", "error"]
rules_dir_option = click.option("--rules", "rules_dir", type=click.Path(file_okay=False, exists=True),
                                help="规则目录（默认为随附的 rules/）")


def _checker(rules_dir: str | None):
    from checker.pipeline import Checker

    return Checker(rules_dir=Path(rules_dir) if rules_dir else None)


@main.command("check")
@file_argument
@input_format_option
@click.option("--format", "out_format", type=click.Choice(["text", "json", "sarif", "junit", "html", "xlsx"]),
              default="text", show_default=True, help="输出格式（xlsx 须配合 --output）")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="写入文件而不是标准输出")
@click.option("--regime", type=click.Choice(["工程", "政府采购"]), help="覆盖自动识别的适用体系")
@click.option("--doc-type", help="覆盖自动识别的文件类型（如 招标文件、资格预审文件）")
@click.option("--procurement", type=click.Choice(["工程", "货物", "服务"]), help="覆盖自动识别的采购对象（政府采购分货物、服务）")
@click.option("--fail-on", type=click.Choice(SEVERITIES),
              help="有此级别及以上的问题（未豁免）时退出码为 1  [默认：配置中的 fail_on，否则 error]")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="配置文件（默认：从当前目录向上查找 tendercheck.toml 或 pyproject.toml 的 [tool.tendercheck]）")
@click.option("--waivers", "waivers_file", type=click.Path(dir_okay=False),
              help="豁免文件（默认：配置中的 waivers，或向上查找 tendercheck-waivers.yml）")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="上一次的 JSON（或 SARIF）报告：只报告其中没有的新问题")
@rules_dir_option
@_one_line_errors
def check_cmd(file: str, input_format: str | None, out_format: str, output: str | None, regime: str | None,
              doc_type: str | None, procurement: str | None, fail_on: str | None, config_file: str | None, waivers_file: str | None,
              baseline_file: str | None, rules_dir: str | None) -> None:
    """检查一个文件，按阶段列出问题条款。退出码：0 无问题，1 有问题，2 用法/配置/规则错误，3–11 文件无法读取。"""
    from checker.pipeline import Checker
    from checker.report.gate import Gate, exit_code, render
    from checker.rules.schema import DOC_TYPES

    if doc_type and doc_type not in DOC_TYPES:
        raise click.BadParameter(f"可用：{'、'.join(DOC_TYPES)}", param_hint="--doc-type")
    if out_format == "xlsx" and not output:
        raise click.UsageError("--format xlsx 需要 --output 文件名")
    gate = Gate(config_file, rules_dir, waivers_file, baseline_file, fail_on)  # exit 2 before reading the document
    doc = _parse(file, input_format)
    params = {"params": gate.config.params} if gate.config.params else {}  # [params]: numeric rules' local limits
    report = gate.finish(Checker(pack=gate.pack, **params).check(doc, regime=regime, doc_type=doc_type,
                                                                          procurement=procurement))
    if out_format == "text" and not output:
        from checker.report.terminal import render as render_terminal

        render_terminal(report, fail_on=gate.fail_on)
    else:
        data = render(report, out_format, fail_on=gate.fail_on, pack=gate.pack, doc=doc)
        if output:
            try:
                Path(output).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
            except OSError as exc:
                raise UsageError(f"无法写入输出文件：{exc.strerror or exc}", output) from None
        else:
            click.echo(data, nl=False)
    sys.exit(exit_code(report, gate.fail_on))


@main.group("rules")
def rules_group() -> None:
    """查看和测试规则包。"""


@rules_group.command("list")
@rules_dir_option
@_one_line_errors
def rules_list(rules_dir: str | None) -> None:
    """列出全部规则。"""
    from checker.rules.loader import load_pack

    pack = load_pack(Path(rules_dir) if rules_dir else None)
    click.echo(f"{pack.name} {pack.version}：{len(pack.rules)} 条规则")
    for r in sorted(pack.rules, key=lambda r: r.id):
        click.echo(f"{r.id:34} {r.severity.value:8} {r.regime.value:5} {'/'.join(r.stages):6} {r.title}")


@rules_group.command("show")
@click.argument("rule_id")
@rules_dir_option
@_one_line_errors
def rules_show(rule_id: str, rules_dir: str | None) -> None:
    """显示一条规则的全部内容。"""
    import yaml

    from checker.rules.loader import load_pack

    pack = load_pack(Path(rules_dir) if rules_dir else None)
    rule = pack.get(rule_id)
    if rule is None:
        raise click.BadParameter(f"没有规则 {rule_id}", param_hint="RULE_ID")
    click.echo(f"# {pack.files[rule.id]}")
    click.echo(yaml.safe_dump(rule.model_dump(mode="json", exclude_none=True), allow_unicode=True, sort_keys=False))


@rules_group.command("test")
@rules_dir_option
@_one_line_errors
def rules_test(rules_dir: str | None) -> None:
    """运行每条规则自带的示例：应命中的必须命中，不应命中的必须不命中。"""
    from checker.rules.selftest import run_all_examples

    checker = _checker(rules_dir)
    results = run_all_examples(checker)
    failed = [r for r in results if not r.ok]
    for f in failed:
        click.echo(f"FAIL {f.rule_id}: {'应命中未命中' if f.expected else '不应命中却命中'}：{f.text}")
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        sys.exit(1)


@main.group("template")
def template_group() -> None:
    """示范文本模板：编译（build）与查看（show）。"""


@template_group.command("build")
@click.argument("model", type=click.Path(dir_okay=False, exists=True))
@click.option("--spec", "spec_path", required=True, type=click.Path(dir_okay=False, exists=True),
              help="规格文件（YAML：章节、原样引用部分），见 rules/templates/README.md")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="模板文件（默认：示范文本同名 .template.json）")
@_one_line_errors
def template_build(model: str, spec_path: str, output: str | None) -> None:
    """编译示范文本（DOCX/PDF/DOC/文本）为可复用的模板文件。"""
    from checker.template import build_template, save_template

    template = build_template(Path(model), Path(spec_path))
    target = Path(output) if output else Path(model).with_suffix(".template.json")
    save_template(template, target)
    click.echo(f"{target}：{template.spec.name}，原样引用条款 {len(template.clauses)} 条")


@template_group.command("show")
@click.argument("template")
@click.option("--format", "out_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_one_line_errors
def template_show(template: str, out_format: str) -> None:
    """显示模板：模板文件（.json）、规格文件（.yaml），或随附规格的文件类型（招标文件、资格预审文件）。"""
    from checker.template.show import describe, resolve_template

    found = resolve_template(template)
    click.echo(found.model_dump_json(indent=1) if out_format == "json" else describe(found))


if __name__ == "__main__":  # pragma: no cover
    main()
