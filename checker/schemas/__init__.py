"""JSON Schemas shipped with the package. `report.schema.json` describes `tendercheck check --format json`; it is
generated from the pydantic models and a test checks that it is up to date. Regenerate after changing a model:

    python -m checker.schemas
"""
from __future__ import annotations

import json
from pathlib import Path

from ..findings import SCHEMA_VERSION, Report

REPORT_SCHEMA_PATH = Path(__file__).resolve().parent / "report.schema.json"


def report_schema() -> dict:
    schema = Report.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"tendercheck-report-v{SCHEMA_VERSION}.schema.json",
        **schema,
        "title": f"tendercheck report, schema version {SCHEMA_VERSION}",
        "description": "Output of `tendercheck check --format json`. Generated from checker.findings.Report; "
                       "regenerate with `python -m checker.schemas`.",
    }


def report_schema_text() -> str:
    return json.dumps(report_schema(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_report_schema(path: Path = REPORT_SCHEMA_PATH) -> Path:
    path.write_text(report_schema_text(), encoding="utf-8")
    return path
