"""The HTML report (solve --format html) and the graph export (pydesig graph)."""

from __future__ import annotations

import io
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
import yaml

from explain.api import Explanation
from explain.report import export_graph, graphml_text, to_dot
from pydesig import load_case, solve
from pydesig.render import render_result

REPO = Path(__file__).resolve().parents[1]
DEMOS = [REPO / "kb" / "cases" / "tonghua.yaml", REPO / "kb" / "cases" / "changzhou.yaml"]
HOSTILE = "<script>alert(1)</script>"
VOID = {"meta", "br", "img", "link", "input", "hr", "rect", "path"}


class Checker(HTMLParser):
    """Well-nested tags, nothing that runs or loads, and the text as a reader sees it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.text = [], [], []
        self.tags: dict[str, int] = {}
        self.ids: set[str] = set()
        self.links: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for key, value in attrs:
            if key.startswith("on") or (key in ("src", "href") and value and not value.startswith("#")):
                self.errors.append(f"{tag} {key}={value}")
            if key == "id":
                self.ids.add(value)
            if key == "href":
                self.links.add(value[1:])
        if tag in ("script", "iframe", "object", "embed", "link") or (tag == "style" and self.tags[tag] > 1):
            self.errors.append(f"<{tag}>")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> at {self.getpos()} inside {self.stack[-3:]}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check_html(html: str) -> Checker:
    checker = Checker()
    checker.feed(html)
    checker.close()
    assert not checker.errors, checker.errors[:5]
    assert not checker.stack, checker.stack
    assert checker.links <= checker.ids, sorted(checker.links - checker.ids)[:5]  # every link lands
    return checker


@pytest.fixture(scope="module", params=DEMOS, ids=lambda p: p.stem)
def demo_html(request):
    return render_result(solve(load_case(str(request.param))), "html")


def test_the_report_is_one_offline_well_formed_file(demo_html):
    checker = check_html(demo_html)
    for tag in ("details", "summary", "svg", "table"):
        assert checker.tags.get(tag), tag
    assert demo_html.count("<details class=\"why\">") >= 10  # a justification under the conclusions
    assert 'class="cite"' in demo_html and 'title="第' in demo_html  # the provision's text on hover


def test_the_report_is_deterministic():
    case = load_case(str(DEMOS[1]))
    assert render_result(solve(case), "html") == render_result(solve(case), "html")


def test_every_conclusion_of_the_report_has_its_justification(demo_html):
    assert "no justification available" not in demo_html


def _hostile_case(tmp_path) -> Path:
    doc = {
        "format": "pydesig-case/1", "ruleset": "jilin-2019", "title": '<b>标题</b> & "quotes"',
        "regions": [{"id": "C<1>", "name": "<script>alert('c')</script>", "kind": "city"},
                    {"id": 'A"x&', "name": HOSTILE, "kind": "county", "parent": "C<1>"}],
        "officials": [{"id": "o<i>", "name": "<img src=x onerror=alert(2)>", "region": 'A"x&',
                       "role": "party_secretary", "since": 2010}],
        "facts": [{"region": 'A"x&', "year": 2019, "poppy_plants": 12000, "source": "<a href='http://evil'>src</a>"},
                  {"official": "o<i>", "year": 2019, "neglect": True, "source": "</details><script>x()</script>"}],
    }
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_hostile_names_stay_text(tmp_path):
    case = load_case(str(_hostile_case(tmp_path)))
    html = render_result(solve(case), "html")
    checker = check_html(html)  # no script, no handler, no foreign link: the names did not become markup
    assert "<script" not in html and "<img" not in html and "<a href='http" not in html
    text = "".join(checker.text)
    assert HOSTILE in text and "<img src=x onerror=alert(2)>" in text  # …but they read as written
    assert "</details><script>x()</script>" in text
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert "<script" not in svg and "&lt;script&gt;" in svg


def test_graph_export_graphml_and_dot(tmp_path):
    case = load_case(str(_hostile_case(tmp_path)))
    graph = export_graph(Explanation(case))
    assert graph.number_of_nodes() > 10
    back = nx.read_graphml(io.BytesIO(graphml_text(graph).encode("utf-8")))
    assert set(back.nodes) == set(graph.nodes) and back.number_of_edges() == graph.number_of_edges()
    assert any(d.get("kind") == "rule" and "jilin-2019/art_7/item_4" in d.get("provisions", "")
               for _, d in back.nodes(data=True))
    dot = to_dot(graph)
    assert dot.startswith('digraph "derivations" {') and dot.rstrip().endswith("}")
    # every quote inside an id or attribute is escaped: the unescaped quotes pair up on every line
    for line in dot.splitlines()[3:-1]:
        unescaped = line.replace('\\\\', "").replace('\\"', "")
        assert unescaped.count('"') % 2 == 0, line
        assert "\n" not in line


def test_dot_quotes_ids_and_newlines():
    g = nx.DiGraph()
    g.add_node('a"b\\c\nd', kind="atom", statement='say "hi"\nthere')
    g.add_edge('a"b\\c\nd', "x")
    dot = to_dot(g, "t")
    assert '"a\\"b\\\\c\\nd"' in dot and '"say \\"hi\\"\\nthere"' in dot


def test_cli_graph_and_html_end_to_end(tmp_path):
    run = [sys.executable, "-m", "pydesig"]
    out = tmp_path / "g.graphml"
    subprocess.run([*run, "graph", str(DEMOS[0]), "-o", str(out)], check=True)
    graph = nx.read_graphml(out)
    assert any(n.startswith("finding(") for n in graph.nodes)
    dot = subprocess.run([*run, "graph", str(DEMOS[1]), "--format", "dot", "--scope", "conclusions"],
                         capture_output=True, text=True, check=True).stdout
    assert "provision:changzhou/art_23" in dot
    html = subprocess.run([*run, "solve", str(DEMOS[1]), "--format", "html"], capture_output=True, text=True,
                          check=True).stdout
    check_html(html)
    bad = subprocess.run([*run, "graph", str(tmp_path / "missing.yaml")], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_the_report_explains_every_conclusion_in_few_answer_sets_where_it_holds():
    """One grounding per unit; the conclusions the first answer set lacks (discretionary measures,
    alternative statuses) are covered by a few further answer sets on the same program, and each
    justification comes from an answer set in which its conclusion holds."""
    from clingo import Function, Number, String

    from explain.parts import PartExplanations, _owner
    from explain.report import _conclusion_symbols

    case = load_case(str(DEMOS[0]))
    doc = solve(case).to_json()
    symbols = _conclusion_symbols(doc)
    cx = PartExplanations(case, "zh")
    cx.cover(symbols)
    units = list(cx.built.values())
    lacking = [s for s in symbols if not cx._unit(_owner(s)).first.holds(str(s))]
    assert len(lacking) >= 3
    further = sum(len(u.others) for u in units)
    assert further < len(lacking)  # not one answer set per conclusion
    for s in symbols:
        ex = cx._unit(_owner(s)).for_atom(s)
        assert ex is not None and ex.holds(str(s)), s
    assert sum(len(u.others) for u in units) == further  # every one was covered up front
    none = Function("status", [String("220581"), Number(1990), Function("listed_rectification")])
    assert all(u.for_atom(none) is None for u in units)  # in no lawful outcome: left unexplained
