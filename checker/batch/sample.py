"""双随机一公开: a reproducible, risk-weighted random draw of at least a given share of projects for inspection.

Projects are the project ids the scan recorded: the projects it checked across documents (a folder per project, a
manifest's project_id) and the project_id a manifest gave a single document. Files the scan did not place in any
project are not projects: they are counted in the record (未归入项目的文件) and never drawn. Each project's weight is
1 + risk, risk = 3 × error findings + warning findings over its documents and its cross-document findings, so a riskier
project is likelier to be drawn while every project can be. The draw is weighted sampling without replacement by
Efraimidis–Spirakis keys (key = u^(1/w), u uniform from random.Random(seed), the n largest keys win), over projects
in a fixed order: the same database and seed give the same list on any machine. n = ceil(ratio × N), at least 1.
"""
from __future__ import annotations

import csv
import io
import json
import math
import random
import secrets
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Optional

from .store import Store

MIN_RATIO = 0.05  # 双随机一公开: at least 5 % of the population is inspected
ERROR_WEIGHT = 3
WARNING_WEIGHT = 1


@dataclass
class Project:
    project_id: str
    weight: float
    risk: int = 0
    errors: int = 0
    warnings: int = 0
    documents: list[str] = field(default_factory=list)
    agency: str = ""
    key: float = 0.0


@dataclass
class Draw:
    seed: str
    ratio: float
    population: int  # N projects
    n: int
    run_id: int
    rulepack_version: str
    drawn: list[Project]
    unassigned: int = 0  # documents of the run in no project (not drawn)
    method: str = ("按风险加权的不放回随机抽样（Efraimidis–Spirakis 方法）：每个项目的权重 = 1 + 3 × 违法问题数 + 不合理问题数；"
                   "以随机种子初始化 Python random.Random，按项目编号顺序为每个项目取一个随机数 u，键值 = u^(1/权重)，"
                   "取键值最大的 n 个；n = ⌈抽查比例 × N⌉，至少 1 个。同一结果库和同一随机种子在任何计算机上抽取结果相同")


def parse_seed(seed: Optional[str]) -> str:
    return str(seed) if seed not in (None, "") else str(secrets.randbelow(10 ** 12))


def _rng_seed(seed: str):
    return int(seed) if seed.lstrip("-").isdigit() else seed


def sample_size(ratio: float, population: int) -> int:
    if population == 0:
        return 0
    n = math.ceil(Decimal(str(ratio)) * population)  # Decimal: 0.05 × 100 is 5, not 5.000000000000001 → 6
    return min(population, max(1, n))


def projects(store: Store, run_id: Optional[int] = None) -> tuple[dict, list[Project], int]:
    """(the run, its projects in project-id order, the number of documents in no project)."""
    run = store.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone() if run_id else store.last_run()
    if run is None:
        raise ValueError("结果库中还没有扫描记录：先运行 tendercheck scan")
    groups: dict[str, Project] = {}
    unassigned = 0
    for d in store.snapshot(run["id"]):
        if not d["project_id"]:
            unassigned += 1
            continue
        p = groups.setdefault(d["project_id"], Project(project_id=d["project_id"], weight=1.0))
        p.documents.append(d["path"])
        p.agency = p.agency or (d["agency"] or "")
        if d["status"] == "ok":
            p.errors += d["errors"] or 0
            p.warnings += d["warnings"] or 0
    for row in store.project_snapshot(run["id"]):  # the cross-document findings count for the project too
        p = groups.setdefault(row["project_id"], Project(project_id=row["project_id"], weight=1.0))
        if row["status"] == "ok":
            p.errors += row["errors"] or 0
            p.warnings += row["warnings"] or 0
    if not groups:
        raise ValueError("本次扫描没有记录项目编号：抽查的对象是项目。请按项目分文件夹扫描（含 project.yaml 或 registration.*），"
                         "或在清单中给出 project_id")
    for p in groups.values():
        p.risk = ERROR_WEIGHT * p.errors + WARNING_WEIGHT * p.warnings
        p.weight = 1.0 + p.risk
    return dict(run), [groups[k] for k in sorted(groups)], unassigned


def draw(store: Store, ratio: float, seed: Optional[str] = None, run_id: Optional[int] = None) -> Draw:
    if not MIN_RATIO <= ratio <= 1:
        raise ValueError("--ratio 应在 0.05 与 1 之间（如 0.05 表示 5%；双随机抽查比例不低于 5%）")
    seed = parse_seed(seed)
    run, pool, unassigned = projects(store, run_id)
    rng = random.Random(_rng_seed(seed))
    for p in pool:  # one uniform draw per project, in project-id order: reproducible
        u = rng.random() or 1e-300
        p.key = u ** (1.0 / p.weight)
    n = sample_size(ratio, len(pool))
    drawn = sorted(pool, key=lambda p: (-p.key, p.project_id))[:n]
    return Draw(seed=seed, ratio=ratio, population=len(pool), n=n, run_id=run["id"],
                rulepack_version=run["rulepack_version"], drawn=drawn, unassigned=unassigned)


def render_draw(d: Draw, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(asdict(d), ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["序号", "项目编号", "代理机构", "权重", "违法", "不合理", "文件"])
        for i, p in enumerate(d.drawn, start=1):
            w.writerow([i, p.project_id, p.agency, f"{p.weight:g}", p.errors, p.warnings, ";".join(p.documents)])
        return buf.getvalue()
    from .textcols import pad, width

    share = d.n / d.population * 100 if d.population else 0
    lines = ["双随机抽查记录",
             f"随机种子 {d.seed}",
             f"抽查对象：第 {d.run_id} 次扫描（规则包 {d.rulepack_version}）记录的项目，项目总数 N = {d.population}"
             + (f"（另有 {d.unassigned} 个文件未归入项目，不参与抽取）" if d.unassigned else ""),
             f"抽查比例：{d.ratio * 100:g}%（不低于 5%），抽取 n = {d.n} 个，占 {share:.1f}%",
             f"方法：{d.method}", ""]
    pid_w = max([width("项目编号")] + [width(p.project_id) for p in d.drawn]) + 2
    lines.append(f"{pad('序号', 6)}{pad('项目编号', pid_w)}{pad('权重', 8, right=True)}{pad('违法', 6, right=True)}"
                 f"{pad('不合理', 8, right=True)}  文件")
    for i, p in enumerate(d.drawn, start=1):
        lines.append(f"{pad(str(i), 6)}{pad(p.project_id, pid_w)}{pad(f'{p.weight:g}', 8, right=True)}"
                     f"{pad(str(p.errors), 6, right=True)}{pad(str(p.warnings), 8, right=True)}  {'；'.join(p.documents)}")
    return "\n".join(lines) + "\n"
