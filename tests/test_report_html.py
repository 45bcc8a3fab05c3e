"""The HTML report: self-contained, and rendered for real in headless Chromium (skipped where it is absent;
.ci/run installs it) to check that a reviewer's browser shows every finding."""
import html as htmllib
import re
import shutil
import subprocess
from datetime import date

import pytest
from corpus_cache import parsed

from checker.pipeline import Checker
from checker.report.html import marked, render_html
from checker.waivers import Waiver, apply_waivers

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
                 if shutil.which(n)), None)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


@pytest.fixture(scope="module")
def works():
    doc = parsed("works_tender", "pdf")
    report = Checker().check(doc)
    first = report.findings[0]
    report = apply_waivers(report, [Waiver(rule=first.rule_id, fingerprint=first.fingerprint, reason="经主管部门同意",
                                           approver="张三", expires=date(2999, 12, 31))])
    return report, doc


def test_html_is_self_contained(works):
    report, doc = works
    page = render_html(report, doc=doc)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|//)""", page, re.I)
    assert "<script" not in page and "<link" not in page and "@import" not in page and "url(" not in page
    assert page.count('<article class="finding') == len(report.findings)
    for f in report.findings:
        assert f.rule_id in page and htmllib.escape(f.matched[0], quote=False) in page
    assert "经主管部门同意" in page and "已豁免" in page
    assert 'id="coverage"' in page and "投标人须知前附表" in page
    if getattr(report, "facts", None):  # typed facts (amounts, dates) found by the numeric rules' extractors
        assert 'id="facts"' in page


def test_context_marks_sentence_and_words():
    html, found = marked("前文。投标人须在本市注册。后文。", "投标人须在本市注册。", ["本市注册"])
    assert found
    assert str(html) == ('前文。<span class="hit">投标人须在</span><mark>本市注册</mark>'
                         '<span class="hit">。</span>后文。')
    normalised, found = marked("金额：人民币叁拾伍万元整（¥350,000.00）", None, ["人民币叁拾伍万元整(¥350,000.00)"])
    assert found and str(normalised) == "金额：<mark>人民币叁拾伍万元整（¥350,000.00）</mark>"
    escaped, _ = marked("<b>本市</b>", None, ["本市"])
    assert "<b>" not in str(escaped) and "<mark>本市</mark>" in str(escaped)


def test_template_diff_is_shown(works):
    report, doc = works
    f = report.findings[1].model_copy(update={"diff": [  # as the template check's DiffSegment models dump
        {"op": "equal", "template": "投标人应当在", "document": "投标人应当在", "kind": "equal"},
        {"op": "replace", "template": "15日", "document": "5日", "kind": "substantive"},
        {"op": "insert", "template": "", "document": "内到场", "kind": "wording"},
    ]})
    page = render_html(report.model_copy(update={"findings": [f]}), doc=doc)
    assert '<del class="substantive" title="范本中有、文件中删去">15日</del>' in page
    assert '<ins class="substantive" title="文件中改写或新增">5日</ins>' in page
    assert "内到场</ins>" in page


def _chromium(args, tmp_path):
    profile = tmp_path / "profile"
    return subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium; .ci/run does)")
def test_chromium_shows_every_finding(works, tmp_path):
    report, doc = works
    page = tmp_path / "report.html"
    page.write_text(render_html(report, doc=doc), encoding="utf-8")
    dom = _chromium(["--dump-dom", page.as_uri()], tmp_path)
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = re.sub(r"<[^>]+>", "", dom.stdout)  # the rendered DOM's text, with the highlighting tags gone
    text = htmllib.unescape(text)
    assert "招标采购文件合规检查报告" in text and "未通过" in text
    for f in report.findings:
        assert f.rule_id in text
        assert f.excerpt in text, f"{f.rule_id}: the flagged sentence is not on the page"
    assert dom.stdout.count("<mark>") >= len(report.findings)
