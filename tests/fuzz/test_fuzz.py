"""The fuzzer (issue 14): hostile case files through the loader and ``solve``.

Every case drawn must end in exit 0, or exit 2 with one line naming the file; never exit 1,
never a traceback, never two ids merged; and the same bytes whatever ``PYTHONHASHSEED`` is.

Two profiles: ``short`` (the default, part of ``make test``: a few seconds, derandomized so the
suite is reproducible) and ``long`` (``make fuzz``, or ``PYDESIG_FUZZ=long``; the number of
examples from ``PYDESIG_FUZZ_EXAMPLES``, default 3000 per test).  ``make fuzz`` prints hypothesis'
statistics: examples run, time, and how the runs ended (events ``exit 0`` / ``exit 2``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from fuzzcases import REPO, SHIPPED, mutated_cases, schema_cases, verdict, write

settings.register_profile(
    "short", max_examples=25, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
settings.register_profile(
    "long", max_examples=int(os.environ.get("PYDESIG_FUZZ_EXAMPLES", "3000")), deadline=None,
    database=DirectoryBasedExampleDatabase(str(REPO / ".hypothesis" / "fuzz")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
FUZZ = settings.get_profile(os.environ.get("PYDESIG_FUZZ", "short"))

COMMANDS = [("solve", "--format", "json"), ("solve", "--format", "text"), ("program",),
            ("solve", "--format", "markdown")]


def _run(case_name: str, files: dict, command: tuple) -> dict:
    with tempfile.TemporaryDirectory(prefix="pydesig-fuzz-") as folder:
        write(Path(folder), files)
        outcome = verdict(Path(folder), case_name, *command)
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


# --------------------------------------------------------------------------- determinism

DRIVER = """
import hashlib, json, sys
from click.testing import CliRunner
from pydesig.cli import main
out = []
for args in json.loads(sys.argv[1]):
    r = CliRunner().invoke(main, args)
    out.append([args, r.exit_code, hashlib.sha256(r.stdout_bytes).hexdigest(), r.stderr])
print(json.dumps(out))
"""


def _seeded_runs(seed: str, commands: list) -> list:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    env.pop("PYDESIG_DEBUG", None)
    done = subprocess.run([sys.executable, "-c", DRIVER, json.dumps(commands)], env=env, cwd=REPO,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_same_bytes_whatever_the_hash_seed(tmp_path):
    """Good and bad cases give the same stdout and stderr under two hash seeds: sets and dicts
    never leak their order into a result or a message."""
    bad = {
        "unhashable.yaml": "format: pydesig-case/1\nruleset: jilin-2019\nregions: ['220581']\nfacts:\n"
                           "  - {region: '220581', year: 2019, serious_problems: [[abuse], [abuse]]}\n",
        "dup.json": '{"format": "pydesig-case/1", "ruleset": "jilin-2019", "regions": ["220581"], '
                    '"facts": [{"region": "220581", "year": 2019, "serious_problems": ["abuse", "abuse", "transit"]}]}',
    }
    for name, text in bad.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    commands = [["solve", str(p), "--format", fmt] for p in SHIPPED[:3] for fmt in ("json", "text")]
    commands += [["program", str(SHIPPED[0])], ["why", str(SHIPPED[0]), "--region", "220581", "--year", "2022"]]
    commands += [["solve", str(tmp_path / name)] for name in sorted(bad)]
    first = _seeded_runs("1", commands)
    assert first == _seeded_runs("4242", commands)
    assert all(code in (0, 2) for _, code, _, _ in first)
