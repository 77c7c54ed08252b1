"""One readout row of a prediction: its direction, layer, magnitude and compartment, and the explanation (the
deciding paths with their evidence, and the chemistry of a deposition index)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.simulate.changes import TOLERANCE
from kg.simulate.explain import chemistry, confidence, edge_sources, path_json, strength_text
from kg.simulate.signed import DECISIVE_RATIO, DOWN, UP


@dataclass
class Run:
    """What one run decided, as the rows read it: the perturbations' seeds, the species set in one compartment,
    the kinetic values per (entity, compartment), the signed layer's phase B, the paths from the seeds (those the
    kinetic layer's steps carried) and from the phase-B seeds, where each phase-B seed's change came from, and the
    model."""

    seeds: dict[str, int]
    placed: dict[str, str]
    every: dict[tuple[str, str], tuple[float, float, str]]
    phase_b: dict[str, Any]
    paths: dict
    signed_paths: dict
    origins: dict[str, dict[str, Any]]
    model: Any
    rules: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rules = {r.name: r for r in self.model.rules}

    def direction(self, entity_id: str, comp: str) -> str:
        """The kinetic direction of an entity in one compartment."""
        base, pert, _unit = self.every[(entity_id, comp)]
        return direction_of(base, pert)


class Readouts:
    """Writes readout rows for one graph (the evidence sources of its edges computed once)."""

    def __init__(self, graph: Any) -> None:
        self.graph = graph
        self._sources: dict[str, list[str]] | None = None

    def origin(self, entity_id: str, seeds: dict[str, int], values: dict, kdir: dict,
               distance: int = 0) -> dict[str, Any]:
        """Where a phase-B seed's change comes from: perturbed directly, or a kinetic readout that moved (at
        `distance` signed steps from the perturbation)."""
        ent = self.graph.entity(entity_id)
        if entity_id in seeds:
            direction = kdir.get(entity_id) or ("increase" if seeds[entity_id] > 0 else "decrease")
            how = "perturbed"
        else:
            direction, how = kdir[entity_id], "kinetic"
        fold = fold_change(*values[entity_id][:2]) if entity_id in values else None
        return {"id": entity_id, "label": ent.label, "change": how, "direction": direction, "fold_change": sig(fold),
                "distance": distance}

    def row(self, ent: Any, comp: str | None, run: Run) -> dict[str, Any]:
        """The row of one entity (in its compartment, or None for a signed-only readout)."""
        seeds, placed, every, phase_b = run.seeds, run.placed, run.every, run.phase_b
        if self._sources is None:
            self._sources = edge_sources(self.graph)
        base = pert = unit = fold = None
        kdir: dict[str, str] = {}
        if (ent.id, comp) in every:
            base, pert, unit = every[(ent.id, comp)]
            fold = fold_change(base, pert)
            kdir[ent.id] = direction_of(base, pert)
        if ent.id in seeds and placed.get(ent.id, comp) == comp:  # set here (not only in another compartment)
            layer = "input"
            direction = kdir.get(ent.id) or ("increase" if seeds[ent.id] > 0 else "decrease")
        elif ent.id in kdir:
            layer, direction = "kinetic", kdir[ent.id]
        else:
            layer = "signed"
            direction = phase_b[ent.id].direction if ent.id in phase_b else "unchanged"
        source = run.signed_paths if layer == "signed" else run.paths
        ups, downs = source.get((ent.id, 1), []), source.get((ent.id, -1), [])
        if layer == "signed" and ent.id in phase_b:  # the paths at the deciding distance first, as phase B weighed
            ups, downs = (_at_distance(x, phase_b[ent.id].distance, run.origins) for x in (ups, downs))
        if direction == "decrease":
            supporting, opposing = downs, ups
        elif direction == "increase":
            supporting, opposing = ups, downs
        elif direction == "ambiguous":
            distance = phase_b[ent.id].distance
            supporting = (_deciding(ups, distance, run.origins) + _deciding(downs, distance, run.origins))
            opposing = []
        else:
            supporting, opposing = [], sorted(ups + downs, key=lambda p: -p.score)[:3]
        conf = confidence(direction, supporting, opposing, layer=layer)
        shown = run.origins if layer == "signed" else {}
        summary = _summary(direction, layer, fold, supporting, opposing, self.graph, shown)
        if layer == "signed" and ent.id in phase_b:
            summary += _weighed(phase_b[ent.id])
        if layer != "signed" and comp is not None:
            summary += chemistry(self.graph, run, ent.id, comp)
        return {
            "id": ent.id, "label": ent.label, "category": ent.category, "synonyms": list(ent.synonyms),
            "compartment": comp if layer != "signed" else None,
            "direction": direction, "fold_change": sig(fold), "baseline": sig(base), "perturbed": sig(pert),
            "unit": unit, "confidence": conf, "layer": layer,
            "explanation": {"summary": summary,
                            "supporting": [path_json(self.graph, x, self._sources, shown.get(x.seed))
                                           for x in supporting],
                            "opposing": [path_json(self.graph, x, self._sources, shown.get(x.seed))
                                         for x in opposing]},
        }


LEVELS = ("low", "medium", "high")
NOMINAL_KINETIC = "medium"  # a single solve's magnitude rests on parameters whose spread it did not sample


def weakest(*levels: str) -> str:
    """The lowest of some confidence words."""
    return LEVELS[min(LEVELS.index(x) for x in levels)]


def derive_confidence(rows: list[dict[str, Any]], kinetic: dict[str, str]) -> None:
    """Cap confidence by the kinetic layer's: a kinetic readout by its own level (`kinetic`: entity -> level
    from an ensemble's agreement, else NOMINAL_KINETIC), a signed readout by the level of the kinetic readout
    its deciding path starts from (a readout reached from a medium-confidence kinetic result is never high)."""
    for row in rows:
        if row["layer"] == "kinetic":
            row["confidence"] = weakest(row["confidence"], kinetic.get(row["id"], NOMINAL_KINETIC))
        elif row["layer"] == "signed" and row["explanation"]["supporting"]:
            seed = row["explanation"]["supporting"][0]["steps"][0]["subject"]
            if seed in kinetic:
                row["confidence"] = weakest(row["confidence"], kinetic[seed])


def sig(x: float | None) -> float | None:
    """10 significant digits: stable JSON across platforms, far finer than the model's precision."""
    return None if x is None else float(f"{x:.10g}")


def fold_change(base: float, pert: float) -> float | None:
    if base > 0:
        return pert / base
    return None if pert > 0 else 1.0


def direction_of(base: float, pert: float) -> str:
    scale = max(abs(base), abs(pert))
    if scale == 0 or abs(pert - base) <= TOLERANCE * scale:
        return "unchanged"
    return "increase" if pert > base else "decrease"


def _reach(path: Any, origins: dict) -> int:
    """A phase-B path's distance from the perturbation: its seed's distance plus its steps."""
    return origins.get(path.seed, {}).get("distance", 0) + len(path.steps)


def _at_distance(paths: list, distance: int, origins: dict) -> list:
    """Paths of one sign, those at the signed layer's deciding distance first (each group in strength order)."""
    return sorted(paths, key=lambda p: _reach(p, origins) != distance)


def _deciding(paths: list, distance: int, origins: dict) -> list:
    """The strongest path of one sign, preferring those at the signed layer's deciding distance."""
    return _at_distance(paths, distance, origins)[:1]


def _weighed(reached: Any) -> str:
    """How phase B weighed opposite signs at one distance: the stronger side and by how much, or why it could not
    (a knockout on both sides, or a change of unknown size)."""
    up, down = reached.strength(UP), reached.strength(DOWN)
    if len(reached.strengths) < 2:
        return ""
    if reached.outweighed:
        win, lose = (up, down) if reached.signs == {UP} else (down, up)
        return (f"; both signs reach it {reached.distance} steps from the perturbation, and this side is at least "
                f"{DECISIVE_RATIO:g}x stronger (strength {strength_text(win)} against {strength_text(lose)})")
    return (f"; strengths {strength_text(up)} (increase) and {strength_text(down)} (decrease) are not "
            f"{DECISIVE_RATIO:g}x apart")


def _summary(direction: str, layer: str, fold: float | None, supporting: list, opposing: list, graph: Any,
             origins: dict | None = None) -> str:
    from kg.simulate.explain import SIGN_WORD, path_text

    origins = origins or {}
    text = direction
    if fold is not None and direction != "unchanged":
        text += f" (fold {fold:.3g})"
    text += {"input": ": perturbed directly", "kinetic": ": kinetic steady state",
             "signed": ": signed paths"}[layer]
    if direction == "ambiguous":
        if supporting:
            parts = "; ".join(f"{SIGN_WORD[p.sign]} via {path_text(graph, p, origins.get(p.seed))}"
                              for p in supporting)
            text += f" of both signs reach it at the same distance from the perturbation: {parts}"
        return text
    if supporting:
        text += f"; strongest path: {path_text(graph, supporting[0], origins.get(supporting[0].seed))}"
    elif direction in ("increase", "decrease") and layer == "kinetic":
        text += "; no single signed path gives this sign (a net effect of several mechanisms)"
    if opposing and direction != "unchanged":
        text += f"; opposed by: {path_text(graph, opposing[0], origins.get(opposing[0].seed))}"
    if direction == "unchanged" and not (supporting or opposing):
        text += ("; no perturbed entity and no kinetic readout that moved reaches it" if layer == "signed"
                 else "; nothing in the graph connects it to the perturbation")
    return text
