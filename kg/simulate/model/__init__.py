"""The simulator's model: built from the graph and a context (`build.py`, `regulate.py`) into one explicit
intermediate representation (`ir.py`, rate laws in the language of `expr.py`), compiled to Python
(`compile.py`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from kg.simulate.contexts import Context
from kg.simulate.model.build import INDEX, Builder
from kg.simulate.model.ir import Model, Rule
from kg.simulate.model.regulate import Regulation, order_rules


def build_model(graph: Any, edges: list[Any], ctx: Context) -> tuple[Model, Regulation]:
    """The model of the active edges in a context; the Regulation keeps what the baseline calibration fills in
    (`refs`, `base_prod`) and the inputs."""
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
    b.m.rules = order_rules(b.m.rules)
    b.m.states.sort(key=lambda s: (s.compartment, s.name))
    b.m.readouts = dict(sorted(b.m.readouts.items()))
    b.m.validate()
    return b.m, reg


__all__ = ["Model", "build_model"]
