"""The dashboard's pages as Jinja templates: one layout, then overview, stage, rule, project, document and the list
of every file. Self-contained (inline CSS, no script, no external asset): the directory opens from a file share or
any static web server."""
from __future__ import annotations

LAYOUT = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{% block title %}{% endblock %} · 在线日常检查</title>
<style>
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px auto;color:#222;max-width:1200px;padding:0 16px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0;font-size:13px;width:100%}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
a{color:#0b5cad;text-decoration:none}a:hover{text-decoration:underline}
nav{font-size:13px;margin-bottom:12px;color:#777}.muted{color:#777}.up{color:#b00020}.down{color:#1b7f3b}
.cards{display:flex;flex-wrap:wrap;gap:10px}.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:110px}
.card b{display:block;font-size:22px}
.sev-error{color:#b00020;font-weight:bold}.sev-warning{color:#b86e00;font-weight:bold}.sev-info{color:#0c6b8a}
.finding{border:1px solid #ddd;border-left:4px solid #999;border-radius:4px;padding:8px 12px;margin:10px 0}
.finding.error{border-left-color:#b00020}.finding.warning{border-left-color:#e0a000}.finding.info{border-left-color:#3a9fbf}
.finding:target{background:#fffbe6;outline:2px solid #e0a000}.finding p{margin:4px 0}
.excerpt{background:#f7f7f7;padding:4px 8px;border-radius:3px}
.flag{color:#b00020;font-weight:bold}
</style></head><body>
<nav><a href="index.html">概况</a>{% block nav %}{% endblock %}</nav>
{% block body %}{% endblock %}
<p class="muted">第 {{ run.id }} 次扫描 · {{ run.started }} · 规则包 {{ run.rulepack_version }} · tendercheck {{ run.tool_version }}</p>
</body></html>
"""

MACROS = """
{% macro sev(s) %}<span class="sev-{{ s }}">{{ sev_label.get(s, s) }}</span>{% endmacro %}
{% macro link(n, href) %}{% if n %}<a href="{{ href }}">{{ n }}</a>{% else %}0{% endif %}{% endmacro %}
{% macro review(rid) %}{% set v = fb.get(rid) if fb else none %}<td class="n">{{ v.confirmed if v else '' }}</td><td class="n">{{ v.dismissed if v else '' }}</td>
<td class="n{{ ' flag' if v and v.flagged }}">{{ pct(v.dismissal_rate) if v else '' }}{{ ' ⚑ 需复查' if v and v.flagged }}</td>{% endmacro %}
{% macro where(f) %}{{ ('第%s页' % f.page) if f.page else '' }}{{ (' ' ~ f.clause_number) if f.clause_number else '' }}{% endmacro %}
{% macro finding_rows(items, show_stage=True) %}
<table><tr>{% if show_stage %}<th>阶段</th>{% endif %}<th>规则</th><th>级别</th><th>项目</th><th>文件</th><th>位置</th><th>原文 / 比较</th></tr>
{% for f in items %}<tr>{% if show_stage %}<td>{{ f.stage }} {{ f.stage_name }}</td>{% endif %}
<td><a href="{{ rule_href(f.rule_id) }}">{{ f.rule_id }}</a></td><td>{{ sev(f.severity) }}</td>
<td>{% if f.project_href %}<a href="{{ f.project_href }}">{{ f.project_id }}</a>{% endif %}</td>
<td>{% if f.scope == 'document' %}<a href="{{ f.doc_href }}">{{ f.path }}</a>{% else %}<span class="muted">跨文件：</span>{% for p in (f.documents or '').split('；') if p %}{% if p in documents %}<a href="{{ doc_href(p) }}">{{ p.rsplit('/', 1)[-1] }}</a>{% else %}{{ p.rsplit('/', 1)[-1] }}{% endif %}{{ '、' if not loop.last }}{% endfor %}{% endif %}</td>
<td>{{ where(f) }}</td><td><a href="{{ f.href }}">{{ (f.excerpt or '')[:120] }}</a></td></tr>
{% else %}<tr><td colspan="7" class="muted">没有</td></tr>{% endfor %}</table>
{% endmacro %}
{% macro finding_box(f) %}
<div class="finding {{ f.severity }}" id="{{ f.anchor }}">
<p>{{ sev(f.severity) }} <a href="{{ rule_href(f.rule_id) }}"><b>{{ f.rule_id }}</b></a> {{ f.detail.title or f.title or '' }}
<span class="muted">· <a href="{{ stage_href(f.stage) }}">{{ f.stage }} {{ f.stage_name }}</a> · {{ where(f) }}</span></p>
{% if f.detail.heading %}<p class="muted">{{ f.detail.heading }}</p>{% endif %}
{% if f.detail.comparison %}<p>比较：<b>{{ f.detail.comparison }}</b></p>{% endif %}
<p class="excerpt">{{ f.detail.excerpt or f.excerpt }}</p>
{% if f.detail.matched %}<p class="muted">命中词：{{ f.detail.matched }}</p>{% endif %}
{% if f.detail.values %}<p class="muted">数值：{{ f.detail.values }}</p>{% endif %}
{% for e in f.detail.documents or [] %}<p class="muted">文件：{{ e.doc_type }} {{ e.path }} · {{ e.what }}：{{ e.value }}</p>{% endfor %}
{% if f.detail.message %}<p>问题：{{ f.detail.message }}</p>{% endif %}
{% if f.detail.basis %}<p>依据：{{ f.detail.basis }}</p>{% endif %}
{% if f.detail.suggestion %}<p>建议：{{ f.detail.suggestion }}</p>{% endif %}
<p class="muted">指纹 {{ f.fingerprint }}</p></div>
{% endmacro %}
"""

OVERVIEW = """{% extends "layout" %}{% import "macros" as m with context %}
{% block title %}概况{% endblock %}
{% block body %}
<h1>在线日常检查 · 第 {{ run.id }} 次扫描</h1>
<p class="muted">开始 {{ run.started }}，结束 {{ run.finished or "—" }}（{{ run_status.get(run.status, run.status) }}）；引擎 {{ run.engine }}。
{% if s.previous %}与第 {{ s.previous.id }} 次扫描（{{ s.previous.started }}，规则包 {{ s.previous.rulepack_version }}）比较。{% else %}没有上一次扫描可比较。{% endif %}</p>
<div class="cards">
<div class="card">项目<b><a href="#projects">{{ projects | length }}</a></b></div>
<div class="card">文件<b><a href="files.html">{{ t.documents }}</a></b></div>
<div class="card">问题<b>{{ findings | length }}</b></div>
{% for k in ['error', 'warning', 'info'] %}<div class="card">{{ sev_label[k] }}<b class="sev-{{ k }}">{{ sev_count[k] }}</b></div>{% endfor %}
<div class="card">无法读取或失败<b><a href="files.html#unreadable">{{ t.unreadable + t.failed + t.timeout }}</a></b></div>
</div>

<h2 id="stages">按在线检查阶段</h2>
<table><tr><th>阶段</th><th>名称</th><th>问题</th><th>违法</th><th>不合理</th><th>提示</th><th>涉及项目</th><th>涉及文件</th></tr>
{% for r in stages %}<tr><td>{{ r.stage }}</td><td><a href="{{ r.href }}">{{ r.name }}</a></td><td class="n">{{ m.link(r.findings, r.href) }}</td>
<td class="n">{{ m.link(r.error, r.href ~ '#error') }}</td><td class="n">{{ m.link(r.warning, r.href ~ '#warning') }}</td><td class="n">{{ m.link(r.info, r.href ~ '#info') }}</td>
<td class="n">{{ r.projects }}</td><td class="n">{{ r.documents }}</td></tr>{% endfor %}</table>

<h2 id="comparison">与上一次扫描比较</h2>
{% if c %}<p>第 {{ c.old_run.id }} 次（规则包 {{ c.old_run.rulepack_version }}）→ 第 {{ c.new_run.id }} 次（规则包 {{ c.new_run.rulepack_version }}）：
比较文件 {{ c.compared }} 个、项目 {{ c.projects }} 个；新出现 <b>{{ c.appeared }}</b>，消失 <b>{{ c.vanished }}</b>，级别变化 <b>{{ c.changed }}</b>。</p>
<table><tr><th>规则</th><th>新出现</th><th>消失</th><th>级别变化</th><th>不变</th></tr>
{% for r in c.rules if r.touched %}<tr><td><a href="{{ rule_href(r.rule_id) }}#changes">{{ r.rule_id }}</a></td>
<td class="n up">{{ m.link(r.appeared | length, rule_href(r.rule_id) ~ '#appeared') }}</td><td class="n down">{{ m.link(r.vanished | length, rule_href(r.rule_id) ~ '#vanished') }}</td>
<td class="n">{{ m.link(r.changed | length, rule_href(r.rule_id) ~ '#changed') }}</td><td class="n">{{ r.unchanged }}</td></tr>
{% else %}<tr><td colspan="5" class="muted">没有变化</td></tr>{% endfor %}</table>
{% if c.status_changes %}<p>状态变化的文件 {{ c.status_changes | length }} 个：{% for x in c.status_changes[:20] %}{{ x.path }}（{{ status_label.get(x.old, x.old) }}→{{ status_label.get(x.new, x.new) }}）{{ '；' if not loop.last }}{% endfor %}</p>{% endif %}
{% else %}<p class="muted">这是结果库中的第一次扫描。</p>{% endif %}

<h2 id="rules">按规则</h2>
{% if fb %}<p class="muted">复核反馈（{{ fb.source }}）：复核确认、驳回的问题数和驳回率；驳回率达到 {{ '%d%%' % (100 * fb.settings.dismissal_threshold) }}、且已复核至少 {{ fb.settings.min_reviews }} 条的规则标“⚑ 需复查”。
{% if fb.flagged %}需复查：{% for r in fb.flagged %}{% if r.rule_id in rules %}<a class="flag" href="{{ rule_href(r.rule_id) }}">{{ r.rule_id }}</a>{% else %}<span class="flag">{{ r.rule_id }}</span>{% endif %}（驳回 {{ r.dismissed }}/{{ r.decided }}）{{ '、' if not loop.last }}{% endfor %}。{% else %}没有需复查的规则。{% endif %}</p>{% endif %}
<table><tr><th>规则</th><th>名称</th><th>级别</th><th>阶段</th><th>问题</th><th>涉及项目</th><th>涉及文件</th>{% if fb %}<th>复核确认</th><th>复核驳回</th><th>驳回率</th>{% endif %}</tr>
{% for r in rules.values() %}<tr><td><a href="{{ r.href }}">{{ r.rule_id }}</a></td><td>{{ r.title }}</td><td>{{ m.sev(r.severity) }}</td>
<td>{% for st, n in r.stages.items() %}<a href="{{ stage_href(st) }}">{{ st }}</a> {% endfor %}</td>
<td class="n">{{ m.link(r.findings, r.href) }}</td><td class="n">{{ r.projects | length }}</td><td class="n">{{ r.documents | length }}</td>{% if fb %}{{ m.review(r.rule_id) }}{% endif %}</tr>
{% else %}<tr><td colspan="10" class="muted">没有问题</td></tr>{% endfor %}</table>

<h2 id="projects">项目（{{ projects | length }}）</h2>
<table><tr><th>项目</th><th>名称</th><th>体系</th><th>文件</th><th>项目问题（跨文件）</th><th>文件中的问题</th><th>违法</th></tr>
{% for p in projects.values() %}<tr><td><a href="{{ p.href }}">{{ p.project_id }}</a></td><td>{{ p.name or '' }}</td><td>{{ p.regime or '' }}</td>
<td class="n">{{ m.link(p.documents | length, p.href ~ '#documents') }}</td><td class="n">{{ m.link(p.findings | length, p.href ~ '#findings') }}</td>
<td class="n">{{ m.link(p.documents | sum(attribute='count'), p.href ~ '#documents') }}</td>
<td class="n">{{ (p.findings | selectattr('severity', 'equalto', 'error') | list | length) + (p.documents | sum(attribute='errors') if p.documents else 0) }}</td></tr>
{% else %}<tr><td colspan="7" class="muted">本次扫描没有项目（只有单个文件）</td></tr>{% endfor %}</table>

<h2 id="trends">趋势（最近 {{ trends | length }} 次扫描）</h2>
<table><tr><th>扫描</th><th>时间</th><th>规则包</th><th>文件</th><th>项目</th><th>问题</th><th>违法</th><th>不合理</th><th>提示</th>{% for st in stage_codes %}<th>{{ st }}</th>{% endfor %}</tr>
{% for r in trends %}<tr><td>第 {{ r.id }} 次</td><td>{{ r.started }}</td><td>{{ r.rulepack_version }}</td><td class="n">{{ r.documents }}</td><td class="n">{{ r.projects }}</td>
<td class="n">{{ r.findings }}</td><td class="n">{{ r.error }}</td><td class="n">{{ r.warning }}</td><td class="n">{{ r.info }}</td>
{% for st in stage_codes %}<td class="n">{{ r.stages.get(st, 0) }}</td>{% endfor %}</tr>{% endfor %}</table>
{% endblock %}
"""

STAGE = """{% extends "layout" %}{% import "macros" as m with context %}
{% block title %}{{ stage.stage }} {{ stage.name }}{% endblock %}
{% block nav %} › {{ stage.stage }} {{ stage.name }}{% endblock %}
{% block body %}
<h1>{{ stage.stage }} {{ stage.name }}：问题 {{ items | length }} 个</h1>
<h2>按规则</h2>
<table><tr><th>规则</th><th>名称</th><th>问题</th></tr>
{% for rid, n in per_rule %}<tr><td><a href="{{ rule_href(rid) }}">{{ rid }}</a></td><td>{{ rules[rid].title }}</td><td class="n">{{ m.link(n, rule_href(rid)) }}</td></tr>
{% else %}<tr><td colspan="3" class="muted">没有问题</td></tr>{% endfor %}</table>
{% for k in ['error', 'warning', 'info'] %}{% set sub = items | selectattr('severity', 'equalto', k) | list %}
<h2 id="{{ k }}">{{ sev_label[k] }}（{{ sub | length }}）</h2>
{{ m.finding_rows(sub, show_stage=False) }}{% endfor %}
{% endblock %}
"""

RULE = """{% extends "layout" %}{% import "macros" as m with context %}
{% block title %}{{ rule_id }}{% endblock %}
{% block nav %} › 规则 {{ rule_id }}{% endblock %}
{% block body %}
<h1>{{ rule_id }} {{ rule.title if rule else '' }}</h1>
<p>问题 {{ items | length }} 个{% if rule %}；涉及项目 {{ rule.projects | length }} 个、文件 {{ rule.documents | length }} 个{% endif %}。</p>
{% if fb %}{% set v = fb.get(rule_id) %}<h2 id="review">复核反馈</h2>
{% if v and v.decided %}<p{{ ' class="flag"' | safe if v.flagged }}>复核确认 {{ v.confirmed }} 条，驳回 {{ v.dismissed }} 条，待定 {{ v.pending }} 条；确认率 {{ pct(v.confirmation_rate) }}，驳回率 {{ pct(v.dismissal_rate) }}。
{% if v.flagged %}⚑ 需复查：驳回率达到 {{ '%d%%' % (100 * fb.settings.dismissal_threshold) }}（已复核 {{ v.decided }} 条，至少 {{ fb.settings.min_reviews }} 条），请规则负责人复查本规则。{% endif %}</p>
{% else %}<p class="muted">复核台尚无对本规则的确认或驳回{% if v and v.pending %}（待定 {{ v.pending }} 条）{% endif %}。</p>{% endif %}
<p class="muted">来源：{{ fb.source }}</p>{% endif %}
{{ m.finding_rows(items) }}
{% if diff %}<h2 id="changes">与上一次扫描比较</h2>
{% for key, label in [('appeared', '新出现'), ('vanished', '消失'), ('changed', '级别变化')] %}
<h3 id="{{ key }}">{{ label }}（{{ diff[key] | length }}）</h3>
<table><tr><th>项目</th><th>文件</th><th>位置</th><th>级别</th><th>原文 / 比较</th></tr>
{% for f in diff[key] %}<tr><td>{{ f.project_id }}</td><td>{{ f.path }}</td><td>{{ m.where(f) }}</td>
<td>{% if f.old_severity %}{{ m.sev(f.old_severity) }} → {% endif %}{{ m.sev(f.severity) }}</td><td>{{ f.excerpt[:120] }}</td></tr>
{% else %}<tr><td colspan="5" class="muted">没有</td></tr>{% endfor %}</table>{% endfor %}{% endif %}
{% endblock %}
"""

PROJECT = """{% extends "layout" %}{% import "macros" as m with context %}
{% block title %}{{ p.project_id }}{% endblock %}
{% block nav %} › 项目 {{ p.project_id }}{% endblock %}
{% block body %}
<h1>{{ p.name or p.project_id }}</h1>
<p class="muted">项目 {{ p.project_id }} · {{ p.regime or '' }}{% if p.procedure %} · {{ p.procedure }}{% endif %} · 文件 {{ p.documents | length }} 份
{% if p.status != 'ok' %} · <span class="sev-error">{{ status_label.get(p.status, p.status) }}：{{ p.message }}</span>{% endif %}</p>
{% if report and report.timeline %}<h2 id="timeline">项目时间线</h2>
<table><tr><th>日期</th><th>阶段</th><th>事项</th><th>文件</th></tr>
{% for e in report.timeline %}<tr><td>{{ e.date | replace('T', ' ') }}</td><td><a href="{{ stage_href(e.stage) }}">{{ e.stage }}</a></td><td>{{ e.event }}{{ ('（%s）' % e.note) if e.note }}</td><td>{{ e.path }}</td></tr>{% endfor %}</table>{% endif %}
<h2 id="documents">文件</h2>
<table><tr><th>阶段</th><th>文件类型</th><th>文件</th><th>状态</th><th>问题</th><th>违法</th><th>不合理</th></tr>
{% for d in p.documents | sort(attribute='stage') %}<tr><td>{{ d.stage or '' }}</td><td>{{ d.doc_type or '' }}</td><td><a href="{{ d.href }}">{{ d.path }}</a></td>
<td>{{ status_label.get(d.status, d.status or '未完成') }}</td><td class="n">{{ m.link(d.count, d.href) }}</td><td class="n">{{ d.errors or 0 }}</td><td class="n">{{ d.warnings or 0 }}</td></tr>{% endfor %}</table>
{% if report and report.missing_documents %}<p class="muted">缺少的文件：{% for st, types in report.missing_documents.items() %}{{ st }} {{ types | join('、') }}{{ '；' if not loop.last }}{% endfor %}</p>{% endif %}
<h2 id="findings">项目问题（跨文件，{{ p.findings | length }}）</h2>
{% for f in p.findings %}{{ m.finding_box(f) }}{% else %}<p class="muted">没有</p>{% endfor %}
{% endblock %}
"""

DOCUMENT = """{% extends "layout" %}{% import "macros" as m with context %}
{% block title %}{{ d.path }}{% endblock %}
{% block nav %}{% if d.project_id in projects %} › <a href="{{ projects[d.project_id].href }}">项目 {{ d.project_id }}</a>{% endif %} › {{ d.path }}{% endblock %}
{% block body %}
<h1>{{ d.path }}</h1>
<p class="muted">{{ d.doc_type or '' }} · {{ d.regime or '' }}{% if d.procedure %} · {{ d.procedure }}{% endif %} · {{ d.stage or '' }} · {{ d.pages or '?' }} 页 · sha256 {{ d.sha256[:16] }}</p>
{% if d.status != 'ok' %}<p class="sev-error">{{ status_label.get(d.status, d.status or '未完成') }}：{{ d.error_code or '' }} {{ d.message or '' }}</p>{% endif %}
<h2>问题（{{ d.findings | length }}）</h2>
{% for f in d.findings %}{{ m.finding_box(f) }}{% else %}<p class="muted">没有</p>{% endfor %}
{% endblock %}
"""

FILES = """{% extends "layout" %}{% import "macros" as m with context %}
{% block title %}文件{% endblock %}
{% block nav %} › 文件{% endblock %}
{% block body %}
<h1>文件（{{ documents | length }}）</h1>
<table><tr><th>文件</th><th>项目</th><th>文件类型</th><th>体系</th><th>方式</th><th>阶段</th><th>状态</th><th>问题</th><th>违法</th></tr>
{% for d in documents.values() %}<tr><td><a href="{{ d.href }}">{{ d.path }}</a></td><td>{% if d.project_id in projects %}<a href="{{ projects[d.project_id].href }}">{{ d.project_id }}</a>{% else %}{{ d.project_id or '' }}{% endif %}</td>
<td>{{ d.doc_type or '' }}</td><td>{{ d.regime or '' }}</td><td>{{ d.procedure or '' }}</td><td>{{ d.stage or '' }}</td><td>{{ status_label.get(d.status, d.status or '未完成') }}</td>
<td class="n">{{ m.link(d.count, d.href) }}</td><td class="n">{{ d.errors or 0 }}</td></tr>{% endfor %}</table>
<h2 id="unreadable">无法读取或检查失败（{{ s.unreadable | length + s.missing | length }}）</h2>
<table><tr><th>文件</th><th>状态</th><th>原因代码</th><th>退出码</th><th>说明</th></tr>
{% for x in s.unreadable %}<tr><td><a href="{{ doc_href(x.path) }}">{{ x.path }}</a></td><td>{{ status_label.get(x.status, x.status) }}</td><td>{{ x.error_code }}</td>
<td class="n">{{ x.exit_code if x.exit_code is not none else '' }}</td><td>{{ x.message }}</td></tr>{% endfor %}
{% for x in s.missing %}<tr><td>{{ x }}</td><td>不存在</td><td>missing</td><td></td><td>清单中列出的文件不存在</td></tr>{% endfor %}
{% if not s.unreadable and not s.missing %}<tr><td colspan="5" class="muted">没有</td></tr>{% endif %}</table>
{% endblock %}
"""

TEMPLATES = {"layout": LAYOUT, "macros": MACROS, "overview": OVERVIEW, "stage": STAGE, "rule": RULE,
             "project": PROJECT, "document": DOCUMENT, "files": FILES}
