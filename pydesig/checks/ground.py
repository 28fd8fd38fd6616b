"""Solving small generated cases against an instrument's encoding files.

The checks confirm what they find by running the rules: a generated case (a :class:`pydesig.model.Case`
built in code) is turned into clingo symbols by :mod:`pydesig.bridge` and grounded with the
instrument's files, exactly as ``pydesig solve`` would, and the answer is read from the atoms.
The generated case is also written out as a case file (``counterexample``) a user can run.
"""

from __future__ import annotations

from typing import Iterable

import clingo
import yaml
from clingo import Symbol

from ..bridge import INTERPRETATION, case_symbols
from ..model import Case, Fact, Official, Region
from .context import Context

__all__ = ["symbols_for", "model_atoms", "consequences_for", "case_yaml", "probe_case"]


def symbols_for(ctx: Context, case: Case) -> list[Symbol]:
    """The case's input symbols, with the interpretations of ``ctx``'s knowledge base (the case's
    own choices win, every other interpretation at its default)."""
    syms = [s for s in case_symbols(case) if s.name != INTERPRETATION]
    return syms + ctx.interpretation_symbols(case.ruleset, case.interpretations)


def _control(ctx: Context, ruleset: str, symbols: Iterable[Symbol], extra_rules=None, args=()) -> clingo.Control:
    ctl = clingo.Control(["--warn=none", *args])
    for path in ctx.instruments[ruleset].files:
        ctl.load(str(path))
    if extra_rules:
        extra_rules(ctl)
    with ctl.backend() as backend:
        for sym in symbols:
            backend.add_rule([backend.add_atom(sym)])
    ctl.ground([("base", [])])
    return ctl


def model_atoms(ctx: Context, case: Case, extra: Iterable[Symbol] = ()) -> set[Symbol] | None:
    """All atoms of one answer set of the case (None: no lawful outcome)."""
    ctl = _control(ctx, case.ruleset, [*symbols_for(ctx, case), *extra], args=["--models=1"])
    found = None
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            found = set(model.symbols(atoms=True))
            break
    return found


def consequences_for(ctx: Context, case: Case, extra: Iterable[Symbol] = ()):
    """(brave, cautious) shown atoms of the case, or None when it has no lawful outcome."""
    ctl = _control(ctx, case.ruleset, [*symbols_for(ctx, case), *extra])
    models = []
    ctl.configuration.solve.models = 2
    with ctl.solve(yield_=True) as handle:
        for model in handle:
            models.append(set(model.symbols(shown=True)))
    if not models:
        return None
    if len(models) == 1:
        return models[0], models[0]
    result = []
    for mode in ("brave", "cautious"):
        ctl.configuration.solve.enum_mode = mode
        ctl.configuration.solve.models = 0
        last = set()
        with ctl.solve(yield_=True) as handle:
            for model in handle:
                last = set(model.symbols(shown=True))
        result.append(last)
    return result[0], result[1]


def probe_case(ruleset: str, title: str, facts: list[Fact], officials: list[Official] = (),
               interpretations: dict | None = None, regions: list[Region] | None = None) -> Case:
    """A small generated case: a city and a county under it (ids C0 / R1) unless ``regions`` say otherwise."""
    regions = regions or [Region("C0", "示例市", "city"), Region("R1", "示例县", "county", "C0")]
    return Case(path=f"<{title}>", ruleset=ruleset, title=title,
                regions={r.id: r for r in regions}, officials={o.id: o for o in officials},
                facts=list(facts), interpretations=dict(interpretations or {}))


def case_document(case: Case) -> dict:
    """The case as a contract case file (``format: pydesig-case/1``)."""
    doc: dict = {"format": "pydesig-case/1", "ruleset": case.ruleset, "title": case.title, "regions": []}
    for r in case.regions.values():
        entry = {"id": r.id, "name": r.name, "kind": r.kind}
        if r.parent:
            entry["parent"] = r.parent
        doc["regions"].append(entry)
    if case.officials:
        doc["officials"] = []
        for o in case.officials.values():
            entry = {"id": o.id, "name": o.name, "region": o.region, "role": o.role, "since": o.since}
            if o.until is not None:
                entry["until"] = o.until
            doc["officials"].append(entry)
    records: dict[tuple, dict] = {}
    for f in case.facts:
        key = (f.subject, f.subject_id, f.year)
        rec = records.setdefault(key, {f.subject: f.subject_id, "year": f.year})
        rec[f.indicator] = list(f.value) if isinstance(f.value, tuple) else f.value
    doc["facts"] = list(records.values())
    if case.interpretations:
        doc["interpretations"] = dict(sorted(case.interpretations.items()))
    if case.decisions:
        doc["decisions"] = [dict(d) for d in case.decisions]
    return doc


def case_yaml(case: Case) -> str:
    return yaml.safe_dump(case_document(case), allow_unicode=True, sort_keys=False, default_flow_style=None,
                          width=200)
