"""``pydesig readings``: which conclusions hold under every reading, which hinge on one.

Small cases built as pydesig.model objects; the answer of the one-program search is compared
with a brute-force oracle that solves the case once per combination of readings.
"""

from __future__ import annotations

import itertools
import json
import re

import clingo
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pydesig.bridge import atom_args, case_symbols
from pydesig.cli import main
from pydesig.engine import solve
from pydesig.model import Case, Fact, Region
from pydesig.readings import readings
from pydesig.program import encoding_files
from pydesig.relevance import relevance
from pydesig.result import cite

COUNTY, OTHER, CITY = "220581", "220582", "220500"
REGIONS = {CITY: Region(CITY, "通化市", "city"), COUNTY: Region(COUNTY, "梅河口市", "county", CITY),
           OTHER: Region(OTHER, "集安市", "county", CITY)}


def make_case(facts, interpretations=None) -> Case:
    return Case(path="generated.yaml", ruleset="jilin-2019", title="generated", regions=dict(REGIONS),
                officials={}, facts=[Fact("region", r, y, i, v) for r, y, i, v in facts],
                interpretations=dict(interpretations or {}))


def entries(doc, kind, **fields):
    return [e for e in doc["conclusions"] if e["kind"] == kind and all(e.get(k) == v for k, v in fields.items())]


def ground(doc, region, year, label):
    found = [e for e in entries(doc, "ground", region=region, year=year) if e["citation"]["label"] == label]
    assert len(found) <= 1
    return found[0] if found else None


def test_twelve_thousand_plants_ground_article_7_4_under_every_reading():
    case = make_case([(COUNTY, 2019, "poppy_plants", 12000), (COUNTY, 2019, "serious_problems", "cultivation")])
    doc = readings(case)
    entry = ground(doc, COUNTY, 2019, "第七条第（四）项")
    assert entry["holds"] == "always" and entry["certain"] is True and entry["under"] == []
    finding = entries(doc, "finding", region=COUNTY, year=2019)
    assert [(f["level"], f["holds"]) for f in finding] == [("listed_rectification", "always")]
    assert doc["format"] == "pydesig-readings/1" and doc["combinations"] >= 1


def test_without_an_article_6_finding_the_ground_rests_on_art6_basis():
    """「毒品问题严重地区具有下列情形之一的」: under art6_basis=explicit 第七条 applies only to an area
    with a 第六条 finding; a case that states none has no area to apply it to.  The document says
    that the reading wants a fact the case never states."""
    doc = readings(make_case([(COUNTY, 2019, "poppy_plants", 12000)]))
    entry = ground(doc, COUNTY, 2019, "第七条第（四）项")
    assert entry["holds"] == "some" and entry["under"] == [{"art6_basis": "implied"}]
    assert doc["unstated"] == {"art6_basis": {"explicit": ["serious_problems"]}}
    stated = readings(make_case([(COUNTY, 2019, "poppy_plants", 12000), (OTHER, 2019, "serious_problems", "abuse")]))
    assert "unstated" not in stated  # stated for some region: no note, even where this region lacks it
    assert ground(stated, COUNTY, 2019, "第七条第（四）项")["under"] == [{"art6_basis": "implied"}]


def test_the_note_on_an_unstated_fact_reads_in_text_and_html():
    from pydesig.readings_render import render_readings

    case = make_case([(COUNTY, 2019, "poppy_plants", 12000)])
    doc = readings(case)
    text = render_readings(doc, "text", case, "en")
    assert "art6_basis=explicit" in text and "needs serious_problems (Article 6 problems)" in text
    assert "not a fault of the computation" in text
    html = render_readings(doc, "html", case, "zh")
    assert "需要 serious_problems（第六条所列突出毒品问题）" in html


@pytest.mark.parametrize("plants, holds", [(10000, True), (9999, None), (10001, False)])
def test_upper_bound_of_the_band_hinges_on_band_upper_bound(plants, holds):
    """「5000株（含）至10000株」: 10000 is in the band of 第八条第（五）项 only when the upper bound is
    inclusive; 9999 is in it under every reading; 10001 under none."""
    case = make_case([(COUNTY, 2019, "poppy_plants", plants), (COUNTY, 2019, "serious_problems", "cultivation")])
    doc = readings(case)
    entry = ground(doc, COUNTY, 2019, "第八条第（五）项")
    if holds is None:
        assert entry["holds"] == "always"
    elif holds:
        assert entry["holds"] == "some" and entry["under"] == [{"band_upper_bound": "inclusive"}]
        assert "band_upper_bound" in doc["interpretations"]
    else:
        assert entry is None


def test_lower_bound_of_the_band_holds_under_every_reading():
    case = make_case([(COUNTY, 2019, "poppy_plants", 5000), (COUNTY, 2019, "serious_problems", "cultivation")])
    doc = readings(case)
    assert ground(doc, COUNTY, 2019, "第八条第（五）项")["holds"] == "always"
    assert ground(doc, COUNTY, 2019, "第九条第（三）项")["under"] == [{"band_upper_bound": "inclusive"}]


@pytest.mark.parametrize("labs, under", [(1, "always"), (3, [{"bare_counts": "at_least"}])])
def test_bare_count_hinges_on_bare_counts(labs, under):
    """「打掉1个」: one lab meets 第八条第（三）项 under both readings, three only under at_least."""
    case = make_case([(COUNTY, 2019, "labs_busted_elsewhere", labs), (COUNTY, 2019, "serious_problems", "manufacturing")])
    entry = ground(readings(case), COUNTY, 2019, "第八条第（三）项")
    assert (entry["holds"] if under == "always" else entry["under"]) == under


def test_only_interpretations_that_can_touch_the_case_are_varied():
    doc = readings(make_case([(COUNTY, 2019, "monitoring", "spreading"), (COUNTY, 2019, "serious_problems", "other")]))
    assert "band_upper_bound" not in doc["interpretations"] and "bare_counts" not in doc["interpretations"]
    assert "principal_responsible" not in doc["interpretations"]  # no officials in the case
    n = 1
    for options in doc["interpretations"].values():
        n *= len(options)
    assert doc["combinations"] == n


def test_fixed_interpretations_stay_fixed():
    case = make_case([(COUNTY, 2019, "poppy_plants", 10000), (COUNTY, 2019, "serious_problems", "cultivation")],
                     interpretations={"band_upper_bound": "inclusive"})
    doc = readings(case)
    assert doc["fixed"] == {"band_upper_bound": "inclusive"} and "band_upper_bound" not in doc["interpretations"]
    assert ground(doc, COUNTY, 2019, "第八条第（五）项")["holds"] == "always"


# ----------------------------------------------------------------------------- the oracle
def _key(entry) -> tuple:
    if entry["kind"] == "ground":
        return ("ground", entry["region"], entry["year"], entry["level"], entry["citation"]["label"])
    if entry["kind"] == "measure":
        return ("measure", json.dumps(entry["subject"]), entry["measure"], entry["year"])
    return (entry["kind"], entry["region"], entry["year"], entry["level"])


def _conclusions(result_doc) -> set[tuple]:
    out = set()
    for f in result_doc["findings"]:
        out.add(("finding", f["region"], f["year"], f["level"]))
        out |= {("ground", f["region"], f["year"], g["level"], g["citation"]["label"]) for g in f["grounds"]}
    out |= {("status", s["region"], s["year"], s["level"]) for s in result_doc["status"]}
    out |= {("measure", json.dumps(m["subject"]), m["measure"], y) for m in result_doc["measures"] for y in m["years"]}
    return out


def _brave(case) -> set[tuple]:
    """Conclusions true in some lawful outcome: solve's result lists every brave atom."""
    return _conclusions(solve(case).to_json())


def _atom_key(sym) -> tuple | None:
    """The oracle's key of a shown conclusion atom (as :func:`_conclusions` keys solve's JSON)."""
    args = atom_args(sym)
    if sym.name in ("finding", "status") and len(args) == 3:
        return (sym.name, *args)
    if sym.name == "ground" and len(args) == 4:
        return ("ground", *args[:3], cite(args[3])["label"])
    if sym.name == "measure" and len(args) == 4:
        (kind, ident), measure, year, _ = args
        return ("measure", json.dumps({kind: ident}), measure, year)
    return None


def _combination_table(case, names, varied) -> dict[tuple, set[tuple]]:
    """A loop of solves, one per combination of readings: the brave conclusions under each.

    The ordinary program (no choice of readings) is grounded once with every reading atom an
    external, and each combination is solved by switching exactly its reading atoms on; two
    combinations are checked against a fresh `solve` of the case with those readings fixed."""
    ctl = clingo.Control(["--warn=none"])
    for path in encoding_files(case.ruleset):
        ctl.load(str(path))
    readings_atoms = {(n, o): clingo.Function("interpretation", [clingo.Function(n), clingo.Function(o)])
                      for n in names for o in varied[n]}
    with ctl.backend() as backend:
        for sym in case_symbols(case):
            if not (sym.name == "interpretation" and str(sym.arguments[0]) in varied):
                backend.add_rule([backend.add_atom(sym)])
        for sym in readings_atoms.values():
            backend.add_external(backend.add_atom(sym))
    ctl.ground([("base", [])])
    ctl.configuration.solve.enum_mode = "brave"
    ctl.configuration.solve.models = 0
    table = {}
    for values in itertools.product(*(varied[n] for n in names)):
        chosen = set(zip(names, values))
        for reading, sym in readings_atoms.items():
            ctl.assign_external(sym, reading in chosen)
        with ctl.solve(yield_=True) as handle:
            for _ in handle:
                pass
            last = handle.last()
            shown = last.symbols(shown=True) if last is not None else []
        table[values] = {key for key in map(_atom_key, shown) if key is not None}
    combos = list(table)
    for values in (combos[0], combos[-1]):  # the defaults, and every last option
        assert table[values] == _brave(make_case_like(case, dict(zip(names, values))))
    return table


def _minimal_sufficient(names, varied, holds: frozenset) -> list[dict]:
    """By brute force: the minimal partial readings every completion of which is in ``holds``."""
    width = len(names)
    minimal: list[dict] = []
    for size in range(width + 1):
        for subset in itertools.combinations(range(width), size):
            free = [i for i in range(width) if i not in subset]
            for vals in itertools.product(*(varied[names[i]] for i in subset)):
                partial = dict(zip(subset, vals))
                if any(all(partial.get(i) == v for i, v in m.items()) for m in minimal):
                    continue
                full = list(range(width))
                ok = True
                for rest in itertools.product(*(varied[names[i]] for i in free)):
                    for i, v in zip(free, rest):
                        full[i] = v
                    for i, v in partial.items():
                        full[i] = v
                    if tuple(full) not in holds:
                        ok = False
                        break
                if ok:
                    minimal.append(partial)
    return [{names[i]: v for i, v in m.items()} for m in minimal]


def _oracle(case):
    """A loop of solves: the brave conclusions under every combination, then the minimal sufficient
    partial readings of each by brute force."""
    varied = relevance(case).varied
    names = sorted(varied)
    table = _combination_table(case, names, varied)
    everything = set().union(*table.values())
    out, memo = {}, {}
    for c in everything:
        holds = frozenset(values for values, conclusions in table.items() if c in conclusions)
        if holds not in memo:
            memo[holds] = _minimal_sufficient(names, varied, holds)
        minimal = memo[holds]
        out[c] = [] if minimal == [{}] else minimal  # always: no reading needed
    return out


def make_case_like(case, combo):
    return Case(path=case.path, ruleset=case.ruleset, title=case.title, regions=case.regions,
                officials=case.officials, facts=case.facts, interpretations={**case.interpretations, **combo})


def _expanded(doc) -> dict:
    out = {}
    for e in doc["conclusions"]:
        years = e.get("years", [e.get("year")])
        for y in years:
            entry = dict(e, year=y)
            out[_key(entry)] = [] if e["holds"] == "always" else e["under"]
    return out


ORACLE_CASES = [
    [(COUNTY, 2019, "poppy_plants", 10000), (OTHER, 2019, "labs_busted_elsewhere", 3)],
    [(COUNTY, 2019, "poppy_plants", 5000), (COUNTY, 2019, "provincial_criticisms", 2),
     (COUNTY, 2019, "serious_problems", "cultivation")],
]


@pytest.mark.parametrize("facts", ORACLE_CASES)
def test_matches_a_loop_of_solves(facts):
    fixed = {"city_tier": "untiered", "city_count_basis": "same_year_findings", "designation_lag": "next_year",
             "finding_during_rectification": "upgrade_on_higher_finding", "national_report": "alternative"}
    case = make_case(facts, interpretations=fixed)  # keeps the oracle's loop short
    got = _expanded(readings(case))
    want = _oracle(case)
    assert {k: sorted(map(sorted, map(dict.items, v))) for k, v in got.items()} == \
        {k: sorted(map(sorted, map(dict.items, v))) for k, v in want.items()}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from([COUNTY, OTHER]), st.sampled_from([2019, 2020]),
                          st.sampled_from(["poppy_plants", "labs_busted_elsewhere", "provincial_criticisms"]),
                          st.sampled_from([0, 1, 2, 3, 5000, 10000])),
                unique_by=lambda t: t[:3], min_size=1, max_size=3))
def test_conclusions_under_the_default_readings_are_solves(facts):
    """A conclusion holds under the default readings (always, or one of its minimal sets is part of
    the defaults) exactly when `solve` with the defaults reports it."""
    case = make_case(facts)
    doc = readings(case)
    defaults = {n: options[0] for n, options in doc["interpretations"].items()}
    under_defaults = {k for k, under in _expanded(doc).items()
                      if not under or any(all(defaults.get(n) == o for n, o in p.items()) for p in under)}
    assert under_defaults == _brave(case)


def test_cli_json_text_html(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("format: pydesig-case/1\nruleset: jilin-2019\ntitle: t\nregions:\n"
                    "  - {id: \"220581\", name: 梅河口市, kind: county}\nfacts:\n"
                    "  - {region: \"220581\", year: 2019, poppy_plants: 10000, serious_problems: [cultivation]}\n",
                    encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(main, ["readings", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    assert doc["format"] == "pydesig-readings/1"
    again = runner.invoke(main, ["readings", str(path), "--format", "json"])
    assert again.output == out.output
    text = runner.invoke(main, ["readings", str(path), "--lang", "en"])
    assert text.exit_code == 0 and "band_upper_bound=inclusive" in text.output
    html = tmp_path / "r.html"
    assert runner.invoke(main, ["readings", str(path), "--format", "html", "-o", str(html)]).exit_code == 0
    assert "<table>" in html.read_text(encoding="utf-8")
    bad = runner.invoke(main, ["readings", str(tmp_path / "missing.yaml")])
    assert bad.exit_code == 2


def test_why_says_which_reading_the_conclusion_rests_on(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("format: pydesig-case/1\nruleset: jilin-2019\ntitle: t\nregions:\n"
                    "  - {id: \"220581\", name: 梅河口市, kind: county}\n  - {id: \"220582\", name: 集安市, kind: county}\n"
                    "facts:\n"
                    "  - {region: \"220581\", year: 2019, labs_busted_elsewhere: 3, serious_problems: [manufacturing]}\n"
                    "  - {region: \"220582\", year: 2019, monitoring: prominent, serious_problems: [other]}\n",
                    encoding="utf-8")
    runner = CliRunner()
    hinge = runner.invoke(main, ["why", str(path), "--region", "220581", "--year", "2019", "--lang", "en"])
    assert hinge.exit_code == 0, hinge.output
    last = hinge.output.strip().splitlines()[-1]
    assert last.startswith("Readings: the conclusion rests on") and "highest_tier_wins=highest" in last
    steady = runner.invoke(main, ["why", str(path), "--region", "220582", "--year", "2019", "--format", "json"])
    assert json.loads(steady.output)["readings"]["holds"] == "always"


def test_parts_workers_and_whole_give_the_same_document():
    regions = {"220500": Region("220500", "通化市", "city"), "220581": Region("220581", "梅河口市", "county", "220500"),
               "220200": Region("220200", "吉林市", "city"), "220283": Region("220283", "舒兰市", "county", "220200")}
    facts = [Fact("region", "220581", 2019, "poppy_plants", 10000), Fact("region", "220283", 2019, "labs_busted_elsewhere", 3),
             Fact("region", "220283", 2019, "serious_problems", "manufacturing")]
    case = Case(path="two.yaml", ruleset="jilin-2019", title="two cities", regions=regions, officials={}, facts=facts,
                interpretations={"designation_lag": "next_year", "national_report": "alternative"})
    whole = readings(case, whole=True)
    assert readings(case, workers=1) == whole
    assert readings(case, workers=2) == whole
    assert {"band_upper_bound", "bare_counts"} <= set(whole["interpretations"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(2, 3), min_size=1, max_size=4).flatmap(
    lambda sizes: st.tuples(st.just(sizes), st.sets(st.tuples(*[st.integers(0, n - 1) for n in sizes])))))
def test_minimal_readings_of_a_table_are_its_largest_sub_cubes(sizes_and_rows):
    """The cube merging that gives `under` from a conclusion's table finds exactly the minimal
    sufficient partial readings the brute force of the oracle finds."""
    from pydesig.readings import _minimal_partials

    sizes, rows = sizes_and_rows
    names = tuple(f"i{k}" for k in range(len(sizes)))
    varied = {n: tuple(f"o{v}" for v in range(size)) for n, size in zip(names, sizes)}
    table = {tuple(f"o{v}" for v in row) for row in rows}
    got = _minimal_partials(names, tuple(varied[n] for n in names), table)
    want = _minimal_sufficient(list(names), varied, frozenset(table))
    assert sorted(got) == sorted(tuple(sorted(d.items())) for d in want)


# ----------------------------------------------------------------------------- marks in the report
def test_marks_name_the_reading_in_force_and_the_option_that_undoes_it():
    from pydesig.reading_marks import reading_marks

    case = make_case([(COUNTY, 2019, "labs_busted_elsewhere", 3), (COUNTY, 2019, "serious_problems", "manufacturing"),
                      (OTHER, 2019, "poppy_plants", 12000), (OTHER, 2019, "serious_problems", "cultivation")])
    marks = reading_marks(readings(case))
    mark = marks[("ground", COUNTY, 2019, "notified_warning", "第八条第（三）项")]
    assert mark.rests_on == ((("bare_counts", "at_least"),),) and ("bare_counts", "exactly") in mark.flips
    assert ("ground", OTHER, 2019, "listed_rectification", "第七条第（四）项") not in marks  # holds under every reading


def test_the_report_marks_what_hinges_and_links_to_its_readings(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("format: pydesig-case/1\nruleset: jilin-2019\ntitle: t\nregions:\n"
                    "  - {id: \"220581\", name: 梅河口市, kind: county}\n  - {id: \"220582\", name: 集安市, kind: county}\n"
                    "facts:\n"
                    "  - {region: \"220581\", year: 2019, labs_busted_elsewhere: 3, serious_problems: [manufacturing]}\n"
                    "  - {region: \"220582\", year: 2019, poppy_plants: 12000, serious_problems: [cultivation]}\n",
                    encoding="utf-8")
    out = tmp_path / "report.html"
    run = CliRunner().invoke(main, ["solve", str(path), "--format", "html", "--lang", "en", "--workers", "1", "-o", str(out)])
    assert run.exit_code == 0, run.output
    html = out.read_text(encoding="utf-8")
    grounds = re.findall(r'<div class="ground">(.*?<div class="provision"><span class="label">(.*?)</span>.*?</div>.*?)</div>',
                         html)
    hinging = [g for g, label in grounds if label == "Article 8(3)"]
    assert len(hinging) == 1 and 'href="#reading-bare_counts"' in hinging[0]
    assert "bare_counts=at_least" in hinging[0] and "bare_counts=exactly" in hinging[0]
    steady = [g for g, label in grounds if label == "Article 7(4)"]
    assert len(steady) == 1 and 'class="hinge"' not in steady[0]
    assert '<section id="readings">' in html and 'id="reading-bare_counts"' in html


def test_no_reading_marks_gives_the_same_report_without_them(tmp_path, monkeypatch):
    """--no-reading-marks leaves out the marks and the readings section, and does not run the readings
    analysis at all (its cost on a large dense case); the conclusions and their provisions stay."""
    import pydesig.readings as readings_module

    path = tmp_path / "case.yaml"
    path.write_text("format: pydesig-case/1\nruleset: jilin-2019\ntitle: t\nregions:\n"
                    "  - {id: \"220581\", name: 梅河口市, kind: county}\n"
                    "facts:\n"
                    "  - {region: \"220581\", year: 2019, labs_busted_elsewhere: 3, serious_problems: [manufacturing]}\n",
                    encoding="utf-8")
    marked, plain = tmp_path / "marked.html", tmp_path / "plain.html"
    args = ["solve", str(path), "--format", "html", "--lang", "en", "--workers", "1"]
    assert CliRunner().invoke(main, [*args, "-o", str(marked)]).exit_code == 0
    html = marked.read_text(encoding="utf-8")
    assert 'class="hinge"' in html and '<section id="readings">' in html

    def refuse(*_, **__):
        raise AssertionError("the readings analysis ran")

    monkeypatch.setattr(readings_module, "readings", refuse)
    run = CliRunner().invoke(main, [*args, "--no-reading-marks", "-o", str(plain)])
    assert run.exit_code == 0, run.output
    text = plain.read_text(encoding="utf-8")
    assert 'class="hinge"' not in text and '<section id="readings">' not in text
    assert 'id="reading-bare_counts"' not in text and "Article 8(3)" in text


def test_a_report_narrowed_to_a_region_reads_only_its_part(monkeypatch):
    """``solve --region R --format html`` and the web app's region page mark R's conclusions from
    the readings of R's part alone (nothing joins the parts), and mark them as the full report
    does."""
    import explain.report as report
    from pydesig.narrow import narrow

    other_city = Region("220600", "白山市", "city")
    regions = {**REGIONS, "220600": other_city, "220602": Region("220602", "浑江区", "county", "220600")}
    case = Case(path="two-cities.yaml", ruleset="jilin-2019", title="t", regions=regions, officials={},
                facts=[Fact("region", COUNTY, 2019, "labs_busted_elsewhere", 3),
                       Fact("region", "220602", 2019, "poppy_plants", 12000)])
    result = solve(case, workers=1)
    asked = []
    real = report._marked_case

    def spy(res):
        marked = real(res)
        asked.append(set(marked.regions))
        return marked

    monkeypatch.setattr(report, "_marked_case", spy)
    full = report.report_context(result, "en")
    one = report.report_context(narrow(result, regions=["220602"]), "en")
    assert asked == [set(regions), {"220600", "220602"}]
    for kind, part in (("finding", "findings"), ("status", "status")):
        for entry in one["doc"][part]:
            assert one["hinge"](kind, entry) == full["hinge"](kind, entry)
    assert any(one["hinge"]("finding", e) for e in one["doc"]["findings"])  # 12,000 plants, art6_basis


def test_the_reports_readings_run_where_the_command_says(tmp_path, monkeypatch):
    """``solve --format html --workers 1``: the readings analysis behind the marks runs its parts
    in this process too, not on every core."""
    import pydesig.readings as readings_module

    path = tmp_path / "case.yaml"
    path.write_text("format: pydesig-case/1\nruleset: jilin-2019\ntitle: t\nregions:\n"
                    "  - {id: \"220581\", name: 梅河口市, kind: county}\n"
                    "facts:\n  - {region: \"220581\", year: 2019, poppy_plants: 12000}\n", encoding="utf-8")
    asked = []
    real = readings_module.readings

    def spy(case, **kw):
        asked.append({k: v for k, v in kw.items() if k in ("workers", "scheduler", "whole")})
        return real(case, **kw)

    monkeypatch.setattr(readings_module, "readings", spy)
    run = CliRunner().invoke(main, ["solve", str(path), "--format", "html", "--workers", "1", "-q",
                                    "-o", str(tmp_path / "r.html")])
    assert run.exit_code == 0, run.output
    assert asked == [{"workers": 1, "scheduler": None, "whole": False}]
