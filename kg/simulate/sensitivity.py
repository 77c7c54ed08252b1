"""`kg sensitivity`: which uncertain number most limits a prediction, by global sensitivity analysis (SALib).

The output is the logarithm of a readout's baseline level (no perturbation) or of its fold change under the
perturbations. The factors are every uncertain quantity of the model (`model/ranges.py`: each parameter's range
from its basis, groups drawn together) and the effect sizes the perturbations use, each varied log-uniformly over
its range: SALib samples the unit cube and `sample/draw.py` maps it. Each sample point is calibrated and solved
like an ensemble's draw, all points in batches. Morris elementary effects (default: `mu_star`, the mean absolute
effect, with its bootstrap confidence, and `sigma`, its spread: non-linearity or interactions) rank many factors
cheaply; Sobol' indices (`S1` first order, `ST` total) are the variance-based alternative for fewer factors or
more solves. Rows carry each factor's value, range, basis and source or note: an assumed number at the top of the
list is what a lab should measure next.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kg.errors import InputError
from kg.simulate.sample.draw import from_unit
from kg.simulate.sample.ensemble import drawn_sizes
from kg.simulate.sample.sampler import Sampler, stack

METHODS = ("morris", "sobol")
MAX_SOLVES = 200_000


@dataclass
class Result:
    readout: dict[str, Any]
    output: str  # what was analysed
    method: str
    solves: int
    failed: int
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"readout": self.readout, "output": self.output, "method": self.method, "solves": self.solves,
                "failed": self.failed, "notes": self.notes, "factors": self.rows}


def sensitivity(sim: Any, readout: str, perturbations: list[str], *, method: str = "morris", trajectories: int = 10,
                samples: int = 64, seed: int = 1) -> Result:
    """Rank every uncertain quantity by its effect on the readout (or on its fold under the perturbations)."""
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    if method not in METHODS:
        raise InputError(f"unknown method '{method}'; expected one of {', '.join(METHODS)}")
    pred = sim.run(list(perturbations), readouts=[readout])
    entity, comp = sim.readout_key(readout)
    model = pred.kinetic.model
    sym = model.symbol(entity, comp) if comp else None
    if sym is None:
        raise InputError(f"readout '{readout}' is not in the kinetic model of context '{sim.ctx.name}' (a "
                         f"signed-layer readout has no magnitude to analyse)")
    sampler = Sampler(pred.kinetic)
    plan = pred.plan
    sizes = drawn_sizes(plan)
    spans = [(q.low, q.high) for q in sampler.quantities] + [span for _s, span in sizes]
    names = [q.name for q in sampler.quantities] + [s.key for s, _span in sizes]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    if method == "morris":
        unit = morris_sample.sample(problem, trajectories, num_levels=4, seed=seed)
    else:
        unit = sobol_sample.sample(problem, samples, calc_second_order=False, seed=seed)
    if unit.shape[0] > MAX_SOLVES:
        raise InputError(f"{unit.shape[0]} solves requested (over {MAX_SOLVES}): fewer trajectories or samples")
    y, failed = _evaluate(sampler, plan, from_unit(spans, unit.T), sym, [s.key for s, _ in sizes], bool(perturbations))
    notes = []
    if failed:
        notes.append(f"{failed} of {len(y)} solves did not reach a steady state; their output is taken as the "
                     f"median of the others")
        y = np.where(np.isfinite(y), y, np.nanmedian(y))
    if method == "morris":
        res = morris_analyze.analyze(problem, unit, y, num_levels=4, seed=seed)
        metrics = {"mu_star": res["mu_star"], "mu_star_conf": res["mu_star_conf"], "sigma": res["sigma"],
                   "mu": res["mu"]}
        order = "mu_star"
    else:
        res = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=seed)
        metrics = {"ST": res["ST"], "ST_conf": res["ST_conf"], "S1": res["S1"], "S1_conf": res["S1_conf"]}
        order = "ST"
    info = [_describe(q) for q in sampler.quantities] + [_describe_size(s, span) for s, span in sizes]
    rows = []
    for i, name in enumerate(names):
        row = {"factor": name, **{k: _num(v[i]) for k, v in metrics.items()}, **info[i]}
        rows.append(row)
    rows.sort(key=lambda r: (-(r[order] if r[order] is not None else -math.inf), r["factor"]))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    output = f"log fold change of {sim.graph.entity(entity).label}@{comp} under {' '.join(perturbations)}" \
        if perturbations else f"log baseline level of {sim.graph.entity(entity).label}@{comp}"
    return Result({"id": entity, "label": sim.graph.entity(entity).label, "compartment": comp}, output, method,
                  len(y), failed, rows, notes)


def _evaluate(sampler: Sampler, plan: Any, values: np.ndarray, sym: str, size_keys: list[str],
              fold: bool) -> tuple[np.ndarray, int]:
    """The output at every sample point (columns of `values`): log level, or log fold under the plan."""
    k = len(sampler.quantities)
    n = values.shape[1]
    base = sampler.baselines(sampler.params(values[:k]), n)
    if not fold:
        y = np.log(np.abs(sampler.values(base, [sym])[sym]))
        ok = base.ok
    else:
        if size_keys:
            changes = stack([plan.changes(dict(zip(size_keys, values[k:, j], strict=True))) for j in range(n)])
        else:
            changes = plan.changes()
        pert = sampler.perturbed(base, changes)
        with np.errstate(all="ignore"):
            y = np.log(sampler.values(pert, [sym])[sym] / sampler.values(base, [sym])[sym])
        ok = pert.ok
    y = np.where(ok & np.isfinite(y), y, np.nan)
    return y, int((~np.isfinite(y)).sum())


def _describe(q: Any) -> dict[str, Any]:
    return {"value": q.value, "low": q.low, "high": q.high, "unit": q.unit, "basis": q.basis, "source": q.source,
            "note": q.note, "parameters": list(q.params)}


def _describe_size(size: Any, span: tuple[float, float]) -> dict[str, Any]:
    return {"value": size.value, "low": span[0], "high": span[1], "unit": "relative", "basis": size.basis,
            "source": size.source, "note": size.note, "parameters": [size.key]}


def _num(x: Any) -> float | None:
    v = float(x)
    return None if not math.isfinite(v) else float(f"{v:.6g}")
