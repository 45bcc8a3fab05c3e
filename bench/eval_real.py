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
Labels in the realnotices format also give each file's doc_type, regime and procurement: the script prints the
checker's document type, regime, procedure, date and the number of rules that ran for each file (--show), and the
doc-type, regime and procurement accuracy, and how many stage documents (result notices, corrections, contracts)
were judged at all (a stage document on which no rule ran passes any gate unread). An `also` snippet of an expected
finding is a further place of the same finding: a finding there is right, but it is not a separate truth.
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
        def items(key, entry=entry):
            return [{"snippet": e["snippet"], "rule": (e.get("rule_family") or "").split(" ")[0] or None,
                     "also": [e["also"]] if isinstance(e.get("also"), str) else list(e.get("also") or [])}
                    for e in entry.get(key) or []]
        out.append({"file": name, "expected": items("expected"), "debatable": items("debatable"),
                    "false_positives": items("false_positive_guards"), "missed_by_tendercheck": [],
                    "doc_type": entry.get("doc_type"), "regime": entry.get("regime"),
                    "procurement": entry.get("procurement")})
    return out


# The notice kinds labels name, as the checker's document types (checker/vocab.py DOC_TYPES).
DOC_TYPE_OF_LABEL = [
    (r"终止|废标|流标|采购失败|招标失败", "终止公告"),
    (r"中标通知书|成交通知书", "中标通知书"),
    (r"候选人公示|评标结果公示", "中标候选人公示"),
    (r"结果公告|中标公告|成交公告|结果公示", "中标结果公告"),
    (r"更正|澄清|变更|答疑|补遗", "澄清修改"),
    (r"资格预审公告", "资格预审公告"),
    (r"资格预审文件", "资格预审文件"),
    (r"公告|投标邀请|询价通知书", "招标公告"),
    (r"招标文件|采购文件|磋商文件|谈判文件", "招标文件"),
    (r"合同", "合同"),
    (r"评标报告|评审报告", "评标报告"),
]


def label_doc_type(label: str | None) -> str | None:
    if not label:
        return None
    return next((t for pat, t in DOC_TYPE_OF_LABEL if re.search(pat, label)), label)


def label_regime(label: str | None) -> str | None:
    """`政府采购（同 n03）` → 政府采购; the labels' 工程 kinds (依法必须招标 …) → 工程."""
    if not label:
        return None
    if label.startswith(("政府采购", "军队采购")):  # 军队采购 is the 政府采购 regime's military detail
        return "政府采购"
    return "工程" if re.match(r"工程|依法必须|其他招标|企业", label) else label


def run_check(cmd: list[str], path: Path) -> tuple[int, list[dict] | None, dict]:
    r = subprocess.run(cmd + ["check", str(path), "--format", "json"], capture_output=True, text=True, timeout=900)
    try:
        data = json.loads(r.stdout)
    except json.JSONDecodeError:
        return r.returncode, None, {}
    ran = sum(1 for x in data.get("results", []) if x.get("outcome") in ("flag", "no_flag"))
    return r.returncode, data.get("findings", []), {**(data.get("document") or {}), "rules_run": ran}


def judge(doc: dict, findings: list[dict]):
    """Each finding → (verdict, label rule) and the labelled truths no finding covers."""
    groups = {k: [(norm(e["snippet"]), e.get("rule")) for e in (doc.get(k) or [])]
              for k in ("expected", "missed_by_tendercheck", "false_positives", "debatable")}
    trues = groups["expected"] + groups["missed_by_tendercheck"]
    # `also`: further verbatim places of the same expected finding (a second item of the same list)
    also = [(norm(a), e.get("rule")) for k in ("expected", "missed_by_tendercheck") for e in (doc.get(k) or [])
            for a in e.get("also") or []]
    verdicts = []
    for f in findings:
        text = finding_text(f)
        if any(shares(s, text) for s, _ in groups["false_positives"]):
            verdicts.append("wrong")
        elif any(shares(s, text) for s, _ in trues + also):
            verdicts.append("right")
        elif any(shares(s, text) for s, _ in groups["debatable"]):
            verdicts.append("debatable")
        else:
            verdicts.append("unlabelled")
    texts = [finding_text(f) for f in findings]
    missed = [(s, rule) for s, rule in trues if not any(shares(s, t) for t in texts)]
    return verdicts, missed, len(trues)


def classification(doc: dict, info: dict, acc: dict[str, int]) -> str:
    """Count how the document was classified against its label; the line `--show` prints for it ("" if unlabelled)."""
    want_type, want_regime = label_doc_type(doc.get("doc_type")), label_regime(doc.get("regime"))
    if want_type:
        acc["type_n"] += 1
        acc["type_ok"] += info.get("doc_type") == want_type
    if want_regime:
        acc["regime_n"] += 1
        acc["regime_ok"] += info.get("regime") == want_regime
    if doc.get("procurement"):
        acc["proc_n"] += 1
        acc["proc_ok"] += info.get("procurement") == doc["procurement"]
    if want_type in ("中标结果公告", "中标候选人公示", "中标通知书", "澄清修改", "合同"):
        acc["run_n"] += 1
        acc["run_ok"] += info.get("rules_run", 0) > 0  # a stage document is judged, not passed unread
    if not (want_type or want_regime):
        return ""
    return (f"  {doc['file'][:44]:44} type {info.get('doc_type')!s:8} (label {want_type}) "
            f"regime {info.get('regime')!s:5} (label {want_regime}) procedure {info.get('procedure')} "
            f"date {info.get('doc_date')} rules_run {info.get('rules_run', 0)}")


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
    kinds: list[str] = []
    rc_ok = 0
    acc: dict[str, int] = defaultdict(int)  # type/regime/procurement/run: labelled (_n) and right (_ok)
    for doc, (rc, findings, info) in zip(docs, outs):
        kind = classification(doc, info, acc)
        if kind:
            kinds.append(kind)
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
    if kinds and args.show:
        print("\n".join(kinds))
    if acc["type_n"] or acc["regime_n"]:
        print(f"doc_type accuracy {acc['type_ok']}/{acc['type_n']}  "
              f"regime accuracy {acc['regime_ok']}/{acc['regime_n']}  "
              f"procurement accuracy {acc['proc_ok']}/{acc['proc_n']}  "
              f"stage documents judged (rules run > 0) {acc['run_ok']}/{acc['run_n']}")
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
