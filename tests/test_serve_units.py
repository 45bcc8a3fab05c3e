"""The service's pieces without a server: configuration errors in one line, password and token hashes, upload names
that cannot reach the file system, and the verdict statistics and example export on a review database."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from checker.errors import UsageError
from checker.feedback import rule_rates
from checker.serve.engine import safe_name
from checker.serve.feedback import export_examples
from checker.serve.settings import hash_password, load_serve_config, verify_password
from checker.serve.store import ReviewStore

ROOT = Path(__file__).resolve().parent.parent


def test_bad_serve_config_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "serve.toml"
    bad.write_text('[[tokens]]\nname = "x"\nsha256 = "abc"\n', encoding="utf-8")
    with pytest.raises(UsageError, match="tokens.0.sha256"):
        load_serve_config(str(bad))
    bad.write_text('[limits]\nmax_upload_gb = 1\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "serve", "--serve-config", str(bad)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "limits.max_upload_gb" in done.stderr


def test_password_hash():
    stored = hash_password("correct horse battery")
    assert stored.startswith("scrypt$") and verify_password("correct horse battery", stored)
    assert not verify_password("correct horse batterY", stored)


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd.pdf", ("passwd", "pdf")),
    ("C:\\Users\\x\\招标 文件(1).DOCX", ("招标_文件_1", "docx")),
    ("..", ("document", None)),
    ("report.exe", ("report", None)),
    ("", ("document", None)),
])
def test_safe_name(name, expected):
    assert safe_name(name) == expected


def _finding(rule: str, fp: str, excerpt: str) -> dict:
    return {"fingerprint": fp, "rule_id": rule, "severity": "error", "stage": "S2", "stage_name": "发布招标文件",
            "title": rule, "message": "", "excerpt": excerpt, "location": {"page": 3}, "heading_path": ["第二章"]}


def test_rates_flag_and_export(tmp_path):
    store = ReviewStore(tmp_path / "review.sqlite")
    report = {"document": {"source": {"path": "a.pdf"}, "doc_type": "招标文件"},
              "findings": [_finding("R-A", f"a{i}", f"条款{i}") for i in range(3)] + [_finding("R-B", "b0", "条款B")]}
    store.add_document("e1", "a.pdf", "api", {"report": json.dumps(report), "exit_code": 1})
    store.record_verdict("e1", "a0", "dismissed", "政策引文", "张三")
    store.record_verdict("e1", "a1", "dismissed", "表格待填", "张三")
    store.record_verdict("e1", "a2", "confirmed", "", "李四")
    store.record_verdict("e1", "b0", "dismissed", "误报", "张三")
    store.record_verdict("e1", "b0", "confirmed", "复查后确认", "王五")  # the latest verdict counts
    rates = {r.rule_id: r for r in rule_rates(store, threshold=0.5, min_reviews=3)}
    assert (rates["R-A"].dismissed, rates["R-A"].confirmed, rates["R-A"].flagged) == (2, 1, True)
    assert (rates["R-B"].dismissed, rates["R-B"].confirmed, rates["R-B"].flagged) == (0, 1, False)
    assert not rule_rates(store, threshold=0.5, min_reviews=4)[0].flagged  # too few verdicts to say
    assert len(store.queue()) == 0 and len(store.queue(rule="R-A")) == 0
    written = export_examples(tmp_path / "review.sqlite", tmp_path / "out")
    assert [p.name for p in written] == ["R-A.yaml", "R-B.yaml"]
    a = yaml.safe_load(written[0].read_text(encoding="utf-8"))["examples"]
    assert [x["text"] for x in a["no_flag"]] == ["条款0", "条款1"] and a["no_flag"][0]["reason"] == "政策引文"
    assert a["flag"][0]["text"] == "条款2" and "a.pdf 第3页" in a["flag"][0]["source"]
    b = yaml.safe_load(written[1].read_text(encoding="utf-8"))["examples"]
    assert list(b) == ["flag"] and b["flag"][0]["reviewer"] == "王五"


def test_export_without_database_is_usage_error(tmp_path):
    done = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "review", "export", "--db",
                           str(tmp_path / "none.sqlite"), "-o", str(tmp_path / "out")],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2 and "复核数据库不存在" in done.stderr and done.stderr.count("\n") == 1


def test_desk_pages_escape_what_uploads_bring():
    from checker.serve.desk import templates

    class User:
        name, csrf = "张三", "t"

    row = {"entry": "e1", "key": "k", "entry_name": "<img src=x onerror=alert(1)>.pdf", "kind": "document",
           "document": "", "rule_id": "R", "title": "t", "severity": "error", "stage": "S2", "stage_name": "",
           "agency": "", "excerpt": "<script>alert(1)</script>"}
    html = templates.env.get_template("queue.html.j2").render(
        user=User(), rows=[row], facets={"stage": [], "rule": [], "agency": [], "severity": []},
        filters={"stage": "", "rule": "", "agency": "", "severity": ""}, back="/desk/queue", error="")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")  # deprecated, still works
def test_desk_login_csrf_and_lockout(tmp_path):
    """In-process (no worker needed for the login): the login form's double-submit token, and a name locked after
    five wrong passwords even for the right one."""
    from fastapi.testclient import TestClient

    from checker.serve.app import create_app
    from checker.serve.settings import ServeConfig, User

    config = ServeConfig(users=[User(name="张三", password=hash_password("correct horse battery"))])
    app = create_app({}, config, str(tmp_path / "r.sqlite"), str(tmp_path), 1)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        def login(password, csrf=None):
            client.get("/desk/login")
            token = csrf if csrf is not None else client.cookies.get("tc_login")
            return client.post("/desk/login", data={"csrf": token, "user": "张三", "password": password},
                               follow_redirects=False)

        forged = login("correct horse battery", csrf="forged")
        assert forged.headers["location"].startswith("/desk/login?error=") and "tc_session" not in forged.cookies
        assert client.get("/desk/", follow_redirects=False).status_code == 303  # still not logged in
        for _ in range(5):
            assert "tc_session" not in login("wrong").cookies
        locked = login("correct horse battery")
        assert "tc_session" not in locked.cookies and "tc_session" not in client.cookies
        app.state.login_failures.clear()  # the lockout has passed
        assert login("correct horse battery").headers["location"] == "/desk/"
        assert client.get("/desk/", follow_redirects=False).status_code == 200


def test_a_port_in_use_is_a_usage_error(tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "serve", "--port", str(port),
                               "--db", str(tmp_path / "r.sqlite")], capture_output=True, text=True, cwd=tmp_path,
                              timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2 and "无法监听" in done.stderr and "Traceback" not in done.stderr
