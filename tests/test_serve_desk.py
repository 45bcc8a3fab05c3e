"""The review desk in a real browser: Chromium (the system's, driven by Playwright) against a real `tendercheck serve`
process — log in, upload a tender, dismiss a finding with a reason, see the queue shrink and the rule's rate change;
then `tendercheck review export` turns the dismissal into a candidate no_flag example."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
import yaml

pytest.importorskip("fastapi")
sync_api = pytest.importorskip("playwright.sync_api")

from serve_server import PASSWORD, REVIEWER, ROOT, Server  # noqa: E402

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
                 if shutil.which(n)), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="Chromium is not installed (apt-get install chromium; .ci/run does)")
REASON = "此处引用的是政策原文，不是对投标人的要求"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("desk")
    scan = folder / "scan.sqlite"  # the overnight scan whose 双随机 draw the desk offers as a worklist
    done = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "scan", "-q", "--workers", "1", "--db",
                           str(scan), str(ROOT / "corpus" / "projects" / "works_violations")],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    srv = Server(folder, workers=1, args=("--scan-db", str(scan)))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def page(server):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        context = browser.new_context(base_url=server.url)
        yield context.new_page()
        browser.close()


def rate_cells(page, rule: str) -> dict:
    page.goto("/desk/rules")
    row = page.locator(f"#rates tr[id='rate-{rule}']")
    return {k: row.locator(f"td.{k}").inner_text() for k in ("confirmed", "dismissed", "dismissal-rate")} | {
        "flagged": "需规则负责人复查" in row.inner_text()}


def test_review_a_finding_in_the_browser(server, page, tmp_path):
    page.goto("/desk/")
    assert "/desk/login" in page.url  # not logged in: the login page
    page.fill("input[name=user]", REVIEWER)
    page.fill("input[name=password]", "wrong password")
    page.click("#login")
    assert "用户名或密码错误" in page.inner_text("#error")
    page.fill("input[name=user]", REVIEWER)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    assert page.url.endswith("/desk/")

    page.set_input_files("input[name=file]", str(ROOT / "corpus" / "works_tender.pdf"))
    page.fill("input[name=agency]", "某某招标代理有限公司")
    page.click("#upload")
    assert "/desk/entries/" in page.url
    entry_url = page.url
    rows = page.locator("#findings tr[data-rule]")
    total = rows.count()
    assert total >= 3
    # the report as the HTML report shows it, framed beside the verdicts
    assert "违法" in page.frame_locator("iframe.report").locator("body").inner_text()

    first = rows.nth(0)
    rule = first.get_attribute("data-rule")
    same_rule = page.locator(f"#findings tr[data-rule='{rule}']").count()
    before = rate_cells(page, rule)
    assert before == {"confirmed": "0", "dismissed": "0", "dismissal-rate": "—", "flagged": False}
    page.goto(f"/desk/queue?rule={rule}")
    assert page.locator("#queue tr[data-rule]").count() == same_rule

    page.goto(entry_url, wait_until="networkidle")
    first = page.locator("#findings tr[data-rule]").nth(0)
    first.locator("button[value=dismissed]").scroll_into_view_if_needed()
    with page.expect_navigation():
        first.locator("button[value=dismissed]").click()  # no reason: refused
    assert "驳回须填写理由" in page.inner_text("#error")
    first = page.locator("#findings tr[data-rule]").nth(0)
    first.locator("input[name=reason]").fill(REASON)
    first.locator("button[value=dismissed]").scroll_into_view_if_needed()
    with page.expect_navigation():
        first.locator("button[value=dismissed]").click()
    verdict = page.locator("#findings tr[data-rule]").nth(0).locator("td.verdict").inner_text()
    assert "驳回" in verdict and REASON in verdict and REVIEWER in verdict

    page.goto(f"/desk/queue?rule={rule}")  # the dismissed finding has left the queue
    assert page.locator("#queue tr[data-rule]").count() == same_rule - 1
    page.goto("/desk/queue?agency=某某招标代理有限公司&severity=error")
    assert all(r.locator("td").nth(2).inner_text() == "违法" for r in page.locator("#queue tr[data-rule]").all())

    page.goto("/desk/")  # a dossier that does not exist says so
    page.fill("input[name=id]", "no-such-project")
    page.click("#open-project")
    assert "没有项目 no-such-project" in page.inner_text("#error")

    after = rate_cells(page, rule)
    assert after == {"confirmed": "0", "dismissed": "1", "dismissal-rate": "100%", "flagged": True}

    # a form post without the session's CSRF token is refused, even with the session cookie
    forged = page.request.post(entry_url + "/verdict", form={"key": "x", "verdict": "confirmed"})
    assert forged.status == 403

    out = tmp_path / "examples"
    done = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "review", "export", "--db",
                           str(server.db), "-o", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    exported = yaml.safe_load((out / f"{rule}.yaml").read_text(encoding="utf-8"))
    item = exported["examples"]["no_flag"][0]
    assert item["reason"] == REASON and item["reviewer"] == REVIEWER and "works_tender.pdf" in item["source"]
    assert item["text"] and "flag" not in exported["examples"]


def test_the_sample_as_a_worklist(server, page):
    """Runs after the review above (same logged-in page): the draw of `tendercheck sample`, reproducible by its seed,
    and a drawn document opened on the desk from its scan report."""
    page.goto("/desk/sample?ratio=1&seed=20261206")
    rows = page.locator("#worklist tr").all()[1:]  # the scan recorded one project: its documents are the worklist
    assert len(rows) == 1 and "works_violations" in rows[0].inner_text() and "20261206" in page.inner_text("main")
    assert page.locator("#worklist form").count() >= 5
    first = page.locator("#worklist form").first
    name = first.inner_text().replace("复核", "").strip().rsplit("/", 1)[-1]
    with page.expect_navigation():
        first.locator("button").click()
    assert "/desk/entries/scan-" in page.url and name in page.inner_text("h1")


def test_a_project_on_the_desk(server, page):
    """A document added to a dossier from the desk, then the dossier opened by its id."""
    gp = ROOT / "corpus" / "projects" / "gp_violations"
    for name, doc_type in (("01_采购公告.docx", ""), ("05_中标通知书.docx", "中标通知书")):
        page.goto("/desk/")
        page.set_input_files("input[name=file]", str(gp / name))
        page.fill("input[name=project]", "gp-desk-1")
        if doc_type:
            page.select_option("select[name=doc_type]", doc_type)
        page.click("#upload")
        assert page.url.endswith("/desk/entries/project-gp-desk-1")
    report = page.frame_locator("iframe.report").locator("body").inner_text()  # the dossier's text report
    assert "01_01_采购公告.docx" in report and "02_05_中标通知书.docx" in report
    page.goto("/desk/")
    page.fill("input[name=id]", "gp-desk-1")
    page.click("#open-project")
    assert page.url.endswith("/desk/entries/project-gp-desk-1")
