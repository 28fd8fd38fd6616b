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

from .bridge import case_symbols, parse_atom
from .model import Case
from .program import encoding_files

__all__ = ["Atom", "Consequences", "NoLawfulOutcome", "consequences", "outcomes", "control_for"]


class NoLawfulOutcome(Exception):
    """The fixed decisions (or interpretations) leave no lawful outcome."""


class Atom:
    """A shown atom of an answer set: its clingo symbol, printed text and parsed arguments.

    The result builder reads each atom's arguments once, from its text; membership in the
    cautious consequences is a lookup of that text."""

    __slots__ = ("symbol", "text", "name", "args")

    def __init__(self, symbol: clingo.Symbol, text: str):
        self.symbol, self.text = symbol, text
        self.name, self.args = parse_atom(text)

    @property
    def arguments(self):
        return self.symbol.arguments

    def __str__(self) -> str:
        return self.text

    def __lt__(self, other: "Atom") -> bool:
        return self.symbol < other.symbol


class Consequences:
    """Shown atoms true in some lawful outcome (brave) and in every one (cautious), indexed by
    predicate so that the result builder reads each predicate without scanning the rest."""

    def __init__(self, brave: Iterable[clingo.Symbol], cautious: Iterable[clingo.Symbol] | None = None):
        self._index: dict[tuple[str, int], list[Atom]] = {}
        for sym in brave:
            atom = Atom(sym, str(sym))
            self._index.setdefault((atom.name, len(atom.args)), []).append(atom)
        # cautious None: the same set as brave (a single lawful outcome)
        self._cautious = None if cautious is None else {str(sym) for sym in cautious}

    @property
    def brave(self) -> list[clingo.Symbol]:
        return [a.symbol for atoms in self._index.values() for a in atoms]

    def atoms(self, name: str, arity: int) -> list[Atom]:
        """The brave atoms of ``name/arity`` (in no particular order: callers sort what they build)."""
        return self._index.get((name, arity), [])

    def certain(self, atom) -> bool:
        """Whether ``atom`` (an Atom or a Symbol) holds in every lawful outcome."""
        if self._cautious is None:
            return True
        return (atom.text if isinstance(atom, Atom) else str(atom)) in self._cautious


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
    """The shown atoms of the last model of an enumeration: in brave (cautious) mode, the brave
    (cautious) consequences.  Only that model is converted to symbols."""
    ctl.configuration.solve.enum_mode = mode
    ctl.configuration.solve.models = 0
    with ctl.solve(yield_=True) as handle:
        for _ in handle:
            pass
        last = handle.last()
        return None if last is None else last.symbols(shown=True)


def consequences(case: Case, extra: Iterable[clingo.Symbol] = ()) -> Consequences:
    """Brave and cautious consequences of the case's program.

    Most cases have a single lawful outcome (no discretion is triggered); one search for a
    second answer set settles that, and then brave = cautious = the one answer set.  Only when
    discretion splits the outcomes are the brave and the cautious consequences computed."""
    ctl = control_for(case, extra)
    ctl.configuration.solve.models = 2
    with ctl.solve(yield_=True) as handle:
        count = sum(1 for _ in handle)
        only = handle.last().symbols(shown=True) if count == 1 else None
    if count == 0:
        raise NoLawfulOutcome("no lawful outcome: the fixed decisions cannot all hold together")
    if only is not None:
        return Consequences(only)
    brave = _last_model(ctl, "brave")
    cautious = _last_model(ctl, "cautious")
    return Consequences(brave or (), cautious or ())


def outcomes(case: Case, limit: int = 0, extra: Iterable[clingo.Symbol] = ()) -> Iterator[list[clingo.Symbol]]:
    """Every lawful outcome (answer set) of the case, as sorted shown atoms; ``limit`` 0 is all."""
    ctl = control_for(case, extra, [f"--models={limit}"])
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            yield sorted(model.symbols(shown=True))
