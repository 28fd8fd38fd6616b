"""Ground and solve a case through the clingo Python API.

The answer sets of an instrument's program are its lawful outcomes: deterministic consequences
are in all of them, each discretionary decision (可以, 视情, 或者) splits them.  ``solve`` asks
clingo for the brave consequences (true in some lawful outcome) and the cautious ones (true in
every lawful outcome); a measure in the cautious set is obligatory, one only in the brave set is
discretionary.
"""

from __future__ import annotations

from typing import Iterable, Iterator

import clingo

from .bridge import case_symbols
from .model import Case
from .program import encoding_files

__all__ = ["Consequences", "NoLawfulOutcome", "consequences", "outcomes", "control_for"]


class NoLawfulOutcome(Exception):
    """The fixed decisions (or interpretations) leave no lawful outcome."""


class Consequences:
    """Shown atoms true in some lawful outcome (brave) and in every one (cautious), indexed by
    predicate so that the result builder reads each predicate without scanning the rest."""

    def __init__(self, brave: Iterable[clingo.Symbol], cautious: Iterable[clingo.Symbol]):
        self.brave = frozenset(brave)
        self.cautious = frozenset(cautious)
        self._index: dict[tuple[str, int], list[clingo.Symbol]] = {}
        for sym in self.brave:
            self._index.setdefault((sym.name, len(sym.arguments)), []).append(sym)

    def atoms(self, name: str, arity: int) -> list[clingo.Symbol]:
        """The brave atoms of ``name/arity`` (in no particular order: callers sort what they build)."""
        return self._index.get((name, arity), [])

    def certain(self, sym: clingo.Symbol) -> bool:
        """Whether ``sym`` holds in every lawful outcome."""
        return sym in self.cautious


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


def _last_model(ctl: clingo.Control, mode: str) -> list[clingo.Symbol] | None:
    ctl.configuration.solve.enum_mode = mode
    ctl.configuration.solve.models = 0
    last = None
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            last = model.symbols(shown=True)
    return last


def consequences(case: Case, extra: Iterable[clingo.Symbol] = ()) -> Consequences:
    """Brave and cautious consequences of the case's program.

    Most cases have a single lawful outcome (no discretion is triggered); one search for a
    second answer set settles that, and then brave = cautious = the one answer set.  Only when
    discretion splits the outcomes are the brave and the cautious consequences computed."""
    ctl = control_for(case, extra)
    ctl.configuration.solve.models = 2
    found = []
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            found.append(model.symbols(shown=True))
    if not found:
        raise NoLawfulOutcome("no lawful outcome: the fixed decisions cannot all hold together")
    if len(found) == 1:
        return Consequences(found[0], found[0])
    brave = _last_model(ctl, "brave")
    cautious = _last_model(ctl, "cautious")
    return Consequences(brave or (), cautious or ())


def outcomes(case: Case, limit: int = 0, extra: Iterable[clingo.Symbol] = ()) -> Iterator[list[clingo.Symbol]]:
    """Every lawful outcome (answer set) of the case, as sorted shown atoms; ``limit`` 0 is all."""
    ctl = control_for(case, extra, [f"--models={limit}"])
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            yield sorted(model.symbols(shown=True))
