"""The simulator: a signed reasoning layer over the whole graph and a kinetic model generated from the graph's
kinetic edges and declared compartments (the body model, or one culture medium), combined by `predict`
(see docs/predict.md). Stages: `model/` builds and compiles the model, `solve/` solves it, `readouts.py` and
`explain.py` explain it, `cache.py` keeps calibrated models per build."""

from __future__ import annotations

from kg.simulate.predict import Prediction, Simulator, predict

__all__ = ["Prediction", "Simulator", "predict"]
