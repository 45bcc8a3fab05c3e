"""The platform API, `/v1`: one HTTP call gates an upload with the CLI's answer.

POST /v1/check                      multipart `file` or a raw body with `?name=`; `?format=json|sarif|junit|html`
POST /v1/projects/{id}/documents    add a document to a dossier, re-run the cross-document rules, per-stage findings
GET  /v1/projects/{id}              the dossier's latest report
GET  /v1/rules, /v1/rules/{id}      the rule pack
GET  /healthz, /metrics             liveness; Prometheus text (admin token)

The gate verdict (the exit code of `tendercheck check` for the same file) is the `gate` field of a JSON answer and the
`X-Tendercheck-Exit` header of every answer. A document that cannot be read answers 422 with the CLI's one-line
reason, its code and exit code; a document past the per-document deadline 504; no free worker within queue_wait 503.
"""
from __future__ import annotations

import asyncio
import json
import re
import uuid
from typing import Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from ..errors import EXIT_DAMAGED, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE
from .auth import require
from .pool import PoolBusy, WorkerDied, WorkerTimeout

router = APIRouter()
PROJECT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
MEDIA = {"json": "application/json", "sarif": "application/sarif+json", "junit": "application/xml",
         "html": "text/html; charset=utf-8"}
EXIT_HEADER = "X-Tendercheck-Exit"
_UPLOAD_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary"},
        "doc_type": {"type": "string", "description": "案卷中的文件类型（可选，如 澄清、中标通知书）"},
        "agency": {"type": "string", "description": "代理机构（可选，供复核台筛选）"}}}},
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}
_ERROR = {"content": {"application/json": {"schema": {"type": "object", "properties": {
    "error": {"type": "string"}, "code": {"type": "string"}, "exit_code": {"type": "integer"},
    "line": {"type": "string", "description": "the CLI's one-line message for the same file"}}}}}}
_EXIT = {"X-Tendercheck-Exit": {"description": "the exit code of `tendercheck check` for the same file",
                                "schema": {"type": "integer"}}}
RESPONSES = {
    200: {"description": "检查完成：gate（门禁结论，即 CLI 的退出码）与报告（JSON 同 check --format json；"
                         "format=sarif/junit/html 时为该格式）", "headers": _EXIT},
    400: {"description": "用法错误（缺少文件或文件名、参数无效）", **_ERROR},
    401: {"description": "缺少或无效的令牌", **_ERROR},
    403: {"description": "令牌没有所需权限", **_ERROR},
    413: {"description": "上传超过大小上限", **_ERROR},
    422: {"description": "文件无法读取：CLI 的一行原因、代码与退出码（3–11、13–18）", "headers": _EXIT, **_ERROR},
    503: {"description": "检查进程均忙（Retry-After）", **_ERROR},
    504: {"description": "单个文件超过检查时限，检查进程已终止并替换", **_ERROR},
}
_project_locks: dict[str, asyncio.Lock] = {}


def load_rules(options: dict) -> dict:
    """id → the rule as JSON, the per-document pack (as configured) and the project pack, loaded once."""
    from pathlib import Path

    from ..config import load_config
    from ..rules.registry import load_packs

    config = load_config(Path(options["config"]) if options.get("config") else None)
    packs = load_packs(Path(options["rules_dir"]) if options.get("rules_dir") else None, None, config)
    pack, project = packs.document, packs.project
    rules = {r.id: r.model_dump(mode="json", exclude_none=True) | {"pack": pack.name} for r in pack.rules}
    rules.update({r.id: r.model_dump(mode="json", exclude_none=True) | {"pack": project.name} for r in project.rules})
    return rules


def gate_of(exit_code: int, fail_on: str) -> dict:
    verdict = {EXIT_OK: "pass", EXIT_FINDINGS: "fail", EXIT_DAMAGED: "damaged"}.get(exit_code, "unreadable")
    return {"exit_code": exit_code, "verdict": verdict, "passed": exit_code == EXIT_OK, "fail_on": fail_on}


async def read_upload(request: Request) -> tuple[str, bytes, dict]:
    """(client file name, bytes, other form fields) from a multipart form or a raw body with ?name=."""
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=10)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise HTTPException(400, detail={"error": "缺少上传文件字段 file", "code": "usage",
                                             "exit_code": EXIT_USAGE})
        data = await upload.read()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return upload.filename or "", data, fields
    name = request.query_params.get("name", "")
    if not name:
        raise HTTPException(400, detail={"error": "原始请求体须用 ?name= 给出文件名（含扩展名，如 招标文件.pdf）",
                                         "code": "usage", "exit_code": EXIT_USAGE})
    return name, await request.body(), dict(request.query_params)


async def run_job(request: Request, job: dict, documents: int = 1) -> dict:
    try:
        result = await request.app.state.pool.run(job, documents)
    except PoolBusy:
        raise HTTPException(503, detail={"error": "检查任务繁忙，请稍后重试", "code": "busy"},
                            headers={"Retry-After": "10"}) from None
    except WorkerTimeout:
        limit = request.app.state.serve_config.limits.timeout
        raise HTTPException(504, detail={"error": f"检查超过时限（每个文件 {limit:g} 秒），已终止",
                                         "code": "timeout"}) from None
    except WorkerDied:
        raise HTTPException(500, detail={"error": "检查进程意外退出（请连同文件报告此问题）", "code": "internal",
                                         "exit_code": EXIT_INTERNAL}) from None
    if "error" in result:
        request.app.state.metrics.observe_check(result["exit_code"], [])
        status = 400 if result["exit_code"] == EXIT_USAGE else 500 if result["exit_code"] == EXIT_INTERNAL else 422
        raise HTTPException(status, detail={k: result[k] for k in ("error", "code", "exit_code", "line")},
                            headers={EXIT_HEADER: str(result["exit_code"])})
    return result


REGIMES = ["工程", "政府采购", "依法必须招标", "其他招标", "军队采购", "企业自主采购"]


def overrides_of(doc_type, regime, procedure, procurement, on_date) -> dict:
    """The CLI's --doc-type/--regime/--procedure/--procurement/--date, validated as click validates them."""
    from datetime import date

    from ..rules.schema import DOC_TYPES
    from ..vocab import PROCEDURES

    for value, allowed, what in ((doc_type, DOC_TYPES, "doc_type"), (regime, REGIMES, "regime"),
                                 (procedure, PROCEDURES, "procedure"), (procurement, ["工程", "货物", "服务"],
                                                                         "procurement")):
        if value and value not in allowed:
            raise HTTPException(400, detail={"error": f"{what} 无效，可用：{'、'.join(allowed)}", "code": "usage",
                                             "exit_code": EXIT_USAGE})
    if on_date:
        try:
            date.fromisoformat(on_date)
        except ValueError:
            raise HTTPException(400, detail={"error": "date 应为 YYYY-MM-DD", "code": "usage",
                                             "exit_code": EXIT_USAGE}) from None
    found = {"doc_type": doc_type, "regime": regime, "procedure": procedure, "procurement": procurement,
             "date": on_date}
    return {k: v for k, v in found.items() if v}


@router.post("/v1/check", tags=["platform"], openapi_extra=_UPLOAD_BODY, responses=RESPONSES,
             summary="检查一个文件（同 tendercheck check），返回报告与门禁结论")
async def check(request: Request, format: str = Query("json", pattern="^(json|sarif|junit|html)$"),
                doc_type: Optional[str] = None, regime: Optional[str] = None, procedure: Optional[str] = None,
                procurement: Optional[str] = None, date: Optional[str] = Query(None, description="YYYY-MM-DD"),
                _: set = Depends(require("check"))):
    overrides = overrides_of(doc_type, regime, procedure, procurement, date)
    name, data, fields = await read_upload(request)
    result = await run_job(request, {"op": "check", "name": name, "data": data, "format": format,
                                     "overrides": overrides})
    report = json.loads(result["report"])
    request.app.state.metrics.observe_check(result["exit_code"], [f["rule_id"] for f in report["findings"]])
    entry = uuid.uuid4().hex[:16]
    result["agency"] = fields.get("agency") or result.get("agency")
    request.app.state.store.add_document(entry, name or "upload", "平台接口", result)
    headers = {EXIT_HEADER: str(result["exit_code"]), "X-Tendercheck-Review": entry}
    if format != "json":
        return Response(result["rendered"], media_type=MEDIA[format], headers=headers)
    gate = gate_of(result["exit_code"], result["fail_on"])
    if result.get("damage"):
        gate["reason"] = result["damage"]
    body = '{"gate":' + json.dumps(gate, ensure_ascii=False) + ',"review_id":"' + entry + '","report":' + \
        result["report"] + "}"
    return Response(body, media_type=MEDIA["json"], headers=headers)


def _project_dir(request: Request, project_id: str):
    if not PROJECT_ID.match(project_id):
        raise HTTPException(400, detail={"error": "项目编号只能由字母、数字、- 和 _ 组成（至多 64 个字符）",
                                         "code": "usage", "exit_code": EXIT_USAGE})
    return request.app.state.data_dir / "projects" / project_id


def project_answer(project_id: str, result: dict) -> Response:
    report = json.loads(result["report"])
    stages: dict[str, dict] = {}
    for f in report["findings"]:
        stages.setdefault(f["stage"], {"name": f["stage_name"], "findings": []})["findings"].append(
            {"rule_id": f["rule_id"], "severity": f["severity"], "title": f["title"], "message": f["message"],
             "documents": [e["path"] for e in f["documents"]], "comparison": f["values"].get("比较", "")})
    for d in report["documents"]:
        for f in d["findings"]:
            stages.setdefault(f["stage"], {"name": f["stage_name"], "findings": []})["findings"].append(
                {"rule_id": f["rule_id"], "severity": f["severity"], "title": f["title"], "message": f["message"],
                 "documents": [d["path"]], "excerpt": f["excerpt"]})
    gate = gate_of(result["exit_code"], result["fail_on"])
    body = {"project": project_id, "gate": gate, "stages": dict(sorted(stages.items())),
            "documents": [{k: d.get(k) for k in ("path", "doc_type", "stage", "type_from", "error", "error_code")}
                          for d in report["documents"]],
            "missing_documents": report["missing_documents"]}
    text = json.dumps(body, ensure_ascii=False)[:-1] + ',"report":' + result["report"] + "}"
    return Response(text, media_type=MEDIA["json"], headers={EXIT_HEADER: str(result["exit_code"])})


async def add_to_project(request: Request, project_id: str, name: str, data: bytes, doc_type: Optional[str]) -> dict:
    """One document into a dossier (the API's and the desk's): one change per dossier at a time, so numbering and
    the manifest stay consistent."""
    folder = _project_dir(request, project_id)
    async with _project_locks.setdefault(project_id, asyncio.Lock()):
        count = 1 + (sum(1 for p in folder.iterdir() if p.is_file()) if folder.is_dir() else 0)
        return await run_job(request, {"op": "project_add", "directory": str(folder), "name": name, "data": data,
                                       "doc_type": doc_type}, documents=count)


@router.post("/v1/projects/{project_id}/documents", tags=["platform"], openapi_extra=_UPLOAD_BODY, responses=RESPONSES,
             summary="向项目案卷添加一个文件，重新运行跨文件规则，返回按阶段的问题")
async def project_add(request: Request, project_id: str, doc_type: Optional[str] = None,
                      _: set = Depends(require("check"))):
    _project_dir(request, project_id)  # 400 for a bad id before the body is read
    name, data, fields = await read_upload(request)
    doc_type = fields.get("doc_type") or doc_type
    if doc_type:
        from ..project.model import PROJECT_DOC_TYPES

        if doc_type not in PROJECT_DOC_TYPES:
            raise HTTPException(400, detail={"error": f"文件类型无效，可用：{'、'.join(PROJECT_DOC_TYPES)}",
                                             "code": "usage", "exit_code": EXIT_USAGE})
    result = await add_to_project(request, project_id, name, data, doc_type)
    report = json.loads(result["report"])
    rules = [f["rule_id"] for f in report["findings"]] + [f["rule_id"] for d in report["documents"]
                                                          for f in d["findings"]]
    request.app.state.metrics.observe_check(result["exit_code"], rules)
    request.app.state.store.put_project(project_id, "平台接口", result)
    return project_answer(project_id, result)


@router.get("/v1/projects/{project_id}", tags=["platform"], summary="项目案卷的最新报告")
async def project_get(request: Request, project_id: str, _: set = Depends(require("check"))):
    _project_dir(request, project_id)
    entry = request.app.state.store.entry(f"project-{project_id}")
    if entry is None:
        raise HTTPException(404, detail={"error": "没有这个项目", "code": "not-found"})
    fail_on = request.app.state.options.get("fail_on") or "error"
    return project_answer(project_id, {"report": entry["report"], "exit_code": entry["exit_code"],
                                       "fail_on": fail_on})


@router.get("/v1/rules", tags=["rules"], summary="规则列表")
async def rules(request: Request, _: set = Depends(require("check"))):
    keys = ("id", "title", "severity", "regime", "stages", "pack")
    return [{k: r.get(k) for k in keys} for r in request.app.state.rules.values()]


@router.get("/v1/rules/{rule_id}", tags=["rules"], summary="一条规则的全部内容")
async def rule(request: Request, rule_id: str, _: set = Depends(require("check"))):
    found = request.app.state.rules.get(rule_id)
    if found is None:
        raise HTTPException(404, detail={"error": f"没有规则 {rule_id}", "code": "not-found"})
    return found


@router.get("/healthz", tags=["service"], summary="存活检查")
async def healthz(request: Request):
    pool = request.app.state.pool
    return JSONResponse({"status": "ok", "workers": pool.size, "busy": pool.busy})


@router.get("/metrics", tags=["service"], summary="Prometheus 指标", response_class=PlainTextResponse)
async def metrics(request: Request, _: set = Depends(require("admin"))):
    return PlainTextResponse(request.app.state.metrics.render(request.app.state.pool),
                             media_type="text/plain; version=0.0.4")
