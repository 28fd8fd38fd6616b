"""Resource limits and where a facts table may live (pydesig/readers/limits.py, issue 14 item 9).

The fixtures in tests/cases/bad/ hold one failing file per message; what a fixture cannot hold
(a 33 MiB file, a symbolic link, /dev/zero) is built here in tmp_path."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from pydesig import load_case
from pydesig.cli import main
from pydesig.errors import CaseError
from pydesig.jsonpos import json_positions
from pydesig.readers import limits

HEAD = 'format: pydesig-case/1\nruleset: jilin-2019\nregions:\n  - "220581"\n'
TABLE = "region,year,indicator,value\n220581,2019,poppy_plants,12000\n"


def _case(folder: Path, facts: str, name: str = "case.yaml") -> Path:
    path = folder / name
    path.write_text(HEAD + f"facts: {facts}\n", encoding="utf-8")
    return path


def test_a_case_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as handle:
        handle.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: no disk used
    with pytest.raises(CaseError, match="the file is too large: 32.0 MiB, at most 32.0 MiB are read"):
        load_case(big)


def test_a_facts_table_over_the_size_limit_is_refused(tmp_path):
    with open(tmp_path / "facts.csv", "wb") as handle:
        handle.truncate(limits.MAX_FILE_BYTES + 1)
    with pytest.raises(CaseError, match="the facts table 'facts.csv' is too large"):
        load_case(_case(tmp_path, "facts.csv"))


def test_a_table_beside_the_case_or_below_it_is_read(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "facts.csv").write_text(TABLE, encoding="utf-8")
    case = load_case(_case(tmp_path, "data/facts.csv"))
    assert [f.value for f in case.facts] == [12000]
    assert case.sources == (str(tmp_path / "data" / "facts.csv"),)


@pytest.mark.parametrize("facts", ["../outside.csv", "data/../../outside.csv"])
def test_a_table_outside_the_case_folder_is_refused(tmp_path, facts):
    inner = tmp_path / "cases"
    inner.mkdir()
    (tmp_path / "outside.csv").write_text("SECRET,year\n", encoding="utf-8")
    with pytest.raises(CaseError, match="lies outside the case file's folder") as info:
        load_case(_case(inner, facts))
    assert "SECRET" not in str(info.value)


def test_an_absolute_path_and_a_link_leading_out_are_refused(tmp_path):
    inner = tmp_path / "cases"
    inner.mkdir()
    secret = tmp_path / "secret.csv"
    secret.write_text("SECRET,year\n", encoding="utf-8")
    with pytest.raises(CaseError, match="lies outside"):
        load_case(_case(inner, str(secret)))
    (inner / "link.csv").symlink_to(secret)
    with pytest.raises(CaseError, match="lies outside"):
        load_case(_case(inner, "link.csv"))


def test_facts_root_allows_another_folder(tmp_path, monkeypatch):
    inner, shared = tmp_path / "cases", tmp_path / "shared"
    inner.mkdir()
    shared.mkdir()
    (shared / "facts.csv").write_text(TABLE, encoding="utf-8")
    case = _case(inner, "../shared/facts.csv")
    refused = CliRunner().invoke(main, ["solve", str(case)])
    assert refused.exit_code == 2 and "lies outside" in refused.stderr
    allowed = CliRunner().invoke(main, ["--facts-root", str(shared), "solve", str(case), "--format", "json"])
    assert allowed.exit_code == 0, allowed.stderr
    assert json.loads(allowed.stdout)["findings"]
    monkeypatch.setenv("PYDESIG_FACTS_ROOT", str(shared))
    assert load_case(case).facts


def test_dev_zero_is_never_read_even_where_allowed(tmp_path, monkeypatch):
    (tmp_path / "zero.csv").symlink_to("/dev/zero")
    with pytest.raises(CaseError, match="lies outside"):
        load_case(_case(tmp_path, "zero.csv"))
    monkeypatch.setenv("PYDESIG_FACTS_ROOT", "/dev")
    started = time.monotonic()
    with pytest.raises(CaseError, match="not a regular file"):
        load_case(_case(tmp_path, "zero.csv"))
    assert time.monotonic() - started < 5


def test_output_over_the_facts_table_is_refused(tmp_path):
    (tmp_path / "facts.csv").write_text(TABLE, encoding="utf-8")
    case = _case(tmp_path, "facts.csv")
    result = CliRunner().invoke(main, ["solve", str(case), "-o", str(tmp_path / "facts.csv")])
    assert result.exit_code == 2 and "overwrite an input" in result.stderr
    assert (tmp_path / "facts.csv").read_text(encoding="utf-8") == TABLE


def test_line_positions_of_a_long_json_string_take_little_memory():
    text = json.dumps({"format": "pydesig-case/1", "title": "长" * 5_000_000, "regions": ["220581"]},
                      ensure_ascii=False)
    tracemalloc.start()
    try:
        values, _ = json_positions(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert values[("regions", 0)] == (1, len(text) - len('"220581"]}') + 1)
    assert peak < 1_000_000, peak  # the text is 15 MB; the old regex tokenizer peaked at gigabytes


def test_many_newlines_take_little_memory():
    text = '{"regions":' + "\n" * 3_000_000 + '["220581"]}'
    tracemalloc.start()
    try:
        values, _ = json_positions(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert values[("regions", 0)] == (3_000_001, 2)
    assert peak < 1_000_000, peak


def test_free_text_line_breaks_are_read_as_spaces(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text('format: pydesig-case/1\nruleset: jilin-2019\ntitle: "a\\nb\\u2028c"\nregions:\n  - "220581"\n'
                    'facts:\n  - {region: "220581", year: 2019, poppy_plants: 1, source: "通报\\r\\n第3号\\t（2019）"}\n',
                    encoding="utf-8")
    case = load_case(path)
    assert case.title == "a b c"
    assert case.facts[0].source == "通报 第3号 （2019）"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_a_fifo_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "case.yaml")
    with pytest.raises(CaseError, match="not a regular file"):
        load_case(tmp_path / "case.yaml")


HUGE = "9" * 5000  # past Python's 4,300-digit int() limit


def test_a_huge_yaml_integer_is_refused_in_one_line(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(HEAD + f"facts:\n  - {{region: \"220581\", year: 2019, poppy_plants: {HUGE}}}\n",
                    encoding="utf-8")
    with pytest.raises(CaseError, match=r"an integer of more than 20 digits") as err:
        load_case(path)
    assert "\n" not in str(err.value) and "line 6" in str(err.value)


@pytest.mark.parametrize("row", [f"220581,2019,poppy_plants,{HUGE}", f"220581,{HUGE},poppy_plants,1",
                                 "220581,2019,poppy_plants,٣"])
def test_huge_or_non_ascii_numbers_in_a_table_are_refused(tmp_path, row):
    (tmp_path / "facts.csv").write_text("region,year,indicator,value\n" + row + "\n", encoding="utf-8")
    with pytest.raises(CaseError) as err:
        load_case(_case(tmp_path, "facts.csv"))
    assert "\n" not in str(err.value) and "facts.csv" in str(err.value)


def test_the_cli_refuses_a_huge_yaml_integer_with_exit_2(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(HEAD + f"facts:\n  - {{region: \"220581\", year: 2019, poppy_plants: {HUGE}}}\n",
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2


# --------------------------------------------------------------------------- lines of a table

@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_a_table_may_have_max_table_lines_and_no_more(tmp_path, monkeypatch, ending):
    monkeypatch.setattr(limits, "MAX_TABLE_LINES", 6)
    rows = ["region,year,indicator,value", "220581,2019,poppy_plants,1", "", "", ""]
    for last, ok in (("220581,2019,planting_plots,2", True), ("220581,2019,planting_plots,2" + ending, True),
                     ("" + ending + "220581,2019,planting_plots,2", False)):
        (tmp_path / "t.csv").write_text(ending.join(rows + [last]), encoding="utf-8", newline="")
        if ok:
            assert [f.value for f in load_case(_case(tmp_path, "t.csv")).facts] == [1, 2]
        else:
            with pytest.raises(CaseError, match="the table has 7 lines, more than the 6 a facts table may have"):
                load_case(_case(tmp_path, "t.csv"))


def test_a_flood_of_blank_lines_is_refused_by_counting(tmp_path):
    """50 MB of blank lines once cost 8.7 GB and 86 s; past the line limit nothing is split."""
    (tmp_path / "t.csv").write_bytes(TABLE.encode() + b"\n" * limits.MAX_TABLE_LINES)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(CaseError) as info:
            load_case(_case(tmp_path, "t.csv"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(info.value) == (f"{tmp_path / 't.csv'}: line 1000001: the table has 1,000,002 lines, more than "
                               "the 1,000,000 a facts table may have (blank lines included)")
    assert peak < 20 * 2**20 and time.perf_counter() - started < 10


def test_blank_lines_under_the_limit_cost_no_rows(tmp_path):
    (tmp_path / "t.csv").write_bytes(TABLE.encode() + b"\n" * 20_000 + b"220581,2019,planting_plots,-1\n")
    tracemalloc.start()
    try:
        with pytest.raises(CaseError) as info:
            load_case(_case(tmp_path, "t.csv"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (info.value.record, info.value.line) == ("row 20002", 20003)
    assert peak < 5 * 2**20
