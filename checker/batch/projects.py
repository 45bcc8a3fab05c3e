"""Which scanned documents form a project, so the overnight scan checks each project as `tendercheck project` does
(every document, then the cross-document rules of stages S1–S7) and only loose files one by one.

A folder is a project (its documents are the files directly in it) when it holds
  - a project manifest or a registration record (project.yaml/.yml/.json/.csv, registration.json/.yaml/.yml/.csv,
    the names checker/project/dossier.py reads), or
  - below the folder given to `scan`, documents whose file names name at least two different stage document types
    (01_招标公告.docx, 04_评标报告.pdf …): a platform's export folder per project.
A scan manifest's rows with the same project_id (at least two documents) are a project too, the row's doc_type and
stage winning over detection as in a project manifest. Every other document is checked on its own.

A project's key is the sha256 over its documents' contents and its manifest/registration files: a rerun skips a
project whose key is already checked with this rule-pack version, and any changed or added document checks it again.
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .discover import DocEntry, Discovery, relative


@dataclass
class ProjectEntry:
    project_id: str
    path: str  # the folder, relative to the scan root ("" for a manifest's group)
    folder: Optional[str]  # absolute folder (dossier discovery reads its manifest/registration); None: a group
    documents: list[DocEntry] = field(default_factory=list)
    sha256: str = ""  # the project key

    def job(self) -> dict:
        return {"kind": "project", "sha256": self.sha256, "path": self.path or self.project_id, "rel": self.path,
                "project_id": self.project_id, "folder": self.folder,
                "size": sum(d.size for d in self.documents), "weight": len(self.documents),
                "documents": [d.job() for d in self.documents]}


def _markers() -> list[str]:
    from ..project.dossier import MANIFEST_NAMES, REGISTRATION_NAMES

    return MANIFEST_NAMES + REGISTRATION_NAMES


def _stage_types(names: list[str]) -> set[str]:
    """Stage document types named by file names (no default: a name that names nothing counts for nothing)."""
    from ..project.classify import TITLE_TYPES

    found = set()
    for name in names:
        stem = name.rsplit(".", 1)[0]
        for doc_type, pat in TITLE_TYPES:
            if pat.search(stem):
                found.add(doc_type)
                break
    return found


def is_project_folder(folder: Path, docs: list[DocEntry], top: bool) -> bool:
    if any((folder / n).is_file() for n in _markers()):
        return True
    return not top and len(docs) >= 2 and len(_stage_types([Path(d.file).name for d in docs])) >= 2


def group(found: Discovery, inputs: list[str]) -> tuple[list[ProjectEntry], list[DocEntry]]:
    """(projects, loose documents) of a discovery."""
    root = Path(found.root)
    tops = {Path(p).resolve() for p in inputs if Path(p).is_dir()}
    by_folder: "OrderedDict[Path, list[DocEntry]]" = OrderedDict()
    for d in found.documents:
        by_folder.setdefault(Path(d.file).parent, []).append(d)
    projects: list[ProjectEntry] = []
    loose: list[DocEntry] = []
    for folder, docs in by_folder.items():
        manifest_ids = {d.project_id for d in docs if d.project_id}
        if not manifest_ids and is_project_folder(folder, docs, top=folder in tops):
            rel = relative(folder, root)
            rel = "" if rel == "." else rel
            projects.append(ProjectEntry(project_id=rel or folder.name, path=rel or ".", folder=str(folder),
                                         documents=docs))
        else:
            loose += docs
    by_id: "OrderedDict[str, list[DocEntry]]" = OrderedDict()
    for d in loose:
        if d.project_id:
            by_id.setdefault(d.project_id, []).append(d)
    grouped = {pid for pid, docs in by_id.items() if len(docs) >= 2}
    for pid in grouped:
        projects.append(ProjectEntry(project_id=pid, path="", folder=None, documents=by_id[pid]))
    loose = [d for d in loose if d.project_id not in grouped]
    for p in projects:
        p.sha256 = project_key(p)
        for d in p.documents:
            d.project_id = d.project_id or p.project_id
    return projects, loose


def project_key(p: ProjectEntry) -> str:
    h = hashlib.sha256(b"tendercheck-project\x00")
    for d in sorted(p.documents, key=lambda d: d.path):
        h.update(f"{d.path}\x00{d.sha256}\x00{d.doc_type or ''}\x00{d.stage or ''}\x00{d.regime or ''}\n".encode())
    if p.folder:
        for name in _markers():
            f = Path(p.folder) / name
            if f.is_file():
                h.update(name.encode() + b"\x00" + f.read_bytes())
    return "P" + h.hexdigest()[:63]  # never equal to a document's sha256
