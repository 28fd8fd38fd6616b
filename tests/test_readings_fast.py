"""The readings answers computed with less work equal those of the previous implementation.

tests/readings_oracle.py is ``pydesig/readings.py`` as of 16b4fa4, verbatim.  The document
(:func:`pydesig.readings.readings`) must stay byte for byte what it gave; the line in ``why``
(:func:`pydesig.readings.reading_remark`, which now asks only about the explained conclusions:
one grounding, their dependencies walked back from them, one table each) must say what the
document says about those conclusions.
"""

from __future__ import annotations

import json

import pytest
from clingo import Function, parse_term
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readings_oracle as oracle
from pydesig.bridge import atom_args
from pydesig.case import load_case
from pydesig.readings import asked_readings, conclusion_readings, reading_remark, readings
from test_readings import COUNTY, OTHER, ORACLE_CASES, make_case

FACTS = st.lists(st.tuples(st.sampled_from([COUNTY, OTHER]), st.sampled_from([2019, 2020]),
                           st.sampled_from(["poppy_plants", "labs_busted_elsewhere", "provincial_criticisms",
                                            "serious_problems"]),
                           st.sampled_from([0, 1, 3, 5000, 10000, "cultivation"])),
                 unique_by=lambda t: t[:3], min_size=1, max_size=3).map(
    lambda facts: [f for f in facts if (f[2] == "serious_problems") == isinstance(f[3], str)] or
    [(COUNTY, 2019, "poppy_plants", 10000)])


def _same_answers(case) -> None:
    """Every conclusion's verdict from the explained-atoms path equals the document's (``certain``
    aside: the remark does not say it), and it finds no conclusion the document leaves out."""
    _, full = conclusion_readings(case)
    _, asked = asked_readings(case, set(full) | {Function("finding", [Function("nowhere")])})
    assert set(asked) == set(full)
    for sym, verdict in full.items():
        assert (asked[sym].always, asked[sym].under) == (verdict.always, verdict.under), sym


def _remark_from_document(doc, atoms) -> tuple[str, list]:
    """What the document says of ``atoms`` (finding/status atoms), as the remark puts it."""
    keys = set()
    for a in atoms:
        name, args = a.name, atom_args(a)
        keys.add((name, *args))
    found = {(e["kind"], e["region"], e["year"], e["level"]): e for e in doc["conclusions"]
             if e["kind"] in ("finding", "status")}
    entries = [found.get(k) for k in keys]
    hinging = sorted({tuple(sorted(p.items())) for e in entries if e and e["holds"] == "some" for p in e["under"]})
    always = not hinging and all(e is not None and e["holds"] == "always" for e in entries)
    return ("always" if always else "some"), [dict(p) for p in hinging]


@pytest.mark.parametrize("facts", ORACLE_CASES)
def test_the_document_is_the_previous_implementations(facts):
    case = make_case(facts)
    assert json.dumps(readings(case, workers=1)) == json.dumps(oracle.readings(case, workers=1))


@pytest.mark.parametrize("facts", ORACLE_CASES)
def test_the_asked_conclusions_get_the_documents_verdicts(facts):
    _same_answers(make_case(facts))


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FACTS)
def test_the_asked_conclusions_get_the_documents_verdicts_on_any_facts(facts):
    _same_answers(make_case(facts))


def test_the_remark_says_what_the_document_says():
    case = make_case([(COUNTY, 2019, "labs_busted_elsewhere", 3), (COUNTY, 2019, "serious_problems", "manufacturing"),
                      (OTHER, 2019, "poppy_plants", 10000)])
    doc = oracle.readings(case, workers=1)
    for region in (COUNTY, OTHER):
        atoms = [parse_term(f'{e["kind"]}("{region}",2019,{e["level"]})') for e in doc["conclusions"]
                 if e["kind"] in ("finding", "status") and e["region"] == region and e["year"] == 2019]
        remark = reading_remark(case, atoms, "en")
        assert (remark["holds"], remark["under"]) == _remark_from_document(doc, atoms)
        assert remark == oracle.reading_remark(case, atoms, "en")


def test_with_a_stated_decision_the_remark_still_says_what_the_document_says():
    """retain in 2021 is lawful only under term_end_outcome=lower_or_retain (under expire the term
    simply ends): some combinations have no lawful outcome, and the remark reads them as the
    document does."""
    case = make_case([(COUNTY, 2019, "provincial_criticisms", 2), (COUNTY, 2020, "tasks_completed", True)])
    case.decisions.append({"region": COUNTY, "year": 2021, "decision": "retain"})
    doc = oracle.readings(case, workers=1)
    assert "term_end_outcome" in doc["interpretations"]
    atoms = [parse_term(f'status("{COUNTY}",2021,key_attention)')]
    remark = reading_remark(case, atoms, "en")
    assert (remark["holds"], remark["under"]) == _remark_from_document(doc, atoms)


@pytest.mark.slow
def test_tonghua_remarks_say_what_the_document_says():
    from pydesig.parts import part_of

    case = load_case("kb/cases/tonghua.yaml")
    doc = oracle.readings(case, workers=1)
    assert json.dumps(readings(case, workers=1)) == json.dumps(doc)
    for region in ("220581", "220582"):
        part = part_of(case, region=region)
        for year in (2019, 2021):
            atoms = [parse_term(f'{e["kind"]}("{region}",{year},{e["level"]})') for e in doc["conclusions"]
                     if e["kind"] in ("finding", "status") and e["region"] == region and e["year"] == year]
            remark = reading_remark(part, atoms, "en")
            assert (remark["holds"], remark["under"]) == _remark_from_document(doc, atoms)


@pytest.mark.slow
def test_tonghua_verdicts_hold_on_sampled_combinations_that_have_a_lawful_outcome():
    """Tonghua's decisions are lawful under few combinations of readings.  On every sampled
    combination that has a lawful outcome, a conclusion is among the brave consequences exactly
    when the document says it holds there (``always``, or a set of ``under`` is part of it);
    combinations without one are left out.  Half the samples extend some set of ``under``."""
    import random

    import clingo

    from pydesig.bridge import case_symbols
    from pydesig.program import encoding_files
    from test_readings import _atom_key, _key

    case = load_case("kb/cases/tonghua.yaml")
    doc = readings(case, workers=1)
    varied = {n: tuple(o) for n, o in doc["interpretations"].items()}
    ctl = clingo.Control(["--warn=none"])
    for path in encoding_files(case.ruleset):
        ctl.load(str(path))
    atoms = {(n, o): clingo.Function("interpretation", [clingo.Function(n), clingo.Function(o)])
             for n in varied for o in varied[n]}
    with ctl.backend() as backend:
        for sym in case_symbols(case):
            if not (sym.name == "interpretation" and str(sym.arguments[0]) in varied):
                backend.add_rule([backend.add_atom(sym)])
        for sym in atoms.values():
            backend.add_external(backend.add_atom(sym))
    ctl.ground([("base", [])])
    ctl.configuration.solve.enum_mode = "brave"
    ctl.configuration.solve.models = 0
    entries = {_key(dict(e, year=y)): e for e in doc["conclusions"] for y in e.get("years", [e.get("year")])}
    primes = [p for e in doc["conclusions"] for p in e["under"]]
    rng = random.Random(7)
    lawful = 0
    for k in range(80):
        combination = {n: rng.choice(options) for n, options in varied.items()}
        if k % 2:
            combination.update(rng.choice(primes))
        for (n, o), sym in atoms.items():
            ctl.assign_external(sym, combination[n] == o)
        with ctl.solve(yield_=True) as handle:
            for _ in handle:
                pass
            last = handle.last()
            if last is None:
                continue
            holds = {key for key in map(_atom_key, last.symbols(shown=True)) if key is not None}
        lawful += 1
        assert holds <= set(entries)
        for key, e in entries.items():
            said = e["holds"] == "always" or any(all(combination[n] == o for n, o in p.items()) for p in e["under"])
            assert said == (key in holds), (key, combination)
    assert lawful >= 10


@pytest.mark.slow
@pytest.mark.parametrize("seed", [2019, 7])
def test_dense_synthetic_cities_give_the_previous_document(tmp_path, seed):
    """The dense profile of benchmarks/generate.py (discretion everywhere, the conclusions the
    equivalence classes and tables are for): the same document, and the asked verdicts agree."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from generate import generate

    path = tmp_path / "dense.json"
    path.write_text(json.dumps(generate(4, 1, 5, seed=seed, profile="dense"), ensure_ascii=False), encoding="utf-8")
    case = load_case(path)
    assert json.dumps(readings(case, workers=1)) == json.dumps(oracle.readings(case, workers=1))
    from pydesig.parts import split

    _same_answers(max(split(case), key=lambda p: len(p.facts)))
