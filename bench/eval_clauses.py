#!/usr/bin/env python3
"""How the pack does on the real-clause corpus (bench/clauses/*.yaml): verbatim clauses from published documents,
rulings and the shared real documents, each marked flag (a rule of its family must fire) or no_flag (a lawful
look-alike: no rule of the family may fire).

Usage: bench/eval_clauses.py [--family F] [--show] [--holdout-only] [--dir DIR]
Each clause is judged as a small document: a heading naming the zone it stood in, then the clause, checked in the
clause's regime. Per family it prints flag recall (flags found / flags), look-alikes left alone by the family's rules
(no_flag quiet / no_flag) and by every rule; `--show` lists every miss (MISS; a holdout miss without its text, unless
`--holdout-only` asks for the holdout itself), every false flag by the family (FALSE)
and by another family (OTHER), with the rules that fired. A family's rules are the union
of the rule ids its file names. Always exits 0: this is a measurement, not a gate.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from datetime import date
from typing import Optional
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.ingest.text_reader import read_text  # noqa: E402
from checker.models import DocFormat, Source  # noqa: E402
from checker.pipeline import Checker  # noqa: E402
from checker.segment import segment  # noqa: E402

CLAUSE_DIR = ROOT / "bench" / "clauses"

# The heading a clause is put under so that the zoner files it where it stood in its source document.
ZONE_HEADINGS = {
    "公告": "第一章 招标公告",
    "前附表": "投标人须知前附表",
    "须知正文": "第二章 投标人须知",
    "资格条件": "第三章 投标人资格要求",
    "评标办法": "第四章 评标办法",
    "采购需求": "第五章 采购需求",
    "商务要求": "第六章 商务要求",
    "合同条款": "第七章 合同条款",
    "投标文件格式": "第八章 投标文件格式",
    "政策引文": "",
}
REGIMES = ("依法必须招标", "其他招标", "政府采购", "军队采购", "企业自主采购")
PROCUREMENTS = ("工程", "货物", "服务")
ON_DATE = date(2025, 9, 1)   # after every dated rule's start (保障中小企业款项支付条例 2025-06-01, 16号令 2024-05-01)


def load_corpus(directory: Path = CLAUSE_DIR) -> dict[str, list[dict]]:
    """family name (file stem) -> its entries, in file order."""
    corpus: dict[str, list[dict]] = {}
    for path in sorted(directory.glob("*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        corpus[path.stem] = entries
    return corpus


def fired_rules(checker: Checker, text: str, zone: str, regime: str, procurement: str = "", lead_in: str = "",
                published: Optional[date] = None) -> set[str]:
    """The one place that calls the checker (its API may change): rules with a finding on a clause of the document
    made of the zone's heading and the clause itself, not absence rules about the tiny document. `procurement`
    (工程/货物/服务, as the clause's source says) is passed on: a two-line document does not show its kind, and a
    band that differs by kind (小微企业价格扣除) is not judged without it. `lead_in`: the line a list item stands under
    in its document (领取文件其他说明：), verbatim, placed before it — an item alone cannot say when it is demanded.
    `published`: the source document's own date, as the platform publishes it with the notice (a date-bound limit
    counted from it); otherwise the document is dated ON_DATE, after every dated rule's start."""
    heading = ZONE_HEADINGS.get(zone, "")
    text = f"{lead_in}\n{text}" if lead_in else text
    body = f"{heading}\n{text}\n" if heading else f"{text}\n"
    doc = segment(read_text(body, Source(path="clause.txt", sha256="0" * 64, format=DocFormat.text, size=len(body))))
    report = checker.check(doc, regime=regime if regime in REGIMES else None, doc_type="招标文件",
                           procedure="公开招标", on_date=published or ON_DATE, template=None,
                           procurement=procurement if procurement in PROCUREMENTS else None)
    return {f.rule_id for f in report.findings if f.clause_id}


@dataclass
class FamilyScore:
    flags: int = 0
    found: int = 0
    lawful: int = 0
    quiet: int = 0
    quiet_all: int = 0       # look-alikes no rule of any family fired on (a false accusation is one whoever makes it)
    lines: list[str] = field(default_factory=list)


def score_family(checker: Checker, entries: list[dict], holdout_only: bool,
                 also: frozenset[str] = frozenset()) -> FamilyScore:
    """`also`: more rule ids that count as the family's own (--by-family: the rules the main corpus names for the
    family, so that a set collected before a rule existed credits the rule that now covers its kind)."""
    family_rules = {r for e in entries for r in e.get("rules") or []} | also
    score = FamilyScore()
    for entry in entries:
        if holdout_only and not entry.get("holdout"):
            continue
        fired = fired_rules(checker, entry["text"], entry.get("zone", ""), entry.get("regime", ""),
                            entry.get("procurement", ""), entry.get("lead_in", ""),
                            date.fromisoformat(entry["published"]) if entry.get("published") else None)
        shown = ",".join(sorted(fired)) or "—"
        if entry["expect"] == "flag":
            score.flags += 1
            if fired & (set(entry.get("rules") or []) | also):
                score.found += 1
            elif entry.get("holdout") and not holdout_only:
                # The holdout is the honest figure only while nobody tunes on it: its misses are counted, not shown.
                score.lines.append("  MISS  (holdout, text hidden)")
            else:
                score.lines.append(f"  MISS  [{shown}] want {','.join(entry['rules'])}: {entry['text'][:90]}")
        else:
            score.lawful += 1
            score.quiet_all += not fired
            hit = fired & family_rules
            if hit:
                score.lines.append(f"  FALSE [{','.join(sorted(hit))}]: {entry['text'][:90]}")
            else:
                score.quiet += 1
                if fired:
                    score.lines.append(f"  OTHER [{shown}]: {entry['text'][:90]}")
    return score


def ratio(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.3f}" if b else "—"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--family", help="only this family (file stem)")
    ap.add_argument("--show", action="store_true", help="list every miss and false flag")
    ap.add_argument("--holdout-only", action="store_true", help="only clauses marked holdout: true")
    ap.add_argument("--dir", type=Path, default=CLAUSE_DIR)
    ap.add_argument("--by-family", action="store_true",
                    help="with --dir: a flag counts as found when any rule the main corpus names for its family fires")
    args = ap.parse_args()
    corpus = load_corpus(args.dir)
    main_rules = {fam: frozenset(r for e in entries for r in e.get("rules") or [])
                  for fam, entries in load_corpus(CLAUSE_DIR).items()} if args.by_family else {}
    if args.family:
        corpus = {k: v for k, v in corpus.items() if k == args.family}
    checker = Checker()
    total = FamilyScore()
    print(f"{'family':28} {'recall (flags found/flags)':28} {'look-alikes left alone':24} by every rule")
    for family, entries in corpus.items():
        s = score_family(checker, entries, args.holdout_only, main_rules.get(family, frozenset()))
        print(f"{family:28} {ratio(s.found, s.flags):28} {ratio(s.quiet, s.lawful):24} {ratio(s.quiet_all, s.lawful)}")
        if args.show:
            for line in s.lines:
                print(line)
        total.flags += s.flags
        total.found += s.found
        total.lawful += s.lawful
        total.quiet += s.quiet
        total.quiet_all += s.quiet_all
    print(f"{'TOTAL':28} {ratio(total.found, total.flags):28} {ratio(total.quiet, total.lawful):24} "
          f"{ratio(total.quiet_all, total.lawful)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
