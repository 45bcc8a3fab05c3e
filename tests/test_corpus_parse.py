"""The DOCX and PDF renditions of every corpus document parse to the same clauses, with the structure its
expected.yaml records, no running header/footer text inside any clause, and every table cell attributed."""
import pytest
from corpus_cache import NAMES, expected, parsed

from checker.models import ClauseKind
from checker.normalize import for_matching


def clause_keys(doc) -> list[str]:
    keys = []
    for c in doc.clauses:
        if c.kind == ClauseKind.table_cell:
            keys.append(f"cell r{c.location.row} c{c.location.column} {c.norm}")
        elif c.kind != ClauseKind.table_row:
            keys.append(f"{c.kind.value} {c.number or ''} {c.norm}")
    return keys


def test_corpus_is_there():
    assert len(NAMES) >= 4, NAMES


@pytest.mark.parametrize("name", NAMES)
def test_docx_and_pdf_give_the_same_clauses(name):
    docx_keys, pdf_keys = clause_keys(parsed(name, "docx")), clause_keys(parsed(name, "pdf"))
    if docx_keys != pdf_keys:
        import difflib

        diff = "\n".join(list(difflib.unified_diff(docx_keys, pdf_keys, "docx", "pdf", lineterm="", n=1))[:40])
        pytest.fail(f"DOCX and PDF clauses differ:\n{diff}")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", NAMES)
def test_structure_matches_expectation(name, fmt):
    doc, exp = parsed(name, fmt), expected(name)["structure"]
    assert doc.coverage.chapters == exp["chapters"]
    assert doc.coverage.has_front_table == exp["front_table"]
    assert doc.coverage.has_scoring_table == exp["scoring_table"]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", NAMES)
def test_no_header_or_footer_inside_clauses(name, fmt):
    doc = parsed(name, fmt)
    for running in expected(name)["structure"].get("header_footer_texts", []):
        needle = for_matching(running)
        leaked = [c.label for c in doc.clauses if needle in c.norm]
        assert not leaked, f"{running!r} leaked into {leaked[:3]}"
    page_number_lines = [c.text for c in doc.clauses if for_matching(c.text).startswith("第") and "页共" in c.norm]
    assert not page_number_lines


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", NAMES)
def test_every_table_cell_is_attributed(name, fmt):
    doc = parsed(name, fmt)
    cells = [c for c in doc.clauses if c.kind == ClauseKind.table_cell]
    assert cells
    for c in cells:
        loc = c.location
        assert None not in (loc.table, loc.row, loc.column), c
        assert c.table_header, c
        if fmt == "pdf":
            assert loc.page is not None, c


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", NAMES)
def test_labelled_sentences_stay_inside_one_clause(name, fmt):
    """Every planted sentence must reach the rules whole: in exactly one paragraph or table cell."""
    doc = parsed(name, fmt)
    exp = expected(name)
    units = [c.norm for c in doc.clauses if c.kind != ClauseKind.table_row]
    for item in exp.get("flag", []) + exp.get("no_flag", []):
        needle = for_matching(item["text"])
        hits = sum(needle in u for u in units)
        assert hits == 1, f"{item['text']!r} found in {hits} clauses"


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", NAMES)
def test_clauses_after_the_first_chapter_sit_in_a_chapter(name, fmt):
    doc = parsed(name, fmt)
    chapters = set(doc.coverage.chapters)
    inside = False
    for c in doc.clauses:
        if c.label in chapters and c.level == 0:
            inside = True
            assert c.kind == ClauseKind.heading
        elif inside:
            assert c.heading_path and c.heading_path[0] in chapters, c.label
