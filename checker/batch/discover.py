"""What a scan reads: every document under a directory (by extension), or the rows of a manifest (CSV, YAML or
JSON) that name each document with its project, agency, stage, document type and regime."""
from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Optional

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
}


@dataclass
class DocEntry:
    path: str
    sha256: str
    size: int
    format: str
    project_id: Optional[str] = None
    agency: Optional[str] = None
    stage: Optional[str] = None
    doc_type: Optional[str] = None  # passed to check() as an override when given
    regime: Optional[str] = None  # passed to check() as an override when given

    def job(self) -> dict:
        return asdict(self)


@dataclass
class Discovery:
    documents: list[DocEntry]
    missing: list[str]  # manifest rows whose file does not exist


def is_manifest(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in MANIFEST_SUFFIXES


def discover(inputs: Iterable[Path | str]) -> Discovery:
    docs: list[DocEntry] = []
    missing: list[str] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            docs += [_entry(f, {}) for f in walk(p)]
        elif is_manifest(p):
            for row in read_manifest(p):
                f = Path(row["path"])
                if not f.is_file():
                    missing.append(str(f))
                    continue
                docs.append(_entry(f, row))
        elif p.is_file():
            docs.append(_entry(p, {}))
        else:
            raise UsageError(f"找不到目录、清单或文件：{p}", str(p))
    seen: set[str] = set()
    unique = []
    for d in docs:  # the same file named twice (a directory and a manifest): once
        if d.path not in seen:
            seen.add(d.path)
            unique.append(d)
    return Discovery(unique, missing)


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


def _entry(path: Path, meta: dict) -> DocEntry:
    return DocEntry(path=str(path), sha256=sha256_of(path), size=path.stat().st_size,
                    format=path.suffix.lower().lstrip("."), project_id=meta.get("project_id"),
                    agency=meta.get("agency"), stage=meta.get("stage"), doc_type=meta.get("doc_type"),
                    regime=meta.get("regime"))


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
