"""The plausible range of every uncertain number in the model, from its basis.

A parameter whose record gives `low` and `high` (a source's range) keeps them. Otherwise its range follows from
its basis: value ×/÷ the basis's spread, log-uniform (`measured` ×/÷1.25, `derived` ×/÷2, `fitted` and `assumed`
×/÷3 by default; a context may declare its own as `uncertainty.<basis>`). Parameters a perturbation or the
calibration sets, parameters no expression reads (structural ones, such as the sign of a ratio's exponent) and
zero values get no range: they are not uncertain quantities. A regulation's maximal fold keeps its side of 1
(an activator stays an activator). Parameters of one group (an edge's value used in
several compartments) are one quantity and are drawn together (`sample/`).

Effect sizes (the `effect.*` and `variant.*` words, a catalogued variant's factor) get a range the same way, kept
on the side of 1 their direction says: an `increased` variant stays above 1 whatever the draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.simulate.model.expr import symbols
from kg.simulate.model.ir import Model

BASES = ("measured", "derived", "fitted", "assumed")
SPREADS = {"measured": 1.25, "derived": 2.0, "fitted": 3.0, "assumed": 3.0}  # ×/÷, unless a context says otherwise
UNCERTAIN_ROLES = ("", "fixed")  # model constants and fixed concentrations; not what perturbations or calibration set
FOLDS = ("max_fold__", "g_regulation_max_fold_")  # a regulation's maximal fold: its sign is the edge's, kept


def spreads(ctx: Any) -> dict[str, float]:
    """The ×/÷ spread of each basis in a context (`uncertainty.<basis>`, else the documented default)."""
    return {b: float(ctx.get(f"uncertainty.{b}", SPREADS[b])) for b in BASES}


def span(value: float, basis: str | None, spread: dict[str, float], low: float | None = None,
         high: float | None = None) -> tuple[float, float] | None:
    """(low, high) of a number: its own range if given, else value ×/÷ its basis's spread; None for 0."""
    if low is not None and high is not None:
        return float(low), float(high)
    if value == 0:
        return None
    s = spread.get(basis or "assumed", spread["assumed"])
    a, b = value / s, value * s
    return min(a, b), max(a, b)


def assign(model: Model, spread: dict[str, float]) -> None:
    """Write each uncertain parameter's range into the IR (`low`, `high`); clear it on every other parameter."""
    used: set[str] = set()
    for text in [*(r.expr for r in model.rules), *(f.rate for f in model.fluxes)]:
        used |= symbols(text)
    for p in model.params.values():
        bounds = None
        if p.role in UNCERTAIN_ROLES and p.name in used:
            sized = effect_span if p.name.startswith(FOLDS) else span
            bounds = sized(p.value, p.basis, spread, p.low, p.high)
        p.low, p.high = bounds if bounds else (None, None)


@dataclass(frozen=True)
class Factor:
    """One uncertain quantity: the parameters it sets (one, or a group), its nominal value and range, and its
    provenance (what `kg sensitivity` reports)."""

    name: str
    params: tuple[str, ...]
    value: float
    low: float
    high: float
    basis: str
    source: str | None
    note: str | None
    unit: str


def factors(model: Model) -> list[Factor]:
    """The model's uncertain quantities, in parameter order (a group where its first member is)."""
    groups: dict[str, list[Any]] = {}
    for p in model.params.values():
        if p.low is not None:
            groups.setdefault(p.group or p.name, []).append(p)
    out = []
    for name, members in groups.items():
        first = members[0]
        if any((m.value, m.low, m.high) != (first.value, first.low, first.high) for m in members):
            out += [_factor(m.name, [m]) for m in members]  # declared apart: separate quantities
        else:
            out.append(_factor(name, members))
    return out


def _factor(name: str, members: list[Any]) -> Factor:
    p = members[0]
    return Factor(name, tuple(m.name for m in members), p.value, p.low, p.high, p.basis, p.source, p.note, p.unit)


def effect_span(value: float, basis: str | None, spread: dict[str, float], low: float | None = None,
                high: float | None = None) -> tuple[float, float] | None:
    """The range of an effect size, on its side of 1 (a rise stays a rise); None for 0 or exactly 1."""
    if value in (0.0, 1.0):
        return None
    bounds = span(value, basis, spread, low, high)
    if bounds is None:
        return None
    a, b = bounds
    return (max(a, 1.0), b) if value > 1.0 else (a, min(b, 1.0))
