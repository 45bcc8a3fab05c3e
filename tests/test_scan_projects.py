"""`scan` over projects (issue 17): the corpus dossiers plus loose files, each dossier checked across its documents so
every stage S1–S7 reaches the results; the static dashboard walked in headless Chromium from the overview to a
finding of every stage in at most three clicks; the comparison after a configuration change (removals and severity
changes); the per-finding sheet; the project draw."""
import html.parser
import io
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from checker.batch import ScanOptions, Store, scan
from checker.batch.compare import compare, render_comparison
from checker.batch.discover import discover
from checker.batch.sample import draw, render_draw
from checker.batch.site import build_site
from checker.session import SessionOptions
from checker.vocab import STAGES
from dbutil import rows

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
                 if shutil.which(n)), None)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]
LOOSE = ["works_tender.docx", "gp_goods_tender.pdf"]


def build_tree(d: Path) -> Path:
    for name in ("works_violations", "gp_violations", "works_clean"):
        shutil.copytree(CORPUS / "projects" / name, d / "projects" / name)
    shutil.copytree(CORPUS / "projects" / "src" / "works_clean", d / "src" / "works_clean")  # build sources
    (d / "loose").mkdir()
    for name in LOOSE:
        shutil.copy(CORPUS / name, d / "loose" / name)
    return d



@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    d = tmp_path_factory.mktemp("projects")
    tree = build_tree(d / "tree")
    db = d / "r.sqlite"
    result = scan(ScanOptions(inputs=[str(tree)], db=str(db), workers=2, progress=False))
    site = d / "site"
    store = Store(db, readonly=True)
    try:
        data = build_site(store, site)
    finally:
        store.close()
    return tree, db, result, site, data


def test_projects_are_found_and_checked_across_documents(scanned):
    tree, db, result, _, _ = scanned
    assert result.projects == 3 and result.statuses == {"ok": 27}  # 8 + 8 + 9 documents + 2 loose
    projects = dict(rows(db, "SELECT project_id, findings FROM projects"))
    assert set(projects) == {"projects/works_violations", "projects/gp_violations", "projects/works_clean"}
    assert projects["projects/works_clean"] == 0 and projects["projects/works_violations"] > 5
    # every stage has findings, project findings carry scope 'project'
    stages = {s for s, in rows(db, "SELECT DISTINCT stage FROM findings")}
    assert set(STAGES) <= stages
    assert rows(db, "SELECT count(*) FROM findings WHERE scope = 'project'")[0][0] > 10
    # relative paths throughout; type, regime, procedure and stage per document
    docs = rows(db, "SELECT path, project_id, doc_type, regime, procedure, stage FROM documents")
    assert all(not p.startswith("/") for p, *_ in docs)
    assert {p for p, *_ in rows(db, "SELECT path FROM results")} == {p for p, *_ in docs}
    by_path = {p: rest for p, *rest in docs}
    assert by_path["projects/works_violations/07_中标通知书.docx"][:2] == ["projects/works_violations", "中标通知书"]
    assert by_path["loose/works_tender.docx"] == [None, "招标文件", "工程", "公开招标", "S2"]
    assert by_path["projects/gp_violations/07_合同信息公开.docx"][1] == "合同公告"  # the project manifest wins
    assert not any(p.startswith("src/") for p in by_path)  # front-matter build sources are not documents


def test_rerun_skips_projects_already_checked(scanned, tmp_path):
    tree, db, _, _, _ = scanned
    copy = tmp_path / "r.sqlite"
    shutil.copy(db, copy)
    again = scan(ScanOptions(inputs=[str(tree)], db=str(copy), workers=1, progress=False))
    assert again.to_check == 0 and again.reused == 27


def test_include_exclude_and_txt_sources(tmp_path):
    tree = build_tree(tmp_path / "t")
    found = discover([tree])
    assert not any(d.path.startswith("src/") for d in found.documents)
    assert any(p.startswith("src/") for p in found.excluded)
    only_pdf = discover([tree], include=["*.pdf"])
    assert only_pdf.documents and all(d.path.endswith(".pdf") for d in only_pdf.documents)
    no_loose = discover([tree], exclude=["loose/*"])
    assert not any(d.path.startswith("loose/") for d in no_loose.documents)
    forced = discover([tree], include=["src/works_clean/01_*.txt"])
    assert [d.path for d in forced.documents] == ["src/works_clean/01_招标公告.txt"]


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self._href = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self._href, self._text = a["href"], ""

    def handle_data(self, data):
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, self._text.strip()))
            self._href = None


def _parse(text: str) -> _Links:
    p = _Links()
    p.feed(text)
    return p


def test_every_link_of_the_site_resolves(scanned):
    _, _, _, site, data = scanned
    pages = {p.name: _parse(p.read_text(encoding="utf-8")) for p in site.glob("*.html")}
    assert "index.html" in pages and len(pages) > 30
    for name, page in pages.items():
        assert page.links, name
        for href, _ in page.links:
            assert not href.startswith(("http:", "https:", "//")), href
            target, _, anchor = href.partition("#")
            target = target or name
            assert target in pages, (name, href)
            if anchor:
                assert anchor in pages[target].ids, (name, href)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "<script" not in index and "与上一次扫描比较" in index and "趋势" in index
    # every count on the overview's stage table is a link (or 0)
    for st in data.stages:
        if st["findings"]:
            assert f'href="{st["href"]}">{st["findings"]}</a>' in index


def _dom(url: str, tmp_path: Path) -> str:
    out = subprocess.run([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", url],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-500:]
    return out.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium; .ci/run does)")
def test_chromium_reaches_a_finding_of_every_stage_in_three_clicks(scanned, tmp_path):
    """Each page as Chromium renders it; a click is following a link of the rendered DOM."""
    _, _, _, site, _ = scanned
    base = site.as_uri() + "/"
    cache: dict[str, _Links] = {}

    def page(name: str) -> _Links:
        if name not in cache:
            cache[name] = _parse(_dom(base + name, tmp_path))
        return cache[name]

    overview = page("index.html")
    reached = {}
    for stage in STAGES:
        clicks = [h for h, text in overview.links if h.startswith(f"s-{stage}.html") and text.isdigit()]
        assert clicks, f"{stage}: no count on the overview links to its page"
        stage_page = page(urlsplit(clicks[0]).path)  # click 1
        rule_links = [h for h, _ in stage_page.links if h.startswith("r-")]
        rule_page = page(urlsplit(rule_links[0]).path)  # click 2: the stage's first rule
        findings = [h for h, _ in rule_page.links if re.match(r"[dp]-[0-9a-f]+\.html#f\d+$", h)]
        target, anchor = findings[0].split("#")
        final = _dom(base + target, tmp_path)  # click 3: the finding itself
        assert f'id="{anchor}"' in final
        box = final.split(f'id="{anchor}"', 1)[1].split("</div>", 1)[0]
        assert f"{stage} {STAGES[stage]}" in box or f">{stage} " in box, (stage, box[:300])
        reached[stage] = findings[0]
    assert set(reached) == set(STAGES)


def test_comparison_after_a_config_change_lists_removals_and_severity_changes(scanned, tmp_path):
    tree, db, _, _, _ = scanned
    copy = tmp_path / "r.sqlite"
    shutil.copy(db, copy)
    before = dict(rows(copy, "SELECT rule_id, severity FROM findings"))
    assert before["TECH-BRAND-DESIGNATION"] and before["PROC-ORIGINALS-REQUIRED"] == "warning"
    config = tmp_path / "tendercheck.toml"
    config.write_text('[rules]\ndisable = ["TECH-BRAND-DESIGNATION"]\n[rules.severity]\n'
                      '"PROC-ORIGINALS-REQUIRED" = "error"\n', encoding="utf-8")
    scan(ScanOptions(inputs=[str(tree)], db=str(copy), workers=2, progress=False,
                     session=SessionOptions(config=str(config))))
    store = Store(copy, readonly=True)
    try:
        runs = [r["id"] for r in store.runs()]
        c = compare(store, store, runs[-1], runs[-2])
        site = tmp_path / "site"
        build_site(store, site)
        from checker.batch.dashboard import render_dashboard_xlsx
        from checker.batch.summary import summarize

        xlsx = render_dashboard_xlsx(summarize(store), c, store)
        n_findings = len(store.snapshot_findings(runs[-1]))
    finally:
        store.close()
    diff = {r.rule_id: r for r in c.rules}
    assert diff["TECH-BRAND-DESIGNATION"].vanished and not diff["TECH-BRAND-DESIGNATION"].appeared
    changed = diff["PROC-ORIGINALS-REQUIRED"].changed
    assert changed and all(f["old_severity"] == "warning" and f["severity"] == "error" for f in changed)
    assert not diff["PROC-ORIGINALS-REQUIRED"].appeared and not diff["PROC-ORIGINALS-REQUIRED"].vanished
    text = render_comparison(c)
    assert "级别变化" in text and "不合理→违法" in text
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "PROC-ORIGINALS-REQUIRED" in index.split('id="comparison"')[1].split('id="rules"')[0]
    assert "#changed" in index and "#vanished" in index

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx))
    ws = wb["问题明细"]
    assert [c.value for c in ws[1]][:4] == ["序号", "项目", "文件", "阶段"] and ws.auto_filter.ref
    assert ws.max_row == 1 + n_findings > 40  # one row per finding, the projects' included
    cmp_sheet = next(wb[n] for n in wb.sheetnames if n.startswith("比较"))
    kinds = {r[1] for r in cmp_sheet.iter_rows(min_row=2, values_only=True)}
    assert {"消失", "级别变化"} <= kinds


def test_sample_draws_projects(scanned):
    _, db, _, _, _ = scanned
    store = Store(db, readonly=True)
    try:
        d1 = draw(store, 0.05, seed="20261206")
        d2 = draw(store, 0.05, seed="20261206")
    finally:
        store.close()
    assert d1.population == 3 and d1.n == 1
    assert [p.project_id for p in d1.drawn] == [p.project_id for p in d2.drawn]
    assert d1.drawn[0].project_id.startswith("projects/")
    text = render_draw(d1)
    assert "随机种子 20261206" in text and "方法" in text and "Efraimidis" not in text.split("方法")[0]
    assert re.search(r"方法：[^\n]*加权", text)


def test_sample_record_columns_line_up_with_chinese_ids():
    from checker.batch.sample import Draw, Project
    from checker.batch.textcols import width

    drawn = [Project(project_id="某县污水管网改造工程", weight=44, errors=14, warnings=2, documents=["a.pdf"]),
             Project(project_id="P-2026-001", weight=1, documents=["b.pdf"])]
    d = Draw(seed="7", ratio=0.05, population=40, n=2, run_id=3, rulepack_version="x", drawn=drawn)
    lines = render_draw(d).splitlines()
    table = lines[lines.index("") + 1:]
    ends = {width(line.split("  a.pdf")[0].split("  b.pdf")[0].split("  文件")[0]) for line in table}
    assert len(ends) == 1, table  # every row's columns end at the same terminal cell
    assert "抽查比例：5%（不低于 5%）" in render_draw(d)


def test_a_version_1_database_is_upgraded_by_the_next_scan(tmp_path):
    """Results databases written before issue 17 (schema 1) gain the new columns and tables in place."""
    db = tmp_path / "old.sqlite"
    con = sqlite3.connect(db)
    con.executescript((ROOT / "tests" / "fixtures" / "results_schema_v1.sql").read_text(encoding="utf-8"))
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.commit()
    con.close()
    with pytest.raises(Exception, match="旧版本"):
        Store(db, readonly=True)  # a reader says what to do instead of failing on a missing column
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(CORPUS / "works_tender.docx", docs / "works_tender.docx")
    result = scan(ScanOptions(inputs=[str(docs)], db=str(db), workers=1, progress=False))
    assert result.statuses == {"ok": 1}
    assert rows(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("2",)]
    assert rows(db, "SELECT procedure FROM documents") == [("公开招标",)]
    assert rows(db, "SELECT count(*) FROM findings WHERE scope = 'document'")[0][0] > 0
