"""The rule pack on the labelled corpus: every planted violation is found by its rule and every look-alike is left
alone, in the DOCX and the PDF rendition alike (bench/eval_corpus.py prints the same as numbers)."""
import pytest
from corpus_cache import NAMES, expected, parsed

from checker.evaluate import score_document



@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", NAMES)
def test_labelled_clauses(name, fmt, checker):
    score = score_document(checker, parsed(name, fmt), expected(name))
    assert not score.missed, "\n".join(score.missed)
    assert not score.false_alarms, "\n".join(score.false_alarms)


@pytest.mark.parametrize("name", NAMES)
def test_docx_and_pdf_get_the_same_findings(name, checker):
    def keys(fmt):
        report = checker.check(parsed(name, fmt))
        return sorted((f.rule_id, f.fingerprint) for f in report.findings)

    assert keys("docx") == keys("pdf")


def test_clean_twin_has_no_errors(checker):
    clean = [n for n in NAMES if not expected(n).get("flag")]
    assert clean, "the corpus keeps a clean twin"
    for name in clean:
        for fmt in ("docx", "pdf"):
            report = checker.check(parsed(name, fmt))
            assert [f for f in report.findings if f.severity.value == "error"] == [], name
