"""双随机一公开: a reproducible, risk-weighted random draw of at least a given share of projects for inspection.

Projects are the documents of the latest scan grouped by project_id (a document without one is its own project).
Each project's weight is 1 + risk, risk = 3 × error findings + warning findings over its documents, so a riskier
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
    method: str = ("Efraimidis–Spirakis weighted sampling without replacement; weight = 1 + 3×errors + warnings; "
                   "random.Random(seed); n = ceil(ratio × N)")


def parse_seed(seed: Optional[str]) -> str:
    return str(seed) if seed not in (None, "") else str(secrets.randbelow(10 ** 12))


def _rng_seed(seed: str):
    return int(seed) if seed.lstrip("-").isdigit() else seed


def sample_size(ratio: float, population: int) -> int:
    if population == 0:
        return 0
    n = math.ceil(Decimal(str(ratio)) * population)  # Decimal: 0.05 × 100 is 5, not 5.000000000000001 → 6
    return min(population, max(1, n))


def projects(store: Store, run_id: Optional[int] = None) -> tuple[dict, list[Project]]:
    run = store.db.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone() if run_id else store.last_run()
    if run is None:
        raise ValueError("结果库中还没有扫描记录：先运行 tendercheck scan")
    groups: dict[str, Project] = {}
    for d in store.snapshot(run["id"]):
        pid = d["project_id"] or d["path"]
        p = groups.setdefault(pid, Project(project_id=pid, weight=1.0))
        p.documents.append(d["path"])
        p.agency = p.agency or (d["agency"] or "")
        if d["status"] == "ok":
            p.errors += d["errors"] or 0
            p.warnings += d["warnings"] or 0
    for p in groups.values():
        p.risk = ERROR_WEIGHT * p.errors + WARNING_WEIGHT * p.warnings
        p.weight = 1.0 + p.risk
    return dict(run), [groups[k] for k in sorted(groups)]


def draw(store: Store, ratio: float, seed: Optional[str] = None, run_id: Optional[int] = None) -> Draw:
    if not 0 < ratio <= 1:
        raise ValueError("--ratio 应在 0 与 1 之间（如 0.05 表示 5%）")
    seed = parse_seed(seed)
    run, pool = projects(store, run_id)
    rng = random.Random(_rng_seed(seed))
    for p in pool:  # one uniform draw per project, in project-id order: reproducible
        u = rng.random() or 1e-300
        p.key = u ** (1.0 / p.weight)
    n = sample_size(ratio, len(pool))
    drawn = sorted(pool, key=lambda p: (-p.key, p.project_id))[:n]
    return Draw(seed=seed, ratio=ratio, population=len(pool), n=n, run_id=run["id"],
                rulepack_version=run["rulepack_version"], drawn=drawn)


def render_draw(d: Draw, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(asdict(d), ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["rank", "project_id", "agency", "weight", "errors", "warnings", "documents"])
        for i, p in enumerate(d.drawn, start=1):
            w.writerow([i, p.project_id, p.agency, f"{p.weight:g}", p.errors, p.warnings, ";".join(p.documents)])
        return buf.getvalue()
    lines = [f"双随机抽查：随机种子 {d.seed}；项目总数 N = {d.population}；抽取比例 {d.ratio:g}；"
             f"抽取 n = {d.n}（≥ {d.ratio * 100:g}%）",
             f"依据：第 {d.run_id} 次扫描，规则包 {d.rulepack_version}；方法：{d.method}", ""]
    lines.append(f"{'序号':>4}  {'项目':30} {'权重':>6} {'违法':>4} {'不当':>4}  文件")
    for i, p in enumerate(d.drawn, start=1):
        lines.append(f"{i:>4}  {p.project_id:30} {p.weight:>6g} {p.errors:>4} {p.warnings:>4}  "
                     f"{'；'.join(p.documents)}")
    return "\n".join(lines) + "\n"
