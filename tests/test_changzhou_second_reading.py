"""Changzhou, second reading (issue 10): each fault found, on both sides of the line the text draws."""

from __future__ import annotations

import builders
import pytest
import yaml

from pydesig import load_case

REGIONS = [
    {"id": "C", "name": "测试市", "kind": "city"},
    {"id": "A", "name": "甲区", "kind": "county", "parent": "C"},
]


def case(facts, officials=(), **extra):
    doc = {"format": "pydesig-case/1", "ruleset": "changzhou", "title": "t", "regions": REGIONS,
           "officials": list(officials), "facts": list(facts)}
    doc.update(extra)
    return doc


def duties(result, subject):
    return {(d["duty"], d["year"]): d for d in result.duties if d["subject"] == subject}


def measures_of(result, subject, measure=None):
    return sorted((m["measure"], y) for m in result.measures if m["subject"] == subject
                  and (measure is None or m["measure"] == measure) for y in m["years"])


# ------------------------------------------------------------------ item 1: 第十四条 binds member units only
# 「各级禁毒委员会成员单位…履行以下职责」; 「其他有关职能部门应依照法律、法规和文件规定履行禁毒工作职责」 (第十六条).

def _head(**extra):
    record = builders.official("edu", "A", "department_head", 2015)
    record.update(extra)
    return [record]


def test_a_department_head_is_no_member_unit_unless_the_case_says_so(solve_case):
    facts = [{"official": "edu", "year": 2020, "written_report_date": 1225}]
    r = solve_case(case(facts, _head()))
    assert not duties(r, {"official": "edu"})
    assert not measures_of(r, {"official": "edu"})
    # the other side: heading a member unit, the late report fails 第十四条（四） and brings 第二十二条（三）
    r = solve_case(case(facts, _head(member_unit=True)))
    assert duties(r, {"official": "edu"})[("work_report", 2020)]["met"] is False
    assert measures_of(r, {"official": "edu"}) == [("interview", 2020), ("notified_criticism", 2020),
                                                   ("order_rectification", 2020)]


def test_a_commission_member_sits_for_a_member_unit(solve_case):
    member = [builders.official("m", "A", "commission_member", 2015)]
    r = solve_case(case([{"official": "m", "year": 2020, "written_report_date": 1220}], member))
    assert duties(r, {"official": "m"})[("work_report", 2020)]["met"] is True


def test_department_duties_of_article_16_for_other_departments_only(solve_case):
    facts = [{"official": "edu", "year": 2020, "unit_duties_failed": ["department_duties"]}]
    assert ("department_duties", 2020) in duties(solve_case(case(facts, _head())), {"official": "edu"})
    assert ("department_duties", 2020) not in duties(solve_case(case(facts, _head(member_unit=True))),
                                                     {"official": "edu"})


def test_member_unit_is_in_the_schema():
    from pydesig.schema import case_schema
    official = case_schema("changzhou")["$defs"]["official"]["properties"]
    assert official["member_unit"]["type"] == "boolean" and "第十四条" in official["member_unit"]["description"]


# ------------------------------------------------------------------ item 12: not reported is not unmet
# 第十九条 「对禁毒工作完成情况进行综合考核评估」: only what the case reports is assessed.

def test_duties_the_case_does_not_report_are_not_unmet_and_sanction_nothing(solve_case):
    r = solve_case(case([{"region": "A", "year": 2020, "reports_heard": 1}]))
    d = duties(r, {"region": "A"})
    assert d[("hear_reports_yearly", 2020)]["met"] is True
    assert "met" not in d[("drug_bodies", 2020)] and d[("drug_bodies", 2020)]["reported"] is False
    assert "met" not in d[("budget", 2020)]
    assert not measures_of(r, {"region": "A"})
    # the reading not_met: an absent indicator is 0 / false, so 第八条 and 第九条 fail and 第二十一条 follows
    r = solve_case(case([{"region": "A", "year": 2020, "reports_heard": 1}],
                        interpretations={"unreported_duties": "not_met"}))
    assert duties(r, {"region": "A"})[("drug_bodies", 2020)]["met"] is False
    assert ("notified_criticism", 2020) in measures_of(r, {"region": "A"})


def test_a_reported_duty_that_fails_still_sanctions(solve_case):
    r = solve_case(case([{"region": "A", "year": 2020, "reports_heard": 1, "budgeted": False}]))
    assert duties(r, {"region": "A"})[("budget", 2020)]["met"] is False
    assert ("notified_criticism", 2020) in measures_of(r, {"region": "A"})


# ------------------------------------------------------------------ item 15: nobody named

def test_interview_and_restrictions_stand_on_the_area_when_no_person_is_named(solve_case):
    r = solve_case(case([{"region": "A", "year": 2020, "assessment_failed": True}]))
    interview = next(m for m in r.measures if m["measure"] == "interview")
    assert (interview["subject"], interview["years"], interview["concerns"]) == ({"region": "A"}, [2020],
                                                                                 ["relevant_persons"])
    assert [c["label"] for c in interview["basis"]] == ["第二十一条第（二）项"]
    r = solve_case(case([{"region": "A", "year": 2020, "listing": "key_rectification"}]))
    concerned = {(m["measure"], tuple(m["concerns"])) for m in r.measures if "concerns" in m}
    assert concerned == {("interview", ("relevant_persons",)), ("no_awards", ("first_and_principal",)),
                         ("no_promotion", ("first_and_principal",))}
    # the other side: with the secretary named, the measures are his
    team = [builders.official("s", "A", "party_secretary", 2010)]
    r = solve_case(case([{"region": "A", "year": 2020, "listing": "key_rectification"}], team))
    assert not [m for m in r.measures if "concerns" in m]


# ------------------------------------------------------------------ item 11: 第二十六条第二款 and who is still in post
# 「在延长重点整治期限内仍未完成整治目标任务的，应给予禁毒工作第一责任人、主要责任人降级、撤职处分」.

@pytest.mark.parametrize("until, demoted", [(2020, False), (2021, True), (None, True)])
def test_demotion_only_for_persons_still_in_post_in_the_extension(solve_case, until, demoted):
    team = [builders.official("s", "A", "party_secretary", 2015, until)]
    facts = [{"region": "A", "year": 2020, "listing": "key_rectification", "targets_completed": False},
             {"official": "s", "year": 2020, "neglect": True},
             {"region": "A", "year": 2021, "targets_completed": False}]
    r = solve_case(case(facts, team))
    forms = {tuple(m.get("forms", [])) for m in r.measures if m["measure"] == "discipline" and 2022 in m["years"]}
    assert (("demotion", "dismissal") in forms) is demoted


# ------------------------------------------------------------------ why: 第二十六条第二款 is obligatory

def test_why_of_the_art26_2_sanction_does_not_rest_on_art25_3_discretion(tmp_path):
    from explain import why
    from explain.render import render
    team = [builders.official("s", "A", "party_secretary", 2015)]
    facts = [{"region": "A", "year": 2020, "listing": "key_rectification", "targets_completed": False},
             {"official": "s", "year": 2020, "neglect": True},
             {"region": "A", "year": 2021, "targets_completed": False}]
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(case(facts, team), allow_unicode=True), encoding="utf-8")
    text = render(why(load_case(str(path)), official="s", year=2022, measure="discipline"), "text", "en")
    assert "Article 26 ¶2" in text
    assert "art25_3_discretion" not in text


# ------------------------------------------------------------------ a handover year; a fact after leaving
# 第三条 「各级党委、政府主要领导是禁毒工作第一责任人」: in the year one secretary leaves (until) and the next arrives
# (since), both are in post, so 第二十五条（二）'s bans of that year reach both.  Accepted, with a warning; a fact of
# an official after `until` concerns no year in post and is read by no rule, also with a warning.

def _secretaries(until, since, facts=()):
    team = [builders.official("a", "A", "party_secretary", 2010, until),
            builders.official("b", "A", "party_secretary", since)]
    return case([{"region": "A", "year": 2020, "listing": "key_rectification"}, *facts], team)


def test_a_handover_year_is_accepted_with_a_warning_and_both_answer_for_it(solve_case):
    r = solve_case(_secretaries(2020, 2020))
    assert [(w["id"], w["field"]) for w in r.case.warnings] == [("handover_year", "since")]
    assert ("no_promotion", 2020) in measures_of(r, {"official": "a"})
    assert ("no_promotion", 2020) in measures_of(r, {"official": "b"})
    # the other side: no shared year, no warning, 2020's bans on the one in post
    r = solve_case(_secretaries(2020, 2021))
    assert not r.case.warnings
    assert ("no_promotion", 2020) in measures_of(r, {"official": "a"})
    assert ("no_promotion", 2020) not in measures_of(r, {"official": "b"})


@pytest.mark.parametrize("until, warned, sanctioned", [(2019, True, False), (2020, False, True)])
def test_a_fact_after_the_official_left_is_warned_and_read_by_no_rule(solve_case, until, warned, sanctioned):
    team = [builders.official("a", "A", "party_secretary", 2010, until)]
    facts = [{"region": "A", "year": 2020, "listing": "key_rectification"},
             {"official": "a", "year": 2020, "neglect": True}]
    r = solve_case(case(facts, team))
    assert [w["id"] for w in r.case.warnings] == (["fact_after_post"] if warned else [])
    assert any(m["measure"] == "discipline" for m in r.measures if m["subject"] == {"official": "a"}) is sanctioned


def test_the_text_result_says_not_reported_apart_from_not_met(solve_case):
    from pydesig.render import render_result
    r = solve_case(case([{"region": "A", "year": 2020, "reports_heard": 1, "budgeted": False}]))
    text = render_result(r, "text", "en")
    assert "(drug_bodies): not reported" in text and "(budget): NOT MET" in text
    r = solve_case(case([{"region": "A", "year": 2020, "reports_heard": 1, "budgeted": False}],
                        interpretations={"unreported_duties": "not_met"}))
    assert "(drug_bodies): NOT MET" in render_result(r, "text", "en")


# ------------------------------------------------------------------ second reading, wave 3
# 第十七条 「对因领导不重视、责任不落实、措施不得力，导致毒品问题泛滥的，应追究禁毒工作责任」 names no person: it is read
# with relevant_persons, which cites it and its words.

def test_article_17_is_read_with_relevant_persons_which_cites_it(solve_case):
    from pydesig.kb import knowledge_base
    reading = knowledge_base().interpretations["relevant_persons"]
    assert "changzhou/art_17" in reading.reads and "应追究禁毒工作责任" in reading.words
    team = [builders.official("s", "A", "party_secretary", 2010), builders.official("m", "A", "commission_member", 2010)]
    facts = [{"region": "A", "year": 2020, "drug_problem_rampant": True},
             {"official": "s", "year": 2020, "neglect": True}, {"official": "m", "year": 2020, "neglect": True}]
    r = solve_case(case(facts, team))
    pursued = sorted(m["subject"]["official"] for m in r.measures if m["measure"] == "pursue_accountability")
    assert pursued == ["s"]
    r = solve_case(case(facts, team, interpretations={"relevant_persons": "all_responsible"}))
    pursued = sorted(m["subject"]["official"] for m in r.measures if m["measure"] == "pursue_accountability")
    assert pursued == ["m", "s"]
    # the other side: problems not rampant, nobody pursued
    r = solve_case(case(facts[1:], team, interpretations={"relevant_persons": "all_responsible"}))
    assert not [m for m in r.measures if m["measure"] == "pursue_accountability"]


# 第二十二条（一）（二） use the words of the member units' duties (第十四条（一）（三）); another functional department
# (第十六条) is reached by them only under art22_units=every_unit, and under the default the case is told its facts
# are not read.

def test_article_22_items_1_2_reach_other_departments_only_under_every_unit(solve_case):
    facts = [{"official": "edu", "year": 2020, "unit_plan": False}]
    r = solve_case(case(facts, _head()))
    assert not measures_of(r, {"official": "edu"})
    assert "department_unit_duties_unread" in {n["id"] for n in r.notices}
    r = solve_case(case(facts, _head(), interpretations={"art22_units": "every_unit"}))
    assert measures_of(r, {"official": "edu"}) == [("interview", 2020), ("notified_criticism", 2020),
                                                   ("order_rectification", 2020)]
    criticism = next(m for m in r.measures if m["measure"] == "notified_criticism")
    assert [c["label"] for c in criticism["basis"]] == ["第二十二条第（一）项"]
    assert criticism["interpretations"] == ["art22_units"]
    assert "department_unit_duties_unread" not in {n["id"] for n in r.notices}
    # the other side: a plan made, nothing either way; a member unit is reached through 第十四条（一） under both
    r = solve_case(case([{"official": "edu", "year": 2020, "unit_plan": True}], _head(),
                        interpretations={"art22_units": "every_unit"}))
    assert not measures_of(r, {"official": "edu"}) and not r.notices
    r = solve_case(case(facts, _head(member_unit=True)))
    criticism = next(m for m in r.measures if m["measure"] == "notified_criticism")
    assert [c["label"] for c in criticism["basis"]] == ["第十四条第（一）项", "第二十二条第（一）项"]


# 第二十六条第一款 「并视情给予禁毒工作第一责任人、主要责任人警告、严重警告等党纪、政纪处分」: with nobody named, the
# sanction stands on the area (a decision on the area), saying whom it concerns.

def test_article_26_1_sanction_stands_on_the_area_when_nobody_is_named(solve_case):
    facts = [{"region": "A", "year": 2020, "listing": "key_rectification", "tasks_completed": False,
              "measures_ineffective": True}]
    r = solve_case(case(facts))
    on_area = [m for m in r.measures if m["subject"] == {"region": "A"} and m["measure"] == "discipline"]
    assert [(m["years"], m["modality"], m["forms"], m["concerns"]) for m in on_area] == [
        ([2021], "discretionary", ["serious_warning", "warning"], ["first_and_principal"])]
    assert [c["label"] for c in on_area[0]["basis"]] == ["第二十六条第一款"]
    # the other side: the secretary named, the sanction is a decision about him
    r = solve_case(case(facts, [builders.official("s", "A", "party_secretary", 2010)]))
    assert not [m for m in r.measures if m["subject"] == {"region": "A"} and m["measure"] == "discipline"]
    assert ("discipline", 2021) in measures_of(r, {"official": "s"}, "discipline")


# 第二十六条第一款 「因重视不够、措施不力、责任不落实而导致不能按期完成整治目标任务的，应延长重点整治期限」: the cause may be
# stated by the assessment (failure_causes, shared with Jilin 第十一条); a failure with no cause shown is not extended,
# and the result says why instead of ending the rectification silently.

@pytest.mark.parametrize("causes, extended", [([], False), (["safeguards"], False), (["measures"], True),
                                              (["leadership"], True), (["responsibility"], True)])
def test_article_26_1_needs_a_cause_and_reads_failure_causes(solve_case, causes, extended):
    facts = [{"region": "A", "year": 2020, "listing": "key_rectification", "tasks_completed": False,
              **({"failure_causes": causes} if causes else {})}]
    r = solve_case(case(facts, [builders.official("s", "A", "party_secretary", 2010)]))
    assert any(s["year"] == 2021 and s.get("event") == "extended" for s in r.status) is extended
    assert ("art26_cause_not_found" in {n["id"] for n in r.notices}) is not extended
