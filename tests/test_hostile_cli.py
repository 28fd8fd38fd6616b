"""Command-line arguments a hostile user types (issue 14, items 7 and 8): every one refused with
exit 2 and one line, never an internal error, never an answer to a question that names nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pydesig.cli import main

REPO = Path(__file__).resolve().parents[1]
TONGHUA = str(REPO / "kb" / "cases" / "tonghua.yaml")


def refused(*args, needle: str = ""):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("pydesig: "), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert needle in lines[0]
    return lines[0]


@pytest.mark.parametrize("year", ["²", "٢٠٢٢", "3000000000", "9" * 5000, "-2022", "20 22"])
def test_decide_year_must_be_a_year_in_range(year):
    refused("solve", TONGHUA, "--decide", f"220581:{year}:extend", needle="--decide")


@pytest.mark.parametrize("year", ["99999999999", "2300", "1899"])
def test_why_not_refuses_a_year_outside_the_loader_range(year):
    refused("why-not", TONGHUA, "--region", "220581", "--year", year, "--level", "notified_warning",
            needle="year")


def test_why_not_refuses_what_names_nothing():
    refused("why-not", TONGHUA, "--region", "zzz", "--year", "2019", "--level", "notified_warning", needle="zzz")
    refused("why-not", TONGHUA, "--region", "220581", "--year", "2019", "--level", "absent", needle="absent")
    refused("why-not", TONGHUA, "--region", "220581", "--year", "2019", "--level", "key_rectification",
            needle="changzhou")


def test_why_refuses_an_unknown_region_and_year():
    refused("why", TONGHUA, "--region", "zzz", "--year", "2019", needle="zzz")
    refused("why", TONGHUA, "--region", "220581", "--year", "99999999999", needle="year")


# --------------------------------------------------------------------------- usage errors

@pytest.mark.parametrize("args, needle", [
    (["solve", TONGHUA, "--bogus"], "solve: No such option '--bogus'"),
    (["solve", TONGHUA, "--yaer", "2019"], "Did you mean '--year'?"),
    (["solve"], "solve: Missing argument 'CASE'"),
    (["nosuch"], "No such command 'nosuch'"),
    (["--bogus", "solve", TONGHUA], "No such option '--bogus'"),
    (["solve", TONGHUA, "--year", "abc"], "'--year'"),
    (["solve", TONGHUA, "--format", "yaml"], "'--format'"),
    (["solve", TONGHUA, "--format", "csv"], "give -o DIR"),  # raised by the command itself
    (["why", TONGHUA], "give --region R"),
    (["solve", TONGHUA, "--year", "20\n19\x1b[1m"], "'20\\n19\\x1b[1m'"),  # the value cannot forge a line
])
def test_a_usage_error_is_one_line_naming_the_command_and_the_option(args, needle):
    line = refused(*args, needle=needle)
    assert "--help" in line and "Usage:" not in line


def test_help_is_still_the_help():
    for args in (["--help"], ["solve", "--help"], ["why-not", "-h"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0 and result.stdout.startswith("Usage: ")
        assert "Options:" in result.stdout and result.stderr == ""


def test_a_correct_command_line_is_not_a_usage_error():
    result = CliRunner().invoke(main, ["solve", TONGHUA, "--year", "2019", "--format", "json", "--workers", "1"])
    assert result.exit_code == 0 and result.stdout.startswith("{")
    assert all(line.startswith("pydesig: warning: ") for line in result.stderr.splitlines())  # the case's own


@pytest.mark.parametrize("command", [["solve", "missing.yaml"], ["readings", "missing.yaml"], ["graph", "missing.yaml"],
                                     ["why", "missing.yaml", "--region", "x", "--year", "2019"], ["check"]])
def test_an_output_into_a_missing_folder_is_refused_before_any_work(tmp_path, command):
    """Refused while the command line is read: the case (here missing) is not even opened, so a
    `readings` of a big case does not run for minutes first."""
    target = tmp_path / "nodir" / "x.json"
    line = refused(*command, "-o", str(target), needle=f"{target}: field '-o': cannot write the output: the folder")
    assert "missing.yaml" not in line


def test_an_output_beside_existing_files_is_not_refused_early(tmp_path):
    result = CliRunner().invoke(main, ["schema", "--ruleset", "jilin-2019", "-o", str(tmp_path / "s.json")])
    assert result.exit_code == 0 and (tmp_path / "s.json").read_bytes().startswith(b"{")
