"""Web app benchmark: a bounded load test of `kg serve` on loopback -- 200 predictions from 10 concurrent clients
-- with latency percentiles, against the same predictions computed in-process (the baseline, same run).

The server is the real one (`kg serve --port 0`, uvicorn, worker processes) over a fresh build of the curated
graph; each client keeps one connection. Perturbations cycle through every gene's ko/up/down (no two clients ask
the same thing at once, and nothing is cached: predictions are always computed). Also measured: one client alone
(latency without queueing), the page, a search, and a diagram (first, then served from the per-build cache).

Run: `python -m bench web`. Environment: BENCH_WEB_REQUESTS (200), BENCH_WEB_CLIENTS (10), BENCH_WEB_WORKERS
(the server's --workers, default 2).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

GOAL_P95_MS = 300.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(name: str, ms: list[float], wall: float) -> None:
    print(f"  {name}: n={len(ms)}  p50 {percentile(ms, .5):6.1f} ms  p90 {percentile(ms, .9):6.1f}  "
          f"p95 {percentile(ms, .95):6.1f}  p99 {percentile(ms, .99):6.1f}  max {max(ms):6.1f}  "
          f"throughput {len(ms) / wall:5.1f}/s")


def perturbations(build: Path) -> list[str]:
    from kg.build import read_graph_json

    genes = sorted(e.get("symbol") or e["label"] for e in read_graph_json(build)["entities"]
                   if e["category"] == "gene_or_protein")
    return [f"{g}={effect}" for effect in ("ko", "up", "down") for g in genes]


def main() -> None:
    import httpx

    from kg.build import build
    from kg.paths import loaders_dir

    requests = int(os.environ.get("BENCH_WEB_REQUESTS", "200"))
    clients = int(os.environ.get("BENCH_WEB_CLIENTS", "10"))
    workers = os.environ.get("BENCH_WEB_WORKERS", "2")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "build"
        build([loaders_dir()], out)
        asks = perturbations(out)
        print(f"curated graph; {len(asks)} distinct perturbations; {requests} requests from {clients} clients; "
              f"server --workers {workers}; {os.cpu_count()} cores")

        # baseline: the same predictions in this process (what one worker does per request)
        from kg.cli.predict import run_prediction
        from kg.simulate.lite import load_lite

        lite = load_lite(out)
        run_prediction(lite, [asks[0]], None)
        inproc = []
        for ask in asks[:60]:
            t = time.perf_counter()
            run_prediction(lite, [ask], None)
            inproc.append((time.perf_counter() - t) * 1000)
        base = percentile(inproc, .5)
        print(f"  baseline in-process prediction: p50 {base:.1f} ms, p95 {percentile(inproc, .95):.1f} ms")

        env = {k: v for k, v in os.environ.items() if k != "KG_HOME"}
        proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", "0", "--workers", workers,
                                 "--build-dir", str(out)], stderr=subprocess.PIPE, text=True, env=env)
        try:
            url = next(m.group(1) for line in proc.stderr  # type: ignore[union-attr]
                       if (m := re.search(r"^kg: (http://\S+?/) ", line)))
            api = url + "api/v1/predict"

            def one(client: httpx.Client, ask: str) -> float:
                t = time.perf_counter()
                response = client.get(api, params={"perturbation": ask})
                elapsed = (time.perf_counter() - t) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{ask}: {response.status_code} {response.text[:200]}")
                return elapsed

            with httpx.Client(timeout=60) as client:
                one(client, asks[0])  # the workers are warm; this warms the connection
                t0 = time.perf_counter()
                alone = [one(client, asks[i % len(asks)]) for i in range(50)]
                summary("1 client, 50 predictions  ", alone, time.perf_counter() - t0)

            def session(index: int) -> list[float]:
                with httpx.Client(timeout=60) as client:
                    return [one(client, asks[(index + clients * k) % len(asks)])
                            for k in range(requests // clients)]

            t0 = time.perf_counter()
            with ThreadPoolExecutor(max_workers=clients) as pool:
                loaded = [ms for part in pool.map(session, range(clients)) for ms in part]
            wall = time.perf_counter() - t0
            summary(f"{clients} clients, {len(loaded)} predictions", loaded, wall)
            p95 = percentile(loaded, .95)
            print(f"  p95 under load / in-process p50: {p95 / base:.1f}x; goal p95 < {GOAL_P95_MS:.0f} ms: "
                  f"{'met' if p95 < GOAL_P95_MS else 'NOT met'}")

            with httpx.Client(timeout=120) as client:
                for name, path, params in (("page /", "", {}),
                                           ("search ankh", "api/v1/search", {"q": "ankh"}),
                                           ("diagram core (first)", "api/v1/diagram", {"module": "core"}),
                                           ("diagram core (cached)", "api/v1/diagram", {"module": "core"})):
                    times = []
                    for _ in range(1 if "first" in name else 5):
                        t = time.perf_counter()
                        client.get(url + path, params=params).raise_for_status()
                        times.append((time.perf_counter() - t) * 1000)
                    print(f"  {name:24s}: {statistics.median(times):7.1f} ms")
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
