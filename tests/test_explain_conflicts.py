"""Conflicting fixed decisions: the smallest set that leaves no lawful outcome (issue 11, item 6)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from explain.conflicts import conflicting_decisions
from pydesig import load_case
from pydesig.cli import main

DEMO = Path(__file__).resolve().parents[1] / "kb" / "cases" / "tonghua.yaml"


def test_the_smallest_conflicting_set_is_named_with_its_provisions():
    case = load_case(str(DEMO))
    assert len(case.decisions) > 5
    assert conflicting_decisions(case) is None  # the demo's decisions admit an outcome
    case.decisions = [*case.decisions, {"region": "220581", "year": 2022, "decision": "upgrade",
                                        "record": "--decide 220581:2022:upgrade"}]
    found = conflicting_decisions(case)
    named = {(d.get("region"), d["year"], d["decision"]) for d in found["decisions"]}
    # 挂牌整治 cannot be upgraded: upgrade alone is no lawful option, so it alone is the set
    assert named == {("220581", 2022, "upgrade")}
    assert found["decisions"][0]["lawful_option"] is False
    assert found["decisions"][0]["citation"]["label"] == "第十一条第一款"


def test_two_lawful_options_that_exclude_each_other(tmp_path):
    case = load_case(str(DEMO))
    case.decisions = [*case.decisions, {"region": "220581", "year": 2022, "decision": "report_national",
                                        "record": "--decide 220581:2022:report_national"}]
    found = conflicting_decisions(case)
    named = [(d.get("region") or d.get("official"), d["year"], d["decision"]) for d in found["decisions"]]
    # reporting 梅河口市 for national rectification excludes extending it (第十一条第一款: one of
    # them) and, ending the provincial term, 张伟's 第二十五条 discipline: either pair is a smallest set
    assert len(named) == 2 and ("220581", 2022, "report_national") in named
    assert all(d["lawful_option"] for d in found["decisions"])
    picked = [d for d in case.decisions if (d.get("region") or d.get("official"), d["year"], d["decision"]) in named]
    alone = load_case(str(DEMO))
    alone.decisions = picked
    assert conflicting_decisions(alone) is not None  # the set conflicts by itself
    for d in picked:  # and is smallest: each of its decisions alone admits an outcome
        alone.decisions = [d]
        assert conflicting_decisions(alone) is None
    result = CliRunner().invoke(main, ["solve", str(DEMO), "--decide", "220581:2022:report_national"])
    assert result.exit_code == 2
    assert "smallest set that conflicts" in result.output and "220581:2022:report_national" in result.output
    assert "220521" not in result.output.split("conflicts:")[1]  # the other decisions are not blamed
