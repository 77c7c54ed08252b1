"""Which readouts a time course or a dose-response follows, and how a series is written out.

Named readouts (`--readout`, `NAME@COMPARTMENT` and tissue words included) must be held by the kinetic model:
a signed-layer readout has no magnitude to follow (InputError naming it). Without names, the kinetic readouts
that move most under the perturbation (largest |log fold| at steady state) are followed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from kg.errors import InputError

DEFAULT_COUNT = 6


@dataclass
class Series:
    """One readout's values along times or doses (and, from an ensemble, the band around them)."""

    id: str
    label: str
    compartment: str
    unit: str
    symbol: str
    values: list[float] = field(default_factory=list)
    low: list[float] | None = None
    high: list[float] | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "label": self.label, "compartment": self.compartment,
                               "unit": self.unit, "values": [_sig(v) for v in self.values]}
        if self.low is not None and self.high is not None:
            out["band"] = {"low": [_sig(v) for v in self.low], "high": [_sig(v) for v in self.high]}
        return out


def pick(sim: Any, pred: Any, names: list[str], count: int = DEFAULT_COUNT) -> list[Series]:
    """The readouts to follow: the named ones, else the kinetic readouts that move most in `pred`."""
    model = pred.kinetic.model
    units = {s.name: s.unit for s in model.states} | {r.name: r.unit for r in model.rules} | {
        p.name: p.unit for p in model.params.values()}
    keys: list[tuple[str, str]] = []
    if names:
        for name in names:
            entity, comp = sim.readout_key(name)
            if comp is None or model.symbol(entity, comp) is None:
                raise InputError(f"readout '{name}' is not in the kinetic model of context '{sim.ctx.name}' "
                                 f"(a signed-layer readout has no magnitude to follow)")
            keys.append((entity, comp))
    else:
        moved = [r for r in pred.readouts if r["layer"] in ("kinetic", "input") and r["compartment"]
                 and r["fold_change"] not in (None, 0) and r["direction"] != "unchanged"]
        moved.sort(key=lambda r: (-abs(math.log(r["fold_change"])), r["label"]))
        keys = [(r["id"], r["compartment"]) for r in moved[:count]]
    out = []
    for entity, comp in dict.fromkeys(keys):
        sym = model.symbol(entity, comp)
        out.append(Series(entity, sim.graph.entity(entity).label, comp, units.get(sym, ""), sym))
    return out


def _sig(x: float) -> float:
    return float(f"{x:.10g}")
