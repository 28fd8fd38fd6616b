"""A small runnable case that shows a marker: the witness of a brave search, shrunk.

A brave search over the generated cases (:mod:`.generate`) says *that* some case has a property
(a marker atom such as ``_chk_twice(interview, …)``).  One more solve under the marker as an
assumption gives a witness answer set.  That solve *minimises* the input facts the case chooses
(a ``#minimize`` over the generated ``fact/4`` and ``official_until/2`` atoms, added through the
backend), within a fixed conflict budget so that the result does not depend on the machine; the
case is then shrunk further — facts, officials, regions and interpretations dropped while the real
encodings, with the same marker rules and a constraint requiring the marker, still have an answer
set — so that the counterexample an analyst runs holds only what matters.
"""

from __future__ import annotations

from clingo import ast

from ..model import Case
from .context import Context
from .deontic import _has_outcome, _shrink
from .generate import Domain, case_from_model

__all__ = ["witness_case"]

_LOC = ast.Location(ast.Position("<check>", 1, 1), ast.Position("<check>", 1, 1))


def _requiring(marker) -> object:
    """``:- not marker.`` as an AST constraint (the marker is a ground symbol built by the check)."""
    atom = ast.SymbolicAtom(ast.SymbolicTerm(_LOC, marker))
    return ast.Rule(_LOC, ast.Literal(_LOC, ast.Sign.NoSign, ast.BooleanConstant(False)),
                    [ast.Literal(_LOC, ast.Sign.Negation, atom)])


_BUDGET = "20000"  # conflicts per witness search: deterministic, unlike a time limit


def _minimising(ctl) -> None:
    """Make the control prefer witnesses with few input facts (once per control)."""
    ctl.configuration.solve.enum_mode = "auto"
    ctl.configuration.solve.models = 0
    ctl.configuration.solve.opt_mode = "opt"
    ctl.configuration.solve.solve_limit = _BUDGET
    ctl.configuration.solver.opt_strategy = "usc"  # core-guided: few intermediate models
    if getattr(ctl, "_pd_minimising", False):
        return
    inputs = [a.literal for sig in (("fact", 4), ("official_until", 2))
              for a in ctl.symbolic_atoms.by_signature(*sig) if not a.is_fact]
    with ctl.backend() as backend:
        backend.add_minimize(0, [(lit, 1) for lit in inputs])
    ctl._pd_minimising = True


def witness_case(ctx: Context, ruleset: str, ctl, marker, statements: list, domain: Domain = Domain(),
                 title: str = "") -> Case | None:
    """The shrunk case of a witness of ``marker`` in the grounded space ``ctl``; ``statements`` are the
    check's marker rules (AST), added to the real encodings while shrinking."""
    _minimising(ctl)
    atoms = None
    with ctl.solve(assumptions=[(marker, True)], yield_=True) as handle:
        for model in handle:
            atoms = model.symbols(atoms=True)  # each model improves on the one before
    ctl.configuration.solve.solve_limit = "umax,umax"
    if atoms is None:  # no witness within the budget: any witness, shrunk below
        ctl.configuration.solve.opt_mode = "ignore"
        ctl.configuration.solve.models = 1
        with ctl.solve(assumptions=[(marker, True)], yield_=True) as handle:
            for model in handle:
                atoms = model.symbols(atoms=True)
        ctl.configuration.solve.opt_mode = "opt"
    if atoms is None:
        return None
    case = case_from_model(ctx, ruleset, atoms, domain, title=title)
    require = [*statements, _requiring(marker)]
    if not _has_outcome(ctx, case, require):
        return None  # the generated space and the real encodings disagree: no counterexample to show
    return _shrink(ctx, case, lambda c: _has_outcome(ctx, c, require))
