"""Every check the tool can report, in one registry: the per-document pack (text, numeric and stage rules, and the
model-document STD-* rules of rules/model/) and the cross-document pack (rules/project/).

One entry point selects rules from the configuration for every command (`check`, `project`, `scan`, `serve`):
`load_packs(rules_dir, project_rules_dir, config)` applies `[rules] enable/disable/severity`, `rule_dirs` and
`[params]` to both packs the same way, so a rule id or pack name means the same thing whichever command reads it.
`all_rules()` lists every rule with its kind, for `tendercheck rules list/show/test`.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..errors import ConfigError
from .loader import DEFAULT_RULES_DIR, RulePack, load_pack
from .schema import Rule

PROJECT_PACK_NAME = "tendercheck-project"
PROJECT_PACK_ALIASES = (PROJECT_PACK_NAME, "project")  # names a config may use for the whole cross-document pack

# What kind of check a rule is, as `rules list` shows it.
KIND_TEXT, KIND_NUMERIC, KIND_STAGE, KIND_PROJECT, KIND_MODEL = "文本", "数值", "阶段", "跨文件", "示范文本"


def project_rules_dir(rules_dir: Optional[Path] = None) -> Path:
    """rules/project beside the document rules (a `--rules` directory may carry its own project/)."""
    if rules_dir is not None and (Path(rules_dir) / "project").is_dir():
        return Path(rules_dir) / "project"
    return DEFAULT_RULES_DIR / "project"


def load_project_pack(rules_dir: Optional[Path] = None) -> RulePack:
    """rules/project/*.yaml: the per-document rule schema, one rule per file, loaded by the same loader. That every
    fact a compare rule names is provided by a fact family is checked where the facts are known, by the project
    package's loader (checker.project.runner.load_project_pack) and by every ProjectChecker."""
    return load_pack(Path(rules_dir or project_rules_dir()), default_name=PROJECT_PACK_NAME)


@dataclass(frozen=True)
class RuleEntry:
    rule: Rule
    kind: str  # 文本 / 数值 / 阶段 / 跨文件 / 示范文本
    file: str
    pack: str  # the pack's name (tendercheck-core, tendercheck-project, or a rule_dirs pack)


@dataclass(frozen=True)
class Packs:
    """The rules a run uses, with the configuration applied. `document` holds every per-document rule (the STD-*
    model-document rules included: the pipeline runs those that are still in it); `project` the cross-document
    rules. `disabled` / `project_disabled`: ids the configuration switched off (reported as not applicable)."""

    document: RulePack
    project: RulePack
    disabled: tuple[str, ...] = ()
    project_disabled: tuple[str, ...] = ()
    params: dict = field(default_factory=dict)  # [params] (and --param) read by document rules
    project_params: dict = field(default_factory=dict)  # … read by project rules

    @property
    def model(self) -> tuple[Rule, ...]:
        """The STD-* model-document rules still enabled."""
        return tuple(r for r in self.document.rules if r.model)

    def all_rules(self) -> list[RuleEntry]:
        return entries(self.document) + entries(self.project, project=True)

    def get(self, rule_id: str) -> Optional[Rule]:
        return self.document.get(rule_id) or self.project.get(rule_id)


def kind_of(rule: Rule, file: str = "", project: bool = False) -> str:
    if project:
        return KIND_PROJECT
    if rule.model:
        return KIND_MODEL
    if "stage" in Path(file).parts:
        return KIND_STAGE
    return KIND_TEXT if rule.match else KIND_NUMERIC


def entries(pack: RulePack, project: bool = False) -> list[RuleEntry]:
    return [RuleEntry(rule=r, kind=kind_of(r, pack.files.get(r.id, ""), project), file=pack.files.get(r.id, ""),
                      pack=pack.name) for r in pack.rules]


def all_rules(rules_dir: Optional[Path] = None, project_dir: Optional[Path] = None) -> list[RuleEntry]:
    """Every rule of both packs, unfiltered, sorted by id: what `rules list` shows and `rules show` finds."""
    out = entries(load_pack(rules_dir)) + entries(load_project_pack(project_dir or project_rules_dir(rules_dir)),
                                                  project=True)
    return sorted(out, key=lambda e: e.rule.id)


def find_rule(rule_id: str, rules_dir: Optional[Path] = None,
              project_dir: Optional[Path] = None) -> Optional[RuleEntry]:
    return next((e for e in all_rules(rules_dir, project_dir) if e.rule.id == rule_id), None)


# ------------------------------------------------------------------------------------------------- configuration


def load_packs(rules_dir: Optional[Path] = None, project_dir: Optional[Path] = None, config=None,
               params: Optional[dict] = None) -> Packs:
    """Both packs as the configuration asks: `rule_dirs` added to the document pack, enable / disable / severity
    by rule id or pack name applied to each pack, `[params]` (then `params`, e.g. from --param) checked against the
    parameters some rule declares and split between the packs. `config`: a checker.config.Config (None: no
    configuration: every rule, no parameters)."""
    config = config if config is not None else _NO_CONFIG
    document, roots = _document_pack(config, rules_dir)
    project = load_project_pack(Path(project_dir) if project_dir else project_rules_dir(rules_dir))
    doc_members = {r.id: packs_of(document, r.id, roots) for r in document.rules}
    proj_members = {r.id: set(PROJECT_PACK_ALIASES) for r in project.rules}
    _check_names(config, doc_members, proj_members)
    wanted = {**config.params, **(params or {})}
    doc_params, proj_params = split_params(config, wanted, document.rules, project.rules)
    doc_kept, disabled, overridden = _select(document.rules, doc_members, config.rules)
    proj_kept, proj_disabled, _ = _select(project.rules, proj_members, config.rules)
    version = document.version
    effect = {"disabled": sorted(disabled), "severity": {k: v.value for k, v in sorted(overridden.items())},
              "params": {k: config.params[k] for k in sorted(config.params)}}
    if any(effect.values()):
        digest = hashlib.sha256(json.dumps(effect, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:8]
        version += f"+local.{digest}"
    return Packs(document=_subset(document, doc_kept, version), project=_subset(project, proj_kept, project.version),
                 disabled=tuple(disabled), project_disabled=tuple(proj_disabled), params=doc_params,
                 project_params=proj_params)


@dataclass(frozen=True)
class _Selection:
    enable: tuple = ()
    disable: tuple = ()
    severity: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _NoConfig:
    """What load_packs reads of a Config, when there is none (this module does not import the configuration)."""

    rules: _Selection = field(default_factory=_Selection)
    params: dict = field(default_factory=dict)
    rule_dirs: tuple = ()
    path: Optional[str] = None


_NO_CONFIG = _NoConfig()


def _subset(pack: RulePack, kept: list[Rule], version: str) -> RulePack:
    ids = {r.id for r in kept}
    return RulePack(name=pack.name, version=version, rules=tuple(kept),
                    files={k: v for k, v in pack.files.items() if k in ids})


def _document_pack(config, rules_dir: Optional[Path]) -> tuple[RulePack, dict[str, Path]]:
    """The bundled (or --rules) pack plus the configuration's rule_dirs, and each pack's root by name."""
    base = load_pack(rules_dir)
    roots = {base.name: Path(rules_dir or DEFAULT_RULES_DIR)}
    rules, files, version = list(base.rules), dict(base.files), base.version
    for i, d in enumerate(config.rule_dirs):
        root = config.resolve(d)
        extra = load_pack(root)
        name = extra.name if (root / "pack.yaml").exists() else root.name  # pack.yaml's name, else the folder's
        roots.setdefault(name, root)
        for r in extra.rules:
            if r.id in files:
                raise ConfigError(f"配置项 rule_dirs[{i}] 无效：规则 id 重复：{r.id}（{files[r.id]} 与 {extra.files[r.id]}）",
                                  config.path)
            rules.append(r)
            files[r.id] = extra.files[r.id]
        if extra.rules:
            version += f"+{name}.{extra.version}"
    return RulePack(name=base.name, version=version, rules=tuple(rules), files=files), roots


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


def _check_names(config, *memberships: dict[str, set[str]]) -> None:
    """Every name under [rules] must be a rule id or a pack name of one of the packs."""
    ids = {rid for m in memberships for rid in m}
    known_packs = set().union(*(names for m in memberships for names in m.values()))
    sel = config.rules
    for key, names in (("enable", sel.enable), ("disable", sel.disable), ("severity", list(sel.severity))):
        for n in names:
            if n not in ids and n not in known_packs:
                doc_packs = sorted(known_packs - set(PROJECT_PACK_ALIASES))
                raise ConfigError(f"配置项 rules.{key} 无效：没有规则或规则包 {n}（规则包：{'、'.join(doc_packs)}）",
                                  config.path)


def _select(rules, membership: dict[str, set[str]], sel) -> tuple[list[Rule], list[str], dict]:
    """enable / disable / severity applied to one pack. `enable` restricts a pack only when it names something of
    that pack (a list of document rules does not switch the cross-document rules off, nor the other way round);
    naming a rule itself is more specific than naming its pack."""
    names_here = set(membership) | set().union(*membership.values()) if membership else set()
    enable = [n for n in sel.enable if n in names_here]

    def selected(rule_id: str) -> bool:
        if rule_id in sel.disable:
            return False
        if membership[rule_id] & set(sel.disable):
            return rule_id in enable
        return not enable or rule_id in enable or bool(membership[rule_id] & set(enable))

    kept, disabled, overridden = [], [], {}
    for rule in rules:
        if not selected(rule.id):
            disabled.append(rule.id)
            continue
        severity = sel.severity.get(rule.id) or next(
            (sel.severity[p] for p in sorted(membership[rule.id]) if p in sel.severity), None)
        if severity and (severity != rule.severity or rule.severity_by_regime):
            # the configured severity is the severity, in every regime
            overridden[rule.id] = severity
            rule = rule.model_copy(update={"severity": severity, "severity_by_regime": {}})
        kept.append(rule)
    # Keep `supersedes` pointing only at rules that are still there.
    kept_ids = {r.id for r in kept}
    kept = [r if set(r.supersedes) <= kept_ids else r.model_copy(
        update={"supersedes": [s for s in r.supersedes if s in kept_ids]}) for r in kept]
    return kept, disabled, overridden


def declared_params(rule: Rule) -> list[str]:
    """The [params] keys a numeric rule reads (`param` of its compare blocks)."""
    return [b.param for b in (rule.compare or []) if b.param]


def split_params(config, wanted: dict, doc_rules, project_rules) -> tuple[dict, dict]:
    """Every parameter must be one some rule declares (a typo is caught); each pack gets the ones its rules read."""
    doc_declared = {p for r in doc_rules for p in declared_params(r)}
    proj_declared = {p for r in project_rules for p in declared_params(r)}
    for key in wanted:
        if key not in doc_declared | proj_declared:
            avail = "、".join(sorted(doc_declared | proj_declared)) or "无（当前规则包中没有可调参数的规则）"
            raise ConfigError(f"配置项 params.{key} 无效：没有规则使用此参数（可用：{avail}）", config.path)
    return ({k: v for k, v in wanted.items() if k in doc_declared},
            {k: v for k, v in wanted.items() if k in proj_declared})
