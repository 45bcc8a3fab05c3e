"""The run summary as a self-contained HTML page (no external assets, no script) and as an XLSX workbook: the
summary sheets, 问题明细 (every finding, the columns of `check`'s 问题清单 after 项目 and 文件, with autofilter) and
比较 (what changed since the compared run). The linked multi-page dashboard is site/."""
from __future__ import annotations

import io
from dataclasses import asdict

from .summary import Summary, Totals

TOTAL_LABELS = [("documents", "文件"), ("ok", "已检查"), ("unreadable", "无法读取"), ("failed", "检查失败"),
                ("timeout", "超时"), ("pending", "未完成"), ("flagged", "有违法问题的文件"), ("findings", "问题"),
                ("errors", "违法"), ("warnings", "不合理"), ("infos", "提示"), ("pages", "页数")]
BAD_WHEN_UP = {"unreadable", "failed", "timeout", "pending", "flagged", "findings", "errors", "warnings"}
STATUS_LABELS = {"unreadable": "无法读取", "failed": "检查失败", "timeout": "超时", "ok": "已检查"}
SEVERITY_LABEL = {"error": "违法", "warning": "不合理", "info": "提示"}
RUN_STATUS = {"done": "已完成", "running": "进行中", "interrupted": "已中断"}

_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>批量检查汇总 · 第 {{ s.run.id }} 次扫描</title>
<style>
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:110px}
.card b{display:block;font-size:22px}.up{color:#b00020}.down{color:#1b7f3b}.muted{color:#777}
.bar{background:#c0392b;height:10px;display:inline-block}.flag{color:#b00020;font-weight:bold}.sev-error{color:#b00020}.sev-warning{color:#b86e00}
</style></head><body>
<h1>招标文件批量检查汇总 · 第 {{ s.run.id }} 次扫描</h1>
<p class="muted">开始 {{ s.run.started }}，结束 {{ s.run.finished or "—" }}（{{ run_status.get(s.run.status, s.run.status) }}）；规则包 {{ s.run.rulepack_version }}；
tendercheck {{ s.run.tool_version }}；引擎 {{ s.run.engine }}。
{% if s.previous %}对比：第 {{ s.previous.id }} 次扫描（{{ s.previous.started }}，规则包 {{ s.previous.rulepack_version }}）。
{% else %}没有上一次扫描可对比。{% endif %}</p>

<h2>概况与趋势</h2>
<div class="cards">{% for key, label in totals %}<div class="card">{{ label }}<b>{{ t[key] }}</b>
{% if pt %}{% set d = t[key] - pt[key] %}<span class="{{ 'muted' if key not in bad or not d else 'up' if d > 0 else 'down' }}">
{{ '%+d' % d if d else '±0' }} 较上次</span>{% endif %}</div>{% endfor %}</div>

{% if c %}<h2>与第 {{ c.old_run.id }} 次扫描比较（规则包 {{ c.old_run.rulepack_version }}）</h2>
<p>比较文件 {{ c.compared }} 个、项目 {{ c.projects }} 个；新出现 {{ c.appeared }}，消失 {{ c.vanished }}，级别变化 {{ c.changed }}。</p>
<table><tr><th>规则</th><th>新出现</th><th>消失</th><th>级别变化</th><th>不变</th></tr>
{% for r in c.rules if r.touched %}<tr><td>{{ r.rule_id }}</td><td class="n">{{ r.appeared | length }}</td><td class="n">{{ r.vanished | length }}</td>
<td class="n">{{ r.changed | length }}</td><td class="n">{{ r.unchanged }}</td></tr>{% else %}<tr><td colspan="5" class="muted">没有变化</td></tr>{% endfor %}</table>{% endif %}

{% if fb %}<h2 id="feedback">复核反馈</h2>
<p class="muted">复核台的结论（{{ fb.source }}）：驳回率达到 {{ '%d%%' % (100 * fb.settings.dismissal_threshold) }}、且已复核至少 {{ fb.settings.min_reviews }} 条的规则标为“需复查”，请规则负责人复查。</p>
{% if fb.flagged %}<table><tr><th>规则</th><th>复核确认</th><th>复核驳回</th><th>驳回率</th></tr>
{% for r in fb.flagged %}<tr><td class="flag">{{ r.rule_id }} ⚑ 需复查</td><td class="n">{{ r.confirmed }}</td><td class="n">{{ r.dismissed }}</td><td class="n">{{ pct(r.dismissal_rate) }}</td></tr>{% endfor %}</table>
{% else %}<p>没有驳回率超过阈值的规则。</p>{% endif %}{% endif %}

<h2>按规则</h2>
<table><tr><th>规则</th><th>名称</th><th>级别</th><th>问题</th><th>涉及文件</th>{% if s.previous %}<th>上次</th><th>变化</th>{% endif %}{% if fb %}<th>复核确认</th><th>复核驳回</th><th>驳回率</th>{% endif %}<th></th></tr>
{% for r in s.by_rule %}{% set v = fb.get(r.rule_id) if fb else none %}<tr><td{{ ' class="flag"' | safe if v and v.flagged else '' }}>{{ r.rule_id }}{{ ' ⚑ 需复查' if v and v.flagged else '' }}</td><td>{{ r.title }}</td><td class="sev-{{ r.severity }}">{{ sev_label.get(r.severity, r.severity) }}</td>
<td class="n">{{ r.findings }}</td><td class="n">{{ r.documents }}</td>
{% if s.previous %}<td class="n">{{ r.previous }}</td><td class="n {{ 'up' if r.delta > 0 else 'down' if r.delta < 0 else '' }}">{{ '%+d' % r.delta if r.delta else '' }}</td>{% endif %}
{% if fb %}<td class="n">{{ v.confirmed if v else '' }}</td><td class="n">{{ v.dismissed if v else '' }}</td><td class="n">{{ pct(v.dismissal_rate) if v else '' }}</td>{% endif %}
<td><span class="bar" style="width:{{ (200 * r.findings / max_rule) | round | int }}px"></span></td></tr>
{% else %}<tr><td colspan="11" class="muted">没有问题</td></tr>{% endfor %}</table>

<h2>按在线检查阶段</h2>
<table><tr><th>阶段</th><th>名称</th><th>问题</th><th>违法</th><th>不合理</th><th>涉及文件</th></tr>
{% for r in s.by_stage %}<tr><td>{{ r.stage }}</td><td>{{ r.name }}</td><td class="n">{{ r.findings }}</td>
<td class="n">{{ r.errors }}</td><td class="n">{{ r.warnings }}</td><td class="n">{{ r.documents }}</td></tr>{% endfor %}</table>

{% for title, key, rows in groups %}
<h2>{{ title }}</h2>
<table><tr><th>{{ title[1:] }}</th><th>文件</th><th>已检查</th><th>无法读取/失败</th><th>问题</th><th>违法</th><th>不合理</th><th>有违法问题的文件</th></tr>
{% for r in rows %}<tr><td>{{ r[key] }}</td><td class="n">{{ r.documents }}</td><td class="n">{{ r.ok }}</td>
<td class="n">{{ r.unreadable }}</td><td class="n">{{ r.findings }}</td><td class="n">{{ r.errors }}</td>
<td class="n">{{ r.warnings }}</td><td class="n">{{ r.flagged }}</td></tr>{% endfor %}</table>
{% endfor %}

<h2>问题最多的文件</h2>
<table><tr><th>文件</th><th>项目</th><th>代理机构</th><th>违法</th><th>不合理</th><th>问题</th><th>页数</th></tr>
{% for d in s.worst %}<tr><td>{{ d.path }}</td><td>{{ d.project_id }}</td><td>{{ d.agency }}</td><td class="n">{{ d.errors }}</td>
<td class="n">{{ d.warnings }}</td><td class="n">{{ d.findings }}</td><td class="n">{{ d.pages or '' }}</td></tr>
{% else %}<tr><td colspan="7" class="muted">没有</td></tr>{% endfor %}</table>

<h2>无法读取或检查失败的文件（{{ s.unreadable | length + s.missing | length }}）</h2>
<table><tr><th>文件</th><th>状态</th><th>原因代码</th><th>退出码</th><th>说明</th></tr>
{% for d in s.unreadable %}<tr><td>{{ d.path }}</td><td>{{ status_labels.get(d.status, d.status) }}</td><td>{{ d.error_code }}</td>
<td class="n">{{ d.exit_code if d.exit_code is not none else '' }}</td><td>{{ d.message }}</td></tr>{% endfor %}
{% for p in s.missing %}<tr><td>{{ p }}</td><td>不存在</td><td>missing</td><td></td><td>清单中列出的文件不存在</td></tr>{% endfor %}
{% if not s.unreadable and not s.missing %}<tr><td colspan="5" class="muted">没有</td></tr>{% endif %}</table>
</body></html>
"""


def pct(rate) -> str:
    """A reviewers' rate as the dashboards print it; '—' before any decision."""
    return "—" if rate is None else f"{100 * rate:.0f}%"


def render_dashboard_html(s: Summary, comparison=None, feedback=None) -> str:
    """`feedback`: checker.feedback.ReviewFeedback (`--review-db`), the reviewers' rates per rule."""
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    t = asdict(s.totals)
    pt = asdict(s.previous_totals) if s.previous_totals else None
    groups = [("按适用体系", "regime", s.by_regime), ("按代理机构", "agency", s.by_agency),
              ("按文件类型", "doc_type", s.by_doc_type)]
    return env.from_string(_TEMPLATE).render(
        s=s, t=t, pt=pt, totals=TOTAL_LABELS, bad=BAD_WHEN_UP, groups=groups, status_labels=STATUS_LABELS,
        c=comparison, sev_label=SEVERITY_LABEL, run_status=RUN_STATUS, fb=feedback, pct=pct,
        max_rule=max([r["findings"] for r in s.by_rule] + [1]))


def render_dashboard_xlsx(s: Summary, comparison=None, store=None, feedback=None) -> bytes:
    """`store`: the results database, for 问题明细 (read from each stored report); `comparison`: for 比较."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, header: list[str], rows: list[list], first: bool = False):
        ws = wb.active if first else wb.create_sheet()
        ws.title = title
        ws.append(header)
        for c in ws[1]:
            c.font = bold
        for r in rows:
            ws.append(r)
        for i, h in enumerate(header, start=1):
            width = max([len(str(h)) * 2] + [min(60, len(str(r[i - 1])) + 2) for r in rows if len(r) >= i and r[i - 1] is not None])
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(8, width)
        ws.freeze_panes = "A2"
        return ws

    t, pt = asdict(s.totals), asdict(s.previous_totals) if s.previous_totals else None
    overview = [[label, t[key], pt[key] if pt else None, t[key] - pt[key] if pt else None]
                for key, label in TOTAL_LABELS]
    run = s.run
    overview += [[], ["扫描", run["id"]], ["开始", run["started"]], ["结束", run["finished"]],
                 ["状态", RUN_STATUS.get(run["status"], run["status"])],
                 ["规则包", run["rulepack_version"]], ["tendercheck", run["tool_version"]], ["引擎", run["engine"]]]
    if s.previous:
        overview += [["对比扫描", s.previous["id"]], ["对比规则包", s.previous["rulepack_version"]]]
    sheet("概况", ["项目", "本次", "上次", "变化"], overview, first=True)
    sheet("按规则", ["规则", "名称", "级别", "问题", "涉及文件", "上次", "变化"]
          + (["复核确认", "复核驳回", "驳回率", "需复查"] if feedback else []),
          [[r["rule_id"], r["title"], SEVERITY_LABEL.get(r["severity"], r["severity"]), r["findings"],
            r["documents"], r["previous"], r["delta"]] + _review_cells(feedback, r["rule_id"])
           for r in s.by_rule])
    sheet("按阶段", ["阶段", "名称", "问题", "违法", "不合理", "涉及文件"],
          [[r["stage"], r["name"], r["findings"], r["errors"], r["warnings"], r["documents"]] for r in s.by_stage])
    for title, key, rows in [("按适用体系", "regime", s.by_regime), ("按代理机构", "agency", s.by_agency),
                             ("按文件类型", "doc_type", s.by_doc_type)]:
        sheet(title, [title[1:], "文件", "已检查", "无法读取/失败", "问题", "违法", "不合理", "有违法问题的文件"],
              [[r[key], r["documents"], r["ok"], r["unreadable"], r["findings"], r["errors"], r["warnings"],
                r["flagged"]] for r in rows])
    sheet("问题最多的文件", ["文件", "项目", "代理机构", "违法", "不合理", "问题", "页数"],
          [[d["path"], d["project_id"], d["agency"], d["errors"], d["warnings"], d["findings"], d["pages"]]
           for d in s.worst])
    sheet("无法读取", ["文件", "状态", "原因代码", "退出码", "说明"],
          [[d["path"], STATUS_LABELS.get(d["status"], d["status"]), d["error_code"], d["exit_code"], d["message"]]
           for d in s.unreadable] + [[p, "不存在", "missing", None, "清单中列出的文件不存在"] for p in s.missing])
    if store is not None:
        from ..report.xlsx import findings_sheet
        from .details import finding_rows

        ws = wb.create_sheet("问题明细")
        findings_sheet(ws, finding_rows(store, run["id"]), lead=[("项目", 20), ("文件", 36)])
    if comparison is not None:
        _comparison_sheet(sheet, comparison)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _review_cells(feedback, rule_id: str) -> list:
    if feedback is None:
        return []
    v = feedback.get(rule_id)
    return [v.confirmed, v.dismissed, pct(v.dismissal_rate), "是" if v.flagged else ""] if v else [None] * 4


def _comparison_sheet(sheet, c) -> None:
    rows = []
    for r in c.rules:
        for kind, items in (("新出现", r.appeared), ("消失", r.vanished), ("级别变化", r.changed)):
            for f in items:
                old = SEVERITY_LABEL.get(f.get("old_severity", ""), "")
                rows.append([r.rule_id, kind, f["project_id"], f["path"], f["stage"], f["page"], f["clause_number"],
                             old, SEVERITY_LABEL.get(f["severity"], f["severity"]), f["excerpt"][:300]])
    ws = sheet(f"比较（第{c.old_run['id']}次→第{c.new_run['id']}次）"[:31],
               ["规则", "变化", "项目", "文件", "阶段", "页码", "条款号", "原级别", "级别", "原文 / 比较"], rows)
    ws.auto_filter.ref = ws.dimensions


def totals_line(t: Totals) -> str:
    return "，".join(f"{label} {getattr(t, key)}" for key, label in TOTAL_LABELS if getattr(t, key))
