"""Shared helpers: write a case dict to a file and solve it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml

from pydesig import load_case, solve

REPO = Path(__file__).resolve().parents[1]


def pytest_configure(config):
    """One check cache per test run, shared by xdist workers and the CLI subprocesses they start
    (they inherit the environment): the first test that needs the shipped kb's issues computes
    them, the others reuse them, and no test reads a cache of an earlier run or the user's own."""
    if hasattr(config, "workerinput"):
        return  # an xdist worker: the run's cache was chosen by the controller
    config._pydesig_cache = tempfile.mkdtemp(prefix="pydesig-test-cache-")
    os.environ["PYDESIG_CACHE_DIR"] = config._pydesig_cache


def pytest_unconfigure(config):
    folder = getattr(config, "_pydesig_cache", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def solve_case(tmp_path):
    """Solve a case given as a dict (written to tmp_path as YAML, loaded like a user's file)."""
    counter = iter(range(10**6))

    def run(case: dict, **overrides):
        path = tmp_path / f"case{next(counter)}.yaml"
        path.write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return solve(load_case(str(path), **overrides))

    return run
