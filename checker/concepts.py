"""Concepts as data: the lexicons rules compose (rules/dict/concepts.yaml), and the expansion of <NAME> macros.

Real documents say the same thing in many ways (须/应当/仅限/方可 …, 分公司/办事处/服务网点 …, 注册资本/实缴资本/
营业收入 …). A rule writes the concept once (`<MODAL>[^,;]{0,8}<LOCAL_OBJ>`) and an expert extends the word list in
YAML without touching Python or any rule. The file is validated once, at first use: an unknown field, a concept with
no words, a regex that does not compile, a macro that names nothing, an award region that is not a division of the
national list — each is one line naming the concept. A rule that uses an unknown macro is refused by the rule
schema with the macro named (`expand` raises UnknownMacro, a ValueError pydantic reports against the rule's file).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import RulePackError
from .regex_cache import compile_pattern

CONCEPTS_FILE = Path(__file__).resolve().parents[1] / "rules" / "dict" / "concepts.yaml"
_NAME = re.compile(r"^[A-Z][A-Z_]*$")
MACRO = re.compile(r"<([A-Z][A-Z_]*)>")
GAZETTEER = ("PLACE", "ABBR", "COUNTY_STEM")  # built in: checker/places.py


class UnknownMacro(ValueError):
    def __init__(self, name: str):
        super().__init__(f"未知宏 <{name}>：rules/dict/concepts.yaml 中没有这个概念（内置的还有 <PLACE>、<ABBR>）")
        self.name = name


class Entry(BaseModel):
    """A word with the region it belongs to (a provincial award) and where that was verified."""

    model_config = ConfigDict(extra="forbid")

    term: str
    region: str  # 全国, or a province / prefecture of the national division list
    source: Optional[str] = None
    verified: bool = True

    @model_validator(mode="after")
    def _sourced(self) -> "Entry":
        if self.verified and not self.source:
            raise ValueError(f"{self.term}: 已核实的词条须给出 source（否则写 verified: false）")
        return self


class Concept(BaseModel):
    model_config = ConfigDict(extra="forbid")

    about: str
    terms: list[str] = Field(default_factory=list)
    pattern: Optional[str] = None
    entries: list[Entry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_kind(self) -> "Concept":
        if sum(bool(x) for x in (self.terms, self.pattern, self.entries)) != 1:
            raise ValueError("须且只能有 terms、pattern、entries 之一，且不能为空")
        if any(not t or t != t.strip() for t in self.words()):
            raise ValueError("词条不能为空或带空白")
        return self

    def words(self) -> list[str]:
        return self.terms or [e.term for e in self.entries]


def _read(path: Path) -> dict[str, Concept]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RulePackError(f"无法读取概念词表：{exc}".splitlines()[0], str(path)) from None
    if not isinstance(data, dict):
        raise RulePackError("概念词表应为“名称: 定义”的映射", str(path))
    table: dict[str, Concept] = {}
    for name, body in data.items():
        if not isinstance(name, str) or not _NAME.match(name) or name in GAZETTEER:
            raise RulePackError(f"概念名 {name!r} 无效：只用大写字母和下划线，且不能是 PLACE/ABBR", str(path))
        try:
            table[name] = Concept.model_validate(body)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise RulePackError(f"概念 {name} 无效：{where + ': ' if where else ''}{first['msg']}", str(path)) from None
    return table


@lru_cache(maxsize=1)
def table() -> dict[str, Concept]:
    """Every concept, validated: each one's regex is built (and compiled) once here, so a bad word or a macro
    that names nothing fails at load, not on the first document that reaches it."""
    concepts = _read(CONCEPTS_FILE)
    _check_regions(concepts)
    for name in concepts:
        try:
            compile_pattern(_concept_regex(name, concepts, ()))
        except (ValueError, re.error) as exc:  # UnknownMacro is a ValueError
            raise RulePackError(f"概念 {name} 无效：{exc}", str(CONCEPTS_FILE)) from None
    return concepts


def _check_regions(concepts: dict[str, Concept]) -> None:
    from .places import divisions

    d = divisions()
    known = {"全国"} | set(d["province"]) | set(d["prefecture"])
    for name, concept in concepts.items():
        for e in concept.entries:
            if e.region not in known:
                raise RulePackError(f"概念 {name} 的词条 {e.term}：地区 {e.region} 不在全国行政区划表中（写全称，如 江苏省）",
                                    str(CONCEPTS_FILE))


def _concept_regex(name: str, concepts: dict[str, Concept], stack: tuple[str, ...]) -> str:
    from .places import trie_regex

    if name in stack:
        raise ValueError(f"概念循环引用：{' → '.join(stack + (name,))}")
    concept = concepts[name]
    if concept.pattern:
        return MACRO.sub(lambda m: _macro(m.group(1), concepts, stack + (name,)), concept.pattern)
    return trie_regex(concept.words())


def _macro(name: str, concepts: dict[str, Concept], stack: tuple[str, ...] = ()) -> str:
    if name in concepts:
        return _concept_regex(name, concepts, stack)
    if name in GAZETTEER:  # thousands of names as one trie regex
        from .places import abbreviation_pattern, county_stem_pattern, place_pattern

        return {"PLACE": place_pattern, "ABBR": abbreviation_pattern, "COUNTY_STEM": county_stem_pattern}[name]()
    raise UnknownMacro(name)


@lru_cache(maxsize=256)
def macro(name: str) -> str:
    """The regex a <NAME> stands for; UnknownMacro when it names nothing."""
    return _macro(name, table())


def expand(pattern: str) -> str:
    """A rule's pattern with every <NAME> replaced by its regex."""
    return MACRO.sub(lambda m: macro(m.group(1)), pattern)


@lru_cache(maxsize=None)
def compiled(pattern: str) -> "re.Pattern[str]":
    """A rule's pattern expanded and compiled, once per process. The gazetteer makes patterns large and the pack has
    more of them than `re`'s own cache keeps (512), so without this every pack load (each CLI command, each test's
    checker, the loader's validation and then the matcher) compiled all of them again. Across processes the
    compiled form is kept on disk (checker/regex_cache.py)."""
    return compile_pattern(expand(pattern))


def macros_in(pattern: str) -> list[str]:
    return MACRO.findall(pattern)


def region_of(term: str) -> Optional[str]:
    """The region of an award or other regional word, for a message (扬子杯 → 江苏省)."""
    for concept in table().values():
        for e in concept.entries:
            if e.term == term:
                return e.region
    return None
