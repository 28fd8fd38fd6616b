"""What the HTML report and ``pydesig graph`` draw from the explanations of a whole case.

* :func:`report_context`: for ``pydesig solve CASE --format html``, a justification tree under
  every finding, status, measure and duty of the result (one :class:`~explain.api.Explanation` per
  case; a discretionary conclusion that answer set does not take is explained in an outcome that
  does), the timeline per region, and the derivation graph as inline SVG;
* :func:`conclusion_graph`: the derivation graph restricted to conclusions and the provisions
  they rest on (networkx), laid out in layers by :func:`layered_svg`;
* :func:`export_graph` / :func:`to_dot`: the whole derivation graph with string attributes, for
  ``nx.write_graphml`` and for Graphviz.

Everything is sorted so that the same case gives the same bytes.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict

import networkx as nx
from clingo import Function, Number, String
from markupsafe import Markup, escape

from pydesig.bridge import parse_atom
from pydesig.kb import knowledge_base
from pydesig.model import Case

from .api import Explanation
from .parts import PartExplanations
from .graph import predicate_of

__all__ = ["report_context", "conclusion_graph", "layered_svg", "export_graph", "to_dot", "graphml_text",
           "CaseExplanations"]

CONCLUSIONS = ("finding/3", "status/3", "measure/4")
DRAWN = (*CONCLUSIONS, "duty_unmet/3")  # the graph also shows the unmet duties measures follow from


def _subject_symbol(subject: dict):
    kind, ident = next(iter(subject.items()))
    return Function(kind, [String(ident)])


class CaseExplanations:
    """Explanations of a case: the first answer set, and further ones for conclusions that only
    other lawful outcomes carry (found one assumption at a time, each reused for all it covers)."""

    def __init__(self, case: Case, lang: str = "zh"):
        self.case, self.lang = case, lang
        self.first = Explanation(case, lang)
        self.others: list[Explanation] = []

    def for_atom(self, symbol) -> Explanation | None:
        text = str(symbol)
        for ex in (self.first, *self.others):
            if ex.holds(text):
                return ex
        try:
            ex = Explanation(self.case, self.lang, assumptions=[symbol])
        except Exception:  # noqa: BLE001 - no lawful outcome carries it: leave it unexplained
            return None
        self.others.append(ex)
        return ex

    def tree(self, symbol) -> dict | None:
        ex = self.for_atom(symbol)
        return ex.tree(str(symbol)) if ex else None

    def measure_tree(self, subject: dict, measure: str, year: int, provision: str) -> dict | None:
        symbol = Function("measure", [_subject_symbol(subject), Function(measure), Number(year), String(provision)])
        ex = self.for_atom(symbol)
        if ex is None:
            return None
        kind, ident = next(iter(subject.items()))
        return ex.measure_tree((kind, ident), measure, year)


# ------------------------------------------------------------------------------------------------
# Justification trees for HTML: each node once per tree, repeats named and linked.

def html_tree(tree: dict | None, prefix: str, links: dict[int, tuple[str, str]] | None = None) -> dict | None:
    """``tree`` with every node numbered within it; a node met again is a reference to the first,
    and a node that is another conclusion of the report (``links``: node → its section and its
    title) is a link to that conclusion's own justification rather than a copy of it."""
    if tree is None:
        return None
    links = links or {}
    numbers: dict[int, str] = {}

    def walk(node, path, root=False):
        key = id(node)
        if key in numbers:
            return {"statement": node["statement"], "ref": numbers[key]}
        if not root and key in links and links[key][0] != prefix:
            return {"statement": node["statement"], "link": links[key][0]}
        anchor = f"{prefix}-{path}"
        numbers[key] = anchor
        out = {"anchor": anchor, "statement": node["statement"], "citations": node.get("citations", []),
               "checks": node.get("checks", []), "premises": node.get("premises", []),
               "interpretation": node.get("interpretation", []), "fact": node.get("fact"),
               "alternatives": node.get("alternatives", [])}
        out["children"] = [walk(c, f"{path}.{i}") for i, c in enumerate(node.get("children", []), 1)]
        return out

    return walk(tree, "1", root=True)


# ------------------------------------------------------------------------------------------------
# The derivation graph, restricted to conclusions and provisions.

def _conclusion_key(atom: str) -> tuple[str, str] | None:
    """Conclusions are drawn one node per finding and status, one per measure on a subject (all
    its years and provisions together) and one per unmet duty.  A year of a Jilin term (st/5) is
    drawn as the status it gives, so that a status rests on the status of the year before."""
    pred = predicate_of(atom)
    if pred not in DRAWN and pred != "st/5":
        return None
    name, args = parse_atom(atom)
    if name == "measure":
        (kind, ident), measure, _, _ = args
        return ("measure", f"measure:{kind}:{ident}:{measure}")
    if name == "st":
        name = "status"
    return (name, f"{name}:{args[0]}:{args[1]}:{args[2]}")


def conclusion_graph(explanations: list[Explanation], lang: str = "zh") -> nx.DiGraph:
    """Conclusions (findings, statuses, measures per subject) and provisions: an edge from a
    provision to each conclusion a rule citing it derives, and from a conclusion to each conclusion
    derived from it (through any steps that are not conclusions)."""
    kb = knowledge_base()
    graph = nx.DiGraph()
    years: dict[str, set] = defaultdict(set)

    def ensure(atom: str, say) -> str:
        kind, key = _conclusion_key(atom)
        name, args = parse_atom(atom)
        if "label" not in graph.nodes.get(key, {}):
            if kind == "measure":
                (skind, ident), measure, _, _ = args
                who = say.official(ident) if skind == "official" else say.region(ident)
                label = f"{who}：{kb.term('measures', measure, lang)}" if lang == "zh" else \
                    f"{kb.term('measures', measure, lang)}: {who}"
            elif name == "st":
                label = say(str(Function("status", [String(args[0]), Number(args[1]), Function(args[2])])))
            else:
                label = say(atom)
            graph.add_node(key, kind=kind, label=label, title=label)
        if kind == "measure":
            years[key].add(args[2])
        return key

    def provision(pid: str) -> str:
        key = f"provision:{pid}"
        if key not in graph:
            p = kb.get(pid)
            label = p.label if lang == "zh" else p.label_en
            graph.add_node(key, kind="provision", label=label,
                           title=f"{label} {p.zh if lang == 'zh' else p.en}")
        return key

    for ex in explanations:
        full = ex.derivations.graph
        atoms = sorted(n for n in full.nodes if isinstance(n, str) and predicate_of(n) in DRAWN)
        for atom in atoms:
            key = ensure(atom, ex.speaker)
            # backwards from the atom to the provisions of its rules and to earlier conclusions
            seen, stack = {atom}, [atom]
            while stack:
                current = stack.pop()
                for rule in full.predecessors(current):
                    if current == atom:
                        for pid in full.nodes[rule]["instance"].provisions:
                            graph.add_edge(provision(pid), key)
                    for body in full.predecessors(rule):
                        if body in seen:
                            continue
                        seen.add(body)
                        other = ensure(body, ex.speaker) if _conclusion_key(body) else None
                        if other is not None and other != key:
                            graph.add_edge(other, key)
                        elif full.in_degree(body):  # a step of no conclusion, or of this one
                            stack.append(body)
    for key, ys in years.items():
        shown = ", ".join(map(str, sorted(ys)))
        data = graph.nodes[key]
        data["label"] += f"（{shown}）" if lang == "zh" else f" ({shown})"
        data["title"] = data["label"]
    return graph


_COLORS = {"provision": "#e8eef7", "finding": "#fff4d6", "status": "#fde2e1", "measure": "#e3f2e1",
           "duty_unmet": "#efe3f6"}


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` half-width units (a CJK character counts two), with an ellipsis."""
    used, out = 0, []
    for ch in text:
        w = 2 if ord(ch) > 0x2E80 else 1
        if used + w > width - 1:
            return "".join(out) + "…"
        used += w
        out.append(ch)
    return text


def layered_svg(graph: nx.DiGraph, width_per_layer: int = 290, row: int = 26) -> Markup:
    """The graph as inline SVG: a node's layer is the longest path to it from a source (provisions
    left, conclusions that rest on others further right), ordered in each layer by where the nodes
    it rests on stand; every text escaped, the full statement or provision text in <title>."""
    if not graph:
        return Markup("")
    order = list(nx.lexicographical_topological_sort(graph)) if nx.is_directed_acyclic_graph(graph) \
        else sorted(graph.nodes)
    layer: dict[str, int] = {}
    for n in order:
        preds = [layer[p] for p in graph.predecessors(n) if p in layer]
        layer[n] = max(preds) + 1 if preds else 0
    layers: dict[int, list[str]] = defaultdict(list)
    for n in order:
        layers[layer[n]].append(n)
    position: dict[str, int] = {}
    for k in sorted(layers):
        def barycentre(n):
            ps = [position[p] for p in graph.predecessors(n) if p in position]
            return (sum(ps) / len(ps) if ps else -1, n)
        layers[k].sort(key=barycentre)
        for i, n in enumerate(layers[k]):
            position[n] = i
    box_w, box_h = width_per_layer - 40, row - 6
    height = (max(len(v) for v in layers.values()) + 1) * row
    width = (max(layers) + 1) * width_per_layer
    xy = {n: (10 + layer[n] * width_per_layer, 10 + position[n] * row) for n in graph.nodes}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-size="11" role="img">']
    for u, v in sorted(graph.edges):
        x1, y1 = xy[u][0] + box_w, xy[u][1] + box_h / 2
        x2, y2 = xy[v][0], xy[v][1] + box_h / 2
        mid = (x1 + x2) / 2
        out.append(f'<path class="edge" d="M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}" '
                   f'fill="none" stroke="#8894a8" stroke-opacity="0.45"/>')
    for n in sorted(graph.nodes):
        data = graph.nodes[n]
        x, y = xy[n]
        label = data["label"].replace("\n", " ")
        short = _clip(label, (box_w - 10) // 6)
        out.append(f'<g class="node {escape(data["kind"])}"><title>{escape(data["title"])}</title>'
                   f'<rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="4" '
                   f'fill="{_COLORS.get(data["kind"], "#eee")}" stroke="#667"/>'
                   f'<text x="{x + 5}" y="{y + box_h - 6}">{escape(short)}</text></g>')
    out.append("</svg>")
    return Markup("".join(out))


# ------------------------------------------------------------------------------------------------
# Export

def export_graph(ex: Explanation) -> nx.DiGraph:
    """The whole derivation graph of ``ex`` with plain string attributes: atoms (id: the atom as
    clingo prints it) and rule instances (id ``rule:N``, numbered in the order of their atoms),
    with edges ``premise`` (body atom → rule) and ``derives`` (rule → atom)."""
    full = ex.derivations.graph
    kb = knowledge_base()
    out = nx.DiGraph()
    atoms = sorted(n for n in full.nodes if isinstance(n, str))
    rules = sorted((n for n in full.nodes if not isinstance(n, str)), key=lambda n: n[1])
    for atom in atoms:
        inputs = ex.derivations.is_input(atom)
        out.add_node(atom, kind="atom", predicate=predicate_of(atom), statement=ex.justifier.statement(atom),
                     input=inputs, conclusion=predicate_of(atom) in CONCLUSIONS)
    names = {}
    for i, node in enumerate(rules, 1):
        inst = full.nodes[node]["instance"]
        site = inst.rule.site
        name = f"rule:{i}"
        names[node] = name
        out.add_node(name, kind="rule", provisions=" ".join(site.provisions),
                     labels=" ".join(kb.citation(p)["label"] for p in site.provisions),
                     interpretations=" ".join(site.interpretations), file=site.file, line=site.line,
                     rule=site.text)
    for u, v in sorted(full.edges, key=lambda e: (str(e[0]), str(e[1]))):
        if isinstance(u, str):
            out.add_edge(u, names[v], relation="premise")
        else:
            out.add_edge(names[u], v, relation="derives")
    return out


# What XML 1.0 cannot hold at all, even as a character reference: C0 controls but tab, newline and
# carriage return, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value):
    """A string XML can carry: each character it cannot written as ``\\xNN`` / ``\\uNNNN``
    (a name holding ESC would otherwise make the GraphML ill-formed)."""
    if not isinstance(value, str) or not _NOT_XML.search(value):
        return value
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", value)


def graphml_text(graph: nx.DiGraph) -> str:
    """The graph as GraphML, well-formed whatever the case's names and ids hold."""
    safe = nx.DiGraph()
    safe.add_nodes_from((_xml_safe(n), {k: _xml_safe(v) for k, v in data.items()})
                        for n, data in graph.nodes(data=True))
    safe.add_edges_from((_xml_safe(u), _xml_safe(v), {k: _xml_safe(x) for k, x in data.items()})
                        for u, v, data in graph.edges(data=True))
    safe.graph.update(graph.graph)
    buffer = io.BytesIO()
    nx.write_graphml(safe, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def _dot_id(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, line breaks as \\n."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n") + '"'


def to_dot(graph: nx.DiGraph, name: str = "derivations") -> str:
    """The graph in Graphviz DOT, every id and attribute quoted (networkx writes DOT only through
    pydot or pygraphviz; this needs neither)."""
    lines = [f"digraph {_dot_id(name)} {{", "  rankdir=LR;", '  node [fontname="sans-serif"];']
    for n, data in graph.nodes(data=True):
        attrs = dict(data)
        shape = "box" if data.get("kind") == "rule" else "ellipse"
        label = data.get("label") or data.get("labels") or data.get("statement") or str(n)
        attrs = {"shape": shape, "label": label, **{k: v for k, v in attrs.items() if k != "label"}}
        body = ", ".join(f"{_dot_id(str(k))}={_dot_id(str(v))}" for k, v in attrs.items())
        lines.append(f"  {_dot_id(str(n))} [{body}];")
    for u, v, data in graph.edges(data=True):
        body = ", ".join(f"{_dot_id(str(k))}={_dot_id(str(val))}" for k, val in data.items())
        lines.append(f"  {_dot_id(str(u))} -> {_dot_id(str(v))}" + (f" [{body}];" if body else ";"))
    lines.append("}")
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------------------
# The report

def _level_atom(name: str, region: str, year: int, level: str):
    return Function(name, [String(region), Number(year), Function(level)])


def report_context(result, lang: str = "zh") -> dict:
    """Everything result.html draws beyond the result itself."""
    case = result.case
    doc = result.to_json()
    cx = PartExplanations(case, lang, whole=getattr(result, "whole", False))  # each conclusion in its part
    raw: dict[str, dict | None] = {}
    links: dict[int, tuple[str, str]] = {}

    def put(key, tree, restated=False):
        raw[key] = tree
        if tree is not None:
            links.setdefault(id(tree), (key, tree["statement"]))
            if restated:  # status(R, Y, L) restates the step of the lifecycle it rests on
                for child in tree.get("children", []):
                    if "fact" not in child:
                        links.setdefault(id(child), (key, tree["statement"]))

    for i, f in enumerate(doc["findings"]):
        put(f"f{i}", cx.tree(_level_atom("finding", f["region"], f["year"], f["level"])))
    for i, s in enumerate(doc["status"]):
        put(f"s{i}", cx.tree(_level_atom("status", s["region"], s["year"], s["level"])), restated=True)
    for i, m in enumerate(doc["measures"]):
        pid = knowledge_base().cited_id(m["basis"][0]) if m["basis"] else None
        for y in m["years"]:
            put(f"m{i}-{y}", cx.measure_tree(m["subject"], m["measure"], y, pid) if pid else None)
    for i, d in enumerate(doc.get("duties", [])):
        verdict = "duty_met" if d.get("met") else "duty_unmet" if d.get("met") is False else "duty"
        args = [_subject_symbol(d["subject"]), Function(d["duty"]), Number(d["year"])]
        if verdict == "duty":
            args.append(String(knowledge_base().cited_id(d["basis"][0])))
        put(f"d{i}", cx.tree(Function(verdict, args)))
    trees = {key: html_tree(tree, key, links) for key, tree in raw.items()}

    # timeline: regions × years
    years = sorted({s["year"] for s in doc["status"]} | {f["year"] for f in doc["findings"]}
                   | set(range(*(case.years[0], case.years[1] + 1))) if case.years else set())
    cells: dict[tuple, dict] = {}
    for i, s in enumerate(doc["status"]):
        cells.setdefault((s["region"], s["year"]), {})["status"] = (i, s)
    for i, f in enumerate(doc["findings"]):
        cells.setdefault((f["region"], f["year"]), {})["finding"] = (i, f)
    regions = sorted({r for r, _ in cells})
    timeline = [{"region": r, "cells": [cells.get((r, y), {}) for y in years]} for r in regions]

    # measures per subject
    by_subject: dict[tuple, list] = defaultdict(list)
    for i, m in enumerate(doc["measures"]):
        kind, ident = next(iter(m["subject"].items()))
        by_subject[(kind, ident)].append((i, m))
    subjects = [{"kind": k, "id": ident, "measures": by_subject[(k, ident)]}
                for k, ident in sorted(by_subject, key=lambda s: (s[0] != "official", s[1]))]

    graph = conclusion_graph([cx.first, *cx.others], lang)
    cited: set[str] = set()

    def collect(node):
        if node is None:
            return
        stack = [node]
        while stack:
            n = stack.pop()
            for c in n.get("citations", []):
                cited.add(knowledge_base().cited_id(c))
            for a in n.get("alternatives", []):
                for c in a["citations"]:
                    cited.add(knowledge_base().cited_id(c))
            stack.extend(n.get("children", []))

    for tree in trees.values():
        collect(tree)
    for part in ("findings", "status", "measures", "duties", "notices"):
        for entry in doc.get(part, []):
            for c in entry.get("basis", []) + entry.get("citations", []) + [g["citation"] for g in entry.get("grounds", [])]:
                cited.add(knowledge_base().cited_id(c))
    kb = knowledge_base()
    provisions = []
    for pid in sorted(cited, key=lambda p: (kb.get(p).instrument, kb.get(p).article, kb.get(p).paragraph or 0,
                                            kb.get(p).item or 0)):
        p = kb.get(pid)
        provisions.append({"anchor": "p-" + pid.replace("/", "-"), "label": p.label, "label_en": p.label_en,
                           "zh": " ".join(p.zh.split()), "en": " ".join(p.en.split())})
    return {"trees": trees, "years": years, "provisions": provisions, "timeline": timeline, "subjects": subjects,
            "graph_svg": layered_svg(graph), "graph_size": (graph.number_of_nodes(), graph.number_of_edges()),
            "outcomes": 1 + len(cx.others)}


