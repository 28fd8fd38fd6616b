"""The parts of a case: the pieces that no rule of the encodings joins, so each can be solved alone.

Solving a national case as one clingo program costs the square of the case once discretion is
involved (every brave or cautious model is a search over the whole ground program).  But the rules
never relate two areas of different cities: 第四条 and 第二十三条第二款 count the areas *within one*
city, 第十七条 ties officials to their own area.  A case therefore falls apart into parts — for
Jilin a city (市/州) with its counties, townships and their officials; for Changzhou its top-level
region — whose lawful outcomes combine freely: the lawful outcomes of the whole are exactly the
combinations of the lawful outcomes of its parts.

That claim is not a belief written into this module: :func:`join_analysis` reads the encodings
with clingo's parser and finds

* every rule that relates two different regions or officials (a :class:`Join`) and through which
  predicates it does so (``official/4``, ``serious_unit/4`` …);
* how far up the region hierarchy any rule reaches: a rule that uses an ancestor relation
  (``parent/2`` or a closure of it such as ``within/2``) relates an area to an ancestor of the
  kind its ``region(C, city)`` guard names, or to *any* ancestor when nothing guards it;
* every rule that would join what a split keeps apart (a :class:`Crossing`): regions or officials
  that no predicate of the rule relates (a cartesian join, a count over the whole case), or a
  predicate that summarises the whole case (derived from regions but naming none) feeding another
  rule.

The part relation follows: officials belong to their region; a region belongs with its parent
unless the parent is of a kind above the highest kind any rule reaches (Jilin: ``city``, so a
province is cut off from its cities; Changzhou's ``superior_authorities`` reaches any parent, so
its parts are the top-level regions).  When the analysis finds a crossing, the case is not split.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from clingo import SymbolType, ast

from . import cache
from .annotations import RuleSite, rule_sites, sites_of
from .errors import CaseError
from .kb import knowledge_base
from .model import Case
from .program import encoding_files

__all__ = ["Join", "Crossing", "JoinAnalysis", "join_analysis", "part_relation", "analyse_files", "split", "part_of",
           "part_label", "batches", "size", "ANY"]

ANY = "*"  # reach of an ancestor relation no kind guards: any ancestor at all

# Argument positions of the input predicates (encodings/common/input.lp) that hold a region or an
# official id, or a subject term region(R) / official(O).
INPUT_POSITIONS = {"region/2": {0}, "parent/2": {0, 1}, "official/4": {0, 1}, "official_until/2": {0},
                   "fact/4": {0}, "decision/3": {0}}
SUBJECT_TERMS = ("region", "official")  # region(R), official(O): the subjects of facts and measures
BASE_ANCESTOR = "parent/2"


@dataclass(frozen=True)
class Join:
    """A rule that relates two or more different regions or officials."""

    file: str
    line: int
    provisions: tuple[str, ...]
    variables: tuple[str, ...]  # the region / official variables it relates
    predicates: tuple[str, ...]  # the predicates through which it relates them
    reach: str | None  # the highest region kind it relates an area to (ANY: unguarded), None: no ancestor

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        reach = "" if self.reach is None else f", up to {'any ancestor' if self.reach == ANY else self.reach}"
        return f"{where} {' '.join(self.provisions) or '(helper)'}: {', '.join(self.variables)} through " \
               f"{', '.join(self.predicates)}{reach}"


@dataclass(frozen=True)
class Crossing:
    """A rule that would join regions or officials that a split keeps apart."""

    file: str
    line: int
    reason: str
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}: {self.text}"


@dataclass(frozen=True)
class JoinAnalysis:
    joins: tuple[Join, ...]
    crossings: tuple[Crossing, ...]
    ancestors: frozenset[str]  # parent/2 and the predicates that close it (within/2)
    positions: dict  # predicate → argument positions that hold a region or official
    root_kind: str | None  # parts are headed by regions of this kind; None: by the top-level regions

    @property
    def splits(self) -> bool:
        return not self.crossings


# ------------------------------------------------------------------------------------------------
# Reading the rules: each atom of a rule as the variables of each argument.

@dataclass(frozen=True)
class _Occurrence:
    predicate: str  # name/arity, or "=" for an equality
    args: tuple[frozenset, ...]  # the variables in each argument
    subjects: frozenset  # variables inside region(V) / official(V) terms
    constants: tuple  # each argument's constant name, or None
    positive: bool
    head: bool
    scope: int  # 0: the rule's own body; k > 0: the k-th aggregate or conditional element


class _RuleReader:
    """The atoms of one rule, variables local to an aggregate element renamed apart (``X@2``) and
    every anonymous variable named (``_1``), so that variable names identify what they stand for."""

    def __init__(self, rule):
        self.rule = rule
        self.anonymous = 0
        self.scopes = 0
        self.globals = self._global_names()
        self.occurrences: list[_Occurrence] = []
        self._read()

    # variables of a term, with those inside region(V) / official(V)
    def _walk(self, term, names: set, subjects: set, scope: int, inside: bool = False) -> None:
        kind = term.ast_type
        if kind == ast.ASTType.Variable:
            name = self._name(term.name, scope)
            names.add(name)
            if inside:
                subjects.add(name)
        elif kind == ast.ASTType.Function:
            inner = inside or (term.name in SUBJECT_TERMS and len(term.arguments) == 1)
            for arg in term.arguments:
                self._walk(arg, names, subjects, scope, inner)
        elif kind in (ast.ASTType.BinaryOperation, ast.ASTType.Interval):
            self._walk(term.left, names, subjects, scope, inside)
            self._walk(term.right, names, subjects, scope, inside)
        elif kind == ast.ASTType.UnaryOperation:
            self._walk(term.argument, names, subjects, scope, inside)
        elif kind == ast.ASTType.Pool:
            for arg in term.arguments:
                self._walk(arg, names, subjects, scope, inside)

    def _name(self, name: str, scope: int) -> str:
        if name == "_":
            self.anonymous += 1
            return f"_{self.anonymous}"
        if scope and name not in self.globals:
            return f"{name}@{scope}"
        return name

    def _global_names(self) -> set[str]:
        names: set[str] = set()

        def collect(term):
            if term.ast_type == ast.ASTType.Variable:
                names.add(term.name)
            elif term.ast_type == ast.ASTType.Function or term.ast_type == ast.ASTType.Pool:
                for a in term.arguments:
                    collect(a)
            elif term.ast_type in (ast.ASTType.BinaryOperation, ast.ASTType.Interval):
                collect(term.left)
                collect(term.right)
            elif term.ast_type == ast.ASTType.UnaryOperation:
                collect(term.argument)

        head = self.rule.head
        if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.SymbolicAtom:
            collect(head.atom.symbol)
        for lit in self.rule.body:
            if lit.ast_type != ast.ASTType.Literal:
                continue
            atom = lit.atom
            if atom.ast_type == ast.ASTType.SymbolicAtom:
                collect(atom.symbol)
            elif atom.ast_type == ast.ASTType.Comparison:
                collect(atom.term)
                for guard in atom.guards:
                    collect(guard.term)
            elif atom.ast_type == ast.ASTType.BodyAggregate:
                for guard in (atom.left_guard, atom.right_guard):
                    if guard is not None:
                        collect(guard.term)
        names.discard("_")
        return names

    def _constant(self, term):
        if term.ast_type == ast.ASTType.SymbolicTerm and term.symbol.type == SymbolType.Function \
                and not term.symbol.arguments:
            return term.symbol.name
        if term.ast_type == ast.ASTType.Function and not term.arguments:
            return term.name
        return None

    def _atom(self, atom, *, positive: bool, head: bool, scope: int) -> None:
        if atom.ast_type == ast.ASTType.SymbolicAtom:
            symbol = atom.symbol
            if symbol.ast_type == ast.ASTType.UnaryOperation:  # classical negation -a(X)
                symbol = symbol.argument
            arguments = symbol.arguments if symbol.ast_type == ast.ASTType.Function else []
            name = symbol.name if symbol.ast_type == ast.ASTType.Function else str(symbol)
            args, subjects = [], set()
            for arg in arguments:
                names: set = set()
                self._walk(arg, names, subjects, scope)
                args.append(frozenset(names))
            self.occurrences.append(_Occurrence(f"{name}/{len(arguments)}", tuple(args), frozenset(subjects),
                                                tuple(self._constant(a) for a in arguments), positive, head, scope))
        elif atom.ast_type == ast.ASTType.Comparison and not head:
            for guard in atom.guards:
                if guard.comparison == ast.ComparisonOperator.Equal:
                    left, right, subjects = set(), set(), set()
                    self._walk(atom.term, left, subjects, scope)
                    self._walk(guard.term, right, subjects, scope)
                    self.occurrences.append(_Occurrence("=", (frozenset(left), frozenset(right)), frozenset(subjects),
                                                        (None, None), positive, False, scope))

    def _literal(self, lit, *, head: bool, scope: int) -> None:
        if lit.ast_type == ast.ASTType.ConditionalLiteral:
            self.scopes += 1
            inner = self.scopes
            self._literal(lit.literal, head=head, scope=inner)
            for cond in lit.condition:
                self._literal(cond, head=False, scope=inner)
            return
        atom = lit.atom
        if atom.ast_type == ast.ASTType.BodyAggregate:
            for element in atom.elements:
                self.scopes += 1
                for cond in element.condition:
                    self._literal(cond, head=False, scope=self.scopes)
            return
        self._atom(atom, positive=lit.sign == ast.Sign.NoSign, head=head, scope=scope)

    def _read(self) -> None:
        head = self.rule.head
        if head.ast_type == ast.ASTType.Literal:
            self._literal(head, head=True, scope=0)
        elif head.ast_type in (ast.ASTType.Aggregate, ast.ASTType.Disjunction):
            for element in head.elements:
                self._literal(element, head=True, scope=0)
        elif head.ast_type == ast.ASTType.HeadAggregate:
            for element in head.elements:
                self._literal(element.condition, head=True, scope=0)
        for lit in self.rule.body:
            self._literal(lit, head=False, scope=0)


# ------------------------------------------------------------------------------------------------
# The analysis

def _entity_positions(rules: list[_RuleReader]) -> dict[str, set[int]]:
    """Argument positions that hold a region or an official, from the input predicates through
    every rule head that passes one on (a fixpoint)."""
    positions = {p: set(ix) for p, ix in INPUT_POSITIONS.items()}
    changed = True
    while changed:
        changed = False
        for rule in rules:
            entities = _entity_variables(rule, positions)
            for occ in rule.occurrences:
                if not occ.head:
                    continue
                known = positions.setdefault(occ.predicate, set())
                for i, names in enumerate(occ.args):
                    if i not in known and names & entities:
                        known.add(i)
                        changed = True
    return positions


def _entity_variables(rule: _RuleReader, positions) -> set[str]:
    found: set[str] = set()
    for occ in rule.occurrences:
        found |= occ.subjects
        for i in positions.get(occ.predicate, ()):
            found |= occ.args[i]
    return found


def _entities_of(occ: _Occurrence, positions, entities: set[str]) -> set[str]:
    if occ.predicate == "=":
        return (occ.args[0] | occ.args[1]) & entities
    found = set(occ.subjects)
    for i in positions.get(occ.predicate, ()):
        found |= occ.args[i]
    return found & entities


def _components(variables: set[str], edges: list[set[str]]) -> list[set[str]]:
    parent = {v: v for v in variables}

    def find(v):
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for edge in edges:
        first, *rest = sorted(edge)
        for v in rest:
            parent[find(v)] = find(first)
    groups: dict[str, set[str]] = {}
    for v in variables:
        groups.setdefault(find(v), set()).add(v)
    return sorted(groups.values(), key=lambda g: sorted(g))


def _ancestor_relations(rules: list[_RuleReader], positions) -> frozenset[str]:
    """``parent/2`` and every predicate defined only as a chain of ancestor relations (the
    ``within/2`` closure): the relations that lead from an area upwards."""
    defining: dict[str, list[_RuleReader]] = {}
    for rule in rules:
        for occ in rule.occurrences:
            if occ.head:
                defining.setdefault(occ.predicate, []).append(rule)
    candidates = {p for p, rs in defining.items() if p.endswith("/2") and positions.get(p) == {0, 1}}
    ancestors = {BASE_ANCESTOR, *candidates}
    changed = True
    while changed:
        changed = False
        for p in sorted(ancestors - {BASE_ANCESTOR}):
            for rule in defining[p]:
                heads = [o for o in rule.occurrences if o.head]
                body = [o for o in rule.occurrences if not o.head]
                if len(heads) != 1 or any(not o.positive or o.scope or o.predicate not in ancestors for o in body):
                    ancestors.discard(p)
                    changed = True
                    break
    return frozenset(ancestors)


def _guard(rule: _RuleReader, variable: str, scope: int) -> str | None:
    """The kind K of a ``region(V, K)`` literal that fixes ``variable``'s kind where it is used."""
    for occ in rule.occurrences:
        if occ.predicate == "region/2" and occ.positive and not occ.head and occ.scope in (0, scope) \
                and occ.args[0] == {variable} and occ.constants[1] is not None:
            return occ.constants[1]
    return None


def _analyse(sites: Iterable[RuleSite], kinds: tuple[str, ...]) -> JoinAnalysis:
    sites = list(sites)
    rules = [_RuleReader(site.statement) for site in sites]
    positions = _entity_positions(rules)
    ancestors = _ancestor_relations(rules, positions)

    # predicates that summarise the whole case: derived from regions or officials, naming none
    summaries: set[str] = set()
    changed = True
    while changed:
        changed = False
        for rule in rules:
            entities = _entity_variables(rule, positions)
            for occ in rule.occurrences:
                if not occ.head or occ.predicate in summaries or positions.get(occ.predicate):
                    continue
                body = [o for o in rule.occurrences if not o.head]
                if entities or any(o.predicate in summaries for o in body):
                    summaries.add(occ.predicate)
                    changed = True

    joins, crossings = [], []
    order = {k: i for i, k in enumerate(kinds)}
    for site, rule in zip(sites, rules):
        heads = {o.predicate for o in rule.occurrences if o.head}
        text = " ".join(str(site.statement).split())

        def crossing(reason):
            crossings.append(Crossing(site.file, site.line, reason, text))

        for occ in rule.occurrences:
            if not occ.head and occ.predicate in summaries:
                crossing(f"uses {occ.predicate}, which is derived from the regions or officials of the whole "
                         f"case without naming one")
        if heads and heads <= ancestors:
            continue  # the closure of parent/2 itself: each part derives the same atoms from its own regions
        entities = _entity_variables(rule, positions)
        if heads & summaries:
            # a summary holds in the whole case when it holds in some part, unless it counts or
            # negates regions or officials (three areas in all, none anywhere)
            bound = set()
            for occ in rule.occurrences:
                if not occ.head and occ.positive and not occ.scope:
                    bound |= _entities_of(occ, positions, entities)
            loose = sorted(_plain(v) for v in entities - bound)
            if loose:
                crossing(f"derives {', '.join(sorted(heads & summaries))} by counting or negating regions or "
                         f"officials of the whole case ({', '.join(loose)})")
        edges, relating = [], set()
        for occ in rule.occurrences:
            found = _entities_of(occ, positions, entities)
            if len(found) >= 2 and not occ.head:  # what relates them is the body; the head only says so
                edges.append(found)
                relating.add(occ.predicate)
        groups = _components(entities, edges)
        if len(groups) > 1:
            shown = "; ".join(", ".join(_plain(v) for v in sorted(g)) for g in groups)
            crossing(f"relates regions or officials that no predicate of the rule ties together ({shown})")
            continue
        if len(entities) < 2:
            continue
        reach = None
        for occ in rule.occurrences:
            if occ.head or occ.predicate not in ancestors or not occ.positive:
                continue
            upper = sorted(occ.args[1])
            kind = _guard(rule, upper[0], occ.scope) if len(upper) == 1 else None
            step = kind if kind in order else ANY
            if reach is None or step == ANY or (reach != ANY and order[step] < order[reach]):
                reach = step
        joins.append(Join(site.file, site.line, site.provisions, tuple(sorted({_plain(v) for v in entities})),
                          tuple(sorted(relating)), reach))

    reaches = [j.reach for j in joins if j.reach is not None]
    if ANY in reaches:
        root = None
    elif reaches:
        root = min(reaches, key=order.__getitem__)
    else:
        root = kinds[-1]
    return JoinAnalysis(tuple(joins), tuple(crossings), ancestors, {p: frozenset(i) for p, i in positions.items()},
                        root)


def _plain(variable: str) -> str:
    return variable.split("@")[0]


def _kinds() -> tuple[str, ...]:
    """Region kinds from the top of the hierarchy down (kb/vocabulary.yaml ``region_kinds``)."""
    return tuple(knowledge_base().vocabulary["region_kinds"])


@lru_cache(maxsize=None)
def join_analysis(ruleset: str) -> JoinAnalysis:
    """The join analysis of a ruleset's encodings (see the module docstring)."""
    return _analyse(rule_sites(ruleset), _kinds())


def analyse_files(files: Iterable[Path], root: Path | None = None) -> JoinAnalysis:
    """The join analysis of any encoding files (tests use it on toy encodings)."""
    files = [Path(f) for f in files]
    return _analyse(sites_of(files, root or files[0].parent), _kinds())


# ------------------------------------------------------------------------------------------------
# Splitting a case

@lru_cache(maxsize=None)
def part_relation(ruleset: str) -> tuple[bool, str | None]:
    """(whether the ruleset's cases split at all, the kind of region that heads a part): what
    :func:`split` needs of the join analysis.  Parsing and analysing the encodings takes a good
    part of a second, every process; the answer is kept in the user's cache folder (:mod:`pydesig.cache`) under a hash of
    the encoding files' contents, so it is computed again whenever an encoding changes."""
    digest = hashlib.sha256()
    for path in encoding_files(ruleset):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    def analysed() -> tuple[bool, str | None]:
        analysis = join_analysis(ruleset)
        return analysis.splits, analysis.root_kind

    def load(raw: bytes) -> tuple[bool, str | None]:
        known = json.loads(raw.decode("utf-8"))
        return bool(known["splits"]), known["root_kind"]

    return cache.remembered(f"parts-{ruleset}-{digest.hexdigest()[:32]}.json", analysed, load=load,
                            dump=lambda a: json.dumps({"splits": a[0], "root_kind": a[1]}).encode("utf-8"))


def _roots(case: Case) -> dict[str, str]:
    """Region id → the id of the region that heads its part."""
    splits, root_kind = part_relation(case.ruleset)
    kinds = _kinds()
    if not splits:
        return {r: "" for r in case.regions}
    limit = -1 if root_kind is None else kinds.index(root_kind)
    roots: dict[str, str] = {}
    for rid in case.regions:
        path, current = [], rid
        while current not in roots:
            path.append(current)
            region = case.regions[current]
            parent = case.regions.get(region.parent) if region.parent else None
            if parent is None or (limit >= 0 and kinds.index(parent.kind) < limit):
                roots[current] = current
                break
            current = parent.id
        top = roots[current]
        for r in path:
            roots[r] = top
    return roots


def part_label(case: Case) -> str:
    """How a part names itself in progress and error messages: its top region(s)."""
    return case.part or "whole case"


def _part(case: Case, roots: dict[str, str], root: str) -> Case:
    """The part of ``case`` headed by ``root`` (one pass over the case: for one part only)."""
    return _parts(case, roots, [root])[root]


def _parts(case: Case, roots: dict[str, str], tops: Iterable[str]) -> dict[str, Case]:
    """The parts headed by ``tops``, built in one pass over the regions, officials, facts and
    decisions of the case (each goes to the part of its region): a walk over the whole case per
    part would cost parts × case, the square of a national case."""
    wanted = set(tops)
    regions: dict[str, dict] = {t: {} for t in wanted}
    officials: dict[str, dict] = {t: {} for t in wanted}
    facts: dict[str, list] = {t: [] for t in wanted}
    decisions: dict[str, list] = {t: [] for t in wanted}
    for r, reg in case.regions.items():
        if roots[r] in wanted:
            regions[roots[r]][r] = reg
    official_root = {}
    for o, off in case.officials.items():
        top = roots.get(off.region)
        if top in wanted:
            officials[top][o] = off
            official_root[o] = top

    def root_of(subject: str, ident: str):
        return roots.get(ident) if subject == "region" else official_root.get(ident)

    for f in case.facts:
        top = root_of(f.subject, f.subject_id)
        if top in wanted:
            facts[top].append(f)
    for d in case.decisions:
        top = root_of("official", d["official"]) if "official" in d else root_of("region", d.get("region"))
        if top in wanted:
            decisions[top].append(d)
    out = {}
    years = case.years  # a walk over the facts: once, not once per part
    for top in wanted:
        head = case.regions.get(top)
        label = f"{top} {head.name}" if head is not None else top
        out[top] = dataclasses.replace(case, regions=regions[top], officials=officials[top], facts=facts[top],
                                       decisions=decisions[top], span=years, part=label)
    return out


def split(case: Case) -> list[Case]:
    """The parts of ``case`` in a fixed order (by the id of the region heading each), each a Case
    with the whole case's years; the case itself when it does not split."""
    if case.part is not None or len(case.regions) < 2:
        return [case]
    roots = _roots(case)
    tops = sorted(set(roots.values()))
    if len(tops) < 2:
        return [case]
    parts = _parts(case, roots, tops)
    return [parts[top] for top in tops]


def part_of(case: Case, region: str | None = None, official: str | None = None) -> Case:
    """The part of ``case`` that holds ``region`` (or ``official``): all an explanation of it needs."""
    if official is not None:
        if official not in case.officials:
            raise CaseError(f"no official {official!r} in the case", file=case.path, field="--official")
        region = case.officials[official].region
    if region is None or region not in case.regions:
        raise CaseError(f"no region {region!r} in the case", file=case.path, field="--region")
    if case.part is not None:
        return case
    roots = _roots(case)
    if len(set(roots.values())) < 2:
        return case
    return _part(case, roots, roots[region])


def parts_holding(case: Case, regions=(), officials=()) -> Case:
    """The parts of ``case`` that hold any of ``regions`` or ``officials`` (ids), as one case: all
    that a question about them needs (nothing joins a part to another).  The case itself when
    those parts are all of it."""
    parts = split(case)
    regions, officials = set(regions), set(officials)
    held = [p for p in parts if regions.intersection(p.regions) or officials.intersection(p.officials)]
    if len(held) == len(parts) or not held:
        return case
    return _union(held)


# ------------------------------------------------------------------------------------------------
# Batches: several parts solved as one program

# Every program pays a fixed cost (parsing the encodings, grounding what does not depend on the
# case: a few hundredths of a second) before its case counts; a part of a few hundred facts costs
# little more than that.  So parts are solved in batches: a batch is a union of consecutive parts,
# itself a case whose lawful outcomes are the combinations of its parts' (nothing joins them), so
# merging batches is merging parts.  A batch holds about BATCH_TARGET input atoms: enough for the
# fixed cost to stay small beside the work, few enough that enumerating brave and cautious
# consequences (models × size of the program: the square of a batch) stays cheap, so the whole
# stays linear in the case.  Measured on the dense 300-county case (benchmarks/bench_solve.py):
# brave and cautious enumeration took 2.6 s of CPU in batches of 1,500 atoms, 0.6 s in batches of
# 600, where it costs about what clingo's preprocessing of the program costs anyway; smaller
# batches paid more in fixed costs than they saved.  The batches depend on the case alone, not on
# the number of workers.
BATCH_TARGET = 600


def size(case: Case) -> int:
    """The input atoms of a case (regions, officials, facts): what its program grows with."""
    return len(case.regions) + len(case.officials) + len(case.facts)


def _union(group: list[Case]) -> Case:
    if len(group) == 1:
        return group[0]
    first = group[0]
    regions, officials = {}, {}
    facts, decisions = [], []
    for part in group:
        regions.update(part.regions)
        officials.update(part.officials)
        facts += part.facts
        decisions += part.decisions
    label = f"{part_label(first)} … {part_label(group[-1])} ({len(group)} parts)"
    return dataclasses.replace(first, regions=regions, officials=officials, facts=facts, decisions=decisions,
                               part=label)


def batches(parts: list[Case], target: int | None = None) -> list[Case]:
    """The parts in consecutive batches of about ``target`` input atoms each (BATCH_TARGET)."""
    target = BATCH_TARGET if target is None else target
    if len(parts) <= 1:
        return list(parts)
    sizes = [size(p) for p in parts]
    count = min(len(parts), max(1, round(sum(sizes) / target)))
    share = sum(sizes) / count
    out, group, filled = [], [], 0
    for part, n in zip(parts, sizes):
        group.append(part)
        filled += n
        if filled >= share * (len(out) + 1) and len(out) < count - 1:
            out.append(_union(group))
            group = []
    if group:
        out.append(_union(group))
    return out
