"""Parts (pydesig.parts): the join analysis of the encodings, the split it allows, and the proof
that solving part by part gives the whole case's result byte for byte (hypothesis, on random
multi-city cases and on the shipped cases)."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pydesig import load_case
from pydesig.bridge import interpretation_choices
from pydesig.engine import solve, solve_json
from pydesig.model import Case, Fact, Official, Region
from pydesig.parts import ANY, analyse_files, batches, join_analysis, part_of, split
from pydesig.paths import encodings_dir
from pydesig.render import render_result
from pydesig.result import build_result
from pydesig.solver import Consequences, part_consequences

REPO = Path(__file__).resolve().parents[1]
SHIPPED = sorted((REPO / "kb" / "cases").glob("*.yaml"))


# ------------------------------------------------------------------------------------------------
# The join analysis of the shipped encodings

def test_jilin_rules_join_areas_only_within_a_city():
    analysis = join_analysis("jilin-2019")
    assert analysis.crossings == ()
    assert analysis.root_kind == "city"
    assert {"parent/2", "within/2"} <= analysis.ancestors
    # 第四条 counts a city's areas, 第二十三条第二款 too: both through within/2, guarded to a city (or, for a
    # township inside a counted county, to the county) — never above the city
    within_city = {"township", "county", "city"}
    for provision in ("jilin-2019/art_4", "jilin-2019/art_23/para_2"):
        joins = [j for j in analysis.joins if provision in j.provisions and j.reach is not None]
        assert joins and all(j.reach in within_city and "within/2" in j.predicates for j in joins), provision
        assert any(j.reach == "city" for j in joins), provision
    # 第十七条 ties officials to their own area
    assert any("official/4" in j.predicates for j in analysis.joins if "jilin-2019/art_17" in j.provisions)


def test_changzhou_parts_are_its_top_level_regions_at_most():
    analysis = join_analysis("changzhou")
    # superior_authorities/2 reaches a region's parent, whatever its kind: no level cuts a Changzhou case
    assert analysis.root_kind is None or analysis.crossings
    assert any(j.reach == ANY for j in analysis.joins)


def _toy(tmp_path, rules: str):
    base = encodings_dir() / "common" / "input.lp"
    toy = tmp_path / "toy.lp"
    toy.write_text("% provision: toy/art_1\n" + textwrap.dedent(rules), encoding="utf-8")
    return analyse_files([base, toy], tmp_path)


def test_a_count_over_the_whole_case_is_a_crossing(tmp_path):
    analysis = _toy(tmp_path, """
        finding(R, Y) :- fact(region(R), Y, poppy_plants, N), N >= 3000.
        many(Y) :- year(Y), #count { R : finding(R, Y) } >= 3.
        alarm(R, Y) :- region(R, county), year(Y), many(Y).
    """)
    # the count itself (line 4) and the rule it feeds (line 5)
    assert [c.line for c in analysis.crossings] == [4, 5]
    assert all("many/1" in c.reason for c in analysis.crossings)


def test_two_unrelated_regions_in_one_rule_are_a_crossing(tmp_path):
    analysis = _toy(tmp_path, """
        worse(R, S, Y) :- fact(region(R), Y, poppy_plants, N), fact(region(S), Y, poppy_plants, M), N > M.
    """)
    assert len(analysis.crossings) == 1 and "R" in analysis.crossings[0].reason


def test_the_kind_guard_decides_where_parts_are_cut(tmp_path):
    guarded = _toy(tmp_path, """
        within(R, P) :- parent(R, P).
        within(R, Q) :- within(R, P), parent(P, Q).
        serious(C, Y) :- region(C, city), year(Y), #count { R : within(R, C), fact(region(R), Y, poppy_plants, _) } >= 3.
    """)
    assert guarded.crossings == () and guarded.root_kind == "city"
    unguarded = _toy(tmp_path, """
        above(R, P, Y) :- parent(R, P), fact(region(R), Y, poppy_plants, _).
    """)
    assert unguarded.crossings == () and unguarded.root_kind is None
    alone = _toy(tmp_path, """
        serious(R, Y) :- fact(region(R), Y, poppy_plants, N), N >= 3000.
    """)
    assert alone.root_kind == "township"  # nothing relates two areas: every area its own part


# ------------------------------------------------------------------------------------------------
# Splitting

def national(cities: int, counties: int, facts: list[Fact] = (), officials: list[Official] = (), **kw) -> Case:
    regions = {"P0": Region("P0", "省", "province")}
    for c in range(cities):
        regions[f"C{c}"] = Region(f"C{c}", f"市{c}", "city", "P0")
        for k in range(counties):
            regions[f"C{c}X{k}"] = Region(f"C{c}X{k}", f"县{c}-{k}", "county", f"C{c}")
    return Case(path="generated.yaml", ruleset="jilin-2019", title="generated", regions=regions,
                officials={o.id: o for o in officials}, facts=list(facts), **kw)


def test_a_jilin_case_splits_into_its_cities():
    case = national(3, 2, facts=[Fact("region", "C1X0", 2019, "poppy_plants", 12000),
                                 Fact("region", "C2X1", 2021, "labs_busted_elsewhere", 1)],
                    officials=[Official("o1", "甲", "C1X0", "party_secretary", 2015)])
    parts = split(case)
    assert [sorted(p.regions) for p in parts] == [["C0", "C0X0", "C0X1"], ["C1", "C1X0", "C1X1"],
                                                  ["C2", "C2X0", "C2X1"], ["P0"]]
    assert [p.years for p in parts] == [(2019, 2021)] * 4  # the whole case's years in every part
    assert list(parts[1].officials) == ["o1"] and len(parts[1].facts) == 1
    assert part_of(case, official="o1").regions == parts[1].regions
    assert part_of(case, region="C2X1").facts == parts[2].facts


class Walked(list):
    """A list that counts how often it is walked through."""

    walks = 0

    def __iter__(self):
        Walked.walks += 1
        return super().__iter__()


def test_splitting_walks_the_facts_a_fixed_number_of_times_whatever_the_parts():
    """Cost linear in the case: the facts are dealt out to the parts in one pass (a pass per part
    costs parts × facts, 40 s at 10,000 counties)."""
    walks = []
    for cities in (2, 8):
        facts = [Fact("region", f"C{c}X0", 2019 + c % 3, "poppy_plants", 12000) for c in range(cities)]
        case = national(cities, 2, facts)
        case.facts = Walked(case.facts)
        Walked.walks = 0
        parts = split(case)
        assert sum(len(p.facts) for p in parts) == cities
        walks.append(Walked.walks)
    assert walks[0] == walks[1] <= 2


def test_batches_keep_every_part_once_and_in_order():
    case = national(5, 3)
    parts = split(case)
    for target in (4, 8, 100):
        got = batches(parts, target)
        assert [r for b in got for r in b.regions] == [r for p in parts for r in p.regions]
        assert len(got) == min(len(parts), max(1, round(sum(len(p.regions) for p in parts) / target)))


# ------------------------------------------------------------------------------------------------
# split == whole, byte for byte

def per_part(case: Case, fmt: str = "json") -> str:
    """The result built from each part solved alone (no batching), merged."""
    merged = Consequences.merge([part_consequences(p) for p in split(case)])
    return render_result(build_result(case, merged, interpretation_choices(case)), fmt)


def whole(case: Case, fmt: str = "json") -> str:
    return render_result(solve(case, whole=True), fmt)


def encoded_per_part(case: Case) -> str:
    """``solve --format json`` as the CLI writes it: each part solved and encoded alone (batches of
    one part), the entries interleaved by subject."""
    from pydesig import parts as parts_module

    kept = parts_module.BATCH_TARGET
    parts_module.BATCH_TARGET = 1
    try:
        return b"".join(solve_json(case, workers=1)).decode()
    finally:
        parts_module.BATCH_TARGET = kept


facts_st = st.fixed_dictionaries({}, optional={
    "poppy_plants": st.sampled_from([500, 3000, 12000]),
    "labs_busted_elsewhere": st.integers(1, 2),
    "provincial_criticisms": st.integers(1, 3),
    "national_status": st.sampled_from(["listed_rectification", "notified_warning"]),
    "tasks_completed": st.booleans(),
    "worsened": st.just(True),
    "work_ineffective": st.just(True),
    "delisting_conditions_met": st.just(("leadership", "safeguards", "groundwork", "enforcement", "education",
                                         "alleviation")),
})
YEARS = (2018, 2019, 2020)


@st.composite
def multi_city_cases(draw) -> Case:
    cities, counties = draw(st.integers(2, 3)), draw(st.integers(1, 3))
    facts, officials = [], []
    for c in range(cities):
        for k in range(counties):
            rid = f"C{c}X{k}"
            for year in YEARS:
                for indicator, value in draw(facts_st).items():
                    facts.append(Fact("region", rid, year, indicator, value))
            if draw(st.booleans()):
                oid = f"o{c}{k}"
                officials.append(Official(oid, oid, rid, draw(st.sampled_from(["party_secretary", "deputy_in_charge"])),
                                          draw(st.integers(2014, 2019))))
                if draw(st.booleans()):
                    facts.append(Fact("official", oid, draw(st.sampled_from(YEARS)), "neglect", True))
    interpretations = draw(st.fixed_dictionaries({}, optional={
        "city_count_basis": st.sampled_from(["same_year_findings", "under_rectification"]),
        "city_tier": st.sampled_from(["untiered", "highest_county_tier"]),
    }))
    return national(cities, counties, facts, officials, interpretations=interpretations)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=multi_city_cases())
def test_split_equals_whole_on_random_multi_city_cases(case):
    reference = whole(case)
    assert per_part(case) == reference
    assert encoded_per_part(case) == reference


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_split_equals_whole_on_the_shipped_cases(path):
    case = load_case(str(path))
    reference = whole(case)
    assert per_part(case) == reference
    assert render_result(solve(case), "json") == reference
    assert encoded_per_part(case) == reference


def test_split_equals_whole_when_a_part_is_discretionary():
    facts = [Fact("region", "C0X0", 2018, "poppy_plants", 12000), Fact("region", "C0X0", 2019, "tasks_completed", False),
             Fact("region", "C1X0", 2018, "labs_busted_elsewhere", 1), Fact("region", "C1X0", 2019, "worsened", True),
             Fact("region", "C1X0", 2020, "delisting_conditions_met", "leadership")]
    case = national(2, 1, facts)
    text = whole(case)
    assert '"discretionary"' in text or '"sometimes"' in text
    assert per_part(case) == text


def test_a_part_without_lawful_outcome_leaves_the_whole_without_one():
    from pydesig.solver import NoLawfulOutcome, consequences

    facts = [Fact("region", "C0X0", 2018, "poppy_plants", 12000), Fact("region", "C0X0", 2019, "tasks_completed", False)]
    case = national(2, 1, facts, decisions=[{"region": "C0X0", "year": 2020, "decision": "cancel"}])
    with pytest.raises(NoLawfulOutcome):
        consequences(case, whole=True)
    with pytest.raises(NoLawfulOutcome):
        Consequences.merge([part_consequences(p) for p in split(case)])
    with pytest.raises(NoLawfulOutcome):
        encoded_per_part(case)
    free = dataclasses.replace(case, decisions=[])
    assert per_part(free) == whole(free)


def test_the_part_relation_is_kept_by_the_encodings_contents(tmp_path, monkeypatch):
    from pydesig.parts import part_relation

    monkeypatch.setenv("PYDESIG_CACHE_DIR", str(tmp_path / "pydesig"))  # the folder of pydesig.cache
    part_relation.cache_clear()
    try:
        analysis = join_analysis("jilin-2019")
        assert part_relation("jilin-2019") == (analysis.splits, analysis.root_kind)
        [kept] = (tmp_path / "pydesig").glob("parts-jilin-2019-*.json")
        part_relation.cache_clear()
        assert part_relation("jilin-2019") == (True, "city")  # read back from the file
        kept.write_text("not json", encoding="utf-8")
        part_relation.cache_clear()
        assert part_relation("jilin-2019") == (True, "city")  # a damaged file: analysed again
    finally:
        part_relation.cache_clear()
