"""The model's one expression language: small infix arithmetic over named symbols.

`+ - * /`, `^` for powers, parentheses, numbers and symbol names ([A-Za-z_][A-Za-z0-9_]*); no functions, no
conditionals. It is the subset that SBML's infix (libsbml `parseL3Formula`) and Python both read the same way,
so one rate law string is the IR, the Python that runs it (floats or numpy arrays alike) and, later, the SBML.
Parsing goes through Python's own parser with a whitelist of node types: anything else is an error.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache

from kg.errors import KgError

SYMBOL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Name, ast.Constant, ast.Load, ast.Add, ast.Sub, ast.Mult,
            ast.Div, ast.Pow, ast.USub, ast.UAdd)


@lru_cache(maxsize=4096)
def parse(text: str) -> ast.Expression:
    """The expression's syntax tree; KgError naming the expression if it leaves the language."""
    try:
        tree = ast.parse(text.replace("^", "**"), mode="eval")
    except SyntaxError as exc:
        raise KgError(f"malformed model expression '{text}': {exc.msg}") from None
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise KgError(f"model expression '{text}' uses {type(node).__name__}, outside the expression language")
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            raise KgError(f"model expression '{text}' has a non-numeric constant")
    return tree


def symbols(text: str) -> frozenset[str]:
    """The names an expression reads."""
    return frozenset(n.id for n in ast.walk(parse(text)) if isinstance(n, ast.Name))


def to_python(text: str) -> str:
    """Python source for the expression (`^` becomes `**`)."""
    return ast.unparse(parse(text))


def fmt(value: float) -> str:
    """A number as the language writes it: repr keeps every digit, so the text round-trips exactly."""
    return repr(float(value))


def product(factors: list[str]) -> str:
    """`a * b * c`, parenthesising compound factors; '1.0' for none."""
    parts = [f if SYMBOL.match(f) or _is_number(f) else f"({f})" for f in factors if f != "1.0"]
    return " * ".join(parts) if parts else "1.0"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
