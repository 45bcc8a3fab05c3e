"""Score the rule pack against labelled documents (corpus/*.expected.yaml): recall on must-flag clauses, the share of
must-not-flag clauses left alone, and the findings no label speaks about (to review by hand)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .findings import Report
from .ingest import parse
from .models import ClauseKind, Document
from .normalize import for_matching
from .pipeline import Checker


@dataclass
class Score:
    flag_total: int = 0
    flag_found: int = 0
    no_flag_total: int = 0
    no_flag_clean: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    unlabelled: list[str] = field(default_factory=list)
    skipped_rules: set[str] = field(default_factory=set)  # labelled rules the pack does not have (yet)

    @property
    def recall(self) -> float:
        return self.flag_found / self.flag_total if self.flag_total else 1.0

    @property
    def left_alone(self) -> float:
        return self.no_flag_clean / self.no_flag_total if self.no_flag_total else 1.0

    def add(self, other: "Score") -> None:
        self.flag_total += other.flag_total
        self.flag_found += other.flag_found
        self.no_flag_total += other.no_flag_total
        self.no_flag_clean += other.no_flag_clean
        self.missed += other.missed
        self.false_alarms += other.false_alarms
        self.unlabelled += other.unlabelled
        self.skipped_rules |= other.skipped_rules


def _clause_of(doc: Document, text: str) -> str | None:
    needle = for_matching(text)
    for c in doc.clauses:
        if c.kind != ClauseKind.table_row and needle in c.norm:
            return c.id
    return None


def score_document(checker: Checker, doc: Document, labels: dict, report: Report | None = None) -> Score:
    report = report or checker.check(doc, regime=labels.get("regime"), doc_type=labels.get("doc_type"))
    fired = {(f.rule_id, f.clause_id) for f in report.findings}
    name = labels.get("document", doc.source.path)
    score = Score()
    labelled: set[tuple[str, str]] = set()
    for expect_flag, items in ((True, labels.get("flag", [])), (False, labels.get("no_flag", []))):
        for item in items:
            rule = item["rule"]
            if rule not in checker.rules:
                score.skipped_rules.add(rule)
                continue
            cid = _clause_of(doc, item["text"])
            hit = cid is not None and (rule, cid) in fired
            if cid:
                labelled.add((rule, cid))
            where = f"{name} {doc.source.format.value} {rule}: {item['text']}"
            if expect_flag:
                score.flag_total += 1
                score.flag_found += hit
                if not hit:
                    score.missed.append(where)
            else:
                score.no_flag_total += 1
                score.no_flag_clean += not hit
                if hit:
                    score.false_alarms.append(where)
    # Document-level expectations (absence rules: 未载明投标有效期 has no clause to point at). The labels are complete:
    # an absence rule of the pack that fires without being listed is a false alarm.
    expected_doc = set(labels.get("document_findings", []))
    fired_doc = {f.rule_id for f in report.findings if not f.clause_id}
    name_fmt = f"{name} {doc.source.format.value}"
    for rule in expected_doc:
        if rule not in checker.rules:
            score.skipped_rules.add(rule)
            continue
        score.flag_total += 1
        score.flag_found += rule in fired_doc
        labelled.add((rule, ""))
        if rule not in fired_doc:
            score.missed.append(f"{name_fmt} {rule}: （全文）")
    for rule in fired_doc - expected_doc:
        score.false_alarms.append(f"{name_fmt} {rule}: （全文）未标注的文件级问题")
        labelled.add((rule, ""))
    labelled_clauses = {cid for _, cid in labelled}
    for f in report.findings:
        if (f.rule_id, f.clause_id) not in labelled:
            note = "" if f.clause_id not in labelled_clauses else "（该条款另有标注）"
            score.unlabelled.append(f"{name} {doc.source.format.value} {f.rule_id}{note}: {f.excerpt[:80]}")
    return score


def corpus_labels(corpus: Path) -> list[tuple[str, dict]]:
    out = []
    for path in sorted(corpus.glob("*.expected.yaml")):
        if path.name.startswith("zz_"):
            continue
        out.append((path.name.removesuffix(".expected.yaml"), yaml.safe_load(path.read_text(encoding="utf-8"))))
    return out


def score_corpus(checker: Checker, corpus: Path, fmt: str) -> Score:
    total = Score()
    for name, labels in corpus_labels(corpus):
        path = corpus / f"{name}.{fmt}"
        if path.exists():
            total.add(score_document(checker, parse(path), labels))
    return total
