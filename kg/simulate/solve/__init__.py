"""Solving a compiled model: steady states (`steady.py`) and baseline-versus-perturbed runs (`run.py`)."""
