"""Turn a legacy .doc/.wps (or an RTF/HTML/Word-XML file saved under a .doc name) into .docx with LibreOffice.

Only LibreOffice reads these formats well enough, so it is an optional runtime tool, not a Python dependency: when
it is missing the user gets ConverterMissing with the install command, and .docx/.pdf input keeps working.

LibreOffice follows what a document points to: an HTML file saved as .doc made it send HTTP requests to a loopback
listener and open local files (issue 16). Uploads are hostile, so soffice runs in a sandbox (`sandbox_command`): its
own network namespace with nothing but a down loopback, its own pid namespace and /proc, and a mount namespace in
which every directory that can hold data (/root, /home, /work, /tmp, /var except the font cache, /srv, /opt, /run,
/media, /boot) is an empty tmpfs and /etc shows only what soffice needs to start (fonts, its own configuration, the
loader cache, passwd/group); the only writable place is the scratch directory holding a copy of the input and the
profile. Where no namespace can be made, HTML/RTF/Word-XML masquerading as .doc (the formats that carry links)
is refused rather than converted unsandboxed.
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

from functools import lru_cache

from checker.errors import ConverterMissing, CorruptFile, UnsupportedType

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
    sandbox = sandbox_command()
    if sandbox is None and _carries_links(path):
        raise UnsupportedType("文件实际是网页/RTF/Word XML（扩展名为 .doc），此环境无法隔离转换程序的网络和文件访问，为安全起见"
                              "不予转换；请用 Word/WPS 另存为 .docx", str(path))

    scratch = _scratch_dir()
    job = scratch / "job"
    shutil.rmtree(job, ignore_errors=True)
    (job / "out").mkdir(parents=True)
    (job / "tmp").mkdir()
    # A neutral name inside the scratch directory: the sandbox sees nothing else, and a name like `-rf.doc` or one
    # with a newline never reaches soffice's command line.
    src = job / ("input" + (path.suffix.lower() if path.suffix.lower() in (".doc", ".wps") else ".doc"))
    shutil.copyfile(path, src)
    base = Path("/mnt") if sandbox else scratch  # where the scratch directory appears to soffice
    cmd = [
        soffice,
        # LibreOffice locks its user profile: two conversions sharing one fail or hang, so each process gets its own.
        f"-env:UserInstallation={(base / 'profile').as_uri()}",
        "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
        # Name the filter: without it LibreOffice picks Writer/Web for HTML input and then finds no docx exporter.
        "--convert-to", "docx:MS Word 2007 XML",
        "--outdir", str(base / "job" / "out"),
        str(base / "job" / src.name),
    ]
    if sandbox:
        cmd = sandbox + [str(scratch)] + cmd
    env = dict(os.environ, HOME=str(base / "job" / "tmp"), TMPDIR=str(base / "job" / "tmp"),
               # LibreOffice's own packages install under /opt: the directory holding soffice stays visible.
               TC_KEEP="/" + Path(soffice).resolve().parts[1] if len(Path(soffice).resolve().parts) > 1 else "")
    # soffice is a wrapper that starts soffice.bin; a new session lets a timeout kill the whole group, not just
    # the wrapper (which would leave soffice.bin running and holding the profile lock).
    with _LOCK:  # threads of one process share its profile, so they take turns
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True, env=env, cwd=scratch)
        try:
            log, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            log = None
    if log is None:
        raise CorruptFile(f"LibreOffice 转换超时（{timeout:.0f} 秒），文件可能已损坏或受密码保护", str(path))

    # LibreOffice exits 0 even when it could not load the source, so the output file is the only reliable verdict.
    result = job / "out" / (src.stem + ".docx")
    if not result.is_file() or result.stat().st_size == 0:
        reason = _last_line(log.decode("utf-8", "replace")) or f"退出码 {proc.returncode}"
        raise CorruptFile(f"LibreOffice 无法转换此文件（{reason}），文件可能已损坏或受密码保护", str(path))
    shutil.move(str(result), out)
    shutil.rmtree(job, ignore_errors=True)
    return out


def _carries_links(path: Path) -> bool:
    """HTML, RTF or Word 2003 XML under a .doc name (see sniff._by_magic): formats whose links LibreOffice follows."""
    with open(path, "rb") as f:
        head = f.read(8192)
    lead = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return not head.startswith(b"\xd0\xcf\x11\xe0") and (lead.startswith((b"{\\rtf", b"<", b"\xff\xfe", b"\xfe\xff")))


# Runs inside the namespaces: bind the scratch directory to /mnt, then hide every place data lives. Mounts made here
# die with the namespace (unshare makes propagation private), so the host never sees them.
_SANDBOX_SH = r"""
set -e
mount --bind "$1" /mnt
shift
for d in /root /home /work /tmp /srv /opt /run /media /boot /lost+found /var/*; do
  case "$d" in /var/cache|"${TC_KEEP:-/nonexistent}") continue ;; esac
  if [ -d "$d" ] && [ ! -L "$d" ]; then mount -t tmpfs -o size=1m,mode=0755 tmpfs "$d"; fi
done
for d in /var/cache/*; do
  case "$d" in /var/cache/fontconfig) continue ;; esac
  if [ -d "$d" ] && [ ! -L "$d" ]; then mount -t tmpfs -o size=1m,mode=0755 tmpfs "$d"; fi
done
# /etc holds secrets (/etc/shadow for root, keys, service configuration): only what soffice needs to start is
# bound back, through a staging directory in the scratch directory (empty files and directories on the host).
rm -rf /mnt/.etc && mkdir /mnt/.etc
for e in fonts libreoffice alternatives ld.so.cache ld.so.conf ld.so.conf.d passwd group nsswitch.conf hosts \
         localtime timezone mime.types; do
  if [ -d "/etc/$e" ] && [ ! -L "/etc/$e" ]; then mkdir "/mnt/.etc/$e"; mount --rbind "/etc/$e" "/mnt/.etc/$e"
  elif [ -L "/etc/$e" ]; then cp -P "/etc/$e" "/mnt/.etc/$e"
  elif [ -e "/etc/$e" ]; then : > "/mnt/.etc/$e"; mount --bind "/etc/$e" "/mnt/.etc/$e"; fi
done
mount --rbind /mnt/.etc /etc
cd /mnt
exec "$@"
"""


@lru_cache(maxsize=1)
def sandbox_command() -> list[str] | None:
    """The command prefix that runs a program sandboxed (scratch directory as its first argument), or None where
    this machine cannot make the namespaces (no unshare, or unprivileged user namespaces disabled)."""
    unshare = shutil.which("unshare")
    if unshare is None or not Path("/mnt").is_dir():
        return None
    flags = ["--net", "--mount", "--pid", "--fork", "--mount-proc"]
    if os.geteuid() != 0:
        flags = ["--user", "--map-root-user"] + flags
    prefix = [unshare, *flags, "sh", "-c", _SANDBOX_SH, "tendercheck-sandbox"]
    try:
        probe = tempfile.mkdtemp(prefix="tendercheck-probe-")
        ok = subprocess.run(prefix + [probe, "sh", "-c", '[ ! -e "$0" ] && touch /mnt/ok', probe],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            timeout=20).returncode == 0 and Path(probe, "ok").exists()
        shutil.rmtree(probe, ignore_errors=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return prefix if ok else None


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


def _scratch_dir() -> Path:
    """One scratch directory per process holding the LibreOffice profile (kept for the process's lifetime: creating
    one costs a second or two) and the job being converted; the sandbox sees this directory and nothing else.

    Keyed on the current pid rather than cached, so a forked worker gets its own profile instead of its parent's."""
    pid = os.getpid()
    profile = Path(tempfile.gettempdir()) / f"tendercheck-lo-{pid}"
    profile.mkdir(mode=0o700, exist_ok=True)
    if pid not in _CLEANUP_REGISTERED:
        _CLEANUP_REGISTERED.add(pid)
        atexit.register(shutil.rmtree, profile, ignore_errors=True)
    return profile
