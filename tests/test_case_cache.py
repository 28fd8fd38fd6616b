"""The case cache (pydesig.readers.cache): a large validated case is read again from the cache,
and only while its bytes, its facts table, its -I readings and the code are unchanged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import pydesig.readers as readers
from pydesig.errors import CaseError
from pydesig.readers import cache as case_cache

REPO = Path(__file__).resolve().parents[1]
TONGHUA = REPO / "kb" / "cases" / "tonghua.yaml"
HEAD = 'format: pydesig-case/1\nruleset: jilin-2019\nregions:\n  - "220581"\n'


@pytest.fixture
def builds(monkeypatch, tmp_path):
    """Every case counts as large; a folder of its own; the validations counted."""
    monkeypatch.setattr(case_cache, "SMALLEST", 0)
    monkeypatch.setenv("PYDESIG_CACHE_DIR", str(tmp_path / "cache"))
    calls = []
    real = readers.build_case

    def counted(doc, **kw):
        calls.append(doc.file)
        return real(doc, **kw)

    monkeypatch.setattr(readers, "build_case", counted)
    return calls


def _entries(tmp_path):
    return sorted(p.name for p in (tmp_path / "cache").glob("case-*.pickle"))


def test_validated_once_then_read_from_the_cache(builds, tmp_path):
    path = tmp_path / "tonghua.yaml"
    shutil.copy(TONGHUA, path)
    first = readers.load_case(path)
    second = readers.load_case(path)
    assert len(builds) == 1 and len(_entries(tmp_path)) == 1
    assert second == first and second is not first
    assert second.warnings == first.warnings and second.path == str(path)


def test_an_edited_file_is_validated_again(builds, tmp_path):
    path = tmp_path / "tonghua.yaml"
    shutil.copy(TONGHUA, path)
    before = readers.load_case(path)
    path.write_text(TONGHUA.read_text(encoding="utf-8").replace("poppy_plants: 12000", "poppy_plants: 12345"),
                    encoding="utf-8")
    after = readers.load_case(path)
    assert len(builds) == 2 and after != before
    assert 12345 in {f.value for f in after.facts} and 12345 not in {f.value for f in before.facts}


def test_the_readings_given_on_the_command_line_are_part_of_the_key(builds, tmp_path):
    path = tmp_path / "tonghua.yaml"
    shutil.copy(TONGHUA, path)
    plain = readers.load_case(path)
    explicit = readers.load_case(path, interpretations={"art6_basis": "explicit"})
    assert len(builds) == 2 and explicit.interpretations["art6_basis"] == "explicit"
    assert readers.load_case(path) == plain and len(builds) == 2


def test_an_edited_facts_table_is_read_again(builds, tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(HEAD + "facts: t.csv\n", encoding="utf-8")
    table = tmp_path / "t.csv"
    table.write_text("region,year,indicator,value\n220581,2019,poppy_plants,12000\n", encoding="utf-8")
    assert [f.value for f in readers.load_case(case).facts] == [12000]
    assert [f.value for f in readers.load_case(case).facts] == [12000] and len(builds) == 1
    table.write_text("region,year,indicator,value\n220581,2019,poppy_plants,11999\n", encoding="utf-8")
    assert [f.value for f in readers.load_case(case).facts] == [11999] and len(builds) == 2


def test_a_bad_case_fails_every_time_and_is_not_kept(builds, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(HEAD + "facts:\n  - {region: \"220581\", year: 2019, poppy_plants: -1}\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(CaseError):
            readers.load_case(path)
    assert len(builds) == 2 and _entries(tmp_path) == []


def test_a_damaged_entry_is_ignored_and_replaced(builds, tmp_path):
    path = tmp_path / "tonghua.yaml"
    shutil.copy(TONGHUA, path)
    first = readers.load_case(path)
    [name] = _entries(tmp_path)
    (tmp_path / "cache" / name).write_bytes(b"not a pickle")
    assert readers.load_case(path) == first and len(builds) == 2
    assert readers.load_case(path) == first and len(builds) == 2


def test_off_keeps_nothing(builds, tmp_path, monkeypatch):
    monkeypatch.setenv("PYDESIG_CACHE_DIR", "off")
    for _ in range(2):
        readers.load_case(TONGHUA)
    assert len(builds) == 2 and not (tmp_path / "cache").exists()


def test_a_small_case_is_not_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("PYDESIG_CACHE_DIR", str(tmp_path / "cache"))
    assert TONGHUA.stat().st_size < case_cache.SMALLEST
    readers.load_case(TONGHUA)
    assert not (tmp_path / "cache").exists()


def test_only_the_cases_written_last_are_kept(builds, tmp_path, monkeypatch):
    monkeypatch.setattr(case_cache, "KEPT", 2)
    text = TONGHUA.read_text(encoding="utf-8")
    for n in range(4):
        path = tmp_path / f"c{n}.yaml"
        path.write_text(text + f"# copy {n}\n", encoding="utf-8")
        readers.load_case(path)
    assert len(_entries(tmp_path)) == 2


@pytest.mark.parametrize("ruleset", ["jilin-2019", "changzhou"])
def test_the_rules_relevance_reads_are_kept_and_read_back_the_same(ruleset, tmp_path, monkeypatch):
    """pydesig.relevance keeps the rules it reads off the encodings in the cache folder: read back,
    they are the rules read afresh (clingo symbols through their text)."""
    from pydesig import relevance

    monkeypatch.setenv("PYDESIG_CACHE_DIR", str(tmp_path / "cache"))
    relevance._rules.cache_clear()
    try:
        fresh = relevance._rules(ruleset)
        assert len(list((tmp_path / "cache").glob(f"relevance-{ruleset}-*.pickle"))) == 1
        relevance._rules.cache_clear()
        monkeypatch.setattr(relevance, "_read_rules", lambda _: pytest.fail("the encodings were read again"))
        assert relevance._rules(ruleset) == fresh
    finally:
        relevance._rules.cache_clear()


def test_the_readings_each_predicate_reads_are_kept_and_read_back_the_same(tmp_path, monkeypatch):
    """explain.tree keeps, per rule set, the interpretations each predicate's rules read: read back
    from the cache folder they equal those read off the rules."""
    from explain import tree

    monkeypatch.setenv("PYDESIG_CACHE_DIR", str(tmp_path / "cache"))
    tree._reading_rules.cache_clear()
    try:
        fresh = tree._reading_rules("jilin-2019")
        assert fresh and len(list((tmp_path / "cache").glob("reading-rules-jilin-2019-*.json"))) == 1
        tree._reading_rules.cache_clear()
        monkeypatch.setattr(tree, "_readings_by_predicate", lambda *_: pytest.fail("the rules were read again"))
        assert tree._reading_rules("jilin-2019") == fresh
    finally:
        tree._reading_rules.cache_clear()
