"""python -m checker.schemas: regenerate report.schema.json from the pydantic models."""
from . import write_report_schema

print(write_report_schema())
