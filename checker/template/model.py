"""The compiled template: a spec plus the model text's locked clauses with their fingerprints, saved as JSON.

`tendercheck template build MODEL --spec S` parses the model document once; checking a tender file then needs only
this file. The format is versioned (`format`, `version`): a file written by a later, incompatible version is refused
with a usage error instead of being misread.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, Field, ValidationError

from ..errors import UsageError
from .spec import Spec

FORMAT = "tendercheck-template"
VERSION = 1


class TemplateClause(BaseModel):
    """One clause of a locked part of the model text."""

    region: str  # Region.key: "1" = spec chapter 1's body, "3.0" = spec chapter 3, section 0
    number: Optional[str] = None  # as rendered in the model (3.4.1, （一）)
    key: Optional[str] = None  # number path unique in the region (3.4.5/（一）), None for unnumbered paragraphs
    parent: Optional[int] = None  # index (in Template.clauses) of the enclosing clause of the same region
    text: str  # display text
    norm: str  # Clause.norm of the model clause
    fp: str  # fingerprint of the text without punctuation (layout.fingerprint)
    editable: bool = False  # under a clause the spec marks editable: not compared


class TemplateRegion(BaseModel):
    key: str
    chapter: int
    section: Optional[int] = None
    title: str  # the model's heading (第二章 投标人须知 / 第一节 通用合同条款)
    mode: str


class ModelSource(BaseModel):
    name: str  # file name of the model text (no directory: the template file travels)
    sha256: str
    format: str
    pages: Optional[int] = None


class Template(BaseModel):
    format: Literal["tendercheck-template"] = FORMAT
    version: int = VERSION
    built: str = Field(default_factory=lambda: datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    tool_version: str = ""
    spec: Spec
    model: ModelSource
    regions: list[TemplateRegion]
    clauses: list[TemplateClause]

    def region_clauses(self, key: str) -> list[int]:
        return [i for i, c in enumerate(self.clauses) if c.region == key]


def save_template(template: Template, path: Path) -> None:
    Path(path).write_text(template.model_dump_json(indent=1), encoding="utf-8")


def load_template(path: Path) -> Template:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"无法读取模板文件：{exc}".splitlines()[0], str(path)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError("不是 tendercheck 模板文件（先用 tendercheck template build 编译）", str(path))
    if data.get("version") != VERSION:
        raise UsageError(f"模板文件版本 {data.get('version')} 不受支持（本版本读取版本 {VERSION}），请重新编译",
                         str(path))
    try:
        return Template.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise UsageError(f"模板文件无效：{'.'.join(str(p) for p in first['loc'])}: {first['msg']}", str(path)) from None
