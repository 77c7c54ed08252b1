"""The simulator: a signed reasoning layer over the whole graph and a kinetic model of the extracellular PPi
module generated from the graph's kinetic edges, combined by `predict` (see docs/predict.md)."""

from __future__ import annotations

from kg.simulate.predict import Prediction, Simulator, predict

__all__ = ["Prediction", "Simulator", "predict"]
