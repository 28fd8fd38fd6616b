"""The command line end to end, as a user runs it (a subprocess, a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import clingo
import jsonschema
import pytest

from pydesig import load_case
from pydesig.solver import consequences

REPO = Path(__file__).resolve().parents[1]
CASES = sorted((REPO / "kb" / "cases").glob("*.yaml"))


def run(*args, check=True):
    return subprocess.run([sys.executable, "-m", "pydesig", *map(str, args)], capture_output=True,
                          text=True, check=check)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_solve_json_follows_the_contract_and_is_deterministic(case):
    first = run("solve", case, "--format", "json").stdout
    assert run("solve", case, "--format", "json").stdout == first
    doc = json.loads(first)
    assert doc["format"] == "pydesig-result/1" and doc["ruleset"] in ("jilin-2019", "changzhou")
    for key in ("findings", "status", "measures"):
        assert isinstance(doc[key], list)
    for m in doc["measures"]:
        assert set(m) >= {"subject", "measure", "modality", "years", "basis"}
        assert m["modality"] in ("obligatory", "discretionary") and m["basis"]
        for c in m["basis"]:
            assert set(c) == {"instrument", "article", "paragraph", "item", "label", "text"}


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_other_formats_render(fmt, tmp_path):
    out = tmp_path / f"out.{fmt}"
    run("solve", CASES[0], "--format", fmt, "-o", out)
    assert out.read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_program_on_plain_clingo_gives_the_same_conclusions(case):
    text = run("program", case).stdout
    assert "_pd_" not in text  # no explanation bookkeeping in the plain program
    ctl = clingo.Control(["--warn=none", "--enum-mode=cautious", "0"])
    ctl.add("base", [], text)
    ctl.ground([("base", [])])
    last = []
    ctl.solve(on_model=lambda m: last.__setitem__(slice(None), m.symbols(shown=True)))
    ours = consequences(load_case(str(case)))
    assert sorted(map(str, last)) == sorted(str(a) for a in ours.brave if ours.certain(a))


def test_schema_is_a_valid_json_schema_describing_every_indicator():
    schema = json.loads(run("schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    text = json.dumps(schema, ensure_ascii=False)
    for indicator in ("poppy_plants", "tasks_completed", "listing", "neglect"):
        assert indicator in text
    assert "第七条第（四）项" in text


def test_demo_runs_every_shipped_case():
    out = run("demo").stdout
    for case in CASES:
        assert f"kb/cases/{case.name}" in out


def test_bad_input_exits_2_with_file_record_and_field(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: pydesig-case/1\nruleset: jilin-2019\nregions:\n  - {id: A, name: 甲, kind: county}\n"
                   "facts:\n  - {region: A, year: 2019, poppy_plants: -5}\n", encoding="utf-8")
    result = run("solve", bad, check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert "bad.yaml" in result.stderr and "facts[0]" in result.stderr and "poppy_plants" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_and_unknown_interpretation_exit_2(tmp_path):
    assert run("solve", tmp_path / "nope.yaml", check=False).returncode == 2
    result = run("solve", CASES[0], "-I", "no_such=thing", check=False)
    assert result.returncode == 2 and "no_such" in result.stderr and "Traceback" not in result.stderr


def test_hostile_ids_stay_data(tmp_path):
    case = tmp_path / "hostile.json"
    case.write_text(json.dumps({
        "format": "pydesig-case/1", "ruleset": "jilin-2019",
        "regions": [{"id": 'a"). x. %', "name": "<script>alert(1)</script>", "kind": "county"}],
        "facts": [{"region": 'a"). x. %', "year": 2019, "poppy_plants": 12000}]}), encoding="utf-8")
    doc = json.loads(run("solve", case, "--format", "json").stdout)
    assert doc["findings"][0]["region"] == 'a"). x. %'
    html = run("solve", case, "--format", "html").stdout
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
