"""The HTML report (``solve --format html``) and what ``pydesig graph`` draws.

* :func:`render_report` / :func:`report_context`: the report — a summary front page (regions per
  level and year, every region with its findings and status runs), one card per region
  (``pydesig/sections.py``: its findings, status, measures and officials), under each conclusion
  its justification tree with the provisions' words and a small SVG graph of that conclusion
  (:func:`conclusion_svg`), a print stylesheet that expands every justification; zh or en.  The
  templates are ``pydesig/templates/report/``: ``report.html`` and the partials the web app
  reuses, ``_summary.html``, ``_region_card.html`` (macro ``region_card(sec)``),
  ``_justification.html`` (``justification(tree, graph)``) and ``_provision.html``
  (``provision(c)``, ``cite(c)``), all rendered with :func:`pydesig.render.environment` and the
  context :func:`report_context` returns.  Per unit of the case (:class:`CaseExplanations`): its
  bookkept program grounded once, the first answer set, and a few further answer sets on the same
  program that cover, together, every conclusion the first lacks (:meth:`CaseExplanations.cover`);
  nothing per conclusion walks the case: each graph is drawn from its own justification tree.
* :func:`conclusion_graph`: the derivation graph restricted to conclusions and the provisions
  they rest on (networkx), laid out in layers by :func:`layered_svg` (``graph --scope conclusions``);
* :func:`export_graph` / :func:`to_dot`: the whole derivation graph with string attributes, for
  ``nx.write_graphml`` and for Graphviz.

Everything is sorted so that the same case gives the same bytes.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from functools import lru_cache

import networkx as nx
from clingo import Function, Number, String
from markupsafe import Markup, escape

from pydesig.bridge import parse_atom
from pydesig.kb import knowledge_base
from pydesig.model import Case
from pydesig.parts import parts_holding
from pydesig.render import cite_label, provision_text
from pydesig.sections import citation_key, region_sections

from .api import Explanation
from .parts import PartExplanations
from .graph import predicate_of

__all__ = ["report_context", "tree_html", "summary_context", "justification_context", "render_report", "conclusion_svg", "conclusion_graph", "layered_svg", "export_graph",
           "to_dot", "graphml_text", "CaseExplanations"]

CONCLUSIONS = ("finding/3", "status/3", "measure/4")
DRAWN = (*CONCLUSIONS, "duty_unmet/3")  # the graph also shows the unmet duties measures follow from


def _subject_symbol(subject: dict):
    kind, ident = next(iter(subject.items()))
    return Function(kind, [String(ident)])


class CaseExplanations:
    """Explanations of a case: its bookkept program grounded once, the first answer set, and
    further answer sets for the conclusions only other lawful outcomes carry.  :meth:`cover` finds
    those for all the conclusions a report will explain at once — each further answer set assumes
    the first conclusion still unexplained and prefers the others true, so a few answer sets cover
    them all; a conclusion asked for later gets one of its own (an assumption on the same program)."""

    def __init__(self, case: Case, lang: str = "zh"):
        from .instrument import BookkeptProgram

        self.case, self.lang = case, lang
        self.program = BookkeptProgram(case)
        self.first = Explanation(case, lang, all_atoms=False, model=self.program.model(all_atoms=False))
        self.others: list[Explanation] = []
        self._where: dict[str, Explanation | None] = {}

    def _further(self, symbol, check=()) -> Explanation | None:
        """An explanation in an answer set in which ``symbol`` holds (None: in none); ``check``
        are recorded where they hold in it too."""
        model = self.program.model([symbol], all_atoms=False, check=check)
        if model is None:  # no lawful outcome carries it: leave it unexplained
            self._where[str(symbol)] = None
            return None
        ex = Explanation(self.case, self.lang, shared=self.first, all_atoms=False, model=model)
        self.others.append(ex)
        for s in model.holding:
            self._where.setdefault(str(s), ex)
        self._where.setdefault(str(symbol), ex)
        return ex

    def cover(self, symbols) -> None:
        """Find answer sets for every conclusion of ``symbols`` the answer sets so far lack, in
        their order: assume the first one left, prefer the rest true (clingo's domain heuristic),
        record which of them that answer set carries, repeat until none is left."""
        pending, seen = [], set()
        for sym in symbols:
            text = str(sym)
            if text in seen or text in self._where:
                continue
            seen.add(text)
            if not any(ex.holds(text) for ex in (self.first, *self.others)):
                pending.append(sym)
        if not pending:
            return
        while pending:
            self.program.prefer(pending)
            self._further(pending[0], check=pending)
            pending = [s for s in pending if str(s) not in self._where]

    def for_atom(self, symbol) -> Explanation | None:
        text = str(symbol)
        if text in self._where:
            return self._where[text]
        for ex in (self.first, *self.others):
            if ex.holds(text):
                return ex
        return self._further(symbol)

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


@lru_cache(maxsize=1 << 14)
def _cite_html(instrument: str, article: int, paragraph, item, label: str, quote: tuple, lang: str) -> tuple[str, str]:
    """(the link, the quoted words) of a citation in a justification, by what they depend on: a
    report cites the same few provisions thousands of times."""
    from pydesig.render import _provision_anchor, cite_label, provision_text

    c = {"instrument": instrument, "article": article, "paragraph": paragraph, "item": item, "label": label}
    if quote:
        c["quote"] = list(quote)
    shown, words = escape(cite_label(c, lang)), escape(provision_text(c, lang))
    colon = escape(_words_of(lang)("colon"))
    return (f'<a class="cite" href="#{escape(_provision_anchor(c))}" title="{shown} {words}">{shown}</a>',
            f'<span class="quote">{shown}{colon}{words}</span>')


def _words_of(lang: str):
    from pydesig.render import words

    return words(lang)


def tree_html(tree: dict, lang: str = "zh") -> Markup:
    """The items of an HTML tree (:func:`html_tree`, its first citations marked) as
    ``report/_justification.html`` draws them: one string built in Python (the report draws
    thousands of trees; a template macro per node and per citation cost more than the rest of the
    report), each citation's link drawn once per report.  Every text escaped."""
    from pydesig.render import words

    word = words(lang)
    see, above, source, colon = (str(escape(word(k))) for k in ("see_justification", "as_above", "source", "colon"))
    premise, checks, used, alternative = (str(escape(word(k))) for k in ("premise", "checks", "interpretation_used",
                                                                         "alternative"))

    def cite(c: dict) -> str:
        return _cite_html(c["instrument"], c["article"], c["paragraph"], c["item"], c["label"],
                          tuple(c.get("quote") or ()), lang)[0]

    def quote(c: dict) -> str:
        return _cite_html(c["instrument"], c["article"], c["paragraph"], c["item"], c["label"],
                          tuple(c.get("quote") or ()), lang)[1]

    out: list[str] = []
    add = out.append

    def node(n: dict) -> None:
        if "link" in n:
            add(f'<li class="ref">{escape(n["statement"])} → <a href="#{escape(n["link"])}">{see}</a></li>\n')
        elif "ref" in n:
            add(f'<li class="ref"><a href="#{escape(n["ref"])}">{escape(n["statement"])}</a>（{above}）</li>\n')
        elif n["fact"]:
            fact = n["fact"]
            add(f'<li class="fact" id="{escape(n["anchor"])}">{escape(n["statement"])}')
            if fact.get("source"):
                add(f'<span class="source">{source}{colon}{escape(fact["source"])}')
                if fact.get("record"):
                    add(f'；{escape(fact["record"])}')
                add("</span>")
            add("</li>\n")
        else:
            cited = n["cited"]
            add(f'<li id="{escape(n["anchor"])}">{escape(n["statement"])}')
            for c, _ in cited:
                add(cite(c))
            for c, first in cited:
                if first:
                    add(quote(c))
            if n["checks"] or n["premises"] or n["interpretation"] or n["alternatives"]:
                add('<div class="step-meta">\n')
                for p in n["premises"]:
                    add(f"<div>{premise}{colon}{escape(p)}</div>")
                if n["checks"]:
                    add(f'<div>{checks}{colon}{"；".join(map(escape, n["checks"]))}</div>')
                for i in n["interpretation"]:
                    add(f'<div>{used}{colon}<code>{escape(i["id"])}={escape(i["option"])}</code>（{escape(i["text"])}）</div>')
                for a in n["alternatives"]:
                    add(f"<div>{alternative}{colon}")
                    for c in a["citations"]:
                        add(cite(c))
                    add(f'（{"；".join(map(escape, a["because"]))}）</div>')
                add("</div>\n")
            if n["children"]:
                add('<ul class="tree">\n')
                for c in n["children"]:
                    node(c)
                add("</ul>\n")
            add("</li>\n")

    node(tree)
    return Markup("".join(out))


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


def _conclusion_symbols(doc: dict) -> list:
    """The atoms :func:`_justifications` explains, in its order (a measure by the provision of its
    first basis; a duty by its verdict)."""
    kb = knowledge_base()
    out = [_level_atom("finding", f["region"], f["year"], f["level"]) for f in doc["findings"]]
    out += [_level_atom("status", s["region"], s["year"], s["level"]) for s in doc["status"]]
    for m in doc["measures"]:
        if m["basis"]:
            pid = String(kb.cited_id(m["basis"][0]))
            subject = _subject_symbol(m["subject"])
            out += [Function("measure", [subject, Function(m["measure"]), Number(y), pid]) for y in m["years"]]
    for d in doc.get("duties", []):
        out.append(_duty_atom(d, kb))
    return out


def _duty_atom(d: dict, kb):
    verdict = "duty_met" if d.get("met") else "duty_unmet" if d.get("met") is False else "duty"
    args = [_subject_symbol(d["subject"]), Function(d["duty"]), Number(d["year"])]
    if verdict == "duty":
        args.append(String(kb.cited_id(d["basis"][0])))
    return Function(verdict, args)


def _justifications(doc: dict, cx: PartExplanations) -> dict[str, dict | None]:
    """A justification tree for every conclusion of the result, keyed as the report anchors them:
    ``f<i>`` finding, ``s<i>`` status, ``m<i>-<year>`` measure entry in one year, ``d<i>`` duty."""
    kb = knowledge_base()
    cx.cover(_conclusion_symbols(doc))
    raw: dict[str, dict | None] = {}
    for i, f in enumerate(doc["findings"]):
        raw[f"f{i}"] = cx.tree(_level_atom("finding", f["region"], f["year"], f["level"]))
    for i, s in enumerate(doc["status"]):
        raw[f"s{i}"] = cx.tree(_level_atom("status", s["region"], s["year"], s["level"]))
    for i, m in enumerate(doc["measures"]):
        pid = kb.cited_id(m["basis"][0]) if m["basis"] else None
        for y in m["years"]:
            raw[f"m{i}-{y}"] = cx.measure_tree(m["subject"], m["measure"], y, pid) if pid else None
    for i, d in enumerate(doc.get("duties", [])):
        raw[f"d{i}"] = cx.tree(_duty_atom(d, kb))
    return raw


def _links(raw: dict[str, dict | None]) -> dict[int, tuple[str, str]]:
    """Tree node (by identity) → the conclusion whose justification it is, so that a justification
    resting on another conclusion links to it instead of repeating it.  A status restates the
    lifecycle step it rests on, so that step links to the status too."""
    links: dict[int, tuple[str, str]] = {}
    for key, tree in raw.items():
        if tree is None:
            continue
        links.setdefault(id(tree), (key, tree["statement"]))
        if key.startswith("s"):
            for child in tree.get("children", []):
                if "fact" not in child:
                    links.setdefault(id(child), (key, tree["statement"]))
    return links


def _quote_first_citations(tree: dict | None) -> None:
    """Mark, in an HTML tree, the first citation of each provision (its text is shown there)."""
    if tree is None:
        return
    seen: set[tuple] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        marked = []
        for c in node.get("citations", []):
            key = citation_key(c)
            marked.append((c, key not in seen))
            seen.add(key)
        node["cited"] = marked
        stack.extend(reversed(node.get("children", [])))


# ------------------------------------------------------------------------------------------------
# A small graph per conclusion: its provisions, the steps it rests on, the conclusion.

_CONCLUSION_COLORS = {"provision": "#e8eef7", "step": "#f4f4f8", "fact": "#eef7ee", "conclusion": "#fde9c8",
                      "more": "#ffffff"}


def _wrap(text: str, width: int, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width`` half-width units (a CJK character is two),
    the last cut with an ellipsis if the text is longer."""
    return list(_wrapped(text, width, lines))


@lru_cache(maxsize=65536)
def _wrapped(text: str, width: int, lines: int) -> tuple[str, ...]:
    """:func:`_wrap`, once per text (the steps a conclusion rests on recur in many graphs)."""
    out, current, used = [], [], 0
    for ch in " ".join(text.split()):
        w = 2 if ord(ch) > 0x2E80 else 1
        if used + w > width:
            out.append("".join(current))
            current, used = [], 0
            if len(out) == lines:
                last = out[-1]
                out[-1] = (last[:-1] if last else last) + "…"
                return tuple(out)
        current.append(ch)
        used += w
    if current:
        out.append("".join(current))
    return tuple(out)


def conclusion_svg(tree: dict | None, lang: str = "zh", max_steps: int = 8) -> Markup:
    """The derivation of one conclusion as a small inline SVG: on the left the provisions cited by
    the conclusion and by the steps it rests on (in the order of the text: 第四条 before 第十条), in
    the middle those steps and facts, on the right the conclusion.  Built from the conclusion's
    own justification tree (two levels of it), so its cost does not depend on the size of the case.
    Every text is escaped; the full statement is in each box's <title>."""
    if tree is None:
        return Markup("")
    children = tree.get("children", [])
    shown = children[:max_steps]
    hidden = len(children) - len(shown)
    cited: dict[tuple, dict] = {}
    edges: list[tuple[tuple, int]] = []  # (provision key, step index or -1 for the conclusion)
    for index, node in [(-1, tree), *enumerate(shown)]:
        for c in node.get("citations", []):
            key = citation_key(c)
            cited.setdefault(key, c)
            edges.append((key, index))
    provisions = sorted(cited)
    col_p, col_s, col_c = (8, 128), (168, 330), (530, 214)  # (x, width) of the three columns
    row_h, gap = 15, 8
    boxes_s, y = [], 8
    for node in shown:
        lines = _wrap(node["statement"], (col_s[1] - 12) // 6, 2)
        h = len(lines) * row_h + 8
        boxes_s.append((y, h, lines, node))
        y += h + gap
    if hidden:
        more = (f"另有{hidden}项" if lang == "zh" else f"{hidden} more")
        boxes_s.append((y, row_h + 8, [more], None))
        y += row_h + 8 + gap
    steps_h = y
    boxes_p, y = {}, 8
    for key in provisions:
        boxes_p[key] = (y, row_h + 8)
        y += row_h + 8 + gap
    prov_h = y
    c_lines = _wrap(tree["statement"], (col_c[1] - 12) // 6, 5)
    c_h = len(c_lines) * row_h + 10
    height = max(steps_h, prov_h, c_h + 16)
    c_y = max(8, (height - c_h) // 2)
    width = col_c[0] + col_c[1] + 8
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="cgraph" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-size="11" role="img">']

    def edge(x1, y1, x2, y2):
        mid = (x1 + x2) / 2
        out.append(f'<path d="M{x1},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2},{y2:.0f}" '
                   f'fill="none" stroke="#8894a8" stroke-opacity="0.7"/>')

    def box(kind, x, y, w, h, lines, title):
        out.append(f'<g class="node {kind}"><title>{escape(title)}</title>'
                   f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4" fill="{_CONCLUSION_COLORS[kind]}" '
                   f'stroke="#667"/>')
        for i, line in enumerate(lines):
            out.append(f'<text x="{x + 6}" y="{y + 4 + row_h * (i + 1) - 3}">{escape(line)}</text>')
        out.append("</g>")

    for key, index in edges:
        py, ph = boxes_p[key]
        if index < 0:
            edge(col_p[0] + col_p[1], py + ph / 2, col_c[0], c_y + c_h / 2)
        else:
            sy, sh, _, _ = boxes_s[index]
            edge(col_p[0] + col_p[1], py + ph / 2, col_s[0], sy + sh / 2)
    for sy, sh, _, _ in boxes_s:
        edge(col_s[0] + col_s[1], sy + sh / 2, col_c[0], c_y + c_h / 2)
    for key in provisions:
        c = cited[key]
        py, ph = boxes_p[key]
        label = cite_label(c, lang)
        box("provision", col_p[0], py, col_p[1], ph, _wrap(label, (col_p[1] - 12) // 6, 1),
            f"{label} {provision_text(c, lang)}")
    for sy, sh, lines, node in boxes_s:
        kind = "more" if node is None else "fact" if "fact" in node else "step"
        box(kind, col_s[0], sy, col_s[1], sh, lines, node["statement"] if node else lines[0])
    box("conclusion", col_c[0], c_y, col_c[1], c_h, c_lines, tree["statement"])
    out.append("</svg>")
    return Markup("".join(out))


# ------------------------------------------------------------------------------------------------
# The summary front page

def summary(doc: dict, sections: list, case: Case) -> dict:
    """Counts for the front page: regions per level and year (status held, and findings made),
    the years covered, and how many measures fall on regions and on officials."""
    levels = knowledge_base().vocabulary["levels"]
    status: dict[tuple[str, int], set] = defaultdict(set)
    found: dict[tuple[str, int], set] = defaultdict(set)
    for s in doc["status"]:
        if s["level"] != "absent":
            status[(s["level"], s["year"])].add(s["region"])
    for f in doc["findings"]:
        found[(f["level"], f["year"])].add(f["region"])
    years = sorted({y for _, y in status} | {y for _, y in found})
    if case.years:
        years = sorted(set(years) | set(range(case.years[0], case.years[1] + 1)))

    def table(cells):
        rows = sorted({lv for lv, _ in cells}, key=lambda lv: (-levels.get(lv, {}).get("rank", 0), lv))
        return [{"level": lv, "counts": [len(cells.get((lv, y), ())) for y in years]} for lv in rows]

    on_officials = sum(len(o.measures) for s in sections for o in s.officials)
    on_regions = sum(len(s.measures) for s in sections)
    return {"years": years, "status": table(status), "findings": table(found),
            "regions": len(sections), "quiet": len(case.regions) - len(sections),
            "measures_regions": on_regions, "measures_officials": on_officials}


def _status_runs(section) -> list[dict]:
    """A region's status as runs of the same level over consecutive years (for the front page)."""
    runs: list[dict] = []
    for _, s in section.status:
        if s["level"] == "absent" or not s.get("certain", True):
            continue
        last = runs[-1] if runs else None
        if last and last["level"] == s["level"] and last["years"][-1] + 1 == s["year"]:
            last["years"].append(s["year"])
        elif not (last and last["level"] == s["level"] and s["year"] in last["years"]):
            runs.append({"level": s["level"], "years": [s["year"]]})
    return runs


def justification_context(tree: dict | None, lang: str = "zh", prefix: str = "j") -> dict:
    """One justification as the report draws it (``report/_justification.html``): the tree with its
    nodes numbered and each provision's words quoted where first cited, its small graph, and the
    provisions it cites (``report/_provisions.html``).  The web app's justification page draws a
    ``why`` tree with it."""
    html = html_tree(tree, prefix)
    _quote_first_citations(html)
    cited: dict[tuple, dict] = {}
    stack = [tree] if tree else []
    while stack:
        node = stack.pop()
        for c in node.get("citations", []) + [c for a in node.get("alternatives", []) for c in a["citations"]]:
            cited.setdefault(citation_key(c), c)
        stack.extend(node.get("children", []))
    return {"tree": html, "graph": conclusion_svg(tree, lang) if tree else "",
            "provisions": [cited[k] for k in sorted(cited)]}


def summary_context(result) -> dict:
    """What the front page and the region cards draw apart from the justifications: the result,
    its sections per region, the counts, each region's status runs, the anchors.  One pass over the
    result, no explanation built: the web app's case page draws ``_summary.html`` with it."""
    case = result.case
    doc = result.to_json()
    sections = region_sections(doc, case)
    return {"doc": doc, "sections": sections, "summary": summary(doc, sections, case),
            "runs": {s.id: _status_runs(s) for s in sections},
            "names": {r.id: r.name for r in case.regions.values()},
            "officials": {o.id: o for o in case.officials.values()},
            "anchors": {s.id: f"r{i}" for i, s in enumerate(sections)}}


def report_context(result, lang: str = "zh", readings: bool = True, run: dict | None = None) -> dict:
    """Everything the report templates (``pydesig/templates/report/``) draw: :func:`summary_context`,
    and a justification and a small graph per conclusion, the provisions cited and, with
    ``readings``, the reading marks (:func:`reading_context`: the readings of the case, or of the
    parts a narrowed result is about, solved under every combination).  The web app renders the
    same partials with this context (a region's page: the result narrowed to it, marks included)."""
    case = result.case
    base = summary_context(result)
    doc = base["doc"]
    cx = PartExplanations(case, lang, whole=getattr(result, "whole", False))  # each conclusion in its part
    raw = _justifications(doc, cx)
    links = _links(raw)
    trees = {}
    for key, tree in raw.items():
        trees[key] = html_tree(tree, key, links)
        _quote_first_citations(trees[key])
    graphs = {key: conclusion_svg(tree, lang) for key, tree in raw.items()}
    cited: dict[tuple, dict] = {}
    for part in ("findings", "status", "measures", "duties", "notices"):
        for entry in doc.get(part, []):
            for c in entry.get("basis", []) + entry.get("citations", []) + [g["citation"] for g in entry.get("grounds", [])]:
                cited.setdefault(citation_key(c), c)
    walked: set[int] = set()  # the provisions of the justifications, each node (shared between trees) once
    for tree in raw.values():
        stack = [tree] if tree else []
        while stack:
            n = stack.pop()
            if id(n) in walked:
                continue
            walked.add(id(n))
            for c in n.get("citations", []):
                cited.setdefault(citation_key(c), c)
            for a in n.get("alternatives", []):
                for c in a["citations"]:
                    cited.setdefault(citation_key(c), c)
            stack.extend(n.get("children", []))
    provisions = [cited[k] for k in sorted(cited)]
    return {**base, "trees": trees, "graphs": graphs, "provisions": provisions,
            **(reading_context(result, doc, lang, run) if readings else {}),
            "outcomes": 2 if any(b.others for b in cx.built.values()) else 1}


def _marked_case(result) -> Case:
    """The case whose readings mark ``result``: for a result narrowed to some regions or officials
    (``solve --region R``, a region's page in the web app) only the parts that hold them, so that
    marking a region's conclusions costs its part, not the whole case; each part's readings are
    the whole case's for its conclusions (nothing joins the parts)."""
    if result.scope is None:
        return result.case
    regions, officials = result.scope
    return parts_holding(result.case, regions, officials)


def reading_context(result, doc: dict, lang: str = "zh", run: dict | None = None) -> dict:
    """What the report needs to mark the conclusions that hinge on a reading (issue 16): the
    readings document of the case (:func:`pydesig.readings.readings`, solved as the result was:
    part by part or whole; of a narrowed result only its parts, :func:`_marked_case`), and lookups from a finding, ground, status or measure row of ``doc``
    to its :class:`~pydesig.reading_marks.Mark` (none when it holds under every reading).  ``run``:
    where the analysis runs its parts (``workers``, ``scheduler``, ``progress``: the command's)."""
    from pydesig.reading_marks import Lookups, reading_marks
    from pydesig.readings import readings
    from pydesig.readings_render import reading_text, unstated_rows

    dispatch = {k: v for k, v in (run or {}).items() if k in ("workers", "scheduler", "progress")}
    rdoc = readings(_marked_case(result), whole=getattr(result, "whole", False), **dispatch)
    lookups = Lookups(reading_marks(rdoc))
    hinge, ground_hinge = lookups.hinge, lookups.ground_hinge

    shown = [hinge(k, e) for k, part in (("finding", "findings"), ("status", "status")) for e in doc.get(part, [])]
    shown += [ground_hinge(f, g) for f in doc.get("findings", []) for g in f["grounds"]]
    shown += [hinge("measure", m, y) for m in doc.get("measures", []) for y in m["years"]]
    resting = {name: sum(1 for m in shown if m and any(n == name for p in m.rests_on for n, _ in p))
               for name in rdoc["interpretations"]}
    interpretations = [{"name": n, "options": [reading_text(n, o, lang) for o in opts], "in_force": opts[0],
                        "resting": resting[n]} for n, opts in rdoc["interpretations"].items()]
    return {"hinge": hinge, "ground_hinge": ground_hinge, "row_hinge": lookups.row_hinge,
            "readings": {"interpretations": interpretations, "combinations": rdoc["combinations"],
                         "hinging": sum(1 for m in shown if m), "unstated": unstated_rows(rdoc, lang)}}


def render_report(result, lang: str = "zh", readings: bool = True, run: dict | None = None) -> str:
    """The HTML report of ``result`` (``solve --format html``): one self-contained file; without
    the reading marks when ``readings`` is False (``--no-reading-marks``)."""
    from pydesig.render import environment

    return environment(lang).get_template("report/report.html").render(**report_context(result, lang, readings, run))
