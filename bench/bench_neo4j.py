"""Neo4j benchmark: batched push (`kg neo4j push`) against one statement per edge, on the real server, same run.

The generated, seeded 100k-edge network of bench_rdf (each edge with one evidence record) is pushed with the
batched, parallel UNWIND path; a seeded 5k-edge sample of it (with its end nodes) is loaded the naive way, one
auto-commit statement per node and per edge (the same MERGE and the same properties). Both paths are warmed up
first on a small graph (the server's JIT), and kg's data is deleted before and after each load.
Goals: batched at least 50x faster than per-edge statements, and at least 10k relationships/s.

Run: `python -m bench neo4j` with NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD set (`make neo4j-up` and
`source deploy/neo4j/target/server/neo4j.env`). Env: KG_BENCH_EDGES (100000), KG_BENCH_SAMPLE_EDGES (5000),
KG_BENCH_WORKERS and KG_BENCH_BATCH (the push defaults).
"""

from __future__ import annotations

import os
import random
import time

from bench.bench_rdf import generate
from kg.graph import KnowledgeGraph

SEED = 20261130


def sample(graph: KnowledgeGraph, n_edges: int, seed: int = SEED) -> KnowledgeGraph:
    """A seeded sample of `n_edges` edges and their end nodes."""
    edges = random.Random(seed).sample(graph.edges, min(n_edges, len(graph.edges)))
    ends = {end for e in edges for end in (e.subject, e.object)}
    return KnowledgeGraph([e for e in graph.entities if e.id in ends], edges)


def per_statement(conn, graph: KnowledgeGraph) -> tuple[float, float]:
    """Load `graph` one auto-commit statement per node, then per edge; (node seconds, edge seconds)."""
    from kg.neo4j.mapping import (
        MARKER_LABEL,
        edge_properties,
        entity_properties,
        node_label,
        quoted,
        relationship_type,
    )

    marker = quoted(MARKER_LABEL)
    with conn.driver.session(database=conn.settings.database) as session:
        start = time.perf_counter()
        for ent in graph.entities:
            session.run(f"MERGE (n:{marker} {{id: $id}}) SET n += $props SET n:{quoted(node_label(ent.category))}",
                        id=ent.id, props=entity_properties(ent)).consume()
        nodes = time.perf_counter() - start
        start = time.perf_counter()
        for edge in graph.edges:
            session.run(f"MATCH (s:{marker} {{id: $subject}}) MATCH (o:{marker} {{id: $object}}) "
                        f"MERGE (s)-[r:{quoted(relationship_type(edge.predicate))} {{id: $id}}]->(o) SET r += $props",
                        subject=edge.subject, object=edge.object, id=edge.id, props=edge_properties(edge)).consume()
        edges = time.perf_counter() - start
    return nodes, edges


def batched(conn, graph: KnowledgeGraph, **options) -> tuple[float, float, float]:
    """Push `graph`; (node phase, relationship phase, total) seconds. Each phase includes building its rows."""
    from kg.neo4j.push import push

    marks: dict[str, float] = {}
    start = time.perf_counter()

    def progress(what: str, _n: int) -> None:
        marks[what] = time.perf_counter()

    result = push(conn, graph, progress=progress, **options)
    assert (result.nodes_created, result.relationships_created) == (len(graph), len(graph.edges)), result
    nodes_done = marks.get("nodes", start)
    return nodes_done - start, marks.get("relationships", nodes_done) - nodes_done, result.seconds


def main() -> None:
    from kg.neo4j import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS
    from kg.neo4j.connection import connect
    from kg.neo4j.push import counts, delete_kg_data, ensure_constraints, push

    if not os.environ.get("NEO4J_URI"):
        print("skipped: no Neo4j server (make neo4j-up; source deploy/neo4j/target/server/neo4j.env)")
        return
    n_edges = int(os.environ.get("KG_BENCH_EDGES", "100000"))
    n_sample = int(os.environ.get("KG_BENCH_SAMPLE_EDGES", "5000"))
    workers = int(os.environ.get("KG_BENCH_WORKERS", str(DEFAULT_WORKERS)))
    batch = int(os.environ.get("KG_BENCH_BATCH", str(DEFAULT_BATCH_SIZE)))
    t0 = time.perf_counter()
    graph = generate(n_edges)
    small = sample(graph, n_sample)
    warm = sample(graph, 1000, seed=SEED + 1)
    print(f"network: {len(graph)} nodes, {len(graph.edges)} relationships (generated in "
          f"{time.perf_counter() - t0:.1f} s); per-statement sample: {len(small)} nodes, {len(small.edges)} "
          f"relationships")
    try:
        import neo4j._rust  # noqa: F401 - the extension of neo4j-rust-ext

        codec = "neo4j-rust-ext"
    except ImportError:
        codec = "pure-Python packstream (install neo4j-rust-ext for faster encoding)"
    with connect() as conn:
        print(f"server {conn.server()} at {conn.settings.where}; driver codec: {codec}; batch {batch}, "
              f"workers {workers}")
        delete_kg_data(conn)
        ensure_constraints(conn)
        push(conn, warm, batch_size=batch, workers=workers)  # warm-up of both paths (JIT), then a clean slate
        delete_kg_data(conn)
        per_statement(conn, warm)
        delete_kg_data(conn)

        t_nodes_1, t_edges_1 = per_statement(conn, small)
        assert counts(conn) == {"nodes": len(small), "relationships": len(small.edges)}
        delete_kg_data(conn)
        node_rate_1, edge_rate_1 = len(small) / t_nodes_1, len(small.edges) / t_edges_1
        print(f"one statement per node/edge ({len(small.edges)} edges): nodes {t_nodes_1:6.2f} s "
              f"({node_rate_1:8.0f}/s) | relationships {t_edges_1:6.2f} s ({edge_rate_1:8.0f}/s)")

        t_nodes, t_edges, total = batched(conn, graph, batch_size=batch, workers=workers)
        assert counts(conn) == {"nodes": len(graph), "relationships": len(graph.edges)}
        node_rate, edge_rate = len(graph) / t_nodes, len(graph.edges) / t_edges
        print(f"batched push ({len(graph.edges)} edges): nodes {t_nodes:6.2f} s ({node_rate:8.0f}/s) | "
              f"relationships {t_edges:6.2f} s ({edge_rate:8.0f}/s) | total {total:6.2f} s "
              f"({len(graph.edges) / total:8.0f} relationships/s overall)")
        print(f"  ratio batched/per-statement: nodes {node_rate / node_rate_1:6.1f}x | relationships "
              f"{edge_rate / edge_rate_1:6.1f}x (goal >= 50x) | relationships/s {edge_rate:.0f} (goal >= 10000)")

        start = time.perf_counter()
        again = push(conn, graph, batch_size=batch, workers=workers)
        assert (again.nodes_created, again.relationships_created) == (0, 0)
        assert counts(conn) == {"nodes": len(graph), "relationships": len(graph.edges)}
        print(f"  pushing again (nothing created, same counts): {time.perf_counter() - start:6.2f} s")
        delete_kg_data(conn)

        _, t_edges_seq, total_seq = batched(conn, graph, batch_size=batch, workers=1)
        print(f"batched push, one transaction at a time: relationships {t_edges_seq:6.2f} s "
              f"({len(graph.edges) / t_edges_seq:8.0f}/s) | total {total_seq:6.2f} s")
        delete_kg_data(conn)


if __name__ == "__main__":
    main()
