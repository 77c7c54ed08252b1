"""`kg dose`: steady states along one perturbation's level, with the ensemble's band.

NAME=level is applied at each level from `low` to `high` (evenly spaced, or log-spaced with `log`), on top of any
background perturbations (`ENPP1=ko` under an ENPP1-Fc sweep). A level means what it means in `kg predict`: a
gene's activity relative to wild type, a species' level relative to baseline, a drug's dose in its own unit
(`kg/simulate/doses.py`). The nominal curve is one steady state per level; with an ensemble, each draw is
calibrated once and solved at every level in one batch, and the band is the 5th-95th percentile per level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from kg.errors import InputError
from kg.simulate.dynamics.series import Series, pick

MAX_POINTS = 200


@dataclass
class Sweep:
    context: str
    perturbation: str
    background: list[str]
    levels: list[float]
    series: list[Series]
    notes: list[str]
    ensemble: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        out = {"context": self.context, "perturbation": self.perturbation, "background": self.background,
               "levels": self.levels, "notes": self.notes, "readouts": [s.to_json() for s in self.series]}
        if self.ensemble is not None:
            out["ensemble"] = self.ensemble
        return out


def levels_between(low: float, high: float, points: int, log: bool) -> list[float]:
    if not (math.isfinite(low) and math.isfinite(high)) or low < 0 or high <= low:
        raise InputError(f"--from and --to need 0 <= from < to (got {low:g} and {high:g})")
    if not 2 <= points <= MAX_POINTS:
        raise InputError(f"--points must be between 2 and {MAX_POINTS} (got {points})")
    if log:
        if low <= 0:
            raise InputError("--log needs --from above 0")
        ratio = math.log(high / low)
        return [low * math.exp(ratio * k / (points - 1)) for k in range(points)]
    return [low + (high - low) * k / (points - 1) for k in range(points)]


def dose_response(sim: Any, name: str, low: float, high: float, points: int = 25, log: bool = False,
                  background: list[str] | None = None, readouts: list[str] | None = None, ensemble: Any = None) \
        -> Sweep:
    """The readouts' steady states at each level of NAME (under the background perturbations)."""
    if "=" in name:
        raise InputError(f"give the perturbed entity without a level ('{name.partition('=')[0]}'); the levels come "
                         f"from --from and --to")
    levels = levels_between(low, high, points, log)
    background = list(background or [])
    preds = [sim.run([*background, f"{name}={level!r}"], readouts=[]) for level in levels]
    top = sim.run([*background, f"{name}={levels[-1]!r}"])
    series = pick(sim, top, list(readouts or []))
    for pred in preds:
        kin = pred.kinetic
        lv = kin.run(pred.changes)
        for s in series:
            s.values.append(float(kin.value_of(s.symbol, lv.x, lv.p, lv.obs)))
    notes = sorted({n for pred in (preds[0], preds[-1]) for n in pred.notes})
    sweep = Sweep(sim.ctx.name, name, background, levels, series, notes)
    if ensemble is not None:
        _band(sweep, preds, ensemble)
    return sweep


def _band(sweep: Sweep, preds: list[Any], spec: Any) -> None:
    """Each series' 5th-95th percentile per level over the ensemble's draws (one batch for all levels)."""
    import numpy as np

    from kg.simulate.sample.ensemble import draws
    from kg.simulate.sample.sampler import concat, tile

    d = draws(preds[-1].plan, spec)
    base = d.baselines()
    changes = concat([d.changes(pred.plan) for pred in preds], spec.n)
    solved = d.sampler.perturbed(tile(base, len(preds)), changes)
    values = d.sampler.values(solved, [s.symbol for s in sweep.series])
    ok = solved.ok.reshape(len(preds), spec.n)
    for s in sweep.series:
        v = values[s.symbol].reshape(len(preds), spec.n)
        s.low = [float(np.percentile(v[k][ok[k]], 5.0)) if ok[k].any() else math.nan for k in range(len(preds))]
        s.high = [float(np.percentile(v[k][ok[k]], 95.0)) if ok[k].any() else math.nan for k in range(len(preds))]
    failed = int((~ok).sum())
    sweep.ensemble = {"n": spec.n, "seed": spec.seed, "converged": int(ok.sum()), "failed": failed,
                      "quantities": len(d.sampler.quantities)}
    if failed:
        sweep.notes.append(f"ensemble: {failed} of {ok.size} level-draw solves did not reach a steady state")
