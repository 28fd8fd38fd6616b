"""《常州市禁毒工作责任制》 第二十三条至第二十六条: a listing and everything that follows from it.

The listing is input (第二十三条 delegates its criteria); the periods the text does not give are
the interpretations rectification_period and extension_period (one year each by default).
"""

from __future__ import annotations

import builders
import pytest

from pydesig.solver import NoLawfulOutcome

REGIONS = [
    {"id": "C", "name": "测试市", "kind": "city"},
    {"id": "A", "name": "甲区", "kind": "county", "parent": "C"},
    {"id": "T", "name": "乙镇", "kind": "township", "parent": "A"},
]


def official(oid, role, since, until=None, region="A"):
    return builders.official(oid, region, role, since, until)


# Listed in 2020: sec and dep have held their posts two years or more, gov one year.
OFFICIALS = [
    official("sec", "party_secretary", 2018),
    official("gov", "government_head", 2019),
    official("dep", "deputy_in_charge", 2017),
    official("dir", "commission_director", 2020),
    official("mem", "commission_member", 2015),
]


def case(facts, officials=OFFICIALS, **extra):
    doc = {"format": "pydesig-case/1", "ruleset": "changzhou", "title": "t", "regions": REGIONS,
           "officials": list(officials), "facts": list(facts)}
    doc.update(extra)
    return doc


def listing(level="key_rectification", year=2020, region="A", **facts):
    return {"region": region, "year": year, "listing": level, **facts}


def neglect(*persons, year=2020):
    return [{"official": p, "year": year, "neglect": True} for p in persons]


def measures(result) -> dict:
    """(subject id, measure, year) -> [entries]."""
    out: dict = {}
    for m in result.measures:
        for y in m["years"]:
            out.setdefault((next(iter(m["subject"].values())), m["measure"], y), []).append(m)
    return out


def one(m, key):
    assert key in m, key
    assert len(m[key]) == 1, m[key]
    return m[key][0]


def labels(entry) -> list[str]:
    return [c["label"] for c in entry["basis"]]


def status(result) -> dict:
    return {(s["region"], s["year"]): s for s in result.status}


# ------------------------------------------------------------------ 第二十三条: the listing is input

@pytest.mark.parametrize("level", ["key_notification", "key_rectification"])
def test_art23_listing_gives_the_status_and_a_notice(solve_case, level):
    r = solve_case(case([listing(level)]))
    s = status(r)[("A", 2020)]
    assert s["level"] == level and s["event"] == "designated" and s["certain"]
    assert [c["label"] for c in s["basis"]] == ["第二十三条"]
    assert "listing_criteria_delegated" in {n["id"] for n in r.notices}


def test_no_listing_no_status_no_notice(solve_case):
    r = solve_case(case([{"region": "A", "year": 2020, "budgeted": True, "drug_office_staffed": True}]))
    assert not r.status and not r.notices


def test_listing_by_the_province_rests_on_art7_2(solve_case):
    s = status(solve_case(case([listing("key_notification", listed_by="provincial")])))[("A", 2020)]
    assert [c["label"] for c in s["basis"]] == ["第七条第二款"]


def test_key_notification_holds_in_the_listed_year_only(solve_case):
    r = solve_case(case([listing("key_notification", year=2019), {"region": "A", "year": 2021, "budgeted": True}]))
    assert set(status(r)) == {("A", 2019)}


def test_listing_lag_next_year(solve_case):
    r = solve_case(case([listing("key_notification", year=2019)], interpretations={"listing_lag": "next_year"}))
    assert set(status(r)) == {("A", 2020)}
    assert ("A", "notified_criticism", 2020) in measures(r)


def test_events_upgraded_and_continued(solve_case):
    r = solve_case(case([listing("key_notification", year=2019), listing("key_rectification", year=2020),
                         listing("key_rectification", year=2021)]))
    st = status(r)
    assert st[("A", 2019)]["event"] == "designated"
    assert st[("A", 2020)]["event"] == "upgraded"
    assert st[("A", 2021)]["event"] == "continued"


# ------------------------------------------------------------------ 第二十四条: both listings

@pytest.mark.parametrize("level", ["key_notification", "key_rectification"])
def test_art24_criticism_order_interview_and_written_copy(solve_case, level):
    m = measures(solve_case(case([listing(level)])))
    for name in ("notified_criticism", "order_rectification"):
        e = one(m, ("A", name, 2020))
        assert labels(e) == ["第二十四条"] and e["modality"] == "obligatory"
    for person in ("sec", "gov", "dep", "dir"):
        assert labels(one(m, (person, "interview", 2020))) == ["第三条", "第二十四条"]
    assert ("mem", "interview", 2020) not in m
    copy = one(m, ("A", "written_copy", 2020))
    assert copy["by"] == ["municipal_commission"]
    assert copy["to"] == ["municipal_comprehensive_governance_office", "municipal_discipline_commission",
                          "municipal_organization_department", "municipal_supervision_bureau"]


def test_art24_township_interviews_its_own_officials(solve_case):
    officials = OFFICIALS + [official("t_sec", "party_secretary", 2019, region="T")]
    m = measures(solve_case(case([listing("key_notification", region="T")], officials)))
    assert {k[0] for k in m if k[1] == "interview"} == {"t_sec"}


@pytest.mark.parametrize("scope, by, expected", [("any_listing", "provincial", True),
                                                 ("municipal_only", "provincial", False),
                                                 ("municipal_only", "municipal", True)])
def test_listing_scope(solve_case, scope, by, expected):
    r = solve_case(case([listing(listed_by=by)], interpretations={"listing_scope": scope}))
    m = measures(r)
    assert (("A", "notified_criticism", 2020) in m) is expected
    assert (("A", "creation_ineligible", 2020) in m) is expected
    assert ("A", 2020) in status(r)


# ------------------------------------------------------------------ 第二十五条: key rectification only

def test_art25_not_for_key_notification(solve_case):
    m = measures(solve_case(case([listing("key_notification")] + neglect("sec", "dep"))))
    assert not {k for k in m if k[1] in ("creation_ineligible", "no_awards", "no_promotion", "discipline")}


def test_art25_1_creation_ineligible(solve_case):
    e = one(measures(solve_case(case([listing()]))), ("A", "creation_ineligible", 2020))
    assert labels(e) == ["第二十五条第（一）项"] and e["modality"] == "obligatory"


def test_art25_2_no_awards_no_promotion_for_first_and_principal(solve_case):
    m = measures(solve_case(case([listing()])))
    for person in ("sec", "gov", "dep", "dir"):
        for name in ("no_awards", "no_promotion"):
            e = one(m, (person, name, 2020))
            assert labels(e) == ["第三条", "第二十五条第（二）项"] and e["modality"] == "obligatory"
    assert ("mem", "no_awards", 2020) not in m


def test_art25_3_discretionary_warning_for_long_serving_neglectful_leaders(solve_case):
    m = measures(solve_case(case([listing()] + neglect("sec", "gov", "dep", "dir"))))
    for person in ("sec", "dep"):  # since 2018 and 2017: two years or more before 2020
        e = one(m, (person, "discipline", 2020))
        assert e["modality"] == "discretionary"
        assert e["forms"] == ["serious_warning", "warning"]
        assert labels(e) == ["第三条", "第二十五条第（三）项"]
    for person in ("gov", "dir"):  # since 2019 and 2020
        assert (person, "discipline", 2020) not in m


@pytest.mark.parametrize("since, expected", [(2017, True), (2018, True), (2019, False), (2020, False)])
def test_art25_3_two_years_including_two(solve_case, since, expected):
    officials = [official("p", "party_secretary", since)]
    m = measures(solve_case(case([listing()] + neglect("p"), officials)))
    assert (("p", "discipline", 2020) in m) is expected


@pytest.mark.parametrize("reading, since, expected", [
    ("whole_years_certain", 2018, False), ("whole_years_certain", 2017, True),
    ("calendar_years_touched", 2019, True), ("calendar_years_touched", 2020, False),
])
def test_art25_3_tenure_readings(solve_case, reading, since, expected):
    officials = [official("p", "party_secretary", since)]
    m = measures(solve_case(case([listing()] + neglect("p"), officials,
                                 interpretations={"tenure_reading": reading})))
    assert (("p", "discipline", 2020) in m) is expected


@pytest.mark.parametrize("neglect_year, expected", [(2019, True), (2020, True), (2021, False)])
def test_art25_3_neglect_must_precede_the_listing(solve_case, neglect_year, expected):
    m = measures(solve_case(case([listing()] + neglect("sec", year=neglect_year))))
    assert (("sec", "discipline", 2020) in m) is expected


def test_art25_3_without_neglect_no_discipline(solve_case):
    assert not {k for k in measures(solve_case(case([listing()]))) if k[1] == "discipline"}


def test_art25_3_obligatory_reading(solve_case):
    m = measures(solve_case(case([listing()] + neglect("sec"),
                                 interpretations={"art25_3_discretion": "obligatory"})))
    assert one(m, ("sec", "discipline", 2020))["modality"] == "obligatory"


def test_art25_3_decisions_fix_the_choice(solve_case):
    yes = measures(solve_case(case([listing()] + neglect("sec", "dep"), decisions=[
        {"official": "sec", "year": 2020, "decision": "discipline_on_listing"},
        {"official": "dep", "year": 2020, "decision": "no_discipline_on_listing"}])))
    assert ("sec", "discipline", 2020) in yes
    assert ("dep", "discipline", 2020) not in yes


def test_art25_3_decision_for_an_ineligible_official_has_no_lawful_outcome(solve_case):
    with pytest.raises(NoLawfulOutcome):
        solve_case(case([listing()], decisions=[{"official": "gov", "year": 2020,
                                                 "decision": "discipline_on_listing"}]))


# ------------------------------------------------------------------ 第二十六条第一款: extension

def failed(year=2020, **facts):
    return {"region": "A", "year": year, "targets_completed": False, **facts}


def test_art26_1_failure_through_neglect_extends_and_may_warn(solve_case):
    r = solve_case(case([listing(), failed()] + neglect("gov")))
    st = status(r)
    assert st[("A", 2021)]["event"] == "extended"
    assert [c["label"] for c in st[("A", 2021)]["basis"]] == ["第二十六条第一款"]
    m = measures(r)
    for person in ("sec", "gov", "dep", "dir"):
        e = one(m, (person, "discipline", 2021))
        assert e["modality"] == "discretionary" and e["forms"] == ["serious_warning", "warning"]
        assert labels(e) == ["第三条", "第二十六条第一款"]
    # the bans of 第二十五条 last through the extension
    assert ("A", "creation_ineligible", 2021) in m and ("sec", "no_promotion", 2021) in m
    assert "rectification_period_unspecified" in {n["id"] for n in r.notices}


def test_art26_1_failure_through_ineffective_measures_extends(solve_case):
    r = solve_case(case([listing(), failed(measures_ineffective=True)]))
    assert status(r)[("A", 2021)]["event"] == "extended"


@pytest.mark.parametrize("facts", [
    [{"region": "A", "year": 2020, "targets_completed": True}],   # completed on schedule
    [{"region": "A", "year": 2020, "targets_completed": False}],  # failed, but not through neglect
    [{"region": "A", "year": 2020, "budgeted": True}],            # not assessed
])
def test_art26_1_no_extension(solve_case, facts):
    r = solve_case(case([listing()] + facts + neglect("mem")))
    assert set(status(r)) == {("A", 2020)}
    assert not {k for k in measures(r) if k[1] == "discipline"}


def test_art26_1_decision_refuses_the_warning(solve_case):
    m = measures(solve_case(case([listing(), failed()] + neglect("gov"), decisions=[
        {"official": "gov", "year": 2021, "decision": "no_discipline_on_extension"}])))
    assert ("gov", "discipline", 2021) not in m and ("sec", "discipline", 2021) in m


def test_rectification_period_two_years(solve_case):
    r = solve_case(case([listing(), failed(2020), failed(2021)] + neglect("sec", year=2021),
                        interpretations={"rectification_period": "two_years"}))
    st = status(r)
    assert st[("A", 2021)].get("event") is None  # still the regular period: a mid-term failure counts for nothing
    assert st[("A", 2022)]["event"] == "extended"


def test_extension_period_two_years(solve_case):
    r = solve_case(case([listing(), failed()] + neglect("sec"), interpretations={"extension_period": "two_years"}))
    assert {y for (reg, y) in status(r)} == {2020, 2021, 2022}


# ------------------------------------------------------------------ 第二十六条第二款: still failing

def test_art26_2_demotion_or_dismissal_for_the_art25_3_persons(solve_case):
    r = solve_case(case([listing(), failed(2020), failed(2021)] + neglect("sec", "gov", "dep")))
    m = measures(r)
    for person in ("sec", "dep"):
        e = one(m, (person, "discipline", 2022))
        assert e["modality"] == "obligatory" and e["forms"] == ["demotion", "dismissal"]
        assert labels(e) == ["第三条", "第二十五条第（三）项", "第二十六条第二款"]
    assert ("gov", "discipline", 2022) not in m and ("dir", "discipline", 2022) not in m
    assert ("A", 2022) not in status(r)
    assert "after_extension_unspecified" in {n["id"] for n in r.notices}


def test_art26_2_all_responsible_reading(solve_case):
    m = measures(solve_case(case([listing(), failed(2020), failed(2021)] + neglect("sec"),
                                 interpretations={"art26_2_persons": "all_responsible"})))
    assert {k[0] for k in m if k[1:] == ("discipline", 2022)} == {"sec", "gov", "dep", "dir"}


def test_art26_2_needs_an_art25_3_case(solve_case):
    # only gov (one year in post) neglected: the extension follows, 第二十六条第二款 does not
    m = measures(solve_case(case([listing(), failed(2020), failed(2021)] + neglect("gov"))))
    assert not {k for k in m if k[2] == 2022}


@pytest.mark.parametrize("completed", [True, None])
def test_art26_2_not_when_completed_or_not_assessed(solve_case, completed):
    facts = [listing(), failed(2020)] + neglect("sec")
    if completed is not None:
        facts.append({"region": "A", "year": 2021, "targets_completed": completed})
    m = measures(solve_case(case(facts)))
    assert not {k for k in m if k[2] == 2022}


# ------------------------------------------------------------------ the demo case

def test_demo_case_shows_duties_accountability_and_the_full_chain():
    from pydesig import load_case, solve
    from pydesig.paths import kb_dir

    r = solve(load_case(str(kb_dir() / "cases" / "changzhou.yaml")))
    assert {d.get("met") for d in r.duties} == {True, False}
    assert all(m["basis"] for m in r.measures) and all(d["basis"] for d in r.duties)
    assert all(s["basis"] for s in r.status)
    cited = {c["label"] for m in r.measures for c in m["basis"]}
    for label in ("第二十一条第（一）项", "第二十一条第（三）项", "第二十一条第（四）项", "第二十二条第（一）项",
                  "第二十二条第（三）项", "第二十四条", "第二十五条第（一）项", "第二十五条第（二）项",
                  "第二十五条第（三）项", "第二十六条第一款", "第二十六条第二款"):
        assert label in cited, label
    events = {(s["region"], s["year"]): s.get("event") for s in r.status}
    assert events[("320481", 2019)] == "designated" and events[("320481", 2020)] == "extended"


def test_demo_case_through_the_command_line_is_deterministic():
    import json

    from click.testing import CliRunner

    from pydesig.cli import main
    from pydesig.paths import kb_dir

    path = str(kb_dir() / "cases" / "changzhou.yaml")
    first = CliRunner().invoke(main, ["solve", path, "--format", "json"])
    second = CliRunner().invoke(main, ["solve", path, "--format", "json"])
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    doc = json.loads(first.output)
    assert doc["ruleset"] == "changzhou" and doc["duties"] and doc["notices"]


def test_choices_are_listed_as_decisions(solve_case):
    r = solve_case(case([listing(), failed()] + neglect("sec")))
    found = {(next(iter(d["subject"].values())), d["year"], d["decision"]): d for d in r.decisions}
    e = found[("sec", 2020, "discipline_on_listing")]
    assert e["taken"] == "sometimes" and [c["label"] for c in e["basis"]] == ["第二十五条第（三）项"]
    assert found[("gov", 2021, "no_discipline_on_extension")]["taken"] == "sometimes"
    assert ("gov", 2020, "discipline_on_listing") not in found


def test_measures_name_the_interpretations_they_rest_on(solve_case):
    m = measures(solve_case(case([listing(), failed()] + neglect("sec"))))
    assert set(one(m, ("sec", "discipline", 2020))["interpretations"]) >= {"tenure_reading", "art25_3_discretion"}
    assert "relevant_persons" in one(m, ("sec", "interview", 2020))["interpretations"]
    assert "extension_period" in one(m, ("A", "creation_ineligible", 2021))["interpretations"]
