"""Explanations of further answer sets share what does not depend on the answer set (the speaker's
sentences, the provisions and readings of each rule step) with the first; they must justify
exactly as a fresh explanation does.  A measure's atoms are found by their printed beginning; the
justification must be the one of all its measure/4 atoms and forms, grouped as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explain.api import Explanation
from pydesig import load_case
from pydesig.bridge import atom_args
from pydesig.solver import consequences

CASES = Path(__file__).resolve().parent.parent / "kb" / "cases"


@pytest.fixture(scope="module", params=["tonghua.yaml", "changzhou.yaml"])
def case(request):
    return load_case(str(CASES / request.param))


def _dump(tree) -> str:
    return json.dumps(tree, ensure_ascii=False, sort_keys=True)


def test_a_further_answer_set_explains_as_a_fresh_explanation_does(case):
    first = Explanation(case, "zh")
    brave = [a.symbol for a in consequences(case, whole=True).atoms("measure", 4)]
    others = [s for s in brave if not first.holds(str(s))][:3]
    assert others, "the shipped case has discretionary measures"
    for symbol in others:
        shared = Explanation(case, "zh", assumptions=[symbol], shared=first, all_atoms=False)
        fresh = Explanation(case, "zh", assumptions=[symbol])
        assert shared.speaker is first.speaker and shared.justifier._own is first.justifier._own
        assert _dump(shared.tree(str(symbol))) == _dump(fresh.tree(str(symbol)))
        (kind, ident), measure, year, _ = atom_args(symbol)
        assert _dump(shared.measure_tree((kind, ident), measure, year)) == \
            _dump(fresh.measure_tree((kind, ident), measure, year))
        assert not shared.model.atoms and fresh.model.atoms  # only why-not needs every atom


def test_measure_trees_group_every_atom_and_form_of_the_measure(case):
    ex = Explanation(case, "zh")
    groups: dict[tuple, tuple[list, list]] = {}
    for a in ex.atoms("measure", 4):
        groups.setdefault(atom_args(a)[:3], ([], []))[0].append(a)
    for a in ex.atoms("measure_form", 4):
        args = atom_args(a)
        groups.setdefault(args[:3], ([], []))[1].append(args[3])
    assert groups
    for (subject, measure, year), (atoms, forms) in groups.items():
        if not atoms:
            continue
        expected = ex.justifier.group(ex.speaker.measure_group(subject, measure, year, sorted(forms)), atoms)
        assert _dump(ex.measure_tree(subject, measure, year)) == _dump(expected)
    with pytest.raises(KeyError):
        ex.measure_tree(("region", "no-such-region"), "discipline", 2019)
