"""Shared helpers: write a case dict to a file and solve it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pydesig import load_case, solve

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def solve_case(tmp_path):
    """Solve a case given as a dict (written to tmp_path as YAML, loaded like a user's file)."""
    counter = iter(range(10**6))

    def run(case: dict, **overrides):
        path = tmp_path / f"case{next(counter)}.yaml"
        path.write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return solve(load_case(str(path), **overrides))

    return run
