#!/usr/bin/env python3
"""Turn judged real findings into rule examples, so `rules test` guards them.

Usage: bench/harvest_examples.py LABELS [--dry-run]

For every text rule, each labelled false accusation becomes a `no_flag` example and each labelled right finding or
miss a `flag` example, with its source (shared document) and the zone the clause sits in (from `heading:` and
`zone:` in the label, recorded when the label was judged). An example already present is not added twice. The
examples are appended to the rule's YAML file as written (comments kept). Prints what it added and any example
the current pack gets wrong, which then needs a fix (or a label with the reason it is left out).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.pipeline import Checker  # noqa: E402
from checker.zones import zone_of  # noqa: E402
from checker.models import Clause, ClauseKind, Location  # noqa: E402


def _zone(path: list[str]) -> str:
    fake = Clause(id="x", level=len(path), heading_path=path, kind=ClauseKind.paragraph, text="", norm="",
                  location=Location())
    return zone_of(fake)


def _item(text: str, zone: str, source: str) -> str:
    return ("    - {text: " + json.dumps(text, ensure_ascii=False) + ", zone: " + zone + ", source: "
            + json.dumps(source, ensure_ascii=False) + "}\n")


def main() -> int:
    labels = yaml.safe_load(Path(sys.argv[1]).read_text(encoding="utf-8"))
    dry = "--dry-run" in sys.argv
    checker = Checker()
    files = {p.stem: p for p in (ROOT / "rules").rglob("*.yaml")}
    adds: dict[str, dict[str, list[str]]] = {}
    wrong = []
    for doc in labels["documents"]:
        for kind, expected in (("false_positives", False), ("expected", True), ("missed_by_tendercheck", True)):
            for e in doc.get(kind) or []:
                rule = checker.rules.get(e.get("rule") or "")
                if rule is None or not rule.match or "heading_path" not in e:
                    continue
                text = e["snippet"]
                if any((x if isinstance(x, str) else x.text) == text
                       for x in rule.examples.flag + rule.examples.no_flag):
                    continue
                zone = _zone(e["heading_path"])
                source = f"shared/realdocs {doc['file']}: " + (e.get("why_lawful") or e.get("why") or "")
                fired = checker.example_hits(rule, text, zone=zone)
                if fired != expected:
                    wrong.append(f"{rule.id} {'flag' if expected else 'no_flag'}: {text[:60]}")
                    continue
                adds.setdefault(rule.id, {"flag": [], "no_flag": []})["flag" if expected else "no_flag"].append(
                    _item(text, zone, source[:200]))
    for rid, parts in sorted(adds.items()):
        print(f"{rid}: +{len(parts['flag'])} flag, +{len(parts['no_flag'])} no_flag")
        if dry:
            continue
        path = files[rid]
        s = path.read_text(encoding="utf-8").rstrip("\n") + "\n"
        if parts["flag"]:
            s = s.replace("  no_flag:\n", "".join(parts["flag"]) + "  no_flag:\n", 1)
        s += "".join(parts["no_flag"])
        path.write_text(s, encoding="utf-8")
    for w in wrong:
        print("WRONG", w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
