"""YAML as a case author means it: ids read as written, only true/false as booleans, anchors and
aliases as yaml.safe_dump writes them, merge keys under the duplicate-key rule."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from pydesig import load_case
from pydesig.errors import CaseError

GOOD = Path(__file__).parent / "cases" / "good"
BAD = Path(__file__).parent / "cases" / "bad"
HEAD = "format: pydesig-case/1\nruleset: jilin-2019\n"


def _load(tmp_path, text: str):
    path = tmp_path / "c.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    return load_case(path)


@pytest.mark.parametrize("written", ["0123", "0x1F", "1:30", "1_000", "0o17", "2019-05-01", "yes", "on", "~x"])
def test_ids_read_as_written(tmp_path, written):
    case = _load(tmp_path, f"regions:\n  - {{id: {written}, name: 甲, kind: county, parent: '220500'}}\n"
                           f"facts:\n  - {{region: {written}, year: 2019, poppy_plants: 1}}\n")
    assert written in case.regions and case.facts[0].subject_id == written


@pytest.mark.parametrize("value", ["yes", "no", "on", "off", "y", "Yes"])
def test_only_true_and_false_are_flags(tmp_path, value):
    with pytest.raises(CaseError, match=f"must be true or false, got '{value}'"):
        _load(tmp_path, f"regions: ['220581']\nfacts:\n  - {{region: '220581', year: 2019, user_incident: {value}}}\n")


@pytest.mark.parametrize("value", ["true", "True", "TRUE", "false"])
def test_true_and_false_in_any_case_are_flags(tmp_path, value):
    case = _load(tmp_path, f"regions: ['220581']\nfacts:\n  - {{region: '220581', year: 2019, user_incident: {value}}}\n")
    assert case.facts[0].value is (value.lower() == "true")


def test_counts_in_octal_or_hex_look_are_refused_not_converted(tmp_path):
    with pytest.raises(CaseError, match="must be an integer ≥ 0, got '0x1F'"):
        _load(tmp_path, "regions: ['220581']\nfacts:\n  - {region: '220581', year: 2019, poppy_plants: 0x1F}\n")


def test_a_case_dumped_by_pyyaml_with_shared_objects_loads(tmp_path):
    region = {"region": "220581", "year": 2019}
    doc = {"format": "pydesig-case/1", "ruleset": "jilin-2019", "regions": ["220581"],
           "facts": [dict(region, poppy_plants=1), dict(region, planting_plots=2)]}
    shared = ["abuse", "cultivation"]
    doc["facts"] += [{"region": "220581", "year": 2020, "serious_problems": shared},
                     {"region": "220581", "year": 2021, "serious_problems": shared}]
    text = yaml.safe_dump(doc, allow_unicode=True)
    assert "&id" in text and "*id" in text
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    case = load_case(tmp_path / "d.yaml")
    assert sorted((f.year, f.indicator) for f in case.facts) == [
        (2019, "planting_plots"), (2019, "poppy_plants"), (2020, "serious_problems"), (2021, "serious_problems")]


def test_merge_keys_add_keys_but_never_replace_one(tmp_path):
    case = _load(tmp_path, "regions: ['220581']\nfacts:\n  - {<<: &b {region: '220581', year: 2019}, poppy_plants: 1}\n"
                   "  - {<<: *b, planting_plots: 2}\n")
    assert {f.indicator: f.value for f in case.facts} == {"poppy_plants": 1, "planting_plots": 2}
    with pytest.raises(CaseError, match="duplicate key 'year'.*merge key"):
        _load(tmp_path, "regions: ['220581']\nfacts:\n  - {<<: [{region: '220581', year: 2019}, {year: 2020}], "
                        "poppy_plants: 1}\n")


def test_set_message_does_not_depend_on_hash_seed():
    path = BAD / "yaml-set-tag.yaml"
    outputs = set()
    for seed in ("0", "1", "2"):
        p = subprocess.run([sys.executable, "-m", "pydesig", "solve", str(path)], capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": seed})
        assert p.returncode == 2
        outputs.add(p.stderr)
    assert len(outputs) == 1
