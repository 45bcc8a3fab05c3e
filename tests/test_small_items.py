"""Smaller defects of issue 16: special files are not "empty", the README's gate script survives an upload named
like an option, a stray NUL does not reject a text, and no message is an untranslated library string."""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

ROOT = Path(__file__).resolve().parents[1]


def run(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_named_not_called_empty(tmp_path):
    fifo = tmp_path / "upload.pdf"
    os.mkfifo(fifo)
    result = run("check", fifo)  # must not block opening it, nor say 文件为空
    assert result.exit_code == 2 and "命名管道" in result.stderr and "为空" not in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_device_is_named_not_called_empty():
    result = run("check", "/dev/zero")
    assert result.exit_code == 2 and "设备文件" in result.stderr


def test_readme_gate_script_takes_an_upload_named_like_an_option(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    script = re.search(r"```sh\n(#!/bin/sh\n# gate\.sh.*?)```", readme, re.S).group(1)
    (tmp_path / "gate.sh").write_text(script, encoding="utf-8")
    shutil.copy(ROOT / "corpus" / "works_tender.docx", tmp_path / "-rf.docx")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run(["sh", "gate.sh", "-rf.docx"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert (tmp_path / "report.sarif").stat().st_size > 0 and (tmp_path / "report.html").stat().st_size > 0


def test_stray_nul_in_text_is_dropped_not_fatal(tmp_path):
    path = tmp_path / "tender.txt"
    path.write_bytes("某工程施工招标文件\n第一章 招标公告\n投标人须在本\x00市注册。\n".encode("utf-8"))
    result = run("check", path, "--format", "json")
    assert result.exit_code == 1 and "DQ-LOCAL-REGISTRATION" in result.stdout


def test_binary_with_many_nuls_is_still_refused(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x00\x01" * 5000)
    assert run("check", path).exit_code == 3


def test_pdfium_failure_reads_in_chinese(tmp_path):
    from checker.ingest.pdf_damage import pdfium_reason

    class Err(Exception):
        err_code = 0

    assert pdfium_reason(Err()) == "文件结构无法识别" and "Success" not in pdfium_reason(Err())


def test_os_errors_read_in_chinese():
    import errno

    from checker.errors import os_reason

    assert os_reason(OSError(errno.EINVAL, "Invalid argument")).startswith("无法按普通文件读取")
