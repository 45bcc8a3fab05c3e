"""LibreOffice runs sandboxed (issue 16, defect 1): an HTML file saved as .doc that points at a loopback listener
and at a local file must make no request and read nothing outside the scratch directory."""
import socket
import threading
import zipfile

import pytest

from checker.errors import UnsupportedType
from checker.ingest import convert

pytestmark = pytest.mark.skipif(convert.find_soffice() is None, reason="LibreOffice (soffice) is not on PATH")

SECRET = "机密标记QX7"


def _hostile_doc(tmp_path, port):
    secret = tmp_path / "secret.html"
    secret.write_text(f"<html><body><p>{SECRET}</p></body></html>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    url = f"http://127.0.0.1:{port}"
    doc = tmp_path / "upload.doc"
    doc.write_text(f"""<html><head><meta charset="utf-8">
<link rel="stylesheet" href="{url}/style.css"><script src="{url}/x.js"></script></head><body>
<p>第一章 招标公告</p><p>投标人须在本市注册。</p>
<img src="{url}/logo.png"><img src="file://{tmp_path}/logo.png"><iframe src="{url}/frame.html"></iframe>
<iframe src="file://{secret}"></iframe><object data="file://{tmp_path}/secret.txt"></object>
<a href="{url}/link">链接</a></body></html>""", encoding="utf-8")
    return doc


class _Listener:
    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.mark.skipif(convert.sandbox_command() is None, reason="this machine cannot make namespaces")
def test_conversion_makes_no_request_and_reads_no_outside_file(tmp_path):
    listener = _Listener()
    try:
        out = convert.convert_to_docx(_hostile_doc(tmp_path, listener.port), tmp_path / "out")
    finally:
        listener.close()
    assert listener.connections == 0
    with zipfile.ZipFile(out) as zf:
        body = b"".join(zf.read(n) for n in zf.namelist())
    assert "本市注册".encode() in body  # the conversion itself still works
    assert SECRET.encode() not in body


def test_without_a_sandbox_html_masquerading_as_doc_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(convert, "sandbox_command", lambda: None)
    with pytest.raises(UnsupportedType) as info:
        convert.convert_to_docx(_hostile_doc(tmp_path, 9), tmp_path / "out")
    assert info.value.exit_code == 8 and "隔离" in info.value.message


@pytest.mark.skipif(convert.sandbox_command() is None, reason="this machine cannot make namespaces")
def test_sandbox_sees_only_the_scratch_directory(tmp_path):
    import subprocess

    (tmp_path / "outside.txt").write_text("x")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    # /proc/net/dev lists the devices of the reader's network namespace: only the loopback, down.
    probe = (f'[ ! -e {tmp_path}/outside.txt ] && [ ! -e /etc/shadow ] && [ -z "$(ls -A /root)" ]'
             ' && [ -z "$(ls -A /home)" ] && [ -e /etc/fonts ]'
             ' && [ "$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " ")" = lo ] && touch /mnt/ok')
    subprocess.run(convert.sandbox_command() + [str(scratch), "sh", "-c", probe], timeout=30)
    assert (scratch / "ok").exists()
