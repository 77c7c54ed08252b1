"""RDF benchmark: the embedded Oxigraph store against plain in-memory rdflib, measured in the same run.

A generated, seeded network of 100k edges (each with one evidence record) is mapped to RDF once; then both
engines load the same N-Triples bytes, kg build's store writer is timed end to end against rdflib's Graph.add,
and both run representative named queries on kg build's store (interactions of a hub, its neighbourhood to depth
1 by default, the contested edges of the whole graph, and the hub's signed regulators) with the same query text
and bound parameters. Each pair of answers must be identical.
Goal: Oxigraph at least 10x faster than rdflib on load and on each query.

Run: `python -m bench rdf` (env KG_BENCH_EDGES to change the size, KG_BENCH_DEPTH the neighbourhood depth).
"""

from __future__ import annotations

import itertools
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from kg.graph import KnowledgeGraph
from kg.models import Edge, Entity, Evidence

SEED = 20261124
# (query, parameters; "HUB" is replaced by the hub's id): a lookup, a traversal, a whole-graph scan, and one more.
# The traversal is depth 1 by default: at 100k edges rdflib did not finish depth 2 from the hub in 15 minutes
# (KG_BENCH_DEPTH=2 to try; at 5k edges depth 2 took rdflib 16 s and Oxigraph 0.4 s).
DEPTH = os.environ.get("KG_BENCH_DEPTH", "1")
QUERIES = (("interactions", {"of": "HUB"}), ("neighbors", {"center": "HUB", "depth": DEPTH}), ("contested", {}),
           ("regulators", {"target": "HUB"}))


def generate(n_edges: int, seed: int = SEED) -> KnowledgeGraph:
    """A random signed network with a heavy-tailed degree distribution (a few hubs, many leaves)."""
    from kg.schema import load_schema

    rng = random.Random(seed)
    schema = load_schema()
    n_entities = max(50, n_edges // 5)
    kinds = [("gene_or_protein", "HGNC"), ("small_molecule", "CHEBI"), ("disease", "MONDO"), ("process", "GO")]
    entities = []
    for i in range(n_entities):
        category, prefix = kinds[0] if i % 10 < 7 else kinds[i % 10 - 6] if i % 10 < 10 else kinds[0]
        local = f"{i + 1:07d}" if prefix in ("MONDO", "GO") else str(i + 1)
        entities.append(Entity(id=f"{prefix}:{local}", category=category, label=f"{category} {i}",
                               synonyms=[f"syn{i}"]))
    ids = [e.id for e in entities]
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(n_entities)]  # Zipf-like: early ids are hubs
    cum_weights = list(itertools.accumulate(weights))  # computed once: choices() would redo it on every call
    predicates = list(schema.predicates)
    species = [s for s in schema.species if s != "in_vitro"]
    edges: dict[str, Edge] = {}
    while len(edges) < n_edges:
        subject, obj = rng.choices(ids, cum_weights=cum_weights, k=2)
        if subject == obj:
            continue
        evidence = Evidence(source=f"PMID:{rng.randint(1, 40000)}", species=rng.choice(species),
                            confidence=rng.choice(["high", "medium", "low"]))
        edge = Edge(subject=subject, predicate=rng.choice(predicates), object=obj, evidence=[evidence],
                    status="contested" if rng.random() < 0.05 else "established")
        edges.setdefault(edge.id, edge)
    return KnowledgeGraph(entities, edges.values())


def _timed(func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return time.perf_counter() - start, result


def main() -> None:
    from kg import named_queries as nq
    from kg.rdf.mapping import graph_triples
    from kg.rdf.sparql import query, query_rdflib
    from kg.rdf.store import open_store, store_path, write_store
    from kg.rdf.terms import rdflib_graph
    from kg.rdf.vocab import vocab

    n_edges = int(os.environ.get("KG_BENCH_EDGES", "100000"))
    t_gen, graph = _timed(generate, n_edges)
    t_map, triples = _timed(lambda: list(graph_triples(graph)))
    print(f"network: {len(graph)} entities, {len(graph.edges)} edges -> {len(triples)} triples "
          f"(generated in {t_gen:.1f} s, mapped to RDF in {t_map:.1f} s)")

    with tempfile.TemporaryDirectory() as tmp:
        import pyoxigraph as ox

        folder = Path(tmp)
        t_nt, nt = _timed(lambda: "".join(_lines(triples)).encode("utf-8"))
        print(f"N-Triples text written once for both engines: {len(nt) / 1e6:.0f} MB in {t_nt:.1f} s (not timed below)")

        def oxigraph_load() -> None:
            store = ox.Store(str(store_path(folder)))
            store.bulk_load(input=nt, format=ox.RdfFormat.N_TRIPLES)
            store.flush()

        t_ox_load, _ = _timed(oxigraph_load)
        t_rdflib_parse, parsed = _timed(_rdflib_parse, nt)
        del parsed
        (folder / "kg-build").mkdir()
        t_build_store, _ = _timed(write_store, graph, folder / "kg-build")
        t_rdflib_load, rdf_graph = _timed(rdflib_graph, triples, vocab().prefixes())
        store = open_store(folder / "kg-build")  # queries run on the store as `kg build` writes it (optimized)
        print("load the same N-Triples bytes:")
        print(f"  oxigraph, on disk, bulk load                 {t_ox_load:7.2f} s")
        print(f"  rdflib, in memory, parse                     {t_rdflib_parse:7.2f} s | ratio "
              f"{t_rdflib_parse / t_ox_load:5.1f}x (goal >= 10x)")
        print("load kg's triples (Python objects), end to end:")
        print(f"  kg build's store writer (N-Triples + bulk load + optimize, on disk) {t_build_store:7.2f} s")
        print(f"  rdflib, in memory, Graph.add per triple (its fastest path)          {t_rdflib_load:7.2f} s | ratio "
              f"{t_rdflib_load / t_build_store:5.1f}x")

        hub = graph.entity(_hub(graph))
        print(f"queries on kg build's store (hub {hub.id}, {len(graph.incident_edges(hub.id))} edges; "
              "oxigraph median of 3 runs):")
        for name, raw in QUERIES:
            q = nq.load(name)
            params = nq.bind(q, {k: hub.id if v == "HUB" else v for k, v in raw.items()}, graph)
            bindings = nq.sparql_bindings(q, params)
            ox_times = []
            for _ in range(3):
                t, ox_rows = _timed(query, store, q.text, bindings)
                ox_times.append(t)
            t_rdflib, rdflib_rows = _timed(query_rdflib, rdf_graph, q.text, bindings)
            same = nq.normalise(q, ox_rows.rows, from_sparql=True) == nq.normalise(q, rdflib_rows.rows,
                                                                                    from_sparql=True)
            t_ox = statistics.median(ox_times)
            print(f"  {name:13s} rows {len(ox_rows.rows):5d} | oxigraph {t_ox * 1000:8.1f} ms | rdflib "
                  f"{t_rdflib * 1000:9.1f} ms | ratio {t_rdflib / t_ox:6.1f}x | same rows: {same}")
        del store


def _hub(graph: KnowledgeGraph) -> str:
    """A well-connected entity, but not the extreme top hub (rank 10 by degree): a typical 'popular gene'."""
    ranked = sorted(graph.entities, key=lambda e: (-len(graph.incident_edges(e.id)), e.id))
    return ranked[min(9, len(ranked) - 1)].id


def _rdflib_parse(nt: bytes):
    from rdflib import Graph

    return Graph().parse(data=nt, format="nt")


def _lines(triples):
    from kg.rdf.terms import ntriples_lines

    return ntriples_lines(triples)


if __name__ == "__main__":
    main()
