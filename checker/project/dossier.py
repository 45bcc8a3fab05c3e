"""A dossier: the documents of one project, each with its type, stage, the dates it gives, and what it says.

`discover(DIR)` finds the documents (*.docx, *.pdf, *.doc, *.wps, *.txt, *.md), the optional manifest
(`project.yaml` / `project.yml` / `project.json` / `project.csv`) and the registration record
(`registration.json` / `.yaml` / `.yml` / `.csv`). A document that cannot be read stays in the dossier with its
error; the rest of the project is still checked.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Optional

from ..errors import TenderCheckError, UsageError
from ..doctype import Classification, classify
from ..facts.model import Fact
from ..findings import Report
from ..models import Clause, Document, Location
from .classify import detect_type, title_of
from .extract import DocData
from .model import (PROJECT_STAGE_OF_TYPE, Manifest, ManifestEntry, Registration, load_manifest,
                    load_registration)
from .report import Evidence

DOC_SUFFIXES = {".docx", ".pdf", ".doc", ".wps", ".txt", ".md"}
MANIFEST_NAMES = ["project.yaml", "project.yml", "project.json", "project.csv"]
REGISTRATION_NAMES = ["registration.json", "registration.yaml", "registration.yml", "registration.csv"]
_SKIP = {"expected.yaml", "readme.md", "readme.txt"}


@dataclass
class KeyDate:
    """A date that matters for the project (发出, 签订, 公示开始 …) and where it was read."""

    when: datetime
    evidence: Evidence

    @property
    def day(self):
        return self.when.date()


@dataclass
class DossierDoc:
    path: Path
    rel: str
    entry: Optional[ManifestEntry] = None
    doc: Optional[Document] = None
    error: Optional[TenderCheckError] = None
    doc_type: str = "招标文件"
    type_from: str = "正文"
    stage: str = "S2"
    title: str = ""
    cls: Optional[Classification] = None  # see classification()
    typed: list[Fact] = field(default_factory=list)  # the per-document typed facts (QUANTITIES)
    data: Optional[DocData] = None
    report: Optional[Report] = None  # the per-document rule pack's report
    keys: dict[str, KeyDate] = field(default_factory=dict)

    @property
    def readable(self) -> bool:
        return self.doc is not None

    def classification(self) -> Optional[Classification]:
        """The per-document classifier's reading (checker.doctype), made once: the document's type, the project's
        regime and every check of the file read it."""
        if self.cls is None and self.doc is not None:
            self.cls = classify(self.doc)
        return self.cls

    def clause(self, clause_id: str) -> Optional[Clause]:
        if self.doc is None:
            return None
        return next((c for c in self.doc.clauses if c.id == clause_id), None)

    def evidence(self, what: str, value: str, clause: Optional[Clause] = None, excerpt: str = "",
                 location: Optional[Location] = None) -> Evidence:
        return Evidence(doc_type=self.doc_type, path=self.rel, what=what, value=value,
                        location=location or (clause.location if clause is not None else Location()),
                        excerpt=excerpt or (clause.text if clause is not None else ""))

    def label(self) -> str:
        return self.doc_type


@dataclass
class Dossier:
    directory: Path
    docs: list[DossierDoc]
    manifest: Optional[Manifest] = None
    registration: Optional[Registration] = None
    registration_error: Optional[str] = None

    def of_type(self, *types: str) -> list[DossierDoc]:
        return [d for d in self.docs if d.doc_type in types and d.readable]

    def has_type(self, *types: str) -> bool:
        return any(d.doc_type in types for d in self.docs) or ("项目登记" in types and self.registration is not None)


def discover(directory: Path, manifest_path: Optional[Path] = None,
             registration_path: Optional[Path] = None) -> Dossier:
    directory = Path(directory)
    if not directory.is_dir():
        raise UsageError("不是目录", str(directory))
    manifest = None
    mpath = manifest_path or next((directory / n for n in MANIFEST_NAMES if (directory / n).is_file()), None)
    if mpath is not None:
        manifest = load_manifest(Path(mpath))
    base = Path(mpath).parent if mpath is not None else directory
    rpath = registration_path
    if rpath is None and manifest is not None and manifest.registration:
        rpath = base / manifest.registration
        if not rpath.is_file():
            raise UsageError(f"清单中的项目登记文件不存在：{manifest.registration}", str(mpath))
    if rpath is None:
        rpath = next((directory / n for n in REGISTRATION_NAMES if (directory / n).is_file()), None)
    registration = load_registration(Path(rpath)) if rpath is not None else None

    paths: list[Path] = []
    special = {n.lower() for n in MANIFEST_NAMES + REGISTRATION_NAMES} | _SKIP
    for p in sorted(directory.iterdir()):
        if p.is_file() and p.suffix.lower() in DOC_SUFFIXES and p.name.lower() not in special \
                and not p.name.startswith((".", "~$")):
            paths.append(p)
    if manifest is not None:
        for e in manifest.documents:
            p = Path(e.path)
            p = p if p.is_absolute() else base / p
            if not p.is_file():
                raise UsageError(f"清单中的文件不存在：{e.path}", manifest.path)
            if not any(_same(p, q) for q in paths):
                paths.append(p)
    if not paths and registration is None:
        raise UsageError("目录中没有可检查的文件（.docx/.pdf/.doc/.wps/.txt/.md）或项目登记信息", str(directory))
    docs = []
    for p in paths:
        try:
            rel = str(p.resolve().relative_to(directory.resolve()))
        except ValueError:
            rel = str(p)
        docs.append(DossierDoc(path=p, rel=rel, entry=manifest.entry_for(p, base) if manifest else None))
    return Dossier(directory=directory, docs=docs, manifest=manifest, registration=registration)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def load_document(d: DossierDoc, parse=None) -> None:
    """Parse one document and settle its type and stage (the manifest wins over detection)."""
    if parse is None:
        from ..ingest import parse
    try:
        d.doc = parse(d.path)
    except TenderCheckError as err:
        d.error = err
    settle_type(d)


def settle_type(d: DossierDoc) -> None:
    if d.doc is not None:
        d.title = title_of(d.doc)
        d.doc_type, d.type_from = detect_type(d.doc, d.classification())
    else:
        d.doc_type, d.type_from = _type_from_name(d.path.name), "文件名"
    if d.entry is not None and d.entry.doc_type:
        d.doc_type, d.type_from = d.entry.doc_type, "清单"
    d.stage = (d.entry.stage if d.entry is not None and d.entry.stage else
               PROJECT_STAGE_OF_TYPE.get(d.doc_type, "S2"))


def _type_from_name(name: str) -> str:
    """An unreadable file still gets a type for the report, from its name."""
    from .classify import TITLE_TYPES

    for doc_type, pat in TITLE_TYPES:
        if pat.search(name.rsplit(".", 1)[0]):
            return doc_type
    return "招标文件"
