"""`tendercheck serve` and `tendercheck review export`: options in, the service or the export out."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from ..errors import UsageError


def serve_command(host: str, port: int, db: str, workers: int, config_file: Optional[str], rules_dir: Optional[str],
                  waivers_file: Optional[str], fail_on: Optional[str], serve_config: Optional[str],
                  data_dir: Optional[str], scan_db: Optional[str], echo=print) -> int:
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise UsageError("服务需要 FastAPI 和 uvicorn：pip install -e '.[serve]'") from None
    from .app import serve
    from .settings import load_serve_config

    config = load_serve_config(serve_config)
    if not config.tokens and not config.users:
        echo("tendercheck serve: 服务配置中没有令牌和用户（--serve-config）：接口和复核台都将拒绝所有请求", err=True)
    options = {"config": _abs(config_file), "rules_dir": _abs(rules_dir), "waivers": _abs(waivers_file),
               "fail_on": fail_on, "scan_db": _abs(scan_db)}
    if options["config"] is None:  # resolved once here, as `check` finds it from the current directory
        from ..config import find_config

        found = find_config()
        options["config"] = str(found.resolve()) if found else None
    try:
        Path(db).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"无法创建复核数据库目录：{exc.strerror or exc}", db) from None
    def announce():
        echo(f"tendercheck serve: http://{host}:{port}/desk/ （接口文档 /docs，{workers} 个检查进程）", err=True)

    serve(host, port, db, workers, options, config, data_dir, announce)
    return 0


def _abs(path: Optional[str]) -> Optional[str]:
    return str(Path(path).resolve()) if path else None


def hash_command(kind: str, echo=print) -> int:
    """Read a secret from stdin; print what goes into serve.toml (a new random token when stdin is empty)."""
    from .settings import hash_password, hash_token, new_token

    secret = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else ""
    if kind == "token":
        token = secret or new_token()
        if not secret:
            echo(f"# 令牌（只显示这一次，交给平台）：{token}")
        echo(f'sha256 = "{hash_token(token)}"')
    else:
        if not secret:
            import getpass

            secret = getpass.getpass("密码：")
        if len(secret) < 8:
            raise UsageError("密码至少 8 个字符")
        echo(f'password = "{hash_password(secret)}"')
    return 0


def export_command(db: str, output: str, echo=print) -> int:
    from .feedback import export_examples

    written = export_examples(db, output)
    for p in written:
        echo(str(p))
    echo(f"{len(written)} 条规则的候选示例已写入 {output}")
    return 0
