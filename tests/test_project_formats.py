"""`tendercheck project --format html|xlsx|sarif` (issue 17): the project report in `check`'s formats and look, the
timeline included; SARIF valid against the official schema."""
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import cli

ROOT = Path(__file__).resolve().parents[1]
DOSSIER = ROOT / "corpus" / "projects" / "works_violations"
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    d = tmp_path_factory.mktemp("pf")
    runner = CliRunner()
    out = {}
    for fmt in ("json", "html", "sarif", "xlsx"):
        path = d / f"p.{fmt}"
        r = runner.invoke(cli.main, ["project", str(DOSSIER), "--format", fmt, "-o", str(path)])
        assert r.exit_code == 1, r.output  # the dossier has 违法 findings
        out[fmt] = path
    return out


def test_html_has_check_look_timeline_and_every_finding(outputs):
    page = outputs["html"].read_text(encoding="utf-8")
    report = json.loads(outputs["json"].read_text(encoding="utf-8"))
    check_css = re.search(r"<style>(.*?)</style>", (ROOT / "checker/report/templates/report.html.j2").read_text(
        encoding="utf-8"), re.S).group(1)
    assert check_css.strip() in page  # the same stylesheet as check's report
    assert "<script" not in page and not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|//)""", page)
    assert 'id="timeline"' in page and all(e["event"] in page for e in report["timeline"])
    assert page.count('class="finding ') == len(report["findings"]) + sum(len(d["findings"])
                                                                         for d in report["documents"])
    for f in report["findings"]:
        assert f'id="p-{f["fingerprint"]}"' in page
    assert "未通过" in page and 'href="#stage-S7"' in page


def test_xlsx_sheets(outputs):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(outputs["xlsx"].read_bytes()))
    assert wb.sheetnames == ["问题清单", "时间线", "文件", "规则结果"]
    report = json.loads(outputs["json"].read_text(encoding="utf-8"))
    ws = wb["问题清单"]
    assert [c.value for c in ws[1]][:3] == ["序号", "文件", "阶段"] and ws.auto_filter.ref
    n = len(report["findings"]) + sum(len(d["findings"]) for d in report["documents"])
    assert ws.max_row == 1 + n
    assert wb["时间线"].max_row == 1 + len(report["timeline"])


def test_sarif_is_valid_and_locates_project_findings_in_documents(outputs):
    log = json.loads(outputs["sarif"].read_text(encoding="utf-8"))
    if SARIF_SCHEMA.exists():
        validator = jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
        errors = list(validator.iter_errors(log))
        assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    run = log["runs"][0]
    report = json.loads(outputs["json"].read_text(encoding="utf-8"))
    assert len(run["artifacts"]) == len(report["documents"])
    project = [r for r in run["results"] if r["properties"].get("scope") == "project"]
    assert len(project) == len(report["findings"])
    clar = next(r for r in project if r["ruleId"] == "CLAR-15D-RULE")
    uris = [clar["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]] + [
        x["physicalLocation"]["artifactLocation"]["uri"] for x in clar.get("relatedLocations", [])]
    assert len(uris) == 2 and all(run["artifacts"][i]["location"]["uri"] in uris for i in (
        clar["locations"][0]["physicalLocation"]["artifactLocation"]["index"],))


def test_xlsx_needs_output(tmp_path):
    r = CliRunner().invoke(cli.main, ["project", str(DOSSIER), "--format", "xlsx"])
    assert r.exit_code == 2 and "--output" in r.output
