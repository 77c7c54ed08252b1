"""Compile a Model into Python: the right-hand side of its ODEs and the observables, as generated source.

The source is emitted once per model and compiled with `compile()`; it reads states from `x[i]` and parameters
from `p[j]` and uses only arithmetic, so the same function runs on floats (one prediction) and on numpy arrays
(x[i], p[j] of shape (N,): N parameter draws at once). The sparsity of the Jacobian (which states each derivative
reads, through the rules) is worked out here too, so the solver perturbs independent columns together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.simulate.model.expr import fmt, symbols, to_python
from kg.simulate.model.ir import SPECIES, Model


@dataclass
class CompiledModel:
    model: Model
    source: str
    rhs: Any  # (x, p) -> list of d(state)/dt
    observe: Any  # (x, p) -> list of rule values then flux rates
    param_index: dict[str, int]
    state_index: dict[str, int]
    observed: list[str]  # names of observe()'s outputs, in order
    deps: list[frozenset[int]]  # state indices each derivative depends on

    def params(self) -> list[float]:
        return [p.value for p in self.model.params.values()]


def compile_model(model: Model) -> CompiledModel:
    """Validate the model and generate its functions."""
    model.validate()
    pidx = {name: i for i, name in enumerate(model.params)}
    sidx = model.state_index()
    used = set()
    for r in model.rules:
        used |= symbols(r.expr)
    for f in model.fluxes:
        used |= symbols(f.rate)
    volumes = {c.name: c.volume for c in model.compartments.values()}
    used |= {volumes[s.compartment] for s in model.states if s.kind == SPECIES}
    head = [f"    {s.name} = x[{i}]" for s, i in zip(model.states, range(len(model.states)), strict=True)
            if s.name in used]
    head += [f"    {name} = p[{pidx[name]}]" for name in model.params if name in used]
    body = [f"    {r.name} = {to_python(r.expr)}" for r in model.rules]
    body += [f"    {f.name} = {to_python(f.rate)}" for f in model.fluxes]
    terms: dict[str, list[str]] = {s.name: [] for s in model.states}
    for f in model.fluxes:
        for s, k in f.stoich:
            terms[s].append(f"{'+' if k > 0 else '-'} {fmt(abs(k))} * {f.name}")
    derivs = []
    for s in model.states:
        if not terms[s.name]:
            derivs.append(f"0.0 * x[{sidx[s.name]}]")
            continue
        total = " ".join(terms[s.name]).lstrip("+ ")
        derivs.append(f"({total}) / {volumes[s.compartment]}" if s.kind == SPECIES else f"({total})")
    observed = [r.name for r in model.rules] + [f.name for f in model.fluxes]
    source = "\n".join([
        "def rhs(x, p):", *head, *body, f"    return [{', '.join(derivs)}]", "",
        "def observe(x, p):", *head, *body, f"    return [{', '.join(observed)}]", ""])
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<model {model.context}>", "exec"), namespace)  # noqa: S102 - our own generated source
    return CompiledModel(model, source, namespace["rhs"], namespace["observe"], pidx, sidx, observed,
                         _dependencies(model, sidx))


def _dependencies(model: Model, sidx: dict[str, int]) -> list[frozenset[int]]:
    """For each state's derivative, the states it reads (directly or through rules)."""
    reads: dict[str, set[int]] = {}
    for r in model.rules:
        reads[r.name] = _state_reads(symbols(r.expr), sidx, reads)
    deps: list[set[int]] = [set() for _ in model.states]
    for f in model.fluxes:
        rd = _state_reads(symbols(f.rate), sidx, reads)
        for s, _k in f.stoich:
            deps[sidx[s]] |= rd
    return [frozenset(d) for d in deps]


def _state_reads(names: frozenset[str], sidx: dict[str, int], reads: dict[str, set[int]]) -> set[int]:
    out: set[int] = set()
    for n in names:
        if n in sidx:
            out.add(sidx[n])
        elif n in reads:
            out |= reads[n]
    return out
