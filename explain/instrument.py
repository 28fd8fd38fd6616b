"""The encodings with explanation bookkeeping, added on clingo's AST (never by editing them).

For every rule ``H :- B.`` the explainer adds ``_pd_app(I, (X1,…,Xn)) :- B.``, where I numbers
the rule and X1…Xn are its global variables: an answer set then records every ground instance
of every rule whose body held.  The encodings themselves are loaded unchanged, so
``pydesig program`` still prints plain ASP, and the bookkeeping atoms carry the ``_pd_`` prefix
that no encoding uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import clingo
from clingo import ast

from pydesig.annotations import RuleSite, rule_sites
from pydesig.bridge import case_symbols
from pydesig.model import Case
from pydesig.program import encoding_files

from .terms import variables

__all__ = ["APP", "InstrumentedRule", "instrumented_rules", "explained_model", "ExplainedModel"]

APP = "_pd_app"


@dataclass(frozen=True)
class InstrumentedRule:
    index: int
    site: RuleSite
    global_vars: tuple[str, ...]


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
    return [InstrumentedRule(i, site, _global_variables(site.statement))
            for i, site in enumerate(rule_sites(ruleset))]


def _bookkeeping(rule: InstrumentedRule):
    loc = rule.site.statement.location
    args = [ast.Variable(loc, v) for v in rule.global_vars]
    head = ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(
        loc, APP, [ast.SymbolicTerm(loc, clingo.Number(rule.index)), ast.Function(loc, "", args, False)], False)))
    return ast.Rule(loc, head, rule.site.statement.body)


@dataclass
class ExplainedModel:
    """One answer set with every atom (not only the shown ones) and the rule instances that fired."""

    atoms: frozenset[clingo.Symbol]
    applications: list[tuple[int, tuple[clingo.Symbol, ...]]]
    rules: list[InstrumentedRule]
    inputs: frozenset[clingo.Symbol]


def explained_model(case: Case, assumptions: Iterable[clingo.Symbol] = (),
                    extra: Iterable[clingo.Symbol] = ()) -> ExplainedModel | None:
    """Ground the bookkept program for ``case`` and return an answer set (one in which every
    assumed atom holds), or None when there is none."""
    rules = instrumented_rules(case.ruleset)
    ctl = clingo.Control(["--warn=none"])
    with ast.ProgramBuilder(ctl) as builder:
        ast.parse_files([str(p) for p in encoding_files(case.ruleset)], builder.add)
        for rule in rules:
            builder.add(_bookkeeping(rule))
    inputs = [*case_symbols(case), *extra]
    with ctl.backend() as backend:
        for sym in inputs:
            backend.add_rule([backend.add_atom(sym)])
    ctl.ground([("base", [])])
    wanted = list(assumptions)
    lits = []
    for sym in wanted:
        sa = ctl.symbolic_atoms[sym]
        if sa is None:
            return None
        lits.append(sa.literal)
    found = None
    with ctl.solve(assumptions=lits, yield_=True) as handle:
        for model in handle:
            found = model.symbols(atoms=True)
            break
    if found is None:
        return None
    apps, atoms = [], []
    for sym in found:
        if sym.name == APP:
            index, args = sym.arguments
            apps.append((index.number, tuple(args.arguments)))
        else:
            atoms.append(sym)
    return ExplainedModel(frozenset(atoms), apps, rules, frozenset(inputs))
