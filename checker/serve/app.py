"""The ASGI application: FastAPI for the routes and the OpenAPI schema it publishes, uvicorn to serve it.

`create_app(...)` wires the session options (shared with the CLI: --config, --rules, --waivers, --fail-on), the
service configuration (tokens, users, limits), the review database and the data directory for dossiers; the worker
pool is started by the lifespan, before the first request is accepted.
"""
from __future__ import annotations

import re
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Optional

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from fastapi.responses import JSONResponse

from ..errors import UsageError
from .metrics import Metrics
from .pool import WorkerPool
from .settings import ServeConfig
from .store import ReviewStore


class _BodyTooLarge(Exception):
    pass


class LimitsAndMetrics:
    """Pure ASGI middleware: 413 for a body over the upload limit — from Content-Length before anything is read, or
    while a chunked body streams in — and every request counted and timed by its route template."""

    def __init__(self, app, max_bytes: int, metrics: Metrics):
        self.app = app
        self.max_bytes = max_bytes
        self.metrics = metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), [500]
        length = dict(scope.get("headers") or []).get(b"content-length")
        slack = 64 * 1024  # multipart framing around the file
        if length is not None and length.isdigit() and int(length) > self.max_bytes + slack:
            await self._too_large(send, status)
            return self._observe(scope, status[0], started)
        seen = [0]

        async def counted_receive():
            message = await receive()
            if message["type"] == "http.request":
                seen[0] += len(message.get("body", b""))
                if seen[0] > self.max_bytes + slack:
                    raise _BodyTooLarge()
            return message

        async def tracked_send(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _BodyTooLarge:
            await self._too_large(send, status)
        self._observe(scope, status[0], started)

    async def _too_large(self, send, status) -> None:
        status[0] = 413
        mib = self.max_bytes / 1024 / 1024
        body = JSONResponse({"error": f"上传文件过大，超过上限 {mib:g} MiB", "code": "too-large", "exit_code": 10},
                            status_code=413)
        await body({"type": "http"}, None, send)

    def _observe(self, scope, status: int, started: float) -> None:
        name = getattr(scope.get("route"), "path", None) or _known_route(scope["path"])
        self.metrics.observe_request(scope["method"], name, status, time.perf_counter() - started)


def _known_route(path: str) -> str:
    """A request answered before routing (413 from Content-Length) still counts under its route template."""
    if path == "/v1/check":
        return path
    if re.match(r"^/v1/projects/[^/]+/documents$", path):
        return "/v1/projects/{project_id}/documents"
    return "/desk/upload" if path == "/desk/upload" else "other"


def create_app(options: dict, serve_config: ServeConfig, db: str, data_dir: str, workers: int,
               pool: Optional[WorkerPool] = None) -> FastAPI:
    from . import api, desk

    pool = pool or WorkerPool(workers, options, serve_config.limits.timeout, serve_config.limits.queue_wait)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await app.state.pool.attach()
        yield
        app.state.pool.stop()

    app = FastAPI(title="tendercheck", version=_version(),
                  description="招标采购文件合规检查：交易平台接口（/v1，Bearer 令牌）与复核台（/desk）。"
                              "退出码与 `tendercheck check` 相同，见 README。", lifespan=lifespan)
    app.state.pool = pool
    app.state.metrics = Metrics()
    app.state.serve_config = serve_config
    app.state.store = ReviewStore(db)
    app.state.data_dir = Path(data_dir)
    app.state.options = options
    app.state.rules = api.load_rules(options)
    app.state.login_failures = {}  # desk user name → monotonic times of failed logins (desk.MAX_FAILURES)

    @app.exception_handler(HTTPException)
    async def _http_error(request, exc: HTTPException):
        detail = exc.detail if isinstance(exc.detail, dict) else {"error": str(exc.detail), "code": "http"}
        return JSONResponse(detail, status_code=exc.status_code, headers=exc.headers)

    app.include_router(api.router)
    app.include_router(desk.router)
    app.add_middleware(LimitsAndMetrics, max_bytes=serve_config.max_upload_bytes, metrics=app.state.metrics)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tendercheck")
    except PackageNotFoundError:  # pragma: no cover - a source checkout without install
        return "0"


def serve(host: str, port: int, db: str, workers: int, options: dict, serve_config: ServeConfig,
          data_dir: Optional[str] = None, announce=None) -> None:
    """Start the pool (a bad configuration fails here, before the port opens), then uvicorn."""
    import uvicorn

    _check_port(host, port)  # a port in use is a usage error (exit 2), found before the workers start
    data = data_dir or str(Path(db).resolve().parent / "tendercheck-data")
    try:
        Path(data).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"无法创建数据目录：{exc.strerror or exc}", data) from None
    pool = WorkerPool(workers, options, serve_config.limits.timeout, serve_config.limits.queue_wait)
    pool.start()
    app = create_app(options, serve_config, db, data, workers, pool)
    if announce is not None:
        announce()
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    except SystemExit as exc:  # uvicorn exits 1 when it cannot bind after all (a race with another process)
        if exc.code:
            raise UsageError(f"无法监听 {host}:{port}") from None
    finally:
        pool.stop()


def _check_port(host: str, port: int) -> None:
    import socket

    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise UsageError(f"无法解析监听地址 {host}：{exc.strerror or exc}") from None
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: TIME_WAIT is no conflict
        try:
            s.bind(addr)
        except OSError as exc:
            raise UsageError(f"无法监听 {host}:{port}：{exc.strerror or exc}（端口已被占用或没有权限）") from None
