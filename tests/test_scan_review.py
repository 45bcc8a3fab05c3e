"""Issue 18 follow-up: the reviewers' verdicts reach the overnight dashboard. A review database made through the
desk's own store API (not raw SQL) → `scan --report` and `scan --site` show per rule the confirmations, dismissals
and the dismissal rate, and flag a rule over the desk's threshold; a missing or damaged review database is one line
and exit 2."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from checker.batch.site.data import rule_href
from checker.feedback import DISMISSAL_THRESHOLD, MIN_REVIEWS, read_feedback
from checker.serve.settings import ServeConfig
from checker.serve.store import ReviewStore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """A results database of one real scan, and the two rules with the most findings in it."""
    d = tmp_path_factory.mktemp("scanrev")
    docs = d / "docs"
    docs.mkdir()
    for name in ("works_tender.docx", "gp_goods_tender.docx"):
        shutil.copy(ROOT / "corpus" / name, docs / name)
    db = d / "r.sqlite"
    r = CliRunner().invoke(cli.main, ["scan", str(docs), "--db", str(db), "--workers", "1", "-q"])
    assert r.exit_code == 0, r.output
    with sqlite3.connect(db) as c:
        rules = [row[0] for row in c.execute("SELECT rule_id, COUNT(*) n FROM findings GROUP BY rule_id "
                                             "ORDER BY n DESC, rule_id")]
    assert len(rules) >= 2
    return db, rules[0], rules[1]


def _review_db(path: Path, noisy: str, good: str) -> Path:
    """`noisy`: dismissed by reviewers 5 times of 6 (flagged); `good`: confirmed twice, dismissed once."""
    store = ReviewStore(path)
    findings = [{"fingerprint": f"n{i}", "rule_id": noisy, "severity": "warning", "stage": "S2",
                 "stage_name": "发布招标文件", "title": noisy, "message": "", "excerpt": f"条款{i}",
                 "location": {"page": i + 1}} for i in range(MIN_REVIEWS + 1)]
    findings += [{**findings[0], "fingerprint": f"g{i}", "rule_id": good, "title": good} for i in range(3)]
    report = {"document": {"source": {"path": "a.pdf"}, "doc_type": "招标文件"}, "findings": findings}
    store.add_document("e1", "a.pdf", "api", {"report": json.dumps(report), "exit_code": 1})
    for i in range(MIN_REVIEWS + 1):
        store.record_verdict("e1", f"n{i}", "confirmed" if i == 0 else "dismissed", "政策引文", "张三")
    for i, verdict in enumerate(("confirmed", "confirmed", "dismissed")):
        store.record_verdict("e1", f"g{i}", verdict, "", "李四")
    return path


def test_report_and_site_show_reviewers_rates_and_flag(results, tmp_path):
    db, noisy, good = results
    review = _review_db(tmp_path / "review.sqlite", noisy, good)
    before = review.read_bytes()
    html, site = tmp_path / "s.html", tmp_path / "site"
    r = CliRunner().invoke(cli.main, ["scan", "--db", str(db), "--report", str(html), "--site", str(site),
                                      "--review-db", str(review)])
    assert r.exit_code == 0, r.output
    assert review.read_bytes() == before  # read only (SQLite may add the -shm a WAL reader needs, never data)

    page = (site / rule_href(noisy)).read_text(encoding="utf-8")
    assert "复核确认 1 条，驳回 5 条" in page and "驳回率 83%" in page and "⚑ 需复查" in page
    page = (site / rule_href(good)).read_text(encoding="utf-8")
    assert "复核确认 2 条，驳回 1 条" in page and "驳回率 33%" in page and "需复查" not in page
    index = (site / "index.html").read_text(encoding="utf-8")
    assert f'<a class="flag" href="{rule_href(noisy)}">{noisy}</a>（驳回 5/6）' in index
    assert '<td class="n">1</td><td class="n">5</td>\n<td class="n flag">83% ⚑ 需复查</td>' in index

    dash = html.read_text(encoding="utf-8")
    assert f'<td class="flag">{noisy} ⚑ 需复查</td>' in dash  # on the rule table and in 复核反馈
    assert f"<td>{good}</td>" in dash and '<td class="n">2</td><td class="n">1</td><td class="n">33%</td>' in dash


def test_without_review_db_the_pages_are_as_before(results, tmp_path):
    db, noisy, _ = results
    site = tmp_path / "site"
    r = CliRunner().invoke(cli.main, ["scan", "--db", str(db), "--site", str(site), "--report", str(tmp_path / "s.html")])
    assert r.exit_code == 0, r.output
    assert "复核" not in (site / rule_href(noisy)).read_text(encoding="utf-8")
    assert "复核" not in (tmp_path / "s.html").read_text(encoding="utf-8")


def test_config_review_db_is_the_default(results, tmp_path):
    db, noisy, good = results
    _review_db(tmp_path / "review.sqlite", noisy, good)
    (tmp_path / "tendercheck.toml").write_text('[review]\ndb = "review.sqlite"\n', encoding="utf-8")
    html = tmp_path / "s.html"
    r = CliRunner().invoke(cli.main, ["scan", "--db", str(db), "--report", str(html),
                                      "--config", str(tmp_path / "tendercheck.toml")])
    assert r.exit_code == 0, r.output
    assert f"{noisy} ⚑ 需复查" in html.read_text(encoding="utf-8")
    (tmp_path / "tendercheck.toml").write_text('[review]\ndb = "gone.sqlite"\n', encoding="utf-8")
    r = CliRunner().invoke(cli.main, ["scan", "--db", str(db), "--report", str(html),
                                      "--config", str(tmp_path / "tendercheck.toml")])
    assert r.exit_code == 2 and "gone.sqlite" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    # `check` never reads the desk's database: one that the desk has not created yet does not stop it
    r = CliRunner().invoke(cli.main, ["check", str(ROOT / "corpus" / "gp_services_tender.docx"), "--config",
                                      str(tmp_path / "tendercheck.toml")])
    assert r.exit_code == 0, r.output
    (tmp_path / "tendercheck.toml").write_text('[review]\ndatabase = "review.sqlite"\n', encoding="utf-8")
    r = CliRunner().invoke(cli.main, ["scan", "--db", str(db), "--report", str(html),
                                      "--config", str(tmp_path / "tendercheck.toml")])
    assert r.exit_code == 2 and "review.database" in r.stderr and "未知配置项" in r.stderr


@pytest.mark.parametrize("kind", ["missing", "not sqlite", "other sqlite"])
def test_a_missing_or_damaged_review_db_is_one_line_exit_2(results, tmp_path, kind):
    db, _, _ = results
    review = tmp_path / "review.sqlite"
    if kind == "not sqlite":
        review.write_bytes(b"\x00garbage" * 100)
    elif kind == "other sqlite":
        sqlite3.connect(review).execute("CREATE TABLE t (x)").connection.close()
    html = tmp_path / "s.html"
    r = CliRunner().invoke(cli.main, ["scan", "--db", str(db), "--report", str(html), "--review-db", str(review)])
    assert r.exit_code == 2, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "复核数据库" in lines[0] and str(review) in lines[0]
    assert not html.exists()


def test_one_threshold_for_desk_and_scan(tmp_path):
    """The desk's [feedback] defaults are checker.feedback's, not a copy."""
    fb = ServeConfig().feedback
    assert (fb.dismissal_threshold, fb.min_reviews) == (DISMISSAL_THRESHOLD, MIN_REVIEWS)
    path = _review_db(tmp_path / "review.sqlite", "R-NOISY", "R-GOOD")
    got = read_feedback(path)
    assert [r.rule_id for r in got.flagged] == ["R-NOISY"] and got.get("R-GOOD").confirmation_rate == 2 / 3
