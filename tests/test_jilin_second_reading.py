"""Jilin, second reading (issue 10): each fault found, on both sides of the line the text draws.

Every test names the words that decide it.  A county with 12000 poppies in a year meets 第七条第（四）项
(挂牌整治), 3500 poppies 第九条第（三）项 (重点关注), one lab busted elsewhere 第八条第（三）项 (通报警示).
"""

from __future__ import annotations

import re

from pathlib import Path

import builders
import pytest

from pydesig import load_case
from pydesig.errors import CaseError

REPO = Path(__file__).resolve().parents[1]
CITY = "220500"
LISTED = {"poppy_plants": 12000}
ATTENTION = {"poppy_plants": 3500}
WARNED = {"labs_busted_elsewhere": 1}


def county(rid, parent=CITY):
    return {"id": rid, "name": f"县{rid}", "kind": "county", "parent": parent}


def township(rid, parent):
    return {"id": rid, "name": f"镇{rid}", "kind": "township", "parent": parent}


def doc(facts, regions, officials=(), **extra):
    d = {"format": "pydesig-case/1", "ruleset": "jilin-2019", "title": "second reading",
         "regions": [{"id": CITY, "name": "通化市", "kind": "city"}, *regions],
         "officials": list(officials), "facts": list(facts)}
    d.update(extra)
    return d


def fact(region, year, **indicators):
    return {"region": region, "year": year, **indicators}


def states(result, region):
    return {(s["year"], s["level"]): s for s in result.status if s["region"] == region}


def measure_years(result, measure, subject):
    return sorted(y for m in result.measures if m["measure"] == measure and m["subject"] == subject
                  for y in m["years"])


def options(result, region, year):
    return sorted(d["decision"] for d in result.decisions if d["subject"] == {"region": region} and d["year"] == year)


# ------------------------------------------------------------------ item 2: 第四条 one unit, one area
# 「一般以县级行政区划…为评定单位，特殊情况下可以乡镇（街道）为评定单位」: a township inside a serious county is part of
# that county's area, not a second one.

def _d1_township_d2(extra_county=False):
    regions = [county("D1"), township("T1", "D1"), county("D2")]
    facts = [fact("D1", 2019, **ATTENTION), fact("T1", 2019, **ATTENTION), fact("D2", 2019, **ATTENTION)]
    if extra_county:
        regions.append(county("D3"))
        facts.append(fact("D3", 2019, **ATTENTION))
    return regions, facts


def test_a_township_inside_a_serious_county_is_not_a_second_area(solve_case):
    regions, facts = _d1_township_d2()
    r = solve_case(doc(facts, regions))
    assert not states(r, CITY)
    assert not measure_years(r, "creation_ineligible", {"region": CITY})
    # the other side: a third county makes three areas
    regions, facts = _d1_township_d2(extra_county=True)
    r = solve_case(doc(facts, regions))
    assert states(r, CITY)[(2020, "serious_area")]["event"] == "designated"
    finding = next(f for f in r.findings if f["region"] == CITY)
    assert "city_count_units" in finding["interpretations"]
    assert measure_years(r, "creation_ineligible", {"region": CITY}) == [2020]


def test_every_unit_reading_counts_the_township_beside_its_county(solve_case):
    regions, facts = _d1_township_d2()
    r = solve_case(doc(facts, regions, interpretations={"city_count_units": "every_unit"}))
    assert states(r, CITY)[(2020, "serious_area")]["event"] == "designated"


def test_a_township_whose_county_is_not_serious_counts_as_its_own_area(solve_case):
    # 特殊情况下可以乡镇（街道）为评定单位: the township is the unit where its county is not an area itself
    regions = [county("D1"), township("T1", "D1"), county("D2"), county("D3")]
    facts = [fact("T1", 2019, **ATTENTION), fact("D2", 2019, **ATTENTION), fact("D3", 2019, **ATTENTION)]
    r = solve_case(doc(facts, regions))
    assert (2020, "serious_area") in states(r, CITY)


# ------------------------------------------------------------------ item 3: one count, two bases
# 第四条 「同时有3个以上（含3个）毒品问题严重地区」 and 第二十三条第二款 「3个及以上省级毒品问题严重地区」 count the same
# areas: the city is listed exactly in the years it is disqualified, under every city_count_basis.

THREE = [county("D1"), county("D2"), county("D3")]


@pytest.mark.parametrize("basis, listed, delisted", [
    ("same_year_findings", [2020], 2021),
    ("under_rectification", [2020, 2021], 2022),
])
def test_city_listing_and_disqualification_share_one_count(solve_case, basis, listed, delisted):
    # facts of 2021 (one criticism: no finding) so that the case covers the years counted; term_end_outcome=expire
    # lets the unassessed terms end in 2022 (item 5 is tested elsewhere)
    facts = [fact(c["id"], 2019, **LISTED) for c in THREE] + [fact(c["id"], 2021, provincial_criticisms=1) for c in THREE]
    r = solve_case(doc(facts, THREE, interpretations={"city_count_basis": basis, "term_end_outcome": "expire"}))
    city = states(r, CITY)
    assert sorted(y for y, lv in city if lv == "serious_area") == listed
    assert city[(delisted, "absent")]["event"] == "delisted"
    assert measure_years(r, "creation_ineligible", {"region": CITY}) == listed
    # the counties themselves run 2020–2021 either way
    assert sorted(y for y, lv in states(r, "D1") if lv == "listed_rectification") == [2020, 2021]


def test_two_areas_give_neither_listing_nor_disqualification(solve_case):
    facts = [fact(c["id"], 2019, **LISTED) for c in THREE[:2]]
    for basis in ("same_year_findings", "under_rectification"):
        r = solve_case(doc(facts, THREE, interpretations={"city_count_basis": basis}))
        assert not states(r, CITY)
        assert not measure_years(r, "creation_ineligible", {"region": CITY})


# ------------------------------------------------------------------ item 4: city_tier=highest_county_tier
# A national status ranks as the provincial tier it gives: 重点关注 → 通报警示 (第八条（一）), 通报警示 → 挂牌整治 (第七条（一）).

def test_highest_county_tier_ranks_a_national_status_by_the_tier_it_gives(solve_case):
    facts = [fact("D1", 2019, national_status="key_attention"), fact("D2", 2019, national_status="key_attention"),
             fact("D3", 2019, **ATTENTION)]
    r = solve_case(doc(facts, THREE, interpretations={"city_tier": "highest_county_tier"}))
    city = next(f for f in r.findings if f["region"] == CITY)
    assert city["level"] == "notified_warning"
    facts[0] = fact("D1", 2019, national_status="notified_warning")
    r = solve_case(doc(facts, THREE, interpretations={"city_tier": "highest_county_tier"}))
    city = next(f for f in r.findings if f["region"] == CITY)
    assert city["level"] == "listed_rectification"


# ------------------------------------------------------------------ item 7: 第十一条 causes (art11_causes)

def _failed(**extra):
    return [fact("D1", 2019, **WARNED), fact("D1", 2020, tasks_completed=False, **extra)]


def test_art11_outcome_alone_fails_under_the_default(solve_case):
    r = solve_case(doc(_failed(), [county("D1")]))
    assert options(r, "D1", 2021) == ["extend", "report_national", "upgrade"]


@pytest.mark.parametrize("reading, causes, fails", [
    ("any_cause", [], False), ("any_cause", ["measures"], True),
    ("all_causes", ["leadership", "responsibility", "measures"], False),
    ("all_causes", ["leadership", "responsibility", "measures", "safeguards"], True),
])
def test_art11_causes_readings(solve_case, reading, causes, fails):
    extra = {"failure_causes": causes} if causes else {}
    r = solve_case(doc(_failed(**extra), [county("D1")], interpretations={"art11_causes": reading}))
    if fails:
        assert options(r, "D1", 2021) == ["extend", "report_national", "upgrade"]
    else:
        # 第十一条 does not apply; the term ends under 第十条 (no passed assessment: the tier is kept)
        assert options(r, "D1", 2021) == ["retain"]
        assert "failure_cause_not_found" in {n["id"] for n in r.notices}


# ------------------------------------------------------------------ item 8: the report for national rectification

def test_a_reported_area_is_not_designated_provincially_again_that_year(solve_case):
    facts = [fact("D1", 2019, **LISTED), fact("D1", 2021, tasks_completed=False, **LISTED)]
    decide = [{"region": "D1", "year": 2022, "decision": "report_national"}]
    r = solve_case(doc(facts, [county("D1")], decisions=decide))
    s = states(r, "D1")
    assert [lv for y, lv in s if y == 2022] == ["absent"]
    assert s[(2022, "absent")]["event"] == "reported_national"
    assert measure_years(r, "report_national", {"region": "D1"}) == [2022]
    # the other side: extended instead, the area stays at its tier
    r = solve_case(doc(facts, [county("D1")], decisions=[{"region": "D1", "year": 2022, "decision": "extend"}]))
    assert [lv for y, lv in states(r, "D1") if y == 2022] == ["listed_rectification"]


# ------------------------------------------------------------------ item 9: 第二十二条 被确定为 (art22_determination)

def test_an_article_11_upgrade_is_no_new_determination(solve_case):
    facts = [fact("D1", 2019, **WARNED), fact("D1", 2020, tasks_completed=False)]
    decide = [{"region": "D1", "year": 2021, "decision": "upgrade"}]
    r = solve_case(doc(facts, [county("D1")], decisions=decide))
    assert measure_years(r, "notified_criticism", {"region": "D1"}) == [2020]
    r = solve_case(doc(facts, [county("D1")], decisions=decide,
                       interpretations={"art22_determination": "every_new_tier"}))
    assert measure_years(r, "notified_criticism", {"region": "D1"}) == [2020, 2021]


def test_a_higher_tier_met_during_a_term_is_a_determination(solve_case):
    # 第二十二条 「被确定为」 on the criteria: 挂牌整治 met in 2020 during a 通报警示 term
    facts = [fact("D1", 2019, **WARNED), fact("D1", 2020, tasks_completed=True, **LISTED)]
    r = solve_case(doc(facts, [county("D1")]))
    assert measure_years(r, "notified_criticism", {"region": "D1"}) == [2020, 2021]
    r = solve_case(doc(facts, [county("D1")], interpretations={"art22_determination": "designation_only"}))
    assert measure_years(r, "notified_criticism", {"region": "D1"}) == [2020]


# ------------------------------------------------------------------ item 10: tenure, one default for the same words
# Jilin 「2年及以上」 and Changzhou 「两年以上(含两年)」: listing year − since ≥ 2 by default in both.

@pytest.mark.parametrize("since, disciplined", [(2018, True), (2019, False)])
def test_jilin_tenure_default_is_a_year_difference_of_two(solve_case, since, disciplined):
    team = [builders.official("p", "D1", "party_secretary", since)]
    facts = [fact("D1", 2019, **LISTED), {"official": "p", "year": 2019, "neglect": True}]
    r = solve_case(doc(facts, [county("D1")], officials=team))
    assert bool(measure_years(r, "discipline", {"official": "p"})) is disciplined


def test_both_instruments_default_to_the_same_tenure_reading():
    from pydesig.kb import knowledge_base
    kb = knowledge_base()
    jilin, changzhou = kb.interpretations["tenure_count"], kb.interpretations["tenure_reading"]
    assert (jilin.default, changzhou.default) == ("calendar_years", "year_difference")
    assert "列入年度减任职起始年度不少于2" in jilin.option_text[jilin.default]["zh"]
    assert "列入年度减任职起始年度不少于2" in changzhou.option_text[changzhou.default]["zh"]


# ------------------------------------------------------------------ item 13: 监测发现 (cultivation_detection)

def test_one_plant_in_each_of_two_years_is_detection_only_under_any_find(solve_case):
    facts = [fact("D1", 2018, poppy_plants=1), fact("D1", 2019, poppy_plants=1)]
    r = solve_case(doc(facts, [county("D1")]))
    f = next(f for f in r.findings if f["region"] == "D1" and f["year"] == 2019)
    assert f["level"] == "notified_warning" and "cultivation_detection" in f["interpretations"]
    r = solve_case(doc(facts, [county("D1")], interpretations={"cultivation_detection": "monitoring_only"}))
    assert not [f for f in r.findings if f["region"] == "D1"]
    facts = [fact("D1", 2018, cultivation_detected=True), fact("D1", 2019, cultivation_detected=True)]
    r = solve_case(doc(facts, [county("D1")], interpretations={"cultivation_detection": "monitoring_only"}))
    assert next(f for f in r.findings if f["region"] == "D1")["level"] == "notified_warning"


# ------------------------------------------------------------------ item 14: 第二十条 second sentence

def test_art20_rampant_problems_through_neglect_are_pursued(solve_case):
    team = [builders.official("p", "D1", "party_secretary", 2010), builders.official("m", "D1", "commission_member", 2010)]
    base = [fact("D1", 2019, **LISTED), {"official": "p", "year": 2019, "neglect": True},
            {"official": "m", "year": 2019, "neglect": True}]
    r = solve_case(doc([*base, fact("D1", 2019, drug_problem_rampant=True)], [county("D1")], officials=team))
    pursued = [m for m in r.measures if m["measure"] == "pursue_accountability"]
    assert [(m["subject"], m["years"]) for m in pursued] == [({"official": "p"}, [2019])]
    assert [c["label"] for c in pursued[0]["basis"]] == ["第十七条", "第二十条"]
    # the other side: no rampant problems, nothing to pursue; a commission member only under all_responsible
    r = solve_case(doc(base, [county("D1")], officials=team))
    assert not [m for m in r.measures if m["measure"] == "pursue_accountability"]
    r = solve_case(doc([*base, fact("D1", 2019, drug_problem_rampant=True)], [county("D1")], officials=team,
                       interpretations={"relevant_persons": "all_responsible"}))
    assert sorted(m["subject"]["official"] for m in r.measures if m["measure"] == "pursue_accountability") == ["m", "p"]


# ------------------------------------------------------------------ item 15: measures on persons nobody is named for

def test_interview_and_restrictions_stand_on_the_area_when_no_person_is_named(solve_case):
    r = solve_case(doc([fact("D1", 2019, **LISTED)], [county("D1")]))
    interview = next(m for m in r.measures if m["measure"] == "interview")
    assert (interview["subject"], interview["years"], interview["concerns"]) == (
        {"region": "D1"}, [2020], ["relevant_persons"])
    assert interview["modality"] == "obligatory"
    bans = [m for m in r.measures if m["measure"] == "no_promotion"]
    assert [(m["subject"], m["years"], m["concerns"]) for m in bans] == [
        ({"region": "D1"}, [2020, 2021], ["first_and_principal"])]
    # the other side: with a secretary in post the measures are on him, not on the area
    team = [builders.official("p", "D1", "party_secretary", 2010)]
    r = solve_case(doc([fact("D1", 2019, **LISTED)], [county("D1")], officials=team))
    assert all(m["subject"] == {"official": "p"} for m in r.measures if m["measure"] in ("interview", "no_promotion"))


# ------------------------------------------------------------------ why: each step cites its own provisions

def test_why_for_an_art24_2_discipline_of_a_government_head_cites_neither_art25_nor_the_principal_reading(tmp_path):
    import yaml
    from explain import why
    from explain.render import render
    team = [builders.official("g", "D1", "government_head", 2010)]
    d = doc([fact("D1", 2019, **LISTED), {"official": "g", "year": 2019, "neglect": True}], [county("D1")], officials=team)
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    text = render(why(load_case(str(path)), official="g", year=2020, measure="discipline"), "text", "zh")
    assert "第二十四条第二款" in text
    assert "第二十五条" not in text and "principal_responsible" not in text


# ------------------------------------------------------------------ item 16: one holder of a post; facts in post

def test_two_party_secretaries_in_one_year_are_refused_except_at_a_handover(tmp_path):
    import yaml
    team = [builders.official("a", "D1", "party_secretary", 2015), builders.official("b", "D1", "party_secretary", 2018)]
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(doc([fact("D1", 2019, **LISTED)], [county("D1")], officials=team), allow_unicode=True),
                    encoding="utf-8")
    with pytest.raises(CaseError, match=r"officials\[1\].*since.*already party_secretary"):
        load_case(str(path))
    team = [builders.official("a", "D1", "party_secretary", 2015, until=2018),
            builders.official("b", "D1", "party_secretary", 2018)]
    path.write_text(yaml.safe_dump(doc([fact("D1", 2019, **LISTED)], [county("D1")], officials=team), allow_unicode=True),
                    encoding="utf-8")
    load_case(str(path))  # a handover year: accepted
    # two deputies are no conflict: 分管禁毒工作的领导 of the Party committee and of the government
    team = [builders.official("a", "D1", "deputy_in_charge", 2015), builders.official("b", "D1", "deputy_in_charge", 2015)]
    path.write_text(yaml.safe_dump(doc([fact("D1", 2019, **LISTED)], [county("D1")], officials=team), allow_unicode=True),
                    encoding="utf-8")
    load_case(str(path))


def test_a_fact_that_predates_the_officials_post_is_refused(tmp_path):
    import yaml
    team = [builders.official("a", "D1", "party_secretary", 2019)]
    path = tmp_path / "c.yaml"
    for year, ok in ((2018, False), (2019, True)):
        d = doc([fact("D1", 2019, **LISTED), {"official": "a", "year": year, "neglect": True}], [county("D1")], officials=team)
        path.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
        if ok:
            load_case(str(path))
        else:
            with pytest.raises(CaseError, match=r"facts\[1\].*'year'.*predates"):
                load_case(str(path))


def test_cli_refuses_two_secretaries_with_one_line_and_notes_a_handover(tmp_path):
    import yaml
    from click.testing import CliRunner
    from pydesig.cli import main
    path = tmp_path / "c.yaml"
    team = [builders.official("a", "D1", "party_secretary", 2015), builders.official("b", "D1", "party_secretary", 2018)]
    path.write_text(yaml.safe_dump(doc([fact("D1", 2019, **LISTED)], [county("D1")], officials=team), allow_unicode=True),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "c.yaml" in result.output and "officials[1]" in result.output and "'since'" in result.output
    team[0]["until"] = 2018
    path.write_text(yaml.safe_dump(doc([fact("D1", 2019, **LISTED)], [county("D1")], officials=team), allow_unicode=True),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["solve", str(path), "--format", "json", "--workers", "1"])
    assert result.exit_code == 0
    assert "Traceback" not in result.output
    # accepted, but said: one line on stderr naming the file, the record and the field, and in the JSON
    lines = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(lines) == 1 and "c.yaml: officials[1]" in lines[0] and "field 'since'" in lines[0]
    assert "handover year 2018" in lines[0]
    import json
    assert [w["id"] for w in json.loads(result.stdout)["warnings"]] == ["handover_year"]


# ------------------------------------------------------------------ a handover year: both in post, said
# 「禁毒工作第一责任人」 in the year of a handover: the one leaving (until 2018) and the one arriving (since 2018) are both
# in post in 2018, so 第二十四条第一款's bans of 2018 reach both.  Accepted (the law allows a handover), with a warning.

def _handover(until, since):
    team = [builders.official("a", "D1", "party_secretary", 2010, until=until),
            builders.official("b", "D1", "party_secretary", since)]
    return doc([fact("D1", 2017, **LISTED)], [county("D1")], officials=team)


def test_a_handover_year_is_accepted_with_a_warning_and_both_answer_for_it(solve_case):
    r = solve_case(_handover(2018, 2018))
    assert [(w["id"], w["record"], w["field"]) for w in r.case.warnings] == [
        ("handover_year", "official 'b'", "since")]
    assert "officials[1] (line " in r.case.warnings[0]["text"]  # the command line says where it was read
    assert r.to_json()["warnings"][0]["id"] == "handover_year" and "text" not in r.to_json()["warnings"][0]
    assert measure_years(r, "no_promotion", {"official": "a"}) == [2018]
    assert measure_years(r, "no_promotion", {"official": "b"}) == [2018, 2019]
    # the other side: the successor arrives the year after, no year is shared, nothing to warn about
    r = solve_case(_handover(2018, 2019))
    assert not r.case.warnings and "warnings" not in r.to_json()
    assert measure_years(r, "no_promotion", {"official": "a"}) == [2018]
    assert measure_years(r, "no_promotion", {"official": "b"}) == [2019]


# ------------------------------------------------------------------ a fact after the official left
# An official's fact of a year after `until` concerns no year in post: no rule reads it, and the case says so.

def test_a_fact_after_the_official_left_is_warned_and_read_by_no_rule(solve_case):
    def case(until):
        team = [builders.official("a", "D1", "party_secretary", 2010, until=until)]
        return doc([fact("D1", 2019, **LISTED), {"official": "a", "year": 2019, "neglect": True}], [county("D1")],
                   officials=team)
    r = solve_case(case(2018))
    assert [(w["id"], w["record"], w["field"]) for w in r.case.warnings] == [
        ("fact_after_post", "fact of official 'a' in 2019", "year")]
    assert "facts[1] (line " in r.case.warnings[0]["text"]
    assert "left the post in 2018" in r.case.warnings[0]["message"]
    assert not measure_years(r, "discipline", {"official": "a"})
    # the other side: in post in 2019 (the year of leaving still counts), the fact is read and 第二十四条第二款 follows
    r = solve_case(case(2019))
    assert not r.case.warnings
    assert measure_years(r, "discipline", {"official": "a"}) == [2020]


def test_a_state_reached_by_different_events_cites_only_what_holds_for_each(solve_case):
    # cancelled (第十条, 第十二条: the provincial commission's step) in one lawful outcome, expired (第十条) in another:
    # the entry's basis is what holds either way, and each event lists its own.
    six = ["leadership", "safeguards", "groundwork", "enforcement", "education", "alleviation"]
    facts = [fact("D1", 2019, **WARNED), fact("D1", 2020, tasks_completed=True, delisting_conditions_met=six),
             fact("D1", 2021, provincial_criticisms=1)]
    r = solve_case(doc(facts, [county("D1")], interpretations={"term_end_outcome": "expire"}))
    s = states(r, "D1")[(2021, "absent")]
    assert s["events"] == ["cancelled", "expired"]
    assert [c["label"] for c in s["basis"]] == ["第十条"] and "by" not in s
    per = {e["event"]: ([c["label"] for c in e["basis"]], e.get("by")) for e in s["event_basis"]}
    assert per == {"cancelled": (["第十条", "第十二条"], ["provincial_commission"]), "expired": (["第十条"], None)}


# ------------------------------------------------------------------ what the JSON says, every reader sees
# A status reached by different events in different lawful outcomes lists each event's own basis (event_basis), and a
# measure on persons nobody is named for says whom it concerns (concerns): the text result, the HTML report and the
# web app's region page show both, and show nothing of the kind where the JSON has neither.

SIX = ["leadership", "safeguards", "groundwork", "enforcement", "education", "alleviation"]


def _two_ends(officials=()):
    facts = [fact("D1", 2019, **WARNED), fact("D1", 2020, tasks_completed=True, delisting_conditions_met=SIX),
             fact("D1", 2021, provincial_criticisms=1)]
    return doc(facts, [county("D1")], officials=officials, interpretations={"term_end_outcome": "expire"})


def test_text_and_report_show_each_events_basis_and_whom_a_measure_concerns(solve_case):
    from pydesig.render import render_result
    r = solve_case(_two_ends())
    text = render_result(r, "text", "en")
    assert ("each lawful outcome's event and its basis: [cancelled] Article 10, Article 12 by Provincial Narcotics "
            "Control Commission; [term expired] Article 10") in text
    assert "concerns the area's relevant responsible persons (none named in the case)" in text
    html = render_result(r, "html", "zh")
    assert "各合法结果的事件及其依据" in html and "针对 该地区禁毒工作有关责任人（案件未列明其人）" in html
    md = render_result(r, "markdown", "zh")
    assert "cancelled (第十条, 第十二条); expired (第十条)" in md and "concerns: 该地区禁毒工作有关责任人" in md
    # the other side: one event a year, and the persons named, nothing of the kind is shown
    team = [builders.official("p", "D1", "party_secretary", 2010), builders.official("g", "D1", "government_head", 2010)]
    facts = [fact("D1", 2019, **WARNED)]
    r = solve_case(doc(facts, [county("D1")], officials=team))
    assert not [s for s in r.status if "event_basis" in s] and not [m for m in r.measures if "concerns" in m]
    for fmt, lang, words in (("text", "en", ("lawful outcome's event", "concerns the area")),
                             ("html", "zh", ("各合法结果的事件及其依据", "针对 该地区"))):
        out = render_result(r, fmt, lang)
        assert not [w for w in words if w in out]


def test_the_web_region_page_shows_each_events_basis_and_whom_a_measure_concerns():
    pytest.importorskip("fastapi", reason="the web extra is not installed")
    import yaml
    from fastapi.testclient import TestClient
    from pydesig.web import Settings, create_app

    def region_page(client, document):
        opened = client.post("/cases", files={"case": ("case.yaml", yaml.safe_dump(document, allow_unicode=True),
                                                       "text/yaml")}, follow_redirects=False)
        assert opened.status_code == 303
        return client.get(opened.headers["location"] + "/region", params={"id": "D1"}).text

    with TestClient(create_app(Settings(workers=1))) as client:
        # the page draws the report's region card: each lawful outcome's event with its basis, and whom
        page = region_page(client, _two_ends())
        basis = re.search(r'<div class="meta">各合法结果的事件及其依据：(.*?)</div>', page)
        assert basis and basis.group(1).startswith("直接取消重点整治 ") and "；整治期限届满 " in basis.group(1)
        assert "针对 该地区禁毒工作有关责任人" in page
        team = [builders.official("p", "D1", "party_secretary", 2010)]
        page = region_page(client, _two_ends(officials=team))
        assert "针对 该地区禁毒工作有关责任人" not in page
        assert "各合法结果的事件及其依据：直接取消重点整治 " in page  # the same page: the events of 2021 still shown


# ------------------------------------------------------------------ second reading, wave 3
# 第七条（四）/第八条（五）: a year of detection counted for 第八条第（五）项's two years cites 第八条第（五）项 alone; for
# 第七条第（四）项's three years, 第七条第（四）项 alone.

def _why_text(tmp_path, document, region, year, lang="zh"):
    import yaml
    from explain import why
    from explain.render import render
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return render(why(load_case(str(path)), region=region, year=year), "text", lang)


def test_a_detection_step_cites_only_the_item_it_is_counted_for(tmp_path):
    two = doc([fact("D1", 2018, cultivation_detected=True), fact("D1", 2019, poppy_plants=150)], [county("D1")])
    text = _why_text(tmp_path, two, "D1", 2019)
    assert "通报警示" in text and "第八条第（五）项" in text
    assert "第七条第（四）项" not in text
    three = doc([fact("D1", 2017, cultivation_detected=True), fact("D1", 2018, cultivation_detected=True),
                 fact("D1", 2019, poppy_plants=150)], [county("D1")])
    # three years: 挂牌整治 in 2019 (第七条第（四）项), while 2019's state is the 通报警示 of 2018's two years (第八条第（五）项);
    # each detection step names the item it is counted for and cites that item only
    text = _why_text(tmp_path, three, "D1", 2019)
    steps = [block for block in text.split("\n[") if "监测发现（计入" in block.split("\n")[0]]
    assert len(steps) == 5
    for step in steps:
        item = "第七条第（四）项" if "计入第七条第（四）项" in step.split("\n")[0] else "第八条第（五）项"
        other = {"第七条第（四）项": "第八条第（五）项", "第八条第（五）项": "第七条第（四）项"}[item]
        assert item in step.split("\n", 1)[1] and other not in step
    assert sum("计入第七条第（四）项" in s for s in steps) == 3


# 第二十条第二句 and 第二条 「本细则适用于对省内毒品问题严重地区…的考核评估和责任追究」 (art20_scope).

def test_art20_reaches_only_serious_areas_unless_the_reading_says_any_area(solve_case):
    team = [builders.official("p", "D1", "party_secretary", 2010)]
    facts = [fact("D1", 2019, drug_problem_rampant=True, provincial_criticisms=1), {"official": "p", "year": 2019, "neglect": True}]
    r = solve_case(doc(facts, [county("D1")], officials=team))
    assert not measure_years(r, "pursue_accountability", {"official": "p"})
    r = solve_case(doc(facts, [county("D1")], officials=team, interpretations={"art20_scope": "any_area"}))
    pursued = [m for m in r.measures if m["measure"] == "pursue_accountability"]
    assert [(m["years"], m["interpretations"]) for m in pursued] == [([2019], ["art20_scope"])]
    # the other side: a serious area that year is pursued under the default, resting on no scope reading
    facts[0] = fact("D1", 2019, drug_problem_rampant=True, **ATTENTION)
    r = solve_case(doc(facts, [county("D1")], officials=team))
    pursued = [m for m in r.measures if m["measure"] == "pursue_accountability"]
    assert [m["years"] for m in pursued] == [[2019]] and "art20_scope" not in pursued[0].get("interpretations", [])


def test_art20_scope_is_a_named_reading_citing_article_2():
    from pydesig.kb import knowledge_base
    reading = knowledge_base().interpretations["art20_scope"]
    assert reading.default == "serious_areas" and "jilin-2019/art_2" in reading.reads
    source = (REPO / "kb/sources/jilin-2019-draft.txt").read_text(encoding="utf-8")
    assert all(words in source for words in reading.words.split(" / "))


# 第十一条第一款 English: the four shortcomings are listed as the Chinese lists them (、), neither cumulative ("and")
# nor alternative ("or"); which reading holds is art11_causes.

def test_article_11_english_lists_the_shortcomings_as_the_text_does():
    from pydesig.kb import knowledge_base
    en = knowledge_base().get("jilin-2019/art_11/para_1").en
    listed = en[en.index("leadership paying no attention"):en.index("safeguards inadequate") + len("safeguards inadequate")]
    assert listed.count(" / ") == 3
    assert " and " not in listed and " or " not in listed
    assert "shall be extended or upgraded" in en


# city_tier=highest_county_tier: a national 挂牌整治 area, to which the text gives no provincial tier, ranks with
# 挂牌整治; national 重点关注 ranks as 通报警示 (第八条（一）). The option says so in its words.

def test_highest_county_tier_ranks_a_national_listed_area_with_listed_rectification(solve_case):
    from pydesig.kb import knowledge_base
    facts = [fact("D1", 2019, national_status="listed_rectification"), fact("D2", 2019, **ATTENTION),
             fact("D3", 2019, **ATTENTION)]
    r = solve_case(doc(facts, THREE, interpretations={"city_tier": "highest_county_tier"}))
    assert next(f for f in r.findings if f["region"] == CITY)["level"] == "listed_rectification"
    facts[0] = fact("D1", 2019, national_status="key_attention")
    r = solve_case(doc(facts, THREE, interpretations={"city_tier": "highest_county_tier"}))
    assert next(f for f in r.findings if f["region"] == CITY)["level"] == "notified_warning"
    text = knowledge_base().interpretations["city_tier"].option_text["highest_county_tier"]["zh"]
    assert "国家级挂牌整治地区条文未给省级级别" in text


# kb terms: an unquoted comma inside a YAML flow mapping ends the value ({en: a, b} is {en: a, b: null}); every
# term keeps its whole name in both languages.

def test_no_kb_term_is_cut_at_a_comma():
    import glob
    from pydesig.kb import read_yaml

    def nulls(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if value is None and key not in ("changzhou", "jilin-2019"):  # the crosswalk's "no counterpart"
                    yield path + [key]
                yield from nulls(value, path + [key])
        elif isinstance(node, list):
            for i, value in enumerate(node):
                yield from nulls(value, path + [i])

    files = sorted(glob.glob(str(REPO / "kb" / "**" / "*.yaml"), recursive=True))
    found = [p for f in files for p in nulls(read_yaml(open(f, encoding="utf-8").read()), [f])]
    assert not found
    from pydesig.kb import knowledge_base
    assert knowledge_base().term("bodies", "county_authorities", "en") == (
        "the county-level Party committee, government or narcotics control commission")


# 第二十二条第二句 「可以…对有关责任人给予组织调整或者组织处理」 and 第二十五条 「视情给予禁毒工作第一责任人、主要责任人相应
# 党纪政务处分」: with nobody named, the discretionary measure stands on the area, saying whom it concerns, as the
# obligatory ones of item 15 do, and stays discretionary (no decision about unnamed persons: the lifecycle's lawful
# outcomes are not multiplied).

def _extended(officials=()):
    facts = [fact("D1", 2019, **WARNED), fact("D1", 2020, tasks_completed=False, work_ineffective=True)]
    return doc(facts, [county("D1")], officials=officials, decisions=[{"region": "D1", "year": 2021, "decision": "extend"}])


def test_discretionary_measures_on_persons_stand_on_the_area_when_nobody_is_named(solve_case):
    r = solve_case(_extended())
    on_area = {(m["measure"], tuple(m["years"]), m["modality"], tuple(m["concerns"])) for m in r.measures
               if m["subject"] == {"region": "D1"} and m["measure"] in ("organizational_handling", "discipline")}
    assert on_area == {("organizational_handling", (2020,), "discretionary", ("relevant_persons",)),
                       ("discipline", (2021,), "discretionary", ("first_and_principal",))}
    assert options(r, "D1", 2021) == ["extend", "report_national", "upgrade"]  # no decision about unnamed persons
    # the other side: the secretary named, the options are his and nothing stands on the area
    r = solve_case(_extended([builders.official("p", "D1", "party_secretary", 2010)]))
    assert not [m for m in r.measures if m["subject"] == {"region": "D1"}
                and m["measure"] in ("organizational_handling", "discipline")]
    assert measure_years(r, "discipline", {"official": "p"}) == [2021]
    assert measure_years(r, "organizational_handling", {"official": "p"}) == [2020]
