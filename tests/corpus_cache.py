"""Corpus documents parsed once per test session (PDF parsing is the slow part of the suite)."""
from functools import lru_cache
from pathlib import Path

import yaml

from checker.ingest import parse

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
NAMES = sorted(p.name.removesuffix(".expected.yaml") for p in CORPUS.glob("*.expected.yaml")
               if not p.name.startswith("zz_"))


@lru_cache(maxsize=None)
def parsed(name: str, fmt: str):
    return parse(CORPUS / f"{name}.{fmt}")


@lru_cache(maxsize=None)
def expected(name: str) -> dict:
    return yaml.safe_load((CORPUS / f"{name}.expected.yaml").read_text(encoding="utf-8"))
