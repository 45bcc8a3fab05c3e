"""Invisible characters (issue 16, defect 3): a zero-width space, joiner, word joiner, soft hyphen, variation
selector or BOM inside a violating phrase must not remove the finding, and the excerpt still shows the text as
written (the map back to original offsets). Each kind is tried inside the phrase of two real-style clauses."""
import json
import sys
import unicodedata

import pytest
from click.testing import CliRunner

import cli
from checker.normalize import for_matching, is_invisible, matching_map, original_span

KINDS = {
    "zwsp": "\u200b", "zwnj": "\u200c", "zwj": "\u200d", "word-joiner": "\u2060", "soft-hyphen": "\u00ad",
    "variation-selector": "\ufe0f", "variation-selector-supplement": "\U000e0100", "bom": "\ufeff",
    "lrm": "\u200e", "bidi-override": "\u202e", "tag": "\U000e0041", "cgj": "\u034f",
}

HEAD = "某市某道路改造工程施工招标文件\n第一章 招标公告\n一、投标人资格要求\n"
CLAUSES = ["本次招标要求投标人须为国有或国有控股企业。", "投标人须在本市注册，否则资格审查不予通过。"]
PHRASES = ["国有", "本市"]
RULES = {"DQ-OWNERSHIP-ORG-FORM", "DQ-LOCAL-REGISTRATION"}


def _check(tmp_path, text):
    path = tmp_path / "tender.txt"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["check", str(path), "--format", "json"])
    assert result.exit_code in (0, 1), (result.output, result.exception)
    return result.exit_code, json.loads(result.stdout)["findings"]


def test_every_format_character_is_invisible_to_matching():
    # The hard-coded list must cover every Cf character this Python knows (a newer Unicode adds some).
    missing = [hex(c) for c in range(sys.maxunicode + 1)
               if unicodedata.category(chr(c)) == "Cf" and not is_invisible(chr(c))]
    assert not missing


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_invisible_character_inside_phrase_keeps_the_finding(tmp_path, kind):
    ch = KINDS[kind]
    clean_code, clean = _check(tmp_path, HEAD + "\n".join(CLAUSES) + "\n")
    assert RULES <= {f["rule_id"] for f in clean} and clean_code == 1
    rigged = [c.replace(p, p[0] + ch + p[1:]) for c, p in zip(CLAUSES, PHRASES)]
    code, found = _check(tmp_path, HEAD + "\n".join(rigged) + "\n")
    assert code == 1
    assert {f["rule_id"] for f in found} == {f["rule_id"] for f in clean}
    for f in found:
        if f["rule_id"] in RULES:
            assert ch in f["excerpt"]  # the excerpt is the original text, not the matching text


def test_invisible_characters_do_not_break_negation(tmp_path):
    # 不得要求 with a ZWSP inside stays a negation: no new false positive either.
    _, found = _check(tmp_path, HEAD + "不\u200b得要求投标人在本\u00ad地注册或设立分支机构。\n")
    assert "DQ-LOCAL-REGISTRATION" not in {f["rule_id"] for f in found}


def test_map_back_to_original_offsets():
    text = "须为国\u00ad有\ufe0f或国\u200b有控股"
    norm, where = matching_map(text)
    assert norm == for_matching(text) == "须为国有或国有控股"
    assert original_span(text, 2, 4) == "国\u00ad有"
    assert [text[i] for i in where] == list(norm)


def test_roles_from_headings_see_through_invisible_characters():
    from checker.models import Clause, ClauseKind, Location
    from checker.roles import roles_of

    def clause(heading):
        return Clause(id="c1", level=1, heading_path=[heading], kind=ClauseKind.paragraph, text="投标人须在本市注册。",
                      norm=for_matching("投标人须在本市注册。"), location=Location())

    assert "资格条件" in roles_of(clause("三、投标人资格要求"))
    for ch in KINDS.values():
        assert "资格条件" in roles_of(clause(f"三、投标人资{ch}格要求")), repr(ch)
