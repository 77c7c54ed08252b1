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
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_core import generate_tsv

REPEATS = 7


# Runs the kg CLI in a fresh interpreter and reports that process's own peak resident set (VmHWM) at exit. (A
# child's ru_maxrss from wait4 starts from the parent's resident set at fork, which here holds generated data.)
_PEAK_WRAPPER = (
    "import atexit, sys\n"
    "def peak():\n"
    "    hwm = next(ln for ln in open('/proc/self/status') if ln.startswith('VmHWM'))\n"
    "    sys.stderr.write('PEAK_KIB ' + hwm.split()[1] + '\\n')\n"
    "atexit.register(peak)\n"
    "from kg.cli import run\n"
    "sys.argv = ['kg', *sys.argv[1:]]\n"
    "run()\n")


def child(args: list[str]) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak resident MiB and exit code of `kg ARGS` run as a child process."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", _PEAK_WRAPPER, *args], stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    peak_kib = next(int(ln.split()[1]) for ln in text.splitlines() if ln.startswith("PEAK_KIB "))
    return seconds, usage.ru_utime + usage.ru_stime, peak_kib / 1024, os.waitstatus_to_exitcode(status)


def median_time(func, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def imports(tmp: Path) -> None:
    rows = {}
    for n in (100_000, 1_000_000):
        path = tmp / f"net{n}.tsv"
        generate_tsv(path, n, max(20_000, n // 5))
        seconds, cpu, peak, code = child(["validate", str(path), "--new-entities", "--format", "json"])
        assert code == 0, f"validate of {n} rows exited {code}"
        rows[n] = (cpu, peak)
        print(f"kg validate, {n:>9,}-row TSV: {seconds:6.1f} s wall, {cpu:6.1f} s CPU, peak {peak:6.0f} MiB "
              f"({cpu / n * 1e6:.0f} µs CPU and {peak * 1024 / n:.2f} KiB per row)")
    (t1, m1), (t2, m2) = rows[100_000], rows[1_000_000]
    print(f"1M rows over 100k rows (baseline, same run): CPU x{t2 / t1:.1f}, peak memory x{m2 / m1:.1f}")
    big = tmp / "net4M.tsv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("source\ttarget\tsign\tmechanism\tpmid\tstatus\n")
        block = "".join(f"G{i}\tG{i + 1}\t+\texpression_regulation\t{i + 1}\thypothesis\n" for i in range(1000))
        for _ in range(4000):
            fh.write(block)
    seconds, cpu, peak, code = child(["validate", str(big)])
    print(f"kg validate, 4M-row TSV ({big.stat().st_size / 2**20:.0f} MiB): refused (exit {code}) before parsing in "
          f"{seconds:.2f} s, peak {peak:.0f} MiB")


def reads(kg: str, tmp: Path) -> None:
    from kg.build import build, read_graph_json, stale_reason
    from kg.builddir.integrity import STAMPS_FILE, part_records, verify
    from kg.builddir.versions import current_dir
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
        folder = current_dir(out)
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        size = sum(p["size"] for p in manifest["parts"].values()) / 2**20
        stale = median_time(lambda out=out: stale_reason(out))
        parse = median_time(lambda folder=folder: json.loads((folder / "graph.json").read_bytes()))
        hashed = median_time(lambda folder=folder: read_graph_json(folder))
        parts = median_time(lambda f=folder, m=manifest: verify(f, m, hashed_on_read=["graph.json"]))
        everything = median_time(lambda f=folder, m=manifest: part_records(f, m["files"]))
        (folder / STAMPS_FILE).unlink()
        no_stamps = median_time(lambda f=folder, m=manifest: verify(f, m, hashed_on_read=["graph.json"]))
        print(f"{name} ({size:.1f} MiB in {len(manifest['parts'])} parts, graph.json "
              f"{manifest['parts']['graph.json']['size'] / 2**20:.1f} MiB):")
        print(f"   graph.json parsed {parse * 1000:.1f} ms; hashed and parsed {hashed * 1000:.1f} ms "
              f"(x{hashed / parse:.2f})")
        print(f"   other parts checked {parts * 1000:.2f} ms (small ones hashed, large ones by stamp); without stamps "
              f"{no_stamps * 1000:.1f} ms; hashing every part {everything * 1000:.1f} ms")
        print(f"   (the staleness check that predates this, hashing the sources: {stale * 1000:.1f} ms)")
    base = median_time(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))
    show = median_time(lambda: subprocess.run([kg, "show", "ANKH", "--build-dir", str(curated), "--format", "json"],
                                              check=True, capture_output=True))
    print(f"kg show ANKH --format json (verified): {show * 1000:.0f} ms; python -c pass {base * 1000:.0f} ms "
          f"(x{show / base:.1f}); goal < 300 ms: {'met' if show < 0.3 else 'MISSED'}")


def main() -> None:
    kg = str(Path(sys.executable).with_name("kg"))
    with tempfile.TemporaryDirectory() as tmp:
        reads(kg, Path(tmp))
        imports(Path(tmp))


if __name__ == "__main__":
    main()
