"""Endpoint reliability: how `kg serve sparql` cuts off runaway queries, and what the worker processes cost.

On a build of the curated graph, the endpoint (default limits: 30 s, 100,000 results, 2,048 MB per worker) gets
three runaway queries over a three-way cross product: one that streams rows (refused at the result limit), one
that counts them (CPU only: stopped at the time limit) and one that sorts them (memory grows: stopped by the
address-space limit or the time limit). For each: the time to the answer, the peak resident memory of the
worker, and whether the worker process is gone afterwards. The baseline is the previous endpoint's way, in the
same run: the streaming query serialized whole in one process with no limit, watched for as long as the
endpoint's time limit, with its memory at the end (it had not finished). Last, the cost of isolation: a small
query through the endpoint (HTTP + worker) against the same query on the store in-process.

Run: `python -m bench engines` (env KG_BENCH_TIMEOUT to change the endpoint's time limit).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

TIMEOUT = float(os.environ.get("KG_BENCH_TIMEOUT", "30"))
CROSS = "?a ?b ?c . ?d ?e ?f . ?g ?h ?i"
RUNAWAY = {
    "stream (SELECT *)": f"SELECT * WHERE {{ {CROSS} }}",
    "count (COUNT(*))": f"SELECT (COUNT(*) AS ?n) WHERE {{ {CROSS} }}",
    "sort (ORDER BY)": f"SELECT * WHERE {{ {CROSS} }} ORDER BY ?c ?f ?i",
}
SMALL = ("SELECT ?g ?label WHERE { ?g a biolink:Gene ; rdfs:label ?label } ORDER BY ?g")


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _workers(server_pid: int) -> set[int]:
    kids: set[int] = set()
    for task in Path(f"/proc/{server_pid}/task").iterdir():
        try:
            kids |= {int(p) for p in (task / "children").read_text(encoding="utf-8").split()}
        except OSError:
            continue
    out = set()
    for pid in kids:
        try:
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                out.add(pid)
        except OSError:
            continue
    return out


class Sampler:
    """Peak resident memory of a set of processes (re-read every 50 ms) while a block runs."""

    def __init__(self, pids: callable) -> None:
        self.pids, self.peak, self._stop = pids, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(_rss_mb(p) for p in self.pids()))
            time.sleep(0.05)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _get(port: int, query: str) -> tuple[int, str]:
    url = f"http://127.0.0.1:{port}/sparql?{urllib.parse.urlencode({'query': query})}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT * 4) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _baseline(folder: Path) -> tuple[float, float, bool]:
    """The old way: serialize the whole streaming answer in-process, no limit. (seconds watched, RSS, finished)"""
    code = ("import sys, pyoxigraph as ox; s = ox.Store.read_only(sys.argv[1]); "
            f"s.query('SELECT * WHERE {{ {CROSS} }}').serialize(format=ox.QueryResultsFormat.JSON)")
    from kg.rdf.store import store_path

    proc = subprocess.Popen([sys.executable, "-c", code, str(store_path(folder))])
    start = time.monotonic()
    with Sampler(lambda: {proc.pid}) as sampler, contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=TIMEOUT)
    finished = proc.poll() is not None
    proc.kill()
    proc.wait()
    return time.monotonic() - start, sampler.peak, finished


def main() -> None:
    import kg.build
    from kg.rdf.sparql import query
    from kg.rdf.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "build"
        kg.build.build(None, folder)
        store = open_store(folder)
        n = len(query(store, "SELECT ?s WHERE { ?s ?p ?o }").rows)
        print(f"store: {n:,} triples (a three-way cross product is {n ** 3:.2e} rows); endpoint time limit "
              f"{TIMEOUT:g} s, 100,000 results, 2,048 MB per worker")

        seconds, rss, finished = _baseline(folder)
        print(f"baseline (old endpoint: whole answer serialized in-process, no limit): after {seconds:.1f} s "
              f"{'finished' if finished else 'still running'}, {rss:,.0f} MB resident")

        port = _free_port()
        server = subprocess.Popen([sys.executable, "-c", "from kg.cli import run; run()", "serve", "sparql",
                                   "--build-dir", str(folder), "--port", str(port), "--timeout", str(TIMEOUT)],
                                  stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while _get_status(port) is None and time.monotonic() < deadline:
                time.sleep(0.2)
            _get(port, "ASK { ?s ?p ?o }")  # start a worker
            print("| query | answer | time to answer | worker peak RSS | worker gone after |")
            print("|---|---|---|---|---|")
            for name, text in RUNAWAY.items():
                before = _workers(server.pid)
                start = time.monotonic()
                with Sampler(lambda: _workers(server.pid)) as sampler:
                    status, body = _get(port, text)
                took = time.monotonic() - start
                gone = not any(Path(f"/proc/{p}").exists() for p in before)
                print(f"| {name} | {status}: {body.strip()[:60]} | {took:.2f} s | {sampler.peak:,.0f} MB | "
                      f"{'yes' if gone else 'no (reused)'} |")
            print(f"memory ratio, streaming query: old {rss:,.0f} MB after {seconds:.0f} s (unfinished) against "
                  "the endpoint's peak above")

            in_process, endpoint = [], []
            prefixes = {"biolink": "https://w3id.org/biolink/vocab/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
            text = "".join(f"PREFIX {k}: <{v}>\n" for k, v in prefixes.items()) + SMALL
            for _ in range(20):
                t0 = time.perf_counter()
                query(store, text)
                in_process.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                assert _get(port, text)[0] == 200
                endpoint.append(time.perf_counter() - t0)
            a, b = statistics.median(in_process) * 1000, statistics.median(endpoint) * 1000
            print(f"small query (genes and labels), median of 20: in-process {a:.1f} ms, through the endpoint "
                  f"{b:.1f} ms ({b / a:.1f}x)")
        finally:
            server.terminate()
            server.wait()


def _get_status(port: int) -> int | None:
    try:
        return _get(port, "ASK {}")[0]
    except OSError:
        return None
