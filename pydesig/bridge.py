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

__all__ = ["case_symbols", "subject_term", "to_python", "atom_args", "parse_atom", "parse_atoms", "symbol_texts",
           "shown_atoms", "shown_keys", "read_shown", "INTERPRETATION", "interpretation_choices"]

INTERPRETATION = "interpretation"


def subject_term(kind: str, ident: str) -> Symbol:
    """``region("220581")`` or ``official("zhang")``."""
    return Function(kind, [String(ident)])


_number = lru_cache(maxsize=65536)(Number)  # years and counts recur: one clingo call each


def _value(value) -> list[Symbol]:
    if isinstance(value, bool):
        return [_constant("true" if value else "false")]
    if isinstance(value, int):
        return [_number(value)]
    if isinstance(value, (tuple, list)):
        return [_constant(v) for v in value]
    return [_constant(value)]


def fact_symbols(fact: Fact) -> list[Symbol]:
    subject = _subject(fact.subject, fact.subject_id)
    return [
        Function("fact", [subject, _number(fact.year), _constant(fact.indicator), v])
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


def symbol_texts(symbols) -> list[str]:
    """``[str(s) for s in symbols]``, through clingo's C API with one reused buffer where the
    installed clingo module allows it (a third faster on national-scale cases), else as written."""
    try:
        from clingo._internal import _ffi, _lib  # the C API as the clingo module binds it

        to_size, to_string, unpack = _lib.clingo_symbol_to_string_size, _lib.clingo_symbol_to_string, _ffi.unpack
        size = _ffi.new("size_t*")
        capacity = 1 << 12
        buffer = _ffi.new("char[]", capacity)
        out = []
        for sym in symbols:
            rep = sym._rep
            if not to_size(rep, size):
                raise RuntimeError
            n = size[0]
            if n > capacity:
                capacity = n
                buffer = _ffi.new("char[]", capacity)
            if not to_string(rep, buffer, n):
                raise RuntimeError
            out.append(unpack(buffer, n - 1).decode())
        return out
    except Exception:  # noqa: BLE001 - any change in clingo's internals: the public way
        return [str(s) for s in symbols]


_ATOMS_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?\d+|_*[a-z][A-Za-z0-9_\']*|[(),;]')


def parse_atoms(texts: list[str]) -> list[tuple[str, tuple]]:
    """(name, arguments) of many printed ground atoms, read in one pass: one tokenizer call over all
    of them (``;`` never occurs in a printed atom outside a string) and one loop that builds each
    atom's tuple as its closing parenthesis arrives."""
    if not texts:
        return []
    tokens = _ATOMS_TOKEN.findall(";".join(texts) + ";")
    out: list[tuple[str, tuple]] = []
    stack: list[list] = [[]]
    names: list[str] = []
    i, n = 0, len(tokens)
    unescape = _UNESCAPE
    while i < n:
        tok = tokens[i]
        first = tok[0]
        if first == '"':
            body = tok[1:-1]
            stack[-1].append(re.sub(r'\\[\\"n]', lambda m: unescape[m.group()], body) if "\\" in body else body)
        elif first == "-" or first.isdigit():
            stack[-1].append(int(tok))
        elif first == "(":
            names.append("")
            stack.append([])
        elif first == ")":
            args = stack.pop()
            stack[-1].append((names.pop(), *args))
        elif first == ";":
            top = stack[0].pop()
            out.append((top[0], top[1:]) if isinstance(top, tuple) else (top, ()))
        elif first != ",":
            if tokens[i + 1] == "(":
                names.append(tok)
                stack.append([])
                i += 1
            else:
                stack[-1].append(tok)
        i += 1
    return out


def shown_atoms(model) -> list[tuple[int, str, tuple]]:
    """The shown atoms of a clingo model as ``(key, name, arguments)``, arguments as plain Python
    (see :func:`to_python`), read straight from clingo's symbol table: no Symbol object and no text
    per atom.  clingo keeps one copy of every symbol, so an argument that recurs (a provision id, a
    subject ``region("220581")``) is converted once and then found by its key.  ``key`` is clingo's
    handle of the atom (an int, valid in this process), or, should clingo's internals differ and
    the public API be used instead, the Symbol itself."""
    try:
        return _shown_atoms_c(model)
    except Exception:  # noqa: BLE001 - any change in clingo's internals: the public way
        symbols = model.symbols(shown=True)
        return [(sym, name, args) for sym, (name, args) in zip(symbols, parse_atoms(symbol_texts(symbols)))]


def shown_keys(model) -> set:
    """The keys (as :func:`shown_atoms` gives them) of a model's shown atoms, nothing converted:
    what membership in the cautious consequences needs."""
    try:
        from clingo._internal import _ffi

        return set(_ffi.unpack(*_model_array(model)))
    except Exception:  # noqa: BLE001 - as in shown_atoms
        return set(model.symbols(shown=True))


def _model_array(model):
    from clingo._internal import _ffi, _lib

    flags = _lib.clingo_show_type_shown
    size = _ffi.new("size_t*")
    if not _lib.clingo_model_symbols_size(model._rep, flags, size):
        raise RuntimeError("clingo_model_symbols_size")
    n = size[0]
    array = _ffi.new("clingo_symbol_t[]", n)
    if not _lib.clingo_model_symbols(model._rep, flags, array, n):
        raise RuntimeError("clingo_model_symbols")
    return array, n


def read_shown(model, make, certain: set | None) -> dict[tuple[str, int], list]:
    """The shown atoms of a model as ``make(key, name, arguments, certain)`` (arguments as in
    :func:`shown_atoms`; ``certain``: the key is in ``certain``, or True when that is None),
    grouped by predicate (``(name, arity)``) in the order clingo lists them: what the solver's
    consequences are made of, built in the one pass that reads the model."""
    try:
        return _shown_atoms_c(model, make, certain)
    except Exception:  # noqa: BLE001 - as in shown_atoms
        index: dict[tuple[str, int], list] = {}
        for key, name, args in shown_atoms(model):
            index.setdefault((name, len(args)), []).append(make(key, name, args, certain is None or key in certain))
        return index


def _shown_atoms_c(model, make=None, certain: set | None = None):
    from clingo._internal import _ffi, _lib

    array, n = _model_array(model)
    kind, name_of, arguments, number, string = (_lib.clingo_symbol_type, _lib.clingo_symbol_name,
                                                _lib.clingo_symbol_arguments, _lib.clingo_symbol_number,
                                                _lib.clingo_symbol_string)
    NUMBER, STRING, FUNCTION = _lib.clingo_symbol_type_number, _lib.clingo_symbol_type_string, \
        _lib.clingo_symbol_type_function
    c_string, c_args, c_size, c_int = _ffi.new("char**"), _ffi.new("clingo_symbol_t**"), _ffi.new("size_t*"), \
        _ffi.new("int*")
    unpack = _ffi.unpack
    to_str = _ffi.string
    names: dict = {}  # clingo interns names: one C string per name, keyed by its address
    cache: dict[int, object] = {}

    def value(rep: int):
        t = kind(rep)
        if t == NUMBER:
            number(rep, c_int)
            found = c_int[0]
        elif t == STRING:
            string(rep, c_string)
            found = to_str(c_string[0]).decode()
        elif t == FUNCTION:
            arguments(rep, c_args, c_size)
            inner = unpack(c_args[0], c_size[0]) if c_size[0] else ()
            name_of(rep, c_string)
            ptr = c_string[0]
            name = names.get(ptr)
            if name is None:
                name = names[ptr] = to_str(ptr).decode()
            if inner:
                get = cache.get
                found = (name, *[get(a) if a in cache else value(a) for a in inner])
            else:
                found = name
        else:
            raise RuntimeError("infimum or supremum in a shown atom")
        cache[rep] = found
        return found

    if make is not None:
        index: dict[tuple[str, int], list] = {}
        lists: dict = {}  # name pointer → (name, the list of its atoms)
        everything = certain is None
        for rep in unpack(array, n):
            arguments(rep, c_args, c_size)
            size = c_size[0]
            inner = unpack(c_args[0], size) if size else ()
            name_of(rep, c_string)
            ptr = c_string[0]
            found = lists.get((ptr, size))
            if found is None:
                name = names.get(ptr)
                if name is None:
                    name = names[ptr] = to_str(ptr).decode()
                found = lists[(ptr, size)] = (name, index.setdefault((name, size), []))
            found[1].append(make(rep, found[0], tuple([cache[a] if a in cache else value(a) for a in inner]),
                                 everything or rep in certain))
        return index
    out = []
    append = out.append
    for rep in unpack(array, n):
        arguments(rep, c_args, c_size)
        inner = unpack(c_args[0], c_size[0]) if c_size[0] else ()
        name_of(rep, c_string)
        ptr = c_string[0]
        name = names.get(ptr)
        if name is None:
            name = names[ptr] = to_str(ptr).decode()
        append((rep, name, tuple([cache[a] if a in cache else value(a) for a in inner])))
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
