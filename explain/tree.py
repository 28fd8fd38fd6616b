"""Justification trees: from a conclusion down to the provisions and the evidence.

A node is the contract's why-JSON: ``statement`` (in the chosen language), ``citations`` and
either ``children`` or, for evidence, ``fact`` ({indicator, value, year, source}).  Nodes that
rest on a named interpretation say so in ``interpretation``; conditions that are not atoms
(comparisons, negations, counts) are listed in ``checks``; other ways the same atom was derived
are listed in ``alternatives``.
"""

from __future__ import annotations

from pathlib import Path

from clingo import Symbol, SymbolType

from pydesig.bridge import atom_args
from pydesig.kb import knowledge_base

from .graph import Derivations, Instance
from .statements import Speaker, quiet_predicates

__all__ = ["Justifier"]

_NOT = {"zh": "并非：", "en": "it is not the case that "}


class Justifier:
    """Builds justification trees over one answer set's derivations."""

    def __init__(self, derivations: Derivations, speaker: Speaker):
        self.d, self.say = derivations, speaker
        self.case = speaker.case
        self.kb = knowledge_base()
        self.quiet = quiet_predicates()
        self._memo: dict[Symbol, dict] = {}
        self._sources = {
            (("region" if f.subject == "region" else "official"), f.subject_id, f.year, f.indicator): f
            for f in self.case.facts
        }

    # ------------------------------------------------------------------ leaves
    def _citations(self, pids) -> list[dict]:
        seen, out = set(), []
        for pid in pids:
            c = self.kb.citation(pid)
            key = (c["instrument"], c["article"], c["paragraph"], c["item"])
            if key not in seen:
                seen.add(key)
                out.append(c)
        return out

    def _interpretation(self, name: str, option: str) -> dict:
        interp = self.kb.interpretations[name]
        lang = self.say.lang
        text = interp.option_text.get(option, {}).get(lang, option)
        return {"id": name, "option": option, "text": text}

    def _leaf(self, atom: Symbol) -> dict:
        args = atom_args(atom)
        if atom.name == "fact":
            (kind, sid), year, indicator, value = args
            fact = self._sources.get((kind, sid, year, indicator))
            subject = self.say.region(sid) if kind == "region" else self.say.official(sid)
            shown = self.say.value(value)
            statement = (f"{subject}{year}年：{self.say.indicator(indicator)} = {shown}" if self.say.lang == "zh"
                         else f"{subject}, {year}: {self.say.indicator(indicator)} = {shown}")
            return {"statement": statement, "citations": [],
                    "fact": {"indicator": indicator, "value": _plain(value), "year": year,
                             "source": fact.source if fact else None,
                             "record": fact.record if fact else None}}
        if atom.name == "interpretation":
            name, option = args
            interp = self.kb.interpretations[name]
            detail = self._interpretation(name, option)
            statement = (f"采用解释 {name}={option}：{detail['text']}" if self.say.lang == "zh"
                         else f"interpretation {name}={option}: {detail['text']}")
            return {"statement": statement, "citations": self._citations(interp.reads), "interpretation": [detail]}
        return {"statement": self.say(atom), "citations": [],
                "fact": {"indicator": atom.name, "value": [_plain(a) for a in args], "year": None,
                         "source": Path(self.case.path).name}}

    # ------------------------------------------------------------------ derived atoms
    def node(self, atom: Symbol) -> dict:
        if atom in self._memo:
            return self._memo[atom]
        if self.d.is_input(atom):
            result = self._leaf(atom)
        elif atom in self.d.proof and self.d.proof[atom].rule.site.helper:
            result = self._leaf(atom)  # structural (the region hierarchy): read off the case file
        elif atom in self.d.proof:
            result = self._from_instance(atom, self.d.proof[atom])
        else:
            result = {"statement": self.say(atom), "citations": [], "children": []}
        self._memo[atom] = result
        return result

    def _from_instance(self, atom: Symbol, inst: Instance) -> dict:
        # The readings a rule rests on are stated on its node (from its header and from the
        # interpretation/2 conditions it checks), not repeated as child leaves.
        read = [(b.arguments[0].name, b.arguments[1].name) for b in inst.positive if b.name == "interpretation"]
        children = [self.node(b) for b in inst.positive
                    if f"{b.name}/{len(b.arguments)}" not in self.quiet and b.name != "interpretation"]
        checks = []
        for cond in inst.conditions:
            if cond.kind == "not" and cond.atom is not None:
                checks.append(_NOT[self.say.lang] + self.say(cond.atom))
            else:
                checks.append(cond.text if cond.kind != "not" else _NOT[self.say.lang] + cond.text)
            for sym in cond.support:
                if f"{sym.name}/{len(sym.arguments)}" not in self.quiet:
                    children.append(self.node(sym))
        result = {"statement": self.say(atom), "citations": self._citations(inst.provisions), "children": children}
        if checks:
            result["checks"] = checks
        names = dict(read)
        for n in inst.interpretations:
            names.setdefault(n, self.case_option(n))
        readings = [self._interpretation(n, o) for n, o in names.items()]
        if readings:
            result["interpretation"] = readings
        alternatives = [alt for alt in self.d.alternatives.get(atom, []) if alt is not inst]
        if alternatives:
            result["alternatives"] = [
                {"citations": self._citations(alt.provisions),
                 "because": [self.node(b)["statement"] for b in alt.positive
                             if f"{b.name}/{len(b.arguments)}" not in self.quiet]}
                for alt in alternatives
            ]
        return result

    def case_option(self, name: str) -> str:
        for sym in self.d.model.inputs:
            if sym.name == "interpretation" and sym.arguments[0].name == name:
                return sym.arguments[1].name
        return self.kb.interpretations[name].default


def _plain(sym):
    if isinstance(sym, Symbol):
        if sym.type == SymbolType.Number:
            return sym.number
        if sym.type == SymbolType.String:
            return sym.string
        return str(sym)
    if sym == "true":
        return True
    if sym == "false":
        return False
    if isinstance(sym, tuple):
        return [_plain(s) for s in sym]
    return sym
