"""What a curated area costs the simulator: the full curated graph against the same graph without some loader files.

The baseline is measured in the same run: loaders/ minus the files matching BENCH_CURATION_EXCLUDE (comma-separated
globs; default the joint inflammation and nucleotide files). Both graphs answer the same questions: one prediction
(ANKH p.P5L, model rebuilt and reused) and the published cases outside the areas in BENCH_CURATION_AREAS (default
inflammation,nucleotide), whose entities the baseline lacks. Figures go to BENCHMARKS.md by hand.
"""

from __future__ import annotations

import fnmatch
import os
import statistics
import time
from pathlib import Path

DEFAULT_EXCLUDE = "joint_*.yaml,nucleotide_*.yaml"
DEFAULT_AREAS = "inflammation,nucleotide"
CASES = Path(__file__).resolve().parents[1] / "tests" / "validation" / "published-cases.yaml"


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _measure(label: str, files: list[Path], root: Path, cases: dict) -> dict[str, float]:
    from kg.load.pipeline import load_paths
    from kg.simulate import Simulator, predict
    from kg.simulate.check import check

    t = time.perf_counter()
    graph = load_paths(files, root=root)
    load = time.perf_counter() - t
    cold = _median(lambda: predict(graph, ["ANKH:p.P5L"]), 5)
    sim = Simulator(graph)
    warm = _median(lambda: sim.run(["ANKH:p.P5L"]), 20)
    report = check(graph, cases)
    checked = _median(lambda: check(graph, cases), 3)
    print(f"{label}: {len(graph)} entities, {len(graph.edges)} edges; load {load:.2f} s; predict ANKH:p.P5L "
          f"{cold * 1000:.1f} ms (model built) / {warm * 1000:.1f} ms (reused); {len(cases['cases'])} published "
          f"cases checked in {checked:.2f} s ({report.passed}/{len(report.rows)} checks pass)")
    return {"load": load, "cold": cold, "warm": warm, "check": checked}


def _listed(variable: str, default: str) -> list[str]:
    return [x.strip() for x in os.environ.get(variable, default).split(",") if x.strip()]


def main() -> None:
    from kg.paths import loaders_dir
    from kg.simulate.check import load_cases

    patterns = _listed("BENCH_CURATION_EXCLUDE", DEFAULT_EXCLUDE)
    areas = set(_listed("BENCH_CURATION_AREAS", DEFAULT_AREAS))
    loaders = loaders_dir()
    every = sorted(p for p in loaders.iterdir() if p.suffix in (".yaml", ".tsv", ".sif"))
    kept = [p for p in every if not any(fnmatch.fnmatch(p.name, pat) for pat in patterns)]
    excluded = sorted(p.name for p in every if p not in kept)
    data = load_cases(CASES)
    cases = {"readouts": data.get("readouts") or {},
             "cases": [c for c in data["cases"] if str(c.get("area")) not in areas]}
    print(f"excluded from the baseline: {', '.join(excluded) or 'nothing'}")
    base = _measure("baseline", kept, loaders.parent, cases)
    full = _measure("curated ", every, loaders.parent, cases)
    print("ratios (curated / baseline): " + ", ".join(f"{k} {full[k] / base[k]:.1f}x" for k in base))


if __name__ == "__main__":
    main()
