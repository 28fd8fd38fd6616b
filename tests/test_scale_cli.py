"""The scale features end to end: solve --format jsonl, outcomes (open decisions, limit, count,
part by part), and the shared --workers/--whole/--quiet options on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pydesig.cli import main

REPO = Path(__file__).resolve().parents[1]
TONGHUA = str(REPO / "kb" / "cases" / "tonghua.yaml")
ALL_SIX = ["leadership", "safeguards", "groundwork", "enforcement", "education", "alleviation"]


def two_cities(tmp_path) -> str:
    """Two cities, each with a county whose term ends in a real choice (cancel or expire)."""
    regions, facts = [{"id": "P0", "name": "省", "kind": "province"}], []
    for c in range(2):
        regions.append({"id": f"C{c}", "name": f"市{c}", "kind": "city", "parent": "P0"})
        regions.append({"id": f"C{c}X", "name": f"县{c}", "kind": "county", "parent": f"C{c}"})
        facts.append({"region": f"C{c}X", "year": 2018, "poppy_plants": 3000 + c})
        facts.append({"region": f"C{c}X", "year": 2019, "tasks_completed": True, "delisting_conditions_met": ALL_SIX})
    doc = {"format": "pydesig-case/1", "ruleset": "jilin-2019", "title": "两市", "regions": regions, "facts": facts}
    path = tmp_path / "two.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run(*args) -> str:
    result = CliRunner().invoke(main, [*args])
    assert result.exit_code == 0, result.output
    return result.stdout  # stderr may carry the case's warnings (the demo's handover year)


def test_jsonl_is_the_json_document_one_entry_a_line(tmp_path):
    path = two_cities(tmp_path)
    lines = run("solve", path, "--format", "jsonl", "--workers", "1").splitlines()
    header = json.loads(lines[0])
    doc = json.loads(run("solve", path, "--format", "json"))
    assert header == {k: doc[k] for k in ("format", "ruleset", "title", "interpretations")}
    records = [json.loads(line) for line in lines[1:]]
    for key, kind in (("findings", "finding"), ("status", "status"), ("measures", "measure"),
                      ("decisions", "decision"), ("notices", "notice")):
        got = [{k: v for k, v in r.items() if k != "kind"} for r in records if r["kind"] == kind]
        assert sorted(map(json.dumps, got)) == sorted(map(json.dumps, doc.get(key, []))), kind
    # part by part: every entry of C0's part before any of C1's
    owners = [r.get("region") or next(iter(r.get("subject", {"": ""}).values())) for r in records
              if r["kind"] != "notice"]
    assert owners == sorted(owners, key=lambda o: o.startswith("C1"))


def test_jsonl_is_the_same_whole_or_in_parts_and_in_a_file(tmp_path):
    path = two_cities(tmp_path)
    parts = run("solve", path, "--format", "jsonl")
    assert run("solve", path, "--format", "jsonl", "--whole") == parts
    out = tmp_path / "out.jsonl"
    run("solve", path, "--format", "jsonl", "-o", str(out), "--quiet")
    assert out.read_text(encoding="utf-8") == parts


def test_outcomes_say_what_is_open_first_and_count_on_request(tmp_path):
    path = two_cities(tmp_path)
    doc = json.loads(run("outcomes", path, "--format", "json", "--count"))
    points = {(p["subject"]["region"], p["year"]): [o["decision"] for o in p["options"]] for p in doc["open"]}
    assert set(points) == {("C0X", 2020), ("C1X", 2020)} and points[("C0X", 2020)] == points[("C1X", 2020)]
    options = len(points[("C0X", 2020)])
    assert options >= 2 and "cancel" in points[("C0X", 2020)]
    assert all(o["basis"] for p in doc["open"] for o in p["options"])
    # one choice per city, made independently: the product
    assert doc["count"] == options * options and len(doc["outcomes"]) == min(10, doc["count"])
    whole = json.loads(run("outcomes", path, "--format", "json", "--count", "--whole"))
    assert whole == doc
    short = json.loads(run("outcomes", path, "--format", "json", "--limit", "3"))
    assert len(short["outcomes"]) == 3 and short["complete"] is False and "count" not in short
    text = run("outcomes", path, "--limit", "1")
    assert text.index("open decisions (2)") < text.index("decisions in every lawful outcome")
    assert "lawful outcomes: 1 listed (more exist" in text


def test_outcomes_lists_ten_by_default():
    doc = json.loads(run("outcomes", TONGHUA, "--format", "json", "--count"))
    assert doc["count"] == len(json.loads(run("outcomes", TONGHUA, "--format", "json", "--limit", "0"))["outcomes"])
    assert len(doc["outcomes"]) == min(10, doc["count"])


def test_every_solving_command_takes_the_shared_options():
    for command in ("solve", "why", "why-not", "outcomes", "compare", "graph"):
        help_text = run(command, "--help")
        for option in ("--workers", "--scheduler", "--whole", "--quiet"):
            assert option in help_text, (command, option)


def test_no_progress_line_outside_a_terminal(tmp_path):
    result = CliRunner().invoke(main, ["solve", two_cities(tmp_path), "--format", "json", "--workers", "2"])
    assert result.exit_code == 0 and "parts [" not in result.output
    json.loads(result.output)


def test_json_is_written_piece_by_piece_as_the_same_document(tmp_path):
    from pydesig.render import json_chunks

    path = two_cities(tmp_path)
    text = run("solve", path, "--format", "json")
    doc = json.loads(text)
    pieces = list(json_chunks(doc))
    assert "".join(pieces) == text and len(pieces) > len(doc)
    # one entry of each list a line
    assert all(json.loads(line.strip().rstrip(",")) for line in text.splitlines() if line.startswith("    "))
    out = tmp_path / "out.json"
    run("solve", path, "--format", "json", "-o", str(out))
    assert out.read_text(encoding="utf-8") == text
