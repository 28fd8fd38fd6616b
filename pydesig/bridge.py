"""The typed bridge between a Case and clingo: input facts as symbols, output atoms as tuples.

Every user string (region ids, official ids, names) becomes a ``clingo.String``; nothing a case
file says is ever pasted into program text, so an id like ``a"). x. %`` stays an id.
"""

from __future__ import annotations

from clingo import Function, Number, String, Symbol, SymbolType

from .kb import knowledge_base
from .model import Case, Fact

__all__ = ["case_symbols", "subject_term", "to_python", "INTERPRETATION", "interpretation_choices"]

INTERPRETATION = "interpretation"


def subject_term(kind: str, ident: str) -> Symbol:
    """``region("220581")`` or ``official("zhang")``."""
    return Function(kind, [String(ident)])


def _value(value) -> list[Symbol]:
    if isinstance(value, bool):
        return [Function("true" if value else "false")]
    if isinstance(value, int):
        return [Number(value)]
    if isinstance(value, (tuple, list)):
        return [Function(v) for v in value]
    return [Function(value)]


def fact_symbols(fact: Fact) -> list[Symbol]:
    subject = subject_term(fact.subject, fact.subject_id)
    return [
        Function("fact", [subject, Number(fact.year), Function(fact.indicator), v])
        for v in _value(fact.value)
    ]


def interpretation_choices(case: Case) -> dict[str, str]:
    """Every interpretation of the case's instrument with the option in force."""
    chosen = {}
    for name, interp in sorted(knowledge_base().interpretations.items()):
        if interp.instrument == case.ruleset:
            chosen[name] = case.interpretations.get(name, interp.default)
    return chosen


def case_symbols(case: Case) -> list[Symbol]:
    """All input facts of a case, in a deterministic order."""
    out: list[Symbol] = []
    for r in sorted(case.regions.values(), key=lambda r: r.id):
        out.append(Function("region", [String(r.id), Function(r.kind)]))
        if r.parent:
            out.append(Function("parent", [String(r.id), String(r.parent)]))
    for o in sorted(case.officials.values(), key=lambda o: o.id):
        out.append(Function("official", [String(o.id), String(o.region), Function(o.role), Number(o.since)]))
        if o.until is not None:
            out.append(Function("official_until", [String(o.id), Number(o.until)]))
    for f in sorted(case.facts, key=lambda f: (f.subject, f.subject_id, f.year, f.indicator)):
        out.extend(fact_symbols(f))
    years = case.years
    if years:
        first, last = years
        out.extend(Function("year", [Number(y)]) for y in range(first, last + 1))
        out.append(Function("last_fact_year", [Number(last)]))
    for name, option in interpretation_choices(case).items():
        out.append(Function(INTERPRETATION, [Function(name), Function(option)]))
    for d in case.decisions:
        kind = "official" if "official" in d else "region"
        out.append(Function("decision", [subject_term(kind, d[kind]), Number(d["year"]), Function(d["decision"])]))
    return out


def to_python(sym: Symbol):
    """A clingo term as plain Python: numbers, strings, constants as str, functions as tuples."""
    if sym.type == SymbolType.Number:
        return sym.number
    if sym.type == SymbolType.String:
        return sym.string
    if sym.type == SymbolType.Function and not sym.arguments:
        return sym.name
    if sym.type == SymbolType.Function:
        return (sym.name, *(to_python(a) for a in sym.arguments))
    return str(sym)
