"""Reviewers' decisions as rule examples (the rule rates are checker/feedback.py's, shared with `scan`).

`export_examples(db, DIR)` — the decided clauses as candidate examples for the rule files: one YAML per rule,
confirmed clauses under `flag`, dismissed ones under `no_flag`, each with its source and the reviewer's reason. The
rule owner moves them into `rules/…yaml` (`examples:`), and `tendercheck rules test` then guards the decision.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml

from .store import ReviewStore


def candidate_examples(store: ReviewStore) -> dict[str, dict[str, list[dict]]]:
    """rule → {"flag": [...], "no_flag": [...]}: one item per distinct clause, the latest decision on it."""
    out: dict[str, dict[str, dict[str, dict]]] = defaultdict(lambda: {"flag": {}, "no_flag": {}})
    for v in store.latest_verdicts():
        if v["verdict"] == "pending" or not v["excerpt"]:
            continue
        side = "flag" if v["verdict"] == "confirmed" else "no_flag"
        where = v["entry_name"] + (f" 第{v['page']}页" if v["page"] else "")
        item = {"text": v["excerpt"], "source": f"复核台：{where}",
                "reason": v["reason"] or ("复核确认" if side == "flag" else ""),
                "reviewer": v["reviewer"], "at": v["at"]}
        if v["heading"]:
            item["heading"] = v["heading"].split(" › ")[-1]
        out[v["rule_id"]][side][v["excerpt"]] = item
        other = "no_flag" if side == "flag" else "flag"
        out[v["rule_id"]][other].pop(v["excerpt"], None)  # the latest decision on the same clause wins
    return {rule: {side: list(items.values()) for side, items in sides.items()} for rule, sides in out.items()}


def export_examples(db: str | Path, out_dir: str | Path) -> list[Path]:
    """Write DIR/<rule>.yaml for every rule with a decided clause; returns the files written."""
    from ..errors import UsageError

    if not Path(db).is_file():
        raise UsageError("复核数据库不存在", str(db))
    store = ReviewStore(db)
    target = Path(out_dir)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"无法创建输出目录：{exc.strerror or exc}", str(out_dir)) from None
    written = []
    for rule, sides in sorted(candidate_examples(store).items()):
        doc = {"rule": rule,
               "note": "复核员的决定，作为候选示例：确认的条款列入 flag，驳回的列入 no_flag；"
                       "规则负责人审阅后移入规则文件的 examples",
               "examples": {k: v for k, v in sides.items() if v}}
        path = target / f"{rule}.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
        written.append(path)
    return written
