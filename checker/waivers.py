"""Accepted findings: waivers (`tendercheck-waivers.yml`) and a baseline (a previous JSON report).

A waiver names a rule and either the finding's fingerprint (printed in every report) or the clause text, with a
reason, an approver and an expiry date:

    waivers:
      - rule: DQ-SCALE-CONDITIONS
        fingerprint: 9c1d0e5f2a7b3c44
        reason: 特级资质项目，注册资本门槛经行业主管部门书面同意
        approver: 市公共资源交易中心 张三
        expires: 2027-06-30
      - rule: PROC-SITE-VISIT
        clause: 必须参加招标人组织的踏勘      # the clause text, or a piece of the sentence that was flagged
        reason: …
        approver: …
        expires: 2027-06-30

A waived finding stays in the report, marked as waived, and does not count for the exit code. A waiver past its
expiry date stops applying (its finding counts again) and is reported as expired; a waiver that matches no finding is
reported as unmatched, so stale waivers are noticed.

The baseline is a report written earlier with `--format json` (or `--format sarif`); with `--baseline`, findings whose
fingerprints it already holds are left out, so a gate only fails on what is new.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import TenderCheckError
from .findings import BaselineInfo, Finding, Report, WaiverInfo, WaiverStatus
from .messages import value_problem, where_invalid
from .normalize import for_matching
from .yaml_errors import bad_scalar

WAIVERS_NAME = "tendercheck-waivers.yml"


class WaiverError(TenderCheckError):
    code = "waivers"


class BaselineError(TenderCheckError):
    code = "baseline"


class Waiver(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str
    fingerprint: Optional[str] = None
    clause: Optional[str] = None
    reason: str
    approver: str
    expires: date

    @field_validator("reason", "approver")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("不能为空")
        return v.strip()

    @model_validator(mode="after")
    def _target(self) -> "Waiver":
        if not self.fingerprint and not (self.clause and self.clause.strip()):
            raise ValueError("需要 fingerprint（报告中的指纹）或 clause（条款原文）之一")
        return self

    def matches(self, finding: Finding) -> bool:
        if finding.rule_id != self.rule:
            return False
        if self.fingerprint:
            return finding.fingerprint == self.fingerprint.strip().lower()
        text = for_matching(self.clause or "")
        return (Finding.make_fingerprint(self.rule, text) == finding.fingerprint  # the whole clause
                or text in for_matching(finding.excerpt))  # or a piece of the flagged sentence


class WaiverFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    waivers: list[Waiver] = Field(default_factory=list)


def find_waivers(start: Optional[Path] = None) -> Optional[Path]:
    """The nearest tendercheck-waivers.yml from `start` (default: the current directory) upward."""
    here = Path(start or Path.cwd()).resolve()
    for directory in [here, *here.parents]:
        if (directory / WAIVERS_NAME).is_file():
            return directory / WAIVERS_NAME
    return None


def load_waivers(path: Path) -> list[Waiver]:
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except FileNotFoundError:
        raise WaiverError("豁免文件不存在", str(path)) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise WaiverError(f"无法读取豁免文件：{exc}".splitlines()[0], str(path)) from None
    except RecursionError:
        raise WaiverError("豁免文件嵌套过深，不是有效的豁免列表", str(path)) from None
    except ValueError as exc:  # PyYAML builds dates itself: 2027-02-30 or T25:00 raise ValueError, not YAMLError
        raise WaiverError(f"豁免文件{bad_scalar(text)}无效：{value_problem(exc)}", str(path)) from None
    if data is None:
        return []
    if isinstance(data, list):
        data = {"waivers": data}
    if not isinstance(data, dict):
        raise WaiverError("豁免文件应为 waivers: 列表", str(path))
    try:
        return WaiverFile.model_validate(data).waivers
    except ValidationError as exc:
        raise WaiverError(f"豁免文件{where_invalid(exc.errors()[0], drop=('waivers',))}", str(path)) from None


def apply_waivers(report: Report, waivers: list[Waiver], today: Optional[date] = None) -> Report:
    """Mark the findings that a current waiver accepts; list every waiver with what became of it."""
    today = today or date.today()
    findings = [f.model_copy() for f in report.findings]
    statuses: list[WaiverStatus] = []
    for w in waivers:
        hits = [f for f in findings if w.matches(f)]
        expired = w.expires < today
        if not expired:
            for f in hits:
                if f.waived is None:
                    f.waived = WaiverInfo(reason=w.reason, approver=w.approver, expires=w.expires)
        status = "expired" if expired else ("applied" if hits else "unmatched")
        statuses.append(WaiverStatus(rule_id=w.rule, fingerprint=w.fingerprint, clause=w.clause, reason=w.reason,
                                     approver=w.approver, expires=w.expires, status=status, matched=len(hits)))
    return report.model_copy(update={"findings": findings, "waivers": statuses})


# ------------------------------------------------------------------------------------------------------------ baseline


def load_baseline(path: Path) -> set[str]:
    """Fingerprints of a previous report: tendercheck JSON (`findings[].fingerprint`; a `project` report's documents'
    findings too) or SARIF (`partialFingerprints["tendercheck/v1"]`)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError("基线文件不存在", str(path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"基线文件不是有效的 JSON：{exc}", str(path)) from None
    try:
        if isinstance(data, dict) and "runs" in data:
            return {r["partialFingerprints"]["tendercheck/v1"] for run in data["runs"] for r in run.get("results", [])}
        found = {f["fingerprint"] for f in data["findings"]}
        return found | {f["fingerprint"] for d in data.get("documents", []) for f in d["findings"]}
    except (KeyError, TypeError, AttributeError):
        raise BaselineError("基线文件应为 tendercheck check（或 project）--format json 或 sarif 的输出", str(path)) from None


def apply_baseline(report: Report, known: set[str], path: str) -> Report:
    """Leave out the findings whose fingerprints the baseline already has."""
    new = [f for f in report.findings if f.fingerprint not in known]
    current = {f.fingerprint for f in report.findings}
    info = BaselineInfo(path=path, known=len(report.findings) - len(new), gone=len(known - current))
    return report.model_copy(update={"findings": new, "baseline": info})
