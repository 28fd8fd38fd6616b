"""Evaluating and matching clingo AST terms against ground symbols.

The explainer reads the encodings' rules as parsed by clingo (``clingo.ast``) and needs two
things the solver does not give it: the ground instance of a rule once its variables are known
(to show which facts a conclusion rests on), and the bindings under which a body literal holds
in an answer set (to say which condition failed when it did not).  Both work on terms only; no
program text is ever built.
"""

from __future__ import annotations

from clingo import Function, Number, Symbol, SymbolType, ast

__all__ = ["evaluate", "match", "variables", "Unbound"]

_ARITH = {
    ast.BinaryOperator.Plus: lambda a, b: a + b,
    ast.BinaryOperator.Minus: lambda a, b: a - b,
    ast.BinaryOperator.Multiplication: lambda a, b: a * b,
    ast.BinaryOperator.Division: lambda a, b: int(a / b) if b else 0,
    ast.BinaryOperator.Modulo: lambda a, b: a % b if b else 0,
}


class Unbound(Exception):
    """A term mentions a variable the binding does not give."""


def evaluate(term, binding: dict[str, Symbol]) -> Symbol:
    """The ground symbol of an AST term under ``binding``."""
    kind = term.ast_type
    if kind == ast.ASTType.SymbolicTerm:
        return term.symbol
    if kind == ast.ASTType.Variable:
        if term.name not in binding:
            raise Unbound(term.name)
        return binding[term.name]
    if kind == ast.ASTType.Function:
        return Function(term.name, [evaluate(a, binding) for a in term.arguments])
    if kind == ast.ASTType.BinaryOperation:
        left, right = evaluate(term.left, binding), evaluate(term.right, binding)
        return Number(_ARITH[term.operator_type](left.number, right.number))
    if kind == ast.ASTType.UnaryOperation:
        return Number(-evaluate(term.argument, binding).number)
    if kind == ast.ASTType.SymbolicAtom:
        return evaluate(term.symbol, binding)
    raise ValueError(f"cannot evaluate {term}")


def match(term, symbol: Symbol, binding: dict[str, Symbol]) -> dict[str, Symbol] | None:
    """Extend ``binding`` so that ``term`` equals ``symbol``, or None when it cannot."""
    kind = term.ast_type
    if kind == ast.ASTType.Variable:
        if term.name == "_":
            return binding
        bound = binding.get(term.name)
        if bound is None:
            return {**binding, term.name: symbol}
        return binding if bound == symbol else None
    if kind == ast.ASTType.Function and symbol.type == SymbolType.Function:
        if term.name != symbol.name or len(term.arguments) != len(symbol.arguments):
            return None
        for sub, arg in zip(term.arguments, symbol.arguments):
            binding = match(sub, arg, binding)
            if binding is None:
                return None
        return binding
    if kind == ast.ASTType.SymbolicAtom:
        return match(term.symbol, symbol, binding)
    try:
        return binding if evaluate(term, binding) == symbol else None
    except Unbound:
        return None


def variables(node) -> set[str]:
    """Names of the variables under an AST node (``_`` excluded)."""
    found: set[str] = set()

    class Collect(ast.Transformer):
        def visit_Variable(self, var):  # noqa: N802 - clingo's visitor naming
            if var.name != "_":
                found.add(var.name)
            return var

    Collect()(node)
    return found
