"""Numbers that reach a user are finite: JSON has no NaN or Infinity, and a result that holds one is refused.

The simulator's inputs are bounded where they are parsed (kg.simulate.perturb: levels from 0 to 1000); this is
the other boundary. `numeric_guard` turns an arithmetic failure inside a computation (division by zero,
overflow, a linear-algebra error) into one message and exit 1, and `require_finite` refuses to print a result in
which any number is NaN or infinite, naming where it is.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kg.errors import KgError


class NumericalFailure(KgError):
    """A computation produced no finite answer (exit 1)."""


def non_finite_path(data: Any, path: str = "") -> str | None:
    """The JSON path of the first NaN or infinite number in `data` (dicts, lists, tuples), or None."""
    stack: list[tuple[Any, str]] = [(data, path)]
    while stack:
        value, where = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return where or "(the result)"
        if isinstance(value, dict):
            stack.extend((v, f"{where}.{k}" if where else str(k)) for k, v in reversed(list(value.items())))
        elif isinstance(value, (list, tuple)):
            stack.extend((v, f"{where}[{i}]") for i, v in reversed(list(enumerate(value))))
    return None


def require_finite(data: Any, what: str) -> Any:
    """`data` unchanged if every number in it is finite; NumericalFailure naming the first that is not."""
    where = non_finite_path(data)
    if where is not None:
        raise NumericalFailure(f"{what} produced a non-finite number at {where}; nothing was reported (the inputs "
                               "are within their documented ranges, so this is a defect of the model: please report "
                               "it with the command)")
    return data


@contextmanager
def numeric_guard(what: str) -> Iterator[None]:
    """Inside the block, arithmetic failures become NumericalFailure (exit 1) instead of a traceback."""
    try:
        yield
    except (ArithmeticError, ValueError) as exc:
        raise NumericalFailure(f"{what} failed: {type(exc).__name__}: {exc}") from None
