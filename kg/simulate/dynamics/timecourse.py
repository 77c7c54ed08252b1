"""`kg timecourse`: the trajectory from the baseline steady state after a perturbation starts at time 0.

The perturbation's parameters are set at t = 0 and the model's ODEs (the IR's `rhs`, with its analytic Jacobian)
are integrated by scipy's BDF method, clamped species held at their level; readouts are read at evenly spaced
times up to `hours`. The same start (baseline state, perturbed parameters) is what `kg export sbml` writes, so a
time course there agrees with this one (tests/test_export_sbml.py checks it against libRoadRunner).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.errors import InputError, KgError
from kg.simulate.dynamics.series import Series, pick

MAX_HOURS = 1e6
MAX_POINTS = 10_000
RTOL = 1e-10


@dataclass
class Course:
    context: str
    perturbations: list[str]
    times: list[float]
    series: list[Series]
    notes: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"context": self.context, "perturbations": self.perturbations, "unit_of_time": "h",
                "times": self.times, "notes": self.notes, "readouts": [s.to_json() for s in self.series]}

    def rows(self) -> list[dict[str, Any]]:
        """One row per time: `time_h` and one column per readout (label@compartment)."""
        return [{"time_h": t, **{f"{s.label}@{s.compartment}": s.values[k] for s in self.series}}
                for k, t in enumerate(self.times)]


def integrate(kin: Any, changes: Any, times: list[float]) -> list[list[float]]:
    """States at `times` (h) from the baseline under the Changes: a list per time."""
    import numpy as np
    from scipy.integrate import solve_ivp

    p, x0, held = kin.start(changes)
    cm = kin.cm
    n = len(x0)
    rows = np.array([i for i, _j in cm.pattern], dtype=int)
    cols = np.array([j for _i, j in cm.pattern], dtype=int)
    free = np.ones(n, dtype=bool)
    free[list(held)] = False

    def f(_t: float, x: np.ndarray) -> np.ndarray:
        d = np.array(cm.rhs(list(x), p), dtype=float)
        d[~free] = 0.0
        return d

    def jac(_t: float, x: np.ndarray) -> np.ndarray:
        j = np.zeros((n, n))
        try:
            j[rows, cols] = cm.jac(list(x), p)
        except (ZeroDivisionError, OverflowError):  # a fractional power at 0: let the solver difference it
            return _numerical(f, x)
        j[~free, :] = 0.0
        return j

    atol = [max(abs(v), 1e-3) * 1e-12 for v in kin.base.x]
    sol = solve_ivp(f, (0.0, times[-1]), np.asarray(x0, dtype=float), method="BDF", t_eval=times, jac=jac,
                    rtol=RTOL, atol=atol)
    if not sol.success:
        raise KgError(f"the time course did not integrate: {sol.message}")
    return [list(sol.y[:, k]) for k in range(len(times))]


def _numerical(f: Any, x: Any) -> Any:
    import numpy as np

    fx = f(0.0, x)
    j = np.zeros((len(x), len(x)))
    for i in range(len(x)):
        h = 1e-7 * max(abs(x[i]), 1e-6)
        dx = x.copy()
        dx[i] += h
        j[:, i] = (f(0.0, dx) - fx) / h
    return j


def timecourse(sim: Any, perturbations: list[str], hours: float, points: int = 101,
               readouts: list[str] | None = None) -> Course:
    """The readouts' trajectories over `hours` after the perturbations start (from baseline)."""
    if not 0 < hours <= MAX_HOURS:
        raise InputError(f"--hours must be above 0 and at most {MAX_HOURS:g} (got {hours:g})")
    if not 2 <= points <= MAX_POINTS:
        raise InputError(f"--points must be between 2 and {MAX_POINTS} (got {points})")
    pred = sim.run(list(perturbations))
    series = pick(sim, pred, list(readouts or []))
    times = [hours * k / (points - 1) for k in range(points)]
    kin = pred.kinetic
    states = integrate(kin, pred.changes, times)
    p = kin.parameters(pred.changes)
    for x in states:
        obs = dict(zip(kin.cm.observed, kin.cm.observe(x, p), strict=True))
        for s in series:
            s.values.append(float(kin.value_of(s.symbol, x, p, obs)))
    return Course(sim.ctx.name, list(perturbations), times, series, list(pred.notes))
