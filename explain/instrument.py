"""The encodings with explanation bookkeeping, added on clingo's AST (never by editing them).

For every rule ``H :- B.`` the explainer adds ``_pd_app(H, I, (X1,…,Xn)) :- B'.``, where I
numbers the rule and X1…Xn are the variables of B' (B with each anonymous variable ``_`` of a
positive atom given a name, so that every positive atom of the body is ground): an answer set then
records every ground instance of every rule whose body held, with the atom it derived first.  A
choice rule gets one such rule per element, with the element and its condition added to the body,
so that only the elements the answer set takes are recorded.  The encodings themselves are
loaded unchanged, so ``pydesig program`` still prints plain ASP, and the bookkeeping atoms carry
the ``_pd_`` prefix that no encoding uses.

Only the bookkeeping atoms are shown, and they are read once, as text (on national-scale cases
a call into clingo per atom would cost more than the solve): sorted, the applications of an atom
are the texts that begin with ``_pd_app(<atom>,``, found by bisection and parsed only when the
explanation needs them.  Rules whose head is a quiet predicate (``explain/templates/
statements.yaml``: the years of the case, tier ranks …) get no bookkeeping: an atom of theirs is
true whenever an application that uses it was recorded.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Iterable

import clingo
from clingo import ast

from pydesig.annotations import RuleSite, rule_sites
from pydesig.bridge import case_symbols, symbol_texts
from pydesig.model import Case
from pydesig.program import encoding_files

from .statements import quiet_predicates
from .terms import split_top, term_end, text_template, variables

__all__ = ["APP", "InstrumentedRule", "Variant", "instrumented_rules", "explained_model", "ExplainedModel",
           "BookkeptProgram"]

APP = "_pd_app"
_PREFIX = APP + "("


@dataclass(frozen=True)
class InstrumentedRule:
    index: int
    site: RuleSite
    global_vars: tuple[str, ...]


@dataclass(eq=False)
class Variant:
    """One bookkeeping rule: a rule of the encodings, or one element of a choice rule."""

    number: int
    rule: InstrumentedRule
    head: object  # AST of the derived atom
    positive: list  # AST literals whose atoms the derivation rests on (ground under the binding)
    conditions: list  # AST literals that are not positive atoms: negations, comparisons, aggregates
    variables: tuple[str, ...]
    recorded: bool = True  # False: replayed in Python from the derived atom (see _plan)

    @cached_property
    def positive_text(self) -> list:
        """binding → each positive body atom as clingo prints it"""
        return [text_template(lit.atom) for lit in self.positive]

    @cached_property
    def predicate(self) -> str:
        """``name/arity`` of the derived atom (read off the AST once: every answer set asks)."""
        fn = self.head.symbol if self.head.ast_type == ast.ASTType.SymbolicAtom else self.head
        return f"{fn.name}/{len(fn.arguments)}"


def _global_variables(rule) -> tuple[str, ...]:
    """Variables bound outside aggregate elements (those are local to their element)."""
    names: set[str] = set()
    head = rule.head
    if head.ast_type == ast.ASTType.Literal:
        names |= variables(head)
    for lit in rule.body:
        atom = lit.atom if lit.ast_type == ast.ASTType.Literal else None
        if atom is not None and atom.ast_type == ast.ASTType.BodyAggregate:
            for guard in (atom.left_guard, atom.right_guard):
                if guard is not None:
                    names |= variables(guard.term)
        else:
            names |= variables(lit)
    return tuple(sorted(names))


def instrumented_rules(ruleset: str) -> list[InstrumentedRule]:
    return list(_instrumented(ruleset)[0])


class NameAnonymous(ast.Transformer):
    """Gives each anonymous variable ``_`` a name of its own (``PdAnon1`` …), so that the atoms it
    stands in can be recorded and read back."""

    def __init__(self):
        self.count = 0

    def visit_Variable(self, var):  # noqa: N802 - clingo's visitor naming
        if var.name != "_":
            return var
        self.count += 1
        return ast.Variable(var.location, f"PdAnon{self.count}")


def is_positive_atom(lit) -> bool:
    return (lit.ast_type == ast.ASTType.Literal and lit.sign == ast.Sign.NoSign
            and lit.atom.ast_type == ast.ASTType.SymbolicAtom)


# an anonymous variable ``_`` in printed ASP: not part of a name, a variable or a string's text
_ANONYMOUS = re.compile(r'"(?:[^"\\]|\\.)*"|(?<![A-Za-z0-9_\'])_(?![A-Za-z0-9_\'])')


def _split_body(literals, namer) -> tuple[list, list]:
    positive, conditions = [], []
    for lit in literals:
        if is_positive_atom(lit):
            # the transformer visits every node through clingo's C API: only where there is a ``_``
            anonymous = any(not m.startswith('"') for m in _ANONYMOUS.findall(str(lit)))
            positive.append(namer(lit) if anonymous else lit)
        else:
            conditions.append(lit)
    return positive, conditions


def _head_predicates(stm) -> list[str]:
    head = stm.head
    if head.ast_type == ast.ASTType.Literal:
        if head.atom.ast_type != ast.ASTType.SymbolicAtom:
            return []
        fn = head.atom.symbol
        return [f"{fn.name}/{len(fn.arguments)}"]
    return [f"{e.literal.atom.symbol.name}/{len(e.literal.atom.symbol.arguments)}"
            for e in getattr(head, "elements", ())]


@lru_cache(maxsize=None)
def _instrumented(ruleset: str) -> tuple[tuple[InstrumentedRule, ...], tuple[Variant, ...]]:
    rules = tuple(InstrumentedRule(i, site, _global_variables(site.statement))
                  for i, site in enumerate(rule_sites(ruleset)))
    quiet = quiet_predicates()
    variants: list[Variant] = []
    for rule in rules:
        stm = rule.site.statement
        heads = _head_predicates(stm)
        if not heads or all(h in quiet for h in heads):
            continue  # an integrity constraint, or bookkeeping of the encodings nobody is shown
        namer = NameAnonymous()
        positive, conditions = _split_body(stm.body, namer)
        if stm.head.ast_type == ast.ASTType.Literal:
            variants.append(_variant(len(variants), rule, stm.head.atom, positive, conditions))
            continue
        for element in stm.head.elements:  # choice and disjunction: one per element
            e_pos, e_cond = _split_body(element.condition, namer)
            variants.append(_variant(len(variants), rule, element.literal.atom, e_pos + positive,
                                     e_cond + conditions))
    _plan(ruleset, rules, variants)
    return rules, tuple(variants)


def _matchable(term) -> set[str]:
    """Variables a ground atom gives by matching ``term`` (not those only inside arithmetic:
    ``ext_end(R, S, E+X)`` does not give E and X back)."""
    kind = term.ast_type
    if kind == ast.ASTType.SymbolicAtom:
        return _matchable(term.symbol)
    if kind == ast.ASTType.Variable:
        return {term.name} - {"_"}
    if kind == ast.ASTType.Function:
        return set().union(*(_matchable(a) for a in term.arguments)) if term.arguments else set()
    return set()


# The input predicates (pydesig.bridge.case_symbols).
INPUT_PREDICATES = frozenset({"region/2", "parent/2", "official/4", "official_until/2", "official_member_unit/1",
                              "fact/4", "year/1",
                              "last_fact_year/1", "interpretation/2", "decision/3"})


def _plan(ruleset: str, rules, variants: list[Variant]) -> None:
    """Which rules need bookkeeping atoms.  A rule whose body has no condition and no variable the
    head lacks can be replayed from the atom it derived: its body follows from the head, and holds
    when each of its atoms does.  Such rules are not recorded (on national-scale cases that halves
    the atoms read back from clingo), unless their predicate is shown (the conclusions are listed
    from the records) or counted in an aggregate (its atoms are enumerated)."""
    keep: set[str] = set()
    for path in encoding_files(ruleset):
        def visit(stm):
            if stm.ast_type == ast.ASTType.ShowSignature:
                keep.add(f"{stm.name}/{stm.arity}")
        ast.parse_files([str(path)], visit)
    for rule in rules:
        for lit in rule.site.statement.body:
            if lit.ast_type == ast.ASTType.Literal and lit.atom.ast_type == ast.ASTType.BodyAggregate:
                for element in lit.atom.elements:
                    for cond in element.condition:
                        if cond.atom.ast_type == ast.ASTType.SymbolicAtom:
                            fn = cond.atom.symbol
                            keep.add(f"{fn.name}/{len(fn.arguments)}")
    derived = {v.predicate for v in variants}
    for v in variants:
        if (v.rule.site.statement.head.ast_type != ast.ASTType.Literal or v.conditions or v.predicate in keep
                or not set(v.variables) <= _matchable(v.head)):
            continue
        body = [f"{lit.atom.symbol.name}/{len(lit.atom.symbol.arguments)}" for lit in v.positive]
        if all(b in INPUT_PREDICATES or b in derived for b in body):
            v.recorded = False


def _variant(number, rule, head, positive, conditions) -> Variant:
    names: set[str] = variables(head)
    for lit in positive:
        names |= variables(lit)
    for lit in conditions:
        if lit.atom.ast_type == ast.ASTType.BodyAggregate:
            for guard in (lit.atom.left_guard, lit.atom.right_guard):
                if guard is not None:
                    names |= variables(guard.term)
        elif lit.atom.ast_type == ast.ASTType.Comparison:
            names |= variables(lit)
    return Variant(number, rule, head, positive, conditions, tuple(sorted(names)))


def _app_atom(variant: Variant, loc):
    args = [ast.Variable(loc, v) for v in variant.variables]
    return ast.SymbolicAtom(ast.Function(
        loc, APP, [variant.head.symbol, ast.SymbolicTerm(loc, clingo.Number(variant.number)),
                   ast.Function(loc, "", args, False)], False))


def _bookkeeping(variant: Variant):
    """``_pd_app(H, I, V) :- B'.`` beside the rule.  (Unfolding the rule instead, ``A :- B'. H :- A.``,
    joins the body once but grounds slower: the grounder then matches every head against the
    bookkeeping atoms.)"""
    loc = variant.rule.site.statement.location
    body = list(variant.positive) + list(variant.conditions)
    if variant.rule.site.statement.head.ast_type != ast.ASTType.Literal:
        # a choice element: recorded only where the answer set takes it
        body.insert(0, ast.Literal(loc, ast.Sign.NoSign, variant.head))
    return ast.Rule(loc, ast.Literal(loc, ast.Sign.NoSign, _app_atom(variant, loc)), body)


@dataclass
class ExplainedModel:
    """One answer set: its rule applications (as sorted text) and the input facts."""

    apps: list[str]
    rules: list[InstrumentedRule]
    variants: tuple[Variant, ...]
    input_symbols: tuple[clingo.Symbol, ...]
    _symbols: list = field(default_factory=list, repr=False)
    # the atoms of the quiet predicates an aggregate tests (``hearing_count(I)``), kept even when
    # the answer set's atoms are not (``all_atoms=False``)
    quiet_symbols: tuple = field(default=(), repr=False)
    # of the atoms :meth:`BookkeptProgram.model` was asked to check, those that hold
    holding: frozenset = field(default=frozenset(), repr=False)

    @cached_property
    def input_texts(self) -> dict[str, clingo.Symbol]:
        return {str(s): s for s in self.input_symbols}

    @cached_property
    def inputs(self) -> frozenset[clingo.Symbol]:
        return frozenset(self.input_symbols)

    @cached_property
    def atoms(self) -> frozenset[clingo.Symbol]:
        """Every atom of the answer set as clingo symbols (slow on large cases: why-not only;
        empty when the model was read with ``all_atoms=False``)."""
        return frozenset(s for s in self._symbols if not s.name.startswith("_pd_"))

    @cached_property
    def quiet_atoms(self) -> frozenset[str]:
        """The atoms of quiet (bookkeeping) predicates that hold, as text: they are not recorded,
        but an aggregate's condition may still test one (``hearing_count(I)``)."""
        return frozenset(str(s) for s in self.quiet_symbols)

    # ------------------------------------------------------------------ applications
    def applications_of(self, atom_text: str) -> list[str]:
        """The recorded applications (texts) whose derived atom is ``atom_text``."""
        prefix = f"{_PREFIX}{atom_text},"
        apps = self.apps
        i = bisect.bisect_left(apps, prefix)
        out = []
        while i < len(apps) and apps[i].startswith(prefix):
            out.append(apps[i])
            i += 1
        return out

    def derived(self, atom_text: str) -> bool:
        prefix = f"{_PREFIX}{atom_text},"
        i = bisect.bisect_left(self.apps, prefix)
        return i < len(self.apps) and self.apps[i].startswith(prefix)

    @cached_property
    def _overloaded(self) -> frozenset[str]:
        """Names derived with more than one arity (their atoms need an arity check)."""
        return _variant_tables(self.variants)[0]

    def heads(self, name: str, arity: int, start: str = "") -> list[str]:
        """The derived atoms of ``name/arity`` (texts, sorted); with ``start``, only those whose
        arguments begin so (``'"220581",2022,'``)."""
        prefix = f"{_PREFIX}{name}({start}" if arity else f"{_PREFIX}{name},"
        apps = self.apps
        i = bisect.bisect_left(apps, prefix)
        out, last = [], None
        start = len(_PREFIX)
        check = arity and name in self._overloaded
        while i < len(apps) and apps[i].startswith(prefix):
            text = apps[i]
            if last is None or not text.startswith(last, start) or text[start + len(last)] != ",":
                head = text[start:term_end(text, start)]
                if not check or len(split_top(head, len(name) + 1, len(head) - 1)) == arity:
                    out.append(head)
                last = head
            i += 1
        return out

    @cached_property
    def replayed(self) -> dict[str, list[Variant]]:
        """The rules replayed rather than recorded, by the predicate they derive."""
        return _variant_tables(self.variants)[1]

    @cached_property
    def structural(self) -> frozenset[str]:
        """Predicates derived only by helper rules (the region hierarchy): read off the case file,
        like its input facts."""
        return _variant_tables(self.variants)[2]

    def split(self, app: str, head: str | None = None) -> tuple[str, Variant, list[str]]:
        """(derived atom, bookkeeping rule, values of its variables) of an application text (whose
        derived atom, when the caller knows it, need not be found again)."""
        start = len(_PREFIX)
        end = start + len(head) if head is not None else term_end(app, start)
        head = app[start:end]
        comma = app.index(",", end + 1)
        variant = self.variants[int(app[end + 1:comma])]
        n = len(variant.variables)
        values = split_top(app, comma + 2, len(app) - 2)[:n] if n else []
        return head, variant, values


@lru_cache(maxsize=None)
def _bookkept_program(ruleset: str) -> tuple:
    """The statements of the bookkept program of ``ruleset`` (its encodings without their
    ``#show``, a bookkeeping rule per recorded variant, ``#show _pd_app/3.``), built once: every
    explanation of a case, and every further outcome a report needs, adds the same statements."""
    _, variants = _instrumented(ruleset)
    statements: list = []

    def add(stm):
        if stm.ast_type not in (ast.ASTType.ShowSignature, ast.ASTType.ShowTerm):
            statements.append(stm)
    ast.parse_files([str(p) for p in encoding_files(ruleset)], add)
    statements += [_bookkeeping(variant) for variant in variants if variant.recorded]
    ast.parse_string(f"#show {APP}/3.", statements.append)
    return tuple(statements)


@lru_cache(maxsize=None)
def _variant_tables(variants: tuple[Variant, ...]) -> tuple[frozenset, dict, frozenset]:
    """(names derived with more than one arity, replayed variants by predicate, structural
    predicates) of a rule set's variants: the same for each of its answer sets, so computed once
    (the variants of a rule set are one tuple, :func:`_instrumented`)."""
    arities: dict[str, set] = {}
    replayed: dict[str, list[Variant]] = {}
    kinds: dict[str, set] = {}
    for v in variants:
        name, arity = v.predicate.rsplit("/", 1)
        arities.setdefault(name, set()).add(arity)
        if not v.recorded:
            replayed.setdefault(v.predicate, []).append(v)
        kinds.setdefault(v.predicate, set()).add(bool(v.rule.site.helper))
    return (frozenset(n for n, a in arities.items() if len(a) > 1), replayed,
            frozenset(p for p, k in kinds.items() if k == {True}))


class BookkeptProgram:
    """The bookkept program of ``case`` grounded once; each :meth:`model` is one more solve of it
    (under assumptions, optionally preferring some atoms true), so that the further answer sets a
    report needs cost a solve each, not a grounding each."""

    def __init__(self, case: Case, extra: Iterable[clingo.Symbol] = ()):
        self.case = case
        self.rules, self.variants = _instrumented(case.ruleset)
        ctl = self.ctl = clingo.Control(["--warn=none"])
        with ast.ProgramBuilder(ctl) as builder:
            for stm in _bookkept_program(case.ruleset):
                builder.add(stm)
        self.inputs = (*case_symbols(case), *extra)
        with ctl.backend() as backend:
            for sym in self.inputs:
                backend.add_rule([backend.add_atom(sym)])
        ctl.ground([("base", [])])
        self._rounds = 0
        self._texts: dict[int, str] = {}

    def literal(self, symbol: clingo.Symbol) -> int | None:
        """The solver literal of a ground atom of the program, None when the grounder never made it."""
        sa = self.ctl.symbolic_atoms[symbol]
        return sa.literal if sa is not None else None

    def prefer(self, symbols: Iterable[clingo.Symbol]) -> None:
        """Make the solver decide ``symbols`` true first where it has a choice, for every later
        :meth:`model` (clingo's domain heuristic): each call's atoms get a higher level and
        priority than those of the calls before, so the atoms preferred last are decided first."""
        lits = sorted({abs(lit) for lit in map(self.literal, symbols) if lit is not None})
        if not lits:
            return
        self._rounds += 1
        self.ctl.configuration.solver.heuristic = "Domain"
        with self.ctl.backend() as backend:
            for lit in lits:
                backend.add_heuristic(lit, clingo.HeuristicType.Sign, 1, self._rounds, [])
                backend.add_heuristic(lit, clingo.HeuristicType.Level, self._rounds, self._rounds, [])

    def _texts_of(self, symbols) -> list[str]:
        """The symbols as text, each printed once per program (further answer sets share most of
        their bookkeeping with the first)."""
        texts = self._texts
        reps = [s._rep for s in symbols]
        fresh = [s for s, r in zip(symbols, reps) if r not in texts]
        texts.update(zip((s._rep for s in fresh), symbol_texts(fresh)))
        return [texts[r] for r in reps]

    def model(self, assumptions: Iterable[clingo.Symbol] = (), all_atoms: bool = True,
              check: Iterable[clingo.Symbol] = ()) -> ExplainedModel | None:
        """An answer set in which every assumed atom holds, or None when there is none; with
        ``check``, the answer set's :attr:`ExplainedModel.holding` says which of those atoms hold."""
        ctl = self.ctl
        lits = []
        for sym in assumptions:
            lit = self.literal(sym)
            if lit is None:
                return None
            lits.append(lit)
        check = tuple(check)
        with ctl.solve(assumptions=lits, yield_=True) as handle:
            for model in handle:
                shown = model.symbols(shown=True)
                everything = model.symbols(atoms=True) if all_atoms else []
                tested = tuple(sa.symbol for name, arity in _aggregate_quiet(self.case.ruleset)
                               for sa in ctl.symbolic_atoms.by_signature(name, arity) if model.contains(sa.symbol))
                holding = frozenset(s for s in check if model.contains(s))
                break
            else:
                return None
        apps = sorted(self._texts_of(shown))
        found = ExplainedModel(apps, list(self.rules), self.variants, tuple(self.inputs), everything, tested)
        found.holding = holding
        return found


def explained_model(case: Case, assumptions: Iterable[clingo.Symbol] = (),
                    extra: Iterable[clingo.Symbol] = (), all_atoms: bool = True) -> ExplainedModel | None:
    """Ground the bookkept program for ``case`` and return an answer set (one in which every
    assumed atom holds), or None when there is none.  ``all_atoms=False``: the answer set's atoms
    are not kept as symbols (:attr:`ExplainedModel.atoms`, which only why-not reads; on a large
    part, converting them costs as much as reading the bookkeeping)."""
    return BookkeptProgram(case, extra).model(assumptions, all_atoms)


@lru_cache(maxsize=None)
def _aggregate_quiet(ruleset: str) -> tuple[tuple[str, int], ...]:
    """(name, arity) of the quiet predicates tested inside an aggregate of ``ruleset``'s rules
    (``#sum { N, I : fact(…, I, N), hearing_count(I) }``): their atoms are not recorded, so an
    aggregate's words and support need them read off the answer set."""
    quiet = quiet_predicates()
    found: set[tuple[str, int]] = set()
    for site in rule_sites(ruleset):
        for lit in site.statement.body:
            if lit.ast_type != ast.ASTType.Literal or lit.atom.ast_type != ast.ASTType.BodyAggregate:
                continue
            for element in lit.atom.elements:
                for cond in element.condition:
                    if cond.ast_type == ast.ASTType.Literal and cond.atom.ast_type == ast.ASTType.SymbolicAtom:
                        fn = cond.atom.symbol
                        if fn.ast_type == ast.ASTType.Function and f"{fn.name}/{len(fn.arguments)}" in quiet:
                            found.add((fn.name, len(fn.arguments)))
    return tuple(sorted(found))
