"""Machine outputs: the JSON schema, SARIF 2.1.0 against the official schema, JUnit XML, XLSX, plain text."""
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from corpus_cache import parsed

from checker.findings import Report
from checker.pipeline import Checker
from checker.report.gate import render
from checker.report.sarif import FINGERPRINT_KEY, artifact_uri, sarif_log
from checker.schemas import REPORT_SCHEMA_PATH, report_schema_text
from checker.waivers import Waiver, apply_baseline, apply_waivers

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a test dependency: pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parents[1]
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def checker():
    return Checker()


@pytest.fixture(scope="module")
def pdf_report(checker) -> Report:
    return checker.check(parsed("works_tender", "pdf"))


@pytest.fixture(scope="module")
def docx_report(checker) -> Report:
    return checker.check(parsed("gp_goods_tender", "docx"))


def _waived(report: Report) -> Report:
    """The first finding waived, plus an expired and an unmatched waiver."""
    f = report.findings[0]
    return apply_waivers(report, [
        Waiver(rule=f.rule_id, fingerprint=f.fingerprint, reason="同意", approver="张三", expires=date(2999, 1, 1)),
        Waiver(rule=f.rule_id, fingerprint=f.fingerprint, reason="旧", approver="李四", expires=date(2000, 1, 1)),
        Waiver(rule="DQ-SCALE-CONDITIONS", clause="不存在的条款文字", reason="无", approver="王五",
               expires=date(2999, 1, 1)),
    ])


# ------------------------------------------------------------------------------------------------------------ JSON


def test_shipped_json_schema_is_up_to_date():
    assert REPORT_SCHEMA_PATH.read_text(encoding="utf-8") == report_schema_text(), \
        "checker/schemas/report.schema.json is stale: run `python -m checker.schemas` and commit the result"


def test_real_reports_validate_against_the_json_schema(pdf_report, docx_report):
    schema = json.loads(REPORT_SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    for report in (pdf_report, docx_report, _waived(pdf_report)):
        data = json.loads(render(report, "json"))
        assert data["schema_version"] == "1"
        validator.validate(data)
    bad = json.loads(render(pdf_report, "json"))
    bad["findings"][0]["severity"] = "fatal"
    assert not validator.is_valid(bad)


def test_json_report_has_what_a_platform_needs(pdf_report):
    data = json.loads(render(pdf_report, "json"))
    assert {"tool_version", "rulepack_version", "document", "findings", "results", "coverage"} <= set(data)
    assert {"path", "sha256"} <= set(data["document"]["source"])
    f = data["findings"][0]
    for key in ("rule_id", "severity", "stage", "message", "suggestion", "basis", "clause_id", "clause_number",
                "heading_path", "location", "excerpt", "values", "fingerprint", "waived"):
        assert key in f
    assert f["location"]["page"] is not None


# ----------------------------------------------------------------------------------------------------------- SARIF


@pytest.fixture(scope="module")
def sarif_validator():
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"the official SARIF schema is not at {SARIF_SCHEMA} (CI keeps ../shared beside the clone)")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def test_sarif_validates_against_the_official_schema(sarif_validator, pdf_report, docx_report, checker):
    for report in (pdf_report, docx_report, _waived(pdf_report)):
        log = json.loads(render(report, "sarif", pack=checker.pack))
        errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    baseline = apply_baseline(pdf_report, {pdf_report.findings[0].fingerprint}, "prev.json")
    sarif_validator.validate(json.loads(render(baseline, "sarif", pack=checker.pack)))


def test_sarif_content(pdf_report, checker):
    log = sarif_log(_waived(pdf_report), pack=checker.pack)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == {r.id for r in checker.pack.rules}
    for r in rules:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert "建议" in r["help"]["text"] and "依据" in r["help"]["text"] and "《" in r["help"]["text"]
        assert r["properties"]["tags"]
    results = run["results"]
    assert len(results) == len(pdf_report.findings)
    for res, f in zip(results, pdf_report.findings):
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"] == f.rule_id
        assert res["partialFingerprints"][FINGERPRINT_KEY] == f.fingerprint
        if f.severity.value in ("warning", "info"):  # judgement calls: SARIF §3.27.9: level "none", kind "review"
            assert res["kind"] == "review" and res["level"] == "none"
        else:
            assert res["kind"] == "fail" and res["level"] == {"error": "error", "info": "note"}[f.severity.value]
        loc = res["locations"][0]
        region = loc["physicalLocation"]["region"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"] == artifact_uri(pdf_report.document.source.path)
        assert region["snippet"]["text"] == f.excerpt and region["properties"]["page"] == f.location.page
        assert region["startLine"] == f.location.paragraph + 1
        assert loc["logicalLocations"][0]["fullyQualifiedName"].startswith(f.heading_path[0])
    assert any(r["kind"] == "review" for r in results), "the works tender has judgement-call findings"
    assert results[0]["suppressions"][0]["justification"] == "同意"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert {n["descriptor"]["id"] for n in notes} >= {"waiver-expired", "waiver-unmatched"}


def test_sarif_uri_of_a_chinese_file_name():
    assert artifact_uri("招标 文件.pdf") == "%E6%8B%9B%E6%A0%87%20%E6%96%87%E4%BB%B6.pdf"
    assert artifact_uri("/srv/上传/a.docx") == "file:///srv/%E4%B8%8A%E4%BC%A0/a.docx"


# ----------------------------------------------------------------------------------------------------------- JUnit


def test_junit_has_one_testcase_per_rule(pdf_report):
    report = _waived(pdf_report)
    root = ET.fromstring(render(report, "junit").encode("utf-8"))
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(report.results) == int(suite.get("tests"))
    assert len({c.get("name").split()[0] for c in cases}) == len(cases)
    failing_rules = {f.rule_id for f in report.findings if f.severity.value == "error" and not f.waived}
    failed = {c.get("name").split()[0] for c in cases if c.find("failure") is not None}
    assert failed == failing_rules and int(suite.get("failures")) == len(failing_rules)
    skipped = [c for c in cases if c.find("skipped") is not None]
    assert len(skipped) == sum(1 for r in report.results if r.outcome.value in ("not_applicable", "missing_data"))
    warning_rule = next(f.rule_id for f in report.findings if f.severity.value == "warning")
    case = next(c for c in cases if c.get("name").startswith(warning_rule + " "))
    assert case.find("failure") is None and warning_rule in case.find("system-out").text
    strict = ET.fromstring(render(report, "junit", fail_on="warning").encode("utf-8"))
    assert int(strict.find("testsuite").get("failures")) > len(failing_rules)


# ------------------------------------------------------------------------------------------------------------ XLSX


def test_xlsx_has_one_row_per_finding(docx_report):
    openpyxl = pytest.importorskip("openpyxl")
    report = _waived(docx_report)
    wb = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))
    ws = wb["问题清单"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "阶段", "级别", "规则")
    assert len(rows) == 1 + len(report.findings)
    header = rows[0]
    for row, f in zip(rows[1:], report.findings):
        assert row[header.index("规则")] == f.rule_id and row[header.index("原文")] == f.excerpt
        assert row[header.index("指纹")] == f.fingerprint
    assert rows[1][header.index("豁免")].startswith("同意")
    assert {"概况", "规则结果"} <= set(wb.sheetnames)
    assert wb["规则结果"].max_row == 1 + len(report.results)


def test_xlsx_never_writes_document_text_as_a_formula(docx_report):
    openpyxl = pytest.importorskip("openpyxl")
    f = docx_report.findings[0].model_copy(update={"excerpt": "=HYPERLINK(\"http://x\")\x07"})
    report = docx_report.model_copy(update={"findings": [f]})
    ws = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))["问题清单"]
    cell = ws.cell(row=2, column=10)
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"


# ------------------------------------------------------------------------------------------------------------ text


def test_plain_text_report(pdf_report):
    report = _waived(pdf_report)
    text = render(report, "text")
    assert "\x1b[" not in text
    for f in report.findings:
        assert f.rule_id in text
    assert "S2 发布资格预审文件或招标文件" in text and "第3页" in text
    last = text.strip().splitlines()[-1]
    assert last.startswith("共 ") and "未通过（--fail-on error）" in last and "豁免过期 1 条、未匹配 1 条" in last
    assert "已豁免" in text


def test_the_same_text_flagged_twice_is_one_finding_with_every_place(checker):
    """A requirement repeated (in the 公告 and again in the 须知, or a table row on every page) is one finding."""
    from checker.ingest.text_reader import read_text
    from checker.models import DocFormat, Source
    from checker.segment import segment

    text = "第一章 招标公告\n投标人须在本市注册。\n第二章 投标人须知\n投标人须在本市注册。\n"
    doc = segment(read_text(text, Source(path="t.txt", sha256="0" * 64, format=DocFormat.text, size=len(text))))
    report = checker.check(doc, regime="政府采购", doc_type="招标文件", only={"DQ-LOCAL-REGISTRATION"})
    assert len(report.findings) == 1 and len(report.findings[0].also_at) == 1
    log = sarif_log(report)
    result = log["runs"][0]["results"][0]
    assert len(result["relatedLocations"]) == 1
    if SARIF_SCHEMA.exists():
        jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
