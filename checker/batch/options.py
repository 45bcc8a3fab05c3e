"""The options issue 17 added to `scan` and `sample`, as click decorators, so cli.py takes them with one line each
and passes them on as `**extra` (cli.py stays a list of options and a call)."""
from __future__ import annotations

import click


def scan_options(f):
    f = click.option("--review-db", type=click.Path(dir_okay=False),
                     help="复核台的数据库（tendercheck serve --db）：看板按规则显示复核确认、驳回数和驳回率，"
                          "标出驳回率超过阈值的规则  [默认：配置文件 [review] db]")(f)
    f = click.option("--site", type=click.Path(file_okay=False),
                     help="汇总看板（静态网站目录：概况 → 阶段 → 规则 → 项目 → 文件 → 问题，无需服务器）")(f)
    f = click.option("--exclude", multiple=True, metavar="GLOB",
                     help="不检查匹配的文件（相对路径或文件名，可重复，如 --exclude 'archive/*'）")(f)
    f = click.option("--include", multiple=True, metavar="GLOB",
                     help="只检查匹配的文件（相对路径或文件名，可重复，如 --include '*.pdf'）")(f)
    return f
