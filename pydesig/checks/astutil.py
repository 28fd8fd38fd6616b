"""Small readers over clingo's AST (``clingo.ast``) shared by the checks."""

from __future__ import annotations

import re

from clingo import SymbolType, ast

from ..bridge import to_python

__all__ = ["head_atom", "positive_atoms", "negative_atoms", "comparisons", "constant", "number",
           "predicate_of", "body_predicates", "head_predicates", "provision_strings", "is_constraint",
           "PROVISION_ID"]

PROVISION_ID = re.compile(r"^[a-z0-9-]+/art_\d+(?:/para_\d+)?(?:/item_\d+)?$")


def is_constraint(rule) -> bool:
    head = rule.head
    return head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.BooleanConstant


def head_atom(rule):
    """The head's function term for a normal rule, None for a constraint or a choice/disjunction."""
    head = rule.head
    if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.SymbolicAtom:
        return head.atom.symbol
    return None


def head_terms(rule) -> list:
    """Every atom term a rule can derive (normal head, choice elements, disjunction, pools)."""
    head = rule.head
    out = []
    if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.SymbolicAtom:
        out.append(head.atom.symbol)
    elif head.ast_type == ast.ASTType.Aggregate:
        out += [e.literal.atom.symbol for e in head.elements if e.literal.atom.ast_type == ast.ASTType.SymbolicAtom]
    elif head.ast_type == ast.ASTType.Disjunction:
        out += [e.literal.atom.symbol for e in head.elements if e.literal.atom.ast_type == ast.ASTType.SymbolicAtom]
    return out


def _atoms(rule, sign):
    for lit in rule.body:
        if lit.ast_type == ast.ASTType.Literal and lit.atom.ast_type == ast.ASTType.SymbolicAtom and lit.sign == sign:
            yield lit.atom.symbol


def positive_atoms(rule):
    return list(_atoms(rule, ast.Sign.NoSign))


def negative_atoms(rule):
    return list(_atoms(rule, ast.Sign.Negation))


def comparisons(rule):
    """(left term, operator, right term) for each comparison literal of the body (chains split)."""
    out = []
    for lit in rule.body:
        if lit.ast_type != ast.ASTType.Literal or lit.atom.ast_type != ast.ASTType.Comparison:
            continue
        negated = lit.sign != ast.Sign.NoSign
        left = lit.atom.term
        for guard in lit.atom.guards:
            op = guard.comparison
            if negated:
                op = _NEGATE[op]
            out.append((left, op, guard.term))
            left = guard.term
    return out


_OPS = ast.ComparisonOperator
_NEGATE = {_OPS.Equal: _OPS.NotEqual, _OPS.NotEqual: _OPS.Equal, _OPS.LessThan: _OPS.GreaterEqual,
           _OPS.GreaterEqual: _OPS.LessThan, _OPS.GreaterThan: _OPS.LessEqual, _OPS.LessEqual: _OPS.GreaterThan}


def name_args(term):
    """(name, args) of a function term (pools excluded), or (None, [])."""
    if term.ast_type == ast.ASTType.Function:
        return term.name, list(term.arguments)
    if term.ast_type == ast.ASTType.SymbolicTerm and term.symbol.type == SymbolType.Function:
        return term.symbol.name, []
    return None, []


def predicate_of(term) -> tuple[str, int] | None:
    if term.ast_type == ast.ASTType.Function:
        return (term.name, len(term.arguments))
    if term.ast_type == ast.ASTType.SymbolicTerm and term.symbol.type == SymbolType.Function:
        return (term.symbol.name, len(term.symbol.arguments))
    return None


def constant(term):
    """A ground argument as Python: int, str (constant name or string) — or None."""
    if term.ast_type == ast.ASTType.SymbolicTerm:
        value = to_python(term.symbol)
        return None if isinstance(value, tuple) else value
    if term.ast_type == ast.ASTType.Function and not term.arguments and term.name:
        return term.name
    if term.ast_type == ast.ASTType.UnaryOperation:
        inner = number(term.argument)
        return -inner if inner is not None else None
    return None


def number(term):
    value = constant(term)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def variable(term) -> str | None:
    return term.name if term.ast_type == ast.ASTType.Variable and term.name != "_" else None


def year_offset(term) -> tuple[str, int] | None:
    """``Y`` → (Y, 0); ``Y-2`` → (Y, -2); ``Y+1`` → (Y, 1)."""
    if term.ast_type == ast.ASTType.Variable:
        return term.name, 0
    if term.ast_type == ast.ASTType.BinaryOperation and term.left.ast_type == ast.ASTType.Variable:
        k = number(term.right)
        if k is None:
            return None
        if term.operator_type == ast.BinaryOperator.Minus:
            return term.left.name, -k
        if term.operator_type == ast.BinaryOperator.Plus:
            return term.left.name, k
    return None


def body_predicates(rule) -> set[tuple[str, int]]:
    """Predicates the body mentions (positively or negatively, also inside aggregates)."""
    found: set = set()

    class Visit(ast.Transformer):
        def visit_SymbolicAtom(self, atom):  # noqa: N802
            p = predicate_of(atom.symbol)
            if p:
                found.add(p)
            return atom

    for lit in rule.body:
        Visit()(lit)
    return found


def head_predicates(rule) -> set[tuple[str, int]]:
    return {p for p in (predicate_of(t) for t in head_terms(rule)) if p}


def provision_strings(term) -> list[str]:
    """Provision ids written as strings inside a term."""
    found = []

    class Visit(ast.Transformer):
        def visit_SymbolicTerm(self, t):  # noqa: N802
            if t.symbol.type == SymbolType.String and PROVISION_ID.match(t.symbol.string):
                found.append(t.symbol.string)
            return t

    Visit()(term)
    return found
