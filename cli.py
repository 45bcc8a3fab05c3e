"""Command-line entry point. Thin on purpose: options in, library call, renderer out, exit code."""
from __future__ import annotations

import functools
import os
import sys
import tempfile
from pathlib import Path

import click

from checker.batch.options import scan_options
from checker.clickzh import install as install_chinese_messages
from checker.errors import EXIT_DAMAGED, EXIT_INTERNAL, TenderCheckError, UsageError
from checker.vocab import PROCEDURES, SEVERITY_ORDER

install_chinese_messages()  # click's usage errors and help headings in Chinese (checker/clickzh.py)
INPUT_FORMATS = ["docx", "pdf", "doc", "wps", "txt", "md", "png", "jpg", "tif"]


def _one_line_errors(func):
    """Every expected failure ends as one line on stderr and its exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except TenderCheckError as err:
            if err.path is None and err.code == "memory-limit":  # raised by the watchdog, which knows no file
                err.path = kwargs.get("file")
            click.echo(err.one_line(), err=True)
            sys.exit(err.exit_code)
        except MemoryError:  # the ceiling of checker.limits was reached: the document, not a bug
            from checker.limits import out_of_memory

            err = out_of_memory(kwargs.get("file"))
            click.echo(err.one_line(), err=True)
            sys.exit(err.exit_code)
        except KeyboardInterrupt:
            click.echo("tendercheck: 已中断", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, SystemExit):
            raise
        except BrokenPipeError:  # the reader went away (`| head`): not an error of ours, and nothing left to say
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # a bug of ours: still one line, and a code of its own
            if os.environ.get("TENDERCHECK_DEBUG"):
                raise
            click.echo(f"tendercheck: 内部错误 {type(exc).__name__}: {exc}（请连同文件报告此问题；"
                       f"设置 TENDERCHECK_DEBUG=1 可显示详细信息） [internal]".replace("\n", " "), err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


def _parse(file: str, input_format: str | None, ocr_mode: str | None = None, session=None):
    """`session`: its OCR settings (--ocr, else the configuration's [ocr]); without one (`parse`), --ocr or auto."""
    from checker.ingest import ocr, parse
    from checker.limits import apply_memory_ceiling

    # A long scan says how far it got on stderr.
    if session is not None:
        session.configure_ocr(progress=True, jobs=os.cpu_count() or 1)
    else:
        ocr.configure(mode=ocr_mode or "auto", progress=True, jobs=os.cpu_count() or 1)
    apply_memory_ceiling()  # one document per process here: a hostile one ends in exit 18, not in the OOM killer
    if file != "-":
        return parse(Path(file), declared=input_format)
    if not input_format:
        raise click.UsageError("从标准输入读取时必须用 --input-format 指明格式（docx/pdf/doc/wps/txt/md）")
    # A platform pipes an upload: spool it to a temp file, since the PDF and DOCX readers need random access.
    with tempfile.TemporaryDirectory(prefix="tendercheck-stdin-") as tmp:
        target = Path(tmp) / f"stdin.{input_format}"
        with open(target, "wb") as out:
            _copy_limited(sys.stdin.buffer, out)
        doc = parse(target, declared=input_format)
        doc.source.path = f"stdin.{input_format}"  # not the temp path, which differs on every run (--name names it)
        return doc


def _copy_limited(src, dst) -> None:
    """Copy stdin only up to the file size limit (plus one byte, so the size check still names the breach):
    1,000 MB piped in must not be written to disk before exit 10."""
    from checker.ingest.sniff import DEFAULT_MAX_BYTES

    left = DEFAULT_MAX_BYTES + 1
    while left > 0:
        chunk = src.read(min(1 << 20, left))
        if not chunk:
            return
        dst.write(chunk)
        left -= len(chunk)


file_argument = click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
ocr_option = click.option("--ocr", "ocr_mode", type=click.Choice(["auto", "always", "never"]),
                          help="扫描页的文字识别：auto 只识别没有文字层的页，always 每页都识别，never 不识别"
                               "（扫描件退出码 5）  [默认：配置中的 [ocr] mode，否则 auto]")
waivers_option = click.option("--waivers", "waivers_file", type=click.Path(dir_okay=False),
                              help="豁免文件（默认：配置中的 waivers，或向上查找 tendercheck-waivers.yml）")
baseline_option = click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
                               help="上一次的 JSON（或 SARIF）报告：只报告其中没有的新问题")
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
@ocr_option
@_one_line_errors
def parse_cmd(file: str, input_format: str | None, out_format: str, summary: bool, show_facts: bool,
              ocr_mode: str | None) -> None:
    """解析文件，显示条款树与解析覆盖情况。"""
    doc = _parse(file, input_format, ocr_mode)
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


SEVERITIES = SEVERITY_ORDER
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
@click.option("--regime", type=click.Choice(["工程", "政府采购", "依法必须招标", "其他招标", "军队采购", "企业自主采购"]),
              help="覆盖自动识别的适用体系（依法必须招标/其他招标/企业自主采购 均属招标投标法体系）")
@click.option("--procedure", type=click.Choice(PROCEDURES), help="覆盖自动识别的采购方式（决定适用的期限规则）")
@click.option("--date", "on_date", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="按此日期适用的规定检查（YYYY-MM-DD）  [默认：文件的发布日期，否则投标截止日]")
@click.option("--doc-type", help="覆盖自动识别的文件类型（如 招标文件、资格预审文件）")
@click.option("--procurement", type=click.Choice(["工程", "货物", "服务"]), help="覆盖自动识别的采购对象（政府采购分货物、服务）")
@click.option("--fail-on", type=click.Choice(SEVERITIES),
              help="有此级别及以上的问题（未豁免）时退出码为 1  [默认：配置中的 fail_on，否则 error]")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="配置文件（默认：从当前目录向上查找 tendercheck.toml 或 pyproject.toml 的 [tool.tendercheck]）")
@waivers_option
@baseline_option
@click.option("--template", "template_name",
              help="与示范文本比对：编译好的模板 .json、规格 .yaml、示范文本（旁有 .spec.yaml）或 招标文件/资格预审文件"
                   "（随附章节规格）；none 表示不比对  [默认：配置中的模板，否则工程文件用随附章节规格]")
@click.option("--name", help="文件在平台上的名称：所有输出格式中以此称呼文件（标准输入、临时文件）")
@rules_dir_option
@ocr_option
@_one_line_errors
def check_cmd(file: str, input_format: str | None, out_format: str, output: str | None, regime: str | None,
              procedure: str | None, on_date, doc_type: str | None, procurement: str | None, fail_on: str | None,
              config_file: str | None, waivers_file: str | None, baseline_file: str | None, template_name: str | None,
              name: str | None, rules_dir: str | None, ocr_mode: str | None) -> None:
    """检查一个文件，按阶段列出问题条款。退出码：0 无问题，1 有问题，2 用法/配置/规则错误，3–11 文件无法读取，
    13–18 超过处理上限，19 文件已损坏（未发现问题不代表合规）。"""
    from checker.report.gate import exit_code, render
    from checker.session import DocumentOptions, Session, SessionOptions
    from checker.vocab import DOC_TYPES

    if doc_type and doc_type not in DOC_TYPES:
        raise click.BadParameter(f"可用：{'、'.join(DOC_TYPES)}", param_hint="--doc-type")
    if out_format == "xlsx" and not output:
        raise click.UsageError("--format xlsx 需要 --output 文件名")
    if file != "-":
        from checker.ingest.sniff import sniff

        # Only the file's head: a file that cannot be read (wrong type, empty, encrypted, too large) gets its one-line
        # error at once, not after the second or more that loading and compiling the rule pack takes.
        sniff(Path(file), declared=input_format)
    session = Session(SessionOptions(config=config_file, rules_dir=rules_dir, waivers=waivers_file,
                                     baseline=baseline_file, fail_on=fail_on, template=template_name,
                                     ocr_mode=ocr_mode))  # exit 2 before reading the document
    doc = _parse(file, input_format, session=session)
    if name:
        doc.source.path = name  # every format names the document as the platform knows it
    report = session.check(doc, DocumentOptions(regime=regime, procedure=procedure, doc_type=doc_type,
                                                procurement=procurement, on_date=on_date.date() if on_date else None))
    if out_format == "text" and not output:
        from checker.report.terminal import render as render_terminal

        render_terminal(report, fail_on=session.fail_on)
    else:
        _write_or_echo(render(report, out_format, fail_on=session.fail_on, pack=session.pack, doc=doc), output)
    code = exit_code(report, session.fail_on)
    if code == EXIT_DAMAGED:
        _say_damaged(report, file)
    for issue in report.coverage.problem_pages:
        if issue.problem == "font_not_installed":  # this machine, not the file: said apart from damage
            click.echo(f"注意：{file}：{issue.detail}", err=True)
    sys.exit(code)


def _write_or_echo(data: str | bytes, output: str | None) -> None:
    if output:
        try:
            Path(output).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        except OSError as exc:
            raise UsageError(f"无法写入输出文件：{exc.strerror or exc}", output) from None
    else:
        click.echo(data, nl=False)


def _say_damaged(report, file: str) -> None:
    from checker.errors import Damaged
    from checker.report.gate import damage

    found = damage(report)
    pages = [str(i.page) for i in found if i.page]
    where = f"（第 {'、'.join(pages[:10])} 页等）" if pages else ""
    click.echo(Damaged(f"文件已损坏，部分文字未能读取{where}，未发现问题不代表合规：{found[0].detail}", file).one_line(),
               err=True)


@main.group("rules")
def rules_group() -> None:
    """查看和测试规则包。"""


@rules_group.command("list")
@rules_dir_option
@_one_line_errors
def rules_list(rules_dir: str | None) -> None:
    """列出全部规则：文本、数值、阶段、跨文件（tendercheck project）和示范文本（STD-*）规则。"""
    from checker.rules.registry import all_rules

    rules = all_rules(Path(rules_dir) if rules_dir else None)
    packs: dict[str, int] = {}
    for e in rules:
        packs[e.pack] = packs.get(e.pack, 0) + 1
    click.echo("；".join(f"{name}：{n} 条规则" for name, n in packs.items()))
    from checker.batch.textcols import pad

    for e in rules:  # columns counted in display cells, so that Chinese kinds and regimes line up
        r = e.rule
        click.echo(f"{r.id:34} {pad(e.kind, 10)} {pad(r.severity.label, 6)} {pad(r.regime.value, 8)} "
                   f"{'/'.join(r.stages):6} {r.title}")


@rules_group.command("show")
@click.argument("rule_id")
@rules_dir_option
@_one_line_errors
def rules_show(rule_id: str, rules_dir: str | None) -> None:
    """显示一条规则的全部内容（任何一类规则）。"""
    import yaml

    from checker.rules.registry import find_rule

    entry = find_rule(rule_id, Path(rules_dir) if rules_dir else None)
    if entry is None:
        raise click.BadParameter(f"没有规则 {rule_id}", param_hint="RULE_ID")
    click.echo(f"# {entry.file}（{entry.kind}）")
    click.echo(yaml.safe_dump(entry.rule.model_dump(mode="json", exclude_none=True), allow_unicode=True,
                              sort_keys=False))


@rules_group.command("test")
@rules_dir_option
@_one_line_errors
def rules_test(rules_dir: str | None) -> None:
    """运行每条规则自带的示例（文本、数值、阶段、跨文件、示范文本规则）：应命中的必须命中，不应命中的必须不命中；
    已知未命中的（todo_flag）列为待改进，开始命中时失败以便转为 flag。"""
    from checker.project.runner import ProjectChecker
    from checker.project.selftest import run_all_examples as run_project_examples
    from checker.rules.registry import load_project_pack, project_rules_dir
    from checker.rules.selftest import run_all_examples

    checker = _checker(rules_dir)
    results = run_all_examples(checker)
    results += run_project_examples(ProjectChecker(
        main=checker, pack=load_project_pack(project_rules_dir(Path(rules_dir) if rules_dir else None))))
    failed = [r for r in results if not r.ok]
    todo = [r for r in results if r.todo and r.ok]
    for f in failed:
        click.echo(f"未通过 {f.rule_id}：{f.verdict()}：{f.text}")
    for t in todo:
        click.echo(f"待改进 {t.rule_id}：已知未命中：{t.text}")
    click.echo(f"规则示例 {len(results)} 个：通过 {len(results) - len(failed)} 个，未通过 {len(failed)} 个"
               + (f"（其中待改进 {len(todo)} 个）" if todo else ""))
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


@main.command("scan")
@click.argument("inputs", nargs=-1, type=click.Path(exists=True))
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="结果库（SQLite）；重复运行时跳过已检查的文件")
@click.option("--workers", type=click.IntRange(min=1), help="本机工作进程数  [默认：CPU 核数]")
@click.option("--timeout", type=click.FloatRange(min=0), default=300, show_default=True,
              help="单个文件的时限（秒），超时记为 timeout；0 表示不限")
@click.option("--scheduler", help="在 Dask distributed 集群上运行：调度器地址 tcp://HOST:PORT（文件路径须在各 worker 上可读）")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="配置文件（同 check）")
@click.option("--retry-failed", is_flag=True, help="重新检查上次失败或超时的文件")
@click.option("--recycle", type=click.IntRange(min=0), default=0, help="每个工作进程检查这么多文件后换新（0：不换）")
@click.option("--report", "report_html", type=click.Path(dir_okay=False), help="汇总看板（HTML）")
@click.option("--xlsx", "report_xlsx", type=click.Path(dir_okay=False), help="汇总表（XLSX）")
@click.option("--compare", "compare_db", type=click.Path(dir_okay=False),
              help="与另一结果库（如旧规则包的扫描）对比：按规则列出新出现和消失的问题")
@click.option("--compare-details", type=click.IntRange(min=0), default=20, show_default=True,
              help="每条规则列出的问题数（0：全部）")
@click.option("-q", "--quiet", is_flag=True, help="不显示进度条")
@scan_options
@waivers_option
@baseline_option
@rules_dir_option
@_one_line_errors
def scan_cmd(inputs, db, workers, timeout, scheduler, config_file, retry_failed, recycle, report_html, report_xlsx,
             compare_db, compare_details, quiet, waivers_file, baseline_file, rules_dir, site, include,
             exclude, review_db) -> None:
    """批量扫描目录或清单（CSV/YAML/JSON）中的文件，结果写入 SQLite 结果库；可输出汇总看板和规则变更对比。"""
    from checker.batch.commands import Outputs, ScanOptions, scan_command
    from checker.session import SessionOptions

    opts = ScanOptions(inputs=list(inputs), db=db, workers=workers or os.cpu_count() or 1, timeout=timeout or None,
                       scheduler=scheduler, session=SessionOptions(config=config_file, rules_dir=rules_dir,
                                                                   waivers=waivers_file, baseline=baseline_file),
                       retry_failed=retry_failed, recycle=recycle, progress=not quiet, include=tuple(include),
                       exclude=tuple(exclude))
    sys.exit(scan_command(opts, Outputs(report=report_html, xlsx=report_xlsx, site=site, compare_db=compare_db,
                                        compare_details=compare_details, review_db=review_db)))


@main.command("sample")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="tendercheck scan 的结果库")
@click.option("--ratio", type=click.FloatRange(min=0, max=1, min_open=True), default=0.05, show_default=True,
              help="至少抽取的项目比例")
@click.option("--seed", help="随机种子（公开；不给则随机生成并打印）")
@click.option("--run", "run_id", type=int, help="依据哪一次扫描  [默认：最近一次]")
@click.option("--format", "out_format", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="写入文件而不是标准输出")
@_one_line_errors
def sample_cmd(db, ratio, seed, run_id, out_format, output) -> None:
    """双随机抽查：按风险（问题数量与级别）加权、可复现地抽取项目，打印随机种子与名单以便公开。"""
    from checker.batch.commands import sample_command

    sys.exit(sample_command(db, ratio, seed, out_format, output, run_id))


@main.command("project")
@click.argument("directory", type=click.Path(file_okay=False), required=False)
@click.option("--manifest", type=click.Path(dir_okay=False, exists=True),
              help="清单（YAML/JSON/CSV：每份文件的类型、阶段、日期）  [默认：目录中的 project.yaml/.json/.csv]")
@click.option("--registration", type=click.Path(dir_okay=False, exists=True),
              help="项目登记信息（JSON/YAML/CSV）  [默认：目录中的 registration.json/.yaml/.csv]")
@click.option("--format", "out_format", type=click.Choice(["text", "json", "html", "xlsx", "sarif"]), default="text",
              show_default=True, help="html：与 check 相同样式的单页报告（含时间线）；xlsx 需要 --output")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="写入文件而不是标准输出")
@click.option("--regime", type=click.Choice(["工程", "政府采购"]), help="覆盖识别的适用体系")
@click.option("--fail-on", type=click.Choice(SEVERITIES), help="有此级别及以上的问题时退出码为 1  [默认：error]")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="配置文件（同 check）")
@click.option("--param", "params", multiple=True, help="规则参数 名称=数值，如 gp_open_tender_threshold=4000000")
@click.option("--project-rules", type=click.Path(file_okay=False, exists=True), help="项目规则目录（默认 rules/project）")
@click.option("--test-rules", is_flag=True, help="不检查案卷，运行项目规则自带的示例（同 rules test）")
@waivers_option
@baseline_option
@rules_dir_option
@_one_line_errors
def project_cmd(directory, manifest, registration, out_format, output, regime, fail_on, config_file, params,
                project_rules, test_rules, waivers_file, baseline_file, rules_dir) -> None:
    """按在线日常检查的七个阶段检查一个项目的全部文件（目录），逐阶段报告问题和时间线。退出码同 check；
    有文件无法读取而无问题时，退出码为该文件的 3–11。"""
    from checker.errors import UsageError
    from checker.project.cli import exit_code, parse_params, test_project_rules
    from checker.project.render import render as render_terminal, render_text
    from checker.session import ProjectOptions, Session, SessionOptions

    if test_rules:
        sys.exit(test_project_rules(project_rules, echo=click.echo))
    if not directory:
        raise click.UsageError("需要案卷目录 DIRECTORY（或 --test-rules）")
    if not Path(directory).is_dir():
        raise UsageError("不是目录", directory)
    if out_format == "xlsx" and not output:
        raise UsageError("--format xlsx 需要 --output 文件")
    session = Session(SessionOptions(config=config_file, rules_dir=rules_dir, project_rules=project_rules,
                                     fail_on=fail_on, waivers=waivers_file, baseline=baseline_file,
                                     params=tuple(parse_params(params).items())), project=True)
    session.configure_ocr(progress=False, jobs=os.cpu_count() or 1)
    report = session.check_project(ProjectOptions(directory=directory, manifest=manifest, registration=registration,
                                                  regime=regime))
    if out_format == "json":
        _write_or_echo(report.model_dump_json(indent=1) + "\n", output)
    elif out_format in ("html", "xlsx", "sarif"):  # the formats `check` has (issue 17)
        from checker.report.project_formats import render_project

        _write_or_echo(render_project(report, out_format, session.fail_on), output)
    elif output:
        _write_or_echo(render_text(report, fail_on=session.fail_on), output)
    else:
        render_terminal(report, fail_on=session.fail_on)
    sys.exit(exit_code(report, session.fail_on))


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option("--db", default="review.sqlite", show_default=True, type=click.Path(dir_okay=False),
              help="复核数据库（SQLite）：上传、问题与复核结论")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help="检查进程数")
@click.option("--serve-config", type=click.Path(dir_okay=False, exists=True), help="服务配置（令牌、用户、上限）")
@click.option("--data-dir", type=click.Path(file_okay=False), help="项目案卷的存放目录  [默认：复核数据库旁]")
@click.option("--scan-db", type=click.Path(dir_okay=False, exists=True), help="tendercheck scan 的结果库（双随机抽查）")
@click.option("--fail-on", type=click.Choice(SEVERITIES), help="门禁级别  [默认：配置中的 fail_on，否则 error]")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="配置文件（同 check）")
@click.option("--waivers", "waivers_file", type=click.Path(dir_okay=False), help="豁免文件（同 check）")
@click.option("--hash", "hash_kind", type=click.Choice(["token", "password"]),
              help="不启动服务：从标准输入读取令牌或密码，打印写入服务配置的散列")
@rules_dir_option
@_one_line_errors
def serve_cmd(host, port, db, workers, serve_config, data_dir, scan_db, fail_on, config_file, waivers_file, hash_kind,
              rules_dir) -> None:
    """交易平台接口（/v1）与复核台（/desk）：HTTP 服务，检查结果与 check 相同。"""
    from checker.serve.commands import hash_command, serve_command

    if hash_kind:
        sys.exit(hash_command(hash_kind, echo=click.echo))
    sys.exit(serve_command(host, port, db, workers, config_file, rules_dir, waivers_file, fail_on, serve_config,
                           data_dir, scan_db, echo=click.echo))


@main.group("review")
def review_group() -> None:
    """复核结论：导出为规则的候选示例。"""


@review_group.command("export")
@click.option("--db", required=True, type=click.Path(dir_okay=False), help="复核数据库（tendercheck serve --db）")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False), help="输出目录（每条规则一个 YAML）")
@_one_line_errors
def review_export(db, output) -> None:
    """把确认和驳回的条款写成规则的候选 flag / no_flag 示例（YAML，含来源与理由）。"""
    from checker.serve.commands import export_command

    sys.exit(export_command(db, output, echo=click.echo))


if __name__ == "__main__":  # pragma: no cover
    main()
