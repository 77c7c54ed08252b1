"""What a dose of a drug or agent means, in words, from the edges that carry its action (docs/predict.md, "Doses").

A dose is a number in the drug's own unit, fixed by its edges: a `supply` edge adds, per dose, its `amount` times
the baseline activity of the enzyme it supplies (ENPP1-Fc=2 adds twice the endogenous ENPP1 activity) or its
`rate` times the baseline production of the metabolite (oral PPi); a `hill` edge acts half-maximally at the dose
`K`; an edge without kinetics takes the context's `regulation.K`. `NAME` alone (or `NAME=up`) gives the default
dose: `NAME.dose` where a context declares it, else `effect.dose` (one dose unit, assumed).
"""

from __future__ import annotations

from typing import Any

from kg.simulate.changes import Effects, Size
from kg.simulate.network import ABSENT_AT_BASELINE, edge_sign


def describe(graph: Any, edges: list[Any], entity_id: str, dose: float, default: Size | None, ctx: Any) -> str:
    """One line: the dose given, where a default came from, and what one dose does through each edge."""
    label = graph.entity(entity_id).label
    given = f"dose {dose:g}"
    if default is not None:
        given += f" (the default: {default.key} = {default.value:g}, {default.basis}"
        given += f"; {default.note})" if default.note else ")"
    parts = []
    for e in sorted((e for e in edges if e.subject == entity_id and e.subject != e.object), key=lambda e: e.id):
        obj = graph.entity(e.object).label
        law = e.kinetics.rate_law if e.kinetics is not None else None
        params = e.kinetics.parameters if e.kinetics is not None else {}
        if law == "supply" and "amount" in params:
            parts.append(f"one dose adds {obj} activity of {_value(params['amount'])} x its baseline"
                         f"{_where(e)}")
        elif law == "supply" and "rate" in params:
            parts.append(f"one dose adds {obj} production of {_value(params['rate'])} x its baseline{_where(e)}")
        elif law == "hill" and "K" in params:
            parts.append(f"its effect on {obj} is half-maximal at dose {_value(params['K'])}")
        elif law is None and edge_sign(e):
            k = ctx.param("regulation.K")
            parts.append(f"its effect on {obj} is half-maximal at dose {k.value if k is not None else 1.0:g} "
                         f"(regulation.K, the default for edges without kinetics)")
    return f"{label}: {given}" + (f"; {'; '.join(parts)}" if parts else "")


def notes(graph: Any, edges: list[Any], perts: list[Any], effects: Effects) -> list[str]:
    """The notes a run owes its reader: each agent's dose and what it means, and every effect size that came
    from a default or a catalogue rather than from the user."""
    out = []
    for p in perts:
        ent = graph.entity(p.entity)
        if ent.category in ABSENT_AT_BASELINE and p.effect in ("up", "number"):
            default = None if p.effect == "number" else next(
                (s for s in effects.used.values() if s.key in (f"{ent.label}.dose", f"{ent.symbol}.dose",
                                                              "effect.dose")), None)
            dose = float(p.value) if p.effect == "number" else (default.value if default else 1.0)
            out.append(describe(graph, edges, p.entity, dose, default, effects.ctx))
    for size in sorted(effects.used.values(), key=lambda s: s.key):
        if size.drawn:
            why = f"; {size.note}" if size.note else ""
            out.append(f"effect size {size.key} = {size.value:g} ({size.basis}{why})")
    return out


def _value(p: Any) -> str:
    return f"{p.value:g} ({p.basis})"


def _where(e: Any) -> str:
    return f" in {e.compartment}" if e.compartment else ""
