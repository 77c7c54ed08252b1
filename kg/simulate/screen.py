"""Screens: every single (and optionally every pairwise) perturbation ranked by its effect on one readout.

Each candidate runs through the same Simulator as `kg predict` (one model and baseline per context, reused).
Ranking: readouts with a magnitude (kinetic layer) by |log fold change|, then signed-only calls, then unchanged;
ties by name. Pairs also report the interaction: the pair's fold over the product of the single folds.
"""

from __future__ import annotations

import math
from itertools import combinations
from typing import Any

from kg.errors import InputError
from kg.simulate.network import GENE_CATEGORIES

# which categories each effect word can act on; agents (drugs, conditions) only make sense added
CANDIDATES = {"ko": GENE_CATEGORIES, "lof": GENE_CATEGORIES, "gof": GENE_CATEGORIES, "down": GENE_CATEGORIES,
              "up": (*GENE_CATEGORIES, "drug", "condition", "small_molecule")}


def candidates(graph: Any, effect: str, readout: str) -> list[Any]:
    if effect not in CANDIDATES:
        raise InputError(f"unknown screen effect '{effect}'; expected one of {', '.join(CANDIDATES)}")
    return [e for e in graph.entities if e.category in CANDIDATES[effect] and e.id != readout]


def _rank_key(row: dict[str, Any]) -> tuple[Any, ...]:
    fold = row["fold_change"]
    if fold is not None and row["direction"] != "unchanged":
        strength = abs(math.log(fold)) if fold > 0 else math.inf
        return (0, -strength, row["perturbation"])
    if row["direction"] in ("increase", "decrease", "ambiguous"):
        return (1, 0.0, row["perturbation"])
    return (2, 0.0, row["perturbation"])


def screen(graph: Any, context: str | None, *, effect: str = "ko", pairs: bool = False, readout: str = "PPi",
           hypotheses: list[str] = (), top: int | None = None) -> list[dict[str, Any]]:
    """Rows ranked by effect on `readout`: perturbation, direction, fold_change, perturbed, unit, layer, path."""
    from kg.simulate.predict import Simulator

    sim = Simulator(graph, context, hypotheses)
    target = graph.resolve(readout).id
    cands = candidates(graph, effect, target)
    singles: dict[str, dict[str, Any]] = {}
    for ent in cands:
        singles[ent.id] = _run(sim, [f"{ent.id}={effect}"], target, [ent.label])
    rows = list(singles.values())
    if pairs:
        for a, b in combinations(cands, 2):
            row = _run(sim, [f"{a.id}={effect}", f"{b.id}={effect}"], target, [a.label, b.label])
            fa, fb, fab = singles[a.id]["fold_change"], singles[b.id]["fold_change"], row["fold_change"]
            if fa and fb and fab is not None:
                row["interaction"] = round(fab / (fa * fb), 6)
            rows.append(row)
    rows.sort(key=_rank_key)
    for i, row in enumerate(rows, 1):
        row["rank"] = i
    return rows[:top] if top else rows


def _run(sim: Any, perts: list[str], target: str, labels: list[str]) -> dict[str, Any]:
    pred = sim.run(perts, readouts=[target])
    r = pred.readout(target)
    paths = r["explanation"]["supporting"]
    return {"perturbation": " + ".join(f"{lab}={p.split('=')[-1]}" for lab, p in zip(labels, perts, strict=True)),
            "perturb": perts, "readout": r["label"], "direction": r["direction"], "fold_change": r["fold_change"],
            "perturbed": r["perturbed"], "unit": r["unit"], "layer": r["layer"], "confidence": r["confidence"],
            "path": paths[0]["text"] if paths else None, "interaction": None}
