"""Common subexpressions of generated straight-line code, computed once.

The model's functions are straight-line assignments in which every name is assigned once, and the forward-mode
derivatives repeat their rules' subexpressions many times (`(K ** n + r ** n)` in a Hill factor and in each of its
derivatives). For the batched solver, where each operation is an array operation over all draws, computing a
repeated subexpression once into a temporary (`_cN`, placed before its first use, where every name it reads is
already assigned) removes most of the work (the body model's Jacobian: 15,700 operations to 4,600). The result
is the same arithmetic, in the same order within each expression, so the values are identical.
"""

from __future__ import annotations

import ast
from collections import Counter
from typing import Any

INDENT = "    "


def _key(node: ast.expr, keys: dict[int, Any]) -> Any:
    """A hashable structural key of an expression (operators, names, constants), memoised per node."""
    k = keys.get(id(node))
    if k is None:
        if isinstance(node, ast.BinOp):
            k = (type(node.op).__name__, _key(node.left, keys), _key(node.right, keys))
        elif isinstance(node, ast.UnaryOp):
            k = (type(node.op).__name__, _key(node.operand, keys))
        elif isinstance(node, ast.Name):
            k = node.id
        elif isinstance(node, ast.Constant):
            k = ("c", repr(node.value))
        else:
            k = ("other", ast.dump(node))
        keys[id(node)] = k
    return k


def eliminate(lines: list[str]) -> list[str]:
    """`    name = expr` lines (an expr may be a list of expressions), with every operation that occurs more than
    once computed once."""
    keys: dict[int, Any] = {}
    parsed = []
    counts: Counter[Any] = Counter()
    for line in lines:
        name, _, expr = line.strip().partition(" = ")
        node = ast.parse(expr, mode="eval").body
        parsed.append((name, node))
        for sub in ast.walk(node):
            if isinstance(sub, (ast.BinOp, ast.UnaryOp)):
                counts[_key(sub, keys)] += 1
    temps: dict[Any, str] = {}
    out: list[str] = []

    def rewrite(node: ast.expr) -> ast.expr:
        if isinstance(node, ast.List):
            return ast.List([rewrite(e) for e in node.elts], ast.Load())
        if not isinstance(node, (ast.BinOp, ast.UnaryOp)):
            return node
        key = keys[id(node)]
        if key in temps:
            return ast.Name(temps[key], ast.Load())
        if isinstance(node, ast.BinOp):
            new: ast.expr = ast.BinOp(rewrite(node.left), node.op, rewrite(node.right))
        else:
            new = ast.UnaryOp(node.op, rewrite(node.operand))
        if counts[key] < 2:
            return new
        temps[key] = f"_c{len(temps)}"
        out.append(f"{INDENT}{temps[key]} = {ast.unparse(new)}")
        return ast.Name(temps[key], ast.Load())

    for name, node in parsed:
        out.append(f"{INDENT}{name} = {ast.unparse(rewrite(node))}")
    return out
