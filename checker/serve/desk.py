"""The review desk: server-rendered pages (Jinja2, no script, no build step) for the bureau's reviewers.

/desk/login                 log in (users of the service configuration; scrypt password hashes)
/desk/                      upload a document (or add it to a project); recent uploads and projects
/desk/entries/{id}          the report as the HTML report shows it, each finding marked 确认 / 驳回 (reason) / 待定
/desk/queue                 findings without a verdict across documents, by stage, rule, agency, severity
/desk/rules                 per-rule confirmation and dismissal rates; rules dismissed too often are flagged
/desk/sample                the 双随机 draw of `tendercheck sample` (with --scan-db) as a worklist

Every POST carries the session's CSRF token; every verdict is stored with who and when (store.py).
"""
from __future__ import annotations

import re
import secrets
import time
import uuid
from pathlib import Path
from typing import Optional
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from .auth import (LOGIN_COOKIE, SESSION_COOKIE, SESSION_TTL, DeskUser, cookie_args, csrf_ok, desk_user, end_session,
                   start_session)
from .store import VERDICTS

router = APIRouter(prefix="/desk", include_in_schema=False)
# autoescape on every template (Starlette's default escapes only *.html, and ours are *.html.j2): excerpts, reasons
# and file names come from uploads
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
                                            autoescape=True, trim_blocks=True, lstrip_blocks=True))
SEVERITY_LABEL = {"error": "违法", "warning": "不合理", "info": "提示"}
templates.env.globals.update(severity_label=SEVERITY_LABEL, verdict_label=VERDICTS)
PAGE_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; "
                                           "form-action 'self'; img-src 'self' data:",
                "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
MAX_FAILURES, LOCKOUT_SECONDS = 5, 300
ENTRY_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


class _Login(Exception):
    """Not logged in: redirect to the login page."""


def page(request: Request, name: str, user: Optional[DeskUser], **context) -> HTMLResponse:
    response = templates.TemplateResponse(request, name, {"user": user, **context})
    response.headers.update(PAGE_HEADERS)
    return response


def need_user(request: Request, scope: str = "review") -> DeskUser:
    user = desk_user(request)
    if user is None:
        raise HTTPException(303, headers={"Location": "/desk/login?next=" + quote(request.url.path)})
    if not user.can(scope):
        raise HTTPException(403, detail={"error": f"没有 {scope} 权限", "code": "forbidden"})
    return user


async def posted(request: Request, user: DeskUser) -> dict:
    form = await request.form(max_files=1, max_fields=20)
    if not csrf_ok(user.csrf, form.get("csrf")):
        raise HTTPException(403, detail={"error": "表单已失效（CSRF 校验未通过），请刷新页面后重试", "code": "csrf"})
    return form


def _entry_id(entry_id: str) -> str:
    if not ENTRY_ID.match(entry_id):
        raise HTTPException(404, detail={"error": "没有这个记录", "code": "not-found"})
    return entry_id


# ------------------------------------------------------------------------------------------------------------ login


@router.get("/login")
async def login_form(request: Request, next: str = "/desk/", error: str = ""):
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html.j2", None, csrf=token, next=_local(next), error=error)
    response.set_cookie(LOGIN_COOKIE, token, max_age=3600, **cookie_args(request))
    return response


def _local(target: str) -> str:
    """Only a path of this desk: a login link must not send the reviewer elsewhere."""
    return target if target.startswith("/desk/") and "//" not in target and "\\" not in target else "/desk/"


@router.post("/login")
async def login(request: Request):
    form = await request.form(max_fields=10, max_files=0)
    if not csrf_ok(request.cookies.get(LOGIN_COOKIE, ""), form.get("csrf")):
        return RedirectResponse("/desk/login?error=" + quote("表单已失效，请重试"), 303)
    name = str(form.get("user", ""))[:100]
    failures = request.app.state.login_failures.setdefault(name, [])
    failures[:] = [t for t in failures if t > time.monotonic() - LOCKOUT_SECONDS]
    if len(failures) >= MAX_FAILURES:  # guessing passwords: the name is locked for a while, whatever is tried
        return RedirectResponse("/desk/login?" + urlencode({"error": "登录失败次数过多，请 5 分钟后再试"}), 303)
    user = request.app.state.serve_config.login(name, str(form.get("password", "")))
    if user is None:
        failures.append(time.monotonic())
        return RedirectResponse("/desk/login?" + urlencode({"error": "用户名或密码错误", "next": form.get("next", "")}),
                                303)
    response = RedirectResponse(_local(str(form.get("next", "/desk/"))), 303)
    response.set_cookie(SESSION_COOKIE, start_session(request, user.name), max_age=SESSION_TTL, **cookie_args(request))
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout")
async def logout(request: Request):
    user = need_user(request, "review")
    await posted(request, user)
    end_session(request)
    response = RedirectResponse("/desk/login", 303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# ------------------------------------------------------------------------------------------------------------ pages


@router.get("/")
async def home(request: Request, error: str = ""):
    user = need_user(request)
    from ..project.model import PROJECT_DOC_TYPES

    return page(request, "home.html.j2", user, entries=request.app.state.store.entries(), error=error,
                doc_types=PROJECT_DOC_TYPES)


@router.post("/upload")
async def upload(request: Request):
    from .api import PROJECT_ID, add_to_project, run_job

    user = need_user(request)
    form = await posted(request, user)
    upload = form.get("file")
    if upload is None or isinstance(upload, str) or not upload.filename:
        return RedirectResponse("/desk/?error=" + quote("请选择要上传的文件"), 303)
    data, name = await upload.read(), upload.filename
    project = str(form.get("project") or "").strip()
    store = request.app.state.store
    try:
        if project:
            if not PROJECT_ID.match(project):
                return RedirectResponse("/desk/?error=" + quote("项目编号只能由字母、数字、- 和 _ 组成"), 303)
            result = await add_to_project(request, project, name, data, str(form.get("doc_type") or "") or None)
            entry = store.put_project(project, user.name, result)
        else:
            result = await run_job(request, {"op": "check", "name": name, "data": data, "also_html": True})
            result["agency"] = str(form.get("agency") or "") or result.get("agency")
            entry = uuid.uuid4().hex[:16]
            store.add_document(entry, name, user.name, result)
    except HTTPException as exc:
        detail = exc.detail if isinstance(exc.detail, dict) else {"error": str(exc.detail)}
        line = detail.get("line") or detail.get("error", "")
        return RedirectResponse("/desk/?error=" + quote(f"{line}（退出码 {detail.get('exit_code', '-')}）"), 303)
    return RedirectResponse(f"/desk/entries/{entry}", 303)


@router.get("/projects")
async def open_project(request: Request, id: str = ""):
    """打开项目: a dossier built by the platform's uploads (or the desk's), by its project id."""
    need_user(request)
    entry = f"project-{id}"
    if not ENTRY_ID.match(entry) or request.app.state.store.entry(entry) is None:
        return RedirectResponse("/desk/?error=" + quote(f"没有项目 {id[:64]}"), 303)
    return RedirectResponse(f"/desk/entries/{entry}", 303)


@router.get("/entries/{entry_id}")
async def entry_page(request: Request, entry_id: str, error: str = ""):
    user = need_user(request)
    entry = request.app.state.store.entry(_entry_id(entry_id))
    if entry is None:
        raise HTTPException(404, detail={"error": "没有这个记录", "code": "not-found"})
    return page(request, "entry.html.j2", user, entry=entry, findings=request.app.state.store.findings_of(entry_id),
                error=error)


@router.get("/entries/{entry_id}/report")
async def entry_report(request: Request, entry_id: str):
    """The HTML report itself (framed by the entry page); a dossier's report as text."""
    need_user(request)
    entry = request.app.state.store.entry(_entry_id(entry_id))
    if entry is None:
        raise HTTPException(404, detail={"error": "没有这个记录", "code": "not-found"})
    body = entry["html"] or _render_html(entry)
    return Response(body, media_type="text/html; charset=utf-8", headers={
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        "X-Frame-Options": "SAMEORIGIN", "X-Content-Type-Options": "nosniff"})


def _render_html(entry) -> str:
    """An upload through the API keeps no HTML: render it from the stored report (without the clause context, which
    needs the parsed document)."""
    from markupsafe import escape

    if entry["kind"] == "project":
        from ..project.render import render_text
        from ..project.report import ProjectReport

        text = render_text(ProjectReport.model_validate_json(entry["report"]))
        return f"<!doctype html><meta charset=utf-8><pre style='white-space:pre-wrap'>{escape(text)}</pre>"
    from ..findings import Report
    from ..report.html import render_html

    return render_html(Report.model_validate_json(entry["report"]))


@router.post("/entries/{entry_id}/verdict")
async def verdict(request: Request, entry_id: str):
    user = need_user(request)
    form = await posted(request, user)
    key, choice, reason = str(form.get("key", "")), str(form.get("verdict", "")), str(form.get("reason", "")).strip()
    back = _local(str(form.get("back") or f"/desk/entries/{_entry_id(entry_id)}"))
    if choice not in VERDICTS:
        return RedirectResponse(_with_error(back, "请选择 确认、驳回 或 待定"), 303)
    if choice == "dismissed" and not reason:
        return RedirectResponse(_with_error(back, "驳回须填写理由"), 303)
    try:
        request.app.state.store.record_verdict(entry_id, key, choice, reason[:2000], user.name)
    except KeyError:
        raise HTTPException(404, detail={"error": "没有这个问题", "code": "not-found"}) from None
    return RedirectResponse(back, 303)


def _with_error(url: str, message: str) -> str:
    return url + ("&" if "?" in url else "?") + "error=" + quote(message)


@router.get("/queue")
async def queue(request: Request, stage: str = "", rule: str = "", agency: str = "", severity: str = "",
                error: str = ""):
    user = need_user(request)
    store = request.app.state.store
    filters = {"stage": stage, "rule": rule, "agency": agency, "severity": severity}
    return page(request, "queue.html.j2", user, rows=store.queue(**filters), facets=store.facets(), filters=filters,
                back=str(request.url.path) + ("?" + urlencode(filters) if any(filters.values()) else ""), error=error)


@router.get("/rules")
async def rules_page(request: Request):
    from ..feedback import rule_rates

    user = need_user(request)
    fb = request.app.state.serve_config.feedback
    rates = rule_rates(request.app.state.store, fb.dismissal_threshold, fb.min_reviews)
    titles = {k: v.get("title", "") for k, v in request.app.state.rules.items()}
    return page(request, "rules.html.j2", user, rates=rates, titles=titles, feedback=fb)


def _draw(request: Request, ratio: float, seed: str):
    """The 双随机 draw of `tendercheck sample` over the scan database given with --scan-db (read only)."""
    import sqlite3

    from ..batch.sample import draw
    from ..batch.store import Store
    from ..errors import TenderCheckError

    scan_db = request.app.state.options.get("scan_db")
    if not scan_db:
        return None, "未指定扫描结果库（tendercheck serve --scan-db results.sqlite）"
    try:
        store = Store(scan_db, readonly=True)
        try:
            return draw(store, min(max(ratio, 0.001), 1.0), seed or None), ""
        finally:
            store.close()
    except (TenderCheckError, ValueError, OSError, sqlite3.Error) as err:
        return None, getattr(err, "message", None) or str(err)


@router.get("/sample")
async def sample_page(request: Request, ratio: float = 0.05, seed: str = "", error: str = ""):
    user = need_user(request)
    drawn, problem = _draw(request, ratio, seed)
    return page(request, "sample.html.j2", user, drawn=drawn, ratio=ratio, seed=drawn.seed if drawn else seed,
                error=error or problem)


@router.post("/sample/open")
async def sample_open(request: Request):
    """Open a drawn document's scan report on the desk. The request names the draw (ratio, seed) and positions in it;
    the document itself is looked up in the scan database, so no path comes from the request."""
    import sqlite3

    user = need_user(request)
    form = await posted(request, user)
    try:
        ratio, rank, index = float(form.get("ratio", 0)), int(form.get("rank", -1)), int(form.get("doc", -1))
    except ValueError:
        raise HTTPException(400, detail={"error": "参数无效", "code": "usage"}) from None
    drawn, problem = _draw(request, ratio, str(form.get("seed", "")))
    if drawn is None or not 0 <= rank < len(drawn.drawn) or not 0 <= index < len(drawn.drawn[rank].documents):
        raise HTTPException(400, detail={"error": problem or "抽查名单中没有这个文件", "code": "usage"})
    project = drawn.drawn[rank]
    path = project.documents[index]
    db = sqlite3.connect(f"file:{request.app.state.options['scan_db']}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT sha256, exit_code, report_json FROM results WHERE run_id <= ? AND path = ? "
                         "AND report_json IS NOT NULL ORDER BY run_id DESC LIMIT 1", (drawn.run_id, path)).fetchone()
    finally:
        db.close()
    if row is None:
        return RedirectResponse(_with_error("/desk/sample?" + urlencode({"ratio": ratio, "seed": drawn.seed}),
                                            "这个文件没有可用的检查报告（无法读取或检查失败）"), 303)
    entry = f"scan-{row[0][:16]}"
    request.app.state.store.add_document(entry, path.rsplit("/", 1)[-1], user.name,
                                         {"report": row[2], "exit_code": row[1], "agency": project.agency or None},
                                         project=project.project_id)
    return RedirectResponse(f"/desk/entries/{entry}", 303)
