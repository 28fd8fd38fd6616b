"""The check cache: the issues of the shipped kb are computed once per kb, encodings and code."""

from __future__ import annotations

import shutil

import pytest

import pydesig.cache
import pydesig.checks as checks
from pydesig.checks import cache
from pydesig.paths import kb_dir

FAKE = [{"id": "jilin-2019/x/1", "kind": "term-undefined", "severity": "info"},
        {"id": "jilin-2019/y/2", "kind": "circular-rule", "severity": "warning"}]


@pytest.fixture
def counted(monkeypatch, tmp_path):
    """run_checks replaced by a counter returning FAKE (filtered like the real one)."""
    calls = []

    def fake(kinds=None, **_):
        calls.append(kinds)
        return [i for i in FAKE if kinds is None or i["kind"] in kinds]

    monkeypatch.setattr(checks, "run_checks", fake)
    monkeypatch.setenv("PYDESIG_CACHE_DIR", str(tmp_path / "cache"))
    cache.digest.cache_clear()
    yield calls
    cache.digest.cache_clear()


def test_computed_once_then_read(counted, tmp_path):
    assert cache.shipped_issues() == FAKE
    assert cache.shipped_issues() == FAKE
    assert counted == [None]
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [f"checks-{cache.digest()}.json"]


def test_kinds_cut_from_the_full_run_or_computed_alone(counted):
    assert cache.shipped_issues({"circular-rule"}) == [FAKE[1]]
    assert counted == [{"circular-rule"}]  # nothing stored yet: only that kind is computed
    cache.shipped_issues()
    assert cache.shipped_issues({"term-undefined"}) == [FAKE[0]]
    assert counted == [{"circular-rule"}, None]


def test_off_and_unreadable(counted, monkeypatch, tmp_path):
    monkeypatch.setenv("PYDESIG_CACHE_DIR", "off")
    cache.shipped_issues(), cache.shipped_issues()
    assert counted == [None, None]
    monkeypatch.setenv("PYDESIG_CACHE_DIR", str(tmp_path / "c2"))
    (tmp_path / "c2").mkdir()
    (tmp_path / "c2" / f"checks-{cache.digest()}.json").write_text("{broken", encoding="utf-8")
    assert cache.shipped_issues() == FAKE and len(counted) == 3


def test_a_change_to_the_law_is_a_new_key(monkeypatch, tmp_path):
    copy = tmp_path / "kb"
    shutil.copytree(kb_dir(), copy)
    monkeypatch.setattr(pydesig.cache, "kb_dir", lambda: copy)
    cache.digest.cache_clear()
    try:
        before = cache.digest()
        provision = next(p for p in sorted(copy.rglob("*.yaml")))
        provision.write_text(provision.read_text(encoding="utf-8") + "\n# amended\n", encoding="utf-8")
        cache.digest.cache_clear()
        assert cache.digest() != before
    finally:
        cache.digest.cache_clear()
