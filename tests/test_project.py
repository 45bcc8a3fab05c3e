"""`tendercheck project DIR` on the bundled dossiers: exactly the expected project findings (no extras), missing stage
documents reported as missing data, the manifest winning over detection, registration records in every format."""
import shutil
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from checker.findings import Outcome
from checker.project.model import load_manifest, load_registration
from checker.project.runner import ProjectChecker, load_project_pack
from checker.rules.loader import load_pack

PROJECTS = Path(__file__).resolve().parents[1] / "corpus" / "projects"
DOSSIERS = sorted(p.name for p in PROJECTS.iterdir() if p.is_dir() and (p / "expected.yaml").exists())


@pytest.fixture(scope="module")
def report_of(project_checker):
    """Each bundled dossier's report, checked once per module."""
    return lru_cache(maxsize=None)(lambda name: project_checker.check_dir(PROJECTS / name))


def expected(name: str) -> dict:
    return yaml.safe_load((PROJECTS / name / "expected.yaml").read_text(encoding="utf-8"))


def result(report, rule_id):
    return next(r for r in report.results if r.rule_id == rule_id)


def test_three_dossiers_one_clean():
    assert len(DOSSIERS) >= 3
    assert [n for n in DOSSIERS if not expected(n)["findings"]], "a clean dossier"
    stages = {e["stage"] for n in DOSSIERS for e in expected(n)["findings"]}
    assert len(stages) >= 5, "violations at different stages"
    formats = {p.suffix for n in DOSSIERS for p in (PROJECTS / n).iterdir()}
    assert {".docx", ".pdf"} <= formats


@pytest.mark.parametrize("name", DOSSIERS)
def test_expected_project_findings_exactly(name, report_of):
    report, exp = report_of(name), expected(name)
    left = list(report.findings)
    for e in exp["findings"]:
        hits = [f for f in left if f.rule_id == e["rule"] and e["contains"] in f.values.get("比较", "")]
        assert len(hits) == 1, f"{e['rule']} 「{e['contains']}」: {len(hits)} findings; have " + "; ".join(
            f"{f.rule_id}: {f.values.get('比较')}" for f in report.findings)
        assert hits[0].stage == e["stage"]
        left.remove(hits[0])
    assert not left, "unexpected: " + "; ".join(f"{f.rule_id}: {f.values.get('比较')}" for f in left)


@pytest.mark.parametrize("name", DOSSIERS)
def test_expected_document_findings_exactly(name, report_of):
    report, exp = report_of(name), expected(name)
    got = sorted((d.path, f.rule_id) for d in report.documents for f in d.findings)
    want = sorted((e["path"], e["rule"]) for e in exp.get("document_findings", []))
    assert got == want


@pytest.mark.parametrize("name", DOSSIERS)
def test_project_meta_and_timeline(name, report_of):
    report, exp = report_of(name), expected(name)
    assert report.project.name == exp["project"]
    assert report.project.regime == exp["regime"]
    assert report.project.state_funded == exp["state_funded"]
    assert len(report.documents) == exp["documents"]
    assert all(d.error is None for d in report.documents)
    dates = [e.date[:10] for e in report.timeline]
    assert dates == sorted(dates) and len(dates) >= 8
    # every document of a stage type carries the stage of the online routine check
    assert all(d.stage in ("S2", "S3", "S4", "S5", "S6", "S7") for d in report.documents)


def test_every_finding_names_its_documents_and_values(report_of):
    for name in DOSSIERS:
        for f in report_of(name).findings:
            assert f.documents and f.values.get("比较"), f.rule_id
            assert f.basis and f.fingerprint


def test_lead_example_comparison_line(report_of):
    f = next(f for f in report_of("works_violations").findings if f.rule_id == "CONT-30D")
    assert f.values["比较"] == "中标通知书 2026-04-20 → 合同 2026-06-02 = 43日 > 30日"
    assert [d.doc_type for d in f.documents] == ["中标通知书", "合同"]


def test_clean_dossier_every_rule_ran_or_does_not_apply(project_checker, report_of):
    report = report_of("works_clean")
    outcomes = {r.rule_id: r.outcome for r in report.results}
    assert set(outcomes) == {r.id for r in project_checker.pack.rules}
    assert Outcome.missing_data not in outcomes.values()
    assert Outcome.flag not in outcomes.values()


def test_postponement_is_the_deadline_compared(report_of):
    fact = next(f for f in report_of("works_clean").facts if f.name == "澄清至投标截止")
    assert fact.shown == "21日" and "顺延" in fact.comparison and "2026-04-03 09:30" in fact.comparison


def _copy(name, tmp_path, drop=()):
    target = tmp_path / name
    shutil.copytree(PROJECTS / name, target)
    for n in drop:
        (target / n).unlink()
    return target


def test_missing_stage_document_is_missing_data(tmp_path, project_checker):
    target = _copy("works_violations", tmp_path, drop=["07_中标通知书.docx"])
    report = project_checker.check_dir(target)
    assert not [f for f in report.findings if f.rule_id == "CONT-30D"]
    r = result(report, "CONT-30D")
    assert r.outcome == Outcome.missing_data and "缺少中标通知书" in r.reason
    assert report.missing_documents.get("S6") == ["中标通知书"]
    # the winner is still known from the 中标结果公告
    assert any(f.rule_id == "AWARD-FIRST-RANKED" for f in report.findings)


def test_missing_evaluation_report(tmp_path, project_checker):
    target = _copy("works_violations", tmp_path, drop=["04_评标报告.pdf"])
    report = project_checker.check_dir(target)
    r = result(report, "EVAL-COMMITTEE-COMPOSITION")
    assert r.outcome == Outcome.missing_data and "缺少评标报告" in r.reason
    assert result(report, "EVAL-TOO-FEW-BIDDERS").outcome == Outcome.missing_data
    # candidates are read from the 中标候选人公示 instead
    assert any(f.rule_id == "AWARD-FIRST-RANKED" for f in report.findings)
    assert report.missing_documents["S4"] == ["评标报告"]


def test_missing_registration_is_missing_data(tmp_path, project_checker):
    target = _copy("works_clean", tmp_path, drop=["registration.yaml"])
    report = project_checker.check_dir(target)
    r = result(report, "PRJ-MUST-TENDER-SCOPE")
    assert r.outcome == Outcome.missing_data and "项目登记" in r.reason
    # the funding nature then comes from the 招标文件 (财政预算资金, 出资比例100%)
    assert report.project.state_funded is True and "招标" in report.project.state_funded_from


def test_manifest_overrides_detection(tmp_path, project_checker):
    target = _copy("gp_violations", tmp_path)
    with_manifest = project_checker.check_dir(target)
    doc = next(d for d in with_manifest.documents if d.path == "07_合同信息公开.docx")
    assert (doc.doc_type, doc.stage, doc.type_from) == ("合同公告", "S7", "清单")
    (target / "project.yaml").unlink()
    without = project_checker.check_dir(target, regime="政府采购")
    doc = next(d for d in without.documents if d.path == "07_合同信息公开.docx")
    assert doc.doc_type != "合同公告" and doc.type_from != "清单"
    r = result(without, "CONT-GP-PUBLISH-2WD")
    assert r.outcome == Outcome.missing_data and "合同公告" in r.reason


def test_manifest_dates_and_types_win(tmp_path, project_checker):
    target = _copy("works_violations", tmp_path)
    (target / "project.yaml").write_text(
        "documents:\n"
        "  - path: 08_施工合同.pdf\n    dates: {signed: 2026-05-15}\n"
        "  - path: 06_中标结果公告.pdf\n    doc_type: 中标结果公告\n    stage: S6\n", encoding="utf-8")
    report = project_checker.check_dir(target)
    assert not [f for f in report.findings if f.rule_id == "CONT-30D"]
    fact = next(f for f in report.facts if f.name == "中标通知书至合同签订")
    assert fact.shown == "25日" and fact.evidence[1].excerpt == "（清单记录）"


def test_manifest_csv(tmp_path):
    path = tmp_path / "project.csv"
    path.write_text("path,doc_type,stage,signed\n08_施工合同.pdf,合同,S7,2026-05-15\n", encoding="utf-8")
    m = load_manifest(path)
    assert m.documents[0].doc_type == "合同" and m.documents[0].dates["signed"].day == 15


def test_registration_formats():
    csv = load_registration(PROJECTS / "works_violations" / "registration.csv")
    assert [(l.name, l.kind, l.estimate, l.method) for l in csv.lots] == [
        ("施工", "施工", 28600000.0, "公开招标"), ("监理", "服务", 780000.0, "直接委托")]
    assert csv.is_state_controlled() is True
    js = load_registration(PROJECTS / "gp_violations" / "registration.json")
    assert js.regime == "政府采购" and len(js.lots) == 4
    ya = load_registration(PROJECTS / "works_clean" / "registration.yaml")
    assert ya.share() == 100


def test_gp_threshold_is_configurable(project_checker):
    pc = ProjectChecker(main=project_checker.main, pack=project_checker.pack, params={"gp_open_tender_threshold": 4_000_000})
    report = pc.check_dir(PROJECTS / "gp_violations")
    rules = {f.rule_id for f in report.findings}
    assert "PRJ-GP-OPEN-TENDER-THRESHOLD" not in rules and "PRJ-SPLIT-EVASION" not in rules
    assert "CONT-GP-PUBLISH-2WD" in rules


def test_unreadable_document_is_reported_and_the_rest_checked(tmp_path, project_checker):
    target = _copy("works_clean", tmp_path)
    (target / "10_补充材料.pdf").write_bytes(b"%PDF-1.7\n%broken")
    report = project_checker.check_dir(target)
    bad = next(d for d in report.documents if d.path == "10_补充材料.pdf")
    assert bad.error and bad.error_code >= 3
    assert not report.findings
    assert any("无法读取" in n for n in report.notes)


def test_project_rules_stay_out_of_the_per_document_pack():
    main_ids = {r.id for r in load_pack().rules}
    project_ids = {r.id for r in load_project_pack().rules}
    assert project_ids and not (main_ids & project_ids)
