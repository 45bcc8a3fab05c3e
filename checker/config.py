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

    [review]                               # the review desk's database (`tendercheck serve --db`)
    db = "review.sqlite"                   # default for `scan --review-db`: reviewers' rates per rule on the dashboard

A *pack* is a sub-directory of a rule directory (`bond`, `qualification`, `procedure`, `scoring`, `technical`) or the
`name` in a rule directory's pack.yaml (`tendercheck-core` for the bundled rules).
"""
from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError, TenderCheckError  # noqa: F401 (ConfigError re-exported)
from .rules.schema import DOC_TYPES, Regime, Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAME = "tendercheck.toml"


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


class ReviewSettings(BaseModel):
    """[review]: where the reviewers' verdicts are, so that the overnight dashboard shows them without an option."""

    model_config = ConfigDict(extra="forbid")

    db: Optional[str] = None


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
    review: ReviewSettings = Field(default_factory=ReviewSettings)

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

    def review_db_path(self) -> Optional[Path]:
        return self.resolve(self.review.db) if self.review.db else None


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
    # review.db is not required here: the desk creates it on its first verdict, and `check` never reads it; `scan`
    # says in one line when the file it is about to read is missing (checker/feedback.py).
