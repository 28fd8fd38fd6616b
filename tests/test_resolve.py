"""Regions, officials, levels and years by id or name (pydesig.resolve), and the CLI using them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pydesig import load_case, resolve
from pydesig.errors import CaseError

REPO = Path(__file__).resolve().parents[1]
TONGHUA = REPO / "kb" / "cases" / "tonghua.yaml"


def run(*args):
    return subprocess.run([sys.executable, "-m", "pydesig", *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def case():
    return load_case(str(TONGHUA))


@pytest.fixture()
def twins(tmp_path):
    """Two counties and two officials that share a name (朝阳区 is a name several cities use)."""
    doc = {"format": "pydesig-case/1", "ruleset": "jilin-2019", "title": "同名",
           "regions": [{"id": "220100", "name": "长春市", "kind": "city"},
                       {"id": "220104", "name": "朝阳区", "kind": "county", "parent": "220100"},
                       {"id": "220200", "name": "吉林市", "kind": "city"},
                       {"id": "220299", "name": "朝阳区", "kind": "county", "parent": "220200"}],
           "officials": [{"id": "wang_a", "name": "王伟", "region": "220104", "role": "party_secretary", "since": 2015},
                         {"id": "wang_b", "name": "王伟", "region": "220299", "role": "party_secretary", "since": 2015}],
           "facts": [{"region": "220104", "year": 2019, "poppy_plants": 12000, "planting_plots": 40}]}
    path = tmp_path / "twins.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_region_by_id_and_by_name(case):
    assert resolve.region(case, "220581") == "220581"
    assert resolve.region(case, "梅河口市") == "220581"
    assert resolve.region(case, " 梅河口市 ") == "220581"


def test_unknown_region_suggests_near_names(case):
    with pytest.raises(CaseError) as err:
        resolve.region(case, "梅河")
    assert "220581 梅河口市" in str(err.value) and "--region" in str(err.value)
    with pytest.raises(CaseError) as err:
        resolve.region(case, "长春市")
    assert "220500 通化市" in str(err.value)  # no near name: the case's regions


def test_ambiguous_names_list_every_candidate(twins):
    c = load_case(str(twins))
    with pytest.raises(resolve.Ambiguous) as err:
        resolve.region(c, "朝阳区")
    assert err.value.candidates == ["220104", "220299"]
    assert "220104 朝阳区 (in 220100 长春市)" in str(err.value) and "220299 朝阳区 (in 220200 吉林市)" in str(err.value)
    assert resolve.region(c, "220299") == "220299"
    with pytest.raises(resolve.Ambiguous) as err:
        resolve.official(c, "王伟")
    assert err.value.candidates == ["wang_a", "wang_b"]


def test_official_by_id_and_name(case):
    assert resolve.official(case, "张伟") == "zhang_wei" == resolve.official(case, "zhang_wei")
    with pytest.raises(CaseError, match="no official '张三'"):
        resolve.official(case, "张三")


@pytest.mark.parametrize("text", ["notified_warning", "通报警示", "notified warning"])
def test_level_by_id_zh_or_en(text):
    assert resolve.level("jilin-2019", text) == "notified_warning"


def test_levels_of_the_other_instrument_are_refused_and_only_own_levels_listed():
    with pytest.raises(CaseError) as err:
        resolve.level("jilin-2019", "重点整治")
    message = str(err.value)
    assert "changzhou" in message and "通报警示" in message and "key_notification" not in message
    with pytest.raises(CaseError) as err:
        resolve.level("changzhou", "listed_rectification")
    assert "key_rectification" in str(err.value) and "挂牌整治" not in str(err.value).split(";")[1]


def test_absent_only_where_a_state_is_asked_for():
    with pytest.raises(CaseError, match="absent"):
        resolve.level("jilin-2019", "absent")
    assert resolve.level("jilin-2019", "absent", allow_absent=True) == "absent"
    assert resolve.level("jilin-2019", "不在重点整治", allow_absent=True) == "absent"


@pytest.mark.parametrize("value,ok", [(1899, False), (1900, True), (2200, True), (2201, False), ("20x9", False)])
def test_year_within_the_loader_range(case, value, ok):
    if ok:
        assert resolve.year(case, value) == value
    else:
        with pytest.raises(CaseError, match="--year"):
            resolve.year(case, value)


def test_cli_why_and_why_not_take_names():
    by_name = run("why", TONGHUA, "--region", "梅河口市", "--year", 2019, "--format", "json")
    by_id = run("why", TONGHUA, "--region", "220581", "--year", 2019, "--format", "json")
    assert by_name.returncode == 0 and by_name.stdout == by_id.stdout
    by_name = run("why-not", TONGHUA, "--region", "集安市", "--year", 2019, "--level", "通报警示", "--format", "json")
    by_id = run("why-not", TONGHUA, "--region", "220582", "--year", 2019, "--level", "notified_warning",
                "--format", "json")
    assert by_name.returncode == 0 and by_name.stdout == by_id.stdout


def test_cli_refuses_other_instrument_level_and_ambiguous_names(twins):
    bad = run("why-not", TONGHUA, "--region", "梅河口市", "--year", 2019, "--level", "key_rectification")
    assert bad.returncode == 2 and bad.stdout == ""
    assert "key_notification" not in bad.stderr and "listed_rectification" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    bad = run("why", twins, "--region", "朝阳区", "--year", 2019)
    assert bad.returncode == 2 and "220104" in bad.stderr and "220299" in bad.stderr
    bad = run("why", TONGHUA, "--region", "梅河口市", "--year", 3000)
    assert bad.returncode == 2 and "1900" in bad.stderr


def test_decide_subject_by_name():
    by_name = run("outcomes", TONGHUA, "--decide", "张伟:2019:no_discipline", "--format", "json")
    by_id = run("outcomes", TONGHUA, "--decide", "zhang_wei:2019:no_discipline", "--format", "json")
    assert by_id.returncode == by_name.returncode
    assert by_name.stdout == by_id.stdout and by_name.stderr == by_id.stderr
    bad = run("outcomes", TONGHUA, "--decide", "nobody:2019:extend")
    assert bad.returncode == 2 and "nobody" in bad.stderr
