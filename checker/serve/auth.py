"""Who may do what: bearer tokens for the platform API, login sessions with CSRF tokens for the desk.

API: `Authorization: Bearer <token>`; the token's sha256 is looked up in the service configuration (settings.py);
401 without a known token, 403 without the scope. Desk: a random session id in an HttpOnly, SameSite=Strict cookie
(only its sha256 is stored), and a per-session CSRF token that every form carries and every POST must repeat. The
login form itself is protected by a double-submit token (cookie + hidden field), since there is no session yet.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Optional

from fastapi import HTTPException, Request

from .settings import has_scope

SESSION_COOKIE = "tc_session"
LOGIN_COOKIE = "tc_login"
SESSION_TTL = 12 * 3600  # a working day


def require(scope: str):
    """FastAPI dependency: the request's bearer token must carry `scope` (admin carries every scope)."""

    def check(request: Request) -> set[str]:
        header = request.headers.get("authorization", "")
        kind, _, token = header.partition(" ")
        scopes = request.app.state.serve_config.token_scopes(token.strip()) if kind.lower() == "bearer" else None
        if not scopes:
            raise HTTPException(401, detail={"error": "缺少或无效的访问令牌（Authorization: Bearer …）",
                                             "code": "unauthorized"}, headers={"WWW-Authenticate": "Bearer"})
        if not has_scope(scopes, scope):
            raise HTTPException(403, detail={"error": f"令牌没有 {scope} 权限", "code": "forbidden"})
        return scopes

    return check


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DeskUser:
    def __init__(self, name: str, csrf: str, scopes: set[str]):
        self.name = name
        self.csrf = csrf
        self.scopes = scopes

    def can(self, scope: str) -> bool:
        return has_scope(self.scopes, scope)


def desk_user(request: Request) -> Optional[DeskUser]:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    row = request.app.state.store.session(_hash(token))
    if row is None:
        return None
    user = next((u for u in request.app.state.serve_config.users if u.name == row["user"]), None)
    if user is None:  # removed from the configuration since: the session ends with it
        return None
    return DeskUser(user.name, row["csrf"], set(user.scopes))


def start_session(request: Request, user: str) -> str:
    token = secrets.token_urlsafe(32)
    request.app.state.store.new_session(_hash(token), user, secrets.token_urlsafe(24), SESSION_TTL)
    return token


def end_session(request: Request) -> None:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        request.app.state.store.end_session(_hash(token))


def csrf_ok(expected: str, given: Optional[str]) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected, str(given))


def cookie_args(request: Request) -> dict:
    return {"httponly": True, "samesite": "strict", "secure": request.url.scheme == "https", "path": "/"}
