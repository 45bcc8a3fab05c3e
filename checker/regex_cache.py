"""Compiled rule patterns kept on disk between processes, the way Python keeps bytecode in __pycache__.

Python's `re` compiles in pure Python. The place gazetteer (<PLACE>: every province, prefecture, county and district
as one trie) is inlined into each pattern that names a place, so the pack's ~660 patterns come to 1.7 M characters
and take about 3 s to compile — paid by every CLI process: each `check` of the CI gate, each `rules` command, each
end-to-end test. The compiled form is a list of integers (the sre program); it is stored here once and handed back
to `_sre.compile` in the next process, which takes 0.1 s.

The store leans on `re`'s internals (`re._parser`, `re._compiler`, `_sre.compile`), so it trusts nothing: the file
is keyed by the exact interpreter build and sre's MAGIC, `_sre.compile` validates every program it is given, and any
doubt at all — an internal that is missing, a file that does not read, a program that does not validate — means the
pattern is compiled the ordinary way. Set TENDERCHECK_REGEX_CACHE=0 to switch the store off; TENDERCHECK_CACHE_DIR
(default: $XDG_CACHE_HOME/tendercheck or ~/.cache/tendercheck) moves it.
"""
from __future__ import annotations

import array
import atexit
import hashlib
import marshal
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Optional

try:  # the compiler's two halves; their module names changed in 3.11
    from re import _compiler as _sre_compiler, _parser as _sre_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_compile as _sre_compiler  # type: ignore[no-redef]
    import sre_parse as _sre_parser  # type: ignore[no-redef]
import _sre

# A pattern edited away leaves its program behind (the bundled pack's programs come to about 15 MB). Past this size
# the store keeps only the saving process's patterns; below it a process that loaded only a small custom pack does
# not throw the bundled pack's programs away.
_MAX_BYTES = 64 * 1024 * 1024
_Entry = tuple  # (flags, program as array('I') bytes, groups, groupindex, indexgroup)


def _enabled() -> bool:
    return os.environ.get("TENDERCHECK_REGEX_CACHE", "1") != "0"


def cache_dir() -> Path:
    explicit = os.environ.get("TENDERCHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tendercheck"


def store_path() -> Path:
    """One file per interpreter build: a program compiled by another sre is never offered to this one."""
    build = f"{sys.implementation.name}|{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}|{sys.maxunicode}"
    tag = hashlib.sha256(build.encode()).hexdigest()[:16]
    return cache_dir() / f"patterns-{sys.implementation.cache_tag}-{tag}.marshal"


class _Store:
    def __init__(self) -> None:
        self.entries: dict[str, _Entry] = {}
        self.used: set[str] = set()
        self.dirty = False
        self.loaded = False

    def load(self) -> None:
        self.loaded = True
        try:
            data = marshal.loads(store_path().read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return  # no store yet, or one that does not read: start afresh
        if isinstance(data, dict):
            self.entries = data

    def save(self) -> None:
        if not self.dirty:
            return
        keep = self.entries
        if sum(len(entry[1]) for entry in keep.values()) > _MAX_BYTES:
            keep = {k: v for k, v in keep.items() if k in self.used}
        path = store_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # write-then-rename: a process reading at the same moment sees the old store or the new, never half
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".patterns-", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps(keep))
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only home is no reason to fail a check
        self.dirty = False


_STORE = _Store()
atexit.register(_STORE.save)


def _key(pattern: str, flags: int) -> str:
    return hashlib.sha256(f"{flags}\0{pattern}".encode()).hexdigest()


def _from_entry(pattern: str, entry: _Entry) -> Optional["re.Pattern[str]"]:
    try:
        flags, program, groups, groupindex, indexgroup = entry
        code = array.array("I")
        code.frombytes(program)
        return _sre.compile(pattern, flags, code.tolist(), groups, groupindex, indexgroup)
    except Exception:  # noqa: BLE001 - any doubt about a stored program: compile it afresh
        return None


def _compile_and_record(pattern: str, flags: int) -> Optional[tuple["re.Pattern[str]", _Entry]]:
    """What re.compile does (re/_compiler.py: compile), keeping the program it builds."""
    try:
        parsed = _sre_parser.parse(pattern, flags)
        code = _sre_compiler._code(parsed, flags)
        state = parsed.state
        groupindex = dict(state.groupdict)
        indexgroup = [None] * state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        entry = (flags | state.flags, array.array("I", code).tobytes(), state.groups - 1, groupindex,
                 tuple(indexgroup))
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - the internals differ from what this module knows
        return None
    compiled = _from_entry(pattern, entry)
    return (compiled, entry) if compiled is not None else None


def compile_pattern(pattern: str, flags: int = 0) -> "re.Pattern[str]":
    """re.compile(pattern, flags), served from the on-disk store when this interpreter compiled it before.
    A pattern that does not compile raises re.error exactly as re.compile does."""
    if not _enabled():
        return re.compile(pattern, flags)
    if not _STORE.loaded:
        _STORE.load()
    key = _key(pattern, flags)
    entry = _STORE.entries.get(key)
    if entry is not None:
        compiled = _from_entry(pattern, entry)
        if compiled is not None:
            _STORE.used.add(key)
            return compiled
        del _STORE.entries[key]
    made = _compile_and_record(pattern, flags)
    if made is None:
        return re.compile(pattern, flags)
    compiled, entry = made
    _STORE.entries[key] = entry
    _STORE.used.add(key)
    _STORE.dirty = True
    return compiled


def flush() -> None:
    """Write what this process compiled now (a long-lived service or a worker that is killed, not exited)."""
    _STORE.save()
