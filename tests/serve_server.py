"""A real `tendercheck serve` process on 127.0.0.1 for the service tests: a free port, a serve.toml with a token per
scope and one reviewer, a fresh review database; started as the README says, stopped (by its own pid) afterwards."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from checker.serve.settings import hash_password, hash_token

ROOT = Path(__file__).resolve().parent.parent
TOKENS = {"check": "tc_test_check_token", "review": "tc_test_review_token", "admin": "tc_test_admin_token"}
REVIEWER, PASSWORD = "张三", "correct horse battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(folder: Path, max_upload_mb: float = 2, timeout: float = 60, min_reviews: int = 1) -> Path:
    lines = []
    for scope, token in TOKENS.items():
        lines += ["[[tokens]]", f'name = "{scope}"', f'sha256 = "{hash_token(token)}"', f'scopes = ["{scope}"]', ""]
    lines += ["[[users]]", f'name = "{REVIEWER}"', f'password = "{hash_password(PASSWORD)}"', 'scopes = ["review"]', "",
              "[limits]", f"max_upload_mb = {max_upload_mb}", f"timeout = {timeout}", "queue_wait = 60", "",
              "[feedback]", "dismissal_threshold = 0.5", f"min_reviews = {min_reviews}", ""]
    path = folder / "serve.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


class Server:
    def __init__(self, folder: Path, workers: int = 2, env: dict | None = None, args: tuple = (), **config):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = folder / "review.sqlite"
        cmd = [sys.executable, "-c", "import cli; cli.main()", "serve", "--host", "127.0.0.1", "--port",
               str(self.port), "--db", str(self.db), "--workers", str(workers),
               "--serve-config", str(write_config(folder, **config)), *args]
        self.log = open(folder / "server.log", "wb")
        # its own working directory: no tendercheck.toml of the developer's is picked up
        self.proc = subprocess.Popen(cmd, cwd=folder, stdout=self.log, stderr=subprocess.STDOUT,
                                     env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
                                     start_new_session=True)
        self._wait()

    def _wait(self, limit: float = 90) -> None:
        end = time.monotonic() + limit
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + (self.folder / "server.log").read_text(errors="replace"))
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("server did not start: " + (self.folder / "server.log").read_text(errors="replace"))

    def client(self, scope: str | None = "check", timeout: float = 120) -> httpx.Client:
        headers = {"Authorization": f"Bearer {TOKENS[scope]}"} if scope else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the server and its worker processes: our own group only
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self.log.close()
