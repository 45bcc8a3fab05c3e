"""The service's own configuration (`--serve-config serve.toml`): API tokens, desk users, limits, feedback threshold.

Kept apart from tendercheck.toml on purpose: that file is the session (rule pack, waivers, params) shared with the CLI
and rejects unknown keys; secrets of the service do not belong in a file that lives beside the documents.

    [[tokens]]                     # a platform's bearer token, stored as its sha256 (tokens are long and random)
    name = "platform"
    sha256 = "9f86d08…"
    scopes = ["check"]             # check / review / admin (admin may do everything)

    [[users]]                      # a reviewer of the desk; password stored as scrypt (tendercheck serve --hash)
    name = "张三"
    password = "scrypt$16384$8$1$<salt hex>$<hash hex>"
    scopes = ["review"]

    [limits]
    max_upload_mb = 50             # 413 above this
    timeout = 120                  # seconds per document; a worker that overruns is killed and replaced
    queue_wait = 30                # seconds a request waits for a free worker before 503

    [feedback]
    dismissal_threshold = 0.5      # a rule dismissed at least this often is flagged for its owners …
    min_reviews = 5                # … once it has this many verdicts
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import UsageError
from ..feedback import FeedbackSettings  # the threshold `scan --review-db` flags with too

SCOPES = ("check", "review", "admin")


class Token(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    scopes: list[str] = Field(default_factory=lambda: ["check"])


class User(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    password: str = Field(pattern=r"^scrypt\$\d+\$\d+\$\d+\$[0-9a-f]+\$[0-9a-f]+$")
    scopes: list[str] = Field(default_factory=lambda: ["review"])


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_upload_mb: float = Field(default=50, gt=0, le=200)  # 200 MiB is the CLI's own file limit
    timeout: float = Field(default=120, gt=0)
    queue_wait: float = Field(default=30, gt=0)


class ServeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tokens: list[Token] = Field(default_factory=list)
    users: list[User] = Field(default_factory=list)
    limits: Limits = Field(default_factory=Limits)
    feedback: FeedbackSettings = Field(default_factory=FeedbackSettings)

    @property
    def max_upload_bytes(self) -> int:
        return int(self.limits.max_upload_mb * 1024 * 1024)

    def token_scopes(self, presented: str) -> Optional[set[str]]:
        """The scopes of a presented bearer token, or None. Compared in constant time against every stored hash."""
        digest = hashlib.sha256(presented.encode("utf-8")).hexdigest()
        found = None
        for t in self.tokens:
            if hmac.compare_digest(digest, t.sha256):
                found = set(t.scopes)
        return found

    def login(self, name: str, password: str) -> Optional[User]:
        user = next((u for u in self.users if u.name == name), None)
        if user is None:
            verify_password(password, DUMMY_HASH)  # same work for an unknown name: no user enumeration by timing
            return None
        return user if verify_password(password, user.password) else None


def has_scope(scopes: set[str], need: str) -> bool:
    return need in scopes or "admin" in scopes


def hash_password(password: str, n: int = 2 ** 14, r: int = 8, p: int = 1) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    _, n, r, p, salt, digest = stored.split("$")
    got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                         dklen=len(digest) // 2)
    return hmac.compare_digest(got.hex(), digest)


DUMMY_HASH = "scrypt$16384$8$1$" + "00" * 16 + "$" + "00" * 32


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return "tc_" + secrets.token_urlsafe(32)


def load_serve_config(path: Optional[str]) -> ServeConfig:
    if not path:
        return ServeConfig()
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"无法读取服务配置：{exc.strerror or exc}", path) from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"服务配置不是有效的 TOML：{exc}", path) from None
    try:
        config = ServeConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise UsageError(f"服务配置项 {where} 无效：{first['msg']}", path) from None
    for item in list(config.tokens) + list(config.users):
        bad = [s for s in item.scopes if s not in SCOPES]
        if bad:
            raise UsageError(f"服务配置中 {item.name} 的权限 {bad[0]} 无效（可用：{'、'.join(SCOPES)}）", path)
    return config
