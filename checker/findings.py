"""Findings and the per-document report model: what every output format renders."""
from __future__ import annotations

import hashlib
from datetime import date
from enum import Enum
from typing import Literal, Optional

from pydantic import BaseModel, Field

from .facts.model import Fact
from .models import Coverage, Location, Source
from .rules.schema import Basis, Severity

# Version of the Report JSON layout (checker/schemas/report.schema.json); bump when a field changes meaning or goes.
SCHEMA_VERSION = "1"


class Outcome(str, Enum):
    """Four-valued, as in red-flag engines: a rule that could not decide says so instead of staying silent."""

    flag = "flag"
    no_flag = "no_flag"
    missing_data = "missing_data"
    not_applicable = "not_applicable"


class WaiverInfo(BaseModel):
    """Why a finding is accepted: from tendercheck-waivers.yml. A waived finding does not count for the exit code."""

    reason: str
    approver: str
    expires: date


class DiffSegment(BaseModel):
    """One stretch of a token diff between a template (示范文本) clause and the document's clause (STD-VERBATIM-SECTIONS).

    `kind`: equal; substantive (numbers, periods, percentages, 不得/应当/可以/必须, the party); wording (other words);
    cosmetic (punctuation, width, whitespace, 的/了 — never reported on its own)."""

    op: Literal["equal", "replace", "delete", "insert"]
    template: str = ""  # the template's text of this stretch ("" for an insertion)
    document: str = ""  # the document's text of this stretch ("" for a deletion)
    kind: Literal["equal", "substantive", "wording", "cosmetic"] = "equal"


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
    diff: list[DiffSegment] = Field(default_factory=list)  # template vs document, for STD-VERBATIM-SECTIONS
    fingerprint: str
    waived: Optional[WaiverInfo] = None  # set when a waiver accepts this finding
    # The same text flagged elsewhere too (a table row repeated on every page, the same clause quoted twice): one
    # finding, every place it stands.
    also_at: list[Location] = Field(default_factory=list)

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
    procedure: Optional[str] = None  # 公开招标 / 竞争性磋商 … (vocab.PROCEDURES); None when not recognised
    regime_detail: Optional[str] = None  # 依法必须招标 / 其他招标 / 政府采购 / 企业自主采购; None when not settled
    doc_date: Optional[date] = None  # the date the document is judged at (its issue date, else its deadline)
    date_source: str = ""  # which date that is; "" = not found, judged by today's rules
    model_text: bool = False  # a 范本/示范文本 itself


class WaiverStatus(BaseModel):
    """One waiver of the waivers file and what became of it: applied, expired (stops applying), or unmatched."""

    rule_id: str
    fingerprint: Optional[str] = None
    clause: Optional[str] = None
    reason: str
    approver: str
    expires: date
    status: Literal["applied", "expired", "unmatched"]
    matched: int = 0  # findings it waived, or would have waived had it not expired


class BaselineInfo(BaseModel):
    path: str
    known: int = 0  # findings left out because their fingerprints are in the baseline
    gone: int = 0  # baseline findings no longer found


class Report(BaseModel):
    schema_version: str = SCHEMA_VERSION
    tool_version: str
    rulepack_version: str
    document: DocumentInfo
    findings: list[Finding]
    results: list[RuleResult]
    coverage: Coverage
    config: Optional[str] = None  # the configuration file used, if any
    waivers: list[WaiverStatus] = Field(default_factory=list)
    baseline: Optional[BaselineInfo] = None
    facts: list[Fact] = Field(default_factory=list)  # typed facts found (amounts, dates, periods) — the evidence
    notes: list[str] = Field(default_factory=list)  # what the checker could not compute, e.g. calendar gaps

    def worst(self) -> Optional[Severity]:
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)
