"""The durable-rules adapter and the four-valued rule results."""
import pytest

from checker.engine import Engine, text_rule
from checker.findings import Outcome
from checker.ingest.text_reader import read_text
from checker.models import DocFormat, Source
from checker.pipeline import Checker
from checker.rules.loader import RulePack, load_pack
from checker.segment import segment

BASE = load_pack()
LOCAL = BASE.get("DQ-LOCAL-REGISTRATION")


def doc_of(text: str):
    src = Source(path="t.txt", sha256="0" * 64, format=DocFormat.text, size=len(text))
    return segment(read_text(text, src))


def pack_of(rules) -> RulePack:
    return RulePack(name="t", version="t", rules=tuple(rules), files={})


def test_seventy_rules_on_one_clause_all_fire():
    """durable-rules drops every match of a fact that more than 64 rules match (stack-notes §1); each derived hit
    fact names its own rule, so seventy rules hitting one clause still give seventy findings."""
    rules = [LOCAL.model_copy(update={"id": f"DQ-LOCAL-X{i}"}) for i in range(70)]
    checker = Checker(pack=pack_of(rules))
    report = checker.check(doc_of("第三章 资格要求\n投标人须在本市注册并设立分公司。"), regime="工程", doc_type="招标文件", template=None)
    assert len({f.rule_id for f in report.findings}) == 70


def test_sessions_do_not_leak_between_documents():
    checker = Checker(pack=pack_of([LOCAL]))
    doc = doc_of("投标人须在本市注册。")
    first = checker.check(doc, regime="工程", doc_type="招标文件", template=None)
    second = checker.check(doc, regime="工程", doc_type="招标文件", template=None)
    assert len(first.findings) == len(second.findings) == 1
    clean = checker.check(doc_of("投标人应具有独立法人资格。"), regime="工程", doc_type="招标文件", template=None)
    assert clean.findings == []


def test_handler_exceptions_are_raised_not_swallowed():
    class Broken(Engine):
        def _handler(self, rule_id, aliases):
            def handle(c):
                try:
                    raise ValueError("boom")
                except BaseException as exc:
                    self._errors.append(exc)
            return handle

    engine = Broken({"R-ONE": text_rule("R-ONE")})
    fact = {"id": "h0", "t": "hit", "rule": "R-ONE", "clause": "c1", "negated": 0, "excepted": 0, "in_scope": 1,
            "applicable": 1}
    with pytest.raises(RuntimeError, match="boom"):
        engine.run([fact])


def test_suppressed_hits_do_not_fire():
    engine = Engine({"R-ONE": text_rule("R-ONE")})
    base = {"t": "hit", "rule": "R-ONE", "clause": "c1", "negated": 0, "excepted": 0, "in_scope": 1, "applicable": 1}
    facts = [dict(base, id="a"), dict(base, id="b", negated=1), dict(base, id="c", excepted=1),
             dict(base, id="d", in_scope=0), dict(base, id="e", applicable=0)]
    assert [f.fact_id for f in engine.run(facts)] == ["a"]


def test_four_valued_results():
    checker = Checker(pack=BASE)
    doc = doc_of("第一章 投标人须知\n1.1 投标人须在本市注册。")
    results = {r.rule_id: r for r in checker.check(doc, regime="工程", doc_type="招标文件", template=None).results}
    assert results["DQ-LOCAL-REGISTRATION"].outcome == Outcome.flag
    gov_only = [r for r in BASE.rules if r.regime.value == "政府采购"]
    assert gov_only and all(results[r.id].outcome == Outcome.not_applicable for r in gov_only)
    assert "政府采购" in results[gov_only[0].id].reason
    scoring_only = [r for r in BASE.rules if r.scope == ["评分标准"] and r.regime.value != "政府采购"]
    assert scoring_only
    for r in scoring_only:  # the document has no scoring section: the rule says it could not check
        reason = results[r.id].reason  # (an undated document leaves a dated rule's version unsettled first)
        assert results[r.id].outcome == Outcome.missing_data
        assert "评分标准" in reason or ((r.valid_from or r.valid_to) and "文件日期" in reason), (r.id, reason)
    assert any(r.outcome == Outcome.no_flag for r in results.values())


def test_wrong_document_type_is_not_applicable():
    checker = Checker(pack=pack_of([LOCAL]))
    report = checker.check(doc_of("投标人须在本市注册。"), regime="工程", doc_type="中标通知书", template=None)
    assert report.findings == [] and report.results[0].outcome == Outcome.not_applicable


def test_fingerprint_ignores_position_and_spacing():
    checker = Checker(pack=pack_of([LOCAL]))
    a = checker.check(doc_of("前言\n投标人须在本市注册。"), regime="工程", doc_type="招标文件", template=None).findings[0]
    b = checker.check(doc_of("投标人须在 本市注册。"), regime="工程", doc_type="招标文件", template=None).findings[0]
    assert a.fingerprint == b.fingerprint and a.clause_id != b.clause_id


_CALLBACK_PROBE = """
from checker.engine import _SyncHost
out = []
for value in (0, 42, 100000, -3, None, "x"):
    host = _SyncHost()
    host.set_rulesets({"r": {"a": {"all": [{"m": {"t": "x"}}], "run": lambda c: None}}})
    host.get_ruleset("r").set_queue_message_callback(lambda *args, value=value: value)
    try:
        host.assert_fact("r", {"t": "x", "sid": "s"})
        out.append("ok")
    except Exception as exc:
        out.append(str(exc).rsplit(" ", 1)[-1])
print(",".join(out))
"""


def test_engine_binding_gets_callback_results_intact():
    """durable-rules' binding calls back into Python through PyEval_CallObject, which Python 3.13 removed and
    checker/_durable_compat.c provides (the binding keeps only 32 bits of the pointer it returns). A callback's int
    reaches the engine unchanged, anything else is its ERR_UNEXPECTED_TYPE (102), as on 3.12. In a subprocess: a wrong
    pointer would crash the interpreter."""
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", _CALLBACK_PROBE], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "ok,42,100000,-3,102,102"
