"""Simulator benchmarks: one prediction on the curated graph (in-process and as a CLI call), and a full
single-knockout screen on generated signed networks of 1k, 10k and 100k nodes, batched (bit-parallel sparse BFS)
versus one networkx propagation per perturbation, measured in the same run.

Run: `python -m bench simulate` (or `.venv/bin/python -c "import bench.bench_simulate as b; b.main()"`).
Environment: BENCH_SIM_SIZES=1000,10000 limits the sizes; BENCH_SIM_SAMPLE sets the networkx sample for the
largest network (default 300 perturbations, extrapolated to all, and said so).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

GOAL_CLI_S = 0.5
GOAL_SCREEN_10K_S = 10.0
GOAL_RATIO = 20.0


def generated_network(n: int, seed: int = 7, mean_in: float = 1.2, feedback: float = 0.05):
    """A signed directed network shaped like a signalling graph: each node gets 1 + Poisson(mean_in - 1)... inputs
    from earlier nodes chosen by preferential attachment (hubs), 30% of edges negative, and a `feedback` share of
    edges pointing backwards (loops). Deterministic for a seed."""
    rng = np.random.default_rng(seed)
    k = 1 + rng.poisson(max(mean_in - 1.0, 0.0), size=n)
    k[0] = 0
    src, dst = [], []
    weights = np.ones(n)
    for j in range(1, n):
        picks = rng.choice(j, size=min(int(k[j]), j), replace=False, p=weights[:j] / weights[:j].sum())
        for i in picks:
            src.append(int(i))
            dst.append(j)
            weights[i] += 1.0
    src_a, dst_a = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
    back = rng.random(src_a.size) < feedback
    src_a[back], dst_a[back] = dst_a[back], src_a[back].copy()
    sign = np.where(rng.random(src_a.size) < 0.3, -1, 1).astype(np.int64)
    return src_a, dst_a, sign


def _median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_prediction() -> None:
    from kg.build import build
    from kg.load.pipeline import load_paths
    from kg.paths import loaders_dir
    from kg.simulate import Simulator, predict

    graph = load_paths([loaders_dir()], root=loaders_dir().parent)
    cold = _median_time(lambda: predict(graph, ["ANKH:p.P5L"]), 5)
    sim = Simulator(graph)
    warm = _median_time(lambda: sim.run(["ANKH:p.P5L"]), 20)
    print(f"predict ANKH:p.P5L in-process: {cold * 1000:.1f} ms (model built each time), "
          f"{warm * 1000:.1f} ms (model reused, as in a screen)")
    kg = Path(sys.executable).with_name("kg")
    with tempfile.TemporaryDirectory() as tmp:
        build(None, Path(tmp))
        env = {**os.environ, "KG_HOME": tmp}
        cmd = [str(kg), "predict", "ANKH:p.P5L"]
        subprocess.run(cmd, env=env, check=True, capture_output=True)  # warm the OS file cache
        walls = []
        for _ in range(7):
            t = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            walls.append(time.perf_counter() - t)
        startup = []
        for _ in range(7):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True)
            startup.append(time.perf_counter() - t)
    wall = statistics.median(walls)
    print(f"CLI `kg predict ANKH:p.P5L` wall: median {wall:.3f} s (min {min(walls):.3f}, max {max(walls):.3f}; "
          f"bare python start-up {statistics.median(startup):.3f} s); goal < {GOAL_CLI_S} s: "
          f"{'met' if wall < GOAL_CLI_S else 'NOT met'}")


def bench_screen(n: int, sample: int | None) -> None:
    from kg.simulate.signed import batch_propagate, nx_doubled, nx_propagate

    t = time.perf_counter()
    src, dst, sign = generated_network(n)
    gen = time.perf_counter() - t
    readout = int(np.bincount(dst, minlength=n).argmax())  # the most regulated node plays "PPi"
    sources = np.arange(n)
    signs = -np.ones(n, dtype=np.int64)  # knockouts
    t = time.perf_counter()
    code, _dist = batch_propagate(n, src, dst, sign, sources, signs, readouts=np.array([readout]))
    batched = time.perf_counter() - t
    g2 = nx_doubled(n, src.tolist(), dst.tolist(), sign.tolist())
    picks = sources if sample is None or sample >= n else np.random.default_rng(1).choice(n, sample, replace=False)
    t = time.perf_counter()
    mismatches = 0
    reach = []
    for s in picks:
        res = nx_propagate(g2, int(s), -1)
        reach.append(len(res))
        got = res.get(readout)
        want = 0 if got is None else (1 if 1 in got.signs else 0) | (2 if -1 in got.signs else 0)
        mismatches += int(code[s, 0] != want)
    per = (time.perf_counter() - t) / len(picks)
    baseline = per * n
    moved = int((code[:, 0] > 0).sum())
    how = "measured on all" if len(picks) == n else f"extrapolated from {len(picks)} sampled"
    print(f"screen n={n:>6} edges={src.size:>6} (generated in {gen:.1f} s): batched {batched:.3f} s; "
          f"networkx per perturbation {baseline:.2f} s ({how}); ratio {baseline / batched:.1f}x; "
          f"knockouts moving the readout {moved}; mean reach {statistics.mean(reach):.0f} entities; "
          f"mismatches {mismatches}/{len(picks)}")
    if n == 10_000:
        ok = batched < GOAL_SCREEN_10K_S and baseline / batched >= GOAL_RATIO
        print(f"  goal (10k screen < {GOAL_SCREEN_10K_S} s and >= {GOAL_RATIO:.0f}x): {'met' if ok else 'NOT met'}")


def main() -> None:
    sizes = [int(x) for x in os.environ.get("BENCH_SIM_SIZES", "1000,10000,100000").split(",")]
    sample = int(os.environ.get("BENCH_SIM_SAMPLE", "300"))
    print(f"cpus: {os.cpu_count()}  numpy {np.__version__}")
    bench_prediction()
    for n in sizes:
        bench_screen(n, None if n <= 10_000 else sample)


if __name__ == "__main__":
    main()
