"""Seeded draws of the uncertain quantities: log-uniform over each range (uniform in the logarithm, so ×/÷3 is as
likely up as down and the nominal value is the median), one column per draw.

The generator is numpy's PCG64 seeded with the user's seed, and quantities are drawn in a fixed order (the
model's parameter order, then the effect sizes by name), so a seed gives the same ensemble on every machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

DEFAULT_SEED = 1


def log_uniform(rng: np.random.Generator, low: float, high: float, n: int) -> np.ndarray:
    """n values log-uniform between low and high (both of one sign; a negative range keeps its sign)."""
    sign = -1.0 if high < 0 else 1.0
    a, b = sorted((abs(low), abs(high)))
    return sign * np.exp(rng.uniform(np.log(a), np.log(b), n))


def draw(spans: Sequence[tuple[float, float]], n: int, seed: int = DEFAULT_SEED) -> np.ndarray:
    """An array (len(spans), n): row i log-uniform over spans[i]."""
    rng = np.random.Generator(np.random.PCG64(seed))
    out = np.empty((len(spans), n))
    for i, (low, high) in enumerate(spans):
        out[i] = log_uniform(rng, low, high, n)
    return out


def from_unit(spans: Sequence[tuple[float, float]], unit: np.ndarray) -> np.ndarray:
    """Points of the unit cube (len(spans), n) mapped log-uniformly onto the spans (SALib's samples, a fit's
    coordinates)."""
    out = np.empty_like(unit, dtype=float)
    for i, (low, high) in enumerate(spans):
        sign = -1.0 if high < 0 else 1.0
        a, b = sorted((abs(low), abs(high)))
        out[i] = sign * np.exp(np.log(a) + unit[i] * (np.log(b) - np.log(a)))
    return out


def apply(p0: list[float], index: dict[str, int], names: Sequence[Sequence[str]], values: np.ndarray) -> list[Any]:
    """The parameter list with row i of `values` set on every parameter of names[i] (a factor's group)."""
    p: list[Any] = list(p0)
    for members, row in zip(names, values, strict=True):
        for name in members:
            p[index[name]] = row
    return p
