"""Jilin measures, 第十六条 to 第二十五条: who bears what, in which years, with which modality and
basis; responsible persons (第十七条) with tenure, officials arriving and leaving mid-rectification,
the 主要责任人 reading and the 2-year tenure of 第二十四条第二款 on both sides of the line.

Unless said otherwise the county is designated 挂牌整治 for 2020–2021 on the facts of 2019
(designation_lag=next_year).
"""

from __future__ import annotations

import builders
import pytest
import yaml

from pydesig import load_case, solve

CITY, COUNTY = "220500", "220581"
LISTED = {"poppy_plants": 12000}
WARNED = {"labs_busted_elsewhere": 1}


def official(ident, role, since, until=None, region=COUNTY):
    return builders.official(ident, region, role, since, until)


TEAM = [
    official("secretary", "party_secretary", 2015),
    official("mayor", "government_head", 2016),
    official("deputy", "deputy_in_charge", 2017),
    official("director", "commission_director", 2016),
    official("member", "commission_member", 2016),
    official("head", "department_head", 2016),
]


@pytest.fixture
def run(tmp_path):
    counter = iter(range(10**6))

    def go(facts, officials=TEAM, decisions=(), interpretations=None, regions=None):
        doc = {
            "format": "pydesig-case/1", "ruleset": "jilin-2019", "title": "measures test",
            "regions": regions or [{"id": CITY, "name": "通化市", "kind": "city"},
                                   {"id": COUNTY, "name": "梅河口市", "kind": "county", "parent": CITY}],
            "officials": list(officials), "facts": list(facts),
        }
        if decisions:
            doc["decisions"] = list(decisions)
        if interpretations:
            doc["interpretations"] = interpretations
        path = tmp_path / f"case{next(counter)}.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return solve(load_case(str(path))).to_json()

    return go


def fact(year, region=COUNTY, **indicators):
    return {"region": region, "year": year, **indicators}


def measures(doc, measure, subject=None):
    """{(subject id, year): (modality, basis labels)} for one measure id."""
    out = {}
    for m in doc["measures"]:
        if m["measure"] != measure:
            continue
        ident = next(iter(m["subject"].values()))
        if subject is not None and ident != subject:
            continue
        for y in m["years"]:
            out[(ident, y)] = (m["modality"], [c["label"] for c in m["basis"]])
    return out


def who(doc, measure, year=None):
    return sorted({ident for ident, y in measures(doc, measure) if year is None or y == year})


# ---------------------------------------------------------------------------------------------
# 第二十二条


def test_designation_brings_criticism_order_and_interview(run):
    doc = run([fact(2019, **LISTED)])
    for m in ("notified_criticism", "order_rectification"):
        assert measures(doc, m) == {(COUNTY, 2020): ("obligatory", ["第二十一条第（1）项", "第二十二条"])}
    entry = next(m for m in doc["measures"] if m["measure"] == "notified_criticism")
    assert entry["by"] == ["superior_commission", "superior_party_government"]
    # 约谈该地区禁毒工作有关责任人 (relevant_persons, default first_and_principal): 第十七条 makes commission members
    # and department heads responsible only 「本单位、本系统履行禁毒职责」, not for the area's work.
    assert who(doc, "interview") == ["deputy", "director", "mayor", "secretary"]
    doc = run([fact(2019, **LISTED)], interpretations={"relevant_persons": "all_responsible"})
    assert who(doc, "interview") == ["deputy", "director", "head", "mayor", "member", "secretary"]
    head = next(m for m in doc["measures"] if m["measure"] == "interview" and m["subject"] == {"official": "head"})
    assert head["interpretations"] == ["relevant_persons"]
    doc = run([fact(2019, **LISTED)], interpretations={"relevant_persons": "principal_only"})
    assert who(doc, "interview") == ["deputy", "director"]
    assert measures(doc, "interview", "deputy")[("deputy", 2020)] == (
        "obligatory", ["第十七条", "第二十一条第（1）项", "第二十二条"])


def test_interview_only_for_officials_in_post_in_the_designation_year(run):
    team = [official("gone", "party_secretary", 2010, until=2019), official("later", "government_head", 2021),
            official("leaving", "deputy_in_charge", 2015, until=2020)]
    doc = run([fact(2019, **LISTED)], officials=team)
    assert who(doc, "interview") == ["leaving"]


def test_organizational_handling_is_discretionary_when_work_is_ineffective(run):
    doc = run([fact(2019, **LISTED), fact(2020, work_ineffective=True)])
    handled = measures(doc, "organizational_handling")
    # 对有关责任人给予组织调整或者组织处理: the same 有关责任人 as the interview (relevant_persons)
    assert sorted(i for i, _ in handled) == ["deputy", "director", "mayor", "secretary"]
    assert handled[("deputy", 2020)] == ("discretionary", ["第十七条", "第二十一条第（4）项", "第二十二条"])
    doc = run([fact(2019, **LISTED), fact(2020, work_ineffective=True)],
              decisions=[{"official": "deputy", "year": 2020, "decision": "organizational_handling"}])
    assert measures(doc, "organizational_handling", "deputy")[("deputy", 2020)][0] == "obligatory"
    # outside rectification ineffective work is not 第二十二条's case
    doc = run([fact(2018, work_ineffective=True), fact(2019, **LISTED)])
    assert not measures(doc, "organizational_handling")


# ---------------------------------------------------------------------------------------------
# 第二十三条


def test_creation_ineligible_from_the_failed_assessment_until_completion(run):
    facts = [fact(2019, **LISTED), fact(2021, tasks_completed=False)]
    extend = [{"region": COUNTY, "year": 2022, "decision": "extend"}]
    assert measures(run(facts, decisions=extend), "creation_ineligible") == {
        (COUNTY, 2021): ("obligatory", ["第二十三条第一款"]),
        (COUNTY, 2022): ("obligatory", ["第十一条第一款", "第二十三条第一款"]),
    }
    # the extension's assessment finds the tasks completed: eligible again that year
    doc = run([*facts, fact(2022, tasks_completed=True)], decisions=extend)
    assert sorted(measures(doc, "creation_ineligible")) == [(COUNTY, 2021)]
    doc = run([fact(2019, **LISTED), fact(2021, tasks_completed=True)])
    assert not measures(doc, "creation_ineligible")


def city_with(n_areas, **extra):
    counties = [{"id": f"22058{i}", "name": f"县{i}", "kind": "county", "parent": CITY} for i in range(1, n_areas + 1)]
    regions = [{"id": CITY, "name": "通化市", "kind": "city"}, *counties]
    facts = [fact(2019, region=c["id"], **WARNED) for c in counties]
    return regions, facts


@pytest.mark.parametrize("n, ineligible", [(2, False), (3, True)])
def test_city_with_three_provincial_areas_loses_eligibility(run, n, ineligible):
    regions, facts = city_with(n)
    doc = run(facts, officials=[], regions=regions)
    got = measures(doc, "creation_ineligible", CITY)
    assert (got == {(CITY, 2020): ("obligatory", ["第二十三条第二款"])}) is ineligible
    assert bool(got) is ineligible


def test_city_with_a_national_listed_area_loses_eligibility(run):
    regions, _ = city_with(1)
    doc = run([fact(2021, region="220581", national_status="listed_rectification")], officials=[], regions=regions)
    assert measures(doc, "creation_ineligible", CITY) == {(CITY, 2021): ("obligatory", ["第二十三条第二款"])}


# ---------------------------------------------------------------------------------------------
# 第二十四条第一款 and the 主要责任人 reading


def test_no_awards_and_no_promotion_for_first_and_principal_persons_each_year(run):
    doc = run([fact(2019, **LISTED)])
    for m, item in (("no_awards", "第二十一条第（2）项"), ("no_promotion", "第二十一条第（3）项")):
        got = measures(doc, m)
        assert sorted({i for i, _ in got}) == ["deputy", "director", "mayor", "secretary"]
        assert sorted({y for _, y in got}) == [2020, 2021]
        assert got[("secretary", 2021)] == ("obligatory", ["第十七条", item, "第二十四条第一款"])
    principal = next(m for m in doc["measures"] if m["measure"] == "no_awards" and m["subject"] == {"official": "deputy"})
    assert principal["interpretations"] == ["principal_responsible"]
    first = next(m for m in doc["measures"] if m["measure"] == "no_awards" and m["subject"] == {"official": "secretary"})
    assert "interpretations" not in first
    assert "principal_responsible_undefined" in {n["id"] for n in doc["notices"]}


@pytest.mark.parametrize("reading, expected", [
    ("direct_responsible", ["deputy", "director", "mayor", "secretary"]),
    ("first_only", ["mayor", "secretary"]),
    ("commission_director", ["director", "mayor", "secretary"]),
    ("all_direct", ["deputy", "director", "head", "mayor", "member", "secretary"]),
])
def test_principal_responsible_readings(run, reading, expected):
    doc = run([fact(2019, **LISTED)], interpretations={"principal_responsible": reading})
    assert who(doc, "no_promotion") == expected


def test_officials_arriving_and_leaving_mid_rectification(run):
    team = [official("old", "party_secretary", 2012, until=2020), official("new", "party_secretary", 2021)]
    doc = run([fact(2019, **LISTED)], officials=team)
    assert sorted(measures(doc, "no_promotion")) == [("new", 2021), ("old", 2020)]
    assert who(doc, "interview") == ["old"]


def test_restrictions_while_an_extension_is_open_cite_its_article(run):
    doc = run([fact(2019, **LISTED), fact(2021, tasks_completed=False)])
    assert measures(doc, "no_promotion", "secretary")[("secretary", 2022)] == (
        "discretionary", ["第十一条第一款", "第十七条", "第二十一条第（3）项", "第二十四条第一款"])
    doc = run([fact(2019, **LISTED), fact(2021, tasks_completed=False)],
              decisions=[{"region": COUNTY, "year": 2022, "decision": "extend"}])
    assert measures(doc, "no_promotion", "secretary")[("secretary", 2022)][0] == "obligatory"


# ---------------------------------------------------------------------------------------------
# 第二十四条第二款: tenure on both sides of 2 years


def neglectful(since, year=2019):
    return [official("p", "party_secretary", since)], [fact(2019, **LISTED), {"official": "p", "year": year, "neglect": True}]


@pytest.mark.parametrize("since, reading, disciplined", [
    (2017, "whole_years", True), (2018, "whole_years", False),
    (2018, "calendar_years", True), (2019, "calendar_years", False),
])
def test_discipline_for_two_years_in_post_before_the_listing(run, since, reading, disciplined):
    team, facts = neglectful(since)
    doc = run(facts, officials=team, interpretations={"tenure_count": reading})
    got = measures(doc, "discipline")
    assert bool(got) is disciplined
    if disciplined:
        assert got == {("p", 2020): ("obligatory", ["第十七条", "第二十一条第（5）项", "第二十四条第二款"])}
        assert next(m for m in doc["measures"] if m["measure"] == "discipline")["interpretations"] == ["tenure_count"]


def test_no_discipline_without_neglect_or_for_neglect_out_of_post(run):
    team = [official("p", "party_secretary", 2010)]
    assert not measures(run([fact(2019, **LISTED)], officials=team), "discipline")
    team = [official("p", "party_secretary", 2010), official("q", "government_head", 2019)]
    facts = [fact(2019, **LISTED), {"official": "q", "year": 2018, "neglect": True}]
    assert not measures(run(facts, officials=team), "discipline")


def test_no_24_2_discipline_when_designated_again_straight_after_a_term(run):
    team, facts = neglectful(2010, year=2021)
    facts += [fact(2021, tasks_completed=True, **LISTED)]
    doc = run(facts, officials=team, decisions=[{"region": COUNTY, "year": 2022, "decision": "expire"}],
              interpretations={"term_end_outcome": "expire"})
    assert not [k for k in measures(doc, "discipline") if k[1] == 2022]


def test_principal_person_with_tenure_is_disciplined_under_the_default_reading(run):
    team = [official("d", "deputy_in_charge", 2015)]
    facts = [fact(2019, **LISTED), {"official": "d", "year": 2019, "neglect": True}]
    assert measures(run(facts, officials=team), "discipline")
    assert not measures(run(facts, officials=team, interpretations={"principal_responsible": "first_only"}), "discipline")


# ---------------------------------------------------------------------------------------------
# 第二十五条


def test_discipline_may_follow_an_extension_for_those_in_post_in_the_failed_year(run):
    team = [official("stays", "party_secretary", 2015), official("left", "government_head", 2015, until=2021),
            official("arrives", "government_head", 2022), official("member", "commission_member", 2015)]
    facts = [fact(2019, **LISTED), fact(2021, tasks_completed=False)]
    doc = run(facts, officials=team, decisions=[{"region": COUNTY, "year": 2022, "decision": "extend"}])
    got = measures(doc, "discipline")
    assert sorted(got) == [("left", 2022), ("stays", 2022)]
    assert got[("stays", 2022)] == ("discretionary", ["第十一条第一款", "第十七条", "第二十一条第（5）项", "第二十五条"])
    doc = run(facts, officials=team, decisions=[{"region": COUNTY, "year": 2022, "decision": "extend"},
                                                {"official": "stays", "year": 2022, "decision": "discipline"}])
    assert measures(doc, "discipline", "stays")[("stays", 2022)][0] == "obligatory"


def test_discipline_again_when_still_failing_after_the_extension(run):
    team = [official("p", "party_secretary", 2015)]
    facts = [fact(2019, **LISTED), fact(2021, tasks_completed=False), fact(2022, tasks_completed=False)]
    doc = run(facts, officials=team, decisions=[{"region": COUNTY, "year": 2022, "decision": "extend"},
                                                {"region": COUNTY, "year": 2023, "decision": "report_national"}])
    assert sorted(measures(doc, "discipline")) == [("p", 2022), ("p", 2023)]


def test_no_25_discipline_without_extension_or_upgrade(run):
    team = [official("p", "party_secretary", 2015)]
    facts = [fact(2019, **LISTED), fact(2021, tasks_completed=False)]
    # art25_report=excluded: 第二十五条 「被延期或者升级」 read strictly, the report of 第十一条 is neither
    doc = run(facts, officials=team, decisions=[{"region": COUNTY, "year": 2022, "decision": "report_national"}],
              interpretations={"art25_report": "excluded"})
    assert not measures(doc, "discipline")
    # no failed assessment, no 第十一条 step at all
    doc = run([fact(2019, **LISTED), fact(2021, tasks_completed=True)], officials=team)
    assert not measures(doc, "discipline")


def test_25_discipline_may_follow_a_report_for_national_rectification(run):
    # Default art25_report=counts_as_upgrade: 第四条 places 国家级 above 省级, so 报国家…予以国家级重点整治 raises the
    # level of rectification (issue 10, item 8).
    team = [official("p", "party_secretary", 2015)]
    facts = [fact(2019, **LISTED), fact(2021, tasks_completed=False)]
    doc = run(facts, officials=team, decisions=[{"region": COUNTY, "year": 2022, "decision": "report_national"}])
    assert measures(doc, "discipline") == {
        ("p", 2022): ("discretionary", ["第十一条第一款", "第十七条", "第二十一条第（5）项", "第二十五条"])}
    entry = next(m for m in doc["measures"] if m["measure"] == "discipline")
    assert entry["interpretations"] == ["art25_report"]


# ---------------------------------------------------------------------------------------------
# 第十六条、第十八条、第十九条、第二十条


def test_duties_of_a_provincial_area(run):
    doc = run([fact(2019, **LISTED)], officials=[])
    expected = {"commission_director_principal": "第十六条", "quarterly_report": "第十六条",
                "strengthen_capacity": "第十八条", "funding_priority": "第十九条", "budget_inclusion": "第十九条",
                "accountability_system": "第二十条"}
    for m, label in expected.items():
        assert measures(doc, m) == {(COUNTY, 2020): ("obligatory", [label]), (COUNTY, 2021): ("obligatory", [label])}
    quarterly = next(m for m in doc["measures"] if m["measure"] == "quarterly_report")
    assert quarterly["by"] == ["area_commission"]


def test_a_listed_city_has_the_general_duties_but_not_those_of_provincial_areas(run):
    counties = [{"id": f"22058{i}", "name": f"县{i}", "kind": "county", "parent": CITY} for i in (1, 2, 3)]
    regions = [{"id": CITY, "name": "通化市", "kind": "city"}, *counties]
    doc = run([fact(2019, region=c["id"], **WARNED) for c in counties], officials=[], regions=regions)
    assert measures(doc, "budget_inclusion", CITY)
    assert measures(doc, "notified_criticism", CITY)
    assert not measures(doc, "quarterly_report", CITY)


def test_a_recorded_no_discipline_holds_where_discipline_is_not_open(run):
    team = [official("p", "party_secretary", 2015), official("d", "deputy_in_charge", 2015)]
    facts = [fact(2019, **LISTED), fact(2021, tasks_completed=False)]
    decisions = [{"region": COUNTY, "year": 2022, "decision": "extend"},
                 {"official": "d", "year": 2022, "decision": "no_discipline"}]
    doc = run(facts, officials=team, decisions=decisions, interpretations={"principal_responsible": "first_only"})
    assert sorted(measures(doc, "discipline")) == [("p", 2022)]
    doc = run(facts, officials=team, decisions=decisions)
    assert sorted(measures(doc, "discipline")) == [("p", 2022)]
