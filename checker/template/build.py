"""Model text + spec → Template (`tendercheck template build`)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

from ..errors import UsageError
from ..models import Document
from .layout import body_clauses, editable_ids, fingerprint, layout, number_keys
from .model import ModelSource, Template, TemplateClause, TemplateRegion
from .spec import Mode, Spec, load_spec


def _tool_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("tendercheck")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def build_template(model: Path, spec: Union[Path, Spec]) -> Template:
    """Parse the model document (DOCX, PDF, DOC/WPS or text) and compile it against the spec."""
    from ..ingest import parse

    spec = spec if isinstance(spec, Spec) else load_spec(Path(spec))
    return template_from_document(parse(Path(model)), spec, name=Path(model).name)


def template_from_document(doc: Document, spec: Spec, name: Optional[str] = None) -> Template:
    lay = layout(doc, spec)
    missing = [ch.title for k, ch in enumerate(spec.chapters) if lay.region(k) is None]
    if missing:
        raise UsageError(f"示范文本中找不到规格列出的章：{'、'.join(missing)}（章标题须形如“第二章 投标人须知”）",
                         doc.source.path)
    regions: list[TemplateRegion] = []
    clauses: list[TemplateClause] = []
    for k, ch in enumerate(spec.chapters):
        for s_idx, part in [(None, ch)] + list(enumerate(ch.sections)):
            region = lay.region(k, s_idx)
            if region is None:
                if part.mode == Mode.locked:
                    raise UsageError(f"示范文本中找不到应原样引用的节：{ch.title} / {part.title}", doc.source.path)
                continue
            regions.append(TemplateRegion(key=region.key, chapter=k, section=s_idx, title=region.heading.label,
                                          mode=part.mode.value))
            if part.mode != Mode.locked:
                continue
            idxs = body_clauses(doc, region)
            if not idxs and s_idx is not None:
                raise UsageError(f"示范文本中应原样引用的节没有正文：{ch.title} / {part.title}", doc.source.path)
            keys = number_keys(doc, idxs)
            free = editable_ids(doc, idxs, part.editable)
            pos: dict[str, int] = {}
            for i in idxs:
                c = doc.clauses[i]
                pos[c.id] = len(clauses)
                clauses.append(TemplateClause(
                    region=region.key, number=c.number, key=keys[c.id], parent=pos.get(c.parent_id or ""),
                    text=c.text, norm=c.norm, fp=fingerprint(c.norm), editable=c.id in free,
                ))
    return Template(
        tool_version=_tool_version(), spec=spec,
        model=ModelSource(name=name or Path(doc.source.path).name, sha256=doc.source.sha256,
                          format=doc.source.format.value, pages=doc.source.page_count),
        regions=regions, clauses=clauses,
    )
