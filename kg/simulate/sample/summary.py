"""What an ensemble says about one readout: the fold change's median and 90% interval, the probability of each
direction, the direction (the majority only when it reaches the threshold, else `ambiguous`) and the confidence
that follows from the agreement of the draws (docs/predict.md, "Uncertainty")."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kg.simulate.changes import TOLERANCE

THRESHOLD = 0.8  # the share of draws a direction needs to be called
HIGH_AGREEMENT = 0.95  # the share for `high` confidence
INTERVAL = (5.0, 95.0)  # percentiles of the fold interval


@dataclass(frozen=True)
class Spread:
    n: int  # draws that converged
    fold_median: float | None
    fold_interval: tuple[float, float] | None
    probability: dict[str, float]

    @property
    def majority(self) -> tuple[str, float]:
        return max(self.probability.items(), key=lambda kv: (kv[1], kv[0] == "unchanged"))

    def direction(self, threshold: float = THRESHOLD) -> str:
        word, share = self.majority
        return word if share >= threshold else "ambiguous"

    def level(self, threshold: float = THRESHOLD) -> int:
        """0 low, 1 medium, 2 high: from how many draws agree with the majority."""
        share = self.majority[1]
        return 2 if share >= HIGH_AGREEMENT else (1 if share >= threshold else 0)


def directions(base: np.ndarray, pert: np.ndarray) -> np.ndarray:
    """Per draw: +1 increase, -1 decrease, 0 unchanged (the rule of `readouts.direction_of`, vectorised)."""
    scale = np.maximum(np.abs(base), np.abs(pert))
    moved = (scale > 0) & (np.abs(pert - base) > TOLERANCE * scale)
    return np.where(moved, np.sign(pert - base), 0.0)


def spread(base: np.ndarray, pert: np.ndarray) -> Spread:
    """The spread of one readout over the draws that converged (base and pert restricted to them)."""
    n = int(base.shape[0])
    d = directions(base, pert)
    prob = {"increase": _share(d > 0, n), "decrease": _share(d < 0, n), "unchanged": _share(d == 0, n)}
    positive = base > 0
    if not positive.any():
        return Spread(n, None, None, prob)
    fold = pert[positive] / base[positive]
    low, high = np.percentile(fold, INTERVAL)
    return Spread(n, float(np.median(fold)), (float(low), float(high)), prob)


def _share(mask: np.ndarray, n: int) -> float:
    return round(float(mask.sum()) / n, 3) if n else 0.0
