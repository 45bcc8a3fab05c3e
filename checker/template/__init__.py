"""Deviations from the standard model documents (示范文本): chapter structure, locked (verbatim) parts, 前附表 and
专用合同条款 against the body, unfilled blanks. See rules/templates/README.md for the spec format.

    template = build_template(Path("model.docx"), Path("model.spec.yaml"))   # once
    save_template(template, Path("model.template.json"))
    findings = check_template(doc, load_template(Path("model.template.json")))
    findings = check_template(doc, bundled_spec("招标文件"))                   # structure only, no model text
    findings = check_template(doc, resolve_template(arg))   # arg: a .json template, a .yaml spec, or 招标文件
"""
from .build import build_template, template_from_document
from .checks import check_template, check_texts
from .diff import render_inline, token_diff
from .model import Template, load_template, save_template
from .show import describe, resolve_template
from .spec import Spec, bundled_spec, bundled_specs, load_spec

__all__ = ["Template", "Spec", "build_template", "template_from_document", "save_template", "load_template",
           "bundled_spec", "bundled_specs", "load_spec", "resolve_template", "describe", "check_template",
           "check_texts", "token_diff", "render_inline"]
