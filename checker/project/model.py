"""The dossier's inputs: the manifest (what the platform knows about each document) and the registration record
(项目注册: the fields a project is registered with on the trading platform).

Both come as YAML, JSON or CSV. Field names are accepted in English or in Chinese (项目名称, 估算价 …); money is a
number of 元 or a string with its unit (`380万元`, `¥3,800,000.00`).
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import UsageError
from ..vocab import DOC_TYPES, DOSSIER_DOC_TYPES, STAGE_OF_TYPE, STAGES

# Document types a dossier may hold: the per-document types and the dossier's own (checker/vocab.py).
PROJECT_DOC_TYPES = DOC_TYPES + DOSSIER_DOC_TYPES
PROJECT_STAGE_OF_TYPE = STAGE_OF_TYPE

# The dates a manifest can give for a document (the platform's record wins over the text). Chinese keys accepted.
DATE_KEYS = {
    "issued": "发出或发布日期（澄清、中标通知书、公告、公示）",
    "signed": "合同签订日期",
    "report": "评标报告提交（收到）日期",
    "publicity_start": "公示开始日期",
    "publicity_end": "公示结束日期",
    "deadline": "投标截止时间（澄清顺延后的新截止时间）",
    "determined": "中标人（成交供应商）确定日期",
    "published": "合同公告发布日期",
    "refund": "投标保证金退还日期",
}
_DATE_ALIASES = {
    "发出": "issued", "发布": "issued", "发出日期": "issued", "发布日期": "issued", "签发日期": "issued",
    "签订": "signed", "签订日期": "signed", "合同签订": "signed",
    "评标报告": "report", "评标报告日期": "report", "提交日期": "report",
    "公示开始": "publicity_start", "公示结束": "publicity_end",
    "投标截止": "deadline", "截止时间": "deadline",
    "确定": "determined", "定标": "determined", "确定日期": "determined",
    "合同公告": "published", "公告日期": "published",
    "退还": "refund", "退还日期": "refund",
}


def parse_when(value: Any) -> Optional[datetime]:
    """A date or datetime from a manifest or registration value: ISO text, a YAML date, or Chinese text."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = str(value).strip()
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d",
                "%Y/%m/%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            pass
    from ..facts.values import find_values
    from ..normalize import for_matching

    found = [v for v in find_values(for_matching(text), None) if v.kind == "date" and v.when]
    if found:
        return found[0].when
    raise ValueError(f"无法识别的日期：{text}")


def parse_money(value: Any) -> Optional[float]:
    """元 from a number or from text with its unit (380万元, 人民币叁佰捌拾万元整, ¥3,800,000.00)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("金额不能是真假值")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace(",", "")
    try:
        return float(text)
    except ValueError:
        pass
    from ..facts.values import find_values
    from ..normalize import for_matching

    found = [v for v in find_values(for_matching(str(value)), None) if v.kind == "money"]
    if found:
        return found[0].value
    raise ValueError(f"无法识别的金额：{value}")


def parse_percent(value: Any) -> Optional[float]:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().rstrip("%％")
    return float(text)


def parse_bool(value: Any) -> Optional[bool]:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "y", "是", "有", "控股", "主导", "国有控股", "国有主导"):
        return True
    if text in ("0", "false", "no", "n", "否", "无", "非国有", "不是"):
        return False
    raise ValueError(f"无法识别的是/否值：{value}")


# ---------------------------------------------------------------------------------------------------------- manifest


class ManifestEntry(BaseModel):
    """One document as the platform records it. Only `path` is required; what is given wins over detection."""

    model_config = ConfigDict(extra="forbid")

    path: str
    doc_type: Optional[str] = None
    stage: Optional[str] = None
    regime: Optional[str] = None
    dates: dict[str, datetime] = Field(default_factory=dict)

    @field_validator("doc_type")
    @classmethod
    def _doc_type(cls, v: Optional[str]) -> Optional[str]:
        if v and v not in PROJECT_DOC_TYPES:
            raise ValueError(f"未知文件类型 {v}；可用：{'、'.join(PROJECT_DOC_TYPES)}")
        return v or None

    @field_validator("stage")
    @classmethod
    def _stage(cls, v: Optional[str]) -> Optional[str]:
        if not v:
            return None
        v = str(v).strip().upper()
        if v not in STAGES:
            by_name = {name: code for code, name in STAGES.items()}
            if v in by_name:
                return by_name[v]
            raise ValueError(f"未知阶段 {v}；可用 {'、'.join(STAGES)}")
        return v

    @field_validator("regime")
    @classmethod
    def _regime(cls, v: Optional[str]) -> Optional[str]:
        if v and v not in ("工程", "政府采购"):
            raise ValueError("regime 只能是 工程 或 政府采购")
        return v or None

    @field_validator("dates", mode="before")
    @classmethod
    def _dates(cls, v: Any) -> dict[str, datetime]:
        if not v:
            return {}
        if not isinstance(v, dict):
            raise ValueError("dates 应为 名称: 日期 的映射")
        out = {}
        for key, value in v.items():
            name = _DATE_ALIASES.get(str(key), str(key))
            if name not in DATE_KEYS:
                raise ValueError(f"未知日期名 {key}；可用：{'、'.join(DATE_KEYS)}")
            when = parse_when(value)
            if when is not None:
                out[name] = when
        return out


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    project: Optional[str] = None  # the project's name
    regime: Optional[str] = None  # 工程 / 政府采购
    procurement: Optional[str] = None  # 工程 / 货物 / 服务
    state_funded: Optional[bool] = None  # 国有资金占控股或者主导地位 (实施条例第五十五条)
    registration: Optional[str] = None  # the registration record file, relative to the manifest
    documents: list[ManifestEntry] = Field(default_factory=list)
    path: Optional[str] = Field(default=None, exclude=True)

    @field_validator("regime")
    @classmethod
    def _regime(cls, v: Optional[str]) -> Optional[str]:
        if v and v not in ("工程", "政府采购"):
            raise ValueError("regime 只能是 工程 或 政府采购")
        return v or None

    @field_validator("state_funded", mode="before")
    @classmethod
    def _bool(cls, v: Any) -> Optional[bool]:
        return parse_bool(v)

    def entry_for(self, path: Path, base: Path) -> Optional[ManifestEntry]:
        for e in self.documents:
            p = Path(e.path)
            target = p if p.is_absolute() else base / p
            try:
                if target.resolve() == path.resolve():
                    return e
            except OSError:
                continue
        return None


_MANIFEST_COLUMNS = {"path": "path", "文件": "path", "文件路径": "path", "doc_type": "doc_type", "文件类型": "doc_type",
                     "stage": "stage", "阶段": "stage", "regime": "regime", "适用体系": "regime"}


def load_manifest(path: Path) -> Manifest:
    """project.yaml / .json / .csv. A CSV has one row per document: path, doc_type, stage, regime, and one column
    per date (`issued`, `signed`, … or `date:签订`)."""
    data = _read_structured(path, "清单")
    try:
        if isinstance(data, list):  # CSV rows
            docs = []
            for row in data:
                entry: dict[str, Any] = {"dates": {}}
                for key, value in row.items():
                    if key is None or value in (None, ""):
                        continue
                    key = key.strip()
                    if key in _MANIFEST_COLUMNS:
                        entry[_MANIFEST_COLUMNS[key]] = value.strip()
                    else:
                        entry["dates"][key.removeprefix("date:").removeprefix("日期:")] = value.strip()
                docs.append(entry)
            data = {"documents": docs}
        if not isinstance(data, dict):
            raise UsageError("清单文件应为映射（project、regime、documents …）", str(path))
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        from ..messages import where_invalid

        raise UsageError(f"清单文件{where_invalid(exc.errors()[0])}", str(path)) from None
    manifest.path = str(path)
    return manifest


# ------------------------------------------------------------------------------------------------------ registration


class Lot(BaseModel):
    """One 标段 / 包 of the registration: its kind and its estimated single-contract value."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    kind: Optional[str] = None  # 施工 / 货物 / 服务 (勘察、设计、监理 count as 服务)
    category: Optional[str] = None  # 品目 (政府采购) or a free grouping: lots that could be procured together
    estimate: Optional[float] = None  # 元
    method: Optional[str] = None  # 公开招标 / 邀请招标 / 竞争性磋商 / 询价 / 直接发包 …
    approved: Optional[bool] = None  # a non-open method approved by the competent authority (政采条例第二十三条)

    @field_validator("estimate", mode="before")
    @classmethod
    def _money(cls, v: Any) -> Optional[float]:
        return parse_money(v)

    @field_validator("approved", mode="before")
    @classmethod
    def _bool(cls, v: Any) -> Optional[bool]:
        return parse_bool(v)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, v: Any) -> Optional[str]:
        if v in (None, ""):
            return None
        text = str(v)
        if any(k in text for k in ("施工", "工程")):
            return "施工"
        if any(k in text for k in ("货物", "设备", "材料")):
            return "货物"
        if any(k in text for k in ("服务", "勘察", "设计", "监理", "咨询")):
            return "服务"
        raise ValueError(f"未知标段类别 {v}（施工、货物、服务、勘察、设计、监理）")


class Registration(BaseModel):
    """The platform's registration record of a project (项目注册)."""

    model_config = ConfigDict(extra="forbid")

    project: Optional[str] = None
    code: Optional[str] = None
    regime: Optional[str] = None  # 工程 / 政府采购
    project_type: Optional[str] = None  # 房屋建筑、市政、交通 … (free text)
    funding_source: Optional[str] = None  # 财政预算资金 / 国有企业自有资金 / 自筹 …
    total_investment: Optional[float] = None  # 元
    state_funds: Optional[float] = None  # 预算资金 / 国有资金, 元
    state_share: Optional[float] = None  # 国有资金占总投资的百分比
    state_controlled: Optional[bool] = None  # 国有资金占控股或者主导地位
    method: Optional[str] = None  # the project's procurement method (a lot without its own method takes this)
    lots: list[Lot] = Field(default_factory=list)
    path: Optional[str] = Field(default=None, exclude=True)

    @field_validator("total_investment", "state_funds", mode="before")
    @classmethod
    def _money(cls, v: Any) -> Optional[float]:
        return parse_money(v)

    @field_validator("state_share", mode="before")
    @classmethod
    def _percent(cls, v: Any) -> Optional[float]:
        return parse_percent(v)

    @field_validator("state_controlled", mode="before")
    @classmethod
    def _bool(cls, v: Any) -> Optional[bool]:
        return parse_bool(v)

    @field_validator("regime")
    @classmethod
    def _regime(cls, v: Optional[str]) -> Optional[str]:
        if v and v not in ("工程", "政府采购"):
            raise ValueError("regime 只能是 工程 或 政府采购")
        return v or None

    # -- derived readings ------------------------------------------------------------------------------------------

    def share(self) -> Optional[float]:
        if self.state_share is not None:
            return self.state_share
        if self.state_funds is not None and self.total_investment:
            return self.state_funds / self.total_investment * 100
        return None

    def is_state_controlled(self) -> Optional[bool]:
        """国有资金占控股或者主导地位: declared, else a state share above 50 %."""
        if self.state_controlled is not None:
            return self.state_controlled
        share = self.share()
        return share > 50 if share is not None else None

    def lot_method(self, lot: Lot) -> Optional[str]:
        return lot.method or self.method


_REG_KEYS = {
    "项目名称": "project", "项目": "project", "项目编号": "code", "项目代码": "code", "适用体系": "regime",
    "项目类型": "project_type", "资金来源": "funding_source", "总投资": "total_investment",
    "国有资金": "state_funds", "预算资金": "state_funds", "财政资金": "state_funds",
    "国有资金比例": "state_share", "国有资金占比": "state_share", "国有控股": "state_controlled",
    "国有资金控股": "state_controlled", "采购方式": "method", "招标方式": "method", "标段": "lots", "包": "lots",
}
_LOT_KEYS = {"标段": "name", "包": "name", "名称": "name", "标段名称": "name", "类别": "kind", "标段类别": "kind",
             "品目": "category", "估算价": "estimate", "合同估算价": "estimate", "预算金额": "estimate",
             "采购方式": "method", "招标方式": "method", "批准": "approved", "已批准": "approved",
             "lot": "name", "lot_name": "name", "lot_kind": "kind", "lot_estimate": "estimate", "lot_method": "method",
             "lot_category": "category", "lot_approved": "approved"}
_LOT_FIELDS = set(Lot.model_fields)


def load_registration(path: Path) -> Registration:
    """registration.json / .yaml / .csv. A CSV has one row per lot: the project's fields repeat on every row
    (`project`, `regime`, `funding_source`, `state_funds`, …) next to the lot's (`lot`, `kind`, `estimate`,
    `method`, `category`, `approved`)."""
    data = _read_structured(path, "项目登记信息")
    try:
        if isinstance(data, list):
            project: dict[str, Any] = {}
            lots = []
            for row in data:
                lot: dict[str, Any] = {}
                for key, value in row.items():
                    if key is None or value in (None, ""):
                        continue
                    key = key.strip()
                    lot_key = _LOT_KEYS.get(key, key if key in _LOT_FIELDS and key != "name" else None)
                    if lot_key:
                        lot[lot_key] = value.strip()
                    else:
                        project.setdefault(_REG_KEYS.get(key, key), value.strip())
                if lot:
                    lots.append(lot)
            data = {**project, "lots": lots}
        if not isinstance(data, dict):
            raise UsageError("项目登记信息应为映射（project、funding_source、lots …）", str(path))
        data = {_REG_KEYS.get(k, k): v for k, v in data.items()}
        data["lots"] = [{_LOT_KEYS.get(k, k): v for k, v in (lot or {}).items()} for lot in data.get("lots") or []]
        reg = Registration.model_validate(data)
    except ValidationError as exc:
        from ..messages import where_invalid

        raise UsageError(f"项目登记信息{where_invalid(exc.errors()[0])}", str(path)) from None
    reg.path = str(path)
    return reg


def registration_from_text(text: str, path: str = "registration.yaml") -> Registration:
    """A registration written as YAML inside a rule example (`【项目登记】` block)."""
    tmp = _parse_structured(text, "yaml", path, "项目登记信息")
    data = {_REG_KEYS.get(k, k): v for k, v in (tmp or {}).items()}
    data["lots"] = [{_LOT_KEYS.get(k, k): v for k, v in (lot or {}).items()} for lot in data.get("lots") or []]
    try:
        return Registration.model_validate(data)
    except ValidationError as exc:
        from ..messages import where_invalid

        raise UsageError(f"项目登记信息{where_invalid(exc.errors()[0])}", path) from None


def _read_structured(path: Path, what: str):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"无法读取{what}文件：{exc}", str(path)) from None
    suffix = path.suffix.lower().lstrip(".")
    return _parse_structured(text, suffix, str(path), what)


def _parse_structured(text: str, suffix: str, where: str, what: str):
    try:
        if suffix == "json":
            return json.loads(text)
        if suffix == "csv":
            return list(csv.DictReader(io.StringIO(text)))
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError, csv.Error) as exc:
        raise UsageError(f"{what}文件格式错误：{str(exc).splitlines()[0]}", where) from None
    except RecursionError:
        raise UsageError(f"{what}文件嵌套过深", where) from None
    except ValueError as exc:  # PyYAML's own dates (2027-02-30) raise ValueError
        from ..messages import value_problem
        from ..yaml_errors import bad_scalar

        raise UsageError(f"{what}文件{bad_scalar(text)}无效：{value_problem(exc)}", where) from None
