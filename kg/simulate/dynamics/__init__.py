"""Responses over time and over dose: `timecourse.py` (the trajectory from baseline after a perturbation starts)
and `dose.py` (steady states along one perturbation's level, with the ensemble's band)."""
