"""What the model-document checks report: each check's rule (rules/model/STD-*.yaml names the check it reports in
`model.check`), its texts, and the finding built from them; shared by checks.py and front_table.py."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import yaml

from ..findings import DiffSegment, Finding
from ..models import Clause, Document
from ..rules.schema import STAGES, Basis, Severity
from .spec import BUNDLED_DIR

STAGE = "S2"
CN_DIGITS = "零一二三四五六七八九"
MODEL_RULES_DIR = BUNDLED_DIR.parent / "model"  # rules/model/STD-*.yaml: each names the check it reports (model.check)
CHECKS = ("chapter_structure", "verbatim_sections", "front_table_conflict", "blanks_unfilled")


@dataclass(frozen=True)
class CheckText:
    rule_id: str
    title: str
    severity: Severity
    message: str
    suggestion: str
    basis: tuple[Basis, ...]


@lru_cache(maxsize=1)
def _texts_by_check() -> dict[str, CheckText]:
    """check name → the rule that reports it (rules/model/*.yaml: id, title, severity, message, basis)."""
    out = {}
    for path in sorted(MODEL_RULES_DIR.glob("*.yaml")):
        v = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[v["model"]["check"]] = CheckText(
            rule_id=v["id"], title=v["title"], severity=Severity(v["severity"]), message=v["message"],
            suggestion=v["suggestion"], basis=tuple(Basis.model_validate(b) for b in v["basis"]))
    return out


def rule_id(check: str) -> str:
    return _texts_by_check()[check].rule_id


def check_texts() -> dict[str, CheckText]:
    """rule id → its texts, for the four model-document rules."""
    return {t.rule_id: t for t in _texts_by_check().values()}


def __getattr__(name: str):
    if name == "RULE_IDS":  # the model-document rules' ids, in the order of CHECKS
        return tuple(rule_id(c) for c in CHECKS)
    raise AttributeError(name)


def _cn(n: int) -> str:
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def finding(rule_id: str, clause: Clause, *, specific: str, excerpt: str, fp_text: str,
             severity: Optional[Severity] = None, values: Optional[dict[str, str]] = None,
             matched: Optional[list[str]] = None, diff: Optional[list[DiffSegment]] = None,
             number: Optional[str] = None) -> Finding:
    t = check_texts()[rule_id]
    return Finding(
        rule_id=rule_id, title=t.title, severity=severity or t.severity, stage=STAGE, stage_name=STAGES[STAGE],
        message=f"{specific}{t.message}", suggestion=t.suggestion, basis=list(t.basis), clause_id=clause.id,
        clause_number=number if number is not None else clause.number, heading_path=clause.heading_path,
        location=clause.location, excerpt=excerpt, matched=[m for m in (matched or []) if m],
        values=values or {}, diff=diff or [], fingerprint=Finding.make_fingerprint(rule_id, fp_text),
    )



def short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"


def positions(doc: Document) -> dict[str, int]:
    return {c.id: i for i, c in enumerate(doc.clauses)}
