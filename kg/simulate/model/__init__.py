"""The simulator's model: built from the graph and a context (`build.py`, `regulate.py`) into one explicit
intermediate representation (`ir.py`, rate laws in the language of `expr.py`), compiled to Python
(`compile.py`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kg.simulate.contexts import Context
from kg.simulate.model import ranges
from kg.simulate.model.build import INDEX, Builder
from kg.simulate.model.ir import Model, Rule
from kg.simulate.model.regulate import Regulation, order_rules


def build_model(graph: Any, edges: list[Any], ctx: Context) -> tuple[Model, Regulation]:
    """The model of the active edges in a context (with its calibration: what the baseline fills in); the
    Regulation keeps the inputs."""
    b = Builder(graph, edges, ctx)
    b.compartments()
    b.check_capacities()
    b.reactions()
    b.transfers()
    reg = Regulation(b)
    reg.depositions()
    reg.carriers_and_relays()
    b.species_terms()
    multipliers, supplies = reg.modifiers()
    b.amounts(multipliers, supplies)
    reg.production(multipliers)
    for (process, comp) in sorted(reg.indices):
        sym = b.sym(process, comp)
        m = multipliers.get(("index", process, comp))
        b.m.rules.append(Rule(sym, f"chem__{sym} * {m}" if m else f"chem__{sym}", INDEX, process, comp, INDEX))
    states = {s.name for s in b.m.states}
    b.m.fluxes = [replace(f, stoich=tuple((s, k) for s, k in f.stoich if s in states)) for f in b.fluxes]
    b.m.calibration = calibration(b, reg)
    ranges.assign(b.m, ranges.spreads(ctx))
    b.m.rules = order_rules(b.m.rules)
    b.m.states.sort(key=lambda s: (s.compartment, s.name))
    b.m.readouts = dict(sorted(b.m.readouts.items()))
    b.m.validate()
    return b.m, reg


def calibration(b: Builder, reg: Regulation) -> dict[str, str]:
    """What the baseline calibration sets, as expressions: each reference level is its symbol's baseline value,
    each baseline production the sum of the fluxes counted as the species' production (times their
    stoichiometry)."""
    out = dict(reg.refs)
    fluxes = {f.name: f for f in b.m.fluxes}
    for base, key in reg.base_prod.items():
        sym = b.m.symbol(*key)
        terms = [f"{k!r} * {name}" for name in b.production.get(key, ()) for s, k in fluxes[name].stoich if s == sym]
        out[base] = " + ".join(terms) or "0.0"
    return dict(sorted(out.items()))


__all__ = ["Model", "build_model"]
