"""The case loader: one failing fixture per error message, and equal loads across formats.

Each ``tests/cases/bad/*.yaml`` starts with ``# expect: <part of the message>`` (and
``# file: <name>`` when the error is in a CSV table it names); a JSON fixture and a workbook case
file (``.xlsx``) keep their expectation in ``<name>.expect``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from pydesig.case import load_case
from pydesig.errors import CaseError
from pydesig.regions import gazetteer
from pydesig.schema import case_schema

CASES = Path(__file__).parent / "cases"
BAD = sorted(p for p in (CASES / "bad").iterdir() if p.suffix in (".yaml", ".json")
             or p.suffix == ".xlsx" and p.with_suffix(".expect").exists())
GOOD = sorted(p for p in (CASES / "good").iterdir() if p.suffix in (".yaml", ".json"))

HEAD = 'format: pydesig-case/1\nruleset: jilin-2019\nregions:\n  - "220581"\n'


def _expectation(path: Path) -> tuple[str, str]:
    """(expected substring, name of the file the error must name)."""
    if path.suffix in (".json", ".xlsx"):  # a workbook case file: tests/cases/make_bad_workbooks.py
        return path.with_suffix(".expect").read_text(encoding="utf-8").strip(), path.name
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines and lines[0].startswith("# expect: "), f"{path.name} lacks '# expect:'"
    expect = lines[0][len("# expect: "):]
    file = lines[1][len("# file: "):] if len(lines) > 1 and lines[1].startswith("# file: ") else path.name
    return expect, file


def _facts(case) -> set:
    return {(f.subject, f.subject_id, f.year, f.indicator, f.value, f.source) for f in case.facts}


def _write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", BAD, ids=[p.name for p in BAD])
def test_bad_case_is_rejected_with_its_message(path):
    expect, file = _expectation(path)
    with pytest.raises(CaseError) as info:
        load_case(path)
    err = info.value
    assert expect in str(err)
    assert Path(err.file).name == file
    assert str(err).startswith(err.file + ": ")
    if err.record and err.record.startswith(("facts[", "regions[", "officials[", "row ")):
        assert err.line is not None


def test_every_bad_fixture_is_distinct():
    messages = [_expectation(p)[0] for p in BAD]
    assert len(messages) == len(set(messages))


def test_error_renders_every_part():
    err = CaseError("must be an integer ≥ 0, got -5", file="c.yaml", record="facts[3]", line=12,
                    field="poppy_plants")
    assert str(err) == "c.yaml: facts[3] (line 12): field 'poppy_plants': must be an integer ≥ 0, got -5"
    assert str(CaseError("the file is empty", file="c.yaml")) == "c.yaml: the file is empty"
    assert str(CaseError("x", file="c.yaml", line=4)) == "c.yaml: line 4: x"


def test_good_cases_load_to_the_same_facts():
    cases = {p.name: load_case(p) for p in GOOD}
    assert {"basic.yaml", "basic.json", "long.yaml", "wide.yaml"} <= set(cases)
    reference = cases["basic.yaml"]
    for name, case in cases.items():
        assert _facts(case) == _facts(reference), name
        assert case.regions == reference.regions, name
        assert case.officials == reference.officials, name
        assert case.interpretations == reference.interpretations, name


def test_gazetteer_fills_in_and_adds_parents():
    case = load_case(CASES / "good" / "basic.yaml")
    assert case.regions["220581"] == gazetteer()["220581"]
    assert case.regions["220581"].name == "梅河口市"
    assert case.regions["220500"].kind == "city"  # parent added from the gazetteer
    assert case.regions["220000"].kind == "province"
    assert case.regions["JL-CBS"].name == "长白山保护开发区"
    assert case.regions["mh-hx"].parent == "220581"


def test_gazetteer_holds_our_own_ids():
    g = gazetteer()
    assert g["JL-CCXQ"].name == "长春新区" and g["JL-CCXQ"].parent == "220000"
    assert g["220381"].parent == "220300"  # as in the source table (see kb/regions.md)
    assert all(r.parent is None or r.parent in g for r in g.values())


def test_given_fields_override_the_gazetteer(tmp_path):
    path = _write(tmp_path, 'format: pydesig-case/1\nruleset: jilin-2019\nregions:\n'
                            '  - {id: "220381", parent: "220100"}\nfacts: []\n')
    case = load_case(path)
    assert case.regions["220381"].parent == "220100"
    assert case.regions["220381"].name == "公主岭市"
    assert "220300" not in case.regions


def test_integer_region_id_becomes_a_string(tmp_path):
    path = _write(tmp_path, "format: pydesig-case/1\nruleset: jilin-2019\nregions:\n"
                            "  - 220581\n  - {id: 220582}\n"
                            "facts:\n  - {region: 220581, year: 2019, poppy_plants: 1}\n")
    case = load_case(path)
    assert "220581" in case.regions and "220582" in case.regions
    assert case.facts[0].subject_id == "220581"


def test_hostile_ids_are_plain_strings(tmp_path):
    hostile = 'a"). x. %'
    doc = {
        "format": "pydesig-case/1", "ruleset": "jilin-2019",
        "regions": [{"id": hostile, "name": hostile, "kind": "county", "parent": "220500"}],
        "officials": [{"id": hostile + "p", "name": "n", "region": hostile,
                       "role": "party_secretary", "since": 2015}],
        "facts": [{"region": hostile, "year": 2019, "poppy_plants": 3, "source": hostile},
                  {"official": hostile + "p", "year": 2019, "neglect": True}],
    }
    for name, text in (("h.json", json.dumps(doc, ensure_ascii=False)),
                       ("h.yaml", json.dumps(doc, ensure_ascii=False, indent=1))):
        case = load_case(_write(tmp_path, text, name))
        assert case.regions[hostile].name == hostile
        assert case.facts[0].subject_id == hostile and case.facts[0].source == hostile
        assert case.officials[hostile + "p"].region == hostile


def test_yaml_records_carry_their_lines(tmp_path):
    path = _write(tmp_path, HEAD + "facts:\n"
                                   "  - region: '220581'\n    year: 2019\n    poppy_plants: 1\n"
                                   "\n  # a comment\n"
                                   "  - {region: '220581', year: 2020, planting_plots: 2}\n")
    case = load_case(path)
    assert [f.record for f in case.facts] == ["facts[0] (line 6)", "facts[1] (line 11)"]
    bad = path.read_text(encoding="utf-8").replace("planting_plots: 2", "planting_plots: -2")
    with pytest.raises(CaseError) as info:
        load_case(_write(tmp_path, bad))
    assert (info.value.record, info.value.line, info.value.field) == ("facts[1]", 11, "planting_plots")


def test_json_records_carry_their_lines():
    case = load_case(CASES / "good" / "basic.json")
    assert case.facts[0].record == "facts[0] (line 12)"


def test_same_value_twice_keeps_the_first_source(tmp_path):
    path = _write(tmp_path, HEAD + "facts:\n"
                                   "  - {region: '220581', year: 2019, poppy_plants: 5, source: a}\n"
                                   "  - {region: '220581', year: 2019, poppy_plants: 5, source: b}\n")
    (fact,) = load_case(path).facts
    assert fact.source == "a" and fact.record == "facts[0] (line 6)"


def test_list_values_are_normalised(tmp_path):
    path = _write(tmp_path, HEAD + "facts:\n"
                                   "  - {region: '220581', year: 2019, serious_problems: [abuse, manufacturing]}\n"
                                   "  - {region: '220581', year: 2019, serious_problems: [manufacturing, abuse]}\n")
    (fact,) = load_case(path).facts
    assert fact.value == ("manufacturing", "abuse")


def test_override_wins_and_is_validated():
    path = CASES / "good" / "basic.yaml"
    assert load_case(path).interpretations == {"bare_counts": "exactly"}
    case = load_case(path, interpretations={"bare_counts": "at_least", "city_tier": "highest_county_tier"})
    assert case.interpretations == {"bare_counts": "at_least", "city_tier": "highest_county_tier"}
    for override, message in (({"bare_counts": "most"}, "unknown option 'most'"),
                              ({"bare_count": "exactly"}, "unknown interpretation 'bare_count'")):
        with pytest.raises(CaseError) as info:
            load_case(path, interpretations=override)
        assert message in str(info.value) and "basic.yaml" in str(info.value)
        assert info.value.record.startswith("-I ")


def test_decisions_are_read_with_string_ids(tmp_path):
    path = _write(tmp_path, HEAD + "facts: []\ndecisions:\n  - {region: 220581, year: 2020, decision: listed}\n")
    (decision,) = load_case(path).decisions
    assert decision["region"] == "220581" and decision["decision"] == "listed"
    assert decision["record"] == "decisions[0] (line 7)"


def test_unsupported_extension(tmp_path):
    with pytest.raises(CaseError, match="unsupported file type"):
        load_case(_write(tmp_path, HEAD, "case.txt"))


def test_not_utf8(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_bytes(HEAD.encode("utf-8") + "title: 示例\n".encode("gbk"))
    with pytest.raises(CaseError) as info:
        load_case(path)
    assert info.value.line == 5 and "UTF-8" in str(info.value)


def test_loading_is_deterministic():
    for path in GOOD:
        assert load_case(path) == load_case(path)


def test_schema_is_valid_and_describes_every_indicator():
    from pydesig.indicators import indicators

    schema = case_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for rs in ("jilin-2019", "changzhou"):
        jsonschema.Draft202012Validator.check_schema(case_schema(rs))
    described = {}
    for name, d in schema["$defs"].items():
        if name.startswith("fact-"):
            described.update(d["properties"])
    for name, ind in indicators().items():
        assert name in described, name
        assert ind.zh in described[name]["description"]
        assert "serves: " in described[name]["description"]
    assert described["poppy_plants"]["maximum"] == 2**31 - 1
    json.dumps(schema)


@pytest.mark.parametrize("path", GOOD, ids=[p.name for p in GOOD])
def test_good_yaml_and_json_cases_satisfy_the_published_schema(path):
    from pydesig.case import _read  # the parsed document, before meaning is checked

    jsonschema.Draft202012Validator(case_schema()).validate(_read(path).data)


# --------------------------------------------------------------------------- CSV quoting

def _csv_case(tmp_path: Path, table: str) -> Path:
    (tmp_path / "t.csv").write_bytes(table.encode("utf-8"))
    return _write(tmp_path, HEAD + "facts: t.csv\n")


def test_csv_quotes_as_excel_writes_them_are_read(tmp_path):
    """The neighbours of a stray quote: a quoted cell over two lines, a doubled quote inside a
    quoted cell, a quote inside an unquoted cell, a quoted empty cell."""
    case = load_case(_csv_case(tmp_path, 'region,year,indicator,value,source\r\n'
                                         '220581,2019,poppy_plants,"12000","通报\r\n第2号 ""禁种"""\r\n'
                                         '220581,2019,planting_plots,40,省委 5"号\r\n'
                                         '220581,2019,monitoring,prominent,""\r\n'))
    assert sorted((f.indicator, f.value, f.source, f.record) for f in case.facts) == [
        ("monitoring", "prominent", None, "row 3 (line 5)"),
        ("planting_plots", 40, '省委 5"号', "row 2 (line 4)"),
        ("poppy_plants", 12000, '通报 第2号 "禁种"', "row 1 (line 2)")]


@pytest.mark.parametrize("table, where", [
    # the quote opens on line 3 and the rest of the file would be its text
    ('region,year,indicator,value,source\n220581,2019,poppy_plants,1,a\n220581,2019,planting_plots,2,"b\n'
     '220581,2019,monitoring,prominent,c\n', "row 2 (line 3): field 'source': a quote opens this cell"),
    # after a legitimate two-line cell, the stray quote's line is counted right
    ('region,year,indicator,value,source\n220581,2019,poppy_plants,1,"a\nb"\n220581,2019,planting_plots,"2,x\n',
     "row 2 (line 4): field 'value': a quote opens this cell"),
    # a cell beyond the header's columns is named by its number
    ('region,year,indicator,value\n220581,2019,poppy_plants,1,"x\n', "row 1, column 5 (line 2): a quote opens"),
    ('region,year,"indicator,value\n220581,2019,poppy_plants,1\n', 
     "header, column 3 (line 1): a quote opens this cell"),
    ('region,year,indicator,value\r\n220581,2019,poppy_plants,"1"2\r\n', "row 1 (line 2): field 'value': text after "
     "the closing quote"),
])
def test_a_stray_csv_quote_is_refused_where_it_opens(tmp_path, table, where):
    with pytest.raises(CaseError) as info:
        load_case(_csv_case(tmp_path, table))
    message = str(info.value)
    assert message.startswith(str(tmp_path / "t.csv") + ": ") and where in message, message
    assert '("")' in message and "\n" not in message


def test_blank_lines_in_a_table_keep_the_row_numbers(tmp_path):
    with pytest.raises(CaseError) as info:
        load_case(_csv_case(tmp_path, 'region,year,indicator,value\n\n220581,2019,poppy_plants,1\n\n,,,\n'
                                      '220581,2019,planting_plots,-2\n'))
    assert (info.value.record, info.value.line, info.value.field) == ("row 5", 6, "planting_plots")


@pytest.mark.parametrize("cell, where", [
    ("220581\x1b[1m", "row 1 (line 2): field 'region': must not contain U+001B (ESC)"),
    ("梅河口\u202e", "row 1 (line 2): field 'region': must not contain U+202E"),
    ('"a\nb"', "row 1 (line 2): field 'region': must not contain U+000A (line feed)"),
])
def test_a_table_cell_holds_what_a_yaml_string_may_hold(tmp_path, cell, where):
    with pytest.raises(CaseError, match=re.escape(where)):
        load_case(_csv_case(tmp_path, f"region,year,indicator,value\n{cell},2019,poppy_plants,1\n"))


def test_a_workbook_facts_sheet_is_held_to_the_same_string_rule(tmp_path):
    import sys
    sys.path.insert(0, str(Path(__file__).parent))
    from workbooks import case_workbook

    doc = {"format": "pydesig-case/1", "ruleset": "jilin-2019", "regions": ["220581"],
           "facts": [{"region": "220581", "year": 2019, "source": "通报\n第2号", "poppy_plants": 1}]}
    case_workbook(doc, tmp_path / "ok.xlsx")
    assert load_case(tmp_path / "ok.xlsx").facts[0].source == "通报 第2号"
    doc["facts"][0]["region"] = "220581\nfake"
    case_workbook(doc, tmp_path / "bad.xlsx")
    with pytest.raises(CaseError, match=r"row 2, column A.*field 'region': must not contain U\+000A"):
        load_case(tmp_path / "bad.xlsx")


def test_a_workbook_whose_sheet_xml_is_damaged_is_bad_input(tmp_path):
    """openpyxl parses a sheet as it reads it, after the workbook opened: a raw ESC in a cell's XML
    (which no spreadsheet writes, but a hand-edited or damaged file holds) was an internal error."""
    import io
    import sys
    import zipfile
    sys.path.insert(0, str(Path(__file__).parent))
    from workbooks import case_workbook

    doc = {"format": "pydesig-case/1", "ruleset": "jilin-2019", "regions": ["220581"],
           "facts": [{"region": "220581", "year": 2019, "source": "SOURCE", "poppy_plants": 7777}]}
    buffer = io.BytesIO()
    case_workbook(doc, buffer)
    (tmp_path / "ok.xlsx").write_bytes(buffer.getvalue())
    assert load_case(tmp_path / "ok.xlsx").facts[0].source == "SOURCE"
    for old, new, message in ((b"SOURCE", b"SO\x1bURCE", r"a sheet's XML is damaged \(not well-formed"),
                              (b"<v>7777</v>", b"<v>inf</v>", r"a cell holds what no spreadsheet writes \(ValueError")):
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zin, zipfile.ZipFile(out, "w") as zout:
            for item in zin.infolist():
                zout.writestr(item, zin.read(item).replace(old, new))
        (tmp_path / "bad.xlsx").write_bytes(out.getvalue())
        with pytest.raises(CaseError, match=r"bad.xlsx: not an Excel workbook \(.xlsx\) that can be read: " + message):
            load_case(tmp_path / "bad.xlsx")
