"""Run the benchmarks: `python -m bench [NAME ...]` runs bench/bench_NAME.py modules (all by default).

Each module exposes `main() -> None`, prints its figures and ratios against a baseline measured in the same
run, and is recorded by hand in BENCHMARKS.md.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = argv or sorted(p.stem.removeprefix("bench_") for p in here.glob("bench_*.py"))
    for name in names:
        print(f"\n=== bench_{name} ===", flush=True)
        importlib.import_module(f"bench.bench_{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
