"""Text matching for every rule at once, in Python (the engine only combines what this finds).

One Aho-Corasick pass over a clause finds which rules have a cue in it; only those rules' regexes and term groups
run, sentence by sentence. A hit then learns whether it is negated (不得要求…本地注册) or excepted (或相当于), so
the engine can decide; nothing is dropped here, which keeps "why was this not flagged" answerable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Optional

import ahocorasick

from ..normalize import SENTENCE_END, for_matching, sentences  # noqa: F401 (sentences re-exported)
from ..tokenize import boundaries
from ..vocab import LISTED_ZONES
from .leadin import items as list_items
from .schema import Rule, compiled

# Negation shortly before a hit in the same sub-clause suppresses it (catalogue §6.2). `不得不` is not a negation.
_NEGATION = re.compile(r"(?<!不)(不得(?!不)|不应|禁止|严禁|不作为|不设|无需|不需|不要求|不限|不予|不以|不将|不必|"
                       r"不再|不属于|并非|不作|无须|不视为|不构成|取消|不包括|不采用|不使用|不会|不指定|不限定|不指向|未要求)")
NEGATION_WINDOW = 10
_SENTENCE_END = SENTENCE_END  # checker/normalize.py: facts and rules split sentences alike
_SUBCLAUSE_END = re.compile(r"[，,：:]")


@dataclass(frozen=True)
class Hit:
    rule_id: str
    sentence_index: int
    sentence: str  # normalised
    start: int
    end: int
    negated: bool
    excepted: bool

    @property
    def matched(self) -> str:
        return self.sentence[self.start:self.end]


def display_sentence(text: str, index: int) -> str:
    """The `index`-th sentence of the original text, split as `sentences` splits its normalised form (NFKC keeps
    。 and folds ；！？ to ;!?, all of which split)."""
    parts = [s for s in _SENTENCE_END.split(text) if for_matching(s)]
    return parts[index].strip() if index < len(parts) else ""


class _CompiledRule:
    def __init__(self, rule: Rule):
        m = rule.match
        self.id = rule.id
        self.patterns = [compiled(p) for p in m.patterns]
        self.listed = [compiled(p) for p in m.listed]
        self.groups = [[for_matching(t) for t in g] for g in m.all]
        self.within = m.within
        self.unless = [for_matching(u) for u in m.unless]
        self.unless_patterns = [compiled(p) for p in m.unless_patterns]
        self.unless_clause = [for_matching(u) for u in m.unless_clause]
        self.negatable = m.negatable
        self.words = m.words
        self.cues = [for_matching(c) for c in m.cue_terms()]
        self.since = [(compiled(x.pattern), x.from_) for x in m.since]
        self.lead = [compiled(p) for p in m.lead_in.lead] if m.lead_in else []
        self.items = [compiled(p) for p in m.lead_in.items] if m.lead_in else []

    def spans(self, sentence: str, listed: bool = False) -> list[tuple[int, int]]:
        """Every place the rule matches, in order: a negated first occurrence must not hide a later one
        (不得要求本地注册……但须在本市设立分公司). Most candidate sentences match no pattern, so a plain search
        comes first and the rest of the sentence is scanned only after a hit. `listed`: the sentence stands in a
        zone whose lines are requirements by themselves, so the rule's `listed` patterns count too."""
        out: list[tuple[int, int]] = []
        for pat in self.patterns + (self.listed if listed else []):
            found = pat.search(sentence)
            if found is None:
                continue
            out.append(found.span())
            out.extend(m.span() for m in pat.finditer(sentence, found.end()))
        if self.groups:
            span = _within(sentence, self.groups, self.within)
            if span:
                out.append(span)
        return out

    def item_hit(self, lead: str, item: str) -> Optional[tuple[int, int]]:
        """The item's span when the lead-in says what the rule's `lead_in.lead` asks (not negated: `下列情形不得作为
        没收保证金的理由：` lists what may not be done) and the item what `lead_in.items` asks."""
        if not any(m and not negated_before(lead, m.start()) for m in (p.search(lead) for p in self.lead)):
            return None
        for pat in self.items:
            found = pat.search(item)
            if found is not None:
                return found.span()
        return None

    def excepted(self, sentence: str) -> bool:
        return any(u in sentence for u in self.unless) or any(p.search(sentence) for p in self.unless_patterns)

    def not_yet(self, matched: str, on: Optional[date]) -> bool:
        """The matched item was still lawful on the document's date `on` (abolished or superseded later), or may
        have been: a document whose date was not found is not said to postdate the abolition (a 2018 磋商 correction
        demanding the 环评资质 abolished that December, bench/unseen t6, carries no date)."""
        return any((on is None or on < start) and pat.search(matched) for pat, start in self.since)


def _within(sentence: str, groups: list[list[str]], within: int) -> Optional[tuple[int, int]]:
    """The shortest span holding one term of every group (anchored on the first group's terms, taking the nearest
    term of each other group), if it is at most `within` characters long, terms included."""
    positions: list[list[tuple[int, int]]] = []
    for group in groups:
        spots = [(m.start(), m.start() + len(t)) for t in group for m in re.finditer(re.escape(t), sentence)]
        if not spots:
            return None
        positions.append(spots)
    best: Optional[tuple[int, int]] = None
    for anchor in positions[0]:
        lo, hi = anchor
        for spots in positions[1:]:
            nearest = min(spots, key=lambda s: max(hi, s[1]) - min(lo, s[0]))
            lo, hi = min(lo, nearest[0]), max(hi, nearest[1])
        if hi - lo <= within and (best is None or hi - lo < best[1] - best[0]):
            best = (lo, hi)
    return best


# 如/若 … 的，… : the hit states a condition, not a requirement (`如招标文件要求以联合体形式参加的，则联合体中的中小企业
# …`). Unless what follows the condition scores or rejects (`如投标人在本市设有机构的，得2分` is a scoring rule; `若没有
# 投标价位于[限价×90%,限价]区间,则重新招标` voids the tender on the condition's terms).
_CONDITION_OPEN = re.compile(r"^(?:[0-9]+[、.)]|[(][0-9一二三四五六七八九十]+[)])?(如果?|若|假如|倘若|如本项目|如招标文件)(?![期实数下])")
_CONDITION_CLOSE = re.compile(r"(的|时|者),|,则")
# A consequence that makes the condition a bar: a score, a rejection, or leave to bid only once someone approves
# (若近一年内出现过重大问题(以…发文暂停投标资格为准)，则必须…并得到南方电网…的验证 — bench/unseen w4).
_CONSEQUENCE = re.compile(r"(得|加|扣|计|减)[0-9.]+分|不得分|无效|否决|不予(受理|通过|评审)|拒绝|取消|"
                         r"不得(参加|参与|投标|报名)|不合格|重新招标|招标失败|"
                         r"(得到|取得|经过?|通过)[^,;。]{0,40}(验证|认可|同意|批准|审核通过|审批)|"
                         r"(方可|才能|才可|方能)(参加|参与|投标|报名|入围)")
# The same condition without 如/若, when all it asks is the proof of what the condition names: `投标人在本市设有分公司
# 的，须提供分公司营业执照复印件`. Any other consequence (拒收, 不予开启, 可直接入围, 不合格 …) makes it a rule.
_BARE_CONDITION = re.compile(r"^[^,;:]{2,40}?(的|者),")
_PROOF_ONLY = re.compile(r"(则)?[^,;]{0,8}?(须|应当?|需)?(提供|提交|出具|附上?)[^,;]{0,20}?(复印件|扫描件|证明|营业执照|原件|材料)")


def conditional(sentence: str, start: int, end: int = -1) -> bool:
    """Is the hit at `start` inside the condition of a 如/若 sentence whose consequence neither scores nor rejects,
    or wholly inside a bare `…的，` condition whose consequence only asks for proof?"""
    if _CONDITION_OPEN.match(sentence):
        close = _CONDITION_CLOSE.search(sentence)
        if close is None or close.start() < start:
            return False
        return not _CONSEQUENCE.search(sentence, close.end())
    close = _BARE_CONDITION.match(sentence)
    if close is None or close.start(1) < max(start, end):
        return False
    return bool(_PROOF_ONLY.match(sentence, close.end())) and not _CONSEQUENCE.search(sentence, close.end())


def negated_before(sentence: str, start: int) -> bool:
    """A negation cue that begins before the hit, in the same sub-clause, within NEGATION_WINDOW characters. The cue
    may overlap the hit: in `无需在本市设立` a pattern starting at `需` is negated by `无需`."""
    window_start = max(0, start - NEGATION_WINDOW)
    prefix = sentence[window_start:start]
    cut = window_start + max((m.end() for m in _SUBCLAUSE_END.finditer(prefix)), default=0)
    for m in _NEGATION.finditer(sentence, cut, start + 3):
        if m.start() < start:
            return True
    return False


class Matcher:
    """All rules' text matching, built once per process."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules = {r.id: _CompiledRule(r) for r in rules}
        self._automaton = ahocorasick.Automaton()
        cue_rules: dict[str, set[str]] = {}
        for rule in self.rules.values():
            for cue in rule.cues:
                cue_rules.setdefault(cue, set()).add(rule.id)
        for cue, ids in cue_rules.items():
            self._automaton.add_word(cue, frozenset(ids))
        self._ready = bool(cue_rules)
        if self._ready:
            self._automaton.make_automaton()

    def candidates(self, norm_text: str) -> set[str]:
        if not self._ready:
            return set()
        found: set[str] = set()
        for _, ids in self._automaton.iter(norm_text):
            found |= ids
        return found

    def match(self, norm_text: str, only: Optional[set[str]] = None, zone: Optional[str] = None,
              on: Optional[date] = None, lead: str = "") -> list[Hit]:
        """Hits of the candidate rules, sentence by sentence. `zone`: where the clause stands (vocab.ZONES); in a
        LISTED_ZONES zone the rules' `listed` patterns apply as well. `on`: the document's date, when known; an item
        a rule's `since` dates later than it is excepted (the law of the document's day judges it). `lead`: the
        lead-in of the list the clause is an item of (leadin.clause_leads), read by rules with `lead_in`."""
        listed = zone in LISTED_ZONES
        ids = self.candidates(norm_text)
        if only is not None:
            ids &= only
        if not ids:
            return []
        hits: list[Hit] = []
        excused = {rid for rid in ids if any(u in norm_text for u in self.rules[rid].unless_clause)}
        split = sentences(norm_text)
        leads = {k: (ld, at) for k, ld, at in list_items(split, lead)} \
            if any(self.rules[rid].items for rid in ids) else {}
        for k, sent in enumerate(split):
            bare = without_asides(sent)
            for rid in sorted(ids):
                rule = self.rules[rid]
                hit = _best(rule, sent, listed, on)
                if hit is None and bare is not None:
                    # 在苏州市(包括5县市)注册: the aside breaks the pattern, the sentence without it says the same thing.
                    # The exceptions still read the whole sentence (中标后…, 或相当于… may stand in the aside).
                    text, back = bare
                    found = _best(rule, text, listed, on)
                    if found is not None:
                        start, end, negated, excepted = found
                        hit = (back[start], back[end - 1] + 1, negated, excepted or rule.excepted(sent))
                if hit is None and k in leads and rule.items:
                    hit = _item_hit(rule, sent, *leads[k])
                if hit is not None:
                    if rid in excused:  # the clause's other sentence excuses it (rule.unless_clause)
                        hit = (*hit[:3], True)
                    hits.append(Hit(rid, k, sent, *hit))
        return hits


def _best(rule: _CompiledRule, sent: str, listed: bool, on: Optional[date]) -> Optional[tuple[int, int, bool, bool]]:
    """The rule's first hit in the sentence that is not negated (else its first negated one), with whether it is
    excepted (an exception, a condition, or an item lawful on the document's date `on`): (start, end, negated,
    excepted)."""
    best = None
    for span in rule.spans(sent, listed):
        if rule.words and not {span[0], span[1]} <= boundaries(sent):
            continue
        negated = rule.negatable and negated_before(sent, span[0])
        if best is None or (best[2] and not negated):
            best = (span[0], span[1], negated)
        if not negated:
            break
    if best is None:
        return None
    excepted = rule.excepted(sent) or conditional(sent, best[0], best[1]) or rule.not_yet(sent[best[0]:best[1]], on)
    return best[0], best[1], best[2], excepted


def _item_hit(rule: _CompiledRule, sent: str, lead: str, at: int) -> Optional[tuple[int, int, bool, bool]]:
    """A list item's hit read with its lead-in (schema.LeadIn), in the sentence's coordinates."""
    span = rule.item_hit(lead, sent[at:])
    if span is None:
        return None
    start, end = span[0] + at, span[1] + at
    negated = rule.negatable and negated_before(sent, start)
    return start, end, negated, rule.excepted(sent) or rule.excepted(lead)


# A short aside in brackets inside a clause: (包括5县市), (含), (以营业执照为准). Not a list number, wherever it
# stands ((1) 银行转账; (2) 保函: the items of a list are not asides), nor one that opens the sentence.
_ASIDE = re.compile(r"(?<=[^\s(])\((?![0-9一二三四五六七八九十a-zA-Z]{1,3}\))[^()]{1,24}\)")


def without_asides(sentence: str) -> Optional[tuple[str, list[int]]]:
    """The sentence with its short bracketed asides taken out, and for each of its characters the index of the
    same character in the sentence; None when it has none."""
    if "(" not in sentence:
        return None
    kept: list[int] = []
    last = 0
    for m in _ASIDE.finditer(sentence):
        kept.extend(range(last, m.start()))
        last = m.end()
    if last == 0:
        return None
    kept.extend(range(last, len(sentence)))
    return "".join(sentence[i] for i in kept), kept
