"""`pydesig compare CASE`: one case under both instruments through kb/crosswalk.yaml."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from pydesig import load_case
from pydesig.cli import main
from pydesig.compare import COMPARE_FORMAT, DIFFERENCES, compare, render_compare
from pydesig.paths import kb_dir

TONGHUA = str(kb_dir() / "cases" / "tonghua.yaml")
CHANGZHOU = str(kb_dir() / "cases" / "changzhou.yaml")


@pytest.fixture(scope="module")
def tonghua():
    return compare(load_case(TONGHUA))


@pytest.fixture(scope="module")
def changzhou():
    return compare(load_case(CHANGZHOU))


def _rows(doc, kind, ident):
    key = "region" if kind == "regions" else "official"
    return next(item["rows"] for item in doc[kind] if item[key] == ident)


def _allowed(diff: str) -> bool:
    return diff in DIFFERENCES or diff in ("only_in_jilin-2019", "only_in_changzhou")


@pytest.mark.parametrize("name", ["tonghua", "changzhou"])
def test_shape_and_every_cell_cited(name, request):
    doc = request.getfixturevalue(name)
    assert doc["format"] == COMPARE_FORMAT and doc["instruments"] == ["jilin-2019", "changzhou"]
    for group in ("regions", "officials"):
        for item in doc[group]:
            for row in item["rows"]:
                assert all(_allowed(d) for d in row["differences"])
                present = [rs for rs in doc["instruments"] if row.get(rs)]
                assert present
                for rs in present:
                    assert row[rs]["basis"], (item, row)
                    assert all(c["instrument"] == rs for c in row[rs]["basis"])
                if len(present) == 1:
                    assert row["differences"] == [f"only_in_{present[0]}"]
    assert doc["summary"]["rows"] == sum(len(i["rows"]) for g in ("regions", "officials") for i in doc[g])


def test_jilin_case_translated_to_changzhou(tonghua):
    t = tonghua["translation"]
    assert (t["from"], t["to"]) == ("jilin-2019", "changzhou")
    # tasks_completed is one indicator of both instruments: carried over under its own name
    assert {"from": "tasks_completed", "to": "tasks_completed"}.items() <= t["renamed"][1].items()
    assert "poppy_plants" in {d["indicator"] for d in t["dropped"]}
    assert {"region": "220581", "year": 2020, "from": "listed_rectification", "to": "key_rectification",
            "recorded_year": 2020} in t["states"]
    assert any(s["level"] == "serious_area" for s in t["not_translated"])  # 第四条 city: no counterpart
    state = next(r for r in _rows(tonghua, "regions", "220581") if r["topic"] == "status" and r["year"] == 2020)
    assert state["jilin-2019"]["level"] == "listed_rectification"
    assert state["changzhou"]["level"] == "key_rectification" and state["differences"] == []


def test_differences_marked(tonghua):
    # 梅河口市 2020: no_promotion for the 2-year 挂牌整治 term vs Changzhou's 1-year 重点整治 (default period)
    rows = {r["pair"]: r for r in _rows(tonghua, "officials", "zhang_wei") if r["topic"] == "measure"}
    assert "other_timing" in rows["no_promotion"]["differences"]
    assert rows["no_promotion"]["changzhou"]["years"] == [2020]
    # the leader in charge: 直接责任人 in Jilin, 主要责任人 in Changzhou
    wang = next(o for o in tonghua["officials"] if o["official"] == "wang_qiang")
    assert wang["titles"] == {"jilin-2019": "direct_responsible", "changzhou": "principal_responsible"}
    org = next(r for r in wang["rows"] if r["pair"] == "organizational_handling")
    assert org["differences"] == ["only_in_jilin-2019"] and org["changzhou"] is None


def test_changzhou_case_translated_to_jilin(changzhou):
    t = changzhou["translation"]
    assert (t["from"], t["to"]) == ("changzhou", "jilin-2019")
    assert {"region": "320481", "year": 2019, "from": "key_rectification", "to": "listed_rectification",
            "finding_year": 2018} in t["states"]
    state = next(r for r in _rows(changzhou, "regions", "320481") if r["topic"] == "status" and r["year"] == 2019)
    assert state["jilin-2019"]["level"] == "listed_rectification"
    assert "第十二条" in [c["label"] for c in state["jilin-2019"]["basis"]]
    # Changzhou's demotion / dismissal (第二十六条第二款) against Jilin's discipline without forms
    zhou = {r["pair"]: r for r in _rows(changzhou, "officials", "ly_zhou")}
    assert "other_form" in zhou["discipline"]["differences"]


def test_renderings(tonghua, changzhou):
    case = load_case(TONGHUA)
    text = render_compare(tonghua, "text", case)
    assert text.startswith("pydesig compare") and "≠ 年度不同" in text
    html = render_compare(changzhou, "html", load_case(CHANGZHOU))
    assert html.startswith("<!DOCTYPE html>") and "<table>" in html
    assert json.loads(render_compare(tonghua, "json")) == json.loads(json.dumps(tonghua))


def test_html_escapes_case_text(tmp_path):
    doc = yaml.safe_load(open(TONGHUA, encoding="utf-8"))
    doc["regions"][6]["name"] = "<script>alert(1)</script>"
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    case = load_case(str(path))
    html = render_compare(compare(case), "html", case)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_deterministic(tonghua):
    again = compare(load_case(TONGHUA))
    assert json.dumps(again, ensure_ascii=False) == json.dumps(tonghua, ensure_ascii=False)


def test_cli_compare(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["compare", CHANGZHOU, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["format"] == COMPARE_FORMAT
    out = tmp_path / "c.html"
    assert runner.invoke(main, ["compare", TONGHUA, "--format", "html", "-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = runner.invoke(main, ["compare", str(tmp_path / "missing.yaml")])
    assert bad.exit_code == 2


@pytest.mark.parametrize("fmt", ["text", "html"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_and_html_say_it_in_words(tonghua, changzhou, fmt, lang):
    """No internal label reaches the reader: kinds of difference, rows and instruments in words
    (「仅见于吉林细则」, 「加强禁毒委员会办公室…／建立…禁毒机构队伍体系…」), not ``only_in_jilin-2019``
    or ``strengthen_capacity~drug_bodies``; the JSON keeps the ids."""
    labels = {d for doc in (tonghua, changzhou) for g in ("regions", "officials") for i in doc[g]
              for r in i["rows"] for d in r["differences"]}
    pairs = {r["pair"] for doc in (tonghua, changzhou) for g in ("regions", "officials") for i in doc[g]
             for r in i["rows"] if r.get("pair") and "~" in r["pair"]}
    assert "only_in_jilin-2019" in labels and "strengthen_capacity~drug_bodies" in pairs  # what is at stake
    for doc, path in ((tonghua, TONGHUA), (changzhou, CHANGZHOU)):
        out = render_compare(doc, fmt, load_case(path), lang)
        for label in labels | pairs:
            assert label not in out, (label, fmt, lang)
        assert "~" not in out and "only_in" not in out
        assert ("仅见于" if lang == "zh" else "only under") in out
    rows = render_compare(tonghua, fmt, load_case(TONGHUA), lang)
    if lang == "zh":
        assert "加强禁毒委员会办公室、禁毒专业力量、禁毒社工和志愿者队伍建设／" in rows
        assert "2020年整治状态" in rows and "通化市（220500）" in rows
    else:
        assert "only under Jilin Rules" in rows and "state 2020" in rows
    assert '"only_in_jilin-2019"' in render_compare(tonghua, "json")
