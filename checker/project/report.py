"""The project report: every document with its type, stage and findings, the project's timeline, and the findings
of the cross-document and stage rules, each naming the documents and the values it compared."""
from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, Field

from ..findings import Finding, RuleResult, WaiverInfo
from ..models import Location
from ..rules.schema import Basis, Severity

# Version of the project report JSON layout; bump when a field changes meaning or goes.
PROJECT_SCHEMA_VERSION = "1"


class Evidence(BaseModel):
    """One document's part in a comparison: which document, what value, where in it."""

    doc_type: str
    path: str  # relative to the dossier; "" for the registration record when it is not a file
    what: str  # 发出日期, 签约合同价, 评标委员会成员名单 …
    value: str  # as shown: 2026-04-20, 512万元, 5人
    location: Location = Field(default_factory=Location)
    excerpt: str = ""


class ProjectFact(BaseModel):
    """A fact of the project: read from one document (a date, a price) or derived from several (a period between
    two documents' dates, a count over a committee table)."""

    name: str
    kind: str  # money / percent / duration / date / count
    value: float
    unit: str = ""
    shown: str  # the value as a reviewer reads it: 43日, 512万元, 5人
    lot: str = ""
    alt: Optional[float] = None  # a second reading (inclusive day count) where the law is read two ways
    comparison: str = ""  # how the value came about: 中标通知书 2026-04-20 → 合同 2026-06-02 = 43日
    evidence: list[Evidence] = Field(default_factory=list)
    note: str = ""  # e.g. 顺延, 第30日为法定休假日
    severity_cap: Optional[Severity] = None  # a finding on this fact is at most this severe (a reviewer decides)
    stage: Optional[str] = None  # the stage of the document the fact belongs to

    def describe(self) -> str:
        return self.comparison or (f"{self.evidence[0].doc_type} {self.evidence[0].what} {self.shown}"
                                   if self.evidence else self.shown)


class ProjectFinding(BaseModel):
    rule_id: str
    title: str
    severity: Severity
    stage: str
    stage_name: str
    message: str
    suggestion: str
    basis: list[Basis]
    documents: list[Evidence]  # every document the finding rests on, with the value it gave
    values: dict[str, str] = Field(default_factory=dict)  # the values compared; 比较 = the comparison in one line
    excerpt: str = ""
    matched: list[str] = Field(default_factory=list)
    note: str = ""
    fingerprint: str
    waived: Optional[WaiverInfo] = None  # set when a waiver (tendercheck-waivers.yml) accepts this finding

    @property
    def comparison(self) -> str:
        return self.values.get("比较", "")


class DocumentEntry(BaseModel):
    path: str  # relative to the dossier directory
    doc_type: str
    stage: str
    stage_name: str
    type_from: str  # 清单 / 标题 / 正文
    title: str = ""
    regime: Optional[str] = None
    format: Optional[str] = None
    sha256: Optional[str] = None
    pages: Optional[int] = None
    dates: dict[str, str] = Field(default_factory=dict)  # the dates read from it (or given by the manifest)
    error: Optional[str] = None  # the one-line reason when the document could not be read
    error_code: Optional[int] = None  # its exit code (3..11)
    findings: list[Finding] = Field(default_factory=list)  # the per-document rule pack's findings
    missing_rules: list[RuleResult] = Field(default_factory=list)  # per-document rules that could not decide


class TimelineEvent(BaseModel):
    date: str  # ISO date, with the time when the document gives one
    event: str  # 公告发布, 投标截止, 澄清（第1号）, 评标报告, 公示, 中标通知书发出, 合同签订 …
    doc_type: str
    path: str
    stage: str
    note: str = ""


class ProjectInfo(BaseModel):
    name: str
    directory: str
    regime: str
    procurement: Optional[str] = None
    state_funded: Optional[bool] = None
    state_funded_from: str = ""  # where the funding nature was read: 项目登记 / 清单 / 招标文件
    manifest: Optional[str] = None
    registration: Optional[str] = None


class ProjectReport(BaseModel):
    schema_version: str = PROJECT_SCHEMA_VERSION
    tool_version: str
    rulepack_version: str  # the per-document pack
    project_rulepack_version: str  # rules/project
    project: ProjectInfo
    documents: list[DocumentEntry]
    missing_documents: dict[str, list[str]] = Field(default_factory=dict)  # stage → document types not in it
    timeline: list[TimelineEvent] = Field(default_factory=list)
    findings: list[ProjectFinding] = Field(default_factory=list)  # the project rules' findings
    results: list[RuleResult] = Field(default_factory=list)  # the project rules, four-valued
    rule_stages: dict[str, str] = Field(default_factory=dict)  # project rule → the stage it belongs to (its first)
    facts: list[ProjectFact] = Field(default_factory=list)  # the project facts the rules read — the evidence
    notes: list[str] = Field(default_factory=list)

    def all_severities(self) -> list[Severity]:
        """Severities of the findings that count (not waived): project findings and every document's."""
        return [f.severity for f in self.findings if f.waived is None] + [
            f.severity for d in self.documents for f in d.findings if f.waived is None]

    def worst(self) -> Optional[Severity]:
        return max(self.all_severities(), key=lambda s: s.rank, default=None)
