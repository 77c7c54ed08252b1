"""`kg predict --ensemble N`: the prediction's kinetic readouts over N seeded parameter draws.

Each draw sets every uncertain quantity of the model (its range from its basis, `model/ranges.py`) and every
effect size the perturbations used (`effect.up`, `variant.increased`, a catalogued factor: on its side of 1),
calibrates its own baseline and solves the perturbed steady state, all draws at once (`sampler.py`). Each
kinetic or input readout gains `fold_median`, `fold_interval` (5th-95th percentile) and `probability`
(increase, decrease, unchanged); a kinetic readout's direction becomes the majority only where it reaches the
threshold (else `ambiguous`), and its confidence is the lower of the draws' agreement and the evidence of its
deciding path. A signed readout reached from a kinetic readout is never more confident than that readout.
Draws that do not converge are left out and counted (`ensemble.failed`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from kg.simulate.model.ranges import effect_span, spreads
from kg.simulate.predict import Plan
from kg.simulate.readouts import LEVELS, derive_confidence, sig
from kg.simulate.sample.draw import DEFAULT_SEED, draw
from kg.simulate.sample.sampler import Sampler, stack
from kg.simulate.sample.summary import THRESHOLD, Spread, spread

DEFAULT_N = 200
MAX_N = 100_000


@dataclass(frozen=True)
class Spec:
    """How to run an ensemble: draws, seed and the share of draws a direction needs."""

    n: int = DEFAULT_N
    seed: int = DEFAULT_SEED
    threshold: float = THRESHOLD


@dataclass
class Outcome:
    """The ensemble's spreads per (entity, compartment) of every kinetic readout, and what was drawn."""

    spreads: dict[tuple[str, str], Spread]
    n: int
    failed: int
    quantities: int
    sizes: list[Any]


@dataclass
class Draws:
    """One ensemble's parameter sets: the model's quantities (first rows) and the drawn effect sizes (last)."""

    sampler: Sampler
    values: np.ndarray
    sizes: list[Any]  # changes.Size, one per last row
    n: int

    def baselines(self) -> Any:
        k = len(self.sampler.quantities)
        return self.sampler.baselines(self.sampler.params(self.values[:k]), self.n)

    def changes(self, plan: Plan) -> Any:
        """A run's Changes with each draw's effect sizes."""
        k = len(self.sampler.quantities)
        return changes_over(plan, [s.key for s in self.sizes], self.values[k:], self.n)


def draws(plan: Plan, spec: Spec) -> Draws:
    """Seeded draws of every uncertain quantity of the plan's model and of the effect sizes the plan used."""
    sampler = Sampler(plan.net.kin)
    sizes = drawn_sizes(plan)
    spans = [(q.low, q.high) for q in sampler.quantities] + [span for _s, span in sizes]
    return Draws(sampler, draw(spans, spec.n, spec.seed), [s for s, _span in sizes], spec.n)


def run(plan: Plan, spec: Spec) -> Outcome:
    """Solve the plan's perturbation over `spec.n` draws; spreads for every readout the model holds."""
    d = draws(plan, spec)
    base = d.baselines()
    pert = d.sampler.perturbed(base, d.changes(plan))
    ok = pert.ok
    syms = dict(plan.net.kin.model.readouts.items())
    before = d.sampler.values(base, list(syms.values()))
    after = d.sampler.values(pert, list(syms.values()))
    spreads_ = {key: spread(before[sym][ok], after[sym][ok]) for key, sym in syms.items()}
    return Outcome(spreads_, int(ok.sum()), int((~ok).sum()), len(d.sampler.quantities), d.sizes)


def drawn_sizes(plan: Plan) -> list[tuple[Any, tuple[float, float]]]:
    """The effect sizes the perturbations read that are uncertain, with their ranges, by key."""
    spread_ = spreads(plan.sim.ctx)
    out = []
    for key in sorted(plan.used):
        size = plan.used[key]
        bounds = effect_span(size.value, size.basis, spread_, size.low, size.high) if size.drawn else None
        if bounds is not None:
            out.append((size, bounds))
    return out


def changes_over(plan: Plan, keys: list[str], values: np.ndarray, n: int) -> Any:
    """The run's Changes with each draw's effect sizes (one Changes, arrays where a size differs)."""
    if not keys:
        return plan.changes()
    return stack([plan.changes(dict(zip(keys, values[:, j], strict=True))) for j in range(n)])


def annotate(pred: Any, plan: Plan, spec: Spec) -> Outcome:
    """Add each readout's spread to a prediction; directions and confidence follow from it."""
    out = run(plan, spec)
    for row in pred.readouts:
        comp = row.get("compartment")
        s = out.spreads.get((row["id"], comp)) if comp is not None else None
        if s is None or row["layer"] not in ("kinetic", "input"):
            continue
        row["fold_median"] = sig(s.fold_median)
        row["fold_interval"] = None if s.fold_interval is None else [sig(v) for v in s.fold_interval]
        row["probability"] = s.probability
        if row["layer"] == "kinetic":
            row["direction"] = s.direction(spec.threshold)
            if row["direction"] == "ambiguous":
                row["explanation"]["summary"] = _ambiguous(s) + row["explanation"]["summary"]
    levels = {}
    for entity in plan.net.model.entities:  # every kinetic readout, in its home compartment
        s = out.spreads.get((entity, plan.net.model.compartments_of(entity)[0]))
        if s is not None:
            levels[entity] = LEVELS[s.level(spec.threshold)]
    derive_confidence(pred.readouts, levels)
    pred.ensemble = {"n": spec.n, "seed": spec.seed, "threshold": spec.threshold, "converged": out.n,
                     "failed": out.failed, "quantities": out.quantities,
                     "effect_sizes": [_size_json(s) for s in out.sizes]}
    if out.failed:
        pred.notes.append(f"ensemble: {out.failed} of {spec.n} draws did not reach a steady state and are left out")
    return out


def _ambiguous(s: Spread) -> str:
    p = s.probability
    return (f"ambiguous over the parameter draws (increase {p['increase']:.0%}, decrease {p['decrease']:.0%}, "
            f"unchanged {p['unchanged']:.0%}); nominal: ")


def _size_json(size: Any) -> dict[str, Any]:
    return {k: v for k, v in {"key": size.key, "value": size.value, "basis": size.basis, "source": size.source,
                              "note": size.note}.items() if v is not None}
