"""Rule-change regression: the findings that appear or vanish, per rule, between the latest run of an old database
(the released rule pack) and the latest run of a new one (the changed pack) over the same documents — so a rule
change is reviewed on the whole corpus before release.

Documents are matched by content (sha256); only documents that both runs checked successfully are compared, and a
finding is identified by its rule and fingerprint (rule id + normalised clause text: it survives re-parsing)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .store import Store


@dataclass
class RuleDiff:
    rule_id: str
    appeared: list[dict] = field(default_factory=list)  # path, clause_number, page, severity, excerpt
    vanished: list[dict] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class Comparison:
    old_run: dict
    new_run: dict
    compared: int  # documents checked successfully in both
    only_old: int  # documents in the old run only (or not ok in the new)
    only_new: int
    status_changes: list[dict]  # path, old status, new status
    rules: list[RuleDiff]

    @property
    def appeared(self) -> int:
        return sum(len(r.appeared) for r in self.rules)

    @property
    def vanished(self) -> int:
        return sum(len(r.vanished) for r in self.rules)


def compare(new: Store, old: Store, new_run: Optional[int] = None, old_run: Optional[int] = None) -> Comparison:
    nr = _run(new, new_run)
    orun = _run(old, old_run)
    ndocs = {d["sha256"]: d for d in new.snapshot(nr["id"])}
    odocs = {d["sha256"]: d for d in old.snapshot(orun["id"])}
    both = {s for s in ndocs.keys() & odocs.keys() if ndocs[s]["status"] == "ok" and odocs[s]["status"] == "ok"}
    changes = [{"path": ndocs[s]["path"], "old": odocs[s]["status"] or "pending", "new": ndocs[s]["status"] or "pending"}
               for s in sorted(ndocs.keys() & odocs.keys(), key=lambda s: ndocs[s]["path"])
               if ndocs[s]["status"] != odocs[s]["status"]]

    def by_key(store: Store, run_id: int) -> dict[tuple, list]:
        out: dict[tuple, list] = {}
        seen_paths: dict[str, str] = {}
        for f in store.snapshot_findings(run_id):
            if f["sha256"] not in both:
                continue
            if seen_paths.setdefault(f["sha256"], f["path"]) != f["path"]:
                continue  # the same content under two paths: count it once
            out.setdefault((f["sha256"], f["rule_id"], f["fingerprint"]), []).append(dict(f))
        return out

    nf, of = by_key(new, nr["id"]), by_key(old, orun["id"])
    rules: dict[str, RuleDiff] = {}
    for key in nf.keys() | of.keys():
        rid = key[1]
        diff = rules.setdefault(rid, RuleDiff(rid))
        n, o = nf.get(key, []), of.get(key, [])
        common = min(len(n), len(o))
        diff.unchanged += common
        diff.appeared += [_show(f) for f in n[common:]]
        diff.vanished += [_show(f) for f in o[common:]]
    for d in rules.values():
        d.appeared.sort(key=lambda f: (f["path"], f["page"] or 0))
        d.vanished.sort(key=lambda f: (f["path"], f["page"] or 0))
    ordered = sorted(rules.values(), key=lambda d: (-(len(d.appeared) + len(d.vanished)), d.rule_id))
    return Comparison(old_run=dict(orun), new_run=dict(nr), compared=len(both),
                      only_old=len(set(odocs) - set(ndocs)), only_new=len(set(ndocs) - set(odocs)),
                      status_changes=changes, rules=ordered)


def _run(store: Store, run_id: Optional[int]):
    run = store.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone() if run_id else store.last_run()
    if run is None:
        raise ValueError(f"结果库 {store.path} 中没有扫描记录")
    return run


def _show(f: dict) -> dict:
    return {"path": f["path"], "clause_number": f["clause_number"] or "", "page": f["page"],
            "severity": f["severity"], "excerpt": f["excerpt"] or "", "fingerprint": f["fingerprint"]}


def render_comparison(c: Comparison, details: int = 20) -> str:
    """Plain text for the terminal and for review records: per rule +appeared / −vanished, then the findings."""
    lines = [f"规则变更对比：旧 第 {c.old_run['id']} 次扫描（规则包 {c.old_run['rulepack_version']}） → "
             f"新 第 {c.new_run['id']} 次扫描（规则包 {c.new_run['rulepack_version']}）",
             f"对比文件 {c.compared} 个（仅旧库 {c.only_old}，仅新库 {c.only_new}）；新出现 {c.appeared} 个问题，"
             f"消失 {c.vanished} 个"]
    changed = [r for r in c.rules if r.appeared or r.vanished]
    if changed:
        lines.append("")
        lines.append(f"{'规则':34} {'新出现':>6} {'消失':>6} {'不变':>6}")
        for r in changed:
            lines.append(f"{r.rule_id:34} {'+' + str(len(r.appeared)):>6} {'-' + str(len(r.vanished)):>6} "
                         f"{r.unchanged:>6}")
    for r in changed:
        for sign, items in (("+", r.appeared), ("-", r.vanished)):
            if not items:
                continue
            lines.append("")
            lines.append(f"{sign} {r.rule_id}（{len(items)}）")
            for f in items[:details] if details else items:
                where = f"第{f['page']}页" if f["page"] else ""
                num = f" {f['clause_number']}" if f["clause_number"] else ""
                lines.append(f"  {sign} {f['path']} {where}{num} [{f['severity']}] {f['excerpt'][:80]}")
            if details and len(items) > details:
                lines.append(f"  … 另有 {len(items) - details} 个（--compare-details 0 显示全部）")
    if c.status_changes:
        lines.append("")
        lines.append(f"状态变化的文件（{len(c.status_changes)}）：")
        for s in c.status_changes:
            lines.append(f"  {s['path']}: {s['old']} → {s['new']}")
    if not changed and not c.status_changes:
        lines.append("没有变化")
    return "\n".join(lines) + "\n"
