"""Which named interpretations can touch a case, read from the encodings' AST.

``pydesig readings`` varies every interpretation that can change a conclusion of the case and
no other, so the number of combinations it reports (and searches) is the number that matter.
Relevance is decided without solving, by an over-approximation that is sound (an interpretation
left out cannot change any conclusion):

1. The encodings are parsed with clingo's parser.  For each rule we note the atoms its head
   defines, the atoms its body must contain (its positive literals outside aggregates and
   conditions), and every atom it reads (any literal, negative or inside an aggregate).
2. A rule *can fire* in the case when each required body atom is possible: an input atom
   (``fact/4``, ``region/2``, ``official/4`` …) when the case has a fact that matches its
   constants (the indicator, the value where the rule names one — ``poppy_plants, 10000`` —, the
   region kind, the role); ``interpretation(N, O)`` when O is an option still open for N; a
   derived atom when some rule that can fire defines its predicate.  Comparisons and negation
   are ignored, which only ever makes more rules fire.
3. An interpretation N is relevant when a rule that can fire reads ``interpretation(N, _)`` and
   either is a constraint or defines a predicate from which, through rules that can fire, a
   conclusion predicate (``ground/4``, ``finding/3``, ``status/3``, ``measure/4``) is reachable.

Interpretations the case fixes (``interpretations:`` in the case file, ``-I``) are not varied.
The cost is the size of the encodings plus one pass over the case's facts.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from math import prod

import networkx as nx
from clingo import Function, Symbol, SymbolType, ast, parse_term

from . import cache
from .annotations import rule_sites
from .bridge import INTERPRETATION, case_symbols
from .kb import knowledge_base
from .model import Case

__all__ = ["Relevance", "relevance", "prepare", "CONCLUSION_PREDICATES"]

# The predicates whose atoms are the conclusions `readings` reports (contract: finding, ground,
# status, measure); a constraint (no head) can change every conclusion.
CONCLUSION_PREDICATES = (("ground", 4), ("finding", 3), ("status", 3), ("measure", 4))
_CONSTRAINT = ("#false", 0)


@dataclass(frozen=True)
class Relevance:
    """The interpretations ``readings`` varies for a case, with their options (default first),
    and those the case fixes."""

    varied: dict[str, tuple[str, ...]]
    fixed: dict[str, str]
    # reading -> the indicators that its own rules need and the case never states (see _unstated)
    unstated: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def combinations(self) -> int:
        return prod(len(options) for options in self.varied.values())


# ----------------------------------------------------------------------------- the encodings' AST
@dataclass(frozen=True)
class _Rule:
    heads: tuple[tuple[str, int], ...]  # predicates defined (``_CONSTRAINT`` for a constraint)
    required: tuple  # matchers of the atoms the body must contain
    reads: tuple[tuple[str, int], ...]  # every predicate the rule reads
    interpretations: tuple  # matchers of the interpretation(N, O) atoms it reads


def _children(node):
    if node is None or isinstance(node, (str, int)):
        return
    if hasattr(node, "ast_type"):
        for key in node.child_keys:
            yield getattr(node, key)
    else:
        yield from node


def _symbolic_atoms(node):
    """The terms of every symbolic atom under ``node``."""
    stack = [node]
    while stack:
        n = stack.pop()
        if hasattr(n, "ast_type") and n.ast_type == ast.ASTType.SymbolicAtom:
            yield n.symbol
        else:
            stack.extend(c for c in _children(n) if c is not None)


def _signature(term) -> tuple[str, int] | None:
    if term.ast_type == ast.ASTType.Function:
        return (term.name, len(term.arguments))
    if term.ast_type == ast.ASTType.SymbolicTerm and term.symbol.type == SymbolType.Function:
        return (term.symbol.name, len(term.symbol.arguments))
    return None


def _matcher(term):
    """A pattern for ground symbols: None matches anything (variables, arithmetic); ('=', sym) one
    symbol; ('f', name, [patterns]) a function term."""
    kind = term.ast_type
    if kind == ast.ASTType.SymbolicTerm:
        return ("=", term.symbol)
    if kind == ast.ASTType.Function and term.name:
        return ("f", term.name, tuple(_matcher(a) for a in term.arguments))
    return None


def _matches(pattern, sym: Symbol) -> bool:
    if pattern is None:
        return True
    if pattern[0] == "=":
        return sym == pattern[1]
    _, name, args = pattern
    return (sym.type == SymbolType.Function and sym.name == name and len(sym.arguments) == len(args)
            and all(_matches(p, a) for p, a in zip(args, sym.arguments)))


def _head_parts(head):
    """(defined terms, read terms) of a rule head."""
    kind = head.ast_type
    if kind == ast.ASTType.Literal:
        if head.atom.ast_type == ast.ASTType.BooleanConstant:
            return [], []
        return list(_symbolic_atoms(head)), []
    defined, read = [], []
    for element in head.elements:
        literal = element.condition if kind == ast.ASTType.HeadAggregate else element
        defined += _symbolic_atoms(literal.literal)
        read += _symbolic_atoms(literal.condition)
    return defined, read


@lru_cache(maxsize=None)
def _rules(ruleset: str) -> tuple[_Rule, ...]:
    """The rules of ``ruleset`` as relevance reads them.  Reading them off clingo's AST takes a third
    of a second, every process (``why`` asks on every call); they depend on the encodings and the
    code alone, so they are kept in the cache folder (:mod:`pydesig.cache`) under its digest."""
    return cache.remembered(f"relevance-{ruleset}-{cache.code_digest()}.pickle", lambda: _read_rules(ruleset),
                            dump=lambda rules: pickle.dumps(_kept(rules), protocol=pickle.HIGHEST_PROTOCOL),
                            load=lambda raw: _revived(pickle.loads(raw)))


def prepare(ruleset: str) -> None:
    """Read the rules of ``ruleset`` now (a server warming up), not at the first question."""
    _rules(ruleset)


def _kept(value):
    """``value`` (rules, tuples, matchers) with each clingo symbol as its text: clingo's symbols do
    not pickle."""
    if isinstance(value, Symbol):
        return _SymbolText(str(value))
    if isinstance(value, _Rule):
        return _Rule(*(_kept(getattr(value, f)) for f in _RULE_FIELDS))
    if isinstance(value, tuple):
        return tuple(_kept(v) for v in value)
    return value


def _revived(value):
    if isinstance(value, _SymbolText):
        return parse_term(value.text)
    if isinstance(value, _Rule):
        return _Rule(*(_revived(getattr(value, f)) for f in _RULE_FIELDS))
    if isinstance(value, tuple):
        return tuple(_revived(v) for v in value)
    return value


@dataclass(frozen=True)
class _SymbolText:
    text: str


_RULE_FIELDS = ("heads", "required", "reads", "interpretations")


def _read_rules(ruleset: str) -> tuple[_Rule, ...]:
    rules = []
    for site in rule_sites(ruleset):
        stm = site.statement
        defined, head_reads = _head_parts(stm.head)
        required = tuple(
            lit.atom.symbol for lit in stm.body
            if lit.ast_type == ast.ASTType.Literal and lit.sign == ast.Sign.NoSign
            and lit.atom.ast_type == ast.ASTType.SymbolicAtom)
        body_reads = [*_symbolic_atoms(stm.body), *head_reads]
        heads = tuple(filter(None, map(_signature, defined))) or (_CONSTRAINT,)
        rules.append(_Rule(
            heads=heads,
            required=tuple((_signature(t), _matcher(t)) for t in required),
            reads=tuple(sorted({s for s in map(_signature, body_reads) if s})),
            interpretations=tuple(_matcher(t) for t in body_reads if _signature(t) == (INTERPRETATION, 2)),
        ))
    return tuple(rules)


# ----------------------------------------------------------------------------- the case's facts
class _Facts:
    """The case's input atoms, looked up by the constants a rule's pattern names.  Each lookup key
    (which top-level arguments are constants, which are function shapes) indexes the facts once."""

    def __init__(self, symbols):
        self._by_sig: dict[tuple[str, int], list[Symbol]] = {}
        for sym in symbols:
            self._by_sig.setdefault((sym.name, len(sym.arguments)), []).append(sym)
        self._indexes: dict[tuple, dict] = {}

    @property
    def signatures(self):
        return self._by_sig.keys()

    @staticmethod
    def _spec(pattern) -> tuple:
        return tuple((i, "=" if p[0] == "=" else "f") for i, p in enumerate(pattern[2]) if p is not None)

    @staticmethod
    def _key(spec, args) -> tuple:
        out = []
        for i, kind in spec:
            a = args[i]
            out.append(a if kind == "=" else (a.name, len(a.arguments)) if a.type == SymbolType.Function else None)
        return tuple(out)

    def possible(self, sig, pattern) -> bool:
        symbols = self._by_sig.get(sig)
        if not symbols:
            return False
        if pattern is None or pattern[0] != "f":
            return True
        spec = self._spec(pattern)
        index = self._indexes.get((sig, spec))
        if index is None:
            index = {}
            for sym in symbols:
                index.setdefault(self._key(spec, sym.arguments), []).append(sym)
            self._indexes[(sig, spec)] = index
        key = tuple(p[1] if p[0] == "=" else (p[1], len(p[2])) for p in (pattern[2][i] for i, _ in spec))
        return any(_matches(pattern, sym) for sym in index.get(key, ()))


# ----------------------------------------------------------------------------- relevance
def _open_options(case: Case) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Every interpretation of the case's instrument: the options still open and the fixed ones."""
    open_, fixed = {}, {}
    for name, interp in sorted(knowledge_base().interpretations.items()):
        if interp.instrument != case.ruleset:
            continue
        if name in case.interpretations:
            fixed[name] = case.interpretations[name]
        else:
            open_[name] = (interp.default, *[o for o in interp.options if o != interp.default])
    return open_, fixed


def relevance(case: Case, unstated: bool = True) -> Relevance:
    """The interpretations that can touch ``case`` (see the module docstring); without
    ``unstated`` the readings that want an input the case never states are not looked for (what
    ``why``'s one-line remark does not say)."""
    open_, fixed = _open_options(case)
    allowed = sorted({*((n, o) for n, opts in open_.items() for o in opts), *fixed.items()})
    symbols = [s for s in case_symbols(case) if s.name != INTERPRETATION]
    facts = _Facts(symbols)
    rules = _rules(case.ruleset)
    cache: dict[tuple, bool] = {}
    possible: set[tuple[str, int]] = set()

    def atom_possible(sig, pattern) -> bool:
        if sig in possible:
            return True
        key = (sig, pattern)
        if key not in cache:
            cache[key] = (any(_matches(pattern, _reading(n, o)) for n, o in allowed) if sig == (INTERPRETATION, 2)
                          else facts.possible(sig, pattern))
        return cache[key]

    fired: set[int] = set()
    changed = True
    while changed:  # least fixpoint over predicates: rules that can fire make their heads possible
        changed = False
        for i, rule in enumerate(rules):
            if i not in fired and all(atom_possible(sig, pat) for sig, pat in rule.required):
                fired.add(i)
                if not possible.issuperset(rule.heads):
                    possible.update(rule.heads)
                    changed = True

    graph = nx.DiGraph()
    for i in fired:
        for head in rules[i].heads:
            graph.add_node(head)
            for read in rules[i].reads:
                graph.add_edge(read, head)
    targets = [t for t in (*CONCLUSION_PREDICATES, _CONSTRAINT) if t in graph]
    leads = set(targets).union(*(nx.ancestors(graph, t) for t in targets)) if targets else set()

    relevant = set()
    for i in sorted(fired):
        rule = rules[i]
        if not rule.interpretations or not any(h in leads for h in rule.heads):
            continue
        for name in open_:
            if any(_matches(p, _reading(name, o)) for p in rule.interpretations for o in open_[name]):
                relevant.add(name)
    varied = {n: open_[n] for n in sorted(relevant)}
    return Relevance(varied=varied, fixed=fixed,
                     unstated=_unstated(rules, fired, varied, symbols) if unstated else {})


_FACT = ("fact", 4)


def _unstated(rules, fired: set[int], varied: dict[str, tuple[str, ...]], symbols) -> dict[str, dict[str, tuple[str, ...]]]:
    """The varied readings (interpretation, option) that cannot apply to the case for want of an
    input: no rule guarded by that option alone can fire, some rule of another option of the
    same interpretation can, and the option's rules need indicators (``fact(_, _, I, _)``, ``I``
    named) that the case states for no subject and year: those indicators, per reading.

    Under such a reading, what only its rules would give holds under none of the combinations
    that choose it, so every conclusion that needs it lists the other options: the consequence of
    reading the text that way on this case, which the analyst is told (``art6_basis=explicit``
    needs ``serious_problems``, the 第六条 circumstances, before 第七条至第九条 apply)."""
    stated = {s.arguments[2] for s in symbols if s.name == "fact" and len(s.arguments) == 4}
    guarded: dict[tuple[str, str], list[int]] = {}
    for i, rule in enumerate(rules):
        guards = {(n, o) for sig, pattern in rule.required if sig == (INTERPRETATION, 2)
                  for n, options in varied.items() for o in options if _matches(pattern, _reading(n, o))}
        if len(guards) == 1:
            guarded.setdefault(guards.pop(), []).append(i)
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for (name, option), indices in sorted(guarded.items()):
        if any(i in fired for i in indices):
            continue
        if not any(i in fired for o in varied[name] if o != option for i in guarded.get((name, o), ())):
            continue
        missing = {pattern[2][2][1].name for i in indices for sig, pattern in rules[i].required
                   if sig == _FACT and pattern is not None and pattern[0] == "f" and pattern[2][2] is not None
                   and pattern[2][2][0] == "=" and pattern[2][2][1] not in stated}
        if missing:
            out.setdefault(name, {})[option] = tuple(sorted(missing))
    return out


@lru_cache(maxsize=None)
def _reading(name: str, option: str) -> Symbol:
    return Function(INTERPRETATION, [Function(name), Function(option)])
