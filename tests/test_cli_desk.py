"""The CLI narrows and agrees: solve --region/--official/--year, --lang on prose commands, -o on
every printing command, examples in every --help, the text result one section per region."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pydesig import load_case
from pydesig.engine import solve
from pydesig.narrow import narrow
from pydesig.sections import measure_rows, region_sections, year_span

REPO = Path(__file__).resolve().parents[1]
TONGHUA = REPO / "kb" / "cases" / "tonghua.yaml"
CHANGZHOU = REPO / "kb" / "cases" / "changzhou.yaml"


def run(*args):
    return subprocess.run([sys.executable, "-m", "pydesig", *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def full():
    return solve(load_case(str(TONGHUA)))


def test_narrow_to_a_region_keeps_its_officials_and_only_its_entries(full):
    doc = narrow(full, regions=["220581"]).to_json()
    officials = {o.id for o in full.case.officials.values() if o.region == "220581"}
    assert doc["findings"] and all(f["region"] == "220581" for f in doc["findings"] + doc["status"])
    subjects = {next(iter(m["subject"].items())) for m in doc["measures"]}
    assert ("region", "220581") in subjects
    assert {i for k, i in subjects if k == "official"} <= officials and any(k == "official" for k, _ in subjects)
    # nothing about 220581 or its officials is lost
    every = [m for m in full.measures if next(iter(m["subject"].items())) in
             {("region", "220581"), *(("official", o) for o in officials)}]
    assert len(doc["measures"]) == len(every)
    assert list(doc) == list(full.to_json())  # the same shape


def test_narrow_to_years_trims_measure_years(full):
    doc = narrow(full, years=[2021]).to_json()
    assert doc["status"] and all(s["year"] == 2021 for s in doc["status"] + doc["findings"])
    assert doc["measures"] and all(m["years"] == [2021] for m in doc["measures"])
    spanning = [m for m in full.measures if 2021 in m["years"] and len(m["years"]) > 1]
    assert spanning  # the case has measures over several years, so trimming is exercised


def test_narrow_to_an_official_keeps_only_their_entries(full):
    doc = narrow(full, officials=["zhang_wei"]).to_json()
    assert not doc["findings"] and not doc["status"]
    assert doc["measures"] and all(m["subject"] == {"official": "zhang_wei"} for m in doc["measures"])


def test_cli_solve_narrows_by_name_and_json_matches_the_library(full):
    out = run("solve", TONGHUA, "--region", "梅河口市", "--year", 2020, "--year", 2021, "--format", "json")
    assert out.returncode == 0, out.stderr
    by_id = run("solve", TONGHUA, "-r", "220581", "-y", 2020, "-y", 2021, "--format", "json")
    assert out.stdout == by_id.stdout
    doc = json.loads(out.stdout)
    expected = narrow(full, regions=["220581"], years=[2020, 2021]).to_json()
    assert doc["measures"] == expected["measures"] and doc["status"] == expected["status"]
    bad = run("solve", TONGHUA, "--region", "长春市")
    assert bad.returncode == 2 and bad.stdout == "" and "--region" in bad.stderr
    bad = run("solve", TONGHUA, "--official", "nobody")
    assert bad.returncode == 2 and "--official" in bad.stderr


def test_year_span_and_rows():
    assert year_span([2020, 2021, 2022]) == "2020–2022"
    assert year_span([2019, 2021, 2022]) == "2019, 2021–2022"
    c = lambda art: {"instrument": "jilin-2019", "article": art, "paragraph": None, "item": None,  # noqa: E731
                     "label": f"第{art}条", "text": ""}
    base = {"subject": {"official": "p"}, "measure": "no_awards", "modality": "obligatory"}
    rows = measure_rows([(0, {**base, "years": [2020, 2021], "basis": [c(17), c(24)]}),
                         (1, {**base, "years": [2022], "basis": [c(11), c(17), c(24)]}),
                         (2, {**base, "years": [2024], "basis": [c(17)]})])
    assert [r.years for r in rows] == [[2020, 2021, 2022], [2024]]  # a gap starts a new row
    assert [(b["article"], ys) for b, ys in rows[0].bases] == [(11, [2022]), (17, []), (24, [])]
    assert [i for i, _ in rows[0].entries] == [0, 1]


def test_text_result_one_section_per_region(full):
    text = run("solve", TONGHUA).stdout
    sections = region_sections(full.to_json(), full.case)
    headers = [line for line in text.splitlines() if line.startswith("== ")]
    assert len(headers) == len(sections) == len(set(headers))
    assert [h.split()[1] for h in headers] == [s.id for s in sections]
    assert headers[0].startswith("== 220500 通化市")  # the city before its counties
    block = text.split("== 220581 梅河口市")[1].split("\n== ")[0]
    assert "评定" in block and "整治状态" in block and "张伟" in block
    # 张伟's 不得评先受奖 runs across a change of basis (several JSON entries): one row listing the bases by year
    entries = [m for m in full.to_json()["measures"]
               if m["subject"] == {"official": "zhang_wei"} and m["measure"] == "no_awards"]
    years = sorted({y for m in entries for y in m["years"]})
    assert len(entries) > 1 and years == list(range(years[0], years[-1] + 1))
    rows = [line for line in block.splitlines() if "不得评先受奖" in line and "应当" in line]
    assert any(f"{years[0]}–{years[-1]}" in r for r in rows)


def test_lang_en_on_every_prose_command():
    for args in (("solve", TONGHUA), ("solve", TONGHUA, "--format", "markdown"), ("compare", CHANGZHOU),
                 ("outcomes", TONGHUA, "--limit", 1), ("why", TONGHUA, "-r", "220581", "-y", 2019),
                 ("why-not", TONGHUA, "-r", "220582", "-y", 2019, "-l", "notified_warning")):
        zh, en = run(*args, "--lang", "zh"), run(*args, "--lang", "en")
        assert zh.returncode == en.returncode == 0, (args, en.stderr)
        assert zh.stdout != en.stdout
        assert "Jilin" in en.stdout or "Changzhou" in en.stdout or "Article" in en.stdout or "listed" in en.stdout
    assert run("check", "--lang", "en").stdout != run("check", "--lang", "zh").stdout
    assert "Jilin Implementing Rules" in run("demo", "--lang", "en").stdout


@pytest.mark.parametrize("args", [
    ("solve", TONGHUA), ("solve", TONGHUA, "--format", "json"), ("outcomes", TONGHUA, "--limit", 2),
    ("program", TONGHUA), ("schema",), ("schema", "--ruleset", "changzhou"), ("check", "--format", "json"),
    ("compare", TONGHUA), ("why", TONGHUA, "-r", "220581", "-y", 2019),
    ("why-not", TONGHUA, "-r", "220582", "-y", 2019, "-l", "notified_warning"),
    ("graph", TONGHUA, "--scope", "conclusions", "--format", "dot"),
], ids=lambda a: "-".join(map(str, a[:1] + a[2:]))[:40] if isinstance(a, tuple) else str(a))
def test_every_printing_command_writes_what_it_prints(args, tmp_path):
    out = tmp_path / "out.txt"
    printed = run(*args)
    written = run(*args, "-o", out)
    assert printed.returncode == written.returncode == 0, written.stderr
    assert written.stdout == "" and out.read_text(encoding="utf-8") == printed.stdout


def test_demo_writes_with_o(tmp_path):
    out = tmp_path / "demo.txt"
    assert run("demo", "-o", out).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("=== pydesig solve")


def test_every_command_help_has_an_example():
    from pydesig.cli import main

    for name in main.commands:
        help_text = run(name, "--help").stdout
        assert "Examples:" in help_text and f"pydesig {name}" in help_text, name
