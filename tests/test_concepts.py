"""The concept lexicons (rules/dict/concepts.yaml) and the <NAME> macros rules compose them with."""
import re

import pytest
import yaml

from checker import concepts
from checker.errors import RulePackError
from checker.rules.loader import load_pack
from checker.rules.schema import Match


def test_every_concept_compiles_and_the_builtins_expand():
    for name in concepts.table():
        re.compile(concepts.macro(name))
    assert re.fullmatch(concepts.expand("<MODAL>"), "方可")
    assert re.fullmatch(concepts.expand("在<PLACE>"), "在杭州市")


@pytest.mark.parametrize("macro,word", [
    ("LOCAL_OBJ", "售后服务网点"), ("SCALE", "实缴资本"), ("SCALE", "从业人员"), ("OUTSIDE", "外埠"),
    ("AWARD_PROVINCIAL", "扬子杯"), ("AWARD_PROVINCIAL", "白玉兰奖"), ("CLIENT_TYPE", "三级甲等"),
    ("TAX_SOCIAL", "社保"), ("BRAND_TIER", "国际一线"), ("OWNERSHIP", "中方控股"),
])
def test_a_concept_matches_its_words(macro, word):
    assert re.fullmatch(concepts.macro(macro), word)


def test_req_keeps_ying_of_gongyingshang_out():
    req = re.compile(concepts.macro("REQ"))
    assert not req.search("供应商响应")
    assert req.search("供应商应当")


def test_awards_carry_a_verified_region():
    assert concepts.region_of("钱江杯") == "浙江省"
    assert concepts.region_of("芙蓉奖") == "湖南省"
    unverified = [e for e in concepts.table()["AWARD_PROVINCIAL"].entries if not e.verified]
    assert all(e.source is None or "issue" in e.source for e in unverified)


def test_an_unknown_macro_names_the_macro():
    with pytest.raises(ValueError, match="<NO_SUCH>"):
        Match(patterns=["<REQ>.{0,4}<NO_SUCH>"], cues=["须"])


def test_a_rule_with_an_unknown_macro_is_refused_naming_rule_and_macro(tmp_path):
    rule = yaml.safe_load((concepts.CONCEPTS_FILE.parents[1] / "qualification" / "DQ-LOCAL-REGISTRATION.yaml")
                          .read_text(encoding="utf-8"))
    rule["match"]["patterns"] = ["<REQ>.{0,4}<LOCAL_OFFICES>"]
    (tmp_path / "DQ-LOCAL-REGISTRATION.yaml").write_text(yaml.safe_dump(rule, allow_unicode=True), encoding="utf-8")
    with pytest.raises(RulePackError) as exc:
        load_pack(tmp_path)
    line = exc.value.one_line()
    assert "DQ-LOCAL-REGISTRATION" in line and "<LOCAL_OFFICES>" in line and "\n" not in line


@pytest.mark.parametrize("body,needle", [
    ("FOO: {about: x}", "FOO"),                                   # no words
    ("FOO: {about: x, terms: [a], pattern: b}", "FOO"),           # two kinds
    ("foo: {about: x, terms: [a]}", "foo"),                       # name not upper case
    ("FOO: {about: x, pattern: '<BAR>'}", "<BAR>"),               # a macro naming nothing
    ("FOO: {about: x, pattern: '(ab'}", "FOO"),                   # a broken regex
    ("FOO: {about: x, entries: [{term: 甲杯, region: 火星省, source: s}]}", "火星省"),  # not a division
    ("FOO: {about: x, entries: [{term: 甲杯, region: 江苏省}]}", "source"),             # verified needs a source
    ("FOO: {about: x, colour: red, terms: [a]}", "colour"),      # unknown field
])
def test_a_bad_lexicon_is_one_line_naming_the_concept(tmp_path, monkeypatch, body, needle):
    bad = tmp_path / "concepts.yaml"
    bad.write_text(body, encoding="utf-8")
    monkeypatch.setattr(concepts, "CONCEPTS_FILE", bad)
    concepts.table.cache_clear()
    concepts.macro.cache_clear()
    try:
        with pytest.raises(RulePackError) as exc:
            concepts.table()
        assert needle in exc.value.one_line() and "\n" not in exc.value.one_line()
    finally:
        concepts.table.cache_clear()
        concepts.macro.cache_clear()


def test_an_expert_extends_a_concept_without_python(tmp_path, monkeypatch):
    data = yaml.safe_load(concepts.CONCEPTS_FILE.read_text(encoding="utf-8"))
    data["LOCAL_OBJ"]["terms"].append("驻点")
    extended = tmp_path / "concepts.yaml"
    extended.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(concepts, "CONCEPTS_FILE", extended)
    concepts.table.cache_clear()
    concepts.macro.cache_clear()
    try:
        assert re.fullmatch(concepts.macro("LOCAL_OBJ"), "驻点")
    finally:
        concepts.table.cache_clear()
        concepts.macro.cache_clear()


@pytest.mark.parametrize("text, below", [("50%", True), ("5.5%", True), ("59.9%", True), ("百分之四十", True),
                                         ("百分之十五", True), ("60%", False), ("70%", False), ("100%", False),
                                         ("百分之六十", False), ("百分之七十五", False)])
def test_pct_under_sixty_reads_the_number_whole(text, below):
    """46号文第八条's 60% share for small and micro enterprises: a share is below it or not, never a digit of it."""
    assert bool(re.search(concepts.expand("比例为<PCT_UNDER_SIXTY>"), "比例为" + text)) is below
