"""The examples of the model-document rules (rules/model/STD-*.yaml), run the way a document is checked.

An example is a small document: lines are paragraphs, `|` lines table rows. When it starts with a line `【示范文本】`,
the lines up to `【招标文件】` are the model document, compiled into a template with the examples' spec
(rules/templates/examples.spec.yaml: 招标公告, 投标人须知 (locked), 合同条款及格式 (通用 locked, 专用 special),
投标文件格式); otherwise the document is compared with that spec alone."""
from __future__ import annotations

from functools import lru_cache

from ..ingest.text_reader import read_text
from ..models import DocFormat, Document, Source
from ..segment import segment
from .spec import BUNDLED_DIR, Spec, load_spec

EXAMPLE_SPEC = BUNDLED_DIR / "examples.spec.yaml"
MODEL_MARK, DOCUMENT_MARK = "【示范文本】", "【招标文件】"


@lru_cache(maxsize=1)
def example_spec() -> Spec:
    return load_spec(EXAMPLE_SPEC)


def text_document(text: str, name: str = "example.txt") -> Document:
    src = Source(path=name, sha256="0" * 64, format=DocFormat.text, size=len(text))
    return segment(read_text(text, src))


def split_example(text: str) -> tuple[str, str]:
    """(model text or "", document text)."""
    stripped = text.strip()
    if not stripped.startswith(MODEL_MARK):
        return "", text
    model, _, document = stripped[len(MODEL_MARK):].partition(DOCUMENT_MARK)
    return model.strip("\n"), document.strip("\n")


def model_example_hits(checker, rule, text: str) -> bool:
    """Does the model-document `rule` report the example? The whole document check runs, as for a real document."""
    from .build import template_from_document

    model, document = split_example(text)
    template = template_from_document(text_document(model, "model.txt"), example_spec()) if model else example_spec()
    report = checker.check(text_document(document), regime="工程", doc_type=rule.doc_types[0], procurement="工程",
                           template=template)
    return any(f.rule_id == rule.id for f in report.findings)
