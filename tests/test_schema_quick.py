"""The compiled quick checks (fastjsonschema) accept exactly what the published schema accepts
(jsonschema, which words the errors): the loader trusts a yes from them and asks the full
validator only after a no, so any difference would let a bad record through or refuse a good one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pydesig.indicators import indicators_for
from pydesig.schema import _one_subject, case_schema, fact_validator, quick_check, quick_fact_check, validator

RULESETS = ("jilin-2019", "changzhou")
REGIONS = ["220581", 220581, {"id": "X1", "name": "县", "kind": "county", "parent": "220500"}, {"id": ""},
           {"id": "X1", "kind": "planet"}, {"name": "no id"}, None, -1]
OFFICIALS = [{"id": "p1", "region": "220581", "role": "party_secretary", "since": 2019},
             {"id": "p1", "region": "220581", "role": "emperor", "since": 2019},
             {"id": "p1", "region": "220581", "role": "party_secretary"}, "p1"]


def _values(ind):
    good = {"int": st.integers(0, 5), "bool": st.booleans(), "enum": st.sampled_from(list(ind.values) or ["x"]),
            "list": st.lists(st.sampled_from(list(ind.values) or ["x"]), max_size=3)}[ind.type]
    return st.one_of(good, st.sampled_from([-1, "many", None, 1.5, [], True]))


@st.composite
def records(draw, ruleset):
    inds = indicators_for(ruleset)
    rec = {}
    for subject in ("region", "official"):
        if draw(st.booleans()):
            rec[subject] = draw(st.sampled_from(["220581", 220581, "", -3]))
    if draw(st.integers(0, 9)):
        rec["year"] = draw(st.sampled_from([2019, 1800, "2019"]))
    for name in draw(st.lists(st.sampled_from(sorted(inds)), max_size=4, unique=True)):
        rec[name] = draw(_values(inds[name]))
    if draw(st.integers(0, 9)) == 0:
        rec["unknown_key"] = 1
    return rec


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(RULESETS), st.data())
def test_quick_fact_check_agrees_with_the_full_validator(ruleset, data):
    rec = data.draw(records(ruleset))
    assert quick_fact_check(ruleset)(rec) == (not list(fact_validator(ruleset).iter_errors(rec))), rec


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(RULESETS), st.data())
def test_quick_case_check_agrees_with_the_full_validator(ruleset, data):
    facts = data.draw(st.lists(records(ruleset), max_size=3))
    regions = data.draw(st.lists(st.sampled_from(REGIONS), min_size=1, max_size=3))
    doc = {"format": "pydesig-case/1", "ruleset": ruleset, "regions": regions, "facts": facts}
    if data.draw(st.booleans()):
        doc["officials"] = data.draw(st.lists(st.sampled_from(OFFICIALS), max_size=2))
    assert quick_check(ruleset)(doc) == (not list(validator(ruleset).iter_errors(doc))), doc


def test_the_fact_records_subject_rules_are_rewritten():
    # the quick form is in use (a change of the published form falls back to it, unchanged)
    for ruleset in RULESETS:
        fact = case_schema(ruleset)["$defs"][f"fact-{ruleset}"]
        quick = _one_subject(fact)
        assert "anyOf" in quick and "oneOf" not in quick and "allOf" not in quick
