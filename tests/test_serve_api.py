"""The platform API through HTTP against a real `tendercheck serve` process on 127.0.0.1 (two workers): the gate
verdict equals the CLI's exit code for the same file, unreadable files answer 422 with the CLI's reason and code,
authentication and scopes, the upload limit, a dossier built over several uploads, the rules, the metrics, and a
hanging document that cannot stall the service."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from serve_server import ROOT, Server  # noqa: E402

CORPUS = ROOT / "corpus"
GP = CORPUS / "projects" / "gp_violations"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("serve"), workers=2, max_upload_mb=2)
    yield srv
    srv.stop()


def cli_check(path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "import cli; cli.main()", "check", str(path), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_health_and_schema_need_no_token(server):
    with server.client(None) as c:
        assert c.get("/healthz").json()["status"] == "ok"
        paths = c.get("/openapi.json").json()["paths"]
    assert {"/v1/check", "/v1/projects/{project_id}/documents", "/v1/projects/{project_id}", "/v1/rules",
            "/v1/rules/{rule_id}"} <= set(paths)
    assert "multipart/form-data" in paths["/v1/check"]["post"]["requestBody"]["content"]


def test_authentication_and_scopes(server):
    doc = {"file": ("a.txt", "招标公告".encode())}
    with server.client(None) as c:
        r = c.post("/v1/check", files=doc)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert c.post("/v1/check", files=doc, headers={"Authorization": "Bearer nope"}).status_code == 401
    with server.client("review") as c:  # a reviewer's token may not gate uploads
        assert c.post("/v1/check", files=doc).json()["code"] == "forbidden"
    with server.client("check") as c:
        assert c.get("/metrics").status_code == 403
    with server.client("admin") as c:  # admin may do everything
        assert c.get("/metrics").status_code == 200


@pytest.mark.parametrize("name,expected", [("works_tender.pdf", 1), ("gp_services_tender.docx", 0)])
def test_gate_equals_the_cli(server, name, expected):
    path = CORPUS / name
    cli = cli_check(path, "--format", "json")
    with server.client() as c:
        r = c.post("/v1/check", files={"file": (name, path.read_bytes())})
        raw = c.post("/v1/check", params={"name": name}, content=path.read_bytes())
        sarif = c.post("/v1/check", params={"format": "sarif"}, files={"file": (name, path.read_bytes())})
    assert r.status_code == 200 and raw.status_code == 200
    body = r.json()
    assert body["gate"]["exit_code"] == cli.returncode == int(r.headers["x-tendercheck-exit"]) == expected
    assert body["gate"]["passed"] is (cli.returncode == 0)
    assert raw.json()["gate"] == body["gate"]
    want = json.loads(cli.stdout)
    assert [f["fingerprint"] for f in body["report"]["findings"]] == [f["fingerprint"] for f in want["findings"]]
    assert body["report"]["results"] == want["results"]
    assert body["report"]["document"]["source"]["path"] == name  # the client's name, not the server's temp file
    assert sarif.headers["x-tendercheck-exit"] == str(cli.returncode)
    assert sarif.json()["version"] == "2.1.0"


def test_the_cli_options_as_query_parameters(server):
    path = CORPUS / "works_tender.pdf"
    cli = cli_check(path, "--format", "json", "--date", "2019-06-01", "--procedure", "邀请招标")
    with server.client() as c:
        r = c.post("/v1/check", params={"date": "2019-06-01", "procedure": "邀请招标"},
                   files={"file": (path.name, path.read_bytes())})
        for bad in ({"regime": "火星"}, {"date": "2019-13-01"}, {"doc_type": "菜单"}):
            assert c.post("/v1/check", params=bad, files={"file": ("a.txt", b"x")}).status_code == 400
    body, want = r.json(), json.loads(cli.stdout)
    assert body["gate"]["exit_code"] == cli.returncode
    assert body["report"]["document"]["procedure"] == want["document"]["procedure"] == "邀请招标"
    assert body["report"]["results"] == want["results"]


@pytest.mark.parametrize("name,data,code,exit_code", [
    ("bad.pdf", b"%PDF-1.7 truncated", "corrupt", 3),
    ("empty.docx", b"", "empty", 7),
    ("picture.docx", b"GIF89a" + b"\0" * 64, "unsupported-type", 8),
])
def test_unreadable_answers_422_with_the_cli_reason(server, tmp_path, name, data, code, exit_code):
    with server.client() as c:
        r = c.post("/v1/check", files={"file": (name, data)})
    assert r.status_code == 422
    body = r.json()
    assert (body["code"], body["exit_code"], r.headers["x-tendercheck-exit"]) == (code, exit_code, str(exit_code))
    path = tmp_path / name
    path.write_bytes(data)
    cli = cli_check(path)
    assert cli.returncode == exit_code
    assert cli.stderr.strip() == body["line"].replace(f"tendercheck: {name}:", f"tendercheck: {path}:")


def test_bad_requests(server):
    with server.client() as c:
        too_big = c.post("/v1/check", files={"file": ("big.txt", b"a" * (3 * 1024 * 1024))})
        assert too_big.status_code == 413 and too_big.json()["exit_code"] == 10
        assert c.post("/v1/check", content=b"abc").status_code == 400  # raw body without ?name=
        assert c.post("/v1/check", params={"format": "xlsx"}, files={"file": ("a.txt", b"x")}).status_code == 422
        # a name that tries to climb out: the upload is still only a temporary file of the server's own naming
        r = c.post("/v1/check", files={"file": ("../../etc/passwd.txt", "招标公告\n本项目招标。".encode())})
        assert r.status_code == 200 and r.json()["report"]["document"]["source"]["path"] == "passwd.txt"
        for bad in ("a.b", "-x", "x" * 65):
            assert c.post(f"/v1/projects/{bad}/documents", files={"file": ("a.txt", b"x")}).status_code == 400
        assert c.get("/v1/projects/never-uploaded").status_code == 404


def test_project_built_over_several_uploads(server):
    order = ["01_采购公告.docx", "02_招标文件.pdf", "03_评审报告.docx", "05_中标通知书.docx", "06_政府采购合同.pdf"]
    seen = []
    with server.client() as c:
        for name in order:
            r = c.post("/v1/projects/gp-2026-001/documents", files={"file": (name, (GP / name).read_bytes())})
            assert r.status_code == 200, r.text
            seen.append(r.json())
        again = c.get("/v1/projects/gp-2026-001").json()
    assert [len(s["documents"]) for s in seen] == [1, 2, 3, 4, 5]
    assert [d["doc_type"] for d in seen[-1]["documents"]] == ["招标公告", "招标文件", "评标报告", "中标通知书", "合同"]
    # the cross-document rules ran again on each arrival: the award-stage finding appears with the 中标通知书
    assert "S6" not in seen[2]["stages"] and "S6" in seen[3]["stages"]
    assert seen[-1]["gate"]["exit_code"] == 1 and seen[-1]["gate"]["verdict"] == "fail"
    assert again["stages"] == seen[-1]["stages"] and again["gate"] == seen[-1]["gate"]


def test_rules(server):
    with server.client() as c:
        rules = c.get("/v1/rules").json()
        one = c.get(f"/v1/rules/{rules[0]['id']}").json()
        assert c.get("/v1/rules/NO-SUCH-RULE").status_code == 404
    assert len(rules) > 50 and {"project", "tendercheck-core"} & {r["pack"] for r in rules}
    assert one["id"] == rules[0]["id"] and one["basis"] and one["examples"]["flag"]


def test_metrics(server):
    with server.client() as c:
        c.post("/v1/check", files={"file": ("works_tender.pdf", (CORPUS / "works_tender.pdf").read_bytes())})
        c.post("/v1/check", files={"file": ("bad.pdf", b"%PDF-1.7 truncated")})
    with server.client("admin") as c:
        text = c.get("/metrics").text
    assert 'tendercheck_checks_total{exit_code="1"}' in text and 'tendercheck_checks_total{exit_code="3"}' in text
    assert 'tendercheck_http_requests_total{method="POST",route="/v1/check",status="200"}' in text
    assert 'tendercheck_http_request_seconds_bucket{route="/v1/check",le="+Inf"}' in text
    assert "tendercheck_findings_total{rule=" in text and "tendercheck_pool_workers 2" in text


def test_a_hanging_document_cannot_stall_the_service(tmp_path):
    srv = Server(tmp_path, workers=1, timeout=3, env={"TENDERCHECK_SERVE_TEST_HOOKS": "1"})
    try:
        with srv.client() as c:
            t0 = time.monotonic()
            r = c.post("/v1/check", files={"file": ("x__tc_hang__.txt", "招标公告".encode())})
            assert r.status_code == 504 and r.json()["code"] == "timeout"
            assert time.monotonic() - t0 < 30
            # the hung worker was killed and replaced: the next document is checked
            ok = c.post("/v1/check", files={"file": ("works_tender.pdf", (CORPUS / "works_tender.pdf").read_bytes())})
            assert ok.status_code == 200 and ok.json()["gate"]["exit_code"] == 1
        with srv.client("admin") as c:
            assert "tendercheck_pool_replaced_total 1" in c.get("/metrics").text
    finally:
        srv.stop()
