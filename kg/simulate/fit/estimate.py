"""Weighted least squares with bounds (scipy's trust-region reflective method) over the free quantities in log
space, then what the data say about each one.

- Goodness of fit: chi-square of the weighted residuals, its degrees of freedom (observations minus the rank of
  the Jacobian) and the probability of a chi-square at least as large if the model and the sds were right.
- Confidence intervals from the Fisher information J^T J of the weighted residuals (J in log parameters): a 95%
  interval is exp(+/-1.96 sigma) around the estimate, clipped to the plausible range.
- Identifiability: from the singular values of J. A quantity with weight on a direction the data do not see
  (singular value below IDENTIFIABLE_SV of the largest) is structurally unidentifiable, and the quantities that
  direction mixes are named; one whose 95% interval is as wide as its plausible range is practically
  unidentifiable. Either way the fitted value is not to be trusted on its own and the output says so.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from kg.errors import KgError
from kg.simulate.fit.observations import CONCENTRATION
from kg.simulate.fit.problem import Problem

STEP = 1e-4  # finite-difference step in log parameters
FAILED = 1e6  # the residual of a parameter set that does not solve: the optimiser steps back
IDENTIFIABLE_SV = 1e-6
Z95 = 1.959963984540054


@dataclass
class Estimate:
    name: str
    value: float
    start: float
    low: float  # 95% confidence interval (Fisher), within the plausible range
    high: float
    range_low: float
    range_high: float
    unit: str
    basis: str
    identifiable: bool
    why: str
    parameters: list[str] = field(default_factory=list)


@dataclass
class FitResult:
    context: str
    estimates: list[Estimate]
    residuals: list[dict[str, Any]]
    chi2: float
    dof: int
    p_value: float | None
    converged: bool
    message: str
    evaluations: int
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"context": self.context, "converged": self.converged, "message": self.message,
                "evaluations": self.evaluations,
                "goodness_of_fit": {"chi2": _num(self.chi2), "dof": self.dof, "reduced_chi2":
                                    _num(self.chi2 / self.dof) if self.dof > 0 else None,
                                    "p_value": _num(self.p_value)},
                "parameters": [{k: _num(v) if isinstance(v, float) else v for k, v in asdict(e).items()}
                               for e in self.estimates],
                "residuals": self.residuals, "notes": self.notes}


def fit(problem: Problem, max_evaluations: int = 200) -> FitResult:
    """Fit the problem's free quantities; KgError if even the starting point does not solve."""
    from scipy.optimize import least_squares
    from scipy.stats import chi2 as chi2_dist

    count = {"n": 0}

    def fun(theta: np.ndarray) -> np.ndarray:
        r, ok = problem.residuals(theta[:, None])
        count["n"] += 1
        return r[:, 0] if ok[0] and np.isfinite(r[:, 0]).all() else np.full(len(problem.values), FAILED)

    def jac(theta: np.ndarray) -> np.ndarray:
        return jacobian(problem, theta)

    start = np.clip(problem.start, problem.lower, problem.upper)
    if (fun(start) == FAILED).all():
        raise KgError("the model does not reach a steady state at the starting parameters")
    res = least_squares(fun, start, jac=jac, bounds=(problem.lower, problem.upper), method="trf",
                        max_nfev=max_evaluations, x_scale=1.0)
    r = fun(res.x)
    j = jacobian(problem, res.x)
    chi2 = float(np.sum(r ** 2))
    _u, s, vt = np.linalg.svd(j, full_matrices=False) if j.size else (None, np.zeros(0), np.zeros((0, 0)))
    rank = int(np.sum(s > IDENTIFIABLE_SV * (s[0] if s.size else 0.0))) if s.size else 0
    dof = len(r) - rank
    p_value = float(chi2_dist.sf(chi2, dof)) if dof > 0 else None
    estimates = _estimates(problem, res.x, s, vt)
    pred, _ok = problem.predictions(res.x[:, None])
    rows = [{"line": o.line, "perturbation": "; ".join(o.perturbations) or "baseline", "readout": o.readout,
             "unit": "fold" if o.fold else ("uM" if o.unit.lower() in CONCENTRATION else o.unit),
             "measured": _num(o.value), "predicted": _num(float(pred[i, 0])), "sd": _num(o.sd),
             "weighted_residual": _num(float(r[i]))}
            for i, o in enumerate(problem.observations)]
    notes = []
    if not all(e.identifiable for e in estimates):
        notes.append("some parameters are not identifiable from these data: their fitted values are one of many "
                     "that fit as well (see 'why'); measure what constrains them, or fix them")
    return FitResult(problem.sim.ctx.name, estimates, rows, chi2, dof, p_value, bool(res.success), str(res.message),
                     count["n"], notes)


def jacobian(problem: Problem, theta: np.ndarray) -> np.ndarray:
    """d residuals / d log parameters by forward differences, all columns solved in one batch."""
    k = len(theta)
    cols = np.repeat(theta[:, None], k + 1, axis=1)
    step = np.where(theta + STEP <= problem.upper, STEP, -STEP)
    cols[np.arange(k), np.arange(1, k + 1)] += step
    r, ok = problem.residuals(cols)
    if not ok.all():
        r = np.where(ok[None, :], r, r[:, :1])  # an unsolvable neighbour: no slope in that direction
    return (r[:, 1:] - r[:, :1]) / step[None, :]


def _estimates(problem: Problem, theta: np.ndarray, s: np.ndarray, vt: np.ndarray) -> list[Estimate]:
    big = s[0] if s.size else 0.0
    seen = s > IDENTIFIABLE_SV * big if s.size else np.zeros(0, dtype=bool)
    null = vt[~seen] if vt.size else np.zeros((0, len(theta)))
    with np.errstate(divide="ignore"):
        inv = np.where(seen, 1.0 / np.where(seen, s, 1.0) ** 2, np.inf)
    out = []
    for i, q in enumerate(problem.free):
        weights = vt[:, i] ** 2 if vt.size else np.zeros(0)
        with np.errstate(invalid="ignore"):
            var = float(np.sum(np.where(weights > 1e-12, weights * inv, 0.0))) if weights.size else math.inf
        sigma = math.sqrt(var) if math.isfinite(var) else math.inf
        lo_log = max(theta[i] - Z95 * sigma, problem.lower[i]) if math.isfinite(sigma) else problem.lower[i]
        hi_log = min(theta[i] + Z95 * sigma, problem.upper[i]) if math.isfinite(sigma) else problem.upper[i]
        sign = problem.signs[i]
        mixed = [problem.free[k].name for row in null for k in np.flatnonzero(np.abs(row) > 0.1)
                 if abs(row[i]) > 0.1 and k != i]
        if null.size and any(abs(row[i]) > 0.1 for row in null):
            why = ("structurally unidentifiable: the data see it only in combination with "
                   + (", ".join(sorted(set(mixed))[:6]) if mixed else "nothing (they do not depend on it)"))
            ok = False
        elif not math.isfinite(sigma) or 2 * Z95 * sigma >= problem.upper[i] - problem.lower[i]:
            why, ok = "practically unidentifiable: its 95% interval is as wide as its plausible range", False
        else:
            why, ok = f"identifiable: 95% interval x/{math.exp(Z95 * sigma):.3g} (Fisher information)", True
        out.append(Estimate(q.name, float(sign * math.exp(theta[i])), float(q.value),
                            float(sign * math.exp(lo_log)), float(sign * math.exp(hi_log)),
                            float(q.low), float(q.high), q.unit, q.basis, ok, why, list(q.params)))
    return out


def _num(x: Any) -> Any:
    if x is None:
        return None
    v = float(x)
    return None if not math.isfinite(v) else float(f"{v:.8g}")
