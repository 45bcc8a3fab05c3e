"""The rule file format (rules/**/*.yaml), validated by pydantic. One rule per file; see rules/README.md."""
from __future__ import annotations

import re
from datetime import date
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from ..concepts import compiled, expand  # noqa: F401 (re-exported: the matcher and the pipeline expand through here)
from ..vocab import DOC_TYPES, NON_REQUIREMENT_ZONES, PROCEDURES, procedure_fits, REGIMES_DETAILED, ROLES, STAGES, ZONES, Regime, Severity  # noqa: F401 (re-exported)

RULE_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")

# Shared pieces of patterns, written <NAME> in rule files: the concept lexicons (rules/dict/concepts.yaml: <REQ>,
# <MODAL>, <LOCAL>, <LOCAL_OBJ>, <SCALE>, <AWARD_PROVINCIAL> …) and the gazetteer (<PLACE>, <ABBR>), expanded by
# checker/concepts.py. An unknown macro is refused when the rule is validated, naming the macro.


class Basis(BaseModel):
    model_config = ConfigDict(extra="forbid")

    law: str  # 《招标投标法实施条例》
    article: str  # 第三十二条第二款第（二）项
    quote: Optional[str] = None  # the text of the provision, as verified
    verified: str = Field(description="how the quote was checked: 原文-L / 原文-S / 转述")
    # the day it took effect, where a rule cites it beside older provisions: a finding on a document dated before it
    # does not cite it (a 2017 notice is not judged by a 2019 通知 or a 2025 条例)
    in_force_from: Optional[date] = Field(default=None, description="the day the provision took effect")

    @field_validator("verified")
    @classmethod
    def _known_level(cls, v: str) -> str:
        # 未核实 citations must be verified before they ship (catalogue §0.1): the loader refuses them.
        if v not in ("原文-L", "原文-S", "转述"):
            raise ValueError("verified 只能是 原文-L、原文-S 或 转述；未核实的依据不得发布")
        return v

    def cite(self) -> str:
        return f"{self.law}{self.article}"

    @property
    def binding(self) -> bool:
        """A law, an administrative regulation or a ministry's rule (令): what a 违法 can rest on. A 通知, 方案, 答复 or
        公告 is policy: it makes a clause 不合理, not unlawful, on its own."""
        return bool(_BINDING.search(self.law))

    @property
    def governs(self) -> Optional[str]:
        """The regime (工程 = the 招标投标法 family, 政府采购) the provision governs alone, or None for both."""
        return next((regime for regime, pat in _GOVERNS if pat.search(self.law)), None)


# the names of binding texts: 《…法》 (not 办法), 《…条例》, a ministry's or the State Council's 令, the 七部委 rules
_BINDING = re.compile(r"(?<!办)法》|条例》|《中华人民共和国|令第|令[0-9]{4}年第|号令|国务院令|评标委员会和评标方法暂行规定")
# the texts that govern one regime only: 政府采购法实施条例第三十三条 does not bind a 工程 招标, nor 招标投标法实施条例 a
# 政府采购 purchase of goods by 竞争性磋商
_GOVERNS = (
    ("政府采购", re.compile(r"政府采购|财政部令|财库〔|竞争性磋商|财政部(国库司)?留言答复")),
    ("工程", re.compile(r"招标投标法|发改办法规〔2019〕862号|必须招标的工程项目规定|标准施工招标|工程建设项目施工招标|"
                       r"评标委员会和评标方法|招标公告和公示信息发布管理办法|招标投标领域公平竞争审查规则")),
)


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str  # a sentence; for compare/absent rules a small document (lines become paragraphs, | rows tables)
    role: Optional[str] = None  # the clause role the sentence sits in (defaults to the rule's first scope role)
    heading: Optional[str] = None  # optional heading the clause sits under
    regime: Optional[str] = None  # for document examples: 工程 / 政府采购 (default: the rule's, 工程 for 通用)
    procurement: Optional[str] = None  # 工程 / 货物 / 服务
    zone: Optional[str] = None  # the zone the clause sits in (default: one the rule judges)
    procedure: Optional[str] = None  # for document examples: 公开招标 / 竞争性磋商 …
    regime_detail: Optional[str] = None  # for document examples: 依法必须招标 / 其他招标 / 政府采购 / 企业自主采购
    date: Optional[str] = None  # for document examples: the document's date (YYYY-MM-DD), for valid_from/valid_to
    source: Optional[str] = None  # where a real example comes from: a shared document and page, or a public URL

    @field_validator("zone")
    @classmethod
    def _zone(cls, v: Optional[str]) -> Optional[str]:
        if v is not None and v not in ZONES:
            raise ValueError(f"未知区域 {v}；可用 {ZONES}")
        return v


ExampleItem = Union[str, Example]


class Examples(BaseModel):
    model_config = ConfigDict(extra="forbid")

    flag: list[ExampleItem]
    no_flag: list[ExampleItem]
    # Known gaps (Semgrep's todoruleid): text the rule should flag but does not yet. `rules test` reports them as
    # 待改进 without failing, and fails once one starts to flag, so that it is moved to `flag`.
    todo_flag: list[ExampleItem] = Field(default_factory=list)


class Since(BaseModel):
    """A matched item that became unlawful only on a date (a qualification abolished, a licence superseded): a hit
    whose matched text holds `pattern` does not count in a document dated before `from_`. The law of the document's
    own day judges it; a document whose date was not found is not said to postdate the change (matcher.not_yet)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    pattern: str
    from_: date = Field(alias="from")


class KindMessage(BaseModel):
    """One rule, several kinds of hit, each needing its own explanation: DQ-SUPERSEDED-LICENCE's 多证合一 certificates,
    food permits and 年检 are three different reforms. A finding whose matched sentence matches `when` says `message`
    instead of the rule's, which stays the general one (and the one `rules show` leads with)."""

    model_config = ConfigDict(extra="forbid")

    when: str  # a regex (concept macros allowed) on the normalised sentence that was hit
    message: str


class LeadIn(BaseModel):
    """A list item read with its lead-in: `5.8 下列情况之一的，投标保证金将被没收：` … `5.8.3 放弃投标未在开标前三日书面
    通知招标人的`. The item alone says nothing unlawful and the lead-in alone is the law's own sanction list; what the
    item adds to that list is the breach. Both must match: `lead` on the lead-in, `items` on the item (the hit)."""

    model_config = ConfigDict(extra="forbid")

    lead: list[str]  # regexes on the lead-in (what the list does: 没收保证金, 否决投标 …), up to its colon
    items: list[str]  # regexes on the item; the item's own text must hold one of the rule's cues


class Match(BaseModel):
    """How a sentence is matched. Text work happens in Python (stack-notes: durable-rules cannot hold it)."""

    model_config = ConfigDict(extra="forbid")

    patterns: list[str] = Field(default_factory=list)  # Python regexes on the normalised sentence; any one hits
    # like patterns, but only in a zone whose lines are requirements by where they stand (vocab.LISTED_ZONES): the
    # restriction without its modal verb, as a 资格条件 item or a scoring row states it
    listed: list[str] = Field(default_factory=list)
    all: list[list[str]] = Field(default_factory=list)  # every group has a term, all inside `within` characters
    within: int = 20
    cues: list[str] = Field(default_factory=list)  # literal strings, one of which every hit contains (prefilter)
    unless: list[str] = Field(default_factory=list)  # a sentence containing any of these is not flagged
    unless_patterns: list[str] = Field(default_factory=list)
    # terms that excuse a hit wherever they stand in the same clause (a table cell, a list item), not only in its
    # sentence: 须提供连续三年经审计的财务报告。(成立不足三年的只需提供成立后的证明材料)
    unless_clause: list[str] = Field(default_factory=list)
    negatable: bool = True  # a negation cue (不得/无需/不要求 …) just before the hit suppresses it
    words: bool = False  # the hit must start and end on jieba token boundaries (本地 ≠ 本地区)
    since: list[Since] = Field(default_factory=list)  # items unlawful only from a date (see Since)
    lead_in: Optional[LeadIn] = None  # a list item together with its lead-in (see LeadIn)
    messages: list[KindMessage] = Field(default_factory=list)  # the message of one kind of hit (see KindMessage)

    @model_validator(mode="after")
    def _something_to_match(self) -> "Match":
        if not self.patterns and not self.all and not self.listed and not self.lead_in:
            raise ValueError("match 至少需要 patterns、listed、all 或 lead_in 之一")
        if (self.patterns or self.listed or self.lead_in) and not self.cues:
            raise ValueError("使用 patterns/listed/lead_in 时必须给出 cues（每个命中都包含的字面词，用于快速预筛）")
        lead_in = (self.lead_in.lead + self.lead_in.items) if self.lead_in else []
        for p in (self.patterns + self.listed + self.unless_patterns + [x.pattern for x in self.since] + lead_in
                  + [m.when for m in self.messages]):
            try:
                compiled(p)
            except re.error as exc:
                raise ValueError(f"正则表达式无效 {p!r}: {exc}") from None
        return self

    def message_for(self, sentence: str, default: str) -> str:
        """The message of the first kind whose `when` the hit sentence matches, else `default` (the rule's)."""
        return next((m.message for m in self.messages if compiled(m.when).search(sentence)), default)

    def cue_terms(self) -> list[str]:
        if self.cues:
            return self.cues
        return [t for group in self.all[:1] for t in group]


class ModelCheck(BaseModel):
    """A model-document rule (STD-*): the document is compared with a 示范文本 or its chapter spec
    (checker/template/checks.py) instead of being matched sentence by sentence."""

    model_config = ConfigDict(extra="forbid")

    check: Literal["chapter_structure", "verbatim_sections", "front_table_conflict", "blanks_unfilled"]
    # spec: the chapter spec is enough (the bundled one of the 2007 standard documents applies by default);
    # model_text: needs the model document's own text (a compiled template, `--template`)
    needs: Literal["spec", "model_text"] = "spec"


class FactRef(BaseModel):
    """Which typed facts a numeric rule reads: the first name that the document has wins (估算价, else 最高投标限价)."""

    model_config = ConfigDict(extra="forbid")

    names: list[str]
    kind: str  # money / percent / duration / date / count
    unit: Optional[str] = None  # e.g. 工作日 vs 日 for durations; None = any
    # Values only where they are certain. single: a range (10%—20%) is a band quoted from policy, not the
    # document's own value. unless_context: a value whose sentence says this belongs to another quantity
    # (联合体 / 分包 have their own price-deduction band).
    single: bool = False
    unless_context: Optional[str] = None
    context: Optional[str] = None  # only a value whose sentence matches (联合体 / 分包: the consortium band)
    whole: bool = False  # only a value of the whole project, not one lot's (a 200万元 threshold is the project's)


class Compare(BaseModel):
    """A numeric rule: fires when `left` <test> `right` × factor + const. The join of `left` and `right` facts runs in
    the durable-rules engine; derived facts (periods between dates, with 民法典 and holiday rules) come from Python."""

    model_config = ConfigDict(extra="forbid")

    facts: dict[str, FactRef]  # alias → facts
    left: str  # alias
    test: str  # gt / ge / lt / le
    right: Optional[str] = None  # alias; None = compare with the constant alone
    factor: float = 1.0
    const: float = 0.0
    param: Optional[str] = None  # a [params] key in tendercheck.toml that replaces factor (or const when no right)
    show: str  # the comparison as shown to a reviewer, a str.format template over the aliases' fields
    only_if: list[str] = Field(default_factory=list)  # document conditions: 货物 / 服务 / 工程 (procurement kind)
    # this alternative applies to one regime only (工程 counts 日, 政府采购 工作日), coarse or detailed (依法必须招标: a
    # bound that only the 20-day minimum of 招标投标法第二十四条 makes certain)
    regime: Optional[str] = None
    # regexes (macros allowed) of which one must stand in a clause the rule judges, for the alternative to apply at
    # all: the document says what makes the limit relevant (本项目非专门面向中小企业); none: not applicable
    when: list[str] = Field(default_factory=list)
    # …and none of these: the document also states the contrary (an option list whose boxes were lost in extraction
    # reads 本项目专门面向… and 本项目不专门面向… side by side): ambiguous, so not judged
    unless_stated: list[str] = Field(default_factory=list)

    def fits_regime(self, regime: str, regime_detail: Optional[str] = None) -> bool:
        return not self.regime or self.regime in (regime, regime_detail)

    def eligible(self, regime: str, procurement: Optional[str], regime_detail: Optional[str] = None) -> bool:
        return (not self.only_if or procurement in self.only_if) and self.fits_regime(regime, regime_detail)

    @field_validator("test")
    @classmethod
    def _test(cls, v: str) -> str:
        if v not in ("gt", "ge", "lt", "le"):
            raise ValueError("test 只能是 gt/ge/lt/le")
        return v

    @field_validator("regime")
    @classmethod
    def _regime(cls, v: Optional[str]) -> Optional[str]:
        if v is not None and v not in [r.value for r in Regime] + REGIMES_DETAILED:
            raise ValueError(f"regime 只能是 {[r.value for r in Regime] + REGIMES_DETAILED} 之一")
        return v

    @model_validator(mode="after")
    def _aliases(self) -> "Compare":
        for alias in [self.left] + ([self.right] if self.right else []):
            if alias not in self.facts:
                raise ValueError(f"比较中使用的 {alias} 未在 facts 中定义")
        return self


class Absent(BaseModel):
    """A rule that fires when the document says nothing about something it must state (投标有效期, 联合体)."""

    model_config = ConfigDict(extra="forbid")

    facts: list[str] = Field(default_factory=list)  # typed fact names; any one present satisfies the rule
    phrases: list[str] = Field(default_factory=list)  # regexes on clause text; any one present satisfies the rule
    # regexes for a mention without a readable value (a 前附表 row left blank): missing data, not a finding
    mentioned: list[str] = Field(default_factory=list)
    only_if: list[str] = Field(default_factory=list)
    # regexes of which one must be present for the statement to be owed at all (the document shows it is needed:
    # it applies the same-brand rule, so a 核心产品 must be named); none present: nothing is missing
    when: list[str] = Field(default_factory=list)
    what: Optional[str] = None  # what is missing, as a reviewer reads it (default: the fact names)

    @model_validator(mode="after")
    def _something(self) -> "Absent":
        if not self.facts and not self.phrases:
            raise ValueError("absent 至少需要 facts 或 phrases")
        for p in self.phrases + self.mentioned + self.when:
            compiled(p)
        return self


# Named conditions a rule may list under `conditions:` (what each means, for `rules show` and the loader's error).
# Each is implemented once, where the rule's kind is run; a rule names it instead of the code naming the rule.
CONDITIONS = {
    "not_own_party": "命中的单位名称是招标人或招标代理机构本身（澄清中的落款、联系人单位）时不算，须另有其他单位名称",
}


class AddedBy(BaseModel):
    """A cross-document rule that reports what a later document adds: the per-document findings of the listed rule
    families (rule id prefixes) in a `document`, whose rule the `baseline` document does not trigger."""

    model_config = ConfigDict(extra="forbid")

    document: str  # 澄清修改
    baseline: str  # 招标文件
    families: list[str]  # rule id prefixes: DQ- SC- TECH- …
    stage: str = "S3"

    @field_validator("document", "baseline")
    @classmethod
    def _doc_type(cls, v: str) -> str:
        if v not in DOC_TYPES:
            raise ValueError(f"未知文件类型 {v}；可用 {list(DOC_TYPES)}")
        return v


# Rule fields that take words of the vocabulary (checker/vocab.py): field → (the words, what they are, may be empty)
_VOCABULARIES = {
    "stages": (STAGES, "阶段", False),
    "doc_types": (DOC_TYPES, "文件类型", False),
    "scope": (ROLES, "条款角色", True),
    "unless_roles": (ROLES, "不读的条款角色", True),
    "zones": (ZONES, "区域", True),
    "procedures": (PROCEDURES, "采购方式", True),
    "regimes_detail": (REGIMES_DETAILED, "适用体系", True),
    "not_regimes_detail": (REGIMES_DETAILED, "不适用体系", True),
}


class MatchOf(BaseModel):
    """A rule that matches as another does: the same duty under an earlier version of a law (CONT-SME-PAYMENT-TERM-
    2020 beside CONT-SME-PAYMENT-TERM) keeps one list of wordings, so a wording added to one is read by both. The
    loader copies the other rule's `match`, leaving out the patterns whose text `without` finds (the kinds only the
    other version forbids)."""

    model_config = ConfigDict(extra="forbid")

    rule: str
    without: Optional[str] = None  # a regex on the pattern's source text


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    severity: Severity
    regime: Regime
    stages: list[str]
    doc_types: list[str]
    scope: list[str] = Field(default_factory=list)  # clause roles read; empty = every role except 背景
    unless_roles: list[str] = Field(default_factory=list)  # clause roles never read (人员要求: a staff table)
    match: Optional[Match] = None  # a text rule …
    compare: Optional[list[Compare]] = None  # … or a numeric rule over typed facts (alternatives: any may fire) …
    absent: Optional[Absent] = None  # … or a rule that fires when something required is missing …
    model: Optional[ModelCheck] = None  # … or a comparison with the model document (示范文本, rules/model/)
    message: str
    suggestion: str
    basis: list[Basis]
    valid_from: Optional[date] = None
    valid_to: Optional[date] = None
    examples: Examples
    catalogue: Optional[str] = None  # where in rule-catalogue.md the rule comes from
    supersedes: list[str] = Field(default_factory=list)  # more general rules this one replaces on the same clause
    # Rules a reason of this one points the reader to (`{see_also}` in a fact family's 不适用 reason: "the winner is
    # not among the candidates, see …"): the YAML names the other rule, the Python never does.
    see_also: list[str] = Field(default_factory=list)
    match_of: Optional[MatchOf] = None  # `match` copied from another rule by the loader (see MatchOf)
    # Where and when the rule judges (checker/vocab.py). zones: the document zones whose clauses it reads (empty =
    # every zone but forms, quoted policy, model-text instructions and the table of contents); procedures and
    # regimes_detail: empty = all. A document outside them gets "不适用" with the reason.
    zones: list[str] = Field(default_factory=list)
    # where the law itself differs: 政府采购 forbids scale conditions outright (error), 工程 only beyond the project's
    # needs, which the document alone cannot settle (warning)
    severity_by_regime: dict[Regime, Severity] = Field(default_factory=dict)
    procedures: list[str] = Field(default_factory=list)
    regimes_detail: list[str] = Field(default_factory=list)
    # the detailed regimes a rule never judges, where its basis cannot reach them (a company's own 比选 is bound by
    # neither 招标投标法 nor 政府采购法): unlike regimes_detail, a document whose detail is not known is still judged
    not_regimes_detail: list[str] = Field(default_factory=list)
    conditions: list[str] = Field(default_factory=list)  # named conditions (CONDITIONS) that qualify a hit
    added_by: Optional[AddedBy] = None  # cross-document: what a later document adds (澄清 → 招标文件)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, v: str) -> str:
        if not RULE_ID.match(v):
            raise ValueError("规则 id 形如 DQ-LOCAL-REGISTRATION（大写字母、数字和连字符）")
        return v

    @field_validator(*_VOCABULARIES)
    @classmethod
    def _known_words(cls, v: list[str], info: ValidationInfo) -> list[str]:
        vocabulary, what, may_be_empty = _VOCABULARIES[info.field_name]
        bad = [x for x in v if x not in vocabulary]
        if bad or (not v and not may_be_empty):
            raise ValueError(f"未知{what} {bad}；可用 {list(vocabulary)}")
        return v

    @field_validator("conditions")
    @classmethod
    def _known_conditions(cls, v: list[str]) -> list[str]:
        bad = [x for x in v if x not in CONDITIONS]
        if bad:
            raise ValueError(f"未知条件 {bad}；可用 {list(CONDITIONS)}")
        return v

    def in_force(self, on: date) -> bool:
        return not ((self.valid_from and on < self.valid_from) or (self.valid_to and on > self.valid_to))

    def fits_procedure(self, procedure: Optional[str]) -> bool:
        """False only when the procedure is known and the rule is not for it (unknown is 缺少数据, decided elsewhere)."""
        return not (procedure and self.procedures and not procedure_fits(procedure, self.procedures))

    def fits_regime_detail(self, regime_detail: Optional[str]) -> bool:
        if regime_detail and regime_detail in self.not_regimes_detail:
            return False
        return not (regime_detail and self.regimes_detail and regime_detail not in self.regimes_detail)

    def severity_for(self, regime: str, regime_detail: Optional[str] = None) -> Severity:
        """The rule's severity for a document of this regime. A 政府采购 escalation rests on 政府采购法 and the rules made
        under it, which do not bind 军队采购 (政府采购法 第八十六条: the military makes its own), so it stays at the
        rule's own severity there."""
        if regime_detail == "军队采购" and Regime(regime) is Regime.gov:
            return self.severity
        severity = self.severity_by_regime.get(Regime(regime), self.severity)
        if regime_detail == "企业自主采购" and severity == Severity.error:
            # a company buying for itself outside 招标 is bound by neither 招标投标法 nor 政府采购法 (vocab): what those
            # laws forbid is, there, a restriction to point out (不合理), not a breach of law
            return Severity.warning
        return severity

    def judges_zone(self, zone: Optional[str]) -> bool:
        if self.zones:
            return zone in self.zones
        return zone not in NON_REQUIREMENT_ZONES

    @property
    def kind(self) -> str:
        if self.model:
            return "model"
        return "match" if self.match else ("compare" if self.compare else "absent")

    @model_validator(mode="after")
    def _enough_examples(self) -> "Rule":
        if sum(x is not None for x in (self.match, self.compare, self.absent, self.model)) != 1:
            raise ValueError("每条规则须且只能有 match、compare、absent、model 之一")
        if len(self.examples.flag) < 3 or len(self.examples.no_flag) < 3:
            raise ValueError("每条规则至少需要 3 个应命中示例（flag）和 3 个不应命中示例（no_flag）")
        if not self.basis:
            raise ValueError("每条规则必须给出法律依据（basis）")
        return self
