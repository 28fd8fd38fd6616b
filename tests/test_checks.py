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
from pydesig.checks.issues import sort_issues
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
    return run_checks()


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
    assert case["facts"] == [{"region": case["regions"][0]["id"], "year": 2020, "flag": True}]
    # the counterexample really has no lawful outcome
    from pydesig.model import Case, Fact, Region

    region = case["regions"][0]
    c = Case("<t>", "toy", "t", {region["id"]: Region(region["id"], region["name"], region["kind"])}, {},
             [Fact("region", region["id"], 2020, "flag", True)])
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
    text = render_check(shipped, "text")
    assert text.startswith("pydesig check")
    assert "jilin-2019/threshold-overlap/poppy_plants/10000" in text and "counterexample" in text
    assert render_check(shipped, "text") == text


def test_per_instrument_run_is_deterministic():
    ctx = default_context()
    first = run_checks(ctx, ["jilin-2019"], cross=False)
    assert run_checks(ctx, ["jilin-2019"], cross=False) == first


def test_cli_check(shipped, monkeypatch, tmp_path):
    import pydesig.checks as checks

    monkeypatch.setattr(checks, "run_checks", lambda *a, **k: shipped)
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output) == shipped
    out = tmp_path / "report.txt"
    result = runner.invoke(main, ["check", "-o", str(out)])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("pydesig check")


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
