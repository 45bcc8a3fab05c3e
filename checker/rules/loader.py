"""Load the YAML rule pack: every rules/**/*.yaml with an `id` is one rule; pack.yaml names the pack."""
from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import yaml
from pydantic import ValidationError

from ..errors import RulePackError
from .schema import Rule

# libyaml's C loader where PyYAML was built with it: loading ~60 rule files took 0.35 s with the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DEFAULT_RULES_DIR = Path(__file__).resolve().parents[2] / "rules"


@dataclass(frozen=True)
class RulePack:
    name: str
    version: str  # declared version + content hash, so any edit to a rule changes it (batch rescans key on it)
    rules: tuple[Rule, ...]
    files: dict[str, str]  # rule id → file it came from

    def get(self, rule_id: str) -> Optional[Rule]:
        return next((r for r in self.rules if r.id == rule_id), None)


def load_pack(rules_dir: Optional[Path] = None, default_name: str = "tendercheck") -> RulePack:
    root = Path(rules_dir or DEFAULT_RULES_DIR)
    if not root.is_dir():
        raise RulePackError(f"规则目录不存在：{root}")
    meta = _read_yaml(root / "pack.yaml") if (root / "pack.yaml").exists() else {}
    digest = hashlib.sha256()
    rules: list[Rule] = []
    files: dict[str, str] = {}
    found: list[tuple[Path, dict]] = []
    for path in sorted(root.rglob("*.yaml")):
        # templates/ holds model-document specs; project/ is the cross-document pack (checker/project/runner.py).
        if path.name == "pack.yaml" or {"templates", "project"} & set(path.relative_to(root).parts):
            continue
        data = _read_yaml(path)
        if not isinstance(data, dict) or "id" not in data:
            continue
        digest.update(path.read_bytes())
        found.append((path, data))
    by_id = {data["id"]: data for _, data in found}
    for path, data in found:
        data = _with_match_of(data, by_id, path)
        try:
            rule = Rule.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise RulePackError(f"规则文件 {path.name} 无效：{where}: {first['msg']}", str(path)) from None
        if rule.id in files:
            raise RulePackError(f"规则 id 重复：{rule.id}（{files[rule.id]} 与 {path}）", str(path))
        rules.append(rule)
        files[rule.id] = str(path)
    for rule in rules:
        for key in ("supersedes", "see_also"):
            unknown = [r for r in getattr(rule, key) if r not in files]
            if unknown:
                raise RulePackError(f"规则 {rule.id} 的 {key} 指向不存在的规则：{'、'.join(unknown)}", files[rule.id])
    version = f"{meta.get('version', '0')}+{digest.hexdigest()[:8]}"
    return RulePack(name=meta.get("name", default_name), version=version, rules=tuple(rules), files=files)


def _with_match_of(data: dict, by_id: dict, path: Path) -> dict:
    """The rule with the `match` its `match_of` names (schema.MatchOf), copied from the other rule's YAML."""
    spec = data.get("match_of")
    if not spec:
        return data
    source = by_id.get(spec.get("rule")) if isinstance(spec, dict) else None
    if source is None or "match" in data or "match_of" in source or not isinstance(source.get("match"), dict):
        raise RulePackError(f"规则 {data['id']} 的 match_of 须指向一条自带 match 的规则，且本规则不另写 match", str(path))
    match = copy.deepcopy(source["match"])
    if spec.get("without"):
        try:
            leave_out = re.compile(spec["without"])
        except re.error as exc:
            raise RulePackError(f"规则 {data['id']} 的 match_of.without 不是有效的正则：{exc}", str(path)) from None
        for key in ("patterns", "listed"):
            match[key] = [p for p in match.get(key, []) if not leave_out.search(p)]
    return {**data, "match": match}


def _read_yaml(path: Path):
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.load(f, Loader=_LOADER)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RulePackError(f"无法读取规则文件 {path.name}：{exc}".splitlines()[0], str(path)) from None
    except RecursionError:
        raise RulePackError(f"规则文件 {path.name} 嵌套过深", str(path)) from None
    except ValueError as exc:  # PyYAML's own dates (2027-02-30) raise ValueError, not YAMLError
        from ..yaml_errors import bad_scalar

        raise RulePackError(f"规则文件 {path.name}{bad_scalar(path.read_text(encoding='utf-8'))}无效：{exc}",
                            str(path)) from None
