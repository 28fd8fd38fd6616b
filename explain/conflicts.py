"""Which fixed decisions conflict, when together they leave no lawful outcome.

The case is solved with its decisions as assumptions rather than facts (each ``decision/3`` atom a
free choice, assumed true); clingo returns an unsatisfiable core, which is shrunk one decision at a
time to a smallest set that still admits no lawful outcome.  For each decision of that set the
answer names the provision that gives it (``kb/vocabulary`` ``decisions``) and whether it is a
lawful option at all where it is taken (its point: subject and year).
"""

from __future__ import annotations

import dataclasses

import clingo

from pydesig.bridge import atom_args, case_symbols
from pydesig.kb import knowledge_base
from pydesig.model import Case
from pydesig.program import encoding_files

__all__ = ["conflicting_decisions"]


def _decision_symbol(d: dict) -> clingo.Symbol:
    kind = "official" if "official" in d else "region"
    return clingo.Function("decision", [clingo.Function(kind, [clingo.String(d[kind])]), clingo.Number(d["year"]),
                                        clingo.Function(d["decision"])])


def _control(case: Case, decisions: list[dict]) -> tuple[clingo.Control, list[clingo.Symbol]]:
    free = dataclasses.replace(case, decisions=[])
    ctl = clingo.Control(["--warn=none"])
    for path in encoding_files(case.ruleset):
        ctl.load(str(path))
    symbols = [_decision_symbol(d) for d in decisions]
    with ctl.backend() as backend:
        for sym in case_symbols(free):
            backend.add_rule([backend.add_atom(sym)])
        for sym in symbols:  # a free choice, fixed by assumption
            backend.add_rule([backend.add_atom(sym)], choice=True)
    ctl.ground([("base", [])])
    return ctl, symbols


def _unsat(ctl: clingo.Control, symbols: list[clingo.Symbol], chosen: list[int]) -> list[int] | None:
    """The indices of an unsatisfiable core among ``chosen``, or None when they admit an outcome.
    The decisions not chosen are assumed false, so that they neither help nor hurt."""
    lits = {}
    for i, sym in enumerate(symbols):
        sa = ctl.symbolic_atoms[sym]
        lits[i] = sa.literal if sa is not None else None
    assumptions = []
    for i in range(len(symbols)):
        if lits[i] is None:
            continue
        assumptions.append(lits[i] if i in chosen else -lits[i])
    core: list[int] = []
    result = ctl.solve(assumptions=assumptions, on_core=lambda c: core.extend(c))
    if result.satisfiable:
        return None
    by_literal = {lits[i]: i for i in chosen if lits[i] is not None}
    return sorted({by_literal[c] for c in core if c in by_literal}) or list(chosen)


def conflicting_decisions(case: Case) -> dict | None:
    """A smallest set of the case's fixed decisions that leaves no lawful outcome, with the
    provisions that govern them; None when the decisions admit an outcome (or when the case has no
    lawful outcome even without them)."""
    decisions = list(case.decisions)
    if not decisions:
        return None
    ctl, symbols = _control(case, decisions)
    if _unsat(ctl, symbols, []) is not None:
        return None  # no outcome even without the decisions: not theirs to explain
    core = _unsat(ctl, symbols, list(range(len(decisions))))
    if core is None:
        return None
    for i in list(core):  # shrink: drop every decision the conflict does not need
        rest = [j for j in core if j != i]
        if _unsat(ctl, symbols, rest) is not None:
            core = rest
    options = _options(ctl)
    kb = knowledge_base()
    known = kb.vocabulary.get("decisions", {})
    out = []
    for i in core:
        d = decisions[i]
        kind = "official" if "official" in d else "region"
        entry = {kind: d[kind], "year": d["year"], "decision": d["decision"], "record": d.get("record")}
        pid = known.get(d["decision"], {}).get("provision")
        if pid:
            entry["citation"] = kb.citation(pid)
        negated = known.get(d["decision"], {}).get("negates")
        point = (kind, d[kind], d["year"])
        entry["lawful_option"] = ((*point, d["decision"]) in options
                                  or (negated is not None and (*point, negated) not in options))
        out.append(entry)
    return {"decisions": out}


def _options(ctl: clingo.Control) -> set[tuple]:
    """Every lawful decision option of some outcome without the fixed decisions."""
    found: set[tuple] = set()
    lits = [-sa.literal for sa in ctl.symbolic_atoms.by_signature("decision", 3)]
    ctl.configuration.solve.enum_mode = "brave"
    ctl.configuration.solve.models = 0
    last = None
    with ctl.solve(assumptions=lits, yield_=True) as handle:
        for model in handle:
            last = model.symbols(atoms=True)
    for sym in last or ():
        if sym.name == "decision_option" and len(sym.arguments) == 4:
            (kind, ident), year, decision, _ = atom_args(str(sym))
            found.add((kind, ident, year, decision))
    return found
