"""Justification trees: from a conclusion down to the provisions and the evidence.

A node is the contract's why-JSON: ``statement`` (in the chosen language), ``citations`` and
either ``children`` or, for evidence, ``fact`` ({indicator, value, year, source}).  Nodes that
rest on a named interpretation say so in ``interpretation``; conditions that are not atoms
(comparisons, negations, counts) are listed in ``checks``; what the text itself lays down for the
step (a term of 2 years, the roles of the persons with primary responsibility …: rules of the
encodings without a body) is listed in ``premises`` and its provision cited on the step; other
ways the same atom was derived are listed in ``alternatives``.  Quiet predicates (bookkeeping of
the encodings, ``explain/templates/statements.yaml``) are not shown.
"""

from __future__ import annotations

from pathlib import Path

from clingo import Symbol

from pydesig.bridge import parse_atom
from pydesig.kb import knowledge_base

from .graph import Derivations, Instance, predicate_of
from .statements import Speaker, quiet_predicates, transparent_predicates

__all__ = ["Justifier"]

_NOT = {"zh": "并非：", "en": "it is not the case that "}
_STRUCTURE = {"region", "parent", "official", "official_until", "within"}


class Justifier:
    """Builds justification trees over one answer set's derivations."""

    def __init__(self, derivations: Derivations, speaker: Speaker):
        self.d, self.say = derivations, speaker
        self.case = speaker.case
        self.kb = knowledge_base()
        self.quiet = quiet_predicates()
        self.transparent = transparent_predicates()
        self._memo: dict[str, dict] = {}
        self._cites: dict[tuple, list] = {}
        self._premises: dict[str, Instance | None] = {}
        self._sources = {
            (("region" if f.subject == "region" else "official"), f.subject_id, f.year, f.indicator): f
            for f in self.case.facts
        }
        self._file = Path(self.case.path).name if self.case.path else None

    # ------------------------------------------------------------------ leaves
    def _citations(self, pids) -> list[dict]:
        pids = tuple(pids)
        found = self._cites.get(pids)
        if found is None:
            seen, found = set(), []
            for pid in pids:
                c = self.kb.citation(pid)
                key = (c["instrument"], c["article"], c["paragraph"], c["item"])
                if key not in seen:
                    seen.add(key)
                    found.append(c)
            self._cites[pids] = found
        return list(found)  # the citation objects are shared between nodes and never changed

    def _interpretation(self, name: str, option: str) -> dict:
        interp = self.kb.interpretations[name]
        text = interp.option_text.get(option, {}).get(self.say.lang, option)
        return {"id": name, "option": option, "text": text}

    def _leaf(self, atom: str) -> dict:
        name, args = parse_atom(atom)
        lang = self.say.lang
        if name == "fact":
            (kind, sid), year, indicator, value = args
            fact = self._sources.get((kind, sid, year, indicator))
            subject = self.say.region(sid) if kind == "region" else self.say.official(sid)
            shown = self.say.value(value)
            statement = (f"{subject}{year}年，{self.say.indicator(indicator)}：{shown}" if lang == "zh"
                         else f"{subject}, {year}: {self.say.indicator(indicator)}: {shown}")
            return {"statement": statement, "citations": [],
                    "fact": {"indicator": indicator, "value": _plain(value), "year": year,
                             "source": fact.source if fact else None,
                             "record": fact.record if fact else None}}
        if name == "interpretation":
            iname, option = args
            interp = self.kb.interpretations[iname]
            detail = self._interpretation(iname, option)
            statement = (f"采用解释 {iname}={option}：{detail['text']}" if lang == "zh"
                         else f"interpretation {iname}={option}: {detail['text']}")
            return {"statement": statement, "citations": self._citations(interp.reads), "interpretation": [detail]}
        # the structure of the case: regions, their hierarchy, officials and their posts, decisions
        return {"statement": self.say(atom), "citations": [],
                "fact": {"indicator": name, "value": [_plain(a) for a in args], "year": None,
                         "source": self._file}}

    def statement(self, atom: str) -> str:
        """The sentence of an atom, input or derived, without building its tree."""
        if atom in self.d.inputs or predicate_of(atom) in self.d.structural:
            return self.node(atom)["statement"]
        return self.say(atom)

    # ------------------------------------------------------------------ derived atoms
    def node(self, atom: Symbol | str) -> dict:
        text = atom if isinstance(atom, str) else str(atom)
        found = self._memo.get(text)
        if found is not None:
            return found
        if text in self.d.inputs or predicate_of(text) in self.d.structural:
            result = self._leaf(text)  # the case file, and what is read off it (the region hierarchy)
        else:
            inst = self.d.proof(text)
            if inst is None:
                result = {"statement": self.say(text), "citations": [], "children": []}
            else:
                result = self._from_instance(text, inst)
        self._memo[text] = result
        return result

    def _premise(self, atom: str) -> Instance | None:
        """The proof of an atom that states a rule of the text itself, when it is one: derived
        with no condition and no reading from other such rules only (挂牌整治实行2年限期整治,
        第一责任人 are the principal leaders …: rules of the encodings without a body)."""
        if atom in self._premises:
            return self._premises[atom]
        found = None
        if atom not in self.d.inputs and predicate_of(atom) not in self.d.structural:
            inst = self.d.proof(atom)
            # A rule with no condition that rests on no reading in its body (a header's reading
            # covers the rules of a block, but a body-less rule cannot depend on it).
            if (inst is not None and not inst.variant.conditions and not inst.helper
                    and all(not b.startswith("interpretation(")
                            and (predicate_of(b) in self.quiet or self._premise(b) is not None) for b in inst.positive)):
                found = inst
        self._premises[atom] = found
        return found

    def _premise_provisions(self, inst: Instance) -> list[str]:
        pids = list(inst.provisions)
        for b in inst.positive:
            below = self._premise(b)
            if below is not None:
                pids += self._premise_provisions(below)
        return pids

    def _from_instance(self, atom: str, inst: Instance) -> dict:
        # The readings a rule rests on are stated on its node (from its header and from the
        # interpretation/2 conditions it checks), not repeated as child leaves.
        quiet = self.quiet
        lang = self.say.lang
        names: dict[str, str] = {}
        children, premises, merged, pids = [], [], [], list(inst.provisions)
        if atom.startswith("status("):  # the status cites its basis (status_basis/4), as the result does
            pids = self._status_basis(atom) + pids
        if inst.helper:
            pids += _provision_argument(atom, self.kb)
        for b in inst.positive:
            if b.startswith("interpretation("):
                _, (n, o) = parse_atom(b)
                names.setdefault(n, o)
                continue
            if predicate_of(b) in quiet:
                continue
            text_rule = self._premise(b)
            if text_rule is not None:
                premises.append(self.say(b))
                pids += self._premise_provisions(text_rule)
                continue
            if predicate_of(b) in self.transparent and b not in self.d.inputs:
                merged.append(self.node(b))
                continue
            children.append(self.node(b))
        checks = []
        for cond in self.d.conditions(inst):
            if cond.kind == "not":
                if cond.atom is not None and predicate_of(cond.atom) not in quiet:
                    checks.append(_NOT[lang] + self.say(cond.atom))
                elif cond.atom is None:
                    checks.append(self.say.negation(cond.text))
            elif not _trivial(cond.text):
                checks.append(cond.text)
            for sym in cond.support:
                children.append(self.node(sym))
        result = {"statement": self.say(atom), "citations": self._citations(pids), "children": children}
        if checks:
            result["checks"] = checks
        if premises:
            result["premises"] = premises
        for n in inst.interpretations:
            names.setdefault(n, self.case_option(n))
        if names:
            result["interpretation"] = [self._interpretation(n, o) for n, o in names.items()]
        for node in merged:  # a transparent step: what it rests on is stated here
            _merge_into(result, node)
        alternatives = self.d.alternatives(atom)
        if alternatives:
            result["alternatives"] = [
                {"citations": self._citations(alt.provisions),
                 "because": [self.statement(b) for b in alt.positive if predicate_of(b) not in quiet]}
                for alt in alternatives
            ]
        return result

    def _status_basis(self, atom: str) -> list[str]:
        inner = atom[len("status("):-1]
        found = []
        for basis in self.d.model.heads("status_basis", 4, inner + ","):
            found += [a for a in parse_atom(basis)[1][3:] if isinstance(a, str)]
        return found

    def group(self, statement: str, atoms) -> dict:
        """One step for several atoms that say the same thing under different provisions (a
        measure under 第二十四条第二款, 第二十一条第（五）项 and 第十七条): their citations, reasons and
        checks together."""
        nodes = [self.node(a) for a in atoms]
        if len(nodes) == 1:
            return nodes[0]
        result = {"statement": statement, "citations": [], "children": []}
        for node in nodes:
            _merge_into(result, node, own_citations=True)
        return result

    def case_option(self, name: str) -> str:
        return self.case.interpretations.get(name, self.kb.interpretations[name].default)


def _cite_key(c: dict) -> tuple:
    return (c["instrument"], c["article"], c["paragraph"], c["item"])


def _merge_into(result: dict, node: dict, own_citations: bool = True) -> None:
    """Add ``node``'s citations, reasons, checks, premises and readings to ``result``."""
    have = {_cite_key(c) for c in result["citations"]}
    for c in node.get("citations", []) if own_citations else ():
        if _cite_key(c) not in have:
            have.add(_cite_key(c))
            result["citations"].append(dict(c))
    ids = {id(c) for c in result.setdefault("children", [])}
    for c in node.get("children", []):
        if id(c) not in ids:
            ids.add(id(c))
            result["children"].append(c)
    if "fact" in node and id(node) not in ids:
        result["children"].append(node)
    for key in ("checks", "premises"):
        for item in node.get(key, []):
            if item not in result.setdefault(key, []):
                result[key].append(item)
        if key in result and not result[key]:
            del result[key]
    for i in node.get("interpretation", []):
        if not any(j["id"] == i["id"] for j in result.setdefault("interpretation", [])):
            result["interpretation"].append(dict(i))
    if "interpretation" in result and not result["interpretation"]:
        del result["interpretation"]


def _trivial(text: str) -> bool:
    """``2022 = 2022``: an assignment (``S = E + 1``) rather than a condition worth stating; and
    ``2019 ≤ 9999``, a comparison with the year the Changzhou encodings give an official still in
    post (``until(O, 9999)``, stated as such)."""
    parts = text.split(" = ")
    return (len(parts) == 2 and parts[0] == parts[1]) or text.endswith(" ≤ 9999")


def _provision_argument(atom: str, kb) -> list[str]:
    """Provision ids an atom carries among its arguments (``duty(S, D, Y, P)``)."""
    found = []
    for arg in parse_atom(atom)[1]:
        if isinstance(arg, str) and "/art_" in arg and arg in kb:
            found.append(arg)
    return found


def _plain(value):
    if value == "true":
        return True
    if value == "false":
        return False
    if isinstance(value, tuple):
        return [_plain(s) for s in value]
    return value
