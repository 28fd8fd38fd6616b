"""Where answers go (pydesig/output.py): stdout unchanged and equal to the -o file, -o written
whole or not at all, never over an input, and its errors one line with exit 2.

In-process through click's runner (stdout as bytes), so these stay fast."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from pydesig.cli import main
from pydesig.errors import CaseError
from pydesig.output import emit

REPO = Path(__file__).resolve().parents[1]
TONGHUA = REPO / "kb" / "cases" / "tonghua.yaml"

# Names that survive every layer as data: markup, quotes, backslashes, table bars, CJK.
HOSTILE_CASE = {
    "format": "pydesig-case/1", "ruleset": "jilin-2019", "title": "<b>标题</b> | \\ \"x\"",
    "regions": [{"id": "ab", "name": "甲县 <script>", "kind": "county"},
                {"id": 'a"). x. %', "name": "乙县 [x](javascript:alert(1)) |", "kind": "county"}],
    "facts": [{"region": "ab", "year": 2019, "poppy_plants": 12000},
              {"region": 'a"). x. %', "year": 2019, "poppy_plants": 6000}],
}


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def one_line_error(result, *needles):
    """Exit 2, nothing on stdout, exactly one line on stderr, naming what it must."""
    assert result.exit_code == 2, result.output
    assert result.stdout_bytes == b""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("pydesig: "), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def esc_case(tmp_path):
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(HOSTILE_CASE, ensure_ascii=False), encoding="utf-8")
    return path


def test_stdout_is_written_raw_never_filtered(capfdbinary):
    """click.echo strips ANSI escapes when stdout is no terminal; emit writes the bytes given."""
    emit("a\x1b[1mb ✓\r\n", None)
    assert capfdbinary.readouterr().out == "a\x1b[1mb ✓\r\n".encode()


def test_an_escape_in_an_id_is_refused_so_two_ids_cannot_print_alike(tmp_path):
    case = tmp_path / "esc.json"
    case.write_text(json.dumps({**HOSTILE_CASE, "regions": [{"id": "ab", "name": "甲", "kind": "county"},
                                                             {"id": "a\x1b[1mb", "name": "乙", "kind": "county"}],
                                "facts": []}), encoding="utf-8")
    one_line_error(invoke("program", case), "esc.json", "regions[1]", "field 'id'", "U+001B")


@pytest.mark.parametrize("fmt", ["json", "text", "markdown", "html"])
def test_stdout_is_byte_identical_to_the_output_file(esc_case, tmp_path, fmt):
    printed = invoke("solve", esc_case, "--format", fmt)
    assert printed.exit_code == 0, printed.output
    target = tmp_path / f"out.{fmt}"
    written = invoke("solve", esc_case, "--format", fmt, "-o", target)
    assert written.exit_code == 0 and written.stdout_bytes == b""
    assert printed.stdout_bytes == target.read_bytes()


def test_output_file_is_written_atomically_without_leftovers(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    emit("new ✓\n", target)
    assert target.read_bytes() == "new ✓\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # the file keeps its permissions
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")

    def refuse(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(CaseError, match="No space left on device"):
        emit("new", target)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_bad_input_writes_no_output_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: pydesig-case/1\nruleset: jilin-2019\nregions: ['220581']\n"
                   "facts:\n  - {region: '220581', year: 2019, poppy_plants: -5}\n", encoding="utf-8")
    one_line_error(invoke("solve", bad, "-o", tmp_path / "out.json"), "bad.yaml", "poppy_plants")
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("command", [
    ["solve", TONGHUA], ["why", TONGHUA, "--region", "220581", "--year", "2022"],
    ["why-not", TONGHUA, "--region", "220582", "--year", "2019", "--level", "notified_warning"],
    ["compare", TONGHUA], ["graph", TONGHUA], ["check"],
])
def test_output_into_a_missing_folder_is_bad_input(tmp_path, command):
    line = one_line_error(invoke(*command, "-o", tmp_path / "nodir" / "x.json"), "x.json")
    assert "does not exist" in line


def test_output_errors_are_one_line_with_exit_2(tmp_path):
    one_line_error(invoke("solve", TONGHUA, "-o", tmp_path), "is a directory")
    plain = tmp_path / "file.txt"
    plain.write_text("x", encoding="utf-8")
    one_line_error(invoke("solve", TONGHUA, "-o", plain / "x.json"), "is not a directory")


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="no /sys")
def test_output_where_nothing_may_be_written_is_bad_input():
    result = invoke("solve", TONGHUA, "-o", "/sys/pydesig-test.json")
    one_line_error(result, "/sys/pydesig-test.json", "cannot write the output")


def test_output_over_the_case_file_is_refused(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_bytes(TONGHUA.read_bytes())
    before = case.read_bytes()
    one_line_error(invoke("solve", case, "-o", case), "overwrite an input")
    link = tmp_path / "link.yaml"
    link.symlink_to(case)
    one_line_error(invoke("solve", case, "--format", "json", "-o", link), "overwrite an input")
    os.chdir(tmp_path)
    try:
        one_line_error(invoke("solve", "case.yaml", "-o", "./sub/../case.yaml"))
    finally:
        os.chdir(REPO)
    assert case.read_bytes() == before


def test_newline_in_a_value_never_forges_a_second_error_line(tmp_path):
    bad = tmp_path / "x\npydesig: all good\u2028\x1b[2J.yaml"
    bad.write_text('format: pydesig-case/1\nruleset: jilin-2019\nregions: ["220581"]\n'
                   'facts:\n  - {region: "220581", year: 2019, poppy_plants: -1}\n', encoding="utf-8")
    line = one_line_error(invoke("solve", bad), "facts[0]")
    assert "x\\npydesig: all good\\u2028\\x1b[2J.yaml" in line
    line = one_line_error(invoke("solve", TONGHUA, "-I", "a\nb=c"))
    assert "a\\nb" in line


def test_internal_errors_exit_1_in_one_line_without_traceback(monkeypatch):
    import pydesig.cli as cli

    def boom(*_a, **_k):
        raise RuntimeError("broken\nTraceback (most recent call last):")

    monkeypatch.setattr(cli, "solve", boom)
    monkeypatch.delenv("PYDESIG_DEBUG", raising=False)
    result = invoke("solve", TONGHUA)
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("pydesig: internal error: ")
