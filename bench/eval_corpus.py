"""Precision/recall of the rule pack on the labelled corpus, DOCX and PDF separately.

    .venv/bin/python bench/eval_corpus.py [--show]

Recall = labelled must-flag clauses that the named rule flagged. "Left alone" = labelled must-not-flag look-alikes
that the named rule did not flag. Unlabelled findings are printed with --show for review: each is either a real
violation the labels missed or a false alarm.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.evaluate import score_corpus  # noqa: E402
from checker.pipeline import Checker  # noqa: E402


def main() -> None:
    show = "--show" in sys.argv
    checker = Checker()
    print(f"rule pack {checker.pack.version}: {len(checker.pack.rules)} rules")
    for fmt in ("docx", "pdf"):
        s = score_corpus(checker, ROOT / "corpus", fmt)
        print(f"{fmt:5} recall {s.recall:.3f} ({s.flag_found}/{s.flag_total})   must-not-flag left alone "
              f"{s.left_alone:.3f} ({s.no_flag_clean}/{s.no_flag_total})   unlabelled findings {len(s.unlabelled)}")
        for line in s.missed:
            print("   missed      ", line)
        for line in s.false_alarms:
            print("   false alarm ", line)
        if show:
            for line in s.unlabelled:
                print("   unlabelled  ", line)
        if s.skipped_rules:
            print(f"   labels for rules not in the pack: {', '.join(sorted(s.skipped_rules))}")


if __name__ == "__main__":
    main()
