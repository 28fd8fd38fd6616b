"""Ground and solve a case through the clingo Python API.

The answer sets of an instrument's program are its lawful outcomes: deterministic consequences
are in all of them, each discretionary decision (可以, 视情, 或者) splits them.  ``solve`` asks
clingo for the brave consequences (true in some lawful outcome) and the cautious ones (true in
every lawful outcome); a measure in the cautious set is obligatory, one only in the brave set is
discretionary.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable, Iterator

import clingo
from clingo import ast

from .bridge import case_symbols, parse_atom, read_shown, shown_atoms, shown_keys
from .dispatch import run_parts
from .model import Case
from .parts import batches, split
from .program import encoding_files

__all__ = ["Atom", "Consequences", "NoLawfulOutcome", "consequences", "part_consequences", "outcomes",
           "control_for"]


class NoLawfulOutcome(Exception):
    """The fixed decisions (or interpretations) leave no lawful outcome."""


class Atom:
    """A shown atom true in some lawful outcome: its name and arguments as plain Python (read once,
    when the model is read), and whether it holds in every lawful outcome.  Its clingo symbol and
    printed text are at hand in the process that read the model (explanations assume atoms)."""

    __slots__ = ("key", "name", "args", "certain")

    def __init__(self, key, name: str, args: tuple, certain: bool):
        self.key, self.name, self.args, self.certain = key, name, args, certain

    def __getstate__(self):  # sent between processes: clingo's handle means nothing elsewhere
        return (None, self.name, self.args, self.certain)

    def __setstate__(self, state):
        self.key, self.name, self.args, self.certain = state

    @property
    def symbol(self) -> clingo.Symbol:
        if self.key is None:
            raise RuntimeError(f"the symbol of {self.name}{self.args} was read in another process")
        return self.key if isinstance(self.key, clingo.Symbol) else clingo.Symbol(self.key)

    @property
    def text(self) -> str:
        return str(self.symbol)

    @property
    def arguments(self):
        return self.symbol.arguments

    def __str__(self) -> str:
        return self.text

    def __lt__(self, other: "Atom") -> bool:
        return (self.name, self.args) < (other.name, other.args)


class Consequences:
    """Shown atoms true in some lawful outcome (brave), each marked whether it is true in every one
    (cautious), indexed by predicate so that the result builder reads each predicate without
    scanning the rest.  Picklable: parts are solved in other processes and merged here."""

    def __init__(self, atoms: Iterable[Atom] = ()):
        self._index: dict[tuple[str, int], list[Atom]] = {}
        self._by_value: dict[tuple, Atom] | None = None
        for atom in atoms:
            self._index.setdefault((atom.name, len(atom.args)), []).append(atom)

    @classmethod
    def read(cls, brave: list[tuple], cautious: set | None = None) -> "Consequences":
        """From :func:`pydesig.bridge.shown_atoms` of the brave model and the
        :func:`~pydesig.bridge.shown_keys` of the cautious one; ``cautious`` None: a single lawful
        outcome, every atom certain."""
        return cls(Atom(key, name, args, cautious is None or key in cautious) for key, name, args in brave)

    @classmethod
    def read_model(cls, model, cautious: set | None = None) -> "Consequences":
        """:meth:`read` straight from the brave model (in the same pass that reads it), given the
        :func:`~pydesig.bridge.shown_keys` of the cautious one."""
        found = cls()
        found._index = read_shown(model, Atom, cautious)
        return found

    @classmethod
    def merge(cls, parts: list["Consequences"]) -> "Consequences":
        """The consequences of a case from those of its parts.  The lawful outcomes of the whole are
        the combinations of the parts' outcomes, so an atom is brave when it is brave in some part,
        and certain when certain in some part (an atom no part is certain of can be avoided in each
        part at once).  Atoms naming no region or official (notices) can come from several parts."""
        if len(parts) == 1:
            return parts[0]
        merged = cls()
        seen: dict[tuple, Atom] = {}
        for part in parts:
            for key, atoms in part._index.items():
                into = merged._index.setdefault(key, [])
                for atom in atoms:
                    value = (atom.name, atom.args)
                    before = seen.get(value)
                    if before is None:
                        seen[value] = atom
                        into.append(atom)
                    elif atom.certain and not before.certain:
                        before.certain = True
        merged._by_value = seen
        return merged

    @property
    def brave(self) -> list[clingo.Symbol]:
        return [a.symbol for atoms in self._index.values() for a in atoms]

    def atoms(self, name: str, arity: int) -> list[Atom]:
        """The brave atoms of ``name/arity`` (in no particular order: callers sort what they build)."""
        return self._index.get((name, arity), [])

    def certain(self, atom) -> bool:
        """Whether ``atom`` (an Atom, a Symbol or its text) holds in every lawful outcome."""
        if isinstance(atom, Atom):
            return atom.certain
        if self._by_value is None:
            self._by_value = {(a.name, a.args): a for atoms in self._index.values() for a in atoms}
        found = self._by_value.get(parse_atom(str(atom)))
        return found is not None and found.certain


@lru_cache(maxsize=8)
def _parsed(files: tuple[tuple[str, int, int], ...]) -> tuple:
    """The statements of the encoding files (each named with its size and modification time, so an
    edited file is parsed again), parsed once per process: a process that solves many parts hands
    each control the parsed program instead of parsing the files again (half the cost of loading
    them)."""
    statements: list = []
    ast.parse_files([name for name, _, _ in files], statements.append, logger=lambda code, message: None)
    return tuple(statements)


def encoding_statements(ruleset: str) -> tuple:
    """The parsed statements of a ruleset's encodings (see :func:`_parsed`)."""
    files = []
    for path in encoding_files(ruleset):
        stat = path.stat()
        files.append((str(path), stat.st_size, stat.st_mtime_ns))
    return _parsed(tuple(files))


def control_for(case: Case, extra: Iterable[clingo.Symbol] = (), arguments: Iterable[str] = ()) -> clingo.Control:
    """A grounded control for the case: the encodings (parsed once per process), the facts added as
    symbols."""
    ctl = clingo.Control(["--warn=none", *arguments])
    with ast.ProgramBuilder(ctl) as builder:
        for statement in encoding_statements(case.ruleset):
            builder.add(statement)
    with ctl.backend() as backend:
        for sym in [*case_symbols(case), *extra]:
            backend.add_rule([backend.add_atom(sym)])
    ctl.ground([("base", [])])
    return ctl


def _last_model(ctl: clingo.Control, mode: str, read=shown_atoms):
    """(models visited, the shown atoms of the last model read by ``read``) of an enumeration in
    ``mode``: in brave (cautious) mode the last model holds the brave (cautious) consequences.
    Only that model is read; the others are stepped over inside clingo."""
    ctl.configuration.solve.enum_mode = mode
    ctl.configuration.solve.models = 0
    with ctl.solve(yield_=True) as handle:
        count = sum(1 for _ in handle)
        last = handle.last()
        return count, (None if last is None else read(last))


def part_consequences(case: Case, extra: Iterable[clingo.Symbol] = ()) -> Consequences:
    """Brave and cautious consequences of one program: the whole case's, or one part's.

    The program is grounded once and enumerated twice: in cautious mode (each model must drop an
    atom still believed certain), then in brave mode (each model must add an atom not yet seen),
    whose last model is read with the cautious keys at hand, so that each atom is built once,
    marked.  A case with a single lawful outcome costs one model and one failed search in each;
    no separate "is there a second answer set?" search is needed first."""
    ctl = control_for(case, extra)
    count, cautious = _last_model(ctl, "cautious", shown_keys)
    if count == 0:
        raise NoLawfulOutcome("no lawful outcome: the fixed decisions cannot all hold together"
                              + (f" (in {case.part})" if case.part else ""))
    _, found = _last_model(ctl, "brave", lambda model: Consequences.read_model(model, cautious))
    return found


def consequences(case: Case, extra: Iterable[clingo.Symbol] = (), *, workers: int | None = None,
                 scheduler: str | None = None, whole: bool = False,
                 progress: Callable[[int, int], None] | None = None) -> Consequences:
    """Brave and cautious consequences of the case, part by part (``pydesig.parts``) on the
    executor chosen (``pydesig.dispatch``), merged; ``whole=True`` solves the case as one program
    (the reference the parts must match).  ``extra`` symbols (the crosswalk's) solve it whole."""
    extra = list(extra)
    if whole or extra:
        return part_consequences(case, extra)
    parts = batches(split(case))
    if len(parts) == 1 and not scheduler:
        return part_consequences(parts[0])
    return Consequences.merge(run_parts(parts, part_consequences, workers=workers, scheduler=scheduler,
                                        progress=progress))


def outcomes(case: Case, limit: int = 0, extra: Iterable[clingo.Symbol] = ()) -> Iterator[list[clingo.Symbol]]:
    """Every lawful outcome (answer set) of the case, as sorted shown atoms; ``limit`` 0 is all."""
    ctl = control_for(case, extra, [f"--models={limit}"])
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            yield sorted(model.symbols(shown=True))
