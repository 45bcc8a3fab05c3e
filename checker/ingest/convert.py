"""Turn a legacy .doc/.wps (or an RTF/HTML/Word-XML file saved under a .doc name) into .docx with LibreOffice.

Only LibreOffice reads these formats well enough, so it is an optional runtime tool, not a Python dependency: when
it is missing the user gets ConverterMissing with the install command, and .docx/.pdf input keeps working.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from checker.errors import ConverterMissing, CorruptFile

TIMEOUT_S = 120
_LOCK = threading.Lock()
_INSTALL_HINT = ("处理 .doc/.wps 需要 LibreOffice：请安装（如 apt-get install libreoffice-writer-nogui）并确保 soffice "
                 "在 PATH 中，或先用 Word/WPS 另存为 .docx")


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(path: Path, workdir: Path, timeout: float = TIMEOUT_S) -> Path:
    """Convert `path` into `workdir`/<stem>.docx and return that path."""
    path, workdir = Path(path), Path(workdir)
    soffice = find_soffice()
    if soffice is None:
        raise ConverterMissing(_INSTALL_HINT, str(path))
    workdir.mkdir(parents=True, exist_ok=True)
    out = workdir / f"{path.stem}.docx"
    out.unlink(missing_ok=True)  # a stale result from an earlier run must not pass for this one

    cmd = [
        soffice,
        # LibreOffice locks its user profile: two conversions sharing one fail or hang, so each process gets its own.
        f"-env:UserInstallation={_profile_dir().as_uri()}",
        "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
        # Name the filter: without it LibreOffice picks Writer/Web for HTML input and then finds no docx exporter.
        "--convert-to", "docx:MS Word 2007 XML",
        "--outdir", str(workdir),
        str(path.resolve()),
    ]
    # soffice is a wrapper that starts soffice.bin; a new session lets a timeout kill the whole group, not just
    # the wrapper (which would leave soffice.bin running and holding the profile lock).
    with _LOCK:  # threads of one process share its profile, so they take turns
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            log, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            log = None
    if log is None:
        raise CorruptFile(f"LibreOffice 转换超时（{timeout:.0f} 秒），文件可能已损坏或受密码保护", str(path))

    # LibreOffice exits 0 even when it could not load the source, so the output file is the only reliable verdict.
    if not out.is_file() or out.stat().st_size == 0:
        reason = _last_line(log.decode("utf-8", "replace")) or f"退出码 {proc.returncode}"
        raise CorruptFile(f"LibreOffice 无法转换此文件（{reason}），文件可能已损坏或受密码保护", str(path))
    return out


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _last_line(log: str) -> str:
    lines = [ln.strip() for ln in log.splitlines() if ln.strip() and "javaldx" not in ln]
    return lines[-1][:200] if lines else ""


_CLEANUP_REGISTERED: set[int] = set()


def _profile_dir() -> Path:
    """One LibreOffice profile per process, kept for the process's lifetime (creating one costs a second or two).

    Keyed on the current pid rather than cached, so a forked worker gets its own profile instead of its parent's."""
    pid = os.getpid()
    profile = Path(tempfile.gettempdir()) / f"tendercheck-lo-{pid}"
    if pid not in _CLEANUP_REGISTERED:
        _CLEANUP_REGISTERED.add(pid)
        atexit.register(shutil.rmtree, profile, ignore_errors=True)
    return profile
