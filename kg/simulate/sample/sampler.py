"""The numeric core every quantitative command shares: one calibrated model's baselines over many parameter sets
and its perturbed steady states on them, vectorised (`batch.py`).

A parameter set is a column: the model's uncertain quantities (`model/ranges.py`) set to drawn values (an
ensemble), to SALib's sample points (sensitivity) or to a fit's trial values. Each column is calibrated as the
nominal model is (its own baseline, reference levels and baseline productions), so a fold change is always
relative to that column's own baseline. Perturbations arrive as the simulator's Changes, whose values may
themselves be arrays (a drawn effect size, a swept dose): they broadcast over the columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kg.simulate.model.ranges import Factor, factors
from kg.simulate.sample.batch import BatchModel, Solved
from kg.simulate.sample.draw import apply
from kg.simulate.solve.run import Changes, GeneChange


@dataclass
class Sampler:
    """One context's calibrated model (a KineticRun) and its uncertain quantities."""

    kin: Any
    quantities: list[Factor] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bm = BatchModel.of(self.kin)
        self.model = self.kin.model
        if not self.quantities:
            self.quantities = factors(self.model)

    def params(self, values: np.ndarray | None, quantities: Sequence[Factor] | None = None) -> list[Any]:
        """The parameter list with row i of `values` (k, N) on quantity i (all of them, or those given)."""
        qs = self.quantities if quantities is None else quantities
        if values is None:
            return list(self.kin.p0)
        return apply(self.kin.p0, self.kin.cm.param_index, [q.params for q in qs], values)

    def baselines(self, p: list[Any], n: int) -> Solved:
        """Each column's calibrated baseline steady state (from the nominal baseline)."""
        x0 = np.repeat(np.asarray(self.kin.base.x, dtype=float)[:, None], n, axis=1)
        return self.bm.calibrate(p, x0)

    def perturbed(self, base: Solved, changes: Changes) -> Solved:
        """Each column's steady state under the Changes, from its own baseline."""
        p = self.kin.parameters(changes, base.p)
        x0 = base.x.copy()
        held = np.zeros(self.bm.n, dtype=bool)
        for key, f in changes.clamps.items():
            sym = self.model.symbol(*key)
            if sym in self.kin.cm.state_index:
                i = self.kin.cm.state_index[sym]
                held[i] = True
                x0[i] = base.x[i] * f
        if not held.any() and all(a is b for a, b in zip(p, base.p, strict=True)):
            return Solved(base.x, base.p, base.ok.copy())
        out = self.bm.steady(p, x0, held)
        return Solved(out.x, p, out.ok & base.ok)

    def values(self, solved: Solved, syms: Sequence[str]) -> dict[str, np.ndarray]:
        """The readout symbols' values per column."""
        obs = self.bm.observe(solved.x, solved.p)
        return {s: np.asarray(self.bm.value(s, solved.x, solved.p, obs), dtype=float) for s in syms}


def stack(changes: Sequence[Changes]) -> Changes:
    """One Changes whose values are arrays over the columns, from one Changes per column (the same keys)."""
    first = changes[0]
    if len(changes) == 1:
        return first

    def col(get: Any) -> np.ndarray:
        return np.array([get(c) for c in changes], dtype=float)

    out = Changes()
    for g in first.genes:
        out.genes[g] = GeneChange(col(lambda c, g=g: c.genes[g].expression), col(lambda c, g=g: c.genes[g].activity),
                                  col(lambda c, g=g: c.genes[g].transgene))
    for name in ("inputs", "clamps", "fixed", "scale"):
        table = getattr(first, name)
        for key in table:
            getattr(out, name)[key] = col(lambda c, key=key, name=name: getattr(c, name)[key])
    return out


def concat(changes: Sequence[Changes], n: int, inputs: dict[str, float] | None = None) -> Changes:
    """One Changes over len(changes) x n columns: block j holds changes[j] (each value a float or (n,) array). A key
    one block lacks keeps its baseline there (a gene 1, 1, 0; a clamp, fixed level or scale 1; an input its
    baseline level from `inputs`)."""

    def cat(values: list[Any]) -> np.ndarray:
        return np.concatenate([np.broadcast_to(np.asarray(v, dtype=float), (n,)) for v in values])

    out = Changes()
    for g in sorted({g for c in changes for g in c.genes}):
        genes = [c.genes.get(g, GeneChange()) for c in changes]
        out.genes[g] = GeneChange(cat([x.expression for x in genes]), cat([x.activity for x in genes]),
                                  cat([x.transgene for x in genes]))
    for name in ("inputs", "clamps", "fixed", "scale"):
        for key in sorted({k for c in changes for k in getattr(c, name)}, key=str):
            default = (inputs or {}).get(key, 1.0) if name == "inputs" else 1.0
            getattr(out, name)[key] = cat([getattr(c, name).get(key, default) for c in changes])
    return out


def tile(solved: Solved, times: int) -> Solved:
    """The columns repeated `times` times (one block per dose level)."""
    return Solved(np.tile(solved.x, (1, times)),
                  [np.tile(v, times) if isinstance(v, np.ndarray) else v for v in solved.p], np.tile(solved.ok, times))
