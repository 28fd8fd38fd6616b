"""The derivation graph of an answer set (networkx), and one well-founded proof per atom.

Nodes are ground atoms and rule instances; an edge runs from each positive body atom to the
instance and from the instance to each head atom it made true.  A proof of an atom is chosen
bottom-up (Knuth's generalisation of Dijkstra to rules): inputs have depth 0, an instance is
ready when every positive body atom has a depth, and each atom keeps the shallowest instance
that derived it.  Other instances that derived it are its alternatives.  Negative body literals
and comparisons are kept on the instance for the explanation to state.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx
from clingo import Symbol, ast

from .instrument import ExplainedModel, InstrumentedRule
from .terms import Unbound, evaluate, match

__all__ = ["Instance", "Condition", "Derivations", "derivations"]

_COMPARE = {
    ast.ComparisonOperator.GreaterThan: (lambda a, b: a > b, ">"),
    ast.ComparisonOperator.LessThan: (lambda a, b: a < b, "<"),
    ast.ComparisonOperator.LessEqual: (lambda a, b: a <= b, "≤"),
    ast.ComparisonOperator.GreaterEqual: (lambda a, b: a >= b, "≥"),
    ast.ComparisonOperator.NotEqual: (lambda a, b: a != b, "≠"),
    ast.ComparisonOperator.Equal: (lambda a, b: a == b, "="),
}


@dataclass(frozen=True)
class Condition:
    """A body condition of a rule instance that is not a positive atom."""

    kind: str  # "not" | "compare" | "aggregate"
    atom: Symbol | None = None  # for "not"
    text: str = ""  # "12000 ≥ 10000", "#count{…} = 3 ≥ 3"
    support: tuple[Symbol, ...] = ()  # atoms an aggregate counted


@dataclass(frozen=True)
class Instance:
    rule: InstrumentedRule
    binding: tuple[tuple[str, Symbol], ...]
    heads: tuple[Symbol, ...]
    positive: tuple[Symbol, ...]
    conditions: tuple[Condition, ...]

    @property
    def provisions(self) -> tuple[str, ...]:
        return self.rule.site.provisions

    @property
    def interpretations(self) -> tuple[str, ...]:
        return self.rule.site.interpretations


@dataclass
class Derivations:
    model: ExplainedModel
    graph: nx.DiGraph
    proof: dict[Symbol, Instance] = field(default_factory=dict)
    alternatives: dict[Symbol, list[Instance]] = field(default_factory=dict)
    depth: dict[Symbol, int] = field(default_factory=dict)

    def is_input(self, atom: Symbol) -> bool:
        return atom in self.model.inputs


def _compare_values(a: Symbol, b: Symbol, op) -> bool:
    test, _ = _COMPARE[op]
    try:
        return test(a, b)
    except TypeError:
        return False


def _ground(rule: InstrumentedRule, args: tuple[Symbol, ...], atoms: frozenset[Symbol], index) -> Instance:
    binding = dict(zip(rule.global_vars, args))
    stm = rule.site.statement
    head = stm.head
    if head.ast_type == ast.ASTType.Literal:
        heads = (evaluate(head.atom, binding),)
    else:  # choice or disjunction: the elements that hold, with what their conditions matched
        heads, element_support = [], []
        for element in head.elements:
            fn = element.literal.atom.symbol
            for sym in index.get((fn.name, len(fn.arguments)), ()):
                extended = match(fn, sym, binding)
                if extended is None:
                    continue
                support = []
                for cond in element.condition:
                    if cond.atom.ast_type == ast.ASTType.SymbolicAtom and cond.sign == ast.Sign.NoSign:
                        try:
                            support.append(_witness(cond.atom.symbol, extended, index))
                        except Unbound:
                            support = None
                            break
                if support is not None and all(a in atoms for a in support):
                    heads.append(sym)
                    element_support.extend(support)
        heads = tuple(sorted(set(heads)))
    positive, conditions = [], []
    if head.ast_type != ast.ASTType.Literal:
        positive.extend(sorted(set(element_support)))
    for lit in stm.body:
        atom = lit.atom
        if atom.ast_type == ast.ASTType.SymbolicAtom:
            if lit.sign == ast.Sign.NoSign:
                positive.append(_witness(atom.symbol, binding, index))
            else:
                try:
                    sym = evaluate(atom, binding)
                    conditions.append(Condition("not", atom=sym, text=str(sym)))
                except Unbound:  # not p(X,_): no p(X, anything)
                    conditions.append(Condition("not", text=str(atom)))
        elif atom.ast_type == ast.ASTType.Comparison:
            left = evaluate(atom.term, binding)
            parts = [str(left)]
            for guard in atom.guards:
                right = evaluate(guard.term, binding)
                parts += [_COMPARE[guard.comparison][1], str(right)]
            conditions.append(Condition("compare", text=" ".join(parts)))
        elif atom.ast_type == ast.ASTType.BodyAggregate:
            conditions.append(_aggregate(atom, binding, index))
    return Instance(rule, tuple(sorted(binding.items())), heads, tuple(positive), tuple(conditions))


def _witness(fn, binding, index) -> Symbol:
    """The ground atom a positive literal stands for; with anonymous variables (``p(X,_)``) the
    first atom of the answer set that matches it."""
    try:
        return evaluate(fn, binding)
    except Unbound:
        for sym in sorted(index.get((fn.name, len(fn.arguments)), ())):
            if match(fn, sym, binding) is not None:
                return sym
        raise


def _aggregate(agg, binding, index) -> Condition:
    """State a body aggregate with the atoms its elements counted (conditions of one atom)."""
    support = []
    values = set()
    for element in agg.elements:
        for cond in element.condition:
            if cond.atom.ast_type != ast.ASTType.SymbolicAtom or cond.sign != ast.Sign.NoSign:
                continue
            fn = cond.atom.symbol
            for sym in index.get((fn.name, len(fn.arguments)), ()):
                extended = match(fn, sym, binding)
                if extended is not None:
                    support.append(sym)
                    try:
                        values.add(tuple(evaluate(t, extended) for t in element.terms))
                    except Unbound:
                        pass
    name = {0: "#count", 1: "#sum", 2: "#sum+", 3: "#min", 4: "#max"}.get(int(agg.function), "#agg")
    text = f"{name} = {len(values)}" if name == "#count" else name
    for guard in (agg.left_guard, agg.right_guard):
        if guard is not None:
            try:
                text += f" {_COMPARE[guard.comparison][1]} {evaluate(guard.term, binding)}"
            except Unbound:
                pass
    return Condition("aggregate", text=text, support=tuple(sorted(set(support))))


def derivations(model: ExplainedModel) -> Derivations:
    """The derivation graph of ``model`` and a shallowest (well-founded) proof of every atom."""
    index: dict[tuple[str, int], list[Symbol]] = defaultdict(list)
    for sym in model.atoms:
        index[(sym.name, len(sym.arguments))].append(sym)
    rules = {r.index: r for r in model.rules}
    graph = nx.DiGraph()
    instances = []
    for number, (rule_index, args) in enumerate(sorted(model.applications, key=lambda a: (a[0], a[1]))):
        inst = _ground(rules[rule_index], args, model.atoms, index)
        if not inst.heads:
            continue  # a choice that was not taken
        instances.append(inst)
        node = ("rule", number)
        graph.add_node(node, instance=inst)
        for sym in inst.positive:
            graph.add_edge(sym, node)
        for sym in inst.heads:
            graph.add_edge(node, sym)
    result = Derivations(model, graph)
    # Shallowest proofs, bottom-up.
    waiting = {i: len(set(inst.positive)) for i, inst in enumerate(instances)}
    users: dict[Symbol, list[int]] = defaultdict(list)
    for i, inst in enumerate(instances):
        for sym in set(inst.positive):
            users[sym].append(i)
    heap: list[tuple[int, int]] = []
    best_body = {i: 0 for i in waiting}
    for i, count in waiting.items():
        if count == 0:
            heapq.heappush(heap, (1, i))
    for sym in model.inputs:
        result.depth[sym] = 0
        for i in users.get(sym, ()):
            waiting[i] -= 1
            if waiting[i] == 0:
                heapq.heappush(heap, (1, i))
    while heap:
        depth, i = heapq.heappop(heap)
        inst = instances[i]
        for sym in inst.heads:
            if sym in result.depth:
                if result.proof.get(sym) is not inst:
                    result.alternatives.setdefault(sym, []).append(inst)
                continue
            result.depth[sym] = depth
            result.proof[sym] = inst
            for j in users.get(sym, ()):
                waiting[j] -= 1
                best_body[j] = max(best_body[j], depth)
                if waiting[j] == 0:
                    heapq.heappush(heap, (best_body[j] + 1, j))
    return result
