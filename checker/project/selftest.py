"""Run the project rules' own examples (rules/project/*.yaml).

A `match` or `absent` rule's example is a sentence or a small document, read as `tendercheck rules test` reads the
per-document pack's examples. A `compare` rule's example is a small dossier: `【文件类型】` on a line of its own starts
a document of that type, the lines after it are its text (`|` rows are tables); `【项目登记】` is followed by the
registration record in YAML and `【清单】` by manifest fields in YAML (state_funded, regime …):

    【中标通知书】
    中标通知书
    发出日期：2026年4月20日
    【合同】
    建设工程施工合同
    签订日期：2026年6月2日
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

import yaml

from ..ingest.text_reader import read_text
from ..models import DocFormat, Source
from ..rules.schema import Example, Rule
from ..rules.selftest import ExampleResult, examples_of
from ..segment import segment
from .dossier import Dossier, DossierDoc
from .model import PROJECT_STAGE_OF_TYPE, Manifest, registration_from_text

_MARK = re.compile(r"^【([^】|]+)(?:\|([^】]*))?】\s*$")


def parse_mini_dossier(text: str) -> Dossier:
    parts: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        m = _MARK.match(line.strip())
        if m:
            parts.append((m.group(1).strip(), []))
        elif parts:
            parts[-1][1].append(line)
        elif line.strip():
            parts.append(("招标文件", [line]))
    docs, registration, manifest = [], None, None
    for i, (doc_type, lines) in enumerate(parts):
        body = "\n".join(lines)
        if doc_type == "项目登记":
            registration = registration_from_text(body)
            continue
        if doc_type == "清单":
            manifest = Manifest.model_validate(yaml.safe_load(body) or {})
            continue
        name = f"{i + 1:02d}_{doc_type}.txt"
        src = Source(path=name, sha256="0" * 64, format=DocFormat.text, size=len(body))
        d = DossierDoc(path=Path(name), rel=name, doc=segment(read_text(body, src)), doc_type=doc_type,
                       type_from="示例", stage=PROJECT_STAGE_OF_TYPE.get(doc_type, "S2"))
        d.title = lines[0].strip() if lines else ""
        docs.append(d)
    return Dossier(directory=Path("example"), docs=docs, manifest=manifest, registration=registration)


def example_hits(pc, rule: Rule, ex: Example) -> bool:
    if rule.match or rule.absent:
        return pc.checker.example_hits(rule, ex.text, role=ex.role, heading=ex.heading, regime=ex.regime,
                                       procurement=ex.procurement)
    dossier = parse_mini_dossier(ex.text)
    regime = ex.regime or (rule.regime.value if rule.regime.value != "通用" else None)
    if dossier.manifest is None:
        dossier.manifest = Manifest()
    if regime and not dossier.manifest.regime:
        dossier.manifest.regime = regime
    if ex.procurement:
        dossier.manifest.procurement = ex.procurement
    report = pc.check_dossier(dossier, run_documents=False)
    return any(f.rule_id == rule.id for f in report.findings)


def run_rule_examples(pc, rule: Rule) -> list[ExampleResult]:
    return [ExampleResult(rule.id, expected, ex.text, example_hits(pc, rule, ex), todo)
            for expected, todo, ex in examples_of(rule)]


def run_all_examples(pc, only: Optional[set[str]] = None) -> list[ExampleResult]:
    return [r for rule in pc.pack.rules if only is None or rule.id in only for r in run_rule_examples(pc, rule)]
