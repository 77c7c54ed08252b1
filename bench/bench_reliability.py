"""Reliability figures (`python -m bench reliability`): what bounded inputs and verified builds cost.

- Imports: `kg validate` of a generated TSV of 100k rows (the baseline) and of 1M rows in a child process, wall
  time and peak memory (the child's maximum resident set, from wait4); a 4M-row TSV is refused before parsing.
- Reads: checking a build against its manifest on every read (graph file hashed while read, small parts hashed,
  large parts by size and mtime stamp) against parsing graph.json alone and against hashing every part, on the
  curated build and on a generated 20k-edge build; and `kg show` end to end against `python -c pass`.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.schema import load_schema

REPEATS = 7


def generate_tsv(path: Path, n_rows: int, n_nodes: int, seed: int = 11) -> None:
    """A random signed network in the TSV import format with a status column (deterministic for a seed)."""
    rng = random.Random(seed)
    pairs = [(p.sign, p.mechanism) for p in load_schema().predicates.values()
             if p.mechanism in ("expression_regulation", "activity_regulation", "protein_binding")]
    seen: set[tuple[int, int, int]] = set()
    with path.open("w", encoding="utf-8") as fh:
        fh.write("source\ttarget\tsign\tmechanism\tpmid\tstatus\n")
        while len(seen) < n_rows:
            a, b, k = rng.randrange(n_nodes), rng.randrange(n_nodes), rng.randrange(len(pairs))
            if a == b or (a, b, k) in seen:
                continue
            seen.add((a, b, k))
            sign, mech = pairs[k]
            fh.write(f"G{a}\tG{b}\t{sign}\t{mech}\t{rng.randrange(1, 40_000_000)}\thypothesis\n")


def child(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident MiB and exit code of a command run as a child process."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def median_time(func, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def imports(kg: str, tmp: Path) -> None:
    rows = {}
    for n in (100_000, 1_000_000):
        path = tmp / f"net{n}.tsv"
        generate_tsv(path, n, max(20_000, n // 5))
        seconds, peak, code = child([kg, "validate", str(path), "--new-entities", "--format", "json"])
        assert code == 0, f"validate of {n} rows exited {code}"
        rows[n] = (seconds, peak)
        print(f"kg validate, {n:>9,}-row TSV:     {seconds:7.1f} s  peak {peak:7.0f} MiB  "
              f"({seconds / n * 1e6:.1f} µs and {peak * 1024 / n:.2f} KiB per row)")
    (t1, m1), (t2, m2) = rows[100_000], rows[1_000_000]
    print(f"1M rows over 100k rows (baseline): time x{t2 / t1:.1f}, peak memory x{m2 / m1:.1f}")
    big = tmp / "net4M.tsv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("source\ttarget\tsign\tmechanism\tpmid\tstatus\n")
        block = "".join(f"G{i}\tG{i + 1}\t+\texpression_regulation\t{i + 1}\thypothesis\n" for i in range(1000))
        for _ in range(4000):
            fh.write(block)
    seconds, peak, code = child([kg, "validate", str(big)])
    print(f"kg validate, 4M-row TSV ({big.stat().st_size / 2**20:.0f} MiB): refused (exit {code}) up front in "
          f"{seconds:.2f} s, peak {peak:.0f} MiB")


def reads(kg: str, tmp: Path) -> None:
    from kg.build import build, ensure_current, read_graph_json
    from kg.builddir.integrity import STAMPS_FILE, part_records
    from kg.load.imports import ImportOptions

    curated = tmp / "curated"
    build(None, curated)
    generated = tmp / "generated"
    tsv = tmp / "net20k.tsv"
    generate_tsv(tsv, 20_000, 5_000)
    started = time.perf_counter()
    build(None, generated, imports=[tsv], options=ImportOptions(new_entities=True))
    print(f"build of the curated graph plus a 20k-edge import: {time.perf_counter() - started:.1f} s")
    for name, out in (("curated", curated), ("curated + 20k edges", generated)):
        folder = ensure_current(out)
        manifest = json.loads((folder / "manifest.json").read_text())
        size = sum(p["size"] for p in manifest["parts"].values()) / 2**20
        parse = median_time(lambda folder=folder: json.loads((folder / "graph.json").read_bytes()))
        policy = median_time(lambda out=out: read_graph_json(ensure_current(out)))
        everything = median_time(lambda folder=folder, m=manifest: part_records(folder, m["files"]))
        print(f"{name} ({size:.1f} MiB in {len(manifest['parts'])} parts): verified read {policy * 1000:.1f} ms; "
              f"parsing graph.json alone {parse * 1000:.1f} ms (x{policy / parse:.2f}); hashing every part "
              f"{everything * 1000:.1f} ms")
        (folder / STAMPS_FILE).unlink()
        no_stamps = median_time(lambda out=out: read_graph_json(ensure_current(out)), repeats=3)
        print(f"   ... the same read without the size+mtime stamps (every part hashed): {no_stamps * 1000:.1f} ms")
    base = median_time(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))
    show = median_time(lambda: subprocess.run([kg, "show", "ANKH", "--build-dir", str(curated), "--format", "json"],
                                              check=True, capture_output=True))
    print(f"kg show ANKH --format json (verified): {show * 1000:.0f} ms; python -c pass {base * 1000:.0f} ms "
          f"(x{show / base:.1f}); goal < 300 ms: {'met' if show < 0.3 else 'MISSED'}")


def main() -> None:
    kg = str(Path(sys.executable).with_name("kg"))
    with tempfile.TemporaryDirectory() as tmp:
        reads(kg, Path(tmp))
        imports(kg, Path(tmp))


if __name__ == "__main__":
    main()
