"""Steady states of a KineticModel: rates, the solver, and baseline-versus-perturbed readouts.

The solver is pseudo-transient continuation (implicit Euler steps whose length grows, so it follows the ODE's
flow into the stable steady state and ends as Newton's method) on a handful of species, with a numerical Jacobian
and a small dense solve in plain Python. Importing scipy.integrate/optimize (0.7 s) or even numpy (0.13 s) would
dominate a `kg predict` call; tests check that scipy's ODE integration reaches the same steady states.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from kg.errors import KgError
from kg.simulate.kinetic import KineticModel, Modifier

log = logging.getLogger(__name__)
UNIT_CONC, UNIT_REL, UNIT_INDEX = "uM", "relative", "index"
ATOL = 1e-9  # uM/h: fluxes below this count as zero when judging convergence
MAX_PASSES = 8  # regulation passes per evaluation (see KineticRun._evaluate)


@dataclass
class GeneChange:
    """What a perturbation does to one gene's product: endogenous expression and activity, added protein."""

    expression: float = 1.0
    activity: float = 1.0
    transgene: float = 0.0

    @property
    def is_identity(self) -> bool:
        return self.expression == 1.0 and self.activity == 1.0 and self.transgene == 0.0


@dataclass
class Changes:
    genes: dict[str, GeneChange] = field(default_factory=dict)
    inputs: dict[str, float] = field(default_factory=dict)  # regulator/agent level (baseline 1 present, 0 absent)
    clamps: dict[str, float] = field(default_factory=dict)  # species -> factor of its baseline concentration
    fixed: dict[str, float] = field(default_factory=dict)  # fixed species -> factor
    scale: dict[str, float] = field(default_factory=dict)  # deposition index -> factor


@dataclass
class Levels:
    conc: dict[str, float]
    amount: dict[str, float]
    index: dict[str, float]
    fluxes: dict[int, float]


class KineticRun:
    """A model with its baseline solved once; `run` gives the perturbed steady state."""

    def __init__(self, model: KineticModel, baseline_inputs: dict[str, float]) -> None:
        self.m = model
        self.base_inputs = dict(baseline_inputs)
        # each modifier's raw multiplier at the baseline signal, by which it is normalised (computed once)
        self._raw0 = [m.raw(self.base_inputs.get(m.regulator, 1.0)) for m in model.modifiers]
        self.x0: dict[str, float] = {}
        self.influx0: dict[str, float] = {}
        self.index0: dict[str, float] = {}
        base = self._solve(Changes(), unit_multipliers=True)
        self.base = base
        self.x0 = dict(base.conc)
        self.influx0 = self._influx(base)
        self.index0 = dict(base.index)

    # ---- evaluation ---------------------------------------------------------------------------------------------
    def _ratio(self, mod: Modifier, lv: dict[str, float], amounts: dict[str, float], index: dict[str, float],
               ch: Changes) -> float:
        """The modifier's signal: its regulator's level relative to baseline, gated by its carriers' activity
        (relative to baseline, to the power of the `via:` exponent)."""
        r = self._level(mod.regulator, lv, amounts, index, ch)
        for carrier, expo in mod.via:
            r *= max(amounts.get(carrier, 1.0), 0.0) ** expo
        return r

    def _level(self, reg: str, lv: dict[str, float], amounts: dict[str, float], index: dict[str, float],
               ch: Changes) -> float:
        if reg in self.m.species:
            base = self.x0.get(reg, 0.0)
            return lv[reg] / base if base > 0 else 1.0
        if reg in self.m.fixed:
            return lv[reg] / self.m.fixed[reg]
        if reg in amounts:
            return amounts[reg]
        if reg in index:
            base = self.index0.get(reg, 0.0)
            return index[reg] / base if base > 0 else 1.0
        return ch.inputs.get(reg, self.base_inputs.get(reg, 1.0))

    def _multipliers(self, lv: dict[str, float], amounts: dict[str, float], index: dict[str, float], ch: Changes,
                     unit: bool) -> dict[tuple[str, str], float]:
        out: dict[tuple[str, str], float] = {}
        if unit:
            return out
        for mod, raw0 in zip(self.m.modifiers, self._raw0, strict=True):
            f = mod.raw(self._ratio(mod, lv, amounts, index, ch)) / raw0
            key = (mod.on, mod.target)
            out[key] = out.get(key, 1.0) * f
        return out

    def _amounts(self, mult: dict[tuple[str, str], float], ch: Changes) -> dict[str, float]:
        amounts = {}
        supplied: dict[str, float] = {}
        for s in self.m.supplies:
            if s.target in self.m.enzymes:
                dose = ch.inputs.get(s.agent, self.base_inputs.get(s.agent, 0.0))
                supplied[s.target] = supplied.get(s.target, 0.0) + s.value * dose
        for e in self.m.enzymes:
            g = ch.genes.get(e, GeneChange())
            expr = g.expression * mult.get(("expression", e), 1.0)
            amounts[e] = (expr * g.activity + g.transgene) * mult.get(("activity", e), 1.0) + supplied.get(e, 0.0)
        return amounts

    def _index(self, lv: dict[str, float], mult: dict[tuple[str, str], float], ch: Changes) -> dict[str, float]:
        out = {}
        for mn in self.m.minerals:
            value = 1.0
            if mn.ratio:
                r = 1.0
                for sp, expo in mn.ratio.items():
                    c = lv[sp]
                    if c <= 0:
                        r = float("inf") if expo < 0 else 0.0
                        break
                    r *= c ** expo
                t = mn.threshold or 1.0
                if r == float("inf"):
                    frac = 1.0
                else:
                    rn = r ** mn.hill
                    frac = rn / (t ** mn.hill + rn)
                value = frac if mn.rises_with_ratio else 1.0 - frac
            for sp, expo in mn.scale.items():
                base = self.m.fixed.get(sp) or self.x0.get(sp) or 1.0
                value *= (lv[sp] / base) ** expo
            out[mn.process] = value * mult.get(("index", mn.process), 1.0) * ch.scale.get(mn.process, 1.0)
        return out

    def _rates(self, lv: dict[str, float], amounts: dict[str, float]) -> dict[int, float]:
        rates = {}
        for i, r in enumerate(self.m.reactions):
            a = amounts[r.enzyme]
            if r.law == "zero_order":
                v = r.params["vmax"] * a
            else:
                s = 1.0
                for sub in r.substrates:
                    s *= max(lv[sub], 0.0)
                v = r.params["k"] * a * s if r.law == "mass_action" else r.params["vmax"] * a * s / (r.params["km"] + s)
            rates[i] = v
        return rates

    def _balance(self, lv: dict[str, float], amounts: dict[str, float], mult: dict[tuple[str, str], float],
                 ch: Changes) -> tuple[dict[str, float], dict[str, float], dict[int, float]]:
        prod = {s: self.m.source[s] for s in self.m.species}
        cons = {s: self.m.clearance[s] * max(lv[s], 0.0) for s in self.m.species}
        rates = self._rates(lv, amounts)
        for i, r in enumerate(self.m.reactions):
            for sub in r.substrates:
                cons[sub] += rates[i]
            for p, count in r.products:
                prod[p] += count * rates[i]
        for s in self.m.species:
            prod[s] *= mult.get(("production", s), 1.0)
        for sup in self.m.supplies:
            if sup.target in prod:
                dose = ch.inputs.get(sup.agent, self.base_inputs.get(sup.agent, 0.0))
                prod[sup.target] += sup.value * dose * self.influx0.get(sup.target, 0.0)
        return prod, cons, rates

    def _evaluate(self, lv: dict[str, float], ch: Changes, unit: bool) -> tuple[Any, ...]:
        amounts = {e: 1.0 for e in self.m.enzymes}
        index = {mn.process: self.index0.get(mn.process, 1.0) for mn in self.m.minerals}
        # enzymes, relays, carriers and depositions may regulate each other: repeat until the amounts and indices
        # stop changing (a chain of k such links settles in k + 1 passes; MAX_PASSES bounds a loop among them)
        for i in range(MAX_PASSES):
            mult = self._multipliers(lv, amounts, index, ch, unit)
            new_amounts = self._amounts(mult, ch)
            new_index = self._index(lv, mult, ch) if self.x0 else index
            settled = i > 0 and new_amounts == amounts and new_index == index
            amounts, index = new_amounts, new_index
            if settled:
                break
        prod, cons, rates = self._balance(lv, amounts, mult, ch)
        return prod, cons, rates, amounts, mult

    def _influx(self, lv: Levels) -> dict[str, float]:
        prod, _c, _r, _a, _m = self._evaluate({**lv.conc}, Changes(), unit=True)
        return prod

    # ---- solving ------------------------------------------------------------------------------------------------
    def _solve(self, ch: Changes, unit_multipliers: bool = False) -> Levels:
        fixed = {s: c * ch.fixed.get(s, 1.0) for s, c in self.m.fixed.items()}
        clamped = {s: self.x0.get(s, 0.0) * f for s, f in ch.clamps.items() if s in self.m.species}
        free = [s for s in self.m.species if s not in clamped]

        def levels(u: list[float]) -> dict[str, float]:
            return {**fixed, **clamped, **dict(zip(free, u, strict=True))}

        def residual(u: list[float]) -> tuple[list[float], list[float]]:
            prod, cons, *_ = self._evaluate(levels(u), ch, unit_multipliers)
            return [prod[s] - cons[s] for s in free], [prod[s] + cons[s] + ATOL for s in free]

        u = steady_state(residual, [self.x0.get(s, 1.0) for s in free])
        lv = levels(u)
        _p, _c, rates, amounts, mult = self._evaluate(lv, ch, unit_multipliers)
        index = self._index(lv, mult, ch) if self.x0 else self._index_base(lv)
        return Levels(conc=lv, amount=amounts, index=index, fluxes=rates)

    def _index_base(self, lv: dict[str, float]) -> dict[str, float]:
        self.x0 = dict(lv)  # calcium and species baselines for the deposition indices
        return self._index(lv, {}, Changes())

    def run(self, ch: Changes) -> Levels:
        return self._solve(ch)

    def net_rates(self, conc: dict[str, float], ch: Changes) -> dict[str, float]:
        """d[species]/dt at the given concentrations (uM/h): the ODE right-hand side, for integrators and tests."""
        prod, cons, *_ = self._evaluate({**self.m.fixed, **conc}, ch, False)
        return {s: prod[s] - cons[s] for s in self.m.species}

    # ---- readouts -------------------------------------------------------------------------------------------------
    def values(self, lv: Levels) -> dict[str, tuple[float, float, str]]:
        """entity id -> (baseline, perturbed, unit) for every entity the kinetic layer covers."""
        out: dict[str, tuple[float, float, str]] = {}
        for s, v in lv.conc.items():
            base = self.base.conc[s]
            out[s] = (base, v, UNIT_CONC)
        for e, a in lv.amount.items():
            out[e] = (self.base.amount[e], a, UNIT_REL)
        for p, v in lv.index.items():
            out[p] = (self.base.index[p], v, UNIT_INDEX)
        return out


def steady_state(residual: Any, u0: list[float], tol: float = 1e-10, max_steps: int = 1000) -> list[float]:
    """Pseudo-transient continuation: implicit Euler steps u += (I/dt - J)^-1 f(u), u >= 0, with a growing dt.

    `residual(u)` returns (f, scale): the net rates and a positive scale per species (production + consumption);
    convergence is max |f|/scale < tol. Implicit Euler is stable for any step on this dissipative flow, so the
    step keeps growing (becoming Newton's method near the steady state) unless the residual clearly worsens.
    """
    n = len(u0)
    u = [float(x) for x in u0]
    if n == 0:
        return u
    f, scale = residual(u)
    dt = 1e-3
    for _ in range(max_steps):
        err = max(abs(a) / b for a, b in zip(f, scale, strict=True))
        if err < tol:
            return u
        jac = [[0.0] * n for _ in range(n)]
        for j in range(n):
            h = 1e-7 * max(abs(u[j]), 1e-6)
            du = list(u)
            du[j] += h
            fj = residual(du)[0]
            for i in range(n):
                jac[i][j] = (fj[i] - f[i]) / h
        a = [[(1.0 / dt if i == j else 0.0) - jac[i][j] for j in range(n)] for i in range(n)]
        step = _solve_linear(a, list(f))
        if step is None:
            dt *= 0.25
            continue
        un = [max(x + d, 0.0) for x, d in zip(u, step, strict=True)]
        fn, sn = residual(un)
        errn = max(abs(x) / y for x, y in zip(fn, sn, strict=True))
        log.debug("solver: err %.3g -> %.3g, dt %.3g", err, errn, dt)
        if errn == errn and errn < 1.5 * err:  # errn == errn: not NaN
            u, f, scale = un, fn, sn
            dt = min(dt * 3.0, 1e12)
        else:
            dt *= 0.3
    raise KgError("the kinetic model did not reach a steady state (check the context's parameters)")


def _solve_linear(a: list[list[float]], b: list[float]) -> list[float] | None:
    """Gaussian elimination with partial pivoting for the few-species systems here (no numpy import: `kg predict`
    stays fast); None when singular."""
    n = len(b)
    for col in range(n):
        piv = max(range(col, n), key=lambda r: abs(a[r][col]))
        if abs(a[piv][col]) < 1e-300:
            return None
        a[col], a[piv] = a[piv], a[col]
        b[col], b[piv] = b[piv], b[col]
        for r in range(col + 1, n):
            m = a[r][col] / a[col][col]
            if m:
                for c in range(col, n):
                    a[r][c] -= m * a[col][c]
                b[r] -= m * b[col]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (b[r] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x
