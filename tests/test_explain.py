"""Explanations: trees are well-formed and cited, why-not agrees with solve, CLI end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explain import render, why, why_not
from explain.render import render_why_not
from pydesig import load_case, solve
from pydesig.kb import knowledge_base

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "kb" / "cases" / "tonghua.yaml"
KB = knowledge_base()


def _walk(node, depth=0):
    yield node, depth
    for child in node.get("children", []):
        yield from _walk(child, depth + 1)


def _cited(c):
    plain = {k: v for k, v in c.items() if k != "quote"}  # quote: the words of text that applied
    return KB.citation(KB.cited_id(c)) == plain and all(
        "".join(q.split()) in "".join(c["text"].split()) for q in c.get("quote", ()))


@pytest.fixture(scope="module")
def demo():
    return load_case(str(DEMO))


@pytest.fixture(scope="module")
def demo_findings(demo):
    return solve(demo).findings


def test_every_finding_of_the_demo_has_a_well_formed_cited_tree(demo, demo_findings):
    assert demo_findings
    for f in demo_findings:
        for lang in ("zh", "en"):
            tree = why(demo, region=f["region"], year=f["year"], lang=lang)
            for node, _ in _walk(tree):
                assert node["statement"]
                assert all(_cited(c) for c in node["citations"]), node["statement"]
                is_leaf = not node.get("children")
                if is_leaf:
                    assert "fact" in node or "interpretation" in node or node["citations"], node
                else:
                    assert node["citations"], f"derived node without a provision: {node['statement']}"
                if "fact" in node:
                    assert set(node["fact"]) >= {"indicator", "value", "year", "source"}


def test_evidence_leaves_carry_the_source(demo):
    tree = why(demo, region="220581", year=2019)
    facts = [n["fact"] for n, _ in _walk(tree) if "fact" in n and n["fact"]["indicator"] == "poppy_plants"]
    assert {"indicator": "poppy_plants", "value": 12000, "year": 2019,
            "source": "省禁毒委2019年禁种铲毒专项行动通报（吉禁毒委〔2019〕12号）"}.items() <= facts[0].items()


def test_three_consecutive_years_read_as_one_argument(demo):
    text = render(why(demo, region="220521", year=2019, lang="zh"), "text", "zh")
    for year in (2017, 2018, 2019):
        assert f"{year}年非法种植毒品原植物被国家或省禁毒委员会监测发现" in text
    assert "第七条第（四）项" in text


def test_english_justification_uses_english_citations(demo):
    text = render(why(demo, region="220581", year=2019, lang="en"), "text", "en")
    assert "Article 7(4) of the Jilin Rules" in text and "12000 plants ≥ 10000" in text


def test_why_not_reports_actual_required_and_smallest_change(demo):
    doc = why_not(demo, region="220582", year=2019, level="notified_warning", lang="en")
    assert doc["holds"] is False
    poppies = [r for r in doc["rules"] if r.get("change", {}).get("indicator") == "poppy_plants"
               and "delta" in r["change"]]
    assert poppies[0]["change"] == {"indicator": "poppy_plants", "year": 2019, "from": 4999, "to": 5000, "delta": 1}
    assert poppies[0]["citations"][0]["label"] == "第八条第（五）项"
    text = render_why_not(doc, "text", "en")
    assert "4999" in text and "+1" in text


def test_why_not_suggests_a_reading_only_where_solving_under_it_gives_the_level(demo):
    """柳河县 2019: the 第八条第（三）项 clause reads differently under bare_counts=exactly, but
    solving under that reading does not give 通报警示, so the switch is not suggested."""
    import dataclasses

    doc = why_not(demo, region="220524", year=2019, level="notified_warning")
    switched = dataclasses.replace(demo, interpretations={**demo.interpretations, "bare_counts": "exactly"})
    assert not any(f["region"] == "220524" and f["year"] == 2019 and f["level"] == "notified_warning"
                   for f in solve(switched).findings)
    readings = [a for r in doc["rules"] for a in r["alternatives"] if "interpretation" in a.get("change", {})]
    assert not readings
    assert any(a.get("failed", {}).get("required") == "exactly" for r in doc["rules"] for a in r["alternatives"])
    text = render_why_not(doc, "text", "zh")  # the reading that would not help is not put to the reader
    assert "bare_counts=exactly" not in text and "第八条第（三）项：不符合" in text
    for c in doc["changes"]:  # every suggested change of reading is one solving confirms
        if "interpretation" in c:
            again = dataclasses.replace(demo, interpretations={**demo.interpretations, c["interpretation"]: c["to"]})
            assert any(f["region"] == "220524" and f["level"] == "notified_warning" for f in solve(again).findings)


def test_why_not_lists_each_item_once_with_its_alternatives_inside(demo):
    doc = why_not(demo, region="220581", year=2019, level="notified_warning")
    labels = [r["citations"][0]["label"] for r in doc["rules"]]
    assert len(labels) == len(set(labels)), labels
    item5 = next(r for r in doc["rules"] if r["citations"][0]["label"] == "第八条第（五）项")
    assert item5["holds"] and len(item5["alternatives"]) > 1


def test_why_not_ranks_the_smallest_changes_and_shows_ties(demo):
    """集安市 2019: 4999 → 5000 poppies is smaller than any count moved from nothing."""
    doc = why_not(demo, region="220582", year=2019, level="notified_warning", lang="en")
    assert [c["indicator"] for c in doc["smallest_changes"]] == ["poppy_plants"]
    assert doc["changes"][0] == doc["smallest_change"]
    doc = why_not(demo, region="220524", year=2019, level="notified_warning")
    assert len(doc["smallest_changes"]) > 1  # from nothing to something: all equally small
    text = render_why_not(doc, "text", "zh")
    assert "同等最小" in text and "labs_busted" not in text


def test_why_not_is_short_when_the_level_is_held(demo):
    doc = why_not(demo, region="220581", year=2019, level="listed_rectification")
    assert doc["holds"] and "changes" not in doc
    assert all(r["holds"] for r in doc["rules"])
    assert len(render_why_not(doc, "text", "zh").splitlines()) <= 4


def _case(poppies: int, plots: int) -> dict:
    return {"format": "pydesig-case/1", "ruleset": "jilin-2019",
            "regions": [{"id": "C", "name": "市", "kind": "city"}, {"id": "A", "name": "县", "kind": "county", "parent": "C"}],
            "facts": [{"region": "A", "year": 2019, "poppy_plants": poppies, "planting_plots": plots}]}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(poppies=st.sampled_from([0, 1, 2999, 3000, 4999, 5000, 9999, 10000, 12000]),
       plots=st.sampled_from([0, 99, 100, 199, 200, 499, 500]),
       level=st.sampled_from(["listed_rectification", "notified_warning", "key_attention"]))
def test_why_not_agrees_with_solve(tmp_path, poppies, plots, level):
    path = tmp_path / "c.yaml"
    path.write_text(yaml.safe_dump(_case(poppies, plots), allow_unicode=True), encoding="utf-8")
    case = load_case(str(path))
    found = {f["level"] for f in solve(case).findings if f["region"] == "A"}
    doc = why_not(case, region="A", year=2019, level=level)
    assert doc["holds"] == (level in found)
    if not doc["holds"] and "smallest_change" in doc:
        change = doc["smallest_change"]
        assert change["to"] != change["from"]


def test_cli_why_and_why_not_end_to_end(tmp_path):
    run = [sys.executable, "-m", "pydesig"]
    out = subprocess.run([*run, "why", str(DEMO), "--region", "220581", "--year", "2019", "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    tree = json.loads(out)
    assert tree["statement"] and tree["citations"]
    out = subprocess.run([*run, "why-not", str(DEMO), "-r", "220582", "-y", "2019", "-l", "listed_rectification",
                          "--lang", "en"], capture_output=True, text=True, check=True).stdout
    assert "met no criterion of listed rectification" in out
    bad = subprocess.run([*run, "why-not", str(DEMO), "-r", "220582", "-y", "2019", "-l", "no_such_level"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown level" in bad.stderr and "Traceback" not in bad.stderr


def test_a_fixed_decision_is_evidence_with_its_record_and_source(demo):
    tree = why(demo, region="220581", year=2022)
    leaves = [n for n, _ in _walk(tree) if n.get("fact", {}).get("indicator") == "decision"]
    assert leaves, "the fixed decision is not among the evidence"
    fact = leaves[0]["fact"]
    assert fact["value"] == "extend" and fact["year"] == 2022
    index = next(i for i, d in enumerate(yaml.safe_load(DEMO.read_text(encoding="utf-8"))["decisions"])
                 if d.get("region") == "220581" and d["year"] == 2022 and d["decision"] == "extend")
    assert fact["source"].startswith("省禁毒委2021年重点整治考评验收意见")
    assert fact["record"].startswith(f"decisions[{index}] (line ")
    text = render(tree, "text", "zh")
    assert f"案卷decisions[{index}] (line" in text.split("二、理由")[0]


def test_why_without_a_year_explains_every_year(demo):
    """`why --official P --measure M` without --year: each year of the measure, years together;
    `why --region R` without --year: its timeline."""
    from explain.render import linearize

    tree = why(demo, official="li_na", measure="no_promotion")
    years = [c["statement"][:4] for c in linearize(tree, "zh")["conclusions"]]
    measures = solve(demo).measures
    expected = sorted({y for m in measures if m["subject"] == {"official": "li_na"} and m["measure"] == "no_promotion"
                       for y in m["years"]})
    assert [int(y) for y in years] == expected and len(expected) > 1
    assert tree["statement"].startswith("、".join(map(str, expected)))
    timeline = linearize(why(demo, region="220581"), "zh")["conclusions"]
    status_years = sorted({s["year"] for s in solve(demo).status if s["region"] == "220581"})
    assert all(any(f"{y}年" in c["statement"] for c in timeline) for y in status_years)
    out = subprocess.run([sys.executable, "-m", "pydesig", "why", str(DEMO), "--official", "li_na",
                          "--measure", "no_promotion"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("结论：" + "、".join(map(str, expected)))


def test_why_not_an_official_did_not_receive_a_measure(demo):
    """李娜 took the post in 2019, 梅河口市 was listed in 2020: 第二十四条第二款's two years are not met."""
    doc = why_not(demo, official="li_na", measure="discipline", year=2020)
    assert not doc["holds"]
    art24 = next(r for r in doc["rules"] if r["citations"][0]["label"] == "第二十四条第二款")
    assert art24["years"] == [2020]
    # tenure_count=calendar_years (the default, as Changzhou reads the same words): 2020 − 2019 = 1, one short
    assert art24["failed"][-1]["actual"] == 1 and art24["failed"][-1]["required"] == "≥ 2"
    text = render_why_not(doc, "text", "zh")
    assert "2年及以上" in text and "held_two_years" not in text
    held = why_not(demo, official="zhang_wei", measure="discipline", year=2020)
    assert held["holds"] and not held["rules"]
    out = subprocess.run([sys.executable, "-m", "pydesig", "why-not", str(DEMO), "--official", "li_na",
                          "--measure", "discipline"], capture_output=True, text=True)
    assert out.returncode == 0 and "第二十四条第二款" in out.stdout


def _identifiers(text: str) -> list[str]:
    """Program words left in prose: predicate or value ids (``circ22``, ``in_post``), a bare
    comparison (``要求= 2020``); a reading named by id and option (``bare_counts=exactly``) is how
    users switch it, and allowed."""
    import re

    plain = re.sub(r"\b\w+=\w+\b", "", text)
    return re.findall(r"\b[a-z]+\d+\b|\b[a-z]+_[a-z_]+\b|要求=|required =", plain)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_why_not_for_an_official_gives_only_grounds_of_that_measure_in_words(demo, lang):
    """赵敏 and 党纪政务处分: 第二十四条第一款 gives 不得评先受奖 and 不得提拔 only, so it is no ground
    to list (its first failing condition read like a reason); every line is words."""
    doc = why_not(demo, official="zhao_min", measure="discipline", lang=lang)
    labels = {c["label"] for r in doc["rules"] for c in r["citations"]}
    assert "第二十四条第二款" in labels and "第二十四条第一款" not in labels
    text = render_why_not(doc, "text", lang)
    assert not _identifiers(text), _identifiers(text)


def test_why_not_for_a_changzhou_official_in_words():
    """孙立 and 党纪政务处分 under Changzhou: 第二十二条 sanctions member units by criticism, order and
    interview, not by discipline; the chains down the rules are stated, not named by predicate."""
    case = load_case(str(REPO / "kb" / "cases" / "changzhou.yaml"))
    doc = why_not(case, official="ly_sun", measure="discipline", lang="en")
    assert "第二十二条" not in {c["label"] for r in doc["rules"] for c in r["citations"]}
    text = render_why_not(doc, "text", "en")
    assert doc["rules"] and not _identifiers(text), _identifiers(text)
