"""Core benchmarks: CLI latency (`kg show ANKH` vs `python -c pass`), curated build time, and validating and
loading a generated 100k-edge TSV (edges per second). Goals: kg show < 0.3 s; 100k edges < 10 s."""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.schema import load_schema

REPEATS = 7


def wall(cmd: list[str], repeats: int = REPEATS, **kw) -> float:
    """Median wall time of a command over `repeats` runs."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, **kw)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def generate_tsv(path: Path, n_edges: int, n_nodes: int, seed: int = 7) -> None:
    """A random signed network in the TSV import format, every edge a hypothesis (deterministic for a seed)."""
    rng = random.Random(seed)
    pairs = [(p.sign, p.mechanism) for p in load_schema().predicates.values()
             if p.mechanism in ("expression_regulation", "activity_regulation", "protein_binding")]
    seen: set[tuple[int, int, int]] = set()
    with path.open("w", encoding="utf-8") as fh:
        fh.write("source\ttarget\tsign\tmechanism\tpmid\tstatus\n")
        while len(seen) < n_edges:
            a, b, k = rng.randrange(n_nodes), rng.randrange(n_nodes), rng.randrange(len(pairs))
            if a == b or (a, b, k) in seen:
                continue
            seen.add((a, b, k))
            sign, mech = pairs[k]
            fh.write(f"G{a}\tG{b}\t{sign}\t{mech}\t{rng.randrange(1, 40_000_000)}\thypothesis\n")


def main() -> None:
    kg = str(Path(sys.executable).with_name("kg"))
    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp) / "build"
        t0 = time.perf_counter()
        subprocess.run([kg, "build", "-q", "--build-dir", str(build)], check=True, capture_output=True)
        build_s = time.perf_counter() - t0
        base = wall([sys.executable, "-c", "pass"])
        show = wall([kg, "show", "ANKH", "--build-dir", str(build), "--format", "json"])
        table = wall([kg, "show", "ANKH", "--build-dir", str(build)])
        print(f"curated build (kg build, cold process):  {build_s:.2f} s")
        print(f"python -c pass (baseline):               {base * 1000:.0f} ms")
        print(f"kg show ANKH --format json:              {show * 1000:.0f} ms  ({show / base:.1f}x baseline)  "
              f"goal < 300 ms: {'met' if show < 0.3 else 'MISSED'}")
        print(f"kg show ANKH (table):                    {table * 1000:.0f} ms  ({table / base:.1f}x baseline)")

        from kg.load.imports import ImportOptions
        from kg.load.pipeline import load_paths

        tsv = Path(tmp) / "net.tsv"
        n = 100_000
        generate_tsv(tsv, n, 20_000)
        t0 = time.perf_counter()
        graph = load_paths([tsv], options=ImportOptions(new_entities=True))  # its names are all new
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        _ = graph.nx
        nx_s = time.perf_counter() - t0
        print(f"100k-edge TSV validated and loaded:      {load_s:.2f} s  ({n / load_s:,.0f} edges/s)  "
              f"goal < 10 s: {'met' if load_s < 10 else 'MISSED'}; networkx view built in {nx_s:.2f} s "
              f"({len(graph)} entities, {len(graph.edges)} edges)")


if __name__ == "__main__":
    main()
