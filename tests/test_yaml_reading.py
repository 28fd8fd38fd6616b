"""YAML as a case author means it: ids read as written, only true/false as booleans, anchors and
aliases as yaml.safe_dump writes them, merge keys under the duplicate-key rule."""

from __future__ import annotations

import os
import re
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


# --------------------------------------------------------------------------- raw characters, editor lines

REGION = "regions:\n  - '220581'\n"  # lines 3-4 after HEAD


@pytest.mark.parametrize("text, message", [
    # a raw NUL in an id: the record, the field and the line, as in a JSON file (not a byte position)
    ("regions:\n  - '220581'\n  - \"2205\x0082\"\n", "c.yaml: regions[1] (line 5): field 'id': must not contain "
                                                    "U+0000 (NUL), a control character, at position 5"),
    (REGION + "facts:\n  - {region: '220581', year: 2019, poppy_plants: 1, source: a\x1bb}\n",
     "c.yaml: facts[0] (line 6): field 'source': must not contain U+001B (ESC)"),
    # where no string holds it (a comment, between tokens): the line and column an editor shows
    (REGION + "# a comment \x00\n", "c.yaml: line 5: U+0000 (NUL), a control character, at column 13: YAML allows "
                                      "it nowhere in a file, not even in a comment"),
    ("regions:\r\n  - '220581'\r\n\x7f", "c.yaml: line 5: U+007F (DEL), a control character, at column 1:"),
    ("\ufffe" + REGION, "c.yaml: line 3: U+FFFE"),
])
def test_a_character_yaml_refuses_is_named_by_line_record_and_field(tmp_path, text, message):
    with pytest.raises(CaseError) as info:
        _load(tmp_path, text)
    assert str(info.value).startswith(str(tmp_path / "c.yaml")) and message.removeprefix("c.yaml") in str(info.value)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_yaml_only_line_breaks_shift_no_line_numbers(tmp_path, separator):
    """U+2028, U+2029 and U+0085 end a line for YAML 1.1 but not in an editor: they are read as
    characters, so a later error names the line the editor shows."""
    text = (f"title: 梅河口{separator}2019\n# a note{separator}regions: [x]\n" + REGION
            + "facts:\n  - {region: '220581', year: 2019, poppy_plants: -1}\n")
    with pytest.raises(CaseError) as info:
        _load(tmp_path, text)
    assert (info.value.record, info.value.line, info.value.field) == ("facts[0]", 8, "poppy_plants")
    case = _load(tmp_path, text.replace("-1}", "1}"))
    assert case.title == "梅河口 2019" and "x" not in case.regions  # the comment stayed a comment
    with pytest.raises(CaseError) as info:
        _load(tmp_path, f"regions:\n  - '220581'\n  - {{id: ab{separator}cd}}\n")
    assert (info.value.record, info.value.line, info.value.field) == ("regions[1]", 5, "id")
    assert f"must not contain U+{ord(separator):04X}" in str(info.value)


def test_printable_neighbours_are_read_as_written(tmp_path):
    """Tabs in a comment, a no-break space, an emoji, a private-use character (what the reader
    lends itself for the characters above, with one of them present) stay what they are."""
    ids = ["a\u00a0b", "ok\U0001F600", "x\U000F0000y"]
    case = _load(tmp_path, "title: a\u2028b # \tnote\nregions:\n" + "".join(f"  - {{id: '{i}', name: n, kind: county, "
                                                                        "parent: '220500'}\n" for i in ids)
                   + "facts: []\n")
    assert [r for r in case.regions if r in ids] == ids and case.title == "a b"


def test_a_raw_nul_is_one_line_with_exit_2_on_the_command_line(tmp_path):
    from click.testing import CliRunner

    from pydesig.cli import main

    path = tmp_path / "c.yaml"
    path.write_bytes((HEAD + "regions:\n  - \"2205\x0081\"\n").encode())
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"pydesig: {path}: regions[0] (line 4): field 'id': must not contain U+0000 (NUL), "
                             "a control character, at position 5\n")


@pytest.mark.parametrize("value, message", [("!!int JL-CBS", "'JL-CBS' is not a YAML !!int"),
                                            ("!!bool maybe", "'maybe' is not a YAML !!bool"),
                                            ("!!float x", "'x' is not a YAML !!float")])
def test_an_explicit_tag_the_value_does_not_fit_is_bad_input(tmp_path, value, message):
    with pytest.raises(CaseError, match=f"c.yaml: line 5: {re.escape(message)}"):
        _load(tmp_path, f"regions: ['220581']\nfacts:\n  - {{region: '220581', year: 2019, poppy_plants: {value}}}\n")


def test_an_explicit_tag_the_value_fits_is_read(tmp_path):
    case = _load(tmp_path, "regions: [!!str 220581]\nfacts:\n  - {region: '220581', year: !!int 2019, poppy_plants: !!int 7}\n")
    assert "220581" in case.regions and case.facts[0].value == 7
