"""Local configuration: `tendercheck.toml`, or `[tool.tendercheck]` in pyproject.toml.

Found from the current directory upward (the first directory holding a `tendercheck.toml`, or a `pyproject.toml` with a
`[tool.tendercheck]` table), or named with `--config`. Every key is checked: an unknown or invalid key ends the run with
exit code 2 and names the key. Paths in the file are relative to the file's directory.

    fail_on = "error"                      # default for --fail-on
    rule_dirs = ["rules-local"]            # extra rule directories, loaded after the bundled pack
    default_template = "templates/本省房建施工招标文件范本.docx"
    waivers = "tendercheck-waivers.yml"    # default for --waivers

    [rules]
    enable = []                            # empty: every rule; otherwise only these rule ids / packs
    disable = ["TECH-VAGUE-BRAND-TIER", "scoring"]
    [rules.severity]                       # severity overrides, by rule id or pack
    "PROC-ORIGINALS-REQUIRED" = "error"

    [templates]                            # a template per document type or regime (over default_template)
    "资格预审文件" = "templates/资格预审文件范本.docx"

    [params]                               # local parameters of numeric rules (a stricter province)
    bond_perf_cap = 5                      # in the rule's own unit: BOND-PERF-CAP compares percent (national 10)

    [ocr]                                  # scanned pages (default for --ocr; ingest/ocr.py)
    mode = "auto"                          # auto | always | never (never: a scan is refused with exit 5)
    page_timeout = 60                      # seconds for one page

A *pack* is a sub-directory of a rule directory (`bond`, `qualification`, `procedure`, `scoring`, `technical`) or the
`name` in a rule directory's pack.yaml (`tendercheck-core` for the bundled rules).
"""
from __future__ import annotations

from functools import lru_cache

import hashlib
import json
import math
import sys
from pathlib import Path
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import TenderCheckError
from .rules.loader import DEFAULT_RULES_DIR, RulePack, load_pack
from .rules.schema import DOC_TYPES, Regime, Severity
from .vocab import PROJECT_PACK_NAME

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAME = "tendercheck.toml"


class ConfigError(TenderCheckError):
    """Invalid configuration: exit code 2, like a usage or rule-pack error."""

    code = "config"


class RuleSelection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enable: list[str] = Field(default_factory=list)
    disable: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)


# Strict: TOML `true` is not 1. The range is what a local limit can mean (a share, a number of days, an amount in
# yuan up to 1e12) and what the rule engine holds: 1e308 made it fail to build its ruleset (exit 12).
Param = Union[int, float]
PARAM_MAX = 1e12


class OcrSettings(BaseModel):
    """[ocr]: scanned pages (ingest/ocr.py). mode: auto reads pages without text by OCR, always reads every page by
    OCR, never refuses a scan with exit 5 as before OCR existed (for a platform that relies on that)."""

    model_config = ConfigDict(extra="forbid")

    mode: Literal["auto", "always", "never"] = "auto"
    page_timeout: float = Field(default=60.0, gt=0, le=3600)  # seconds for one page; a slower page is left unread


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fail_on: Optional[Severity] = None
    rule_dirs: list[str] = Field(default_factory=list)
    default_template: Optional[str] = None
    templates: dict[str, str] = Field(default_factory=dict)
    waivers: Optional[str] = None
    rules: RuleSelection = Field(default_factory=RuleSelection)
    params: dict[str, Any] = Field(default_factory=dict)  # checked by _finite, which names the key
    ocr: OcrSettings = Field(default_factory=OcrSettings)

    # Set by load_config, not read from the file.
    path: Optional[str] = Field(default=None, exclude=True)

    @field_validator("templates")
    @classmethod
    def _template_keys(cls, v: dict[str, str]) -> dict[str, str]:
        allowed = DOC_TYPES + [r.value for r in Regime if r != Regime.any]
        bad = [k for k in v if k not in allowed]
        if bad:
            raise ValueError(f"未知文件类型或适用体系 {bad}；可用 {allowed}")
        return v

    @field_validator("params")
    @classmethod
    def _finite(cls, v: dict[str, Any]) -> dict[str, Param]:
        for key, value in v.items():
            if type(value) not in (int, float) or not math.isfinite(value):
                raise ValueError(f"参数 {key} 必须是数值（不能是 {value!r}）")
            if not 0 <= value <= PARAM_MAX:
                raise ValueError(f"参数 {key} 的值 {value} 超出范围（0 至 {PARAM_MAX:.0e}）")
        return v

    # ------------------------------------------------------------------------------------------------------------

    @property
    def base(self) -> Path:
        return Path(self.path).parent if self.path else Path.cwd()

    def resolve(self, value: str) -> Path:
        p = Path(value).expanduser()
        return p if p.is_absolute() else self.base / p

    def template_for(self, doc_type: str, regime: str) -> Optional[Path]:
        """The template to compare a document with: by document type, else by regime, else the default."""
        chosen = self.templates.get(doc_type) or self.templates.get(regime) or self.default_template
        return self.resolve(chosen) if chosen else None

    def waivers_path(self) -> Optional[Path]:
        return self.resolve(self.waivers) if self.waivers else None


# ---------------------------------------------------------------------------------------------------------------- load


def find_config(start: Optional[Path] = None) -> Optional[Path]:
    """The nearest tendercheck.toml, or pyproject.toml with [tool.tendercheck], from `start` upward."""
    here = Path(start or Path.cwd()).resolve()
    for directory in [here, *here.parents]:
        candidate = directory / CONFIG_NAME
        if candidate.is_file():
            return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
                continue  # someone else's broken pyproject is not our configuration
            if "tendercheck" in data.get("tool", {}):
                return pyproject
    return None


def load_config(path: Optional[Path] = None, start: Optional[Path] = None) -> Config:
    """The configuration in `path`, or the one found from `start` (default: the current directory) upward; an empty
    configuration when there is none."""
    if path is None:
        path = find_config(start)
        if path is None:
            return Config()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("配置文件不存在", str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"无法读取配置文件：{exc}", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"配置文件不是有效的 TOML：{exc}", str(path)) from None
    except RecursionError:  # tomllib recurses per nesting level: 1,000 nested arrays are "valid" but absurd
        raise ConfigError("配置文件嵌套过深，不是有效的配置", str(path)) from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("tendercheck")
        if data is None:
            raise ConfigError("pyproject.toml 中没有 [tool.tendercheck] 配置", str(path))
        prefix = "tool.tendercheck."
    else:
        prefix = ""
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = prefix + ".".join(str(p) for p in first["loc"])
        msg = "未知配置项" if first["type"] == "extra_forbidden" else first["msg"].removeprefix("Value error, ")
        raise ConfigError(f"配置项 {key} 无效：{msg}", str(path)) from None
    config.path = str(path)
    _check_paths(config, prefix)
    return config


def _check_paths(config: Config, prefix: str) -> None:
    def need(value: Optional[str], key: str, directory: bool = False) -> None:
        if value is None:
            return
        p = config.resolve(value)
        if not (p.is_dir() if directory else p.is_file()):
            raise ConfigError(f"配置项 {prefix}{key} 无效：{'目录' if directory else '文件'}不存在：{p}", config.path)

    for i, d in enumerate(config.rule_dirs):
        need(d, f"rule_dirs[{i}]", directory=True)
    need(config.default_template, "default_template")
    for k, v in config.templates.items():
        need(v, f"templates.{k}")
    need(config.waivers, "waivers")


# ----------------------------------------------------------------------------------------------------- the rule pack


def packs_of(pack: RulePack, rule_id: str, roots: dict[str, Path]) -> set[str]:
    """The pack names a rule belongs to: its rule directory's pack.yaml name and its top sub-directory there."""
    names = set()
    file = Path(pack.files.get(rule_id, ""))
    for name, root in roots.items():
        try:
            rel = file.resolve().relative_to(root.resolve())
        except ValueError:
            continue
        names.add(name)
        if len(rel.parts) > 1:
            names.add(rel.parts[0])
    return names


def build_pack(config: Config, rules_dir: Optional[Path] = None) -> tuple[RulePack, list[str]]:
    """The rule pack the configuration asks for, and the ids of the rules it disables.

    Loads the bundled (or `--rules`) directory plus `rule_dirs`, then applies enable/disable and severity overrides
    on modified copies of the rules, and checks that every `[params]` key is read by some numeric rule (the values go
    to `Checker(params=config.params)`, which puts them in place of the rule's factor or constant). The pack version gains a `+local.<hash>` suffix whenever the
    configuration changed anything, so a rescan keyed on the version notices."""
    base = load_pack(rules_dir)
    roots = {base.name: Path(rules_dir or DEFAULT_RULES_DIR)}
    rules = list(base.rules)
    files = dict(base.files)
    version = base.version
    for i, d in enumerate(config.rule_dirs):
        root = config.resolve(d)
        extra = load_pack(root)
        name = extra.name if (root / "pack.yaml").exists() else root.name  # pack.yaml's name, else the folder's
        if name not in roots:
            roots[name] = root
        for r in extra.rules:
            if r.id in files:
                raise ConfigError(f"配置项 rule_dirs[{i}] 无效：规则 id 重复：{r.id}（{files[r.id]} 与 {extra.files[r.id]}）",
                                  config.path)
            rules.append(r)
            files[r.id] = extra.files[r.id]
        if extra.rules:
            version += f"+{name}.{extra.version}"
    merged = RulePack(name=base.name, version=version, rules=tuple(rules), files=files)

    ids = {r.id for r in rules}
    membership = {r.id: packs_of(merged, r.id, roots) for r in rules}
    known_packs = set().union(*membership.values()) if membership else set()

    def check_names(names, key):
        for n in names:
            if n not in ids and n not in known_packs and n not in _project_pack_names()[0]:
                raise ConfigError(f"配置项 rules.{key} 无效：没有规则或规则包 {n}（规则包：{'、'.join(sorted(known_packs))}）",
                                  config.path)

    sel = config.rules
    check_names(sel.enable, "enable")
    check_names(sel.disable, "disable")
    check_names(sel.severity, "severity")
    params_used = _check_params(config, rules)

    def selected(rule_id: str) -> bool:
        in_enable = not sel.enable or rule_id in sel.enable or bool(membership[rule_id] & set(sel.enable))
        if rule_id in sel.disable:
            return False
        if membership[rule_id] & set(sel.disable):
            return rule_id in sel.enable  # naming the rule itself is more specific than naming its pack
        return in_enable

    kept, disabled, overridden = [], [], {}
    for rule in rules:
        if not selected(rule.id):
            disabled.append(rule.id)
            continue
        severity = sel.severity.get(rule.id) or next(
            (sel.severity[p] for p in sorted(membership[rule.id]) if p in sel.severity), None)
        update = {}
        if severity and (severity != rule.severity or rule.severity_by_regime):
            # the configured severity is the severity, in every regime
            update["severity"] = overridden[rule.id] = severity
            update["severity_by_regime"] = {}
        kept.append(rule.model_copy(update=update) if update else rule)

    # Keep `supersedes` pointing only at rules that are still there.
    kept_ids = {r.id for r in kept}
    kept = [r if set(r.supersedes) <= kept_ids else r.model_copy(
        update={"supersedes": [s for s in r.supersedes if s in kept_ids]}) for r in kept]

    effect = {"disabled": sorted(disabled),
              "severity": {k: v.value for k, v in sorted(overridden.items())},
              "params": {k: config.params[k] for k in sorted(params_used)}}
    if any(effect.values()):
        digest = hashlib.sha256(json.dumps(effect, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:8]
        version += f"+local.{digest}"
    return RulePack(name=merged.name, version=version, rules=tuple(kept),
                    files={k: v for k, v in files.items() if k in kept_ids}), disabled


def declared_params(rule) -> list[str]:
    """The [params] keys a numeric rule reads (`param` of its compare blocks)."""
    compare = getattr(rule, "compare", None)
    blocks = compare if isinstance(compare, (list, tuple)) else [compare] if compare is not None else []
    return [b.param for b in blocks if getattr(b, "param", None)]


@lru_cache(maxsize=1)
def _project_pack_names() -> tuple[frozenset, frozenset]:
    """Rule ids (and the pack name) and parameters of the project pack (rules/project): one tendercheck.toml serves
    both `check` and `project`, so a key meant for a project rule is not a typo. Loaded only when a key is not found
    in the document pack."""
    pack = load_pack(DEFAULT_RULES_DIR / "project", default_name=PROJECT_PACK_NAME)  # as project.runner loads it
    return (frozenset({r.id for r in pack.rules} | {pack.name, "project"}),
            frozenset(p for r in pack.rules for p in declared_params(r)))


def _check_params(config: Config, rules) -> set[str]:
    """Every [params] key must be a parameter some numeric rule declares (`compare.param`), so a typo is caught."""
    declared = {p for r in rules for p in declared_params(r)}
    for key in config.params:
        if key not in declared and key not in _project_pack_names()[1]:
            avail = "、".join(sorted(declared)) or "无（当前规则包中没有可调参数的规则）"
            raise ConfigError(f"配置项 params.{key} 无效：没有规则使用此参数（可用：{avail}）", config.path)
    return set(config.params)
