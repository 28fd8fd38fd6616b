"""Evaluating and matching clingo AST terms against ground symbols.

The explainer reads the encodings' rules as parsed by clingo (``clingo.ast``) and needs two
things the solver does not give it: the ground instance of a rule once its variables are known
(to show which facts a conclusion rests on), and the bindings under which a body literal holds
in an answer set (to say which condition failed when it did not).  Both work on terms only; no
program text is ever built.
"""

from __future__ import annotations

import re

from clingo import Function, Number, Symbol, SymbolType, ast

__all__ = ["evaluate", "match", "variables", "Unbound", "text_template", "partial_text", "split_top", "term_end",
           "parse_text", "match_text", "text_matcher", "unquote"]

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


_VARIABLE = re.compile(r'"(?:[^"\\]|\\.)*"|(?<![A-Za-z0-9_\'])_*[A-Z][A-Za-z0-9_\']*')


def variables(node) -> set[str]:
    """Names of the variables under an AST node (``_`` excluded), read from its printed form
    (string constants skipped): one call into clingo instead of a visitor's hundreds."""
    return {m for m in _VARIABLE.findall(str(node)) if not m.startswith('"')}


# ------------------------------------------------------------------------------------------------
# Terms as printed text.  On national-scale cases every call into clingo for a symbol costs
# microseconds, so the explainer reads the bookkeeping atoms once as text and works on text from
# there: a binding maps variable names to the printed text of their values, and a rule's atoms
# are templates that print themselves under a binding exactly as clingo prints them.

_NUMBER_CHARS = frozenset("-0123456789")


def _text_binop(op, left, right):
    def run(binding):
        return str(op(int(left(binding)), int(right(binding))))
    return run


def text_template(term):
    """A function binding → printed text of ``term`` (raises :class:`Unbound` for a variable the
    binding lacks).  Supports what the encodings use: constants, variables, functions, tuples and
    integer arithmetic."""
    kind = term.ast_type
    if kind == ast.ASTType.SymbolicAtom:
        return text_template(term.symbol)
    if kind == ast.ASTType.SymbolicTerm:
        text = str(term.symbol)
        return lambda binding: text
    if kind == ast.ASTType.Variable:
        name = term.name

        def var(binding):
            try:
                return binding[name]
            except KeyError:
                raise Unbound(name) from None
        return var
    if kind == ast.ASTType.Function:
        parts = [text_template(a) for a in term.arguments]
        name = term.name
        if not name:  # a tuple
            if len(parts) == 1:
                only = parts[0]
                return lambda binding: f"({only(binding)},)"
            return lambda binding: "(" + ",".join(p(binding) for p in parts) + ")"
        if not parts:
            return lambda binding: name
        if len(parts) == 1:
            one = parts[0]
            return lambda binding: f"{name}({one(binding)})"
        return lambda binding: name + "(" + ",".join(p(binding) for p in parts) + ")"
    if kind == ast.ASTType.BinaryOperation:
        op = _ARITH[term.operator_type]
        return _text_binop(op, text_template(term.left), text_template(term.right))
    if kind == ast.ASTType.UnaryOperation:
        inner = text_template(term.argument)
        return lambda binding: str(-int(inner(binding)))
    raise ValueError(f"cannot print {term}")


def partial_text(term, binding) -> str:
    """``term`` printed with the variables the binding gives replaced by their values and the
    others left as written (``not official_until("li",_)``)."""
    kind = term.ast_type
    if kind == ast.ASTType.SymbolicAtom:
        return partial_text(term.symbol, binding)
    if kind == ast.ASTType.Variable:
        return binding.get(term.name, term.name)
    if kind == ast.ASTType.Function:
        args = [partial_text(a, binding) for a in term.arguments]
        if not term.name:
            return "(" + ",".join(args) + ("," if len(args) == 1 else "") + ")"
        return term.name + ("(" + ",".join(args) + ")" if args else "")
    try:
        return text_template(term)(binding)
    except Unbound:
        return str(term)


_SPLIT = re.compile(r'"(?:[^"\\]|\\.)*"|[(),]')
# Items that are all numbers, constants or plain strings: a plain split on commas will do.
_FLAT = re.compile(r'(?:-?\d+|[a-z_][A-Za-z0-9_\']*|"[^"\\,()]*")(?:,(?:-?\d+|[a-z_][A-Za-z0-9_\']*|"[^"\\,()]*"))*')


def split_top(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The comma-separated items of ``text[start:end]`` at nesting depth 0, as text."""
    end = len(text) if end is None else end
    if _FLAT.fullmatch(text, start, end):
        return text[start:end].split(",")
    items, depth, begin = [], 0, start
    for m in _SPLIT.finditer(text, start, end):
        tok = m.group()
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth -= 1
        elif tok == ",":
            if depth == 0:
                items.append(text[begin:m.start()])
                begin = m.end()
    if begin < end:
        items.append(text[begin:end])
    return items


def term_end(text: str, start: int) -> int:
    """The index just after the term that begins at ``start`` (ended by ``,`` or ``)`` at depth 0)."""
    depth = 0
    for m in _SPLIT.finditer(text, start):
        tok = m.group()
        if tok == "(":
            depth += 1
        elif tok == ")":
            if depth == 0:
                return m.start()
            depth -= 1
        elif depth == 0:
            return m.start()
    return len(text)


def parse_text(text: str):
    """A printed ground term as a tree of text: ``(name, args, text)`` for a function or tuple
    (name ``""``), the text itself for a number, string or constant."""
    text = text.strip()
    if text.startswith('"') or "(" not in text:
        return text
    open_at = text.index("(")
    name = text[:open_at]
    inner = split_top(text, open_at + 1, len(text) - 1)
    if inner and inner[-1] == "" and not name:  # (a,)
        inner = inner[:-1]
    return (name, tuple(parse_text(a) for a in inner), text)


def match_text(term, node, binding: dict[str, str]) -> dict[str, str] | None:
    """Extend ``binding`` so that the AST ``term`` prints as the parsed text ``node``, or None."""
    kind = term.ast_type
    if kind == ast.ASTType.SymbolicAtom:
        return match_text(term.symbol, node, binding)
    if kind == ast.ASTType.Variable:
        if term.name == "_":
            return binding
        text = node if isinstance(node, str) else node[2]
        bound = binding.get(term.name)
        if bound is None:
            return {**binding, term.name: text}
        return binding if bound == text else None
    if kind == ast.ASTType.Function and isinstance(node, tuple):
        name, args, _ = node
        if term.name != name or len(term.arguments) != len(args):
            return None
        for sub, arg in zip(term.arguments, args):
            binding = match_text(sub, arg, binding)
            if binding is None:
                return None
        return binding
    if kind == ast.ASTType.Function and not term.arguments:
        return binding if term.name == node else None
    try:
        text = node if isinstance(node, str) else node[2]
        return binding if text_template(term)(binding) == text else None
    except (Unbound, ValueError):
        return None


def unquote(text: str):
    """The Python value of a printed atomic term: int, str for strings (unescaped) and constants."""
    if text and text[0] in _NUMBER_CHARS and text.lstrip("-").isdigit():
        return int(text)
    if text.startswith('"'):
        body = text[1:-1]
        if "\\" in body:
            body = re.sub(r'\\[\\"n]', lambda m: {"\\\\": "\\", '\\"': '"', "\\n": "\n"}[m.group()], body)
        return body
    return text


def _node_text(node) -> str:
    return node if isinstance(node, str) else node[2]


def text_matcher(term):
    """A function (parsed text node, binding) → extended binding or None: :func:`match_text`
    compiled once, so that matching many atoms does not walk clingo's AST each time."""
    kind = term.ast_type
    if kind == ast.ASTType.SymbolicAtom:
        return text_matcher(term.symbol)
    if kind == ast.ASTType.Variable:
        name = term.name
        if name == "_":
            return lambda node, binding: binding

        def var(node, binding):
            text = node if isinstance(node, str) else node[2]
            bound = binding.get(name)
            if bound is None:
                extended = dict(binding)
                extended[name] = text
                return extended
            return binding if bound == text else None
        return var
    if kind == ast.ASTType.SymbolicTerm:
        const = str(term.symbol)
        return lambda node, binding: binding if _node_text(node) == const else None
    if kind == ast.ASTType.Function and term.name and not term.arguments:
        const = term.name
        return lambda node, binding: binding if node == const else None
    if kind == ast.ASTType.Function:
        name, subs = term.name, [text_matcher(a) for a in term.arguments]
        arity = len(subs)

        def fn(node, binding):
            if isinstance(node, str) or node[0] != name or len(node[1]) != arity:
                return None
            for sub, arg in zip(subs, node[1]):
                binding = sub(arg, binding)
                if binding is None:
                    return None
            return binding
        return fn
    template = text_template(term)

    def expr(node, binding):
        try:
            return binding if template(binding) == _node_text(node) else None
        except (Unbound, ValueError):
            return None
    return expr
