"""The fitting problem: which quantities are free, and the weighted residuals of the observations for many
parameter sets at once.

Free quantities are the model's uncertain quantities (`model/ranges.py`, a group as one), those the user names
(exact names or shell patterns such as `k__ENPP1*`) or by default every one that is not measured. They are
fitted in the logarithm, bounded by their plausible range. A parameter set is calibrated as the nominal model is
(its own baseline), then every perturbation of the table is solved from it, all in batches (`sample/`): the
Jacobian's finite differences are one batch of (free + 1) columns.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

import numpy as np

from kg.errors import InputError
from kg.simulate.fit.observations import Observation
from kg.simulate.model.ranges import Factor
from kg.simulate.sample.sampler import Sampler, concat, tile

MAX_FREE = 400


@dataclass
class Condition:
    """One perturbation set of the table: its plan and the observations made under it."""

    perturbations: tuple[str, ...]
    plan: Any
    rows: list[int]  # indices into the observations


class Problem:
    """Residuals (prediction - value) / sd of every observation, for parameter sets given in log space."""

    def __init__(self, sim: Any, observations: list[Observation], select: list[str] | None = None) -> None:
        self.sim, self.observations = sim, observations
        base = sim.run([], readouts=[])
        self.sampler = Sampler(base.kinetic)
        self.free = choose(self.sampler.quantities, select)
        self.conditions: list[Condition] = []
        by_perts: dict[tuple[str, ...], Condition] = {}
        for i, obs in enumerate(observations):
            if obs.perturbations not in by_perts:
                pred = sim.run(list(obs.perturbations), readouts=[])
                if pred.kinetic is not base.kinetic:
                    raise InputError(f"line {obs.line}: '{'; '.join(obs.perturbations)}' removes an interaction (a "
                                     f"variant), so it runs another model; fit it separately")
                by_perts[obs.perturbations] = Condition(obs.perturbations, pred.plan, [])
                self.conditions.append(by_perts[obs.perturbations])
            by_perts[obs.perturbations].rows.append(i)
        model = base.kinetic.model
        self.symbols = [model.symbol(*sim.readout_key(o.readout)) for o in observations]
        self.values = np.array([o.value for o in observations])
        self.sds = np.array([o.sd for o in observations])
        self.folds = np.array([o.fold for o in observations])
        self.changes = [c.plan.changes() for c in self.conditions]
        self.inputs = {p.entity: p.value for p in model.params.values() if p.role == "input"}
        self.lower = np.log(np.array([min(abs(q.low), abs(q.high)) for q in self.free]))
        self.upper = np.log(np.array([max(abs(q.low), abs(q.high)) for q in self.free]))
        self.start = np.log(np.array([abs(q.value) for q in self.free]))
        self.signs = np.array([-1.0 if q.value < 0 else 1.0 for q in self.free])

    def predictions(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Predicted values (observations x columns) for log-parameter columns `theta` (free x columns), and which
        columns solved."""
        n = theta.shape[1]
        values = self.signs[:, None] * np.exp(theta)
        base = self.sampler.baselines(self.sampler.params(values, self.free), n)
        syms = sorted(set(self.symbols))
        before = self.sampler.values(base, syms)
        out = np.full((len(self.observations), n), np.nan)
        ok = base.ok.copy()
        solved = self.sampler.perturbed(tile(base, len(self.conditions)), concat(self.changes, n, self.inputs))
        after = self.sampler.values(solved, syms)
        for k, cond in enumerate(self.conditions):
            block = slice(k * n, (k + 1) * n)
            ok &= solved.ok[block]
            for i in cond.rows:
                sym = self.symbols[i]
                level = after[sym][block]
                with np.errstate(all="ignore"):
                    out[i] = level / before[sym] if self.folds[i] else level
        return out, ok

    def residuals(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Weighted residuals (observations x columns) and which columns solved."""
        pred, ok = self.predictions(theta)
        return (pred - self.values[:, None]) / self.sds[:, None], ok


def choose(quantities: list[Factor], select: list[str] | None) -> list[Factor]:
    """The free quantities: those matching `select` (names or patterns), else every one not measured."""
    if not select:
        free = [q for q in quantities if q.basis != "measured"]
    else:
        free = []
        for pattern in select:
            hits = [q for q in quantities if fnmatch.fnmatchcase(q.name, pattern) or pattern in q.params]
            if not hits:
                close = ", ".join(q.name for q in quantities if pattern.split("*")[0][:4] in q.name)[:400]
                raise InputError(f"--param '{pattern}' matches no uncertain parameter of the model"
                                 + (f"; similar: {close}" if close else ""))
            free += [q for q in hits if q not in free]
    if not free:
        raise InputError("no parameter to fit")
    if len(free) > MAX_FREE:
        raise InputError(f"{len(free)} parameters to fit, more than {MAX_FREE}: choose some with --param")
    return free
