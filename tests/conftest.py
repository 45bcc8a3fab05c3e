"""Test-wide settings and the checkers every test module shares, built once per session (not at import time, so
collecting one test module does not compile every rule pack)."""
import os

import pytest

# `check` caps its own address space (checker.limits.apply_memory_ceiling). CliRunner runs it inside pytest's
# process, whose later tests (headless Chromium reserves tens of GB of address space) must not inherit the cap;
# tests of the ceiling run tendercheck in a subprocess with their own TENDERCHECK_LIMITS.
os.environ.setdefault("TENDERCHECK_LIMITS", "memory_mb=0")


@pytest.fixture(scope="session")
def checker():
    """The per-document Checker with the bundled rule pack."""
    from checker.pipeline import Checker

    return Checker()


@pytest.fixture(scope="session")
def project_checker(checker):
    """The dossier checker with the bundled project rules, sharing the per-document checker."""
    from checker.project.runner import ProjectChecker

    return ProjectChecker(main=checker)
