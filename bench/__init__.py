"""Benchmarks: `make bench` (python -m bench) runs every bench_*.py module and prints figures and ratios."""
