"""Hostile text in every output format (issue 14): program text, GraphML, markdown, plain text.

The loader refuses control characters in ids and names, so a case here is loaded clean and then
given hostile names in memory: the renderers must hold even for a case built by a library user."""

from __future__ import annotations

import dataclasses
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import clingo
import networkx as nx
import pytest

from pydesig import load_case, solve
from pydesig.program import program_text
from pydesig.render import render_result

BASIC = """format: pydesig-case/1
ruleset: jilin-2019
title: 示例
regions:
  - {id: A, name: 甲县, kind: county}
  - {id: B, name: 乙县, kind: county}
facts:
  - {region: A, year: 2019, poppy_plants: 12000}
  - {region: B, year: 2019, poppy_plants: 6000}
"""


def _renamed(case, names: dict, title: str | None = None):
    regions = {rid: dataclasses.replace(r, name=names.get(rid, r.name)) for rid, r in case.regions.items()}
    return dataclasses.replace(case, regions=regions, title=case.title if title is None else title)


@pytest.fixture
def basic(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(BASIC, encoding="utf-8")
    return load_case(path)


def _answer(text: str) -> list[str]:
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], text)
    ctl.ground([("base", [])])
    models = []
    ctl.solve(on_model=lambda m: models.append(sorted(map(str, m.symbols(shown=True)))))
    return models[-1] if models else None


def test_program_text_never_carries_the_file_name_raw(tmp_path, basic):
    evil = tmp_path / "x\n:- true.\r%\u2028.yaml"
    evil.write_text(BASIC, encoding="utf-8")
    text = program_text(load_case(evil))
    comment = [line for line in text.splitlines() if line.startswith("%%% facts of")]
    assert comment == ["%%% facts of x\\n:- true.\\r%\\u2028.yaml"]
    assert _answer(text) is not None  # satisfiable, as solve says
    assert _answer(text) == _answer(program_text(basic))


def test_graphml_is_well_formed_whatever_a_name_holds(basic):
    from explain.api import Explanation
    from explain.report import export_graph, graphml_text

    case = _renamed(basic, {"A": "甲\x1b[1m县\x00\x07"})
    text = graphml_text(export_graph(Explanation(case, "zh")))
    ET.fromstring(text.encode("utf-8"))  # raises on ill-formed XML
    back = nx.read_graphml(io.BytesIO(text.encode("utf-8")))
    assert any("甲\\x1b[1m县\\x00\\x07" in str(v) for _, d in back.nodes(data=True) for v in d.values())


def _table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("|")]


def _cells(row: str) -> int:
    return len(re.findall(r"(?<!\\)\|", row))


def test_markdown_keeps_hostile_names_as_text(basic):
    case = _renamed(basic, {"A": "<script>alert(1)</script>", "B": "[click](javascript:alert(1)) a|b\nc"},
                    title="<img src=x onerror=alert(1)>")
    md = render_result(solve(case), "markdown")
    assert not re.search(r"(?<!\\)<(script|img)", md) and "\\<script\\>" in md
    assert "](javascript:" not in md
    rows = _table_rows(md)
    assert rows and all(_cells(r) == _cells(rows[0]) or r.startswith("| ---") for r in rows[:3])
    for table in re.split(r"\n\n+", md):
        counts = {_cells(r) for r in _table_rows(table)}
        assert len(counts) <= 1, table  # every row of a table has as many cells as its header
    plain = render_result(solve(basic), "markdown")
    assert len(md.splitlines()) == len(plain.splitlines())


def test_text_output_keeps_one_record_a_line(basic):
    case = _renamed(basic, {"A": "甲县\n  B 假县  2019  挂牌整治 (listed_rectification)"}, title="t\nFINDINGS (99)")
    text = render_result(solve(case), "text")
    plain = render_result(solve(basic), "text")
    assert len(text.splitlines()) == len(plain.splitlines())
    assert "FINDINGS (99)" not in text.splitlines()
    assert "甲县\\n  B 假县" in text
