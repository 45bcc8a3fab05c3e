#!/usr/bin/env python3
"""Score `tendercheck check` on labelled real documents, per rule and overall.

Usage: bench/eval_real.py DIR [--labels FILE] [--tendercheck CMD] [--show] [--jobs N] [--only r02,r05]

DIR holds the documents; FILE (default DIR/labels.yaml) is in the format of ../shared/realdocs/labels.yaml:
documents[].{file, expected[], missed_by_tendercheck[], false_positives[], debatable[]}, each item a verbatim
`snippet` (whitespace removed) and a `rule`. The project keeps its own copy that grows with the pack:
bench/labels/realdocs.yaml (every finding the checker raises on the shared documents judged there).

A finding and a label are the same when they share 12 characters (as ../shared/tools/real_eval.py counts). Per rule:
  right      findings on a labelled right finding or miss (true positives; a wrong label wins over a right one
             where one finding touches both)
  wrong      findings on a labelled false accusation
  debatable  findings on a label the document cannot settle (counted neither way)
  unlabelled findings no label covers: to be judged and added to the labels
  missed     labelled right findings and misses that no finding of that rule covers
Overall, precision counts right / (right + wrong) and, for 违法 alone, error findings; unlabelled errors are listed
as unknown (a judged label set has none). The last line is machine-readable.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import difflib
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WS = re.compile(r"\s+")
FW = str.maketrans({chr(0xFF01 + i): chr(0x21 + i) for i in range(94)})
MIN = 12


def norm(s: str) -> str:
    return WS.sub("", (s or "").translate(FW))


def shares(a: str, b: str) -> bool:
    if not a or not b:
        return False
    m = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= min(MIN, len(a), len(b)) and m.size >= 6


def finding_text(f: dict) -> str:
    return norm(" ".join([f.get("excerpt", "")] + list(f.get("matched") or [])))


def documents(labels: dict) -> list[dict]:
    """Both label formats: realdocs (documents: [...]) and realnotices (files: {name: {expected, debatable,
    false_positive_guards}} with `rule_family` such as `TIME (磋商…)`)."""
    if "documents" in labels:
        return labels["documents"]
    out = []
    for name, entry in labels["files"].items():
        def items(key):
            return [{"snippet": e["snippet"], "rule": (e.get("rule_family") or "").split(" ")[0] or None}
                    for e in entry.get(key) or []]
        out.append({"file": name, "expected": items("expected"), "debatable": items("debatable"),
                    "false_positives": items("false_positive_guards"), "missed_by_tendercheck": []})
    return out


def run_check(cmd: list[str], path: Path) -> tuple[int, list[dict] | None]:
    r = subprocess.run(cmd + ["check", str(path), "--format", "json"], capture_output=True, text=True, timeout=900)
    try:
        return r.returncode, json.loads(r.stdout).get("findings", [])
    except json.JSONDecodeError:
        return r.returncode, None


def judge(doc: dict, findings: list[dict]):
    """Each finding → (verdict, label rule) and the labelled truths no finding covers."""
    groups = {k: [(norm(e["snippet"]), e.get("rule")) for e in (doc.get(k) or [])]
              for k in ("expected", "missed_by_tendercheck", "false_positives", "debatable")}
    trues = groups["expected"] + groups["missed_by_tendercheck"]
    verdicts = []
    for f in findings:
        text = finding_text(f)
        if any(shares(s, text) for s, _ in groups["false_positives"]):
            verdicts.append("wrong")
        elif any(shares(s, text) for s, _ in trues):
            verdicts.append("right")
        elif any(shares(s, text) for s, _ in groups["debatable"]):
            verdicts.append("debatable")
        else:
            verdicts.append("unlabelled")
    texts = [finding_text(f) for f in findings]
    missed = [(s, rule) for s, rule in trues if not any(shares(s, t) for t in texts)]
    return verdicts, missed, len(trues)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--labels", type=Path)
    ap.add_argument("--tendercheck", default=str(ROOT / ".venv" / "bin" / "tendercheck"),
                    help="command to run (default: the project's .venv)")
    ap.add_argument("--show", action="store_true", help="list wrong, missed and unlabelled findings")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--only", help="comma-separated file prefixes (r02,r05)")
    args = ap.parse_args(argv)
    labels_path = args.labels or args.dir / "labels.yaml"
    docs = documents(yaml.safe_load(labels_path.read_text(encoding="utf-8")))
    if args.only:
        keep = set(args.only.split(","))
        docs = [d for d in docs if d["file"].split("_")[0] in keep]
    cmd = args.tendercheck.split()
    with cf.ThreadPoolExecutor(args.jobs) as ex:
        outs = list(ex.map(lambda d: run_check(cmd, args.dir / d["file"]), docs))

    per_rule: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    overall: dict[str, int] = defaultdict(int)
    lines: list[str] = []
    rc_ok = 0
    for doc, (rc, findings) in zip(docs, outs):
        expect_rc = doc.get("exit_code")
        rc_ok += (rc == expect_rc) if expect_rc is not None else rc in (0, 1)
        findings = findings or []
        verdicts, missed, n_true = judge(doc, findings)
        overall["truths"] += n_true
        for f, v in zip(findings, verdicts):
            per_rule[f["rule_id"]][v] += 1
            overall[v] += 1
            if f.get("severity") == "error":
                overall[f"error_{v}"] += 1
            if args.show and v in ("wrong", "unlabelled"):
                lines.append(f"  {v.upper():10} {f['severity']:7} {f['rule_id']}: {norm(f.get('excerpt'))[:70]}  "
                             f"[{doc['file']}]")
        for snippet, rule in missed:
            per_rule[rule or "(no rule)"]["missed"] += 1
            overall["missed"] += 1
            if args.show:
                lines.append(f"  MISSED     {rule or '(no rule)'}: {snippet[:70]}  [{doc['file']}]")

    print(f"{'rule':32} {'right':>5} {'wrong':>5} {'debat':>5} {'unlab':>5} {'missed':>6}")
    for rule in sorted(per_rule):
        c = per_rule[rule]
        print(f"{rule:32} {c['right']:5} {c['wrong']:5} {c['debatable']:5} {c['unlabelled']:5} {c['missed']:6}")
    if lines:
        print("\n".join(lines))
    judged = overall["right"] + overall["wrong"]
    e_judged = overall["error_right"] + overall["error_wrong"]
    truths = overall["truths"]
    precision = overall["right"] / judged if judged else 1.0
    e_precision = overall["error_right"] / e_judged if e_judged else 1.0
    recall = (truths - overall["missed"]) / truths if truths else 1.0
    print(f"real_eval docs={len(docs)} right={overall['right']} wrong={overall['wrong']} "
          f"debatable={overall['debatable']} unlabelled={overall['unlabelled']} missed={overall['missed']} "
          f"precision={precision:.3f} error_precision={e_precision:.3f} "
          f"(error right={overall['error_right']} wrong={overall['error_wrong']} "
          f"unlabelled={overall['error_unlabelled']}) recall={recall:.3f} ({truths - overall['missed']}/{truths}) "
          f"rc_ok={rc_ok}/{len(docs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
