"""第四条、第六条至第九条: one declarative scenario per provision, both sides of every threshold.

Each file in tests/scenarios/jilin-criteria holds a case and, for some region-years, the level
the facts must give (``null``: no finding) and the exact set of provisions met.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

SCENARIOS = sorted((Path(__file__).parent / "scenarios" / "jilin-criteria").glob("*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario(path, solve_case):
    scenario = yaml.safe_load(path.read_text(encoding="utf-8"))
    result = solve_case(scenario["case"])
    findings = {(f["region"], f["year"]): f for f in result.findings}
    for expected in scenario["expect"]:
        key = (expected["region"], expected["year"])
        finding = findings.get(key)
        if expected["level"] is None:
            assert finding is None, f"{key}: expected no finding, got {finding and finding['level']}"
            continue
        assert finding is not None, f"{key}: expected {expected['level']}, got no finding"
        assert finding["level"] == expected["level"]
        labels = sorted({g["citation"]["label"] for g in finding["grounds"]})
        assert labels == sorted(expected["grounds"])


def test_every_item_of_articles_7_to_9_has_a_scenario():
    from pydesig.kb import knowledge_base

    covered = set()
    for path in SCENARIOS:
        for e in yaml.safe_load(path.read_text(encoding="utf-8"))["expect"]:
            covered.update(e.get("grounds", []))
    items = [p.label for p in knowledge_base() if p.instrument == "jilin-2019" and p.article in (7, 8, 9) and p.item]
    assert items and set(items) <= covered


def test_grounds_cite_the_contract_citation_object(solve_case):
    case = yaml.safe_load((SCENARIOS[0].parent / "art07_4_poppies.yaml").read_text(encoding="utf-8"))["case"]
    finding = next(f for f in solve_case(case).findings if f["region"] == "B")
    assert finding["grounds"][0]["citation"] == {
        "instrument": "jilin-2019", "article": 7, "paragraph": None, "item": 4,
        "label": "第七条第（四）项",
        "text": "禁种铲毒责任落实不到位，年内被国家或省禁毒委员会累计发现非法种植罂粟10000株及以上或涉种地块500处及以上的；非法种植毒品原植物连续3年被国家或省禁毒委员会监测发现的。",
    }
