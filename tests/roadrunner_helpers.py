"""libRoadRunner as the tests use it: its steady state of an exported document."""

from __future__ import annotations

from typing import Any

SETTLE_HOURS = 1e6  # a time course to this horizon is the steady state (the slowest pool turns over in weeks)


def rr_settle(rr: Any) -> float:
    """libRoadRunner's steady state by a long CVODE time course; returns its largest rate of change, for the caller
    to check. (libRoadRunner 2.7's steadyState() leaves rate-rule variables, such as the genes' activities, at
    their initial values; 2.8, which fixes that, needs numpy 2, which the dev extra rules out.)"""
    import numpy as np

    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-14
    rr.simulate(0, SETTLE_HOURS, 2)
    return float(np.abs(rr.getRatesOfChange()).max())
