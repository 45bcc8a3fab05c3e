"""The .docx package: opening it safely (relationships as Word follows them, no entities, an encrypted file told
apart from a damaged one) and its styles resolved once into a dict. docx_reader.py walks the body."""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from lxml import etree

from checker.errors import CorruptFile, EncryptedFile, UnsupportedType
from checker.ingest.docx_numbering import W, int_val, on

_VAL = W + "val"
PPR, RPR, PSTYLE, NUMPR, NUM_ID, ILVL = W + "pPr", W + "rPr", W + "pStyle", W + "numPr", W + "numId", W + "ilvl"
OUTLINE, PAGE_BREAK_BEFORE, SECT_PR, DEL = W + "outlineLvl", W + "pageBreakBefore", W + "sectPr", W + "del"
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TOC_NAME = re.compile(r"^(?:toc|目录)\s*[1-9]$", re.IGNORECASE)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# Plain lxml elements, not python-docx's: its custom element classes make every child access build a Python proxy,
# which tripled the walk's time on a 300-page document. Entities are never resolved (sniff refuses DTDs anyway).
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "/officeDocument"


def _load(path: Path):
    """The body, styles and numbering roots, found through the package relationships as Word does."""
    try:
        with zipfile.ZipFile(path) as z:
            main = _target(z, "_rels/.rels", "", _OFFICE_DOCUMENT)
            if main is None:
                raise CorruptFile("DOCX 缺少主文档部件（word/document.xml）", str(path))
            root = etree.fromstring(z.read(main), _PARSER)
            if root.tag != W + "document" or root.find(W + "body") is None:
                raise UnsupportedType("不是可读取的 Word 文档（主部件不是 w:document）", str(path))
            folder, name = posixpath.split(main)
            rels = posixpath.join(folder, "_rels", name + ".rels")
            parts = [_target(z, rels, folder, "/" + kind) for kind in ("styles", "numbering")]
            styles, numbering = (etree.fromstring(z.read(p), _PARSER) if p and p in z.namelist() else None
                                 for p in parts)
            return root.find(W + "body"), styles, numbering
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError) as exc:
        if _is_encrypted(path):
            raise EncryptedFile("文件已加密，请先取消密码保护后再检查", str(path)) from exc
        raise CorruptFile("文件已损坏或不是有效的 DOCX 文件", str(path)) from exc


def _target(z: zipfile.ZipFile, rels_path: str, folder: str, type_suffix: str) -> Optional[str]:
    if rels_path not in z.namelist():
        return None
    for rel in etree.fromstring(z.read(rels_path), _PARSER).iter(_REL):
        if rel.get("Type", "").endswith(type_suffix) and rel.get("TargetMode") != "External":
            target = rel.get("Target", "")
            return posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
    return None


def _is_encrypted(path: Path) -> bool:
    """Password-protected DOCX is an OLE container holding an "EncryptedPackage" stream, not a zip."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return data.startswith(_OLE_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data

# ---------------------------------------------------------------------------------------------------------------------
# Styles


@dataclass(frozen=True)
class _Style:
    level: Optional[int] = None  # heading level, 1-based
    toc: bool = False  # a table-of-contents entry style (Word's "toc 1".."toc 9")
    num_id: Optional[str] = None
    ilvl: Optional[int] = None
    page_break_before: bool = False


class _Styles:
    """Paragraph styles from styles.xml, each resolved through its basedOn chain once."""

    def __init__(self, root):
        self._elements: dict[str, object] = {}
        self._resolved: dict[Optional[str], _Style] = {}
        self.default_id: Optional[str] = None
        self.numbering_style_nums: dict[str, str] = {}  # numbering style id → numId (numStyleLink targets)
        for st in (root.iterchildren(W + "style") if root is not None else ()):
            style_id, kind = st.get(W + "styleId"), st.get(W + "type")
            self._elements[style_id] = st
            if kind == "paragraph" and st.get(W + "default") in ("1", "true", "on"):
                self.default_id = style_id
            num_id = st.find(f"{PPR}/{NUMPR}/{NUM_ID}")
            if kind == "numbering" and num_id is not None:
                self.numbering_style_nums[style_id] = num_id.get(_VAL)

    def effective_id(self, style_id: Optional[str]) -> Optional[str]:
        return style_id if style_id in self._elements else self.default_id

    def get(self, style_id: Optional[str]) -> _Style:
        style_id = self.effective_id(style_id)
        if style_id not in self._resolved:
            self._resolved[style_id] = self._resolve(style_id)
        return self._resolved[style_id]

    def _resolve(self, style_id: Optional[str]) -> _Style:
        """The nearest style in the chain that says something about a property decides it."""
        found: dict[str, object] = {}
        seen = set()
        while style_id in self._elements and style_id not in seen:
            seen.add(style_id)
            st = self._elements[style_id]
            ppr = st.find(PPR)
            name = st.find(W + "name")
            heading = _HEADING_NAME.match(name.get(_VAL, "").strip()) if name is not None else None
            if heading:
                found.setdefault("level", int(heading.group(1)))
            if name is not None and _TOC_NAME.match(name.get(_VAL, "").strip()):
                found.setdefault("toc", True)
            if ppr is not None:
                outline = int_val(ppr.find(OUTLINE))
                if outline is not None:
                    found.setdefault("level", outline + 1 if outline < 9 else None)  # 9 = body text
                numpr = ppr.find(NUMPR)
                if numpr is not None:
                    if numpr.find(NUM_ID) is not None:
                        found.setdefault("num_id", numpr.find(NUM_ID).get(_VAL))
                    if numpr.find(ILVL) is not None:
                        found.setdefault("ilvl", int_val(numpr.find(ILVL), 0))
                if ppr.find(PAGE_BREAK_BEFORE) is not None:
                    found.setdefault("page_break_before", on(ppr.find(PAGE_BREAK_BEFORE)))
            based_on = st.find(W + "basedOn")
            style_id = based_on.get(_VAL) if based_on is not None else None
        return _Style(**found)
