"""What a scan reads: every document under a directory (by extension), or the rows of a manifest (CSV, YAML or
JSON) that name each document with its project, agency, stage, document type and regime.

Paths: each document keeps the absolute `file` the worker opens and a `path` relative to the scan's root (the
directory given, the manifest's folder, or the common folder of several inputs), which is what every table, report
and page shows: a results database moved with its documents still reads.

Which files are documents: the extensions below; hidden folders and Office lock files never. A `.txt` is a
document only when it reads like one: not a build source with a YAML front matter (`---` on its first line, the
markup of corpus/build_corpus.py, from which the real DOCX/PDF are made) and at least 30 % of the non-space
characters of its first 4 KiB are Chinese (a list of hashes or an English note is not a tender). `--include GLOB`
keeps only matching files (and takes a `.txt` the test above would leave out); `--exclude GLOB` drops files. Globs
match the relative path (`*` crosses folders: `*.pdf`, `archive/*`)."""
from __future__ import annotations

import csv
import json
import os
from dataclasses import asdict, dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Iterable, Optional, Sequence

from ..errors import UsageError
from ..ingest import sha256_of

EXTENSIONS = {".docx", ".pdf", ".doc", ".wps", ".txt", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}  # scans too (OCR); a folder's README.md is not a tender document
MANIFEST_SUFFIXES = {".csv", ".yaml", ".yml", ".json"}
REGIMES = ("工程", "政府采购")
# Column names a manifest may use for each field (an export from a platform rarely says `project_id`).
ALIASES = {
    "path": ("path", "file", "文件", "文件路径", "路径"),
    "project_id": ("project_id", "project", "项目编号", "项目", "标段编号"),
    "agency": ("agency", "代理机构", "招标代理", "招标人", "采购人"),
    "stage": ("stage", "阶段"),
    "doc_type": ("doc_type", "type", "文件类型"),
    "regime": ("regime", "体系", "适用体系"),
    "procedure": ("procedure", "采购方式", "招标方式", "方式"),
}


TEXT_PROBE = 4096
MIN_CJK_SHARE = 0.3


@dataclass
class DocEntry:
    path: str  # relative to the scan's root, as shown everywhere
    sha256: str
    size: int
    format: str
    file: str = ""  # absolute, what a worker opens
    project_id: Optional[str] = None
    agency: Optional[str] = None
    stage: Optional[str] = None
    doc_type: Optional[str] = None  # passed to check() as an override when given
    regime: Optional[str] = None  # passed to check() as an override when given
    procedure: Optional[str] = None  # as the manifest gives it (stored; the check detects its own)

    def job(self) -> dict:
        job = asdict(self)
        job["rel"], job["path"] = self.path, self.file or self.path  # the worker opens `path`
        return job


@dataclass
class Discovery:
    documents: list[DocEntry]
    missing: list[str]  # manifest rows whose file does not exist
    root: str = ""  # absolute; every DocEntry.path is relative to it
    excluded: list[str] = field(default_factory=list)  # files left out by the rules above or --exclude (relative)


def is_manifest(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in MANIFEST_SUFFIXES


def scan_root(inputs: Sequence[Path | str]) -> Path:
    """The folder every path is shown relative to: a directory given, a manifest's or a file's folder; the common
    folder of several."""
    roots = [Path(p).resolve() if Path(p).is_dir() else Path(p).resolve().parent for p in inputs]
    if not roots:
        return Path.cwd()
    return Path(os.path.commonpath([str(r) for r in roots]))


def relative(path: Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:  # outside the root (a manifest naming ../elsewhere): absolute, never wrong
        return str(Path(path).resolve())


def discover(inputs: Iterable[Path | str], include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Discovery:
    inputs = list(inputs)
    root = scan_root(inputs)
    docs: list[DocEntry] = []
    missing: list[str] = []
    excluded: list[str] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in walk(p):
                rel = relative(f, root)
                if wanted(f, rel, include, exclude):
                    docs.append(_entry(f, {}, root))
                else:
                    excluded.append(rel)
        elif is_manifest(p):
            for row in read_manifest(p):
                f = Path(row["path"])
                if not f.is_file():
                    missing.append(str(f))
                    continue
                docs.append(_entry(f, row, root))
        elif p.is_file():
            docs.append(_entry(p, {}, root))
        else:
            raise UsageError(f"找不到目录、清单或文件：{p}", str(p))
    seen: set[str] = set()
    unique = []
    for d in docs:  # the same file named twice (a directory and a manifest): once
        if d.path not in seen:
            seen.add(d.path)
            unique.append(d)
    return Discovery(unique, missing, root=str(root), excluded=excluded)


def wanted(f: Path, rel: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """A file found by walking a directory: matched against --include / --exclude, else the .txt test."""
    if any(fnmatchcase(rel, g) or fnmatchcase(f.name, g) for g in exclude):
        return False
    if include:
        return any(fnmatchcase(rel, g) or fnmatchcase(f.name, g) for g in include)
    return f.suffix.lower() != ".txt" or reads_like_document(f)


def reads_like_document(f: Path) -> bool:
    try:
        with open(f, "rb") as fh:
            head = fh.read(TEXT_PROBE).decode("utf-8", errors="ignore")
    except OSError:
        return True  # let the worker report why it cannot be read
    if head.lstrip("\ufeff").startswith("---"):
        return False
    chars = [c for c in head if not c.isspace()]
    cjk = sum(1 for c in chars if "\u3400" <= c <= "\u9fff")
    return bool(chars) and cjk / len(chars) >= MIN_CJK_SHARE


def walk(root: Path) -> list[Path]:
    """Documents under `root` by extension, in a stable order; hidden folders and Office lock files (~$x.docx) left
    out."""
    out = []
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root).parts
        if any(part.startswith(".") for part in rel) or f.name.startswith("~$"):
            continue
        if f.is_file() and f.suffix.lower() in EXTENSIONS:
            out.append(f)
    return out


def _entry(path: Path, meta: dict, root: Path) -> DocEntry:
    return DocEntry(path=relative(path, root), file=str(path.resolve()), sha256=sha256_of(path),
                    size=path.stat().st_size,
                    format=path.suffix.lower().lstrip("."), project_id=meta.get("project_id"),
                    agency=meta.get("agency"), stage=meta.get("stage"), doc_type=meta.get("doc_type"),
                    regime=meta.get("regime"), procedure=meta.get("procedure"))


def read_manifest(path: Path) -> list[dict]:
    """Rows with `path` resolved against the manifest's folder and the other fields normalised (None when blank)."""
    try:
        if path.suffix.lower() == ".csv":
            with open(path, encoding="utf-8-sig", newline="") as f:  # utf-8-sig: a CSV saved by Excel
                rows = list(csv.DictReader(f))
        else:
            text = path.read_text(encoding="utf-8")
            if path.suffix.lower() == ".json":
                data = json.loads(text)
            else:
                import yaml

                data = yaml.safe_load(text)
            if isinstance(data, dict):
                data = data.get("documents", data.get("files"))
            if not isinstance(data, list):
                raise UsageError("清单应为文件列表（或 documents: 下的列表）", str(path))
            rows = [r if isinstance(r, dict) else {"path": r} for r in data]
    except (OSError, UnicodeDecodeError, ValueError, csv.Error) as exc:
        raise UsageError(f"无法读取清单：{exc}".splitlines()[0], str(path)) from None
    except Exception as exc:  # yaml.YAMLError
        raise UsageError(f"无法读取清单：{exc}".splitlines()[0], str(path)) from None

    from ..rules.schema import DOC_TYPES

    out = []
    for i, row in enumerate(rows, start=1):
        norm = {}
        for key, names in ALIASES.items():
            value = next((row[n] for n in names if n in row and row[n] not in (None, "")), None)
            norm[key] = str(value).strip() if value is not None else None
        if not norm["path"]:
            raise UsageError(f"清单第 {i} 行没有文件路径（path 列）", str(path))
        if norm["regime"] and norm["regime"] not in REGIMES:
            raise UsageError(f"清单第 {i} 行的 regime 无效：{norm['regime']}（可用：{'、'.join(REGIMES)}）", str(path))
        if norm["doc_type"] and norm["doc_type"] not in DOC_TYPES:
            raise UsageError(f"清单第 {i} 行的 doc_type 无效：{norm['doc_type']}（可用：{'、'.join(DOC_TYPES)}）",
                             str(path))
        f = Path(norm["path"])
        norm["path"] = str(f if f.is_absolute() else path.parent / f)
        out.append(norm)
    return out
