"""A bounded fuzz target over the readers (issue 16): whatever the bytes, reading ends in a document or in one of
the tool's own errors (TenderCheckError: a one-line message and its exit code), never in another exception, and
generated structures that are valid (nesting, invisible characters, odd numbering) go all the way through `check`.

CI runs it briefly with the rest of the suite; a longer local run:  TENDERCHECK_FUZZ_EXAMPLES=2000 pytest
tests/test_fuzz.py. Inputs are generated (tests/hostile.py builds the packages), nothing is committed."""
import os
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import hostile  # noqa: E402
from checker.errors import TenderCheckError  # noqa: E402
from checker.ingest import parse  # noqa: E402

EXAMPLES = int(os.environ.get("TENDERCHECK_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=not os.environ.get(
    "TENDERCHECK_FUZZ_RANDOM"), suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def checker():
    from checker.pipeline import Checker

    return Checker()


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    d = tmp_path_factory.mktemp("seeds")
    pdf = hostile.flate_pdf(d / "seed.pdf", [f"Clause {i}: the bidder shall register locally." for i in range(20)])
    docx = hostile.nested_wrappers(d, "w:ins", depth=3)
    return {"pdf": pdf.read_bytes(), "docx": docx.read_bytes(), "txt": (ROOT / "tests" / "fixtures" / "bad" /
                                                                        "ok.txt").read_bytes()}


def _read(tmp_path, suffix: str, data: bytes):
    path = tmp_path / f"fuzz.{suffix}"
    path.write_bytes(data)
    try:
        return parse(path)
    except TenderCheckError:
        return None


mutation = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.sampled_from(["flip", "zero", "cut", "dup"]),
                              st.integers(1, 64)), min_size=1, max_size=4)


def _mutate(data: bytes, ops) -> bytes:
    b = bytearray(data)
    for where, op, n in ops:
        i = int(where * len(b)) if b else 0
        if op == "flip":
            b[i:i + n] = bytes(x ^ 0x5A for x in b[i:i + n])
        elif op == "zero":
            b[i:i + n] = bytes(len(b[i:i + n]))
        elif op == "cut":
            del b[i:i + n]
        else:
            b[i:i] = b[i:i + n]
    return bytes(b)


@pytest.mark.parametrize("kind", ["pdf", "docx", "txt"])
@FUZZ
@given(ops=mutation)
def test_mutated_files_end_in_a_document_or_our_error(tmp_path, seeds, kind, ops):
    _read(tmp_path, kind, _mutate(seeds[kind], ops))


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(["txt", "pdf", "docx", "doc"]))
def test_arbitrary_bytes_under_any_name(tmp_path, data, suffix):
    _read(tmp_path, suffix, data)


# Valid WordprocessingML built from a small grammar: paragraphs, tables, tracked insertions, content controls, at
# random depths, with text that mixes a violating phrase, invisible characters and markup-significant characters.
_TEXT = st.text(alphabet=st.sampled_from(list("投标人须在本市注册国有企业第一章。，（）1<&>\"'") +
                                         ["\u200b", "\u00ad", "\ufeff", "\ufe0f", "\u2060", "\x0b"]), max_size=30)


def _xml_text(t: str) -> str:
    return "".join(c for c in t if c in "\t\n\r" or ord(c) >= 0x20).replace("&", "&amp;").replace("<", "&lt;") \
        .replace(">", "&gt;")


_run = _TEXT.map(lambda t: f'<w:r><w:t xml:space="preserve">{_xml_text(t)}</w:t></w:r>')
_inline = st.recursive(_run, lambda inner: st.one_of(
    inner.map(lambda x: f'<w:ins w:id="1" w:author="a">{x}</w:ins>'),
    inner.map(lambda x: f"<w:sdt><w:sdtContent>{x}</w:sdtContent></w:sdt>"),
    st.lists(inner, min_size=1, max_size=3).map("".join)), max_leaves=12)
_para = _inline.map(lambda x: f"<w:p>{x}</w:p>")
_block = st.recursive(_para, lambda inner: st.one_of(
    st.lists(inner, min_size=1, max_size=3).map(lambda cs: "<w:tbl><w:tr>" + "".join(f"<w:tc>{c}</w:tc>" for c in cs)
                                                + "</w:tr></w:tbl>"),
    inner.map(lambda x: f"<w:sdt><w:sdtContent>{x}</w:sdtContent></w:sdt>"),
    st.lists(inner, min_size=1, max_size=4).map("".join)), max_leaves=16)


@FUZZ
@given(body=st.lists(_block, min_size=1, max_size=6).map("".join))
def test_generated_structures_go_through_check(tmp_path, checker, body):
    path = hostile.docx(tmp_path / "gen.docx", hostile.para(hostile.HEAD) + body)
    try:
        doc = parse(path)
    except TenderCheckError:
        return
    report = checker.check(doc)
    assert all(f.excerpt is not None for f in report.findings)
