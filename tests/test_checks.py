"""`pydesig check`: each kind of check on a toy instrument with planted defects (tests/checks/toy),
and on the shipped instruments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pydesig import load_case, solve
from pydesig.checks import KINDS, SEVERITIES, context_from, default_context, run_checks
from pydesig.checks.generate import Domain
from pydesig.render import render_result
from pydesig.checks.issues import localized, sort_issues
from pydesig.checks.report import render_check
from pydesig.checks.thresholds import conditions
from pydesig.cli import main
from pydesig.paths import kb_dir

TOY = Path(__file__).parent / "checks" / "toy"


def _by_id(issues):
    return {i["id"]: i for i in issues}


@pytest.fixture(scope="module")
def toy_ctx():
    shipped = yaml.safe_load((kb_dir() / "crosswalk.yaml").read_text(encoding="utf-8"))
    crosswalk = {"lexicon": shipped["lexicon"],
                 "deontic": [{"measure": "no_promotion", "action": "promotion", "polarity": "forbidden"},
                             {"measure": "promotion", "action": "promotion", "polarity": "required"}]}
    return context_from(TOY / "kb", TOY / "encodings", ["toy"], crosswalk=crosswalk)


@pytest.fixture(scope="module")
def toy(toy_ctx):
    return _by_id(run_checks(toy_ctx))


@pytest.fixture(scope="module")
def shipped():
    """The shipped kb's issues, computed once per test run (by this module or by the first CLI test
    that asked for them, possibly in another process) and shared through the check cache."""
    from pydesig.checks.cache import shipped_issues

    return shipped_issues()


# --------------------------------------------------------------------------- the toy instrument

def test_planted_overlap_is_found_and_confirmed(toy):
    issue = toy["toy/threshold-overlap/count/100"]
    assert issue["severity"] == "warning"
    assert [c["label"] for c in issue["citations"]] == ["第二条", "第三条"]
    assert "Confirmed by solving" in issue["message"]
    case = yaml.safe_load(issue["counterexample"])
    assert case["facts"] == [{"region": "R1", "year": 2020, "count": 100}]


def test_planted_gap_is_found_under_each_reading(toy):
    assert toy["toy/threshold-gap/count/40"]["under"] == {"bound": "exclusive"}
    assert toy["toy/threshold-gap/count/41"]["under"] == {"bound": "inclusive"}
    assert [c["label"] for c in toy["toy/threshold-gap/count/40"]["citations"]] == ["第二条", "第三条", "第四条"]


def test_open_bound_names_the_interpretation(toy):
    issue = toy["toy/threshold-open-bound/count/40"]
    assert issue["severity"] == "info" and "10株（含）至40株" in issue["message"]
    assert issue["details"]["interpretation"] == "bound"


def test_no_overlap_without_a_planted_one(toy):
    assert not [i for i in toy if "threshold-overlap" in i and not i.endswith("/100")]


def test_undefined_title(toy):
    issue = toy["toy/term-undefined/principal_responsible"]
    assert "「主要责任人」" in issue["message"] and "第一条 defines only 「第一责任人」" in issue["message"]
    assert [c["label"] for c in issue["citations"]] == ["第一条", "第五条"]
    assert "toy/term-undefined/first_responsible" not in toy


def test_delegation_and_dangling_reference(toy):
    assert toy["toy/delegated/art_6"]["severity"] == "info"
    ref = toy["toy/external-reference/art_5"]
    assert "measure(no_promotion)" in ref["message"]


def test_unreachable_and_not_encoded(toy):
    unreachable = [i for k, i in toy.items() if k.startswith("toy/unreachable/")]
    assert [i["citations"][0]["label"] for i in unreachable] == ["第八条"]
    assert toy["toy/not-encoded/art_7"]["severity"] == "warning"


def test_no_lawful_outcome_with_a_runnable_counterexample(toy, toy_ctx):
    from pydesig.checks.ground import model_atoms

    issue = toy["toy/no-lawful-outcome/art_9"]
    assert issue["severity"] == "error"
    case = yaml.safe_load(issue["counterexample"])
    # shrunk to the one fact that matters; which of the generated years carries it is the solver's choice
    [fact] = case["facts"]
    assert fact == {"region": case["regions"][0]["id"], "year": fact["year"], "flag": True}
    assert fact["year"] in Domain().year_range
    # the counterexample really has no lawful outcome
    from pydesig.model import Case, Fact, Region

    region = case["regions"][0]
    c = Case("<t>", "toy", "t", {region["id"]: Region(region["id"], region["name"], region["kind"])}, {},
             [Fact("region", region["id"], fact["year"], "flag", True)])
    assert model_atoms(toy_ctx, c) is None


def test_deontic_conflict_shrunk_to_what_matters(toy):
    issue = toy["toy/deontic-conflict/promotion/forbidden"]
    assert issue["severity"] == "error"
    case = yaml.safe_load(issue["counterexample"])
    assert case["facts"] == [{"official": case["officials"][0]["id"], "year": 2020, "neglect": True}]
    assert case["officials"][0]["role"] == "party_secretary"


def test_conditions_read_from_the_ast(toy_ctx):
    found = {(c.level, c.lo, c.hi, tuple(sorted(c.readings))) for c in conditions(toy_ctx, "toy") if c.key == "count"
             and c.level}
    assert (("tier2", 50, 100, ())) in found
    assert ("tier3", 10, 39, (("bound", "exclusive"),)) in found
    assert ("tier3", 10, 40, (("bound", "inclusive"),)) in found


# --------------------------------------------------------------------------- the shipped instruments

def test_contract_shape_and_order(shipped):
    assert shipped, "the shipped kb has known issues"
    ids = [i["id"] for i in shipped]
    assert len(ids) == len(set(ids))
    for i in shipped:
        assert set(i) >= {"id", "kind", "severity", "message", "citations"}
        assert i["kind"] in KINDS and i["severity"] in SEVERITIES
        assert i["citations"], i["id"]
        for c in i["citations"]:
            assert set(c) == {"instrument", "article", "paragraph", "item", "label", "text"}
    assert sort_issues(list(reversed(shipped)), ["jilin-2019", "changzhou"]) == shipped
    json.dumps(shipped, ensure_ascii=False)


def test_threshold_findings_on_jilin(shipped):
    found = _by_id(shipped)
    poppy = found["jilin-2019/threshold-overlap/poppy_plants/10000"]
    assert poppy["under"] == {"band_upper_bound": "inclusive"}
    assert [c["label"] for c in poppy["citations"]] == ["第七条第（四）项", "第八条第（五）项"]
    assert "highest_tier_wins" in poppy["message"]
    runs = found["jilin-2019/threshold-overlap/detected_consecutive_years/3"]
    assert "under every reading" in runs["message"]
    assert "jilin-2019/threshold-overlap/labs_busted_elsewhere/2" in found
    assert found["jilin-2019/threshold-gap/precursor_leaks_traced/3"]["under"] == {"bare_counts": "exactly"}
    assert "jilin-2019/threshold-open-bound/poppy_plants/10000" in found
    assert "changzhou/threshold-open-bound/annual_plan_date+written_report_date/1220" in found


@pytest.mark.parametrize("ident", ["jilin-2019/threshold-overlap/poppy_plants/10000",
                                   "jilin-2019/threshold-overlap/detected_consecutive_years/3"])
def test_overlap_counterexamples_run(shipped, tmp_path, ident):
    issue = _by_id(shipped)[ident]
    path = tmp_path / "case.yaml"
    path.write_text(issue["counterexample"], encoding="utf-8")
    result = solve(load_case(str(path)))
    grounds = {g["citation"]["label"] for f in result.findings for g in f["grounds"]}
    assert {c["label"] for c in issue["citations"]} <= grounds


def test_terms_on_the_shipped_instruments(shipped):
    found = _by_id(shipped)
    jl = found["jilin-2019/term-undefined/principal_responsible"]
    assert [c["label"] for c in jl["citations"]] == ["第十七条", "第二十四条第一款", "第二十四条第二款", "第二十五条"]
    assert "principal_responsible" in jl["message"]
    cross = found["cross/term-inconsistent/principal_responsible"]
    assert {c["instrument"] for c in cross["citations"]} == {"jilin-2019", "changzhou"}
    assert "cross/term-inconsistent/direct_responsible" in found
    assert "changzhou/term-undefined/relevant_responsible" in found
    assert "changzhou/term-undefined/principal_responsible" not in found


def test_delegation_on_the_shipped_instruments(shipped):
    found = _by_id(shipped)
    art23 = found["changzhou/delegated/art_23"]
    assert "listing" in art23["message"] and "listing_lag" in art23["message"]
    assert {"第二十四条", "第二十五条第（三）项"} <= {c["label"] for c in art23["citations"]}
    assert "jilin-2019/delegated/art_4" in found
    assert "jilin-2019/external-reference/art_24/para_2" in found
    assert found["changzhou/period-not-given/rectification_period"]["severity"] == "warning"
    assert "jilin-2019/period-not-given/rectification_period" not in found


def test_cross_instrument_findings(shipped):
    found = _by_id(shipped)
    for ident in ("cross/measure-only-in-one/organizational_handling", "cross/discipline-forms-differ/discipline",
                  "cross/period-differs/rectification_period", "cross/modality-differs/discipline_on_listing"):
        issue = found[ident]
        assert {c["instrument"] for c in issue["citations"]} == {"jilin-2019", "changzhou"}, ident
    assert "cross/modality-differs/restrictions_during_rectification" not in found  # 原则上不得 in both
    probes = [i for k, i in found.items() if k.startswith("cross/consequence-differs/")]
    assert {i["details"]["difference"] for i in probes} >= {"only_in_jilin-2019", "other_timing", "other_form"}
    for probe in probes:
        assert yaml.safe_load(probe["counterexample"])["format"] == "pydesig-case/1"
        assert {c["instrument"] for c in probe["citations"]} == {"jilin-2019", "changzhou"}, probe["id"]


def test_no_errors_on_the_shipped_instruments(shipped):
    assert not [i["id"] for i in shipped if i["severity"] == "error"]
    assert not [i["id"] for i in shipped if i["kind"] in ("unreachable", "crosswalk-incomplete")]


def test_text_report(shipped):
    """A one-line summary first, then the issues ranked by severity, each with a one-line headline."""
    text = render_check(shipped, "text", lang="en")
    first, rest = text.split("\n", 1)
    counts = {s: sum(1 for i in shipped if i["severity"] == s) for s in SEVERITIES}
    assert first.startswith(f"{len(shipped)} issues: {counts['error']} errors, {counts['warning']} warnings, "
                            f"{counts['info']} info")
    assert "pydesig check — " in rest
    assert "jilin-2019/threshold-overlap/poppy_plants/10000" in text and "counterexample" in text
    positions = [text.index(f"\n[{i['severity']}] {i['kind']} — {i['id']}\n") for i in shipped]
    assert positions == sorted(positions)
    assert render_check(shipped, "text", lang="en") == text
    zh = render_check(shipped, "text", lang="zh")
    assert zh.startswith(f"共 {len(shipped)} 项问题") and "反例" in zh


def test_issues_are_ranked_by_severity(shipped):
    ranks = [SEVERITIES.index(i["severity"]) for i in shipped]
    assert ranks == sorted(ranks)


def test_html_report(shipped):
    html = render_check(shipped, "html", lang="en")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    assert html.count('<section class="issue ') == len(shipped)
    assert "@media print" in html


def test_per_instrument_run_is_deterministic(shipped):
    """A fresh run of one instrument's checks gives exactly that instrument's issues of the full run
    (made by another run, often in another process with another hash seed)."""
    ctx = default_context()
    again = run_checks(ctx, ["jilin-2019"], cross=False)
    assert again and json.dumps(again, ensure_ascii=False) == json.dumps(
        [i for i in shipped if i["id"].startswith("jilin-2019/")], ensure_ascii=False)


def test_cli_check(shipped, monkeypatch, tmp_path):
    import pydesig.checks as checks

    monkeypatch.setattr(checks, "run_checks", lambda *a, **k: shipped)
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == localized(shipped, "zh")
    result = runner.invoke(main, ["check", "--format", "json", "--lang", "en"])
    assert json.loads(result.output) == localized(shipped, "en")
    assert all(set(i) >= {"id", "kind", "severity", "message", "citations"} and "message_zh" not in i
               for i in json.loads(result.output))
    out = tmp_path / "report.txt"
    result = runner.invoke(main, ["check", "-o", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith(f"共 {len(shipped)} 项问题")
    result = runner.invoke(main, ["check", "--kind", "no-such-kind"])
    assert result.exit_code == 2 and "no-such-kind" in result.output


def test_crosswalk_kept_in_step_with_the_encodings():
    """A measure the encodings attach but the crosswalk does not map, and an unknown provision id."""
    import copy
    from dataclasses import replace

    from pydesig.checks.crosswalk import check_crosswalk

    ctx = default_context()
    crosswalk = copy.deepcopy(ctx.crosswalk)
    crosswalk["measures"] = [e for e in crosswalk["measures"] if e["id"] != "written_copy"]
    crosswalk["rules"].append({"id": "bogus", "jilin-2019": {"provisions": ["jilin-2019/art_99"]},
                               "changzhou": {"provisions": ["changzhou/art_3"]}})
    found = _by_id(check_crosswalk(replace(ctx, crosswalk=crosswalk), probes=False))
    assert "cross/crosswalk-incomplete/changzhou/measure/written_copy" in found
    assert "cross/crosswalk-incomplete/unknown/jilin-2019/art_99" in found
    assert "cross/measure-only-in-one/written_copy" not in found


# --------------------------------------------------------------------------- second-wave analyses

def _solved(text: str, tmp_path):
    """A counterexample case file, loaded and solved as a user would (`pydesig solve`)."""
    from pydesig import load_case, solve

    path = tmp_path / "counterexample.yaml"
    path.write_text(text, encoding="utf-8")
    return json.loads(render_result(solve(load_case(str(path))), "json"))


def test_planted_circularity_is_found(toy):
    issue = toy["toy/circular-rule/criticisms/notified_criticism/county"]
    assert issue["severity"] == "warning" and issue["details"]["closes"]
    assert [c["label"] for c in issue["citations"]] == ["第十一条", "第十二条"]
    assert "第十一条" in issue["message_zh"] and "Article 12" in issue["message"]
    facts = yaml.safe_load(issue["counterexample"])["facts"]
    assert any(f.get("criticisms") == 2 for f in facts)  # the measure counted in the indicator


def test_planted_overlapping_triggers_are_found(toy):
    issue = toy["toy/overlapping-triggers/art_13+art_14"]
    assert issue["severity"] == "warning" and issue["details"]["measures"] == ["no_promotion"]
    case = yaml.safe_load(issue["counterexample"])
    assert [o["role"] for o in case["officials"]] == ["party_secretary"]
    assert "toy/overlapping-triggers/art_5+art_13" not in toy  # 第五条 names no such measure (不得提拔 alone)


def test_planted_counting_bases_are_found(toy):
    issue = toy["toy/counting-bases/art_15+art_16"]
    assert issue["details"]["bound"] == 2
    assert issue["details"]["one_not_other"] == {"toy/art_15": True, "toy/art_16": False}
    case = yaml.safe_load(issue["counterexample"])
    assert sum(1 for r in case["regions"] if r.get("parent") == "C1") >= 2


def test_planted_uncovered_inputs_are_found(toy):
    assert toy["toy/uncovered-input/status/watched"]["details"]["read"] is False
    assert "toy/uncovered-input/status/listed" not in toy
    assert toy["toy/uncovered-input/role/observer"]["details"]["read"] is False
    assert "toy/uncovered-input/role/party_secretary" not in toy


def test_planted_consequence_outside_the_post_is_found(toy):
    before = toy["toy/consequence-before-cause/before-post/art_18"]
    assert before["severity"] == "warning"
    case = yaml.safe_load(before["counterexample"])
    official = case["officials"][0]
    assert any(f.get("official") == official["id"] and f["year"] < official["since"] for f in case["facts"])
    assert toy["toy/consequence-before-cause/after-post/art_18"]["severity"] == "info"


def test_jilin_criticism_loop_closes_on_its_counterexample(shipped, tmp_path):
    """第二十二条's criticism of a city by the provincial commission counts towards 第九条第（一）项."""
    issue = _by_id(shipped)["jilin-2019/circular-rule/provincial_criticisms/notified_criticism/city"]
    assert {c["label"] for c in issue["citations"]} >= {"第九条第（一）项", "第二十二条"}
    year = issue["details"]["measure_year"]
    result = _solved(issue["counterexample"], tmp_path)
    grounds = [(g["citation"]["label"], f["year"]) for f in result["findings"] for g in f["grounds"]]
    assert ("第九条第（一）项", year) in grounds
    criticised = [m for m in result["measures"] if m["measure"] == "notified_criticism"]
    assert any(year in m["years"] for m in criticised)


def test_changzhou_double_sanction_shows_on_its_counterexample(shipped, tmp_path):
    issue = _by_id(shipped)["changzhou/overlapping-triggers/art_21+art_24"]
    result = _solved(issue["counterexample"], tmp_path)
    by_point: dict = {}
    for m in result["measures"]:
        for y in m["years"]:
            arts = {c["article"] for c in m["basis"]}
            by_point.setdefault((json.dumps(m["subject"]), m["measure"], y), set()).update(arts)
    assert any({21, 24} <= arts for arts in by_point.values())


def test_jilin_counting_bases_differ_on_their_counterexample(shipped, tmp_path):
    """第四条 and 第二十三条第二款 count a city's serious areas on different bases: on the counterexample,
    solved with the real encodings, one count reaches 3 in a year in which the other does not (the
    visible conclusions may still agree, 第二十三条第二款 having another alternative)."""
    from clingo import Function, Number

    from pydesig import load_case
    from pydesig.checks.counting import _cnt_rule, _diff_rule, counts
    from pydesig.checks.deontic import _has_outcome
    from pydesig.checks.witness import _requiring

    issue = _by_id(shipped).get("jilin-2019/counting-bases/art_4+art_23/para_2")
    if issue is None:  # the two counts agree on every generated case: nothing to show
        return
    ctx = default_context()
    found = {c["provision"]: c for c in counts(ctx, "jilin-2019")}
    a, b = found["jilin-2019/art_4"], found["jilin-2019/art_23/para_2"]
    wide, narrow = (a, b) if issue["details"]["one_not_other"]["jilin-2019/art_4"] else (b, a)
    rules = [_cnt_rule(a["site"], a), _cnt_rule(b["site"], b), _diff_rule(wide["site"], narrow["site"], 2)]
    path = tmp_path / "counterexample.yaml"
    path.write_text(issue["counterexample"], encoding="utf-8")
    case = load_case(str(path))
    marker = Function("_chk_diff", [Number(wide["site"]), Number(narrow["site"])])
    assert _has_outcome(ctx, case, [*rules, _requiring(marker)])
    reverse = Function("_chk_diff", [Number(narrow["site"]), Number(wide["site"])])
    rules_back = [*rules[:2], _diff_rule(narrow["site"], wide["site"], 2)]
    assert not issue["details"]["one_not_other"][narrow["provision"]] or \
        _has_outcome(ctx, case, [*rules_back, _requiring(reverse)])


def test_tenure_across_is_reported_exactly_when_the_defaults_differ(shipped):
    from pydesig.checks.counting import tenure_rules

    ctx = default_context()

    def default_minimum(rs):
        defaults = set(ctx.default_interpretations(rs).items())
        return {t["minimum"] for t in tenure_rules(ctx, rs) if t["readings"] <= defaults}

    differ = default_minimum("jilin-2019") != default_minimum("changzhou")
    reported = [i for i in shipped if i["id"].startswith("cross/counting-bases/tenure/")]
    assert bool(reported) == differ
    for issue in reported:
        assert {c["instrument"] for c in issue["citations"]} == {"jilin-2019", "changzhou"}


def test_new_analyses_cite_only_existing_provisions_and_carry_runnable_cases(shipped):
    new = [i for i in shipped if i["kind"] in ("circular-rule", "overlapping-triggers", "counting-bases",
                                               "uncovered-input", "timing-differs", "consequence-before-cause")]
    assert {i["kind"] for i in new} >= {"circular-rule", "overlapping-triggers", "uncovered-input",
                                         "consequence-before-cause"}
    for issue in new:
        assert issue["citations"] and issue["message"] and issue["message_zh"], issue["id"]
        if "counterexample" in issue:
            assert yaml.safe_load(issue["counterexample"])["format"] == "pydesig-case/1"


def test_kind_filter_runs_only_what_it_needs():
    ctx = default_context()
    issues = run_checks(ctx, kinds={"circular-rule"})
    assert issues and {i["kind"] for i in issues} == {"circular-rule"}


def test_every_message_in_both_languages(shipped, toy):
    import re

    for issue in [*shipped, *toy.values()]:
        assert re.search(r"[\u4e00-\u9fff]", issue.get("message_zh", "")), issue["id"]
        assert issue["message"] != issue["message_zh"], issue["id"]
