"""The one adapter between the service and the checker: the Session of `tendercheck check` and `project`
(checker.session: rules, templates, waivers, fail level) and the report writers, run inside a worker process.
`setup` builds the Session, `check_upload` and `project_add` call it. Everything returned is plain data (dicts, str),
so it crosses the process pipe.

No name from a request becomes a path: an upload is written under a fresh temporary directory (or the project's
directory, whose id the API has validated) as `upload.<ext>` / `NN_<stem>.<ext>`, where the stem keeps only letters,
digits and CJK characters and the extension comes from a fixed list.
"""
from __future__ import annotations

import os
import re
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Optional

from ..errors import EXIT_DAMAGED, EXIT_INTERNAL, TenderCheckError

EXTENSIONS = ("docx", "pdf", "doc", "wps", "txt", "md", "png", "jpg", "jpeg", "tif", "tiff")
FORMATS = ("json", "sarif", "junit", "html")
# Tests only, and only with this variable set to 1: an upload named *__tc_hang__* sleeps (a parser that hangs).
TEST_HOOKS_ENV = "TENDERCHECK_SERVE_TEST_HOOKS"
_AGENCY = re.compile(r"(?:招标|采购)?代理(?:机构|人)(?:名称)?[:：]\s*([^\s,，。;；:：]{4,40})")

_STATE: dict = {}


def setup(options: dict) -> None:
    """Build the session once per worker process: configuration, rule packs, templates, waivers, fail level, the
    Checker and the dossier checker (checker.session, as the CLI builds it). A bad configuration raises here, before
    the server accepts requests."""
    from ..limits import apply_memory_ceiling
    from ..session import Session, SessionOptions
    from ..tokenize import tokens

    session = Session(SessionOptions(config=options.get("config"), rules_dir=options.get("rules_dir"),
                                     waivers=options.get("waivers"), fail_on=options.get("fail_on")), project=True)
    _STATE.update(session=session, options=options)
    session.configure_ocr(progress=False, jobs=1)
    tokens("初始化")  # jieba's dictionary now, not in the first request
    apply_memory_ceiling()  # one hostile document ends as exit 18 in this worker, not in the OOM killer


def safe_name(name: str) -> tuple[str, Optional[str]]:
    """(stem, extension) of a client's file name, with nothing a file system could misread: no directories, no dots,
    no control characters; the extension only when it is one the checker reads."""
    base = re.split(r"[\\/]", name or "")[-1]
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = ext.lower()
    clean = re.sub(r"[^0-9A-Za-z\u4e00-\u9fff_-]+", "_", stem).strip("_")[:40] or "document"
    return clean, ext if ext in EXTENSIONS else None


def _hooks(name: str) -> None:
    if os.environ.get(TEST_HOOKS_ENV) == "1" and "__tc_hang__" in name:
        time.sleep(3600)


def _error(err: TenderCheckError, name: str) -> dict:
    err.path = name
    return {"error": err.message, "code": err.code, "exit_code": err.exit_code, "line": err.one_line()}


def agency_of(doc) -> Optional[str]:
    for c in doc.clauses[:400]:
        m = _AGENCY.search(c.text)
        if m:
            return m.group(1)
    return None


def check_upload(name: str, data: bytes, fmt: str = "json", also_html: bool = False,
                 overrides: Optional[dict] = None) -> dict:
    """One uploaded document, checked as `tendercheck check FILE --format fmt` would (`overrides`: the CLI's
    --regime, --procedure, --procurement, --doc-type, --date, validated by the API): {"report": JSON text,
    "exit_code", "rendered" (the body in fmt), "html" (also_html), "agency", "damage"} or {"error", "code",
    "exit_code", "line"} for a document that cannot be read — the CLI's one-line reason and exit code."""
    from ..ingest import parse
    from ..report.gate import damage, exit_code, render
    from ..session import DocumentOptions

    session = _STATE["session"]
    _hooks(name)
    stem, ext = safe_name(name)
    try:
        with tempfile.TemporaryDirectory(prefix="tendercheck-serve-") as tmp:
            target = Path(tmp) / (f"upload.{ext}" if ext else "upload")
            target.write_bytes(data)
            doc = parse(target, declared=ext)  # no extension: the bytes decide, as for such a file on the CLI
        doc = doc.model_copy(update={"source": doc.source.model_copy(update={"path": f"{stem}.{ext or 'bin'}"})})
        o = overrides or {}
        on_date = date.fromisoformat(o["date"]) if o.get("date") else None
        report = session.check(doc, DocumentOptions(regime=o.get("regime"), doc_type=o.get("doc_type"),
                                                    procurement=o.get("procurement"), procedure=o.get("procedure"),
                                                    on_date=on_date))
    except TenderCheckError as err:
        return _error(err, name)
    except MemoryError:
        from ..limits import out_of_memory

        return _error(out_of_memory(name), name)
    code = exit_code(report, session.fail_on)
    out = {"report": report.model_dump_json(indent=1), "exit_code": code, "fail_on": session.fail_on,
           "agency": agency_of(doc), "doc_type": report.document.doc_type}
    if code == EXIT_DAMAGED:
        out["damage"] = damage(report)[0].detail
    if fmt != "json":
        data_out = render(report, fmt, fail_on=session.fail_on, pack=session.pack, doc=doc)
        out["rendered"] = data_out if isinstance(data_out, str) else data_out.decode("utf-8")
    if also_html:
        out["html"] = render(report, "html", fail_on=session.fail_on, pack=session.pack, doc=doc)
    return out


def project_add(directory: str, name: str, data: bytes, doc_type: Optional[str] = None) -> dict:
    """Add one document to the dossier in `directory` (made by the caller from a validated id) and re-run the
    project check over all of it, as `tendercheck project DIR --format json`."""
    _hooks(name)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    stem, ext = safe_name(name)
    if ext is None:
        from ..errors import UnsupportedType
        from ..ingest.sniff import SUPPORTED

        return _error(UnsupportedType(f"案卷文件须有可识别的扩展名；{SUPPORTED}"), name)
    n = 1 + sum(1 for p in folder.iterdir() if p.is_file() and re.match(r"^\d{2}_", p.name))
    target = folder / f"{n:02d}_{stem}.{ext}"
    target.write_bytes(data)
    if doc_type:
        _manifest_entry(folder, target.name, doc_type)
    return project_report(directory)


def _manifest_entry(folder: Path, filename: str, doc_type: str) -> None:
    import yaml

    path = folder / "project.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    data.setdefault("documents", []).append({"path": filename, "doc_type": doc_type})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def project_report(directory: str) -> dict:
    from ..project.cli import exit_code
    from ..session import ProjectOptions

    session = _STATE["session"]
    try:
        report = session.check_project(ProjectOptions(directory=directory))
    except TenderCheckError as err:
        return _error(err, Path(directory).name)
    return {"report": report.model_dump_json(indent=1), "exit_code": exit_code(report, session.fail_on),
            "fail_on": session.fail_on}


def run(job: dict) -> dict:
    """A job from the pool: {"op": "check"|"project_add"|"project", ...}. A bug of ours answers exit 12 in one line."""
    try:
        if job["op"] == "check":
            return check_upload(job["name"], job["data"], job.get("format", "json"), job.get("also_html", False),
                                job.get("overrides"))
        if job["op"] == "project_add":
            return project_add(job["directory"], job["name"], job["data"], job.get("doc_type"))
        return project_report(job["directory"])
    except Exception as exc:  # noqa: BLE001 - one line and a code of its own, as the CLI's internal error
        msg = f"内部错误 {type(exc).__name__}: {exc}".replace("\n", " ")
        return {"error": msg, "code": "internal", "exit_code": EXIT_INTERNAL,
                "line": f"tendercheck: {job.get('name', '')}: {msg} [internal]"}
