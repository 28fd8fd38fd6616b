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

How it is computed, in one grounded program per part, not a loop of solves over combinations:
each relevant interpretation N becomes ``1 { interpretation(N, O) : option(N, O) } 1`` beside
the discretionary choices, so the answer sets are (reading, lawful outcome) pairs.

1. Brave consequences give the conclusions that hold under some combination, cautious ones the
   certain conclusions.  The ground program (seen through a clingo Observer) tells which
   reading atoms each conclusion can depend on.
2. One brave computation per option (the reading atom assumed) gives, for every conclusion at
   once, the options under which it holds at all: its smallest enclosing *cube*.  One cautious
   computation per distinct cube checks that the conclusion is in every pair inside it; then it
   holds exactly on the cube and its minimal readings are the cube's corners.
3. Any other conclusion (discretion, or no cube): one projected enumeration over the reading
   atoms it depends on (the others at their first option), under the assumption that it holds,
   lists the partial readings under which it holds in some lawful outcome; its minimal sufficient
   readings are computed from that table (memoised: conclusions share tables).  The table is the
   cost (hundreds of rows over up to a dozen interpretations on a dense case), so it is computed
   once per class of conclusions that are true in the same answer sets under every combination
   and have the same dependencies and cube options (they have the same table): the classes are
   found by asking for an answer set in which some member of a block differs from its first
   (one solve each, assuming a fresh atom those differences define); none means a class, else
   the answer set splits every block it tells apart.  On the dense 9-county city that leaves 405
   tables for 1,704 conclusions (~1,600 before).

``why``'s one-line remark (:func:`reading_remark`) asks about one or two conclusions, so it does
none of the passes over every conclusion (:func:`asked_readings`): one grounding of the part, the
dependencies of the asked atoms walked back from them over the rules the observer kept, and step 3
for each.  That is what the document computes for a conclusion the shortcuts of steps 1–2 do not
settle, and what they agree with when every combination has a lawful outcome (the shortcuts are
exact then; tests/test_readings_fast.py checks the two against each other and against the previous
implementation, kept as tests/readings_oracle.py).  A part with stated decisions asks the
document's own questions (steps 1–3), each as a single solve about the asked conclusion
(:func:`_asked_as_the_document`; see below why).

Combinations without a lawful outcome: only a stated decision (``decisions:``) can leave one (the
encodings' one kind of integrity constraint); nothing holds under it.  Such combinations are left
out: a verdict speaks of the combinations that have a lawful outcome — every one that extends a
set in ``under`` makes the conclusion hold, every one under which it holds extends one of them,
and ``always`` means it holds under every one of them (on kb/cases/tonghua.yaml, whose decisions
are lawful under 36,864 of 2,359,296 combinations, a slow test samples combinations and checks
both directions).  Step 3 alone would read such a conclusion differently (the interpretations it
does not depend on at their first option), which is why the remark of a part with decisions asks
the document's questions.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from math import prod

import clingo
from clingo import Function, Symbol

from .bridge import INTERPRETATION, atom_args, case_symbols
from .dispatch import run_parts
from .model import Case
from .parts import split
from .program import encoding_files
from .relevance import Relevance, relevance
from .result import _level_rank, _provision_key, cite
from .solver import NoLawfulOutcome

__all__ = ["READINGS_FORMAT", "readings", "Verdict", "conclusion_readings", "asked_readings", "reading_remark"]

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
    Conclusions are referred to by their index in ``conclusions``."""

    def __init__(self, case: Case, rel: Relevance):
        self.case, self.varied = case, rel.varied
        self.names = tuple(self.varied)
        self.conclusions: list[Symbol] = []
        self.solves = 0
        self._build()
        bits = {lit: 1 << self.names.index(n) for (n, _), lit in self.lit.items()}
        self._masks = self._observer.masks(bits)
        self._same = self._observer.equivalent_atoms()
        self._observer.open = False
        self._observer = None

    def _build(self) -> None:
        self._observer = _GroundRules()
        self.ctl, self.lit = _reading_program(self.case, self.varied, ["--warn=none"], self._observer)
        self.conclusion_lit = [self.ctl.symbolic_atoms[s].literal for s in self.conclusions]

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

    def equivalent(self, groups: list[list[int]]) -> list[list[int]]:
        """The conclusions of ``groups`` split into classes of conclusions that are true in the
        same answer sets (under every combination), within a group.  Each step asks for an answer
        set in which some member of a block differs from its first member (a fresh atom defined by
        those differences, assumed); none: the block is a class; else the answer set splits it and
        every other block it tells apart."""
        ctl = self.ctl
        ctl.configuration.solve.enum_mode = "auto"
        ctl.configuration.solve.models = 1
        blocks, classes = [list(g) for g in groups], []
        while blocks:
            block = blocks.pop()
            if len(block) == 1:
                classes.append(block)
                continue
            first = self.conclusion_lit[block[0]]
            with ctl.backend() as backend:
                differs = backend.add_atom()
                for index in block[1:]:
                    other = self.conclusion_lit[index]
                    backend.add_rule([differs], [first, -other])
                    backend.add_rule([differs], [other, -first])
            self.solves += 1
            with ctl.solve(yield_=True, assumptions=[differs]) as handle:
                model = next(iter(handle), None)
                if model is None:
                    classes.append(block)
                    continue
                # the answer set splits this block, and any other it tells apart
                split_blocks = []
                for b in (block, *blocks):
                    true = [i for i in b if model.is_true(self.conclusion_lit[i])]
                    false = [i for i in b if not model.is_true(self.conclusion_lit[i])]
                    split_blocks += [part for part in (true, false) if part]
            blocks = split_blocks
        return sorted(classes)

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


class _GroundRules(clingo.Observer):
    """The ground program's dependencies between atoms, as the grounder emits its rules.

    An atom depends on the atoms of the bodies of its rules; the atoms of an integrity
    constraint (and of the cardinality bounds of a choice) constrain each other, so they share
    their dependencies.  The callbacks only keep what the grounder hands over (a callback per
    ground rule is the observer's whole cost); the dependencies are read from it on demand: for
    every atom at once (:meth:`masks`, the document) or for the few atoms ``why`` asks about
    (:meth:`mask_of`)."""

    def __init__(self):
        self._normal: list = []  # (choice, head, body) as handed over
        self._weight: list = []  # (head, body of (literal, weight))
        self._edges: list[tuple[list[int], list[int]]] | None = None
        self.open = True  # False once read: rules added later (helper atoms) are not kept

    def rule(self, choice: bool, head, body) -> None:
        if self.open:
            self._normal.append((choice, head, body))

    def weight_rule(self, choice: bool, head, lower_bound: int, body) -> None:
        if self.open:
            self._weight.append((head, body))

    @property
    def edges(self) -> list[tuple[list[int], list[int]]]:
        if self._edges is None:
            self._edges = [(list(head), [abs(lit) for lit in body]) for _, head, body in self._normal]
            self._edges += [(list(head), [abs(lit) for lit, _ in body]) for head, body in self._weight]
        return self._edges

    def equivalent_atoms(self):
        """atom -> the atom it is equivalent to: an atom whose only rule is ``h :- a.`` is true
        exactly when ``a`` is (followed down the chain)."""
        single: dict[int, int] = {}  # head -> its only body atom, for rules ``h :- a.``
        count: dict[int, int] = defaultdict(int)  # head -> number of rules (a choice counts twice)
        for choice, head, body in self._normal:
            for h in head:
                count[h] += 1 + choice  # a choice never makes its head equivalent to its body
                if len(head) == 1 and len(body) == 1 and body[0] > 0:
                    single[h] = body[0]
        for head, _ in self._weight:
            for h in head:
                count[h] += 2

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

    def mask_of(self, atoms, seeds: dict[int, int]) -> dict[int, int]:
        """The masks :meth:`masks` gives ``atoms``, found by walking back from them alone: the
        seeds from which some path of dependencies leads to the atom (an atom of a constraint
        is reached from every atom of that constraint)."""
        bodies: dict[int, list] = defaultdict(list)  # head -> the bodies of its rules
        for _, head, body in self._normal:
            for h in head:
                bodies[h].append(body)
        for head, body in self._weight:
            for h in head:
                bodies[h].append([lit for lit, _ in body])
        constraints: dict[int, list] = defaultdict(list)  # atom -> the constraints it is in
        for _, head, body in self._normal:
            if not head:
                for lit in body:
                    constraints[abs(lit)].append(body)
        for head, body in self._weight:
            if not head:
                lits = [lit for lit, _ in body]
                for lit in lits:
                    constraints[abs(lit)].append(lits)
        out = {}
        for target in atoms:
            seen, stack, mask = {target}, [target], 0
            while stack:
                atom = stack.pop()
                mask |= seeds.get(atom, 0)
                for body in (*bodies.get(atom, ()), *constraints.get(atom, ())):
                    for lit in body:
                        support = abs(lit)
                        if support not in seen:
                            seen.add(support)
                            stack.append(support)
            out[target] = mask
        return out


class _Tables:
    """The other conclusions (discretion, or readings that form no cube), one at a time, exactly:
    a projected enumeration over the reading atoms of the interpretations the conclusion depends
    on, under the assumption that it holds, lists every partial reading under which it holds in
    some lawful outcome (the others fixed at any option: it does not depend on them).  Its minimal
    sufficient readings follow from that table (memoised: many conclusions share a table)."""

    def __init__(self, case: Case, rel: Relevance, search: _Search):
        self.s = search
        self._ctl: clingo.Control | None = None
        self._case, self._rel = case, rel
        self._primes: dict[tuple, tuple] = {}
        self._lit: dict[Reading, int] | None = None

    def _control(self) -> clingo.Control:
        if self._ctl is None:
            self._ctl, lit = _reading_program(self._case, self._rel.varied, _PROJECTED)
            with self._ctl.backend() as backend:
                backend.add_project(list(lit.values()))
        return self._ctl

    def verdict(self, index: int, allowed: dict[str, set[str]] | None = None) -> Verdict:
        """``allowed``: the options under which the conclusion holds at all (its cube), if known."""
        s = self.s
        ctl = self._control()
        if self._lit is None:
            self._lit = {r: ctl.symbolic_atoms[_reading_atom(*r)].literal for r in s.lit}
        s.solves += 1
        return _table_verdict(ctl, self._lit, s.varied, s.depends_on(index),
                              ctl.symbolic_atoms[s.conclusions[index]].literal, allowed, self._primes)


def _table_verdict(ctl: clingo.Control, lit: dict[Reading, int], varied: dict[str, tuple[str, ...]],
                   names: tuple[str, ...], target: int, allowed, memo: dict) -> Verdict:
    """One conclusion's verdict from its table: a projected enumeration (``ctl`` projects on the
    reading atoms ``lit``) over the interpretations ``names`` it depends on, the others at their
    first option, under the assumption ``target`` that it holds; its minimal sufficient readings
    follow from the table (``memo``: many conclusions share a table)."""
    others = [lit[(n, opts[0])] for n, opts in varied.items() if n not in names]
    if allowed:
        others += [-lit[(n, o)] for n in names for o in varied[n] if allowed.get(n) and o not in allowed[n]]
    table: set[tuple[str, ...]] = set()
    # each interpretation's options but the last, with their atoms: the last is chosen when none is
    choices = [([(o, lit[(n, o)]) for o in varied[n][:-1]], varied[n][-1]) for n in names]

    def option(model: clingo.Model, tried, last) -> str:
        for o, literal in tried:
            if model.is_true(literal):
                return o
        return last

    def on_model(model: clingo.Model) -> None:
        table.add(tuple([option(model, tried, last) for tried, last in choices]))

    ctl.solve(assumptions=[target, *others], on_model=on_model)
    options = tuple(varied[n] for n in names)
    key = (names, frozenset(table))
    if key not in memo:
        memo[key] = _minimal_partials(names, options, table)
    primes = memo[key]
    if primes == ((),):
        return Verdict(True, False, ())
    return Verdict(False, False, primes)


def _minimal_partials(names, options, table) -> tuple:
    """The minimal partial assignments all of whose completions are in ``table`` (rows of options
    of ``names``): the table's largest sub-cubes, its prime implicants (:func:`_primes`)."""
    index = [{o: k for k, o in enumerate(opts)} for opts in options]
    rows = frozenset(tuple(index[i][v] for i, v in enumerate(row)) for row in table)
    primes = _primes(tuple(len(o) for o in options), rows, {})
    out = [tuple(sorted((names[i], options[i][v]) for i, v in enumerate(p) if v is not None)) for p in primes]
    return tuple(sorted(out, key=lambda p: (len(p), p)))


def _primes(sizes: tuple, rows: frozenset, memo: dict) -> tuple:
    """The prime implicants of a set of rows (option indices; position ``i`` has ``sizes[i]``
    options), each a row with ``None`` where the position is free, by expansion on the first
    position.  With ``rows_v`` the rows having option ``v`` there (first position dropped):

    - a cube free in the first position lies in the rows exactly when it lies in every ``rows_v``,
      so those primes are the primes of the intersection of the ``rows_v``;
    - a cube fixing it to ``v`` lies in the rows when its rest lies in ``rows_v``; it is prime when
      its rest is a prime of ``rows_v`` that no prime of the intersection contains (else freeing
      the first position would give a larger cube).

    The cost follows the primes (a few per conclusion), not the 2^n subsets of n interpretations;
    memoised, as the same cofactors recur."""
    key = (sizes, rows)
    found = memo.get(key)
    if found is not None:
        return found
    width = len(sizes)
    if not rows:
        out: tuple = ()
    elif len(rows) == prod(sizes):
        out = ((None,) * width,)
    else:
        rest = sizes[1:]
        cofactors = [frozenset(row[1:] for row in rows if row[0] == v) for v in range(sizes[0])]
        common = frozenset.intersection(*cofactors)
        free = _primes(rest, common, memo) if common else ()
        found_rows = [(None, *p) for p in free]
        for v, cofactor in enumerate(cofactors):
            for p in _primes(rest, cofactor, memo):
                if not any(all(f is None or f == c for f, c in zip(cube, p)) for cube in free):
                    found_rows.append((v, *p))
        out = tuple(found_rows)
    memo[key] = out
    return out


def _reading_atom(name: str, option: str) -> Symbol:
    return Function(INTERPRETATION, [Function(name), Function(option)])


def _program_facts(case: Case, varied: dict[str, tuple[str, ...]]):
    """The case's facts without the varied readings, and the options of those."""
    for sym in case_symbols(case):
        if not (sym.name == INTERPRETATION and sym.arguments[0].name in varied):
            yield sym
    for name, options in varied.items():
        yield Function("_pdr_varied", [Function(name)])
        for option in options:
            yield Function("_pdr_option", [Function(name), Function(option)])


_PROJECTED = ["--warn=none", "--project=project", "--models=0"]  # tables: the readings, each once


def _reading_program(case: Case, varied: dict[str, tuple[str, ...]], options: list[str],
                     observer: clingo.Observer | None = None) -> tuple[clingo.Control, dict[Reading, int]]:
    """The (reading, lawful outcome) program of ``case`` grounded: the encodings, the choice of
    one option per interpretation in ``varied`` (:data:`_SUPPORT`) and the case's facts without
    those readings (``observer`` sees the ground rules); with the literal of each reading atom."""
    ctl = clingo.Control(options)
    for path in encoding_files(case.ruleset):
        ctl.load(str(path))
    ctl.add("base", [], _SUPPORT)
    with ctl.backend() as backend:
        for sym in _program_facts(case, varied):
            backend.add_rule([backend.add_atom(sym)])
    if observer is not None:
        ctl.register_observer(observer)
    ctl.ground([("base", [])])
    return ctl, {(n, o): ctl.symbolic_atoms[_reading_atom(n, o)].literal for n, opts in varied.items() for o in opts}


class _Cubes:
    """The common case in one pass for all conclusions: a conclusion whose combinations form a
    *cube* (each interpretation restricted to some of its options, independently).

    One brave computation per option (``interpretation(N, O)`` assumed) gives, for every
    conclusion, the options of each interpretation under which it holds at all: its smallest
    enclosing cube.  One cautious computation per distinct cube then checks that the cube is
    sufficient (the conclusion is in every pair inside it); if so the conclusion holds exactly on
    the cube and its minimal readings are the cube's corners.  Conclusions that fail the check
    (discretion, or combinations that are no cube) go to the per-conclusion search."""

    def __init__(self, search: _Search, indices: list[int]):
        self.s = search
        self.options: dict[int, dict[str, set[str]]] = {i: defaultdict(set) for i in indices}
        if not indices:
            return
        self._index = index = {s: i for i, s in enumerate(search.conclusions)}
        for (name, option), lit in search.lit.items():
            for sym in search.consequences("brave", [lit]) or ():
                i = index.get(sym)
                if i in self.options:
                    self.options[i][name].add(option)
        self._sufficient: dict[tuple, set[int]] = {}

    def verdict(self, index: int) -> Verdict | None:
        s = self.s
        allowed = self.options.get(index)
        if allowed is None:
            return None
        cube = tuple(sorted((n, tuple(o for o in opts if o in allowed[n]))
                            for n, opts in s.varied.items() if len(allowed[n]) < len(opts)))
        if cube not in self._sufficient:
            excluded = [-s.lit[(n, o)] for n, kept in cube for o in s.varied[n] if o not in kept]
            inside = s.consequences("cautious", excluded) or ()
            self._sufficient[cube] = {self._index[sym] for sym in inside if sym in self._index}
        if index not in self._sufficient[cube]:
            return None
        return _cube_verdict(cube)


def _cube_verdict(cube) -> Verdict:
    """A conclusion that holds exactly on ``cube`` ((interpretation, options kept) pairs): its
    minimal readings are the cube's corners."""
    if not cube:
        return Verdict(True, False, ())
    corners = itertools.product(*[[(n, o) for o in kept] for n, kept in cube])
    return Verdict(False, False, tuple(sorted((tuple(c) for c in corners), key=lambda p: (len(p), p))))


def _asked_as_the_document(case: Case, wanted) -> tuple[Relevance, dict[Symbol, Verdict]]:
    """The verdicts :func:`conclusion_readings` gives the atoms ``wanted`` (a part with stated
    decisions), asked of them alone: each question its passes put to every conclusion at once
    (brave, cautious, one brave computation per option, one cautious per cube) becomes a single
    solve about the conclusion; then its table, as there."""
    rel = relevance(case, unstated=False)
    search = _Search(case, rel)
    ctl = search.ctl
    search.set_conclusions(sorted(s for s in wanted if s in ctl.symbolic_atoms))
    ctl.configuration.solve.enum_mode = "auto"
    ctl.configuration.solve.models = 1

    def sat(assumptions) -> bool:
        search.solves += 1
        return ctl.solve(assumptions=assumptions).satisfiable

    if not sat([]):
        raise NoLawfulOutcome("no lawful outcome under any combination of readings")
    tables = _Tables(case, rel, search)
    verdicts = {}
    for index, sym in enumerate(search.conclusions):
        c = search.conclusion_lit[index]
        if not sat([c]):  # not a brave consequence: holds under no combination
            continue
        if not sat([-c]):  # a cautious consequence: certain
            verdicts[sym] = Verdict(True, True, ())
            continue
        allowed: dict[str, set[str]] = defaultdict(set)
        for (name, option), literal in search.lit.items():
            if sat([literal, c]):
                allowed[name].add(option)
        cube = tuple(sorted((n, tuple(o for o in opts if o in allowed[n]))
                            for n, opts in rel.varied.items() if len(allowed[n]) < len(opts)))
        excluded = [-search.lit[(n, o)] for n, kept in cube for o in rel.varied[n] if o not in kept]
        if sat(excluded) and not sat([*excluded, -c]):  # in every answer set inside its cube
            verdicts[sym] = _cube_verdict(cube)
        else:
            verdicts[sym] = tables.verdict(index, allowed)
    return rel, verdicts


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
    cubes = _Cubes(search, [i for i, s in enumerate(wanted) if s not in cautious])
    tables = _Tables(case, rel, search)
    same = search.same_as()
    done: dict[int, Verdict] = {}  # equivalent ground atoms share their verdict
    left: dict[tuple, list[int]] = defaultdict(list)  # (mask, cube options) -> conclusions left to a table
    for index, sym in enumerate(wanted):
        if same[index] in done:
            continue
        found = Verdict(True, True, ()) if sym in cautious else cubes.verdict(index)
        if found is None:
            allowed = cubes.options.get(index) or {}
            left[(search.depends_on(index), tuple(sorted((n, tuple(sorted(o))) for n, o in allowed.items() if o)))
                 ].append(index)
        done[same[index]] = found
    for members in search.equivalent(list(left.values())):
        found = tables.verdict(members[0], cubes.options.get(members[0]))
        for index in members:
            done[same[index]] = found
    verdicts = {sym: done[same[index]] for index, sym in enumerate(wanted)}
    return rel, verdicts


# ----------------------------------------------------------------------------- the JSON document
def _under(v: Verdict) -> list[dict]:
    return [dict(prime) for prime in v.under]


def _entry(kind: str, fields: dict, v: Verdict) -> dict:
    return {"kind": kind, **fields, "holds": "always" if v.always else "some", "certain": v.certain,
            "under": _under(v)}


def _part_rows(case: Case, rel: Relevance | None = None) -> tuple[Relevance, list[tuple]]:
    """The conclusions of one part (or of a whole case) as (sort key, entry) rows."""
    rel, verdicts = conclusion_readings(case, rel)
    rows = []
    measures: dict[tuple, list[int]] = defaultdict(list)
    for sym, v in verdicts.items():
        args = atom_args(sym)
        if sym.name == "finding":
            r, y, level = args
            rows.append(((0, r, y), _entry("finding", {"region": r, "year": y, "level": level}, v)))
        elif sym.name == "ground":
            r, y, level, pid = args
            rows.append(((1, r, y, -_level_rank(level), _provision_key(pid)),
                         _entry("ground", {"region": r, "year": y, "level": level, "citation": cite(pid)}, v)))
        elif sym.name == "status":
            r, y, level = args
            rows.append(((2, r, y, -_level_rank(level), level),
                         _entry("status", {"region": r, "year": y, "level": level}, v)))
        else:
            (kind, ident), m, y = args
            measures[((kind, ident), m, v)].append(y)
    for ((kind, ident), m, v), years in measures.items():
        rows.append(((3, kind, ident, m, sorted(years)),
                     _entry("measure", {"subject": {kind: ident}, "measure": m, "years": sorted(years)}, v)))
    return rel, rows


def _union(relevances, case: Case) -> Relevance:
    """The interpretations that can touch some part (options in the knowledge base's order); the
    readings that want an input the whole case never states (a part's note on an indicator that
    another part states is dropped)."""
    varied: dict[str, tuple[str, ...]] = {}
    fixed: dict[str, str] = {}
    wanting: dict[str, dict[str, set[str]]] = {}
    for rel in relevances:
        varied.update(rel.varied)
        fixed.update(rel.fixed)
        for name, options in rel.unstated.items():
            for option, indicators in options.items():
                wanting.setdefault(name, {}).setdefault(option, set()).update(indicators)
    stated = {fact.indicator for fact in case.facts}
    unstated = {n: {o: tuple(sorted(i - stated)) for o, i in sorted(opts.items()) if i - stated}
                for n, opts in sorted(wanting.items())}
    return Relevance(varied=dict(sorted(varied.items())), fixed=dict(sorted(fixed.items())),
                     unstated={n: opts for n, opts in unstated.items() if opts})


def readings(case: Case, *, workers: int | None = None, scheduler: str | None = None, whole: bool = False,
             progress=None) -> dict:
    """The ``pydesig-readings/1`` document of ``case``: every conclusion (finding, ground, status,
    measure) that holds under some combination of the readings that can touch the case, whether
    it holds under all (``holds``), the minimal readings it needs (``under``) and whether it is in
    every lawful outcome under every combination (``certain``).

    The case is searched part by part (:func:`pydesig.parts.split`, nothing joins the parts) on
    ``workers`` processes or the Dask cluster at ``scheduler`` (:func:`pydesig.dispatch.run_parts`);
    ``whole`` searches it as one program.  Either way the document is the same, byte for byte: the
    interpretations listed are those that can touch some part."""
    parts = split(case)
    if whole:
        rel = _union((relevance(p) for p in parts), case)
        results = [_part_rows(case, rel)]
    else:
        results = run_parts(parts, _part_rows, workers=workers, scheduler=scheduler, progress=progress)
        rel = _union((r for r, _ in results), case)
    rows = sorted((row for _, part_rows in results for row in part_rows), key=lambda row: row[0])
    doc = {
        "format": READINGS_FORMAT,
        "ruleset": case.ruleset,
        "title": case.title,
        "interpretations": {n: list(opts) for n, opts in rel.varied.items()},
        "combinations": rel.combinations,
        "conclusions": [entry for _, entry in rows],
    }
    if rel.fixed:
        doc["fixed"] = dict(rel.fixed)
    if rel.unstated:
        doc["unstated"] = {n: {o: list(i) for o, i in opts.items()} for n, opts in rel.unstated.items()}
    return doc


# ----------------------------------------------------------------------------- the line in `why`
def _measure_atom(sym: Symbol) -> Symbol:
    """``measure(S, M, Y, P)`` → the conclusion atom ``_pdr_measure(S, M, Y)`` (any provision)."""
    if sym.name == "measure" and len(sym.arguments) == 4:
        return Function("_pdr_measure", sym.arguments[:3])
    return sym


def asked_readings(case: Case, wanted) -> tuple[Relevance, dict[Symbol, Verdict]]:
    """The verdicts :func:`conclusion_readings` gives the conclusion atoms ``wanted`` (those that
    hold under some combination), computed for them alone: one grounding of the case (the
    observer only keeps the rules), the dependencies of those atoms walked back from them, and
    one table each (:func:`_table_verdict`) — what the document computes for a conclusion its
    shortcuts do not settle, and what they agree with (tests/test_readings_fast.py)."""
    rel = relevance(case, unstated=False)
    rules = _GroundRules()
    ctl, lit = _reading_program(case, rel.varied, _PROJECTED, rules)
    with ctl.backend() as backend:
        backend.add_project(list(lit.values()))
    names = tuple(rel.varied)
    bits = {literal: 1 << names.index(n) for (n, _), literal in lit.items()}
    targets = {sym: ctl.symbolic_atoms[sym].literal for sym in sorted(wanted) if sym in ctl.symbolic_atoms}
    masks = rules.mask_of({abs(t) for t in targets.values()}, bits)
    memo: dict = {}
    verdicts = {}
    for sym, target in targets.items():
        mask = masks[abs(target)]
        depends = tuple(n for i, n in enumerate(names) if mask >> i & 1)
        verdict = _table_verdict(ctl, lit, rel.varied, depends, target, None, memo)
        if verdict.always or verdict.under:
            verdicts[sym] = verdict
    return rel, verdicts


def reading_remark(case: Case, atoms, lang: str = "zh") -> dict:
    """One line for ``pydesig why``: whether the explained conclusions (finding/status/measure
    atoms, as symbols or their text) hold under every reading of the text, or which readings they
    rest on.  ``{"holds": "always"|"some", "under": [...], "statement": str}``."""
    wanted = {_measure_atom(a if isinstance(a, Symbol) else clingo.parse_term(a)) for a in atoms}
    # A stated decision can leave a combination without lawful outcome; the document's shortcuts
    # then read the conclusion differently from its table alone, so the remark asks the same way.
    rel, verdicts = _asked_as_the_document(case, wanted) if case.decisions else asked_readings(case, wanted)
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
