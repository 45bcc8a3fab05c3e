"""Findings and the per-document report model: what every output format renders."""
from __future__ import annotations

import hashlib
from enum import Enum
from typing import Optional

from pydantic import BaseModel, Field

from .models import Coverage, Location, Source
from .rules.schema import Basis, Severity


class Outcome(str, Enum):
    """Four-valued, as in red-flag engines: a rule that could not decide says so instead of staying silent."""

    flag = "flag"
    no_flag = "no_flag"
    missing_data = "missing_data"
    not_applicable = "not_applicable"


class Finding(BaseModel):
    rule_id: str
    title: str
    severity: Severity
    stage: str  # S1..S7
    stage_name: str
    message: str
    suggestion: str
    basis: list[Basis]
    clause_id: str
    clause_number: Optional[str] = None
    heading_path: list[str] = Field(default_factory=list)
    location: Location
    excerpt: str  # the sentence that matched (normalised)
    matched: list[str] = Field(default_factory=list)  # the words that made it match
    values: dict[str, str] = Field(default_factory=dict)  # values compared, for numeric rules
    fingerprint: str

    @staticmethod
    def make_fingerprint(rule_id: str, clause_norm: str) -> str:
        """Stable across re-parses and page shifts: rule id + normalised clause text, not position."""
        return hashlib.sha256(f"{rule_id}\x00{clause_norm}".encode()).hexdigest()[:16]


class RuleResult(BaseModel):
    rule_id: str
    outcome: Outcome
    reason: str = ""  # for missing_data / not_applicable: what was missing or why it does not apply
    findings: int = 0


class DocumentInfo(BaseModel):
    source: Source
    doc_type: str
    regime: str
    procurement: Optional[str] = None  # 工程 / 货物 / 服务
    stage: str  # S1..S7


class Report(BaseModel):
    tool_version: str
    rulepack_version: str
    document: DocumentInfo
    findings: list[Finding]
    results: list[RuleResult]
    coverage: Coverage

    def worst(self) -> Optional[Severity]:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)
