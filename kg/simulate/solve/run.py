"""Baseline and perturbed steady states of one context's model, and the readouts they give.

The baseline is solved with regulation switched off (every signal at its baseline value), which fixes the
reference levels every multiplier is normalised by (`ref__` parameters) and the baseline productions a supply
scales with (`base_prod__`); with them filled in, the same state is a steady state of the regulated model.
A perturbation is a set of Changes: per-gene expression/activity/transgene factors (the entry point for
anything that knows what a genotype does to a gene), input levels or agent doses, clamped species, fixed
concentrations and deposition-process scales, each mapped onto the model's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.errors import KgError
from kg.simulate.model.compile import CompiledModel, compile_model
from kg.simulate.model.ir import Model
from kg.simulate.solve.steady import steady_state


@dataclass
class GeneChange:
    """What a perturbation does to one gene's product, in every compartment: endogenous expression and activity
    (relative to wild type) and added (transgenic or transfected) protein."""

    expression: float = 1.0
    activity: float = 1.0
    transgene: float = 0.0

    @property
    def is_identity(self) -> bool:
        return self.expression == 1.0 and self.activity == 1.0 and self.transgene == 0.0


@dataclass
class Changes:
    genes: dict[str, GeneChange] = field(default_factory=dict)  # gene id -> change (germline: all compartments)
    inputs: dict[str, float] = field(default_factory=dict)  # regulator level / agent dose (baseline 1 or 0)
    clamps: dict[tuple[str, str], float] = field(default_factory=dict)  # (species, compartment) -> factor
    fixed: dict[tuple[str, str], float] = field(default_factory=dict)  # fixed species -> factor
    scale: dict[tuple[str, str], float] = field(default_factory=dict)  # (process, compartment) -> factor


@dataclass
class Levels:
    x: list[float]  # states
    p: list[float]  # parameters
    obs: dict[str, float]  # rules and fluxes


class KineticRun:
    """A compiled model with its baseline solved once; `run` gives a perturbed steady state."""

    def __init__(self, model: Model, refs: dict[str, str], base_prod: dict[str, tuple[str, str]],
                 production: dict[tuple[str, str], list[str]]) -> None:
        self.model = model
        self.cm: CompiledModel = compile_model(model)
        pi = self.cm.param_index
        p = self.cm.params()
        if "regulation" in pi:
            p[pi["regulation"]] = 0.0
        n = len(model.states)
        self.floors = [1e-9] * n
        x0 = steady_state(lambda u: self.cm.rhs(u, p), [1.0] * n, self.cm.deps, self.floors)
        for _ in range(len(refs) + 1):  # a reference may read another (an index over calcium): settle them
            obs = self._observe(x0, p)
            changed = False
            for ref, sym in refs.items():
                value = self._value_of(sym, x0, p, obs)
                if value <= 0:
                    raise KgError(f"{sym} is 0 at the baseline of context '{model.context}', so a regulation it "
                                  f"drives cannot be normalised to it")
                changed = changed or value != p[pi[ref]]
                p[pi[ref]] = value
            if not changed:
                break
        for base, key in base_prod.items():
            sym = model.symbol(*key)
            p[pi[base]] = sum(obs[f.name] * k for f in model.fluxes if f.name in production.get(key, ())
                              for s, k in f.stoich if s == sym)
        if "regulation" in pi:
            p[pi["regulation"]] = 1.0
        self.floors = [max(abs(v), 1e-3) * 1e-9 for v in x0]
        self.p0 = p
        self.base = self._levels(steady_state(lambda u: self.cm.rhs(u, p), x0, self.cm.deps, self.floors), p)

    def _observe(self, x: list[float], p: list[float]) -> dict[str, float]:
        return dict(zip(self.cm.observed, self.cm.observe(x, p), strict=True))

    def _value_of(self, sym: str, x: list[float], p: list[float], obs: dict[str, float]) -> float:
        if sym in self.cm.state_index:
            return x[self.cm.state_index[sym]]
        if sym in self.cm.param_index:
            return p[self.cm.param_index[sym]]
        return obs[sym]

    def _levels(self, x: list[float], p: list[float]) -> Levels:
        return Levels(list(x), list(p), self._observe(x, p))

    def parameters(self, ch: Changes) -> list[float]:
        """The parameter vector a set of Changes means."""
        p = list(self.p0)
        pi = self.cm.param_index
        for prm in self.model.params.values():
            if prm.role.startswith("gene.") and prm.entity in ch.genes:
                g = ch.genes[prm.entity]
                p[pi[prm.name]] = {"gene.expression": g.expression, "gene.activity": g.activity,
                                   "gene.transgene": g.transgene}[prm.role]
            elif prm.role == "input" and prm.entity in ch.inputs:
                p[pi[prm.name]] = ch.inputs[prm.entity]
            elif prm.role == "fixed" and (prm.entity, prm.compartment) in ch.fixed:
                p[pi[prm.name]] *= ch.fixed[(prm.entity, prm.compartment)]
            elif prm.role == "index.scale" and (prm.entity, prm.compartment) in ch.scale:
                p[pi[prm.name]] = ch.scale[(prm.entity, prm.compartment)]
        return p

    def run(self, ch: Changes) -> Levels:
        p = self.parameters(ch)
        x0 = self.base.x
        held = {self.cm.state_index[self.model.symbol(*key)]: x0[self.cm.state_index[self.model.symbol(*key)]] * f
                for key, f in ch.clamps.items() if self.model.symbol(*key) in self.cm.state_index}
        free = [i for i in range(len(x0)) if i not in held]
        if not held:
            x = steady_state(lambda u: self.cm.rhs(u, p), x0, self.cm.deps, self.floors)
            return self._levels(x, p)
        where = {i: k for k, i in enumerate(free)}
        deps = [frozenset(where[j] for j in self.cm.deps[i] if j in where) for i in free]

        def full(u: list[float]) -> list[float]:
            x = list(x0)
            for k, i in enumerate(free):
                x[i] = u[k]
            for i, v in held.items():
                x[i] = v
            return x

        def f(u: list[float]) -> list[float]:
            d = self.cm.rhs(full(u), p)
            return [d[i] for i in free]

        u = steady_state(f, [x0[i] for i in free], deps, [self.floors[i] for i in free])
        return self._levels(full(u), p)

    def net_rates(self, x: list[float], ch: Changes) -> list[float]:
        """d(state)/dt at x under the Changes: the ODE right-hand side, for integrators and tests."""
        return self.cm.rhs(x, self.parameters(ch))

    def values(self, lv: Levels) -> dict[tuple[str, str], tuple[float, float, str]]:
        """(entity, compartment) -> (baseline, perturbed, unit) for everything the model holds."""
        out = {}
        units = {s.name: s.unit for s in self.model.states}
        units.update({r.name: r.unit for r in self.model.rules})
        for key, sym in self.model.readouts.items():
            base = self._value_of(sym, self.base.x, self.base.p, self.base.obs)
            pert = self._value_of(sym, lv.x, lv.p, lv.obs)
            unit = units.get(sym) or (self.model.params[sym].unit if sym in self.model.params else "")
            out[key] = (base, pert, unit)
        return out

