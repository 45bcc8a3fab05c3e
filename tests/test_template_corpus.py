"""Template corpus (corpus/templates): a model text, its spec, and tender files made from it, in DOCX and PDF.

Every change listed in expected.yaml is found exactly once, nothing else is reported; the faithful and the
cosmetic-only tender files give no finding — whichever format the template and the document come in.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import cli
from checker.findings import Finding
from checker.ingest import parse
from checker.template import bundled_spec, build_template, check_template, load_template, save_template

ROOT = Path(__file__).resolve().parents[1]
TPL = ROOT / "corpus" / "templates"
EXPECTED = yaml.safe_load((TPL / "expected.yaml").read_text(encoding="utf-8"))
DOCS = sorted(EXPECTED["documents"])
CHANGE_LABEL = {"modified": ("实质性修改", "文字修改"), "deleted": ("删除",), "added": ("增加",)}


@lru_cache(maxsize=None)
def template(fmt: str):
    return build_template(TPL / f"model.{fmt}", TPL / EXPECTED["spec"])


@lru_cache(maxsize=None)
def document(name: str, fmt: str):
    return parse(TPL / f"{name}.{fmt}")


def _matches(f: Finding, want: dict) -> bool:
    if f.rule_id != want["rule"] or f.severity.value != want["severity"]:
        return False
    if want.get("number") and f.clause_number != want["number"]:
        return False
    if want["change"] in CHANGE_LABEL and f.values.get("修改类型") not in CHANGE_LABEL[want["change"]]:
        return False
    return want["text"] in f.excerpt + "\n" + "\n".join(f.values.values())


def test_corpus_files_exist():
    for name in ["model", *DOCS]:
        for fmt in EXPECTED["formats"]:
            assert (TPL / f"{name}.{fmt}").stat().st_size > 0, f"{name}.{fmt}"
    assert EXPECTED["documents"]["tender_faithful"]["findings"] == []
    assert EXPECTED["documents"]["tender_cosmetic"]["findings"] == []
    assert EXPECTED["documents"]["tender_cosmetic"]["cosmetic_edits"] >= 5
    assert 15 <= EXPECTED["model_pdf_pages"] <= 35


@pytest.mark.parametrize("tpl_fmt", ["docx", "pdf"])
def test_model_compiles_the_same_from_docx_and_pdf(tpl_fmt):
    t = template(tpl_fmt)
    other = template("pdf" if tpl_fmt == "docx" else "docx")
    assert [c.fp for c in t.clauses] == [c.fp for c in other.clauses]
    by_region = {r.key: r.mode for r in t.regions}
    assert [k for k, m in by_region.items() if m == "locked"] == ["1", "2", "3.0"]
    assert len(t.clauses) > 300


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("name", DOCS)
def test_each_change_found_exactly_once(name, fmt):
    want = EXPECTED["documents"][name]["findings"]
    found = check_template(document(name, fmt), template("docx"))
    shown = [(f.rule_id, f.severity.value, f.clause_number, f.excerpt[:40]) for f in found]
    for w in want:
        hits = [f for f in found if _matches(f, w)]
        assert len(hits) == 1, (w, shown)
    assert len(found) == len(want), shown


@pytest.mark.parametrize("name", ["tender_faithful", "tender_cosmetic", "tender_reworded"])
def test_pdf_template_against_docx_document(name):
    want = EXPECTED["documents"][name]["findings"]
    found = check_template(document(name, "docx"), template("pdf"))
    assert len(found) == len(want) and all(sum(_matches(f, w) for f in found) == 1 for w in want)


def test_modified_clause_carries_a_token_diff():
    found = check_template(document("tender_reworded", "pdf"), template("docx"))
    f = next(f for f in found if f.clause_number == "2.2.2")
    changed = [s for s in f.diff if s.kind != "equal"]
    assert [(s.template, s.document, s.kind) for s in changed] == [("15", "10", "substantive")]
    assert "".join(s.template for s in f.diff).startswith("招标文件的澄清将在投标截止时间15天前")
    assert "".join(s.document for s in f.diff) == f.excerpt
    assert f.values["模板条款"].startswith("2.2.2 ") and f.values["变化"] == "「15」→「10」"
    assert f.matched == ["10"] and f.stage == "S2" and f.basis[0].verified == "原文-L"
    clause = next(c for c in document("tender_reworded", "pdf").clauses if c.id == f.clause_id)
    assert f.fingerprint == Finding.make_fingerprint("STD-VERBATIM-SECTIONS", clause.norm)
    data = json.loads(f.model_dump_json())
    assert data["diff"][1] == {"op": "replace", "template": "15", "document": "10", "kind": "substantive"}


def test_findings_are_stable_across_formats():
    def key(name, fmt):
        return [(f.rule_id, f.clause_number, f.fingerprint)
                for f in check_template(document(name, fmt), template("docx"))]

    for name in DOCS:
        assert key(name, "docx") == key(name, "pdf"), name


def test_spec_alone_checks_structure_and_blanks_only():
    spec = bundled_spec("招标文件")
    for name in ["tender_faithful", "tender_reworded", "tender_conflict"]:
        assert check_template(document(name, "docx"), spec) == []
    blanks = check_template(document("tender_blanks", "docx"), spec)
    assert {f.rule_id for f in blanks} == {"STD-BLANKS-UNFILLED"} and len(blanks) == 3


@pytest.mark.parametrize("name,doc_type", [("works_tender", "招标文件"), ("works_prequal", "资格预审文件")])
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_bundled_specs_fit_the_main_corpus(name, doc_type, fmt):
    doc = parse(ROOT / "corpus" / f"{name}.{fmt}")
    assert check_template(doc, bundled_spec(doc_type)) == []


def test_template_file_round_trip(tmp_path):
    path = tmp_path / "m.template.json"
    save_template(template("docx"), path)
    loaded = load_template(path)
    assert loaded == template("docx")
    found = check_template(document("tender_deleted", "docx"), loaded)
    assert len(found) == len(EXPECTED["documents"]["tender_deleted"]["findings"])


def test_cli_build_and_show(tmp_path):
    out = tmp_path / "model.template.json"
    runner = CliRunner()
    res = runner.invoke(cli.main, ["template", "build", str(TPL / "model.docx"), "--spec",
                                   str(TPL / "model.spec.yaml"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "tendercheck-template"
    res = runner.invoke(cli.main, ["template", "show", str(out)])
    assert res.exit_code == 0 and "原样引用" in res.output and "第二节 专用合同条款" in res.output
    res = runner.invoke(cli.main, ["template", "show", "资格预审文件"])
    assert res.exit_code == 0 and "申请人须知" in res.output
    res = runner.invoke(cli.main, ["template", "show", str(tmp_path / "missing.json")])
    assert res.exit_code == 2 and res.stderr.startswith("tendercheck: ")


def test_resolve_a_model_document(tmp_path):
    from checker.errors import UsageError
    from checker.template import resolve_template

    model = tmp_path / "范本.docx"
    model.write_bytes((TPL / "model.docx").read_bytes())
    with pytest.raises(UsageError, match="规格文件"):
        resolve_template(str(model))
    (tmp_path / "范本.spec.yaml").write_bytes((TPL / "model.spec.yaml").read_bytes())
    built = resolve_template(str(model))  # compiled on the fly with the spec beside it
    assert len(built.clauses) == len(template("docx").clauses)
    save_template(built, tmp_path / "范本.template.json")
    (tmp_path / "范本.spec.yaml").unlink()
    assert resolve_template(str(model)) == built  # the compiled file beside it, same sha256
    model.write_bytes((TPL / "tender_faithful.docx").read_bytes())  # the model changed: the compiled file is stale
    with pytest.raises(UsageError, match="规格文件"):
        resolve_template(str(model))
    assert resolve_template("招标文件").id == "std-works-tender-2007"
