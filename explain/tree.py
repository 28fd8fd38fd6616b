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

from functools import lru_cache
from pathlib import Path

from clingo import Symbol, ast

from pydesig.kb import knowledge_base

from .graph import Derivations, Instance, predicate_of
from .statements import (Speaker, clauses, folded_predicates, narrowing, parse_atom, quiet_predicates,
                         restating_predicates, transparent_predicates)

__all__ = ["Justifier"]

_NOT = {"zh": "并非：", "en": "it is not the case that "}
_STRUCTURE = {"region", "parent", "official", "official_until", "official_member_unit", "within"}


class Justifier:
    """Builds justification trees over one answer set's derivations."""

    def __init__(self, derivations: Derivations, speaker: Speaker, detail: str = "brief",
                 shared: "Justifier | None" = None):
        """``shared``: a justifier of another answer set of the same case, language and detail, whose
        tables that do not depend on the answer set (the provisions and readings of each rule
        step, the citations of each list of provisions) this one shares."""
        self.d, self.say = derivations, speaker
        self.case = speaker.case
        self.kb = knowledge_base()
        self.quiet = quiet_predicates()
        self.transparent = transparent_predicates()
        full = detail == "full"  # every intermediate conclusion a step of its own
        self.folded = frozenset() if full else folded_predicates()
        self.restating = frozenset() if full else restating_predicates()
        narrow = narrowing()
        self._cites_of, self._tier_articles = narrow["cites"], narrow["tier_articles"]
        self._decision_provisions = {k: e["provision"] for k, e in self.kb.vocabulary.get("decisions", {}).items()
                                     if e.get("provision")}
        if shared is not None and (shared.case is not self.case or shared.say.lang != speaker.lang
                                   or shared.folded != self.folded):
            shared = None
        self._own: dict[tuple, list[str]] = shared._own if shared else {}
        self._readings: dict[int, frozenset[str]] = shared._readings if shared else {}
        self._reading_rules = _reading_rules(self.case.ruleset)
        self._memo: dict[str, dict] = {}
        self._cites: dict[tuple, list] = shared._cites if shared else {}
        self._premises: dict[str, Instance | None] = {}
        self._sources = {
            (("region" if f.subject == "region" else "official"), f.subject_id, f.year, f.indicator): f
            for f in self.case.facts
        }
        self._file = Path(self.case.path).name if self.case.path else None
        self._decisions = {(("official", d["official"]) if "official" in d else ("region", d["region"]),
                            d["year"], d["decision"]): d for d in self.case.decisions}
        self._clauses = {self.kb.canonical(pid): entries for pid, entries in clauses().items()}
        self._features: dict[str, frozenset] = {}

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

    def _quoted(self, citations: list[dict], atom: str, inst: Instance, conditions) -> list[dict]:
        """``citations`` with, for a provision that says several things (``clauses.yaml``), the
        ``quote``: the words of its ``text`` that the step rests on (第七条第（四）项's plants
        alternative, not its 连续3年 one)."""
        out = []
        for c in citations:
            entries = self._clauses.get(self.kb.canonical(self.kb.cited_id(c)))
            chosen = self._clauses_applied(entries, atom, inst, conditions) if entries else None
            if chosen and len(chosen) < len(entries):
                c = {**c, "quote": [e["zh"] for e in chosen]}
            out.append(c)
        return out

    def _clauses_applied(self, entries: list[dict], atom: str, inst: Instance, conditions) -> list[dict]:
        """The clauses the step names: by its own atom; else by what its rule instance rests on and
        checked; else by the atoms one step further down its proof, then further (the first level
        that names one decides)."""
        own = _atom_features(atom)  # what the step concludes names its clause first (detected/2: 连续3年)
        chosen = [e for e in entries if own & e["when"]]
        if chosen:
            return chosen
        level = self._instance_features(inst, conditions)
        frontier, seen = [b for b in inst.positive], {atom}
        for _depth in range(6):
            chosen = [e for e in entries if level & e["when"]]
            if chosen or not frontier:
                return chosen
            level, below = set(), []
            for b in frontier:
                if b in seen:
                    continue
                seen.add(b)
                level |= self._features_of(b)
                proof = None if b in self.d.inputs or predicate_of(b) in self.d.structural else self.d.proof(b)
                if proof is not None:
                    below += proof.positive
            frontier = below
        return []

    def _features_of(self, atom: str) -> frozenset:
        """What an atom's own step names (see ``_clauses_applied``), memoised."""
        found = self._features.get(atom)
        if found is None:
            feats = set(_atom_features(atom))
            if atom not in self.d.inputs and predicate_of(atom) not in self.d.structural:
                inst = self.d.proof(atom)
                if inst is not None:
                    feats |= self._instance_features(inst, ())
            found = self._features[atom] = frozenset(feats)
        return found

    @staticmethod
    def _instance_features(inst: Instance, conditions) -> set:
        feats = set()
        for b in inst.positive:
            feats |= _atom_features(b)
        for cond in conditions:
            if cond.atom is not None:
                feats |= _atom_features(cond.atom)
            for sym in cond.support:
                feats |= _atom_features(sym)
        return feats

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
            statement = self.say.fact((kind, sid), year, indicator, value)
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
        if name == "decision":  # a decision the case fixes: evidence, with its record and source
            subject, year, decision = args
            d = self._decisions.get((tuple(subject) if isinstance(subject, tuple) else subject, year, decision), {})
            return {"statement": self.say(atom), "citations": [],
                    "fact": {"indicator": "decision", "value": decision, "year": year,
                             "source": d.get("source") or self._file, "record": d.get("record")}}
        # the structure of the case: regions, their hierarchy, officials and their posts
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

    def _premise_provisions(self, atom: str, inst: Instance) -> list[str]:
        pids = list(self.own_provisions(atom, inst))
        for b in inst.positive:
            below = self._premise(b)
            if below is not None:
                pids += self._premise_provisions(b, below)
        return pids

    # ------------------------------------------------------------------ own provisions
    def own_provisions(self, atom: str, inst: Instance) -> list[str]:
        """The provisions the step deriving ``atom`` by ``inst`` rests on: the provision ids the
        atom carries (``ground(R, Y, L, "…/art_7/item_4")``) where its rule's header covers them;
        else the header's provisions, less those the atom's level or decision rules out (a
        挂牌整治 step does not cite 第八条 and 第九条; an extension does not cite 第十条), narrowed
        by the catalogue's ``cites`` where one header covers several provisions."""
        key = (atom, inst.variant.number)
        found = self._own.get(key)
        if found is not None:
            return found
        header = inst.provisions
        pred = predicate_of(atom)
        args = parse_atom(atom)[1]
        explicit = [a for a in _provision_argument(atom, self.kb) if _covered(a, header)]
        extra = [h for h in self._cites_of.get(pred, ()) if h in header]
        if explicit:
            found = _unique(explicit + extra)
        else:
            flat = [a for a in args if isinstance(a, str)]
            tiers = {self._tier_articles[a] for a in flat if a in self._tier_articles}
            decisions = {self._decision_provisions[a] for a in flat if a in self._decision_provisions}
            kept = []
            if decisions & set(header):  # a decision cites the provision that gives it
                kept = [h for h in header if h in decisions]
            for h in () if kept else header:
                if tiers and h in self._tier_articles.values() and h not in tiers:
                    continue
                kept.append(h)
            if pred in self._cites_of:
                kept = [h for h in kept if h in self._cites_of[pred]] or kept
            found = kept
        self._own[key] = found
        return found

    def readings_of(self, inst: Instance) -> tuple[str, ...]:
        """The readings a rule instance rests on: those of its header that its body reads (an
        ``interpretation/2`` condition, or bookkeeping or a negated atom whose rules read it), so
        that ``accountable :- first_responsible`` does not claim the reading of 主要责任人 its
        header names for the rule beside it."""
        found = self._readings.get(inst.variant.number)
        if found is None:
            touched: set[str] = set()
            for lit in [*inst.variant.positive, *inst.variant.conditions]:
                for name, arity, first in _literal_atoms(lit):
                    if name == "interpretation":
                        touched.add(first)
                    else:
                        touched |= self._reading_rules.get(f"{name}/{arity}", set())
            found = frozenset(n for n in inst.interpretations if n in touched)
            self._readings[inst.variant.number] = found
        return tuple(n for n in inst.interpretations if n in found)

    def _from_instance(self, atom: str, inst: Instance) -> dict:
        # The readings a rule rests on are stated on its node (from its header and from the
        # interpretation/2 conditions it checks), not repeated as child leaves.  Bookkeeping that
        # takes no legal step of its own (``fold``) is merged into this step without its
        # provisions; a step that only restates another in the encoder's terms (``transparent``,
        # and the step a ``restating`` conclusion rests on) is merged with them.
        quiet = self.quiet
        lang = self.say.lang
        names: dict[str, str] = {}
        children, premises, merged, pids = [], [], [], list(self.own_provisions(atom, inst))
        restating = predicate_of(atom) in self.restating
        for b in inst.positive:
            if b.startswith("interpretation("):
                _, (n, o) = parse_atom(b)
                names.setdefault(n, o)
                continue
            pred = predicate_of(b)
            if pred in quiet:
                continue
            text_rule = self._premise(b)
            if text_rule is not None:
                premises.append(self.say(b))
                pids += self._premise_provisions(b, text_rule)
                continue
            if b not in self.d.inputs:
                if pred in self.folded:
                    merged.append((self.node(b), False))
                    continue
                if pred in self.transparent or restating:
                    merged.append((self.node(b), True))
                    continue
            children.append(self.node(b))
        checks = []
        conditions = self.d.conditions(inst)
        for cond in conditions:
            if cond.kind == "not":
                if cond.atom is not None and cond.atom.startswith("fact("):
                    checks.append(self.say.absent_fact(cond.atom))
                elif cond.atom is not None and predicate_of(cond.atom) not in quiet:
                    checks.append(_NOT[lang] + self.say(cond.atom))
                elif cond.atom is None:
                    checks.append(self.say.negation(cond.text))
            elif not _trivial(cond.text):
                words = self.say.check(cond)
                if words:
                    checks.append(words)
            for sym in cond.support:
                if predicate_of(sym) in self.folded and sym not in self.d.inputs:
                    merged.append((self.node(sym), False))
                else:
                    children.append(self.node(sym))
        if atom.startswith("decided("):  # a decision the case fixes is the evidence for this one
            fixed = "decision(" + atom[len("decided("):]
            if fixed in self.d.inputs:
                children.append(self.node(fixed))
        citations = self._citations(pids)
        if self._clauses:
            citations = self._quoted(citations, atom, inst, conditions)
        result = {"statement": self.say(atom), "citations": citations, "children": children}
        if checks:
            result["checks"] = checks
        if premises:
            result["premises"] = premises
        for n in self.readings_of(inst):
            names.setdefault(n, self.case_option(n))
        if names:
            result["interpretation"] = [self._interpretation(n, o) for n, o in names.items()]
        for node, with_citations in merged:
            _merge_into(result, node, own_citations=with_citations)
        if atom.startswith("status("):  # the conclusion's basis, as the result gives it (status_basis/4)
            basis = self._status_basis(atom)
            if basis:
                result["basis"] = self._citations(basis)
        alternatives, seen = [], set()
        for alt in self.d.alternatives(atom):  # each other ground once (not once per witness)
            entry = {"citations": self._citations(self.own_provisions(atom, alt)),
                     "because": [self.statement(b) for b in alt.positive if predicate_of(b) not in quiet]}
            key = (tuple(_cite_key(c) for c in entry["citations"]), tuple(entry["because"]))
            if key not in seen:
                seen.add(key)
                alternatives.append(entry)
        if alternatives:
            result["alternatives"] = alternatives
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
    have = {_cite_key(c): i for i, c in enumerate(result["citations"])}
    for c in node.get("citations", []) if own_citations else ():
        i = have.get(_cite_key(c))
        if i is None:
            have[_cite_key(c)] = len(result["citations"])
            result["citations"].append(dict(c))
        else:  # the same provision on two grounds: the words of both, or all of it
            result["citations"][i] = _joined(result["citations"][i], c)
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


def _joined(a: dict, b: dict) -> dict:
    """One citation of a provision cited twice: the clauses of both (in the order of the text), or
    the whole text where either quotes all of it."""
    if "quote" not in a:
        return a
    if "quote" not in b:
        return {k: v for k, v in a.items() if k != "quote"}
    text = a["text"]
    quote = sorted(set(a["quote"]) | set(b["quote"]), key=lambda q: _position(text, q))
    return {**a, "quote": quote}


def _position(text: str, words: str) -> int:
    return "".join(text.split()).find("".join(words.split()))


@lru_cache(maxsize=1 << 17)
def _atom_features(atom: str) -> frozenset:
    """An atom's predicate and its constant arguments (levels, measures, roles, indicators …), once
    per text."""
    name, args = parse_atom(atom)
    out = {f"{name}/{len(args)}"}
    stack = list(args)
    while stack:
        a = stack.pop()
        if isinstance(a, tuple):
            stack.extend(a)
        elif isinstance(a, str):
            out.add(a)
    return frozenset(out)


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


def _covered(pid: str, header) -> bool:
    """``pid`` is one of the header's provisions or lies within one (an item of its article)."""
    return any(pid == h or pid.startswith(h + "/") for h in header)


def _unique(items: list) -> list:
    return list(dict.fromkeys(items))


def _literal_atoms(lit):
    """(name, arity, first argument as text) of the symbolic atoms of a body literal (inside an
    aggregate too)."""
    atom = lit.atom
    kind = atom.ast_type
    if kind == ast.ASTType.SymbolicAtom:
        fn = atom.symbol
        if fn.ast_type == ast.ASTType.Function:
            yield fn.name, len(fn.arguments), str(fn.arguments[0]) if fn.arguments else ""
    elif kind == ast.ASTType.BodyAggregate:
        for element in atom.elements:
            for cond in element.condition:
                yield from _literal_atoms(cond)


@lru_cache(maxsize=None)
def _reading_rules(ruleset: str) -> dict[str, set[str]]:
    """:func:`_readings_by_predicate` of the rule set's rules (the same for every answer set: read
    once, not once per explanation; a quarter of a second of clingo's AST, so kept in the cache
    folder under the code's digest, :mod:`pydesig.cache`)."""
    import json

    from pydesig import cache

    from .instrument import instrumented_rules

    return cache.remembered(
        f"reading-rules-{ruleset}-{cache.code_digest()}.json",
        lambda: _readings_by_predicate(instrumented_rules(ruleset), quiet_predicates()),
        dump=lambda found: json.dumps({p: sorted(v) for p, v in sorted(found.items())}).encode("utf-8"),
        load=lambda raw: {p: set(v) for p, v in json.loads(raw.decode("utf-8")).items()})


def _readings_by_predicate(rules, quiet) -> dict[str, set[str]]:
    """predicate → the interpretations its rules read directly (an ``interpretation/2`` condition),
    and, for bookkeeping (quiet) predicates, through the bookkeeping they rest on."""
    direct: dict[str, set[str]] = {}
    uses: dict[str, set[str]] = {}
    for rule in rules:
        stm = rule.site.statement
        head = stm.head
        if head.ast_type != ast.ASTType.Literal or head.atom.ast_type != ast.ASTType.SymbolicAtom:
            continue
        fn = head.atom.symbol
        pred = f"{fn.name}/{len(fn.arguments)}"
        for lit in stm.body:
            if lit.ast_type != ast.ASTType.Literal:
                continue
            for name, arity, first in _literal_atoms(lit):
                if name == "interpretation":
                    direct.setdefault(pred, set()).add(first)
                else:
                    uses.setdefault(pred, set()).add(f"{name}/{arity}")
    out = {p: set(v) for p, v in direct.items()}
    changed = True
    while changed:  # through quiet bookkeeping (lag/1 reads designation_lag)
        changed = False
        for pred, used in uses.items():
            for u in used:
                if u in quiet and out.get(u):
                    before = len(out.setdefault(pred, set()))
                    out[pred] |= out[u]
                    changed |= len(out[pred]) != before
    return out
