"""One project in a worker process: every document checked in the project's context, then the cross-document
rules (`tendercheck project`'s runner), returned as one plain-data Outcome whose `documents` are the per-document
Outcomes and whose `findings` are the project findings. Never raises for a bad project (the batch goes on)."""
from __future__ import annotations

import os
import socket
import time
import traceback
from pathlib import Path
from typing import Optional

from .store import Outcome

_SESSION = None


def get_project_checker(spec):
    """The process's project Session for `spec` (a resolved SessionOptions: both packs as configured, templates,
    waivers, baseline, as `tendercheck project` builds it), built once: in the parent before the pool forks, or on a
    worker's first project."""
    global _SESSION
    if _SESSION is None or _SESSION.options != spec:
        from ..session import Session

        _SESSION = Session(spec, project=True)
    return _SESSION


def _dossier(job: dict):
    """The Dossier of a project job: a folder read as `tendercheck project` reads it (its manifest and registration),
    limited to the documents the scan kept; or a scan manifest's group with each row's type and stage."""
    from ..project.dossier import Dossier, DossierDoc, discover
    from ..project.model import PROJECT_DOC_TYPES, ManifestEntry

    files = {str(Path(d["path"]).resolve()): d for d in job["documents"]}
    if job.get("folder"):
        dossier = discover(Path(job["folder"]))
        dossier.docs = [d for d in dossier.docs if str(d.path.resolve()) in files]
        return dossier, files
    docs = []
    for d in job["documents"]:
        entry = None
        doc_type = d.get("doc_type") if d.get("doc_type") in PROJECT_DOC_TYPES else None
        try:
            entry = ManifestEntry(path=d["path"], doc_type=doc_type, stage=d.get("stage") or None)
        except ValueError:  # a platform's own stage name (招标, 资格预审): detection decides the stage
            entry = ManifestEntry(path=d["path"], doc_type=doc_type)
        docs.append(DossierDoc(path=Path(d["path"]), rel=d["rel"], entry=entry))
    folder = Path(os.path.commonpath([str(Path(d["path"]).parent) for d in job["documents"]]))
    return Dossier(directory=folder, docs=docs), files


def check_project(job: dict, spec) -> Outcome:
    from ..project.dossier import load_document

    started = time.perf_counter()
    out = Outcome(sha256=job["sha256"], path=job["rel"] or job["project_id"], status="failed", kind="project",
                  project_id=job["project_id"], worker=f"{socket.gethostname()}:{os.getpid()}")
    try:
        session = get_project_checker(spec)
        out.rulepack_version = session.pack.version
        dossier, files = _dossier(job)
        for d in dossier.docs:
            load_document(d)
        report = session.check_dossier(dossier)
        rel_of = {k: v["rel"] for k, v in files.items()}
        out.documents = [_doc_outcome(d, files[str(d.path.resolve())], job, out.worker, session.fail_on)
                         for d in dossier.docs]
        out.findings = [_project_finding(f, dossier, rel_of) for f in report.findings]
        out.status, out.regime, out.name = "ok", report.project.regime, report.project.name
        out.procedure = next((o.procedure for o in out.documents if o.procedure), None)
        out.report_json = report.model_dump_json()
        out.message = f"{len(out.findings)} 个项目问题"
    except Exception as exc:  # a bug or a library tripping over this project: recorded, the batch goes on
        from ..errors import TenderCheckError

        if isinstance(exc, TenderCheckError):
            out.exit_code, out.error_code, out.message = exc.exit_code, exc.code, exc.message
        else:
            frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            where = f" at {Path(frame.filename).name}:{frame.lineno}" if frame else ""
            out.error_code, out.message = "exception", f"{type(exc).__name__}: {exc}{where}"[:500]
    from .memory import memory_kb

    out.seconds = time.perf_counter() - started
    out.rss_kb, out.peak_rss_kb = memory_kb()
    return out


def _doc_outcome(d, meta: dict, job: dict, worker: str, fail_on: str) -> Outcome:
    from ..report.gate import exit_code

    o = Outcome(sha256=meta["sha256"], path=meta["rel"], status="ok", worker=worker, doc_type=d.doc_type,
                stage=d.stage, project_id=job["project_id"])
    if d.error is not None:
        o.status, o.exit_code, o.error_code, o.message = "unreadable", d.error.exit_code, d.error.code, \
            d.error.message
        return o
    if d.report is None:
        o.status, o.error_code, o.message = "failed", "exception", "项目检查未产生该文件的结果"
        return o
    r = d.report
    o.regime, o.procedure = r.document.regime, r.document.procedure
    o.pages = d.doc.source.page_count or d.doc.coverage.pages
    o.findings = [{"rule_id": f.rule_id, "severity": f.severity.value, "stage": f.stage,
                   "fingerprint": f.fingerprint, "clause_id": f.clause_id, "clause_number": f.clause_number,
                   "page": f.location.page, "excerpt": f.excerpt[:300], "title": f.title} for f in r.findings]
    o.exit_code = exit_code(r, fail_on)  # as `check` exits: waived findings do not count
    o.report_json = r.model_dump_json()
    o.message = f"{len(o.findings)} 个问题"
    return o


def _project_finding(f, dossier, rel_of: dict[str, str]) -> dict:
    """A project finding as a findings row: its documents by their scan paths, the comparison as the excerpt."""
    by_dossier_rel = {d.rel: rel_of.get(str(d.path.resolve()), d.rel) for d in dossier.docs}
    docs = [by_dossier_rel.get(e.path, e.path) for e in f.documents if e.path]
    page: Optional[int] = next((e.location.page for e in f.documents if e.location.page is not None), None)
    return {"rule_id": f.rule_id, "severity": f.severity.value, "stage": f.stage, "fingerprint": f.fingerprint,
            "clause_id": None, "clause_number": None, "page": page,
            "excerpt": (f.comparison or f.excerpt or f.message)[:300], "title": f.title,
            "documents": "；".join(dict.fromkeys(docs)), "scope": "project"}
