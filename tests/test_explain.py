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
    return KB.citation(KB.cited_id(c)) == c


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


def test_why_not_names_the_interpretation_a_rule_needs(demo):
    doc = why_not(demo, region="220524", year=2019, level="notified_warning")
    needs = [r for r in doc["rules"] if r.get("change", {}).get("interpretation") == "bare_counts"]
    assert needs and needs[0]["change"]["to"] == "exactly"


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
