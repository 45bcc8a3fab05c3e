"""Template specs: which chapters a standard document has, in which order, and which parts are used verbatim.

A spec is a small YAML file (rules/templates/*.yaml for the bundled ones, see rules/templates/README.md):

    id: std-works-tender-2007
    name: 《标准施工招标文件》（2007年版）
    doc_type: 招标文件
    regime: 工程
    chapters:
      - title: 投标人须知
        mode: locked           # the body is used without modification (its tables — 前附表, 附表 — are not)
        editable: ["10"]       # clause 10 (需要补充的其他内容) and what lies under it may be filled in
      - title: 合同条款及格式
        sections:
          - {title: 通用合同条款, mode: locked}
          - {title: 专用合同条款, mode: special, compare_with: 通用合同条款}
          - {title: 合同附件格式, mode: forms}

Modes: `locked` (verbatim), `fill` (the tenderer writes or fills it: the default), `special` (专用合同条款: filled,
and must not contradict the section named in `compare_with`), `forms` (blank forms for bidders: blanks expected).
"""
from __future__ import annotations

import re
import unicodedata
from enum import Enum
from pathlib import Path
from typing import Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..errors import UsageError

BUNDLED_DIR = Path(__file__).resolve().parents[2] / "rules" / "templates"
# doc type → bundled spec file (the 2007 national standard texts, rule-catalogue §4)
BUNDLED = {"招标文件": "std-works-tender-2007.yaml", "资格预审文件": "std-works-prequal-2007.yaml"}


class Mode(str, Enum):
    locked = "locked"
    fill = "fill"
    special = "special"
    forms = "forms"


class SectionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    aliases: list[str] = Field(default_factory=list)
    mode: Mode = Mode.fill
    required: bool = True
    editable: list[str] = Field(default_factory=list)  # clause numbers whose subtree is not locked
    compare_with: Optional[str] = None  # for mode special: the locked section it refines (通用合同条款)

    def names(self) -> list[str]:
        return [self.title, *self.aliases]


class ChapterSpec(SectionSpec):
    sections: list[SectionSpec] = Field(default_factory=list)


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    version: int = 1
    doc_type: str = "招标文件"
    regime: str = "工程"
    source: str = ""  # where the structure comes from (for the reviewer)
    chapters: list[ChapterSpec]

    @model_validator(mode="after")
    def _check(self) -> "Spec":
        if not self.chapters:
            raise ValueError("规格文件至少要列出一章")
        seen: set[str] = set()
        for ch in self.chapters:
            key = title_key(ch.title)
            if key in seen:
                raise ValueError(f"章节重复：{ch.title}")
            seen.add(key)
            names = {title_key(s.title) for s in ch.sections}
            for sec in ch.sections:
                if sec.mode == Mode.special and sec.compare_with and title_key(sec.compare_with) not in names:
                    raise ValueError(f"{ch.title}/{sec.title}: compare_with 指向本章中不存在的节 {sec.compare_with}")
        return self

_PAREN_TAIL = re.compile(r"[(（][^()（）]*[)）]$")
_CHAPTER_NO = re.compile(r"^第[一二三四五六七八九十百零〇两0-9]+[章节篇]")


def title_key(title: str) -> str:
    """`第三章　评标办法（综合评估法）` → `评标办法`: number, a trailing parenthetical, spaces and punctuation go."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", title))
    t = _CHAPTER_NO.sub("", t)
    while _PAREN_TAIL.search(t) and len(_PAREN_TAIL.sub("", t)) >= 2:
        t = _PAREN_TAIL.sub("", t)
    return re.sub(r"[、，,.。:：;；\"“”'‘’《》]", "", t)


def title_matches(title: str, names: list[str]) -> bool:
    key = title_key(title)
    if not key:
        return False
    for name in names:
        want = title_key(name)
        if key == want or (key.startswith(want) and len(want) >= 2):
            return True
    return False


def load_spec(path: Path) -> Spec:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError, RecursionError) as exc:  # ValueError: 2027-02-30
        raise UsageError(f"无法读取模板规格文件：{exc or type(exc).__name__}".splitlines()[0], str(path)) from None
    if not isinstance(data, dict):
        raise UsageError("模板规格文件应为 YAML 映射（id、name、chapters …）", str(path))
    try:
        return Spec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"模板规格文件无效：{where}: {first['msg']}", str(path)) from None


def bundled_spec(doc_type: str) -> Optional[Spec]:
    """The bundled chapter-structure spec for a document type (招标文件, 资格预审文件), or None."""
    name = BUNDLED.get(doc_type)
    return load_spec(BUNDLED_DIR / name) if name else None


def bundled_specs() -> dict[str, Path]:
    return {doc_type: BUNDLED_DIR / name for doc_type, name in BUNDLED.items()}
