"""The prediction overlay: each entity's predicted direction and fold change, for pictures and the page.

Predictions come from the simulator (`kg.simulate.predict`), imported only when an overlay is asked for. The
drawing code takes a plain `Overlay`, so a picture never depends on how the prediction was made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

DIRECTIONS = ("increase", "decrease", "unchanged", "ambiguous")


@dataclass(frozen=True)
class Overlay:
    """Perturbations (as the user named them), the context, and {entity id: (direction, fold change or None)}."""

    perturbations: tuple[str, ...]
    readouts: Mapping[str, tuple[str, float | None]] = field(default_factory=dict)
    context: str | None = None

    def __post_init__(self) -> None:
        for eid, (direction, _fold) in self.readouts.items():
            if direction not in DIRECTIONS:
                raise ValueError(f"readout {eid}: direction '{direction}' is not one of {', '.join(DIRECTIONS)}")

    @property
    def title(self) -> str:
        text = "Predicted response to " + " + ".join(self.perturbations)
        return text + (f" in {self.context}" if self.context else "")

    def label_suffix(self, entity_id: str) -> str | None:
        """The line shown under an entity's name: direction symbol and fold change where known."""
        from kg.export.style import DIRECTION_SYMBOLS

        if entity_id not in self.readouts:
            return None
        direction, fold = self.readouts[entity_id]
        text = DIRECTION_SYMBOLS[direction] + " " + direction
        return text + (f" ×{format_fold(fold)}" if fold is not None else "")

    def to_json(self) -> dict[str, object]:
        return {"title": self.title, "perturbations": list(self.perturbations), "context": self.context,
                "readouts": {k: {"direction": d, "fold_change": f} for k, (d, f) in sorted(self.readouts.items())}}


def format_fold(fold: float) -> str:
    """Three significant digits, more where those would round a change away (1.0012 is '1.001', not '1')."""
    text = f"{fold:.3g}"
    return f"{fold:.4g}" if float(text) == 1.0 and fold != 1.0 else text


def from_prediction(graph: KnowledgeGraph, perturbations: Sequence[str], context: str | None = None) -> Overlay:
    """Run the simulator on `graph` (the whole graph: a drawn selection lacks the contexts and the paths that
    decide a readout) and keep each readout's direction and fold change."""
    from kg.simulate import predict

    prediction = predict(graph, list(perturbations), context=context)
    readouts = {r["id"]: (r["direction"], r.get("fold_change")) for r in prediction.to_json()["readouts"]}
    return Overlay(tuple(perturbations), readouts, context)
