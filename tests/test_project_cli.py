"""`tendercheck project DIR`: exit codes (0 / 1 by --fail-on, 2 usage, 3.. an unreadable document and no failing
finding), JSON output, the stage-by-stage text report."""
import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from cli import main

PROJECTS = Path(__file__).resolve().parents[1] / "corpus" / "projects"


def run(*args):
    return CliRunner().invoke(main, ["project", *args], catch_exceptions=False)


def test_clean_dossier_exit_0():
    res = run(str(PROJECTS / "works_clean"))
    assert res.exit_code == 0, res.output
    assert "通过（--fail-on error）" in res.output
    for stage in ("S1 项目注册", "S3 答疑澄清", "S7 合同在线签订"):
        assert stage in res.output
    assert "项目时间线" in res.output


def test_violations_exit_1_and_text_names_both_documents():
    res = run(str(PROJECTS / "works_violations"))
    assert res.exit_code == 1
    text = "".join(res.output.split())  # rich wraps long lines
    assert "中标通知书2026-04-20→合同2026-06-02=43日>30日" in text
    assert "文件：中标通知书07_中标通知书.docx" in text and "文件：合同08_施工合同.pdf" in text


def test_fail_on_warning_and_info():
    # gp_violations has error findings: fails at every level
    assert run(str(PROJECTS / "gp_violations"), "--fail-on", "warning").exit_code == 1


def test_json_output(tmp_path):
    out = tmp_path / "r.json"
    res = run(str(PROJECTS / "gp_violations"), "--format", "json", "-o", str(out))
    assert res.exit_code == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema_version"] == "1" and data["project"]["regime"] == "政府采购"
    assert {f["rule_id"] for f in data["findings"]} >= {"AWARD-GP-ANNOUNCE", "CONT-GP-PUBLISH-2WD"}
    assert all(f["documents"] for f in data["findings"])
    assert {r["outcome"] for r in data["results"]} <= {"flag", "no_flag", "missing_data", "not_applicable"}
    stdout = run(str(PROJECTS / "works_clean"), "--format", "json")
    assert json.loads(stdout.output)["findings"] == []


def test_usage_errors_exit_2(tmp_path):
    res = run(str(tmp_path / "nope"))
    assert res.exit_code == 2
    bad = tmp_path / "dossier"
    shutil.copytree(PROJECTS / "works_clean", bad)
    (bad / "project.yaml").write_text("documents:\n  - path: 01_招标公告.docx\n    doc_type: 招标书\n", encoding="utf-8")
    res = run(str(bad))
    assert res.exit_code == 2 and "清单文件 documents 第 1 项的 doc_type 无效：未知文件类型 招标书" in res.output
    (bad / "project.yaml").unlink()
    (bad / "registration.yaml").write_text("lots:\n  - {name: 施工, kind: 装修, estimate: 100}\n", encoding="utf-8")
    res = run(str(bad))
    assert res.exit_code == 2 and "项目登记信息 lots 第 1 项的 kind 无效" in res.output
    res = run(str(PROJECTS / "works_clean"), "--param", "no_such_param=1")
    assert res.exit_code == 2


def test_unreadable_document_exit_code(tmp_path):
    target = tmp_path / "dossier"
    shutil.copytree(PROJECTS / "works_clean", target)
    (target / "10_补充材料.pdf").write_bytes(b"%PDF-1.7\n%broken")
    res = run(str(target))
    assert res.exit_code >= 3, res.output
    assert "无法读取" in res.output
    # findings win over an unreadable document: the project already fails
    target2 = tmp_path / "dossier2"
    shutil.copytree(PROJECTS / "works_violations", target2)
    (target2 / "10_补充材料.pdf").write_bytes(b"%PDF-1.7\n%broken")
    assert run(str(target2)).exit_code == 1


def test_param_option():
    res = run(str(PROJECTS / "gp_violations"), "--param", "gp_open_tender_threshold=4000000", "--format", "json")
    rules = {f["rule_id"] for f in json.loads(res.output)["findings"]}
    assert "PRJ-GP-OPEN-TENDER-THRESHOLD" not in rules


def test_empty_directory_and_rule_self_test(tmp_path):
    assert run(str(tmp_path)).exit_code == 2
    res = run("--test-rules")
    assert res.exit_code == 0 and "未通过 0 个" in res.output


def test_config_disables_and_parametrises_project_rules(tmp_path):
    cfg = tmp_path / "tendercheck.toml"
    cfg.write_text('[rules]\ndisable = ["CONT-30D", "BOND-BID-CAP"]\n[params]\ngp_open_tender_threshold = 4000000\n'
                   'bond_perf_cap = 10\n', encoding="utf-8")
    res = run(str(PROJECTS / "works_violations"), "--config", str(cfg), "--format", "json")
    data = json.loads(res.output)
    assert "CONT-30D" not in {f["rule_id"] for f in data["findings"]}
    assert next(r for r in data["results"] if r["rule_id"] == "CONT-30D")["reason"] == "已在配置中停用"
    res = run(str(PROJECTS / "gp_violations"), "--config", str(cfg), "--format", "json")
    assert "PRJ-GP-OPEN-TENDER-THRESHOLD" not in {f["rule_id"] for f in json.loads(res.output)["findings"]}
