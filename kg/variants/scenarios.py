"""Unknown effects, simulated every way they could go: each unknown-effect allele is run under each of its scenarios
(loss, gain, or none, as its rule declares), and the runs are merged. A readout whose direction differs between
runs is `ambiguous`, with every outcome; one whose size differs keeps its direction, with its outcomes and no
single fold change. Up to MAX_ENUMERATED unknown alleles every combination is run; beyond that, kg runs each
scenario for all of them together and says so.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from typing import Any

from kg.simulate.predict import Prediction

MAX_ENUMERATED = 3
FOLD_TOLERANCE = 1e-3


@dataclass
class ScenarioPrediction(Prediction):
    scenarios: list[dict[str, Any]] = field(default_factory=list)
    runs: list[tuple[str, Prediction]] = field(default_factory=list)  # each scenario's own prediction

    def to_json(self) -> dict[str, Any]:
        return {**super().to_json(), "scenarios": self.scenarios}


def run_scenarios(sim: Any, perts: list[Any], readouts: list[str] | None) -> ScenarioPrediction:
    """Run the simulator once per scenario assignment of the unknown-effect alleles and merge the predictions."""
    # one unit per distinct unknown allele of a perturbation: both copies of a homozygote share their scenario
    unknown: list[tuple[int, str]] = []
    copies: dict[tuple[int, str], list[int]] = {}
    for i, p in enumerate(perts):
        for j in p.genotype.unknown_alleles if p.genotype is not None else ():
            unit = (i, p.genotype.alleles[j].label)
            if unit not in copies:
                unknown.append(unit)
            copies.setdefault(unit, []).append(j)
    names = {u: f"{perts[u[0]].genotype.gene_label} {u[1]}" for u in unknown}
    options = [perts[i].genotype.alleles[copies[(i, name)][0]].scenarios for i, name in unknown]
    notes = []
    if len(unknown) <= MAX_ENUMERATED:
        assignments = [dict(zip(unknown, combo, strict=True)) for combo in itertools.product(*options)]
    else:
        width = max(len(o) for o in options)
        assignments = [{u: o[min(k, len(o) - 1)] for u, o in zip(unknown, options, strict=True)} for k in range(width)]
        notes.append(f"{len(unknown)} alleles of unknown effect: each scenario is run for all of them together "
                     f"(every combination is run for up to {MAX_ENUMERATED})")
    runs = []
    for assignment in assignments:
        fixed = list(perts)
        for i in {i for i, _ in assignment}:
            chosen = {j: s for (pi, name), s in assignment.items() if pi == i for j in copies[(pi, name)]}
            fixed[i] = replace(perts[i], genotype=perts[i].genotype.with_scenarios(chosen))
        label = "; ".join(f"{names[u]}: {s}" for u, s in assignment.items())
        runs.append((label, sim.run(fixed, readouts)))
    for unit in unknown:
        allele = perts[unit[0]].genotype.alleles[copies[unit][0]]
        notes.append(f"{names[unit]} has an unknown effect ({allele.rule}); simulated as "
                     f"{' and as '.join(allele.scenarios)}: readouts that differ are reported with every outcome")
    return _merge(runs, perts, notes)


def _merge(runs: list[tuple[str, Prediction]], perts: list[Any], notes: list[str]) -> ScenarioPrediction:
    base = runs[0][1]
    rows = []
    for k, row in enumerate(base.readouts):
        variants = [(label, pred.readouts[k]) for label, pred in runs]
        rows.append(_merge_row(row, variants))
    shared = set.intersection(*(set(pred.notes) for _label, pred in runs))
    own = {f"if {label}: {n}" for label, pred in runs for n in pred.notes if n not in shared}
    return ScenarioPrediction(base.context, perts, base.hypotheses, rows, sorted({*notes, *shared, *own}),
                              base.graph, scenarios=[{"label": label} for label, _ in runs], runs=runs)


def _merge_row(row: dict[str, Any], variants: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    directions = {r["direction"] for _l, r in variants}
    folds = [r["fold_change"] for _l, r in variants]
    same_size = all(f is None for f in folds) or (None not in folds and max(folds) - min(folds) <= FOLD_TOLERANCE *
                                                   max(1.0, max(abs(f) for f in folds)))
    if len(directions) == 1 and same_size:
        return row
    outcomes = [{"scenario": label, "direction": r["direction"], "fold_change": r["fold_change"],
                 "perturbed": r["perturbed"]} for label, r in variants]
    said = "; ".join(f"if {o['scenario']}: {o['direction']}" + (
        f" (fold {o['fold_change']:.3g})" if o["fold_change"] is not None else "") for o in outcomes)
    out = {**row, "outcomes": outcomes}
    if len(directions) > 1:
        out.update(direction="ambiguous", fold_change=None, perturbed=None, confidence="low")
        summary = f"ambiguous: the variant's effect is unknown, and the outcomes differ ({said})"
    else:
        out.update(fold_change=None, perturbed=None)
        summary = f"{row['direction']} in every scenario, by different amounts ({said})"
    supporting = []
    for _l, r in variants:
        for path in r["explanation"]["supporting"][:1]:
            if path not in supporting:
                supporting.append(path)
    out["explanation"] = {"summary": summary, "supporting": supporting, "opposing": []}
    return out
