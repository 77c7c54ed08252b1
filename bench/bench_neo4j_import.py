"""Neo4j bulk import (`kg neo4j import`) against the Bolt push (`kg neo4j push`), on the real server, same run.

The generated, seeded 100k-edge network of bench_rdf is (1) pushed over Bolt into the running server (batched
UNWIND transactions, the push defaults, constraints first), and (2) imported with neo4j-admin (the AdminTool of
kg's Neo4j 5.26 build) into a fresh Neo4j home: the import files written and the importer run. (3) measures the
whole `kg neo4j import` for kg's own server: import into a fresh home, a server started on it, the constraints
applied, the counts read back. Figures are relationships per second, with the ratio to the push.

Run: `deploy/neo4j/with-neo4j.sh python -m bench neo4j_import` (a server for the push; the import starts its
own). Env: KG_BENCH_EDGES (100000), KG_BENCH_WORKERS and KG_BENCH_BATCH (the push defaults).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from bench.bench_rdf import generate


def main() -> None:
    from kg.neo4j import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS
    from kg.neo4j.admin_import import import_graph, kg_build_lib
    from kg.neo4j.connection import connect
    from kg.neo4j.local_server import deploy_dir, import_and_start
    from kg.neo4j.push import counts, delete_kg_data, ensure_constraints, push

    if not os.environ.get("NEO4J_URI"):
        print("skipped: no Neo4j server (deploy/neo4j/with-neo4j.sh python -m bench neo4j_import)")
        return
    if not (kg_build_lib() / ".complete").exists():
        print("skipped: kg's Neo4j build is absent (make neo4j-build)")
        return
    n_edges = int(os.environ.get("KG_BENCH_EDGES", "100000"))
    workers = int(os.environ.get("KG_BENCH_WORKERS", str(DEFAULT_WORKERS)))
    batch = int(os.environ.get("KG_BENCH_BATCH", str(DEFAULT_BATCH_SIZE)))
    graph = generate(n_edges)
    print(f"network: {len(graph)} nodes, {len(graph.edges)} relationships")

    with connect() as conn:
        delete_kg_data(conn)
        start = time.perf_counter()
        ensure_constraints(conn)
        result = push(conn, graph, batch_size=batch, workers=workers)
        t_push = time.perf_counter() - start
        assert counts(conn) == {"nodes": len(graph), "relationships": len(graph.edges)}, result
        delete_kg_data(conn)
    push_rate = len(graph.edges) / t_push
    print(f"push over Bolt (constraints, nodes, relationships; batch {batch}, workers {workers}): "
          f"{t_push:6.1f} s ({push_rate:8.0f} relationships/s)")

    scratch = Path(tempfile.mkdtemp(prefix="kg-bench-import-"))
    env_before = dict(os.environ)
    try:
        imported = import_graph(graph, scratch / "home")
        rate = len(graph.edges) / imported.seconds
        print(f"neo4j-admin import (files + importer, fresh home): {imported.seconds:6.1f} s ({rate:8.0f} "
              f"relationships/s; {rate / push_rate:5.1f}x the push); of which files {imported.files_seconds:.1f} s, "
              f"importer (a JVM) {imported.seconds - imported.files_seconds:.1f} s")
        for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE", "KG_NEO4J_PORT"):
            os.environ.pop(name, None)  # kg's own server in the scratch folder gets its own port and password
        start = time.perf_counter()
        done = import_and_start(graph, scratch / "server")
        t_all = time.perf_counter() - start
        assert (done.nodes, done.relationships) == (len(graph), len(graph.edges))
        rate_all = len(graph.edges) / t_all
        print(f"kg neo4j import into kg's server (import, start, constraints, counts): {t_all:6.1f} s "
              f"({rate_all:8.0f} relationships/s; {rate_all / push_rate:5.1f}x the push)")
    finally:
        os.environ.clear()
        os.environ.update(env_before)
        subprocess.run([str(deploy_dir() / "neo4jctl.sh"), "stop", str(scratch / "server")], capture_output=True,
                       check=False)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
