"""Render justification trees and why-not answers as text (zh/en) or JSON.

The text is meant to be pasted into a memo, and to read as one argument however deep the tree:
the conclusion first; then the evidence (each fact with its year and source); then the reasoning
as numbered steps in the order they build on each other (a step comes after every step it rests
on, so a three-year chain or a failed extension leading to a sanction reads from the first fact to
the conclusion); then "综上" / "Accordingly".  A step shared by several others is stated once and
referred to by its number.  A provision's text is quoted the first time it is cited and named by
its label afterwards; a reading (interpretation) likewise.  JSON is the contract's tree, unchanged.
"""

from __future__ import annotations

import heapq
import json
import re
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pydesig.kb import knowledge_base

from .statements import clauses

__all__ = ["render", "render_why_not", "cite_text", "quoted_words", "label", "linearize"]

_TEMPLATES = Path(__file__).parent / "templates"


def cite_text(citation: dict, lang: str) -> str:
    """《Title》第七条第（四）项“…” in Chinese; Article 7(4) of the Jilin Rules: "…" in English."""
    kb = knowledge_base()
    inst = citation["instrument"]
    p = kb.get(knowledge_base().cited_id(citation))
    short = kb.vocabulary["instruments"][inst]["short"]
    if lang == "zh":
        return f"{short['zh']}{p.label}“{quoted_words(citation, lang)}”"
    return f"{p.label_en} of the {short['en']}: \"{quoted_words(citation, lang)}\""


def quoted_words(citation: dict, lang: str) -> str:
    """The words of the cited provision a step quotes, on one line: the clauses that applied
    (``quote``, with …… where words are left out), else the whole text (an article's own words,
    without its items)."""
    kb = knowledge_base()
    p = kb.get(kb.cited_id(citation))
    zh, en = (p.lead_zh or p.zh, p.lead_en or p.en) if p.paragraph is None else (p.zh, p.en)
    quote = citation.get("quote")
    if lang == "zh":
        return _excerpt(zh, quote, "……", "") if quote else _one_line(zh)
    if quote:
        by_zh = {e["zh"]: e["en"] for e in clauses().get(p.id, ())}
        return _excerpt(en, [by_zh[q] for q in quote], "…", " ")
    return _one_line(en)


def _excerpt(text: str, parts: list[str], gap: str, space: str) -> str:
    """The ``parts`` of ``text`` (its clauses that applied), in order, with ``gap`` where words of
    the text are left out: 「禁种铲毒…500处及以上的；……」."""
    full = _one_line(text)
    spans = sorted((full.index(_one_line(w)), _one_line(w)) for w in parts)
    out, end = [], 0
    for start, words in spans:
        if start > end and full[end:start].strip():
            out.append(gap)
        elif out:
            out.append(space)
        out.append(words)
        end = start + len(words)
    if full[end:].strip():
        out.append(gap)
    return "".join(out)


def label(citation: dict, lang: str) -> str:
    """第七条第（四）项 or Article 7(4)."""
    if lang == "zh":
        return citation["label"]
    p = knowledge_base().get(knowledge_base().cited_id(citation))
    return p.label_en




def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cite_key(c: dict) -> tuple:
    return (c["instrument"], c["article"], c["paragraph"], c["item"])


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _year_of(node: dict) -> int:
    """The earliest year a step speaks of (0 for none): steps that are ready together are told in
    the order of the years they are about."""
    years = _YEAR.findall(node["statement"])
    return min(int(y) for y in years) if years else 0


def _in_order(tree: dict) -> list[dict]:
    """Every node once (shared subtrees are the same object), each after every node it rests on;
    among the nodes ready at a time, the one about the earliest year first, then the one met first
    depth first."""
    first: dict[int, int] = {}
    nodes: dict[int, dict] = {}
    stack = [tree]
    while stack:  # number the nodes in depth-first order
        node = stack.pop()
        if id(node) in first:
            continue
        first[id(node)] = len(first)
        nodes[id(node)] = node
        stack.extend(reversed(node.get("children", [])))
    waiting = {k: len({id(c) for c in n.get("children", [])}) for k, n in nodes.items()}
    parents: dict[int, list[int]] = {}
    for k, n in nodes.items():
        for c in {id(c) for c in n.get("children", [])}:
            parents.setdefault(c, []).append(k)
    ready = [(_year_of(nodes[k]), first[k], k) for k, w in waiting.items() if w == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        _, _, k = heapq.heappop(ready)
        order.append(nodes[k])
        for p in parents.get(k, ()):
            waiting[p] -= 1
            if waiting[p] == 0:
                heapq.heappush(ready, (_year_of(nodes[p]), first[p], p))
    return order


def linearize(tree: dict, lang: str = "zh") -> dict:
    """The tree as one argument: ``evidence`` and ``steps`` (dicts with ``number``, ``statement``,
    ``refs`` to the numbers of what they rest on, ``citations`` as text, quoted the first time
    and labelled afterwards …), the ``conclusion`` and the ``basis`` labels of the last step."""
    order = _in_order(tree)
    evidence = [n for n in order if "fact" in n]
    steps = [n for n in order if "fact" not in n]
    numbers = {id(n): i for i, n in enumerate(evidence + steps, 1)}
    quoted: set[tuple] = set()
    readings: set[tuple] = set()
    out_steps = []
    for node in steps:
        citations, seen = [], []  # quoted at their first citation; named by label afterwards
        for c in node.get("citations", []):
            # a clause is quoted once, another clause of the same provision too; nothing once the
            # whole provision has been quoted
            key = (*_cite_key(c), *c.get("quote", ()))
            if key in quoted or _cite_key(c) in quoted:
                seen.append(label(c, lang))
            else:
                citations.append(cite_text(c, lang))
                quoted.add(key)
        interps, again = [], []  # a reading is explained the first time, named afterwards
        for i in node.get("interpretation", []):
            key = (i["id"], i["option"])
            if key in readings:
                again.append(f"{i['id']}={i['option']}")
            else:
                interps.append({"id": i["id"], "option": i["option"], "text": i["text"]})
                readings.add(key)
        refs = []
        for child in node.get("children", []):
            n = numbers[id(child)]
            if n not in refs:
                refs.append(n)
        out_steps.append({
            "number": numbers[id(node)], "statement": node["statement"], "refs": refs,
            "citations": citations, "seen": seen, "checks": node.get("checks", []), "premises": node.get("premises", []),
            "interpretation": interps, "readings": again,
            "alternatives": _alternatives(node.get("alternatives", []), lang),
        })
    out_evidence = [{"number": numbers[id(n)], "statement": n["statement"],
                     "source": n["fact"].get("source"), "record": n["fact"].get("record")} for n in evidence]
    if tree.get("combined"):  # several conclusions asked for together: each stands on its own
        parts = tree.get("children", [])
        steps_out = [s for s in out_steps if s["number"] != numbers[id(tree)]]
    else:
        parts, steps_out = [tree], out_steps
    conclusions = [{"statement": p["statement"], "number": numbers[id(p)],
                    "basis": [label(c, lang) for c in p.get("basis", p.get("citations", []))]} for p in parts]
    return {"conclusion": tree["statement"], "conclusions": conclusions, "evidence": out_evidence,
            "steps": steps_out}


def _alternatives(alternatives: list[dict], lang: str) -> list[dict]:
    """Other grounds of a step, one line per set of provisions: the case reporting any of eight
    activities under 第十九条 reads as one line listing the eight, not as eight lines."""
    out: dict[tuple, dict] = {}
    for a in alternatives:
        labels = tuple(label(c, lang) for c in a["citations"])
        entry = out.setdefault(labels, {"labels": list(labels), "because": []})
        entry["because"] += [b for b in a["because"] if b not in entry["because"]]
    return list(out.values())


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(_TEMPLATES)), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)
    env.filters["cite"] = cite_text
    env.filters["label"] = label
    env.filters["capital"] = lambda s: s[:1].upper() + s[1:]
    return env


def render(tree: dict, fmt: str = "text", lang: str = "zh") -> str:
    if fmt == "json":
        return json.dumps(tree, ensure_ascii=False, indent=2) + "\n"
    text = _env().get_template(f"justification.{lang}.txt").render(doc=linearize(tree, lang))
    if "readings" in tree:  # pydesig why: one line on whether the conclusion hinges on a reading
        text = text.rstrip("\n") + "\n\n" + tree["readings"]["statement"] + "\n"
    return text


def render_why_not(doc: dict, fmt: str = "text", lang: str = "zh") -> str:
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return _env().get_template(f"why_not.{lang}.txt").render(doc=doc)
