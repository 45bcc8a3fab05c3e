"""Test-wide settings."""
import os

# `check` caps its own address space (checker.limits.apply_memory_ceiling). CliRunner runs it inside pytest's
# process, whose later tests (headless Chromium reserves tens of GB of address space) must not inherit the cap;
# tests of the ceiling run tendercheck in a subprocess with their own TENDERCHECK_LIMITS.
os.environ.setdefault("TENDERCHECK_LIMITS", "memory_mb=0")
