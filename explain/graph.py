"""The derivation graph of an answer set, and one well-founded proof per atom.

Atoms are named by their printed text.  The rule instances that derived an atom are its recorded
applications (``explain/instrument.py``), parsed when first asked for.  The proof of an atom is
the shallowest of its derivations (depth 0 for the case's input facts and for quiet bookkeeping
atoms; an instance is one deeper than the deepest atom its positive body rests on), found depth
first from the atom asked about, so that a question touches only the atoms its answer rests on;
the other derivations are its alternatives.  Negative body literals, comparisons and aggregates
are stated on the instance for the explanation.

``Derivations.graph`` is the whole derivation graph as a networkx ``DiGraph`` (built on first
use): an edge from every positive body atom to the rule instance and from the instance to the
atom it derived.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from clingo import ast

from .instrument import ExplainedModel, InstrumentedRule, Variant

if TYPE_CHECKING:  # networkx is imported when the graph is asked for: why and why-not do without it
    import networkx as nx
from .statements import quiet_predicates
from .terms import Unbound, parse_text, partial_text, split_top, text_matcher, text_template, variables

__all__ = ["Instance", "Condition", "Derivations", "derivations", "predicate_of"]

_COMPARE = {
    ast.ComparisonOperator.GreaterThan: (lambda a, b: a > b, ">"),
    ast.ComparisonOperator.LessThan: (lambda a, b: a < b, "<"),
    ast.ComparisonOperator.LessEqual: (lambda a, b: a <= b, "≤"),
    ast.ComparisonOperator.GreaterEqual: (lambda a, b: a >= b, "≥"),
    ast.ComparisonOperator.NotEqual: (lambda a, b: a != b, "≠"),
    ast.ComparisonOperator.Equal: (lambda a, b: a == b, "="),
}
_FLIP = {">": "<", "<": ">", "≤": "≥", "≥": "≤", "≠": "≠", "=": "="}
_INF = float("inf")


@lru_cache(maxsize=1 << 20)
def predicate_of(text: str) -> str:
    """``name/arity`` of a printed atom."""
    open_at = text.find("(")
    if open_at < 0:
        return f"{text}/0"
    return f"{text[:open_at]}/{len(split_top(text, open_at + 1, len(text) - 1))}"


@dataclass(frozen=True)
class Condition:
    """A body condition of a rule instance that is not a positive atom."""

    kind: str  # "not" | "compare" | "aggregate"
    atom: str | None = None  # for "not": the atom that does not hold, where it is ground
    text: str = ""  # "12000 ≥ 10000", "#count = 3 ≥ 3" (as the encodings write it)
    support: tuple[str, ...] = ()  # atoms an aggregate counted
    # For the words of a check (explain/statements.py Speaker.check): the values compared, each
    # with the indicator it was read from (None for a year or a number of the rules), and the
    # operators between them; for an aggregate, the predicate whose atoms it counted.
    sides: tuple = ()  # ((value text, indicator or None), op, (value text, indicator or None), …)
    counted: str | None = None
    function: str | None = None  # an aggregate's function: "#count", "#sum", "#max", "#min"
    assignment: bool = False  # an aggregate that defines a variable (K = #max {…}): no check of its own
    bookkeeping: bool = False  # compares with the case's span of years, offsets …: nothing to state


@dataclass(eq=False)
class Instance:
    """A ground rule instance whose body held: the rule, its binding, what it derived and from what."""

    app: str
    variant: Variant
    binding: dict[str, str]
    heads: tuple[str, ...]
    positive: tuple[str, ...]
    _conditions: tuple[Condition, ...] | None = field(default=None, repr=False)

    @property
    def rule(self) -> InstrumentedRule:
        return self.variant.rule

    @property
    def provisions(self) -> tuple[str, ...]:
        return self.variant.rule.site.provisions

    @property
    def interpretations(self) -> tuple[str, ...]:
        return self.variant.rule.site.interpretations

    @property
    def helper(self) -> str | None:
        return self.variant.rule.site.helper


class Derivations:
    """Lazily read derivations of one answer set."""

    def __init__(self, model: ExplainedModel):
        self.model = model
        self.inputs = model.input_texts
        self.quiet = quiet_predicates()
        self.structural = model.structural
        self.leaves = self.quiet | self.structural  # atoms a proof stops at, like inputs
        self._instances: dict[str, list[Instance]] = {}
        self._depth: dict[str, float] = {}
        self._proof: dict[str, Instance | None] = {}
        self._candidates: dict[str, list] = {}

    # ------------------------------------------------------------------ atoms
    def is_input(self, atom: str) -> bool:
        return atom in self.inputs

    def holds(self, atom: str) -> bool:
        """Whether ``atom`` is true in the answer set (an input, recorded, or replayed)."""
        if atom in self.inputs or self.model.derived(atom):
            return True
        if predicate_of(atom) not in self.model.replayed:
            return False
        return bool(self.instances(atom))

    def instances(self, atom: str) -> list[Instance]:
        """Every rule instance that derived ``atom``: the recorded ones, and the rules replayed from
        the atom whose body holds."""
        found = self._instances.get(atom)
        if found is None:
            self._instances[atom] = []  # while replaying: a positive loop derives nothing
            found = []
            for app in self.model.applications_of(atom):
                head, variant, values = self.model.split(app, atom)
                binding = dict(zip(variant.variables, values))
                positive = tuple(t(binding) for t in variant.positive_text)
                found.append(Instance(app, variant, binding, (head,), positive))
            replay = self.model.replayed.get(predicate_of(atom))
            if replay:
                node = parse_text(atom)
                for variant in replay:
                    binding = _head_matcher(variant)(node, {})
                    if binding is None:
                        continue
                    positive = tuple(t(binding) for t in variant.positive_text)
                    if all(self.holds(b) for b in positive):
                        found.append(Instance(f"~{variant.number}~{atom}", variant, binding, (atom,), positive))
            self._instances[atom] = found
        return found

    # ------------------------------------------------------------------ proofs
    def _known(self, atom: str, on_stack: set) -> float | None:
        if atom in self._depth:
            return self._depth[atom]
        if atom in self.inputs or predicate_of(atom) in self.leaves:
            return 0
        if atom in on_stack:
            return _INF
        return None

    def _settle(self, root: str) -> None:
        """Depth and shallowest proof of ``root`` and of every atom its derivations rest on."""
        if self._known(root, set()) is not None:
            return
        on_stack = {root}
        # frame: [atom, instances, next instance, next body atom, deepest so far, best depth, best]
        stack = [[root, self.instances(root), 0, 0, 0, _INF, None]]
        while stack:
            frame = stack[-1]
            atom, insts = frame[0], frame[1]
            if frame[2] >= len(insts):
                self._depth[atom] = frame[5]
                self._proof[atom] = frame[6]
                on_stack.discard(atom)
                stack.pop()
                continue
            body = insts[frame[2]].positive
            pushed = False
            while frame[3] < len(body):
                b = body[frame[3]]
                d = self._known(b, on_stack)
                if d is None:
                    on_stack.add(b)
                    stack.append([b, self.instances(b), 0, 0, 0, _INF, None])
                    pushed = True
                    break
                if d > frame[4]:
                    frame[4] = d
                frame[3] += 1
            if pushed:
                continue
            total = frame[4] + 1
            if total < frame[5]:
                frame[5], frame[6] = total, insts[frame[2]]
            frame[2] += 1
            frame[3] = 0
            frame[4] = 0

    def proof(self, atom: str) -> Instance | None:
        """The shallowest derivation of ``atom`` (None for inputs, quiet atoms and atoms not derived)."""
        if atom not in self._proof:
            if atom in self.inputs or predicate_of(atom) in self.leaves:
                return None
            self._settle(atom)
        return self._proof.get(atom)

    def depth(self, atom: str) -> float:
        self.proof(atom)
        return self._depth.get(atom, 0)

    def alternatives(self, atom: str) -> list[Instance]:
        """The other derivations of ``atom``: by another rule, or by the same rule on other atoms
        (another item of 第六条 …); not the same rule instance with another witness for an
        anonymous variable (``decision_option(region(R), S, _, _)``), which is no other ground."""
        chosen = self.proof(atom)
        out = []
        for i in self.instances(atom):
            if i is chosen or self._depth_of(i) >= _INF:
                continue
            if chosen is not None and i.variant is chosen.variant and _same_but_witnesses(i, chosen):
                continue
            out.append(i)
        return out

    def _depth_of(self, inst: Instance) -> float:
        return max((self.depth(b) for b in inst.positive), default=0)

    # ------------------------------------------------------------------ conditions
    def conditions(self, inst: Instance) -> tuple[Condition, ...]:
        if inst._conditions is None:
            compiled = _compiled(inst.variant)
            inst._conditions = tuple(c(self, inst.binding) for c in compiled)
        return inst._conditions

    def _candidates_of(self, predicate: str, positions: tuple[int, ...], key: tuple[str, ...]) -> list:
        """Parsed atoms of ``predicate`` whose arguments at ``positions`` print as ``key``."""
        index = self._candidates.get((predicate, positions))
        if index is None:
            nodes = self._candidates.get((predicate, ()))
            if nodes is None:
                name, arity = predicate.rsplit("/", 1)
                nodes = [parse_text(t) for t in self.inputs if predicate_of(t) == predicate]
                nodes += [parse_text(t) for t in self.model.heads(name, int(arity))]
                self._candidates[(predicate, ())] = {(): nodes}
                nodes = {(): nodes}
            index = defaultdict(list)
            for node in nodes[()]:
                if isinstance(node, tuple):
                    args = node[1]
                    index[tuple(_text_of(args[i]) for i in positions)].append(node)
            self._candidates[(predicate, positions)] = index
        return index.get(key, ())

    def matches(self, literals, binding: dict[str, str]) -> list[tuple[dict, tuple[str, ...]]]:
        """Every extension of ``binding`` under which the compiled positive ``literals`` hold,
        with the atoms that make them hold."""
        results = [(binding, ())]
        for predicate, template, arg_templates, matcher in literals:
            extended = []
            for b, support in results:
                try:
                    text = template(b)
                except Unbound:
                    pass
                else:
                    if (text in self.model.quiet_atoms) if predicate in self.quiet else self.holds(text):
                        extended.append((b, support + (text,)))
                    continue
                positions, key = [], []
                for i, t in enumerate(arg_templates):
                    try:
                        key.append(t(b))
                        positions.append(i)
                    except (Unbound, ValueError):
                        pass
                for node in self._candidates_of(predicate, tuple(positions), tuple(key)):
                    nb = matcher(node, b)
                    if nb is not None:
                        extended.append((nb, support + (node[2],)))
            results = extended
        return results

    # ------------------------------------------------------------------ the whole graph
    @cached_property
    def graph(self) -> nx.DiGraph:
        """Atoms (text) and rule instances (``("rule", app)``): body atom → instance → head.  Every
        recorded instance, and the replayed instances of the atoms they rest on (a replayed atom
        that no recorded conclusion rests on is left out)."""
        import networkx as nx

        graph = nx.DiGraph()
        pending = []
        for app in self.model.apps:
            head, variant, values = self.model.split(app)
            pending.append(head)
        seen: set[str] = set()
        while pending:
            atom = pending.pop()
            if atom in seen:
                continue
            seen.add(atom)
            for inst in self.instances(atom):
                node = ("rule", inst.app)
                graph.add_node(node, instance=inst)
                for b in inst.positive:
                    graph.add_edge(b, node)
                    if b not in seen and predicate_of(b) in self.model.replayed:
                        pending.append(b)
                graph.add_edge(node, atom)
        return graph


def _same_but_witnesses(a: Instance, b: Instance) -> bool:
    return all(v == b.binding.get(k) for k, v in a.binding.items() if not k.startswith("PdAnon"))


def _text_of(node) -> str:
    return node if isinstance(node, str) else node[2]


def _value(template, term, binding) -> str:
    try:
        return template(binding)
    except (Unbound, ValueError):
        return partial_text(term, binding)


def _compile_condition(lit, indicator_of=None, quiet_vars=frozenset()):
    """A function (derivations, binding) → :class:`Condition` for a body literal that is not a
    positive atom, compiled once per rule.  ``indicator_of`` maps a variable to the indicator whose
    value it was read from (``fact(region(R), Y, poppy_plants, N)``); ``quiet_vars`` are the
    variables only bookkeeping binds (``last_fact_year(Last)``)."""
    indicator_of = indicator_of or {}
    atom = lit.atom
    kind = atom.ast_type
    if kind == ast.ASTType.SymbolicAtom:
        template = text_template(atom)

        def negation(d, binding):
            try:
                text = template(binding)
                return Condition("not", atom=text, text=text)
            except Unbound:
                return Condition("not", text=partial_text(atom, binding))
        return negation
    if kind == ast.ASTType.Comparison:
        sides = [(text_template(atom.term), atom.term)]
        ops = []
        for guard in atom.guards:
            ops.append(_COMPARE[guard.comparison][1])
            sides.append((text_template(guard.term), guard.term))
        names = [variables(term) for _, term in sides]
        # the indicator of a side that is a variable read from a fact; a constant beside it
        # (N >= 10000) is in the same unit
        inds = [indicator_of.get(term.name) if term.ast_type == ast.ASTType.Variable else None
                for _, term in sides]
        unit = next((i for i in inds if i), None)
        inds = [i or (unit if not n else None) for i, n in zip(inds, names)]
        bookkeeping = any(n & quiet_vars for n in names)

        def compare(d, binding):
            values = [_value(*side, binding) for side in sides]
            parts, structured = [values[0]], [(values[0], inds[0])]
            for op, value, ind in zip(ops, values[1:], inds[1:]):
                parts += [op, value]
                structured += [op, (value, ind)]
            return Condition("compare", text=" ".join(parts), sides=tuple(structured), bookkeeping=bookkeeping)
        return compare
    if kind == ast.ASTType.BodyAggregate:
        return _compile_aggregate(atom, quiet_vars)
    text = str(lit)
    return lambda d, binding: Condition("compare", text=text)


def _compile_literals(literals) -> list:
    out = []
    for lit in literals:
        if lit.sign != ast.Sign.NoSign or lit.atom.ast_type != ast.ASTType.SymbolicAtom:
            continue
        fn = lit.atom.symbol
        out.append((f"{fn.name}/{len(fn.arguments)}", text_template(fn),
                    [text_template(a) for a in fn.arguments], text_matcher(fn)))
    return out


def _compile_aggregate(agg, quiet_vars=frozenset()):
    elements = [(_compile_literals(e.condition), [text_template(t) for t in e.terms]) for e in agg.elements]
    counted = next((lit[0] for e in elements for lit in e[0]), None)
    name = {0: "#count", 1: "#sum", 2: "#sum+", 3: "#min", 4: "#max"}.get(int(agg.function), "#agg")
    guards = []
    if agg.left_guard is not None:
        guards.append((_FLIP[_COMPARE[agg.left_guard.comparison][1]], text_template(agg.left_guard.term),
                       agg.left_guard.term))
    if agg.right_guard is not None:
        guards.append((_COMPARE[agg.right_guard.comparison][1], text_template(agg.right_guard.term),
                       agg.right_guard.term))
    # ``K = #max {…}``: the aggregate gives K its value (the rule states what it means), nothing to check
    assignment = (len(guards) == 1 and guards[0][0] == "=" and guards[0][2].ast_type == ast.ASTType.Variable)

    def aggregate(d, binding):
        support, values = set(), set()
        for literals, terms in elements:
            for b, atoms in d.matches(literals, binding):
                support.update(atoms)
                try:
                    values.add(tuple(t(b) for t in terms))
                except (Unbound, ValueError):
                    pass
        firsts = [int(v[0]) for v in values if v and v[0].lstrip("-").isdigit()]
        if name == "#count":
            value = len(values)
        elif name.startswith("#sum"):
            value = sum(firsts)
        elif name == "#min":
            value = min(firsts) if firsts else "#sup"
        else:
            value = max(firsts) if firsts else "#inf"
        text = f"{name} = {value}"
        structured = [(str(value), None)]
        for op, template, term in guards:
            bound = _value(template, term, binding)
            text += f" {op} {bound}"
            structured += [op, (bound, None)]
        shown = tuple(sorted(a for a in support if predicate_of(a) not in d.quiet))
        return Condition("aggregate", text=text, support=shown, sides=tuple(structured), counted=counted,
                         function=name, assignment=assignment)
    return aggregate


def _head_matcher(variant: Variant):
    found = getattr(variant, "_head_matcher", None)
    if found is None:
        found = variant._head_matcher = text_matcher(variant.head)
    return found


def _compiled(variant: Variant) -> list:
    found = getattr(variant, "_compiled_conditions", None)
    if found is None:
        indicator_of, bound_by = {}, {}
        quiet = quiet_predicates()
        for lit in variant.positive:
            fn = lit.atom.symbol
            if fn.ast_type != ast.ASTType.Function:
                continue
            args = fn.arguments
            if (fn.name == "fact" and len(args) == 4 and args[2].ast_type == ast.ASTType.SymbolicTerm
                    and args[3].ast_type == ast.ASTType.Variable):
                indicator_of[args[3].name] = str(args[2].symbol)
            for v in variables(fn):
                bound_by.setdefault(v, set()).add(f"{fn.name}/{len(args)}" in quiet)
        for v in variables(variant.head):  # what the conclusion states is never bookkeeping
            bound_by.setdefault(v, set()).add(False)
        quiet_vars = frozenset(v for v, kinds in bound_by.items() if kinds == {True})
        found = [_compile_condition(lit, indicator_of, quiet_vars) for lit in variant.conditions]
        variant._compiled_conditions = found
    return found


def derivations(model: ExplainedModel) -> Derivations:
    """The derivations of ``model``, read as they are asked for."""
    return Derivations(model)
