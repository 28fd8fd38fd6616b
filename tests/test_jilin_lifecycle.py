"""The Jilin rectification lifecycle, 第十条 to 第十四条: each branch of 第十条 and 第十一条, the
readings that the text leaves open, the decisions a user can fix, and the CLI around them.

Cases are small YAML files written to tmp_path and loaded like a user's file.  A county with
12000 poppies in a year meets 第七条第（四）项 (挂牌整治), one lab busted elsewhere 第八条第（三）项
(通报警示), two provincial criticisms 第九条第（一）项 (重点关注).
"""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from pydesig import load_case, solve
from pydesig.cli import main
from pydesig.result import lawful_outcomes
from pydesig.solver import NoLawfulOutcome

COUNTY = "220581"
CITY = "220500"
LISTED = {"poppy_plants": 12000}
WARNED = {"labs_busted_elsewhere": 1}
ATTENTION = {"provincial_criticisms": 2}
SIX = ["leadership", "safeguards", "groundwork", "enforcement", "education", "alleviation"]


def region_fact(year, region=COUNTY, **indicators):
    return {"region": region, "year": year, **indicators}


def document(facts, officials=(), decisions=(), interpretations=None, extra_regions=()):
    doc = {
        "format": "pydesig-case/1",
        "ruleset": "jilin-2019",
        "title": "lifecycle test",
        "regions": [
            {"id": CITY, "name": "通化市", "kind": "city"},
            {"id": COUNTY, "name": "梅河口市", "kind": "county", "parent": CITY},
            *extra_regions,
        ],
        "officials": list(officials),
        "facts": list(facts),
    }
    if decisions:
        doc["decisions"] = list(decisions)
    if interpretations:
        doc["interpretations"] = interpretations
    return doc


@pytest.fixture
def load(tmp_path):
    counter = iter(range(10**6))

    def run(doc: dict):
        path = tmp_path / f"case{next(counter)}.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return load_case(str(path))

    return run


@pytest.fixture
def run(load):
    """Solve a case document; return the result JSON."""

    def go(facts, **kw):
        return solve(load(document(facts, **kw))).to_json()

    return go


def states(doc, region=COUNTY):
    """{year: [(level, event, certain)]} of a region."""
    out = {}
    for s in doc["status"]:
        if s["region"] == region:
            out.setdefault(s["year"], []).append((s["level"], s.get("event"), s["certain"]))
    return out


def entry(doc, year, level, region=COUNTY):
    return next(s for s in doc["status"] if s["region"] == region and s["year"] == year and s["level"] == level)


def labels(citations):
    return [c["label"] for c in citations]


def options(doc, region=COUNTY, year=None):
    return sorted({d["decision"] for d in doc.get("decisions", [])
                   if d["subject"] == {"region": region} and (year is None or d["year"] == year)})


def notices(doc):
    return {n["id"] for n in doc.get("notices", [])}


# ---------------------------------------------------------------------------------------------
# 第十条: term lengths; designation_lag


def test_listed_rectification_runs_two_years_from_the_year_after_the_facts(run):
    doc = run([region_fact(2019, **LISTED)])
    assert states(doc) == {2020: [("listed_rectification", "designated", True)],
                           2021: [("listed_rectification", None, True)]}
    first = entry(doc, 2020, "listed_rectification")
    assert labels(first["basis"]) == ["第七条第（四）项", "第十条", "第十二条"]
    assert first["by"] == ["provincial_commission"]
    assert labels(entry(doc, 2021, "listed_rectification")["basis"]) == ["第七条第（四）项", "第十条", "第十二条"]
    assert "term_end_pending" in notices(doc)
    assert "designation_without_application" in notices(doc)


@pytest.mark.parametrize("facts, level", [(WARNED, "notified_warning"), (ATTENTION, "key_attention")])
def test_notified_warning_and_key_attention_run_one_year(run, facts, level):
    doc = run([region_fact(2019, **facts)])
    assert states(doc) == {2020: [(level, "designated", True)]}


def test_same_year_reading_starts_the_term_in_the_year_of_the_facts(run):
    doc = run([region_fact(2019, **LISTED)], interpretations={"designation_lag": "same_year"})
    assert sorted(states(doc)) == [2019, 2020]
    assert doc["interpretations"]["designation_lag"] == "same_year"


def test_unassessed_term_end_expires_only_under_the_expire_reading(run):
    # 第十条 「重点整治期限届满后，经考核评估可降低整治级别。同时具备下列条件的，可以直接取消重点整治」: without an
    # assessment nothing may be lowered, and only the six conditions cancel; expiry is the reading
    # term_end_outcome=expire (issue 10, item 5).
    facts = [region_fact(2019, **LISTED), region_fact(2022, provincial_criticisms=1)]
    doc = run(facts, interpretations={"term_end_outcome": "expire"})
    assert states(doc)[2022] == [("absent", "expired", True)]
    assert labels(entry(doc, 2022, "absent")["basis"]) == ["第十条"]
    assert "term_end_unassessed" in notices(doc)
    doc = run(facts)
    assert states(doc)[2022] == [("listed_rectification", "retained", True)]
    assert labels(entry(doc, 2022, "listed_rectification")["basis"]) == ["第十条", "第十二条"]
    assert options(doc, year=2022) == ["retain"]
    assert "term_end_unassessed" in notices(doc)


# ---------------------------------------------------------------------------------------------
# 第十条: after a passed assessment — downgrade (可), cancel (可以), expire


def test_passed_assessment_may_downgrade_or_keep_the_tier(run):
    # 第十条 「经考核评估可降低整治级别」 (可: lowered or kept); leaving outright needs 「同时具备下列条件」.
    doc = run([region_fact(2019, **LISTED), region_fact(2021, tasks_completed=True)])
    assert sorted(states(doc)[2022]) == [("listed_rectification", "retained", False),
                                         ("notified_warning", "downgraded", False)]
    assert options(doc, year=2022) == ["downgrade", "retain"]
    # term_end_outcome=expire: the old reading, under which the term may simply run out
    doc = run([region_fact(2019, **LISTED), region_fact(2021, tasks_completed=True)],
              interpretations={"term_end_outcome": "expire"})
    assert sorted(states(doc)[2022]) == [("absent", "expired", False), ("notified_warning", "downgraded", False)]
    assert options(doc, year=2022) == ["downgrade", "expire"]


def test_fixed_downgrade_gives_one_year_at_the_next_lower_tier(run):
    doc = run([region_fact(2019, **LISTED), region_fact(2021, tasks_completed=True)],
              decisions=[{"region": COUNTY, "year": 2022, "decision": "downgrade"}])
    assert states(doc)[2022] == [("notified_warning", "downgraded", True)]
    assert 2023 not in states(doc)
    assert labels(entry(doc, 2022, "notified_warning")["basis"]) == ["第十条", "第十二条"]


def test_key_attention_cannot_be_lowered_and_simply_expires_under_the_expire_reading(run):
    doc = run([region_fact(2019, **ATTENTION), region_fact(2020, tasks_completed=True)],
              interpretations={"term_end_outcome": "expire"})
    assert states(doc)[2021] == [("absent", "expired", True)]
    assert options(doc, year=2021) == ["expire"]


def test_key_attention_lowered_leaves_provincial_rectification(run):
    # 重点关注 is the lowest of 「挂牌整治、通报警示、重点关注三级整治」 (第四条): lowering it (第十条 可降低整治级别)
    # leaves the three tiers; not lowering it keeps it.
    doc = run([region_fact(2019, **ATTENTION), region_fact(2020, tasks_completed=True)])
    assert sorted(states(doc)[2021]) == [("absent", "downgraded", False), ("key_attention", "retained", False)]
    assert options(doc, year=2021) == ["downgrade", "retain"]
    doc = run([region_fact(2019, **ATTENTION), region_fact(2020, tasks_completed=True)],
              decisions=[{"region": COUNTY, "year": 2021, "decision": "downgrade"}])
    lowered = entry(doc, 2021, "absent")
    assert (lowered["event"], lowered["by"], labels(lowered["basis"])) == (
        "downgraded", ["provincial_commission"], ["第十条", "第十二条"])


def test_all_six_conditions_allow_direct_cancellation(run):
    facts = [region_fact(2019, **WARNED), region_fact(2020, tasks_completed=True, delisting_conditions_met=SIX)]
    doc = run(facts)
    assert options(doc, year=2021) == ["cancel", "downgrade", "retain"]
    doc = run(facts, decisions=[{"region": COUNTY, "year": 2021, "decision": "cancel"}])
    cancelled = entry(doc, 2021, "absent")
    assert (cancelled["event"], cancelled["certain"], cancelled["by"]) == ("cancelled", True, ["provincial_commission"])
    assert labels(cancelled["basis"]) == ["第十条", "第十二条"]


def test_five_conditions_do_not_allow_cancellation(run):
    doc = run([region_fact(2019, **WARNED), region_fact(2020, tasks_completed=True, delisting_conditions_met=SIX[:5])])
    assert "cancel" not in options(doc, year=2021)


def test_cancellation_before_the_term_ends_only_under_any_year(run):
    facts = [region_fact(2019, **LISTED), region_fact(2020, delisting_conditions_met=SIX)]
    assert "cancel" not in options(run(facts), year=2021)
    doc = run(facts, interpretations={"cancellation_timing": "any_year"})
    assert options(doc, year=2021) == ["cancel", "no_cancel"]
    doc = run(facts, interpretations={"cancellation_timing": "any_year"},
              decisions=[{"region": COUNTY, "year": 2021, "decision": "cancel"}])
    assert states(doc)[2021] == [("absent", "cancelled", True)]


# ---------------------------------------------------------------------------------------------
# 第十一条: after a failed assessment — extend or upgrade (应当), or report (视情)


def test_failed_listed_area_can_be_extended_or_reported_not_upgraded(run):
    doc = run([region_fact(2019, **LISTED), region_fact(2021, tasks_completed=False)])
    assert options(doc, year=2022) == ["extend", "report_national"]
    assert "no_higher_provincial_tier" in notices(doc)


def test_failed_notified_area_can_be_extended_upgraded_or_reported(run):
    doc = run([region_fact(2019, **WARNED), region_fact(2020, tasks_completed=False)])
    assert options(doc, year=2021) == ["extend", "report_national", "upgrade"]
    assert sorted(states(doc)[2021]) == [("absent", "reported_national", False),
                                         ("listed_rectification", "upgraded", False),
                                         ("notified_warning", "extended", False)]


def test_worsening_alone_fails_the_assessment(run):
    doc = run([region_fact(2019, **WARNED), region_fact(2020, tasks_completed=True, worsened=True)])
    assert options(doc, year=2021) == ["extend", "report_national", "upgrade"]


def test_extension_lasts_one_year_and_is_assessed_in_turn(run):
    facts = [region_fact(2019, **LISTED), region_fact(2021, tasks_completed=False),
             region_fact(2022, tasks_completed=False)]
    doc = run(facts, decisions=[{"region": COUNTY, "year": 2022, "decision": "extend"}])
    assert states(doc)[2022] == [("listed_rectification", "extended", True)]
    assert labels(entry(doc, 2022, "listed_rectification")["basis"]) == ["第十条", "第十一条第一款", "第十一条第二款", "第十二条"]
    # 第十一条第二款 「省级禁毒重点整治延长期限为1年」: the extension is spent (extension_repeat=once); 挂牌整治 has
    # no higher provincial tier, so the report is what is left.
    assert options(doc, year=2023) == ["report_national"]
    assert "extension_spent" in notices(doc)
    doc = run(facts, decisions=[{"region": COUNTY, "year": 2022, "decision": "extend"}],
              interpretations={"extension_repeat": "repeatable"})
    assert options(doc, year=2023) == ["extend", "report_national"]


def test_upgrade_starts_a_term_of_the_higher_tier(run):
    doc = run([region_fact(2019, **WARNED), region_fact(2020, tasks_completed=False)],
              decisions=[{"region": COUNTY, "year": 2021, "decision": "upgrade"}])
    assert states(doc) == {2020: [("notified_warning", "designated", True)],
                           2021: [("listed_rectification", "upgraded", True)],
                           2022: [("listed_rectification", None, True)]}
    assert labels(entry(doc, 2021, "listed_rectification")["basis"]) == ["第十条", "第十一条第一款", "第十二条"]


def test_report_for_national_rectification(run):
    doc = run([region_fact(2019, **LISTED), region_fact(2021, tasks_completed=False)],
              decisions=[{"region": COUNTY, "year": 2022, "decision": "report_national"}])
    reported = entry(doc, 2022, "absent")
    assert (reported["event"], labels(reported["basis"])) == ("reported_national", ["第十一条第一款", "第十二条"])
    report = next(m for m in doc["measures"] if m["measure"] == "report_national")
    assert (report["subject"], report["years"], report["by"]) == ({"region": COUNTY}, [2022], ["provincial_commission"])


def test_report_beside_the_extension_under_the_additional_reading(run):
    doc = run([region_fact(2019, **LISTED), region_fact(2021, tasks_completed=False)],
              interpretations={"national_report": "additional"})
    assert options(doc, year=2022) == ["extend", "no_report_national", "report_national"]
    assert states(doc)[2022] == [("listed_rectification", "extended", True)]


def test_six_conditions_do_not_override_a_failed_assessment(run, load):
    facts = [region_fact(2019, **WARNED), region_fact(2020, tasks_completed=False, delisting_conditions_met=SIX)]
    doc = run(facts)
    assert "cancel" not in options(doc, year=2021)
    assert "cancellation_blocked_by_failure" in notices(doc)
    case = load(document(facts, decisions=[{"region": COUNTY, "year": 2021, "decision": "cancel"}]))
    with pytest.raises(NoLawfulOutcome):
        solve(case)


# ---------------------------------------------------------------------------------------------
# Criteria met during rectification (finding_during_rectification)


def test_same_tier_met_again_continues_the_term(run):
    doc = run([region_fact(2019, **LISTED), region_fact(2020, **LISTED)])
    assert states(doc)[2021] == [("listed_rectification", "continued", True)]
    assert 2022 not in states(doc)


def test_higher_tier_met_during_a_lower_term_upgrades(run):
    # 通报警示 in 2020, extended into 2021; the 2020 facts meet 挂牌整治: a new 2-year term from 2021.
    doc = run([region_fact(2019, **WARNED), region_fact(2020, tasks_completed=False, **LISTED)],
              decisions=[{"region": COUNTY, "year": 2021, "decision": "extend"}])
    assert states(doc)[2021] == [("listed_rectification", "upgraded", True)]
    assert labels(entry(doc, 2021, "listed_rectification")["basis"]) == [
        "第四条", "第七条第（四）项", "第十条", "第十二条", "第十三条"]
    assert states(doc)[2022] == [("listed_rectification", None, True)]


def test_higher_tier_met_during_a_term_under_assessment_only(run):
    doc = run([region_fact(2019, **WARNED), region_fact(2020, tasks_completed=False, **LISTED)],
              decisions=[{"region": COUNTY, "year": 2021, "decision": "extend"}],
              interpretations={"finding_during_rectification": "assessment_only"})
    assert states(doc)[2021] == [("notified_warning", "extended", True)]
    assert "第七条第（四）项" in labels(entry(doc, 2021, "notified_warning")["basis"])
    assert 2022 not in states(doc)


def test_criteria_met_in_the_last_year_of_a_passed_term_designate_again(run):
    doc = run([region_fact(2019, **LISTED), region_fact(2021, tasks_completed=True, **LISTED)],
              decisions=[{"region": COUNTY, "year": 2022, "decision": "expire"}],
              interpretations={"term_end_outcome": "expire"})
    assert states(doc)[2022] == [("listed_rectification", "designated", True)]


def test_criteria_met_in_the_last_year_of_a_passed_term_keep_the_tier(run):
    # The facts of 2021 meet 挂牌整治 again: lowering the tier in 2022 would be undone by the new finding, so
    # 第十条's lowering is not open, and no outcome is labelled "upgraded" back to the tier it left.
    doc = run([region_fact(2019, **LISTED), region_fact(2021, tasks_completed=True, **LISTED)])
    assert options(doc, year=2022) == ["retain"]
    assert states(doc)[2022] == [("listed_rectification", "retained", True)]
    # a 通报警示 finding only (lower than the term's tier) leaves the lowering open
    doc = run([region_fact(2019, **LISTED), region_fact(2021, tasks_completed=True, **WARNED)])
    assert options(doc, year=2022) == ["downgrade", "retain"]
    assert all(e != "upgraded" for _, e, _ in states(doc)[2022])


# ---------------------------------------------------------------------------------------------
# 第四条: a city with three serious areas


def test_city_listed_while_its_areas_count_then_delisted(run):
    counties = [{"id": f"22058{i}", "name": f"县{i}", "kind": "county", "parent": CITY} for i in (2, 3)]
    facts = [region_fact(2019, region=r, **ATTENTION) for r in (COUNTY, "220582", "220583")]
    facts.append(region_fact(2020, region=COUNTY, **ATTENTION))
    doc = run(facts, extra_regions=counties)
    assert states(doc, CITY) == {2020: [("serious_area", "designated", True)], 2021: [("absent", "delisted", True)]}
    assert labels(entry(doc, 2020, "serious_area", CITY)["basis"]) == ["第四条"]


# ---------------------------------------------------------------------------------------------
# Outcomes and fixed decisions


def test_outcomes_are_the_lawful_combinations(load):
    case = load(document([region_fact(2019, **WARNED), region_fact(2020, tasks_completed=False)]))
    doc = lawful_outcomes(case)
    assert doc["complete"] and len(doc["outcomes"]) == 3
    taken = sorted(d["decision"] for o in doc["outcomes"] for d in o["decisions"])
    assert taken == ["extend", "report_national", "upgrade"]
    assert lawful_outcomes(case, limit=2)["complete"] is False


def test_a_decision_that_is_no_lawful_option_leaves_no_outcome(load):
    case = load(document([region_fact(2019, **LISTED), region_fact(2021, tasks_completed=False)],
                         decisions=[{"region": COUNTY, "year": 2022, "decision": "upgrade"}]))
    with pytest.raises(NoLawfulOutcome):
        solve(case)


def write(tmp_path, doc):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


def test_cli_decide_fixes_a_decision(tmp_path):
    path = write(tmp_path, document([region_fact(2019, **WARNED), region_fact(2020, tasks_completed=False)]))
    result = CliRunner().invoke(main, ["solve", path, "--format", "json", "--decide", f"{COUNTY}:2021:upgrade"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert states(doc)[2021] == [("listed_rectification", "upgraded", True)]


@pytest.mark.parametrize("decide, message", [
    (f"{COUNTY}:2021:frobnicate", "unknown decision 'frobnicate'"),
    (f"{COUNTY}:2021:cancel", "not a lawful decision in this case"),
    ("nobody:2021:extend", "names no region or official"),
    (f"{COUNTY}:2021:discipline", "is taken for a official"),
    ("220581-2021-extend", "not SUBJECT:YEAR:DECISION"),
])
def test_cli_rejects_bad_decisions_with_exit_code_2(tmp_path, decide, message):
    path = write(tmp_path, document([region_fact(2019, **WARNED), region_fact(2020, tasks_completed=False)]))
    result = CliRunner().invoke(main, ["solve", path, "--decide", decide])
    assert result.exit_code == 2
    assert message in result.output
    assert "case.yaml" in result.output


def test_cli_rejects_exclusive_decisions(tmp_path):
    path = write(tmp_path, document([region_fact(2019, **WARNED), region_fact(2020, tasks_completed=False)]))
    result = CliRunner().invoke(main, ["outcomes", path, "--decide", f"{COUNTY}:2021:extend",
                                       "--decide", f"{COUNTY}:2021:upgrade"])
    assert result.exit_code == 2
    assert "cannot all hold together" in result.output


def test_cli_outcomes_text_and_json(tmp_path):
    path = write(tmp_path, document([region_fact(2019, **WARNED), region_fact(2020, tasks_completed=False)]))
    text = CliRunner().invoke(main, ["outcomes", path])
    assert text.exit_code == 0, text.output
    assert "lawful outcomes: 3" in text.output
    doc = json.loads(CliRunner().invoke(main, ["outcomes", path, "--format", "json", "--limit", "1"]).output)
    assert doc["format"] == "pydesig-outcomes/1" and len(doc["outcomes"]) == 1 and doc["complete"] is False
    fixed = json.loads(CliRunner().invoke(main, ["outcomes", path, "--format", "json",
                                                 "--decide", f"{COUNTY}:2021:extend"]).output)
    assert len(fixed["outcomes"]) == 1
    assert {"subject": {"region": COUNTY}, "year": 2021, "decision": "extend"} in fixed["in_every_outcome"]


def test_unknown_decision_in_a_case_file_names_the_record(tmp_path):
    path = write(tmp_path, document([region_fact(2019, **WARNED)],
                                    decisions=[{"region": COUNTY, "year": 2021, "decision": "pardon"}]))
    result = CliRunner().invoke(main, ["solve", path])
    assert result.exit_code == 2
    assert "decisions[0]" in result.output and "pardon" in result.output


# ---------------------------------------------------------------------------------------------
# The demo case


def test_demo_shows_the_whole_lifecycle(tmp_path):
    result = CliRunner().invoke(main, ["solve", "kb/cases/tonghua.yaml", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)  # stderr says the demo's handover year (li_na → sun_li, 2022)
    assert [w["id"] for w in doc["warnings"]] == ["handover_year"] and "handover year 2022" in result.stderr
    events = {(s["region"], s["year"]): s.get("event") for s in doc["status"] if s["certain"]}
    assert events[("220581", 2020)] == "designated"
    assert events[("220581", 2022)] == "extended"
    assert events[("220581", 2023)] == "downgraded"
    assert events[("220523", 2021)] == "cancelled"
    assert events[("220582", 2022)] == "upgraded"
    ids = {m["measure"] for m in doc["measures"]}
    assert {"notified_criticism", "order_rectification", "interview", "no_awards", "no_promotion",
            "organizational_handling", "discipline", "creation_ineligible", "quarterly_report",
            "budget_inclusion"} <= ids
    assert all(m["basis"] for m in doc["measures"]) and all(s["basis"] for s in doc["status"])
    outcomes = CliRunner().invoke(main, ["outcomes", "kb/cases/tonghua.yaml", "--format", "json"])
    assert outcomes.exit_code == 0 and len(json.loads(outcomes.stdout)["outcomes"]) == 8
