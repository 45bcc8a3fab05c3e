"""Finding a template by name and describing it (`tendercheck template show`)."""
from __future__ import annotations

from pathlib import Path
from typing import Union

from ..errors import UsageError
from .model import Template, load_template
from .spec import BUNDLED, Spec, bundled_spec, load_spec

MODE_LABEL = {"locked": "原样引用", "fill": "填写", "special": "专用条款", "forms": "格式"}
_CN = "零一二三四五六七八九十"


def resolve_template(name: str) -> Union[Template, Spec]:
    """What a `--template` option or a config entry names: a compiled template (.json), a spec (.yaml/.yml), a
    document type with a bundled spec (招标文件, 资格预审文件), or a model document (DOCX/PDF/…). For a model document
    the compiled `<name>.template.json` beside it is used when it was built from this very file (same sha256);
    otherwise the model is compiled now with the spec beside it (`<name>.spec.yaml`)."""
    if name in BUNDLED:
        spec = bundled_spec(name)
        assert spec is not None
        return spec
    path = Path(name)
    if not path.is_file():
        raise UsageError(f"找不到模板：{name}（可用模板文件 .json、规格文件 .yaml、示范文本（旁边有同名 .spec.yaml），"
                         f"或随附规格：{'、'.join(BUNDLED)}）")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return load_spec(path)
    if suffix == ".json":
        return load_template(path)
    compiled = path.with_suffix(".template.json")
    if compiled.is_file():
        from ..ingest import sha256_of

        template = load_template(compiled)
        if template.model.sha256 == sha256_of(path):
            return template
    spec = next((p for p in (path.with_suffix(".spec.yaml"), path.with_suffix(".spec.yml")) if p.is_file()), None)
    if spec is None:
        raise UsageError(f"示范文本没有规格文件：请在旁边放置 {path.with_suffix('.spec.yaml').name}，"
                         f"或先用 tendercheck template build 编译为 {compiled.name}", str(path))
    from .build import build_template

    return build_template(path, spec)


def _cn(n: int) -> str:
    return _CN[n] if n <= 10 else ("十" + _CN[n - 10] if n < 20 else str(n))


def describe(template: Union[Template, Spec]) -> str:
    spec = template.spec if isinstance(template, Template) else template
    lines = [f"模板：{spec.name}（{spec.id}，第 {spec.version} 版）", f"文件类型：{spec.doc_type}　适用体系：{spec.regime}"]
    counts: dict[str, int] = {}
    free: dict[str, int] = {}
    if isinstance(template, Template):
        m = template.model
        pages = f"，{m.pages} 页" if m.pages else ""
        lines.append(f"示范文本：{m.name}（{m.format}{pages}，sha256 {m.sha256[:12]}）　编译于 {template.built}"
                     f"（tendercheck {template.tool_version}，模板格式第 {template.version} 版）")
        for c in template.clauses:
            counts[c.region] = counts.get(c.region, 0) + 1
            if c.editable:
                free[c.region] = free.get(c.region, 0) + 1
    else:
        lines.append("仅章节结构（没有示范文本）：检查章节结构和未填写的空格；逐条比对需先用 tendercheck template build 编译")
    lines.append("章节：")
    for k, ch in enumerate(spec.chapters):
        lines.append(_row(f"第{_cn(k + 1)}章 {ch.title}", ch, str(k), counts, free, 2))
        for s, sec in enumerate(ch.sections):
            lines.append(_row(f"第{_cn(s + 1)}节 {sec.title}", sec, f"{k}.{s}", counts, free, 4))
    if isinstance(template, Template):
        lines.append(f"原样引用条款共 {len(template.clauses)} 条")
    return "\n".join(lines)


def _row(label: str, part, key: str, counts: dict[str, int], free: dict[str, int], indent: int) -> str:
    mode = MODE_LABEL[part.mode.value]
    extra = []
    if part.aliases:
        extra.append(f"又名 {'、'.join(part.aliases)}")
    if not part.required:
        extra.append("可缺")
    if part.editable:
        extra.append(f"可填写条款 {'、'.join(part.editable)}")
    if part.compare_with:
        extra.append(f"对照 {part.compare_with}")
    if key in counts:
        extra.append(f"{counts[key]} 条" + (f"（其中可填写 {free[key]} 条）" if free.get(key) else ""))
    pad = " " * indent
    return f"{pad}{label:<16}{mode:<6}{'；'.join(extra)}"
