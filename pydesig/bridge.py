"""The typed bridge between a Case and clingo: input facts as symbols, output atoms as tuples.

Every user string (region ids, official ids, names) becomes a ``clingo.String``; nothing a case
file says is ever pasted into program text, so an id like ``a"). x. %`` stays an id.
"""

from __future__ import annotations

import re
from functools import lru_cache

from clingo import Function, Number, String, Symbol, SymbolType

from .kb import knowledge_base
from .model import Case, Fact

__all__ = ["case_symbols", "subject_term", "to_python", "atom_args", "parse_atom", "INTERPRETATION",
           "interpretation_choices"]

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
        return [_constant(v) for v in value]
    return [_constant(value)]


def fact_symbols(fact: Fact) -> list[Symbol]:
    subject = _subject(fact.subject, fact.subject_id)
    return [
        Function("fact", [subject, Number(fact.year), _constant(fact.indicator), v])
        for v in _value(fact.value)
    ]


@lru_cache(maxsize=None)
def _constant(name: str) -> Symbol:
    return Function(name)


@lru_cache(maxsize=65536)
def _subject(kind: str, ident: str) -> Symbol:
    return subject_term(kind, ident)


def interpretation_choices(case: Case) -> dict[str, str]:
    """Every interpretation of the case's instrument with the option in force."""
    chosen = {}
    for name, interp in sorted(knowledge_base().interpretations.items()):
        if interp.applies_to(case.ruleset):
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
        if o.member_unit:
            out.append(Function("official_member_unit", [String(o.id)]))
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


_TERM_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?\d+|_*[a-z][A-Za-z0-9_\']*|[(),]')
_UNESCAPE = {"\\\\": "\\", '\\"': '"', "\\n": "\n"}


def atom_args(sym) -> tuple:
    """The arguments of a ground atom as plain Python (see :func:`to_python`), read from the
    atom's printed form in one call into clingo instead of several per argument: the result
    builder converts a hundred thousand atoms on national-scale cases.  Accepts a Symbol, its
    printed text, or a :class:`pydesig.solver.Atom` (which caches them)."""
    cached = getattr(sym, "args", None)
    if cached is not None:
        return cached
    return parse_atom(sym if isinstance(sym, str) else str(sym))[1]


def parse_atom(text: str) -> tuple[str, tuple]:
    """(name, arguments) of a printed ground atom, without recursion."""
    tokens = _TERM_TOKEN.findall(text)
    stack: list[list] = [[]]
    names: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        first = tok[0]
        if first == '"':
            body = tok[1:-1]
            stack[-1].append(re.sub(r'\\[\\"n]', lambda m: _UNESCAPE[m.group()], body) if "\\" in body else body)
        elif first == "-" or first.isdigit():
            stack[-1].append(int(tok))
        elif first == "(":
            names.append("")
            stack.append([])
        elif first == ")":
            args = stack.pop()
            stack[-1].append((names.pop(), *args))
        elif first != ",":
            if i + 1 < n and tokens[i + 1] == "(":
                names.append(tok)
                stack.append([])
                i += 1
            else:
                stack[-1].append(tok)
        i += 1
    top = stack[0][0]
    return (top[0], top[1:]) if isinstance(top, tuple) else (top, ())


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
