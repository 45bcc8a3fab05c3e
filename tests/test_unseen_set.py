"""bench/unseen is scored by bench/eval_real.py: every text there has its source and its labels, and the files parse
(a `: ` inside an unquoted value once broke sources.yaml without anyone noticing)."""
from pathlib import Path

import yaml

UNSEEN = Path(__file__).resolve().parent.parent / "bench" / "unseen"


def _documents(name: str) -> list[dict]:
    return yaml.safe_load((UNSEEN / name).read_text(encoding="utf-8"))["documents"]


def test_every_text_has_a_source_and_labels():
    texts = {p.name for p in UNSEEN.glob("*.txt")}
    assert texts
    assert texts == {d["file"] for d in _documents("sources.yaml")}
    assert texts == {d["file"] for d in _documents("labels.yaml")}


def test_label_snippets_are_long_enough_to_match():
    """The scorer matches a finding by 12 shared characters; a shorter snippet can never be scored."""
    for doc in _documents("labels.yaml"):
        for key in ("expected", "missed_by_tendercheck", "false_positives", "debatable"):
            for entry in doc.get(key) or []:
                if entry.get("snippet_note"):
                    continue
                assert len("".join(entry["snippet"].split())) >= 12 or entry["snippet"] == "（全文未找到）", \
                    (doc["file"], entry["snippet"])
