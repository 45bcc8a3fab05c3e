"""The on-disk store of compiled patterns (checker/regex_cache.py): a pattern served from it behaves exactly as
re.compile's, and a store that is missing, corrupt or tampered with costs time, never a wrong answer or a crash."""
import re

import pytest

from checker import regex_cache
from checker.concepts import expand

SAMPLES = ["投标人须在深圳市注册", "须在广州注册并设立分支机构", "注册地为非上海市的，须提供分支机构营业执照", "无关句子"]


@pytest.fixture()
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("TENDERCHECK_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("TENDERCHECK_REGEX_CACHE", raising=False)
    monkeypatch.setattr(regex_cache, "_STORE", regex_cache._Store())
    return tmp_path


def _fresh_process(monkeypatch):
    """What the next process sees: the file on disk, nothing in memory."""
    regex_cache.flush()
    monkeypatch.setattr(regex_cache, "_STORE", regex_cache._Store())


def _same(a, b):
    for s in SAMPLES:
        ma, mb = a.search(s), b.search(s)
        assert (ma and (ma.span(), ma.groupdict())) == (mb and (mb.span(), mb.groupdict()))


def test_a_gazetteer_pattern_comes_back_from_the_store_and_matches_alike(store, monkeypatch):
    pattern = expand(r"须在(?P<where><PLACE>)(?:市)?注册")
    first = regex_cache.compile_pattern(pattern)
    assert regex_cache._STORE.dirty  # compiled here, to be written
    _fresh_process(monkeypatch)
    assert regex_cache.store_path().is_file()
    again = regex_cache.compile_pattern(pattern)
    assert not regex_cache._STORE.dirty  # served from the store, nothing compiled
    assert again.pattern == pattern and again.groupindex == re.compile(pattern).groupindex
    _same(again, re.compile(pattern))
    _same(first, again)


def test_a_corrupt_store_is_ignored(store, monkeypatch):
    path = regex_cache.store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x00not marshal at all")
    got = regex_cache.compile_pattern(r"(?P<a>本市)企业")
    assert got.search("须为本市企业").group("a") == "本市"


def test_a_tampered_program_is_compiled_afresh(store, monkeypatch):
    pattern = r"(?P<a>深圳|杭州)市?"
    regex_cache.compile_pattern(pattern)
    _fresh_process(monkeypatch)
    regex_cache._STORE.load()
    key = next(iter(regex_cache._STORE.entries))
    flags, _program, groups, groupindex, indexgroup = regex_cache._STORE.entries[key]
    regex_cache._STORE.entries[key] = (flags, b"\xff\xff\xff\xff" * 3, groups, groupindex, indexgroup)
    got = regex_cache.compile_pattern(pattern)
    assert got.search("在杭州市").group("a") == "杭州"
    assert regex_cache._STORE.dirty  # the bad entry was replaced


def test_an_invalid_pattern_raises_as_re_compile_does(store):
    with pytest.raises(re.error):
        regex_cache.compile_pattern("(?P<a>未闭合")


def test_switched_off_nothing_is_written(store, monkeypatch):
    monkeypatch.setenv("TENDERCHECK_REGEX_CACHE", "0")
    assert regex_cache.compile_pattern("本地").search("本地企业")
    regex_cache.flush()
    assert not any(store.iterdir())


def test_an_unwritable_cache_dir_does_not_fail(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("TENDERCHECK_CACHE_DIR", str(blocker / "sub"))  # a directory under a file cannot be made
    monkeypatch.setattr(regex_cache, "_STORE", regex_cache._Store())
    assert regex_cache.compile_pattern("外地").search("外地企业")
    regex_cache.flush()


def test_programs_of_patterns_edited_away_do_not_pile_up(store, monkeypatch):
    monkeypatch.setattr(regex_cache, "_MAX_BYTES", 4000)
    for i in range(300):  # an earlier version of the pack
        regex_cache.compile_pattern(f"旧规则{i}")
    _fresh_process(monkeypatch)
    regex_cache._STORE.load()
    assert len(regex_cache._STORE.entries) == 300  # what a process used is always kept
    monkeypatch.setattr(regex_cache, "_MAX_BYTES", 1000)
    regex_cache.compile_pattern("新规则")  # this version uses one pattern
    _fresh_process(monkeypatch)
    regex_cache._STORE.load()
    assert list(regex_cache._STORE.entries) == [regex_cache._key("新规则", 0)]
