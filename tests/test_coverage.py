"""bench/COVERAGE.md is generated from bench/coverage_map.yaml and cannot drift from the pack (bench/legal_coverage.py)."""
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import legal_coverage as cov  # noqa: E402


def test_coverage_md_is_current_and_every_probe_fires():
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "legal_coverage.py"), "--check"], capture_output=True,
                         text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr


def test_a_wrong_map_is_reported():
    rows = yaml.safe_load(cov.MAP.read_text(encoding="utf-8"))
    rows["A01"] = dict(rows["A01"], rules=["DQ-NO-SUCH-RULE"])
    rows["A35"] = dict(rows["A35"], rules=["DQ-LOCAL-REGISTRATION"])  # a missing row naming a rule
    del rows["B37"]
    found = "\n".join(cov.problems(rows, cov.pack_rule_ids()))
    assert "DQ-NO-SUCH-RULE" in found and "A35" in found and "B37" in found


def test_a_probe_that_no_longer_fires_is_reported():
    rows = {"A01": {"item": "x", "status": "covered", "rules": ["DQ-LOCAL-REGISTRATION"],
                    "flag": ["投标文件应装订成册。"]}}
    assert cov.probe_failures(rows)
