"""Symbolic derivatives of the expression language (`expr.py`), for the model's analytic Jacobian.

`derivative(text, wrt)` differentiates one expression by the chain rule; `wrt(name)` says what a symbol's
derivative is: '1.0' for the variable itself, the name of an already computed derivative for a rule that depends
on it, None (zero) for everything else. Derivatives are Python source over the same symbols, simplified only
where a factor is 0 or 1, so the generated code stays readable and runs on floats and numpy arrays alike.
An exponent that depends on the variable would need a logarithm, which the language does not have: KgError.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from kg.errors import KgError
from kg.simulate.model.expr import parse

ONE = "1.0"


def derivative(text: str, wrt: Callable[[str], str | None]) -> str | None:
    """Python source of d(text)/d(variable), or None when it is identically zero."""
    return _d(parse(text).body, wrt, text)


def _d(node: ast.expr, wrt: Callable[[str], str | None], text: str) -> str | None:
    if isinstance(node, ast.Constant):
        return None
    if isinstance(node, ast.Name):
        return wrt(node.id)
    if isinstance(node, ast.UnaryOp):
        inner = _d(node.operand, wrt, text)
        return _neg(inner) if isinstance(node.op, ast.USub) else inner
    if not isinstance(node, ast.BinOp):  # parse() admits nothing else
        raise KgError(f"cannot differentiate '{text}'")
    da, db = _d(node.left, wrt, text), _d(node.right, wrt, text)
    a, b = f"({ast.unparse(node.left)})", f"({ast.unparse(node.right)})"
    if isinstance(node.op, ast.Add):
        return _add(da, db)
    if isinstance(node.op, ast.Sub):
        return _add(da, _neg(db))
    if isinstance(node.op, ast.Mult):
        return _add(_mul(da, b), _mul(a, db))
    if isinstance(node.op, ast.Div):  # (a/b)' = a'/b - (a/b) * b'/b
        return _add(_div(da, b), _neg(_mul(f"({a} / {b})", _div(db, b))))
    if db is not None:
        raise KgError(f"'{text}': an exponent that depends on a state cannot be differentiated in the language")
    if da is None:
        return None
    return _mul(f"({b} * {a} ** ({b} - 1))", da)  # ast.Pow: (a^b)' = b a^(b-1) a'


def _add(x: str | None, y: str | None) -> str | None:
    if x is None:
        return y
    if y is None:
        return x
    return f"({x} + {y})"


def _neg(x: str | None) -> str | None:
    return None if x is None else f"(-{x})"


def _mul(x: str | None, y: str | None) -> str | None:
    if x is None or y is None:
        return None
    if x == ONE:
        return y
    if y == ONE:
        return x
    return f"({x} * {y})"


def _div(x: str | None, y: str) -> str | None:
    return None if x is None else f"({x} / {y})"
