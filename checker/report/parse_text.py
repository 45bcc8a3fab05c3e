"""Plain-text rendering of a parsed document (`tendercheck parse`)."""
from __future__ import annotations

from ..models import ClauseKind, Document

_WIDTH = 60


def render_parse(doc: Document, show_clauses: bool = True) -> str:
    cov = doc.coverage
    src = doc.source
    yes = lambda b: "有" if b else "未找到"  # noqa: E731
    lines = [
        f"文件: {src.path}  格式: {src.format.value}  页数: {src.page_count if src.page_count is not None else '-'}"
        f"  sha256: {src.sha256[:12]}",
        f"章节: {len(cov.chapters)}  条款: {cov.clauses}  编号条款: {cov.numbered_clauses}  表格: {cov.tables}"
        f"  字数: {cov.characters}",
        f"投标人须知前附表: {yes(cov.has_front_table)}  评分标准表: {yes(cov.has_scoring_table)}",
    ]
    for ch in cov.chapters:
        lines.append(f"  · {ch}")
    zones: dict[str, int] = {}
    for c in doc.clauses:
        if c.zone and c.kind != ClauseKind.table_cell:
            zones[c.zone] = zones.get(c.zone, 0) + 1
    if zones:
        lines.append("区域: " + "  ".join(f"{z} {n}" for z, n in sorted(zones.items(), key=lambda kv: -kv[1])))
    for issue in cov.problem_pages:
        lines.append(f"问题页: 第{issue.page}页 {issue.detail}" if issue.page is not None else f"解析提示: {issue.detail}")
    if show_clauses:
        lines.append("")
        for c in doc.clauses:
            if c.kind == ClauseKind.table_cell:
                continue
            text = c.text if len(c.text) <= _WIDTH else c.text[:_WIDTH] + "…"
            mark = {"heading": "#", "paragraph": "-", "table_row": "|"}[c.kind.value]
            where = c.location.describe()
            zone = f"〔{c.zone}〕" if c.zone else ""
            lines.append(f"{'  ' * c.level}{mark} {c.number + ' ' if c.number else ''}{text}  [{where}]{zone}")
    return "\n".join(lines)


def render_facts(facts, notes: list[str]) -> str:
    """One line per fact: quantity, value, lot, where it was found, and the text it came from."""
    lines = []
    for f in facts:
        lot = f"（{f.lot}）" if f.lot else ""
        where = f.location.describe() or "推算"
        source = f"  ← {f.text}" if not f.derived_from else f"  ← {f.text}（由日期推算）"
        lines.append(f"{f.name}{lot}: {f.shown()}  [{where}]{source}")
    lines += [f"注意：{n}" for n in notes]
    return "\n".join(lines) if lines else "未识别出金额、比例、期限或日期。"
