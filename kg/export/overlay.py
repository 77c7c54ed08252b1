"""The prediction overlay: each entity's predicted direction and fold change, for pictures and the page.

Predictions come from the simulator (`kg.simulate.predict`), imported only when an overlay is asked for. The
drawing code takes a plain `Overlay`, so a picture never depends on how the prediction was made.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.errors import KgError

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
    return f"{fold:.3g}"


def simulator_available() -> bool:
    """True when `kg.simulate.predict` can be imported (the simulator is written in parallel)."""
    if importlib.util.find_spec("kg.simulate") is None:
        return False
    try:
        from kg.simulate import predict  # noqa: F401
    except ImportError:
        return False
    return True


def from_prediction(graph: KnowledgeGraph, perturbations: Sequence[str], context: str | None = None) -> Overlay:
    """Run the simulator and keep each readout's direction and fold change."""
    try:
        from kg.simulate import predict
    except ImportError as exc:
        raise KgError(f"the prediction overlay needs the simulator (kg.simulate.predict): {exc}") from None

    prediction = predict(graph, list(perturbations), context=context)
    readouts = {r["id"]: (r["direction"], r.get("fold_change")) for r in prediction.to_json()["readouts"]}
    return Overlay(tuple(perturbations), readouts, context)
