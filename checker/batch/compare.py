"""What changed between two runs: the findings that appear, vanish or change severity, per rule — after a rule or
configuration change (the same database, the run before), or between an old database (the released rule pack) and
a new one (the changed pack) over the same documents, so a change is reviewed on the whole corpus before release.

A finding is identified by its rule, its document and its location: a document by its content (sha256), a project
finding by its project id; the location by the clause (id and number), the page and the fingerprint (rule id +
normalised clause text, which survives re-parsing). Severity is not part of the identity, so a finding raised from
不合理 to 违法 is reported as a severity change, not as one finding vanishing and another appearing. Only documents
and projects that both runs checked successfully are compared."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .store import Store

SEVERITY_LABEL = {"error": "违法", "warning": "不合理", "info": "提示"}
STATUS_LABEL = {"ok": "已检查", "unreadable": "无法读取", "failed": "检查失败", "timeout": "超时", "pending": "未完成"}


@dataclass
class RuleDiff:
    rule_id: str
    appeared: list[dict] = field(default_factory=list)  # path, project_id, clause_number, page, severity, excerpt
    vanished: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)  # the same, with old_severity → severity
    unchanged: int = 0

    @property
    def touched(self) -> bool:
        return bool(self.appeared or self.vanished or self.changed)


@dataclass
class Comparison:
    old_run: dict
    new_run: dict
    compared: int  # documents checked successfully in both
    only_old: int  # documents in the old run only (or not ok in the new)
    only_new: int
    status_changes: list[dict]  # path, old status, new status
    rules: list[RuleDiff]
    projects: int = 0  # projects checked successfully in both

    @property
    def appeared(self) -> int:
        return sum(len(r.appeared) for r in self.rules)

    @property
    def vanished(self) -> int:
        return sum(len(r.vanished) for r in self.rules)

    @property
    def changed(self) -> int:
        return sum(len(r.changed) for r in self.rules)


def compare(new: Store, old: Store, new_run: Optional[int] = None, old_run: Optional[int] = None) -> Comparison:
    nr = _run(new, new_run)
    orun = _run(old, old_run) if old_run or old is not new else _previous(old, nr["id"])
    ndocs = {d["sha256"]: d for d in new.snapshot(nr["id"])}
    odocs = {d["sha256"]: d for d in old.snapshot(orun["id"])}
    both = {s for s in ndocs.keys() & odocs.keys() if ndocs[s]["status"] == "ok" and odocs[s]["status"] == "ok"}
    nproj = {p["project_id"]: p for p in new.project_snapshot(nr["id"])}
    oproj = {p["project_id"]: p for p in old.project_snapshot(orun["id"])}
    both_projects = {k for k in nproj.keys() & oproj.keys()
                     if nproj[k]["status"] == "ok" and oproj[k]["status"] == "ok"}
    changes = [{"path": ndocs[s]["path"], "old": odocs[s]["status"] or "pending", "new": ndocs[s]["status"] or "pending"}
               for s in sorted(ndocs.keys() & odocs.keys(), key=lambda s: ndocs[s]["path"])
               if ndocs[s]["status"] != odocs[s]["status"]]
    nf = _by_key(new, nr["id"], both, both_projects)
    of = _by_key(old, orun["id"], both, both_projects)
    rules: dict[str, RuleDiff] = {}
    for key in nf.keys() | of.keys():
        diff = rules.setdefault(key[1], RuleDiff(key[1]))
        n = sorted(nf.get(key, []), key=lambda f: f["severity"])
        o = sorted(of.get(key, []), key=lambda f: f["severity"])
        common = min(len(n), len(o))
        for a, b in zip(n[:common], o[:common]):
            if a["severity"] == b["severity"]:
                diff.unchanged += 1
            else:
                diff.changed.append({**_show(a), "old_severity": b["severity"]})
        diff.appeared += [_show(f) for f in n[common:]]
        diff.vanished += [_show(f) for f in o[common:]]
    for d in rules.values():
        for items in (d.appeared, d.vanished, d.changed):
            items.sort(key=lambda f: (f["path"], f["page"] or 0, f["clause_number"]))
    ordered = sorted(rules.values(), key=lambda d: (-(len(d.appeared) + len(d.vanished) + len(d.changed)),
                                                    d.rule_id))
    return Comparison(old_run=dict(orun), new_run=dict(nr), compared=len(both),
                      only_old=len(set(odocs) - set(ndocs)), only_new=len(set(ndocs) - set(odocs)),
                      status_changes=changes, rules=ordered, projects=len(both_projects))


def _by_key(store: Store, run_id: int, docs: set[str], projects: set[str]) -> dict[tuple, list]:
    out: dict[tuple, list] = {}
    seen_paths: dict[str, str] = {}
    for f in store.snapshot_findings(run_id):
        if f["scope"] == "project":
            if f["project_id"] not in projects:
                continue
            owner = "P:" + f["project_id"]
        else:
            if f["sha256"] not in docs:
                continue
            if seen_paths.setdefault(f["sha256"], f["path"]) != f["path"]:
                continue  # the same content under two paths: count it once
            owner = f["sha256"]
        key = (owner, f["rule_id"], f["clause_id"] or "", f["clause_number"] or "", f["page"] or 0,
               f["fingerprint"])
        out.setdefault(key, []).append(dict(f))
    return out


def _run(store: Store, run_id: Optional[int]):
    run = store.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone() if run_id else store.last_run()
    if run is None:
        raise ValueError(f"结果库 {store.path} 中没有扫描记录")
    return run


def _previous(store: Store, run_id: int):
    run = store.last_run(before=run_id)
    if run is None:
        raise ValueError(f"结果库 {store.path} 中只有一次扫描，没有可对比的上一次")
    return run


def previous_comparison(store: Store, run_id: Optional[int] = None) -> Optional[Comparison]:
    """The comparison of a run with the run before it in the same database (None for the first run)."""
    run = _run(store, run_id)
    prev = store.last_run(before=run["id"])
    if prev is None:
        return None
    return compare(store, store, run["id"], prev["id"])


def _show(f: dict) -> dict:
    return {"path": f["path"], "project_id": f["project_id"] or "", "clause_number": f["clause_number"] or "",
            "page": f["page"], "severity": f["severity"], "excerpt": f["excerpt"] or "",
            "fingerprint": f["fingerprint"], "sha256": f["sha256"], "scope": f["scope"], "stage": f["stage"] or ""}


def _item(sign: str, f: dict) -> str:
    where = f"第{f['page']}页" if f["page"] else ""
    num = f" {f['clause_number']}" if f["clause_number"] else ""
    sev = SEVERITY_LABEL.get(f["severity"], f["severity"])
    if "old_severity" in f:
        sev = f"{SEVERITY_LABEL.get(f['old_severity'], f['old_severity'])}→{sev}"
    return f"  {sign} {f['path']} {where}{num} [{sev}] {f['excerpt'][:80]}"


def render_comparison(c: Comparison, details: int = 20) -> str:
    """Plain text for the terminal and for review records: per rule +appeared / −vanished / ~severity changed, then
    the findings."""
    lines = [f"规则变更对比：旧 第 {c.old_run['id']} 次扫描（规则包 {c.old_run['rulepack_version']}） → "
             f"新 第 {c.new_run['id']} 次扫描（规则包 {c.new_run['rulepack_version']}）",
             f"对比文件 {c.compared} 个、项目 {c.projects} 个（仅旧库 {c.only_old}，仅新库 {c.only_new}）；"
             f"新出现 {c.appeared} 个问题，消失 {c.vanished} 个，级别变化 {c.changed} 个"]
    changed = [r for r in c.rules if r.touched]
    if changed:
        from .textcols import pad

        lines.append("")
        lines.append(f"{pad('规则', 34)} {pad('新出现', 6, right=True)} {pad('消失', 6, right=True)} "
                     f"{pad('级别变化', 8, right=True)} {pad('不变', 6, right=True)}")
        for r in changed:
            lines.append(f"{pad(r.rule_id, 34)} {pad('+' + str(len(r.appeared)), 6, right=True)} "
                         f"{pad('-' + str(len(r.vanished)), 6, right=True)} "
                         f"{pad('~' + str(len(r.changed)), 8, right=True)} {pad(str(r.unchanged), 6, right=True)}")
    for r in changed:
        for sign, label, items in (("+", "新出现", r.appeared), ("-", "消失", r.vanished), ("~", "级别变化", r.changed)):
            if not items:
                continue
            lines.append("")
            lines.append(f"{sign} {r.rule_id} {label}（{len(items)}）")
            lines += [_item(sign, f) for f in (items[:details] if details else items)]
            if details and len(items) > details:
                lines.append(f"  … 另有 {len(items) - details} 个（--compare-details 0 显示全部）")
    if c.status_changes:
        lines.append("")
        lines.append(f"状态变化的文件（{len(c.status_changes)}）：")
        for s in c.status_changes:
            lines.append(f"  {s['path']}: {STATUS_LABEL.get(s['old'], s['old'])} → {STATUS_LABEL.get(s['new'], s['new'])}")
    if not changed and not c.status_changes:
        lines.append("没有变化")
    return "\n".join(lines) + "\n"
