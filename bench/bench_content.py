"""What curated content costs: loading and validating loaders/, and scoring the published cases, with and without
one area's files, measured in the same run (the baseline is the same loaders with that area's files left out),
the two interleaved so that a busy shared machine slows both alike.

Run: `python -m bench content`. Environment: BENCH_CONTENT_AREA is the glob of the area's loader files (default
`treatments_*.yaml`, the treatment area); its cases are those whose `area:` matches BENCH_CONTENT_TAG (default
`treatment`).
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _median_times(fns, repeat: int) -> list[float]:
    """Median time of each function, the calls interleaved so that load on a shared machine hits all alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - t)
    return [statistics.median(ts) for ts in times]


def main() -> None:
    from kg.load.pipeline import load_paths
    from kg.simulate.check import check, load_cases

    area = os.environ.get("BENCH_CONTENT_AREA", "treatments_*.yaml")
    tag = os.environ.get("BENCH_CONTENT_TAG", "treatment")
    loaders = ROOT / "loaders"
    with tempfile.TemporaryDirectory() as tmp:
        without = Path(tmp) / "loaders"
        shutil.copytree(loaders, without, ignore=shutil.ignore_patterns(area))
        full_g = load_paths([loaders], root=ROOT)
        base_g = load_paths([without], root=Path(tmp))
        t_full, t_base = _median_times([lambda: load_paths([loaders], root=ROOT),
                                        lambda: load_paths([without], root=Path(tmp))], 7)
    print(f"load + validate loaders/: {t_full * 1000:.0f} ms for {len(full_g.entities)} entities, "
          f"{len(full_g.edges)} edges; without {area}: {t_base * 1000:.0f} ms for {len(base_g.entities)} "
          f"entities, {len(base_g.edges)} edges ({t_full / t_base:.2f}x)")

    data = load_cases(ROOT / "tests" / "validation" / "published-cases.yaml")
    ours = [c for c in data["cases"] if c.get("area") == tag]
    others = [c for c in data["cases"] if c.get("area") != tag]
    readouts = data.get("readouts") or {}
    t_ours, t_others, t_others_base = _median_times([
        lambda: check(full_g, {"readouts": readouts, "cases": ours}),
        lambda: check(full_g, {"readouts": readouts, "cases": others}),
        lambda: check(base_g, {"readouts": readouts, "cases": others})], 5)
    print(f"kg check, {len(ours)} '{tag}' cases: {t_ours:.2f} s ({t_ours / max(len(ours), 1) * 1000:.0f} ms/case); "
          f"the other {len(others)} cases: {t_others:.2f} s on the full graph vs {t_others_base:.2f} s without "
          f"the area ({t_others / t_others_base:.2f}x)")
