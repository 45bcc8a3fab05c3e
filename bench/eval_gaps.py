#!/usr/bin/env python3
"""How the pack does on the 15 worst gaps of ../shared/reference/legal-coverage.md (§4): each row's must-flag
sentences should raise a finding and its lawful look-alikes none, judged as a one-sentence document of each regime.

Usage: bench/eval_gaps.py [COVERAGE_MD]   (default ../shared/reference/legal-coverage.md)
Prints one line per gap (which rules fired on each sentence) and `gaps flag=a/b quiet=c/d`.
"""
from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.ingest.text_reader import read_text  # noqa: E402
from checker.models import DocFormat, Source  # noqa: E402
from checker.pipeline import Checker  # noqa: E402
from checker.segment import segment  # noqa: E402

ROW = re.compile(r"^\| (1[0-5]|[1-9]) \|")


def rules_fired(checker: Checker, text: str) -> set[str]:
    """Rules with a finding on the sentence itself (not absence rules about the tiny document), in either regime."""
    doc = segment(read_text(text, Source(path="s.txt", sha256="0" * 64, format=DocFormat.text, size=len(text))))
    fired: set[str] = set()
    for regime in ("依法必须招标", "政府采购"):
        report = checker.check(doc, regime=regime, doc_type="招标文件", procedure="公开招标", on_date=date(2025, 9, 1),
                               template=None)
        fired |= {f.rule_id for f in report.findings if f.clause_id}
    return fired


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "reference" / "legal-coverage.md"
    checker = Checker()
    flag_ok = flag_all = quiet_ok = quiet_all = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not ROW.match(line):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        number, item, must, lawful = cells[0], cells[1], cells[4], cells[5]
        flags = [rules_fired(checker, s) for s in must.split("／") if s]
        quiets = [rules_fired(checker, s) for s in lawful.split("／") if s]
        flag_all += len(flags)
        flag_ok += sum(1 for f in flags if f)
        quiet_all += len(quiets)
        quiet_ok += sum(1 for q in quiets if not q)
        shown = "  ".join(",".join(sorted(f)) or "—" for f in flags)
        wrong = [",".join(sorted(q)) for q in quiets if q]
        print(f"{number:>2} {item[:24]:24}  flag: {shown}" + (f"  LAWFUL FLAGGED: {'; '.join(wrong)}" if wrong else ""))
    print(f"gaps flag={flag_ok}/{flag_all} quiet={quiet_ok}/{quiet_all}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
