"""Properties of the Jilin rules over generated cases (hypothesis):

- more poppies (or plots) never lower the tier a year's facts give;
- adding a neglect finding never removes a measure, and never makes an obligatory one discretionary;
- every measure cites provisions that exist in kb/, and at least one of them has the measure's
  modality: an obligatory measure cites an obligatory provision; a discretionary one cites a
  discretionary provision or one whose note explains its mixed modality (第二十二条's 可以 sentence,
  第十一条's 视情 alternative).  A measure that is discretionary only because the state it hangs on
  rests on an open decision cites that decision's provision too (第十条 or 第十一条第一款).

Cases are built as pydesig.model objects (no files), so that each example costs one solve.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pydesig.engine import solve
from pydesig.kb import knowledge_base
from pydesig.model import Case, Fact, Official, Region
from pydesig.solver import consequences

KB = knowledge_base()
CITY, COUNTY = "220500", "220581"
YEARS = (2018, 2019, 2020, 2021)
ROLES = ("party_secretary", "government_head", "deputy_in_charge", "commission_director", "commission_member",
         "department_head")
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REGIONS = {CITY: Region(CITY, "通化市", "city"), COUNTY: Region(COUNTY, "梅河口市", "county", CITY)}


def make_case(facts, officials=(), interpretations=None) -> Case:
    return Case(path="generated.yaml", ruleset="jilin-2019", title="generated", regions=dict(REGIONS),
                officials={o.id: o for o in officials}, facts=list(facts), interpretations=dict(interpretations or {}))


def tiers(case) -> dict[int, int]:
    """Year → rank of the tier the county's facts give (0: none)."""
    ranks = {"listed_rectification": 3, "notified_warning": 2, "key_attention": 1}
    c = consequences(case)
    return {a.arguments[1].number: ranks[a.arguments[2].name] for a in c.atoms("finding", 3)
            if a.arguments[0].string == COUNTY}


counts = st.lists(st.tuples(st.integers(0, 15000), st.integers(0, 700)), min_size=3, max_size=3)
increments = st.lists(st.tuples(st.integers(0, 8000), st.integers(0, 400)), min_size=3, max_size=3)


@SETTINGS
@given(base=counts, more=increments, band=st.sampled_from(["exclusive", "inclusive"]))
def test_more_poppies_never_lower_the_tier(base, more, band):
    def case(values):
        facts = []
        for year, (plants, plots) in zip(YEARS, values):
            facts.append(Fact("region", COUNTY, year, "poppy_plants", plants))
            facts.append(Fact("region", COUNTY, year, "planting_plots", plots))
        return make_case(facts, interpretations={"band_upper_bound": band})

    bigger = [(p + dp, q + dq) for (p, q), (dp, dq) in zip(base, more)]
    low, high = tiers(case(base)), tiers(case(bigger))
    for year in YEARS:
        assert high.get(year, 0) >= low.get(year, 0)


# ---------------------------------------------------------------------------------------------
# Generated lifecycles: a county's yearly criteria and assessments, a team with tenures.

criteria = st.sampled_from([{}, {"poppy_plants": 12000}, {"labs_busted_elsewhere": 1}, {"provincial_criticisms": 2}])
assessment = st.fixed_dictionaries({}, optional={
    "tasks_completed": st.booleans(), "worsened": st.booleans(), "work_ineffective": st.just(True),
    "delisting_conditions_met": st.just(("leadership", "safeguards", "groundwork", "enforcement", "education",
                                         "alleviation")),
})
official_st = st.tuples(st.sampled_from(ROLES), st.integers(2014, 2021), st.one_of(st.none(), st.integers(0, 4)))
readings = st.fixed_dictionaries({
    "designation_lag": st.sampled_from(["next_year", "same_year"]),
    "principal_responsible": st.sampled_from(["direct_responsible", "first_only", "commission_director", "all_direct"]),
    "finding_during_rectification": st.sampled_from(["upgrade_on_higher_finding", "assessment_only"]),
    "tenure_count": st.sampled_from(["whole_years", "calendar_years"]),
    "cancellation_timing": st.sampled_from(["term_end", "any_year"]),
    "national_report": st.sampled_from(["alternative", "additional"]),
})


@st.composite
def lifecycles(draw):
    facts = []
    for year in YEARS:
        for name, value in {**draw(criteria), **draw(assessment)}.items():
            facts.append(Fact("region", COUNTY, year, name, value))
    team = []
    for i, (role, since, stay) in enumerate(draw(st.lists(official_st, min_size=1, max_size=4))):
        team.append(Official(f"o{i}", f"官员{i}", COUNTY, role, since, None if stay is None else since + stay))
    neglect = draw(st.lists(st.tuples(st.integers(0, len(team) - 1), st.sampled_from(YEARS)), max_size=2))
    for i, year in neglect:
        facts.append(Fact("official", f"o{i}", year, "neglect", True))
    extra = (draw(st.integers(0, len(team) - 1)), draw(st.sampled_from(YEARS)))
    return facts, team, draw(readings), extra


def measure_keys(doc) -> dict[tuple, str]:
    """(subject, measure, year) → modality."""
    return {(tuple(m["subject"].items()), m["measure"], y): m["modality"] for m in doc["measures"] for y in m["years"]}


@SETTINGS
@given(lifecycles())
def test_a_neglect_finding_never_removes_a_measure(generated):
    facts, team, interp, (who, year) = generated
    before = measure_keys(solve(make_case(facts, team, interp)).to_json())
    added = [*facts, Fact("official", f"o{who}", year, "neglect", True)]
    after = measure_keys(solve(make_case(added, team, interp)).to_json())
    for key, modality in before.items():
        assert key in after
        if modality == "obligatory":
            assert after[key] == "obligatory"


def has_note(p) -> bool:
    return bool(p.note)


def provision_of(citation) -> str:
    return KB.cited_id(citation)


@SETTINGS
@given(lifecycles())
def test_every_measure_cites_an_existing_provision_of_its_modality(generated):
    facts, team, interp, _ = generated
    doc = solve(make_case(facts, team, interp)).to_json()
    for m in doc["measures"]:
        provisions = [KB.get(provision_of(c)) for c in m["basis"]]  # raises if a citation names no unit
        assert provisions, m
        for c, p in zip(m["basis"], provisions):
            assert (c["label"], c["text"]) == (p.label, p.zh)
        if m["modality"] == "obligatory":
            assert any(p.modality == "obligatory" for p in provisions), m
        else:
            assert any(p.modality == "discretionary" or has_note(p) for p in provisions), m
    for s in doc["status"]:
        assert all(provision_of(c) in KB for c in s["basis"])


@SETTINGS
@given(lifecycles())
def test_one_state_per_region_and_year_in_every_lawful_outcome(generated):
    from pydesig.solver import outcomes

    facts, team, interp, _ = generated
    for model in outcomes(make_case(facts, team, interp), limit=40):
        seen = [(a.arguments[0].string, a.arguments[1].number) for a in model if a.name == "status"]
        assert len(seen) == len(set(seen))
        lifecycle = [a for a in model if a.name == "decided" and a.arguments[0].name == "region"]
        points = [(a.arguments[0].arguments[0].string, a.arguments[1].number) for a in lifecycle]
        assert len(points) == len(set(points)) or interp["national_report"] == "additional" \
            or interp["cancellation_timing"] == "any_year"
