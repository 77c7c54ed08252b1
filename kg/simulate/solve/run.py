"""Perturbed steady states of one context's calibrated model (`baseline.py`), and the readouts they give.

A perturbation is a set of Changes: per-gene expression/activity/transgene factors (the entry point for
anything that knows what a genotype does to a gene: `GeneChange`), input levels or agent doses, clamped
species, fixed concentrations and deposition-process scales, each mapped onto the model's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.simulate.model.compile import CompiledModel
from kg.simulate.solve.baseline import floors, solve
from kg.simulate.solve.linear import SparseLU
from kg.simulate.solve.steady import steady_state

MEMO_SIZE = 256  # perturbed steady states kept per model (a screen's repeated kinetic changes)


@dataclass
class GeneChange:
    """What a perturbation does to one gene's product, in every compartment: endogenous expression and activity
    (relative to wild type) and added (transgenic or transfected) protein."""

    expression: float = 1.0
    activity: float = 1.0
    transgene: float = 0.0


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
    """A compiled, calibrated model and its baseline steady state; `run` gives a perturbed steady state."""

    def __init__(self, cm: CompiledModel, base_x: list[float], lu: SparseLU) -> None:
        self.cm, self.model, self.lu = cm, cm.model, lu
        self.p0 = cm.params()
        self.floors = floors(base_x)
        self.base = self._levels(base_x, self.p0)
        self._memo: dict[tuple[Any, ...], Levels] = {}

    def _observe(self, x: list[float], p: list[float]) -> dict[str, float]:
        return dict(zip(self.cm.observed, self.cm.observe(x, p), strict=True))

    def value_of(self, sym: str, x: list[float], p: list[float], obs: dict[str, float]) -> float:
        if sym in self.cm.state_index:
            return x[self.cm.state_index[sym]]
        if sym in self.cm.param_index:
            return p[self.cm.param_index[sym]]
        return obs[sym]

    def _levels(self, x: list[float], p: list[float]) -> Levels:
        return Levels(list(x), list(p), self._observe(x, p))

    def parameters(self, ch: Changes, base: list[Any] | None = None) -> list[Any]:
        """The parameter vector a set of Changes means (on the model's own parameters, or on `base`: an
        ensemble's draws, whose entries may be arrays, as may the Changes' values)."""
        p = list(self.p0 if base is None else base)
        pi = self.cm.param_index
        for prm in self.model.params.values():
            if prm.role.startswith("gene.") and prm.entity in ch.genes:
                g = ch.genes[prm.entity]
                p[pi[prm.name]] = {"gene.expression": g.expression, "gene.activity": g.activity,
                                   "gene.transgene": g.transgene}[prm.role]
            elif prm.role == "input" and prm.entity in ch.inputs:
                p[pi[prm.name]] = ch.inputs[prm.entity]
            elif prm.role == "fixed" and (prm.entity, prm.compartment) in ch.fixed:
                p[pi[prm.name]] = p[pi[prm.name]] * ch.fixed[(prm.entity, prm.compartment)]
            elif prm.role == "index.scale" and (prm.entity, prm.compartment) in ch.scale:
                p[pi[prm.name]] = ch.scale[(prm.entity, prm.compartment)]
        return p

    def start(self, ch: Changes) -> tuple[list[float], list[float], dict[int, float]]:
        """Where a perturbation starts: its parameters, the baseline state with clamped species set to their held
        level, and those held levels by state index (what a time course or an exported model begins from)."""
        p = self.parameters(ch)
        x0 = list(self.base.x)
        held = {}
        for key, f in ch.clamps.items():
            sym = self.model.symbol(*key)
            if sym in self.cm.state_index:
                i = self.cm.state_index[sym]
                held[i] = x0[i] = self.base.x[i] * f
        return p, x0, held

    def run(self, ch: Changes) -> Levels:
        """The steady state under the Changes. Runs that set the same parameters and clamps share one solve
        (a screen's pairs often repeat a single's kinetic change), and no change at all is the baseline."""
        p = self.parameters(ch)
        x0 = self.base.x
        held = {self.cm.state_index[self.model.symbol(*key)]: x0[self.cm.state_index[self.model.symbol(*key)]] * f
                for key, f in ch.clamps.items() if self.model.symbol(*key) in self.cm.state_index}
        if not held and p == self.p0:
            return self.base
        memo = (tuple(p), tuple(sorted(held.items())))
        if memo not in self._memo:
            if len(self._memo) >= MEMO_SIZE:
                self._memo.pop(next(iter(self._memo)))  # the oldest
            self._memo[memo] = self._run(p, held)
        return self._memo[memo]

    def _run(self, p: list[float], held: dict[int, float]) -> Levels:
        x0 = self.base.x
        free = [i for i in range(len(x0)) if i not in held]
        if not held:
            return self._levels(self._solve(p, x0), p)
        where = {i: k for k, i in enumerate(free)}
        deps = [frozenset(where[j] for j in self.cm.deps[i] if j in where) for i in free]
        kept = [k for k, (i, j) in enumerate(self.cm.pattern) if i in where and j in where]

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

        def jac(u: list[float]) -> list[float]:
            values = self.cm.jac(full(u), p)
            return [values[k] for k in kept]

        u = steady_state(f, [x0[i] for i in free], deps, [self.floors[i] for i in free], jac=jac)
        return self._levels(full(u), p)

    def _solve(self, p: list[float], x0: list[float]) -> list[float]:
        return solve(self.cm, p, x0, self.floors, self.lu)

    def net_rates(self, x: list[float], ch: Changes) -> list[float]:
        """d(state)/dt at x under the Changes: the ODE right-hand side, for integrators and tests."""
        return self.cm.rhs(x, self.parameters(ch))

    def values(self, lv: Levels) -> dict[tuple[str, str], tuple[float, float, str]]:
        """(entity, compartment) -> (baseline, perturbed, unit) for everything the model holds."""
        out = {}
        units = {s.name: s.unit for s in self.model.states}
        units.update({r.name: r.unit for r in self.model.rules})
        for key, sym in self.model.readouts.items():
            base = self.value_of(sym, self.base.x, self.base.p, self.base.obs)
            pert = self.value_of(sym, lv.x, lv.p, lv.obs)
            unit = units.get(sym) or (self.model.params[sym].unit if sym in self.model.params else "")
            out[key] = (base, pert, unit)
        return out

