"""《常州市禁毒工作责任制》 第七条至第十九条: each duty met and not met, on both sides of its count.

Cases are small dicts solved through the ``solve_case`` fixture (written to tmp_path, loaded as a
user's file).  A duty is reported for a subject-year whose activity the case reports; within
such a year an absent indicator counts as 0 / false.
"""

from __future__ import annotations

import pytest
from builders import official

REGIONS = [
    {"id": "C", "name": "测试市", "kind": "city"},
    {"id": "A", "name": "甲区", "kind": "county", "parent": "C"},
    {"id": "T", "name": "乙镇", "kind": "township", "parent": "A"},
]


def case(facts, officials=(), **extra):
    doc = {"format": "pydesig-case/1", "ruleset": "changzhou", "title": "t", "regions": REGIONS,
           "officials": list(officials), "facts": list(facts)}
    doc.update(extra)
    return doc




def duties(result) -> dict:
    """(subject id, duty, year) -> met (True / False / None when not assessed)."""
    return {(next(iter(d["subject"].values())), d["duty"], d["year"]): d.get("met") for d in result.duties}


def basis(result, subject, duty, year) -> list[str]:
    for d in result.duties:
        if next(iter(d["subject"].values())) == subject and d["duty"] == duty and d["year"] == year:
            return [c["label"] for c in d["basis"]]
    raise AssertionError(f"no duty {duty} of {subject} in {year}")


# ------------------------------------------------------------------ 第七条第一款

@pytest.mark.parametrize("count, met", [(0, False), (1, True), (2, True)])
def test_art7_1_county_hears_reports_at_least_once_a_year(solve_case, count, met):
    r = solve_case(case([{"region": "A", "year": 2020, "reports_heard": count}]))
    assert duties(r)[("A", "hear_reports_yearly", 2020)] is met
    assert basis(r, "A", "hear_reports_yearly", 2020) == ["第七条第一款"]


def test_art7_1_county_absent_count_is_zero_in_an_assessed_year(solve_case):
    # unreported_duties=not_met: the contract's "absent means 0 / false" (issue 10, item 12); the default leaves
    # an unreported duty "not reported" (第十九条 「对禁毒工作完成情况进行综合考核评估」 assesses what is reported).
    r = solve_case(case([{"region": "A", "year": 2020, "budgeted": True}],
                        interpretations={"unreported_duties": "not_met"}))
    assert duties(r)[("A", "hear_reports_yearly", 2020)] is False
    r = solve_case(case([{"region": "A", "year": 2020, "budgeted": True}]))
    assert duties(r)[("A", "hear_reports_yearly", 2020)] is None


def test_art7_1_county_may_report_by_half_year(solve_case):
    r = solve_case(case([{"region": "A", "year": 2020, "reports_heard_h2": 1}]))
    assert duties(r)[("A", "hear_reports_yearly", 2020)] is True


@pytest.mark.parametrize("h1, h2, met", [(0, 0, False), (1, 0, False), (0, 1, False), (2, 0, False),
                                         (1, 1, True), (3, 2, True)])
def test_art7_1_township_hears_reports_every_half_year(solve_case, h1, h2, met):
    r = solve_case(case([{"region": "T", "year": 2020, "reports_heard_h1": h1, "reports_heard_h2": h2}]))
    assert duties(r)[("T", "hear_reports_half_yearly", 2020)] is met
    assert ("T", "hear_reports_yearly", 2020) not in duties(r)


def test_art7_1_township_yearly_total_without_halves_is_not_enough(solve_case):
    # unreported_duties=not_met: the contract's "absent means 0 / false" (issue 10, item 12); the default leaves
    # an unreported duty "not reported" (第十九条 「对禁毒工作完成情况进行综合考核评估」 assesses what is reported).
    r = solve_case(case([{"region": "T", "year": 2020, "reports_heard": 2}],
                        interpretations={"unreported_duties": "not_met"}))
    assert duties(r)[("T", "hear_reports_half_yearly", 2020)] is False
    r = solve_case(case([{"region": "T", "year": 2020, "reports_heard": 2}]))
    assert duties(r)[("T", "hear_reports_half_yearly", 2020)] is None


def test_no_activity_reported_no_duty_assessed(solve_case):
    r = solve_case(case([{"region": "A", "year": 2019, "reports_heard": 1},
                         {"region": "A", "year": 2021, "reports_heard": 1}]))
    assert ("A", "hear_reports_yearly", 2020) not in duties(r)
    assert not any(key[0] in ("C", "T") for key in duties(r))


# ------------------------------------------------------------------ 第七条第二款

@pytest.mark.parametrize("by", ["national", "provincial"])
@pytest.mark.parametrize("role, met", [("party_secretary", True), ("government_head", True),
                                       ("deputy_in_charge", False), ("other", False), (None, False)])
def test_art7_2_county_listed_above_is_headed_by_a_principal_leader(solve_case, by, role, met):
    rec = {"region": "A", "year": 2020, "listing": "key_notification", "listed_by": by}
    if role:
        rec["commission_director_role"] = role
    # without commission_director_role the duty is "not met" under unreported_duties=not_met (the
    # contract's absent = false), "not reported" by default (issue 10, item 12)
    r = solve_case(case([rec], interpretations={"unreported_duties": "not_met"}))
    assert duties(r)[("A", "listed_area_leadership", 2020)] is met
    assert basis(r, "A", "listed_area_leadership", 2020) == ["第七条第二款"]


def test_art7_2_county_listed_by_the_city_bears_no_such_duty(solve_case):
    r = solve_case(case([{"region": "A", "year": 2020, "listing": "key_rectification",
                          "commission_director_role": "deputy_in_charge"}]))
    assert ("A", "listed_area_leadership", 2020) not in duties(r)


@pytest.mark.parametrize("role, met", [("party_secretary", True), ("deputy_in_charge", False)])
def test_art7_2_township_listed_by_the_city_leading_group_head(solve_case, role, met):
    r = solve_case(case([{"region": "T", "year": 2020, "listing": "key_notification",
                          "commission_director_role": role}]))
    assert duties(r)[("T", "listed_area_leadership", 2020)] is met


def test_art7_2_township_listed_by_the_province_bears_no_such_duty(solve_case):
    r = solve_case(case([{"region": "T", "year": 2020, "listing": "key_notification", "listed_by": "provincial"}]))
    assert ("T", "listed_area_leadership", 2020) not in duties(r)


def test_art7_2_holds_through_the_extension(solve_case):
    facts = [{"region": "A", "year": 2019, "listing": "key_rectification", "listed_by": "provincial",
              "measures_ineffective": True, "targets_completed": False},
             {"region": "A", "year": 2020, "commission_director_role": "government_head"}]
    r = solve_case(case(facts, interpretations={"unreported_duties": "not_met"}))
    assert duties(r)[("A", "listed_area_leadership", 2019)] is False
    assert duties(r)[("A", "listed_area_leadership", 2020)] is True


# ------------------------------------------------------------------ 第八条、第九条

@pytest.mark.parametrize("value, met", [(True, True), (False, False)])
def test_art8_county_bodies_and_teams(solve_case, value, met):
    r = solve_case(case([{"region": "A", "year": 2020, "drug_office_staffed": value}]))
    assert duties(r)[("A", "drug_bodies", 2020)] is met
    assert basis(r, "A", "drug_bodies", 2020) == ["第八条"]


def test_art8_binds_counties_only(solve_case):
    r = solve_case(case([{"region": "T", "year": 2020, "drug_office_staffed": True}]))
    assert ("T", "drug_bodies", 2020) not in duties(r)


@pytest.mark.parametrize("region", ["C", "A", "T"])
@pytest.mark.parametrize("value, met", [(True, True), (False, False)])
def test_art9_every_level_budgets_drug_funds(solve_case, region, value, met):
    r = solve_case(case([{"region": region, "year": 2020, "budgeted": value}]))
    assert duties(r)[(region, "budget", 2020)] is met
    assert basis(r, region, "budget", 2020) == ["第九条"]


# ------------------------------------------------------------------ 第十一条

@pytest.mark.parametrize("months, met", [(0, False), (11, False), (12, True)])
def test_art11_monthly_coordination_meeting_every_month(solve_case, months, met):
    r = solve_case(case([{"region": "T", "year": 2020, "coordination_meetings": months}]))
    assert duties(r)[("T", "monthly_coordination", 2020)] is met


@pytest.mark.parametrize("months, met", [(0, False), (1, True)])
def test_art11_mechanism_reading(solve_case, months, met):
    r = solve_case(case([{"region": "T", "year": 2020, "coordination_meetings": months}],
                        interpretations={"monthly_meetings": "mechanism"}))
    assert duties(r)[("T", "monthly_coordination", 2020)] is met


@pytest.mark.parametrize("value, met", [(True, True), (False, False)])
def test_art11_township_staff(solve_case, value, met):
    r = solve_case(case([{"region": "T", "year": 2020, "drug_staff_designated": value}]))
    assert duties(r)[("T", "township_staff", 2020)] is met
    assert basis(r, "T", "township_staff", 2020) == ["第十一条"]


# ------------------------------------------------------------------ 第十三条

def county_year(**facts):
    return {"region": "A", "year": 2020, **facts}


@pytest.mark.parametrize("months, met", [(0, False), (11, False), (12, True)])
def test_art13_1_monthly_inspection(solve_case, months, met):
    r = solve_case(case([county_year(inspection_months=months, inspection_months_reported=months)]))
    assert duties(r)[("A", "monthly_inspection", 2020)] is met
    assert basis(r, "A", "monthly_inspection", 2020) == ["第十三条第（一）项"]


@pytest.mark.parametrize("days, met", [(0, True), (7, True), (8, False)])
def test_art13_1_results_circulated_within_a_week(solve_case, days, met):
    r = solve_case(case([county_year(inspection_months=12, inspection_circulation_days=days)]))
    assert duties(r)[("A", "inspection_circulation", 2020)] is met


def test_art13_1_nothing_circulated_without_inspections(solve_case):
    # unreported_duties=not_met: the contract's "absent means 0 / false" (issue 10, item 12); the default leaves
    # an unreported duty "not reported" (第十九条 「对禁毒工作完成情况进行综合考核评估」 assesses what is reported).
    r = solve_case(case([county_year(commission_meetings=1)], interpretations={"unreported_duties": "not_met"}))
    assert duties(r)[("A", "inspection_circulation", 2020)] is False
    assert duties(r)[("A", "inspection_reporting", 2020)] is False


@pytest.mark.parametrize("reported, met", [(11, False), (12, True)])
def test_art13_1_results_reported_to_the_city(solve_case, reported, met):
    r = solve_case(case([county_year(inspection_months=12, inspection_months_reported=reported)]))
    assert duties(r)[("A", "inspection_reporting", 2020)] is met


@pytest.mark.parametrize("meetings, met", [(0, False), (1, True)])
def test_art13_2_one_commission_meeting_a_year(solve_case, meetings, met):
    r = solve_case(case([county_year(commission_meetings=meetings)]))
    assert duties(r)[("A", "commission_meeting", 2020)] is met
    assert basis(r, "A", "commission_meeting", 2020) == ["第十三条第（二）项"]


@pytest.mark.parametrize("value, met", [(True, True), (False, False)])
def test_art13_3_rate_targets(solve_case, value, met):
    r = solve_case(case([county_year(rate_targets_set=value)]))
    assert duties(r)[("A", "rate_targets", 2020)] is met


def test_art13_binds_counties_not_the_city(solve_case):
    r = solve_case(case([{"region": "C", "year": 2020, "commission_meetings": 3}]))
    assert ("C", "commission_meeting", 2020) not in duties(r)


# ------------------------------------------------------------------ 第十四条 (member units)

UNIT = official("u", "A", "commission_member", 2018)


def unit_year(**facts):
    return {"official": "u", "year": 2020, **facts}


@pytest.mark.parametrize("value, met", [(True, True), (False, False)])
def test_art14_1_unit_plan(solve_case, value, met):
    r = solve_case(case([unit_year(unit_plan=value)], [UNIT]))
    assert duties(r)[("u", "unit_plan", 2020)] is met
    assert basis(r, "u", "unit_plan", 2020) == ["第十四条第（一）项"]


@pytest.mark.parametrize("staff, funds, met", [(True, True, True), (True, False, False), (False, True, False)])
def test_art14_3_unit_staff_and_funds(solve_case, staff, funds, met):
    r = solve_case(case([unit_year(unit_staff_designated=staff, unit_funds_allocated=funds)], [UNIT]))
    assert duties(r)[("u", "unit_staffing", 2020)] is met


@pytest.mark.parametrize("date, met", [(1130, True), (1219, True), (1220, True), (1221, False), (1231, False)])
def test_art14_4_written_report_by_20_december(solve_case, date, met):
    r = solve_case(case([unit_year(written_report_date=date)], [UNIT]))
    assert duties(r)[("u", "work_report", 2020)] is met
    assert basis(r, "u", "work_report", 2020) == ["第十四条第（四）项"]


def test_art14_4_no_report_no_plan(solve_case):
    # unreported_duties=not_met: the contract's "absent means 0 / false" (issue 10, item 12); the default leaves
    # an unreported duty "not reported" (第十九条 「对禁毒工作完成情况进行综合考核评估」 assesses what is reported).
    r = solve_case(case([unit_year(unit_plan=True)], [UNIT], interpretations={"unreported_duties": "not_met"}))
    assert duties(r)[("u", "work_report", 2020)] is False
    assert duties(r)[("u", "annual_plan", 2020)] is False


@pytest.mark.parametrize("date, met", [(1219, True), (1220, False)])
def test_art14_4_deadline_day_exclusive(solve_case, date, met):
    r = solve_case(case([unit_year(written_report_date=date)], [UNIT],
                        interpretations={"deadline_day": "exclusive"}))
    assert duties(r)[("u", "work_report", 2020)] is met


@pytest.mark.parametrize("reading, plan, report, plan_met, report_met", [
    ("report", 1225, 1220, True, True),
    ("report", 1225, 1221, True, False),
    ("plan", 1221, 1225, False, True),
    ("plan", 1220, 1225, True, True),
    ("both", 1220, 1221, True, False),
    ("both", 1221, 1220, False, True),
])
def test_art14_4_which_the_deadline_governs(solve_case, reading, plan, report, plan_met, report_met):
    r = solve_case(case([unit_year(annual_plan_date=plan, written_report_date=report)], [UNIT],
                        interpretations={"report_deadline": reading}))
    assert duties(r)[("u", "annual_plan", 2020)] is plan_met
    assert duties(r)[("u", "work_report", 2020)] is report_met


# 第十四条 binds 「各级禁毒委员会成员单位」; a department head without member_unit: true heads one of the
# 「其他有关职能部门」 of 第十六条 (issue 10, item 1; member_unit: true is tested in test_changzhou_second_reading.py).
@pytest.mark.parametrize("role, bears", [("commission_member", True), ("department_head", False),
                                         ("party_secretary", False), ("commission_director", False)])
def test_art14_member_units_are_the_direct_responsible(solve_case, role, bears):
    r = solve_case(case([{"official": "p", "year": 2020, "unit_plan": True}], [official("p", "A", role, 2018)]))
    assert (("p", "unit_plan", 2020) in duties(r)) is bears


def test_art14_unit_not_in_post_bears_nothing(solve_case):
    r = solve_case(case([{"official": "p", "year": 2020, "unit_plan": True}],
                        [official("p", "A", "department_head", 2018, until=2019)]))
    assert ("p", "unit_plan", 2020) not in duties(r)


# ------------------------------------------------------------------ duties without a count or a date

@pytest.mark.parametrize("duty, region, label", [
    ("development_plan", "T", "第六条"),
    ("social_participation", "C", "第十条"),
    ("situation_monitoring", "C", "第十二条第（三）项"),
    ("office_training", "A", "第十五条第（七）项"),
    ("accountability_system", "A", "第十七条"),
    ("joint_supervision", "T", "第十八条"),
    ("commission_assessment", "A", "第十九条"),
    ("listing_system", "A", "第二十三条"),
])
def test_general_duty_recorded_failed_is_not_met(solve_case, duty, region, label):
    r = solve_case(case([{"region": region, "year": 2020, "duties_failed": [duty]}]))
    assert duties(r)[(region, duty, 2020)] is False
    assert basis(r, region, duty, 2020) == [label]


@pytest.mark.parametrize("duty, region", [("law_publicity", "T"), ("listing_system", "C"), ("office_analysis", "T")])
def test_general_duty_binds_its_level_only(solve_case, duty, region):
    r = solve_case(case([{"region": region, "year": 2020, "duties_failed": [duty]}]))
    assert (region, duty, 2020) not in duties(r)


@pytest.mark.parametrize("role, duty, label, bears", [
    ("commission_member", "lead_unit", "第十四条第（五）项", True),
    ("commission_member", "department_duties", "第十六条", False),
    ("department_head", "department_duties", "第十六条", True),
    # 第十四条（二） binds member units only; a department head is one only with member_unit: true (item 1)
    ("department_head", "superior_arrangements", "第十四条第（二）项", False),
])
def test_unit_general_duties(solve_case, role, duty, label, bears):
    r = solve_case(case([{"official": "p", "year": 2020, "unit_duties_failed": [duty]}],
                        [official("p", "A", role, 2018)]))
    assert (("p", duty, 2020) in duties(r)) is bears
    if bears:
        assert duties(r)[("p", duty, 2020)] is False
        assert basis(r, "p", duty, 2020) == [label]
