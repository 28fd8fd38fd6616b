"""Ground and solve a case through the clingo Python API.

The answer sets of an instrument's program are its lawful outcomes: deterministic consequences
are in all of them, each discretionary decision (可以, 视情, 或者) splits them.  ``solve`` asks
clingo for the brave consequences (true in some lawful outcome) and the cautious ones (true in
every lawful outcome); a measure in the cautious set is obligatory, one only in the brave set is
discretionary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

import clingo

from .bridge import case_symbols
from .model import Case
from .program import encoding_files

__all__ = ["Consequences", "NoLawfulOutcome", "consequences", "outcomes", "control_for"]


class NoLawfulOutcome(Exception):
    """The fixed decisions (or interpretations) leave no lawful outcome."""


@dataclass(frozen=True)
class Consequences:
    """Shown atoms true in some lawful outcome (brave) and in every one (cautious)."""

    brave: frozenset[clingo.Symbol]
    cautious: frozenset[clingo.Symbol]

    def atoms(self, name: str, arity: int, *, certain: bool = False) -> list[clingo.Symbol]:
        pool = self.cautious if certain else self.brave
        return sorted(s for s in pool if s.name == name and len(s.arguments) == arity)


def control_for(case: Case, extra: Iterable[clingo.Symbol] = (), arguments: Iterable[str] = ()) -> clingo.Control:
    """A grounded control for the case: the encodings loaded as files, the facts added as symbols."""
    ctl = clingo.Control(["--warn=none", *arguments])
    for path in encoding_files(case.ruleset):
        ctl.load(str(path))
    with ctl.backend() as backend:
        for sym in [*case_symbols(case), *extra]:
            backend.add_rule([backend.add_atom(sym)])
    ctl.ground([("base", [])])
    return ctl


def _last_model(ctl: clingo.Control, mode: str) -> frozenset[clingo.Symbol] | None:
    ctl.configuration.solve.enum_mode = mode
    ctl.configuration.solve.models = 0
    last = None
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            last = model.symbols(shown=True)
    return None if last is None else frozenset(last)


def consequences(case: Case, extra: Iterable[clingo.Symbol] = ()) -> Consequences:
    """Brave and cautious consequences of the case's program."""
    ctl = control_for(case, extra)
    brave = _last_model(ctl, "brave")
    if brave is None:
        raise NoLawfulOutcome("no lawful outcome: the fixed decisions cannot all hold together")
    cautious = _last_model(ctl, "cautious")
    return Consequences(brave=brave, cautious=cautious if cautious is not None else frozenset())


def outcomes(case: Case, limit: int = 0, extra: Iterable[clingo.Symbol] = ()) -> Iterator[list[clingo.Symbol]]:
    """Every lawful outcome (answer set) of the case, as sorted shown atoms; ``limit`` 0 is all."""
    ctl = control_for(case, extra, [f"--models={limit}"])
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            yield sorted(model.symbols(shown=True))
