"""The one module that touches durable-rules. Everything it needs to know about the engine's sharp edges is here.

Measured in ../shared/reference/stack-notes.md §1 and respected below:
- the default Host runs timer threads that steal actions and segfault: a Host whose `_run` does nothing;
- `post` fires one rule per event: facts only, asserted in one batch;
- a fact matched by more than 64 rules makes the engine drop every match for it (error 303): each derived fact
  names its rule, so it matches that rule and the catch-all only;
- without a catch-all, a batch with an unhandled fact raises before any handler runs;
- handlers' exceptions are swallowed: handlers only append, and anything they raise is re-raised after the batch;
- strings over 64 KiB are truncated silently: facts carry ids and flags, never clause text;
- one ruleset per process (13 MB each, never freed), one session per document, deleted afterwards;
- on Python 3.13+ its C binding needs PyEval_CallObject, which 3.13 removed: our own checker/_durable_compat.c
  provides it, loaded with global symbol visibility before the engine (see `_load_durable`).
"""
from __future__ import annotations

import itertools
import os
import sys
from dataclasses import dataclass


def _load_durable():
    """Import durable-rules' engine. From Python 3.13 on, first load checker._durable_compat with RTLD_GLOBAL so that
    the binding's reference to PyEval_CallObject resolves to ours when the dynamic linker loads it."""
    if sys.version_info >= (3, 13):
        flags = sys.getdlopenflags()
        sys.setdlopenflags(flags | os.RTLD_GLOBAL)
        try:
            from checker import _durable_compat
        except ImportError as exc:
            raise ImportError(f"checker._durable_compat is not built ({exc}); durable-rules cannot load on Python "
                              f"{sys.version_info.major}.{sys.version_info.minor} without it: reinstall tendercheck "
                              "with `pip install -e .` (needs gcc and the Python headers)") from exc
        finally:
            sys.setdlopenflags(flags)
        if not _durable_compat.PROVIDES_PYEVAL_CALLOBJECT:
            raise ImportError("checker._durable_compat provides no PyEval_CallObject on this build of Python "
                              "(free-threaded?); durable-rules cannot load")
    from durable import engine

    return engine


durable_engine = _load_durable()

RULESET = "tendercheck"
_MAX_STRING = 60_000


class _SyncHost(durable_engine.Host):
    def _run(self):  # no background dispatch threads (stack-notes §1.7)
        pass


@dataclass(frozen=True)
class Fired:
    rule_id: str  # the engine rule's name (a YAML rule may compile to several: `ID#k`)
    facts: dict  # alias → id of the fact matched under that alias

    @property
    def fact_id(self) -> str:  # text rules match one fact, named h
        return self.facts.get("h", next(iter(self.facts.values()), ""))


class Engine:
    """Engine rules are conditions over derived facts, compiled by checker/rules/compile.py. A text rule fires on a
    `hit` fact of its own that is in scope, applicable, not negated and not excepted; a numeric rule joins two facts
    and compares their values; an absence rule fires on a document-end marker when no `present` fact exists."""

    def __init__(self, definitions: dict[str, list[dict]]):
        self._fired: list[Fired] = []
        self._errors: list[BaseException] = []
        self._sessions = itertools.count()
        rules = {name: {"all": conditions, "run": self._handler(name, _aliases(conditions))}
                 for name, conditions in definitions.items()}
        rules["_catch_all"] = {"all": [{"m": {"$ex": {"t": 1}}}], "run": self._ignore}
        self._host = _SyncHost()
        self._host.set_rulesets({RULESET: rules})

    def _handler(self, rule_id: str, aliases: list[str]):
        def handle(c) -> None:
            try:
                self._fired.append(Fired(rule_id, {a: getattr(c, a)["id"] for a in aliases}))
            except BaseException as exc:  # the engine would swallow it
                self._errors.append(exc)
        return handle

    @staticmethod
    def _ignore(c) -> None:
        return None

    def run(self, facts: list[dict]) -> list[Fired]:
        """Assert one document's facts in a fresh session and return what fired."""
        if not facts:
            return []
        sid = f"{os.getpid()}-{next(self._sessions)}"
        batch = []
        for fact in facts:
            for key, value in fact.items():
                if isinstance(value, str) and len(value) > _MAX_STRING:
                    raise ValueError(f"fact {fact.get('id')} field {key} too long for the engine")
            batch.append({**fact, "sid": sid})
        self._fired.clear()
        self._errors.clear()
        try:
            self._host.assert_facts(RULESET, batch)
        finally:
            self._host.delete_state(RULESET, sid)
        if self._errors:
            raise RuntimeError(f"rule handler failed: {self._errors[0]!r}") from self._errors[0]
        return list(self._fired)


def text_rule(rule_id: str) -> list[dict]:
    return [{"h": {"$and": [{"t": "hit"}, {"rule": rule_id}, {"negated": 0}, {"excepted": 0}, {"in_scope": 1},
                            {"applicable": 1}]}}]


def _aliases(conditions: list[dict]) -> list[str]:
    """The named facts a rule binds (durable writes a negated condition as `name$not`)."""
    return [key for cond in conditions for key in cond if "$" not in key]
