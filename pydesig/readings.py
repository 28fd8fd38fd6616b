"""``readings``: which conclusions hold under every reading of the text, and which hinge on one.

Semantics (the contract's ``pydesig-readings/1``):

- A *combination* assigns one option to each interpretation that can touch the case
  (:mod:`pydesig.relevance`); interpretations the case fixes (``interpretations:``, ``-I``) stay
  fixed and are listed under ``fixed``.
- A conclusion (finding, ground, status, measure) *holds under* a combination when it is true in
  some lawful outcome under it (brave).  ``holds`` is ``always`` when it holds under every
  combination, ``some`` otherwise; conclusions that hold under none are not listed.
- ``under`` lists the minimal partial assignments of readings that are *sufficient*: every
  combination extending one makes the conclusion hold.  It is empty when ``always``.
- ``certain``: the conclusion is in every lawful outcome under every combination.

How it is computed — in one grounded program, not a loop of solves over combinations: each
relevant interpretation N becomes ``1 { interpretation(N, O) : option(N, O) } 1`` beside the
discretionary choices, so the answer sets are (reading, lawful outcome) pairs.  The brave
consequences give the conclusions that hold under some combination, the cautious ones those
that are certain.  For each remaining conclusion, a reading under which it holds is shrunk to a
minimal sufficient set by solving under assumptions (QuickXplain over the reading atoms); the
sets found are blocked and the search repeats until they cover every combination under which
it holds.  When more than one set is needed, the conclusion's truth table over the
interpretations those sets mention (which are exactly the ones it depends on) gives every
minimal set.  A sufficiency test asks for a pair that extends the partial reading and lacks the
conclusion; if the conclusion does hold in another outcome under that pair's combination
(discretion), that combination is blocked for this conclusion and the test goes on.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

import clingo
from clingo import Function, Symbol

from .bridge import INTERPRETATION, atom_args, case_symbols
from .kb import knowledge_base
from .model import Case
from .program import encoding_files
from .relevance import Relevance, relevance
from .result import _level_rank, _provision_key, cite
from .solver import NoLawfulOutcome

__all__ = ["READINGS_FORMAT", "readings", "Verdict", "conclusion_readings", "reading_remark"]

READINGS_FORMAT = "pydesig-readings/1"

# Fixed program text (no user data): the choice of readings and one atom per measure-year.
_SUPPORT = """
_pdr_measure(S, M, Y) :- measure(S, M, Y, _).
1 { interpretation(N, O) : _pdr_option(N, O) } 1 :- _pdr_varied(N).
#show _pdr_measure/3.
"""
_CONCLUSIONS = (("finding", 3), ("ground", 4), ("status", 3), ("_pdr_measure", 3))

Reading = tuple[str, str]  # (interpretation, option)


@dataclass(frozen=True)
class Verdict:
    """How one conclusion stands across the readings."""

    always: bool
    certain: bool
    under: tuple[tuple[Reading, ...], ...]  # minimal sufficient partial readings, sorted


class _Search:
    """The grounded (reading, outcome) program of one case and the questions asked of it.

    Conclusions are referred to by their index in ``conclusions``; their program literals are
    looked up in the current control, which is rebuilt (the same program, grounded afresh) once
    enough blocks have been added: clasp slows down as released blocks pile up."""

    REBUILD_AFTER = 60  # blocks

    def __init__(self, case: Case, rel: Relevance):
        self.case, self.varied = case, rel.varied
        self.names = tuple(self.varied)
        self.conclusions: list[Symbol] = []
        self.solves = 0
        self._cautious: dict[frozenset, set[int]] = {}
        self._build()
        bits = {lit: 1 << self.names.index(n) for (n, _), lit in self.lit.items()}
        self._masks = self._observer.masks(bits)
        self._same = self._observer.equivalent_atoms()
        self._observer = None

    def _build(self) -> None:
        ctl = clingo.Control(["--warn=none"])
        for path in encoding_files(self.case.ruleset):
            ctl.load(str(path))
        ctl.add("base", [], _SUPPORT)
        with ctl.backend() as backend:
            def fact(sym: Symbol) -> None:
                backend.add_rule([backend.add_atom(sym)])

            for sym in case_symbols(self.case):
                if not (sym.name == INTERPRETATION and sym.arguments[0].name in self.varied):
                    fact(sym)
            for name, options in self.varied.items():
                fact(Function("_pdr_varied", [Function(name)]))
                for option in options:
                    fact(Function("_pdr_option", [Function(name), Function(option)]))
        if not hasattr(self, "_masks"):
            self._observer = _GroundRules()
            ctl.register_observer(self._observer)
        ctl.ground([("base", [])])
        self.ctl = ctl
        self.lit: dict[Reading, int] = {
            (n, o): ctl.symbolic_atoms[Function(INTERPRETATION, [Function(n), Function(o)])].literal
            for n, opts in self.varied.items() for o in opts}
        self.conclusion_lit = [ctl.symbolic_atoms[s].literal for s in self.conclusions]
        self._switches: list[int] = []
        self._blocks = 0

    def set_conclusions(self, symbols: list[Symbol]) -> None:
        self.conclusions = list(symbols)
        self.conclusion_lit = [self.ctl.symbolic_atoms[s].literal for s in self.conclusions]

    def depends_on(self, index: int) -> tuple[str, ...]:
        """The interpretations the ground program lets conclusion ``index`` depend on."""
        mask = self._masks.get(abs(self.conclusion_lit[index]), 0) if hasattr(self, "_masks") else 0
        return tuple(n for i, n in enumerate(self.names) if mask >> i & 1)

    def same_as(self) -> list[int]:
        """For each conclusion, the ground atom it is equivalent to (one rule ``c :- a.``, chained)."""
        return [self._same(abs(lit)) for lit in self.conclusion_lit]

    # -- consequences over all pairs
    def consequences(self, mode: str, assumptions=()) -> list[Symbol] | None:
        self.ctl.configuration.solve.enum_mode = mode
        self.ctl.configuration.solve.models = 0
        self.solves += 1
        with self.ctl.solve(yield_=True, assumptions=list(assumptions)) as handle:
            for _ in handle:
                pass
            last = handle.last()
            return None if last is None else last.symbols(shown=True)

    def cautious_under(self, readings: frozenset) -> set[int]:
        """The conclusions (indices) in every pair extending ``readings`` (cached: every
        conclusion's search asks about the same few partial readings)."""
        found = self._cautious.get(readings)
        if found is None:
            index = {s: i for i, s in enumerate(self.conclusions)} if not hasattr(self, "_index") else self._index
            self._index = index
            symbols = self.consequences("cautious", self.lits(sorted(readings))) or ()
            found = {index[s] for s in symbols if s in index}
            self._cautious[readings] = found
        return found

    # -- one pair under assumptions: its combination, or None
    def pair(self, assumptions) -> dict[str, str] | None:
        self.ctl.configuration.solve.enum_mode = "auto"
        self.ctl.configuration.solve.models = 1
        found: list[dict[str, str]] = []

        def on_model(model: clingo.Model) -> None:
            found.append({n: o for (n, o), lit in self.lit.items() if model.is_true(lit)})

        self.solves += 1
        self.ctl.solve(assumptions=list(assumptions), on_model=on_model)
        return found[0] if found else None

    def lits(self, readings) -> list[int]:
        return [self.lit[r] for r in readings]

    def block(self, switch: int, readings) -> None:
        """Add ``:- switch, readings`` (the readings together are excluded while switch is assumed)."""
        with self.ctl.backend() as backend:
            backend.add_rule([], [switch, *self.lits(readings)])
        self._blocks += 1

    def switch(self) -> int:
        """A fresh external atom, assumed true to activate the blocks added under it and released
        (made false for good) when its conclusion is done."""
        with self.ctl.backend() as backend:
            atom = backend.add_atom()
            backend.add_external(atom, clingo.TruthValue.Free)
        self._switches.append(atom)
        return atom

    def release(self) -> None:
        """Drop the blocks of a finished conclusion; ground afresh when many have piled up."""
        if self._blocks >= self.REBUILD_AFTER:
            self._build()
            return
        for atom in self._switches:
            self.ctl.release_external(atom)
        self._switches.clear()


class _GroundRules(clingo.Observer):
    """The ground program's dependencies between atoms, as the grounder emits its rules.

    An atom depends on the atoms of the bodies of its rules; the atoms of an integrity
    constraint (and of the cardinality bounds of a choice) constrain each other, so they share
    their dependencies."""

    def __init__(self):
        self.edges: list[tuple[list[int], list[int]]] = []
        self._single: dict[int, int] = {}  # head -> its only body atom, for rules ``h :- a.``
        self._rules: dict[int, int] = defaultdict(int)  # head -> number of rules

    def rule(self, choice: bool, head, body) -> None:
        self.edges.append((list(head), [abs(lit) for lit in body]))
        for h in head:
            self._rules[h] += 1 + choice  # a choice never makes its head equivalent to its body
            if len(head) == 1 and len(body) == 1 and body[0] > 0:
                self._single[h] = body[0]

    def weight_rule(self, choice: bool, head, lower_bound: int, body) -> None:
        self.edges.append((list(head), [abs(lit) for lit, _ in body]))
        for h in head:
            self._rules[h] += 2

    def equivalent_atoms(self):
        """atom -> the atom it is equivalent to: an atom whose only rule is ``h :- a.`` is true
        exactly when ``a`` is (followed down the chain)."""
        single, count = self._single, self._rules

        def representative(atom: int) -> int:
            seen = set()
            while count.get(atom) == 1 and atom in single and atom not in seen:
                seen.add(atom)
                atom = single[atom]
            return atom

        return representative

    def masks(self, seeds: dict[int, int]) -> dict[int, int]:
        """Propagate ``seeds`` (atom → bit mask) along the dependencies to every atom."""
        dependents: dict[int, list[int]] = defaultdict(list)
        fresh = -1
        for head, body in self.edges:
            if not head:  # a constraint: a node between its atoms, both ways
                head, fresh = [fresh], fresh - 1
                for atom in body:
                    dependents[head[0]].append(atom)
            for atom in body:
                dependents[atom].extend(head)
        masks = dict(seeds)
        queue = list(seeds)
        while queue:
            atom = queue.pop()
            mask = masks[atom]
            for dep in dependents.get(atom, ()):
                old = masks.get(dep, 0)
                if old | mask != old:
                    masks[dep] = old | mask
                    queue.append(dep)
        return masks


class _Conclusion:
    """The minimal sufficient readings of one conclusion (``index`` in the search's list)."""

    def __init__(self, search: _Search, index: int):
        self.s, self.index = search, index
        self.support = set(search.depends_on(index))
        self._good: int | None = None  # switch of the combinations known to make it hold
        self._known: dict[frozenset, bool] = {}

    def sufficient(self, readings: tuple[Reading, ...]) -> bool:
        """Whether every combination extending ``readings`` has a lawful outcome with the conclusion."""
        key = frozenset(readings)
        if key in self._known:
            return self._known[key]
        if any(k <= key for k, v in self._known.items() if v):
            return True
        if any(key <= k for k, v in self._known.items() if not v):
            return False
        s = self.s
        if self.index in s.cautious_under(key):
            self._known[key] = True
            return True
        while True:
            extra = [self._good] if self._good is not None else []
            rho = s.pair([*s.lits(readings), -self.lit, *extra])
            if rho is None:
                answer = True
                break
            combination = self._restrict(rho)
            if s.pair([*s.lits(combination), self.lit]) is None:
                answer = False
                break
            if self._good is None:  # discretion: it holds in another outcome under rho
                self._good = s.switch()
            s.block(self._good, combination)
        self._known[key] = answer
        return answer

    @property
    def lit(self) -> int:
        return self.s.conclusion_lit[self.index]

    def _restrict(self, rho: dict[str, str]) -> tuple[Reading, ...]:
        """The part of a combination the conclusion can depend on."""
        return tuple(sorted((n, o) for n, o in rho.items() if n in self.support))

    def _quickxplain(self, background: tuple, delta: bool, candidates: tuple) -> tuple:
        if delta and self.sufficient(background):
            return ()
        if len(candidates) == 1:
            return candidates
        half = len(candidates) // 2
        c1, c2 = candidates[:half], candidates[half:]
        x2 = self._quickxplain(background + c1, bool(c1), c2)
        x1 = self._quickxplain(background + x2, bool(x2), c1)
        return x1 + x2

    def verdict(self, certain: bool) -> Verdict:
        try:
            return self._verdict(certain)
        finally:
            self.s.release()

    def _verdict(self, certain: bool) -> Verdict:
        s = self.s
        if certain or not self.support or self.sufficient(()):
            return Verdict(True, certain, ())
        found: list[tuple[Reading, ...]] = []
        cover = s.switch()
        while True:
            rho = s.pair([self.lit, cover])
            if rho is None:
                break
            prime = tuple(sorted(self._quickxplain((), False, self._restrict(rho))))
            found.append(prime)
            s.block(cover, prime)
        if len(found) > 1:
            found = self._all_minimal(found)
        return Verdict(False, False, tuple(sorted(found, key=lambda p: (len(p), p))))

    def _all_minimal(self, cover: list[tuple[Reading, ...]]) -> list[tuple[Reading, ...]]:
        """Every minimal sufficient partial reading, from the truth table over the interpretations
        the cover mentions (the conclusion depends on exactly those)."""
        names = sorted({n for prime in cover for n, _ in prime})
        options = [self.s.varied[n] for n in names]
        table = {
            values: self.s.pair([*self.s.lits(zip(names, values)), self.lit]) is not None
            for values in itertools.product(*options)
        }
        minimal: list[tuple[Reading, ...]] = []
        for size in range(1, len(names) + 1):
            for subset in itertools.combinations(range(len(names)), size):
                for values in itertools.product(*(options[i] for i in subset)):
                    partial = dict(zip(subset, values))
                    if any(all(partial.get(names.index(n)) == o for n, o in m) for m in minimal):
                        continue
                    if all(ok for full, ok in table.items() if all(full[i] == v for i, v in partial.items())):
                        minimal.append(tuple((names[i], v) for i, v in sorted(partial.items())))
        return minimal


def conclusion_readings(case: Case, rel: Relevance | None = None, only=None) -> tuple[Relevance, dict[Symbol, Verdict]]:
    """The verdict of every conclusion that holds under some combination of readings (of those in
    ``only``, conclusion atoms such as ``finding(R, Y, L)`` or ``_pdr_measure(S, M, Y)``, if given)."""
    rel = rel or relevance(case)
    search = _Search(case, rel)
    brave = search.consequences("brave")
    if brave is None:
        raise NoLawfulOutcome("no lawful outcome under any combination of readings")
    cautious = set(search.consequences("cautious") or ())
    wanted = sorted(s for s in brave if (s.name, len(s.arguments)) in _CONCLUSIONS and (only is None or s in only))
    search.set_conclusions(wanted)
    done: dict[int, Verdict] = {}  # equivalent ground atoms share their verdict
    verdicts = {}
    for index, (sym, same) in enumerate(zip(wanted, search.same_as())):
        if same not in done:
            done[same] = _Conclusion(search, index).verdict(sym in cautious)
        verdicts[sym] = done[same]
    return rel, verdicts


# ----------------------------------------------------------------------------- the JSON document
def _under(v: Verdict) -> list[dict]:
    return [dict(prime) for prime in v.under]


def _entry(kind: str, fields: dict, v: Verdict) -> dict:
    return {"kind": kind, **fields, "holds": "always" if v.always else "some", "certain": v.certain,
            "under": _under(v)}


def readings(case: Case) -> dict:
    """The ``pydesig-readings/1`` document of ``case``: every conclusion (finding, ground, status,
    measure) that holds under some combination of the readings that can touch the case, whether
    it holds under all (``holds``), the minimal readings it needs (``under``) and whether it is in
    every lawful outcome under every combination (``certain``)."""
    rel, verdicts = conclusion_readings(case)
    findings, grounds, status = [], [], []
    measures: dict[tuple, list[int]] = defaultdict(list)
    for sym, v in verdicts.items():
        args = atom_args(sym)
        if sym.name == "finding":
            r, y, level = args
            findings.append(((r, y), _entry("finding", {"region": r, "year": y, "level": level}, v)))
        elif sym.name == "ground":
            r, y, level, pid = args
            grounds.append(((r, y, -_level_rank(level), _provision_key(pid)),
                            _entry("ground", {"region": r, "year": y, "level": level, "citation": cite(pid)}, v)))
        elif sym.name == "status":
            r, y, level = args
            status.append(((r, y, -_level_rank(level), level),
                           _entry("status", {"region": r, "year": y, "level": level}, v)))
        else:
            (kind, ident), m, y = args
            measures[((kind, ident), m, v)].append(y)
    measure_entries = []
    for ((kind, ident), m, v), years in measures.items():
        measure_entries.append((((kind, ident), m, sorted(years)),
                                _entry("measure", {"subject": {kind: ident}, "measure": m, "years": sorted(years)}, v)))
    conclusions = [e for group in (findings, grounds, status, measure_entries)
                   for _, e in sorted(group, key=lambda pair: pair[0])]
    doc = {
        "format": READINGS_FORMAT,
        "ruleset": case.ruleset,
        "title": case.title,
        "interpretations": {n: list(opts) for n, opts in rel.varied.items()},
        "combinations": rel.combinations,
        "conclusions": conclusions,
    }
    if rel.fixed:
        doc["fixed"] = dict(sorted(rel.fixed.items()))
    return doc


# ----------------------------------------------------------------------------- the line in `why`
def _measure_atom(sym: Symbol) -> Symbol:
    """``measure(S, M, Y, P)`` → the conclusion atom ``_pdr_measure(S, M, Y)`` (any provision)."""
    if sym.name == "measure" and len(sym.arguments) == 4:
        return Function("_pdr_measure", sym.arguments[:3])
    return sym


def reading_remark(case: Case, atoms, lang: str = "zh") -> dict:
    """One line for ``pydesig why``: whether the explained conclusions (finding/status/measure
    atoms, as symbols or their text) hold under every reading of the text, or which readings they
    rest on.  ``{"holds": "always"|"some", "under": [...], "statement": str}``."""
    wanted = {_measure_atom(a if isinstance(a, Symbol) else clingo.parse_term(a)) for a in atoms}
    rel, verdicts = conclusion_readings(case, only=wanted)
    hinging = sorted({prime for v in verdicts.values() if not v.always for prime in v.under})
    missing = wanted - set(verdicts)
    always = not hinging and not missing
    if always:
        statement = (f"解释：该结论在可能影响本案的全部解释组合（{rel.combinations}种）下均成立。" if lang == "zh" else
                     f"Readings: the conclusion holds under every combination of the readings that can touch "
                     f"this case ({rel.combinations}).")
    else:
        sets = [", ".join(f"{n}={o}" for n, o in prime) for prime in hinging]
        statement = (f"解释：该结论取决于所采用的解释，成立条件为 {' 或 '.join(sets)}（pydesig readings 列出全部）。"
                     if lang == "zh" else
                     f"Readings: the conclusion rests on how the text is read; it holds under {' or '.join(sets)} "
                     f"(pydesig readings lists them all).")
    return {"holds": "always" if always else "some", "under": [dict(p) for p in hinging], "statement": statement}
