"""The fuzzer (issue 14): hostile case files through the loader and ``solve``.

Every case drawn must end in exit 0, or exit 2 with one line naming the file; never exit 1,
never a traceback, never two ids merged; and the same bytes whatever ``PYTHONHASHSEED`` is.

Five sources, one test each: cases drawn from the JSON Schema (Jilin, Changzhou), the shipped
YAML/JSON cases mutated, their CSV facts tables mutated, a workbook case with hostile cells; and
a catalogue that tries every kind of edit once on every run.

Two profiles: ``short`` (the default, part of ``make test``: 5 examples a test, derandomized so
the suite is reproducible, the catalogue carrying the breadth) and ``long`` (``make fuzz``, or
``PYDESIG_FUZZ=long``; the number of examples from ``PYDESIG_FUZZ_EXAMPLES``, default 3000 per
test; solves also on a process pool; ``why`` in the hash-seed run).  ``make fuzz`` prints
hypothesis' statistics: examples run, time, and how the runs ended (events ``exit 0`` / ``exit 2``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from fuzzcases import (CATALOGUE, REPO, SHIPPED, mutated_cases, mutated_tables, mutated_workbooks, schema_cases,
                       verdict, workbook_case, write)
from seeded import outcomes

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("short", max_examples=5, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_QUIET)
settings.register_profile(
    "long", max_examples=int(os.environ.get("PYDESIG_FUZZ_EXAMPLES", "3000")), deadline=None,
    database=DirectoryBasedExampleDatabase(str(REPO / ".hypothesis" / "fuzz")), suppress_health_check=_QUIET)
LONG = os.environ.get("PYDESIG_FUZZ", "short") == "long"
FUZZ = settings.get_profile("long" if LONG else "short")

# In-process solving (--workers 1): the fuzzer is about what the loader lets through; the long
# profile also solves on the process pool the command uses by default.
COMMANDS = [("solve", "--format", "json", "--workers", "1"), ("solve", "--format", "text", "--workers", "1"),
            ("program",), ("solve", "--format", "markdown", "--workers", "1")]
if LONG:
    COMMANDS.append(("solve", "--format", "json"))


def _outcome(case_name: str, files: dict, command: tuple) -> dict:
    with tempfile.TemporaryDirectory(prefix="pydesig-fuzz-") as folder:
        write(Path(folder), files)
        return verdict(Path(folder), case_name, *command)


def _run(case_name: str, files: dict, command: tuple) -> dict:
    outcome = _outcome(case_name, files, command)
    event(f"exit {outcome['exit']}")
    if outcome["line"]:  # which kind of message (the part after the record), for the statistics
        event("refused: " + re.sub(r"\d+|'[^']*'", "…", outcome["line"].rsplit(": ", 1)[-1])[:50])
    return outcome


@FUZZ
@given(schema_cases("jilin-2019"), st.sampled_from(COMMANDS))
def test_cases_from_the_schema_jilin(case, command):
    _run(*case, command)


@FUZZ
@given(schema_cases("changzhou"), st.sampled_from(COMMANDS))
def test_cases_from_the_schema_changzhou(case, command):
    _run(*case, command)


@FUZZ
@given(mutated_cases(), st.sampled_from(COMMANDS))
def test_mutated_shipped_cases(case, command):
    _run(*case, command)


@FUZZ
@given(mutated_tables(), st.sampled_from(COMMANDS))
def test_mutated_csv_tables(case, command):
    _run(*case, command)


@FUZZ
@given(mutated_workbooks(), st.sampled_from(COMMANDS))
def test_mutated_workbook_cases(case, command):
    _run(*case, command)


@pytest.mark.parametrize("index", range(0, len(CATALOGUE), 8))
def test_every_kind_of_edit_once(index):
    """Each kind of edit (bytes, tags, encodings, line ends, numbers, CSV quotes, workbook cells)
    once, whatever the profile; eight to a test, each under the next command in turn."""
    for i, (what, case_name, files) in enumerate(CATALOGUE[index:index + 8], index):
        try:
            _outcome(case_name, files, COMMANDS[i % 4])
        except AssertionError as err:
            raise AssertionError(f"{what}: {err}") from None


# --------------------------------------------------------------------------- determinism

def _seeded_runs(job: dict) -> tuple[list, list]:
    """The outcomes of ``job`` (commands to run, case files to load) here and in a process with
    another hash seed, side by side."""
    here = os.environ.get("PYTHONHASHSEED")
    env = {**os.environ, "PYTHONHASHSEED": "1" if here == "4242" else "4242"}
    env.pop("PYDESIG_DEBUG", None)
    other = subprocess.Popen([sys.executable, str(Path(__file__).with_name("seeded.py")), json.dumps(job)],
                             env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    mine = json.loads(json.dumps(outcomes(job)))  # as the other's came: through JSON
    out, err = other.communicate()
    assert other.returncode == 0, err
    return mine, json.loads(out)


def test_same_bytes_whatever_the_hash_seed(tmp_path):
    """Good and bad cases give the same stdout and stderr under two hash seeds: sets and dicts
    never leak their order into a result or a message (a !!set, a list repeated, the candidates
    of a did-you-mean …).  Every fixture of tests/cases is loaded too, its facts or its message
    compared.  One run in this process, one in another with another seed, side by side."""
    bad = {
        "unhashable.yaml": "format: pydesig-case/1\nruleset: jilin-2019\nregions: ['220581']\nfacts:\n"
                           "  - {region: '220581', year: 2019, serious_problems: [[abuse], [abuse]]}\n",
        "dup.json": '{"format": "pydesig-case/1", "ruleset": "jilin-2019", "regions": ["220581"], '
                    '"facts": [{"region": "220581", "year": 2019, "serious_problems": ["abuse", "abuse", "transit"]}]}',
        "set.yaml": "format: pydesig-case/1\nruleset: jilin-2019\nregions: ['220581']\nfacts:\n"
                    "  - {region: '220581', year: 2019, serious_problems: !!set {abuse, transit, cultivation}}\n",
    }
    for name, text in bad.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "case.xlsx").write_bytes(workbook_case())
    one = ("--workers", "1")
    good = REPO / "tests" / "cases" / "good"
    commands = [["solve", str(p), "--format", "json", *one] for p in (*SHIPPED[:2], good / "long.yaml")]
    commands += [["solve", str(tmp_path / "case.xlsx"), "--format", "text", *one], ["program", str(good / "basic.yaml")]]
    if LONG:  # the bigger outputs, and the process pool
        commands += [["why", str(SHIPPED[0]), "--region", "220581", "--year", "2022"], ["program", str(SHIPPED[0])]]
        commands += [["solve", str(p), "--format", fmt] for p in SHIPPED[:3] for fmt in ("text", "markdown")]
    commands += [["solve", str(tmp_path / name)] for name in sorted(bad)]
    fixtures = sorted(str(p) for p in (REPO / "tests" / "cases").glob("*/*")
                      if p.suffix in (".yaml", ".json") and p.parent.name in ("good", "bad"))
    first, second = _seeded_runs({"commands": commands, "load": fixtures})
    assert first == second
    assert all(code in (0, 2) for _, code, _, _ in first)
    assert [code for _, code, _, _ in first[len(commands) - len(bad):len(commands)]] == [2] * len(bad)
    assert any("!!set" in message for *_, message in first[len(commands):])
