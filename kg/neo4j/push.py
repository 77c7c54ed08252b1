"""Loading a KnowledgeGraph into Neo4j: constraints first, then nodes, then relationships, idempotently.

Rows go in batches (`UNWIND $rows`), each batch one managed (retried) write transaction, `workers` of them at a
time. Nodes are MERGEd on the entity id. A relationship batch asks which of its edge ids exist, updates those and
CREATEs the others, in the same transaction: MERGE would lock both end nodes while it runs, so parallel batches
sharing a hub would queue or deadlock (measured: no gain from parallel MERGE), while CREATE locks at commit in a
fixed order. The uniqueness constraints keep one node per entity id and one relationship per edge id, so pushing
twice leaves identical counts and a retried batch does no harm; if another writer creates some ids meanwhile,
the batch is redone with MERGE. Each row is a list of values in the fixed key order of `mapping.entity_keys()` /
`edge_keys()`, and each key is set explicitly (a missing value removes the property). Labels and relationship
types come from the schema (checked, back-quoted); every value travels as a driver parameter.

`replace=True` makes kg's part of the database exactly the graph: after loading, the kg nodes and relationships
(marker label `KgEntity`, relationship ids `KG:edge.*` between them) that are not in the graph are deleted.
Nodes and relationships kg did not write are never touched, not even those attached to kg nodes that stay (a
relationship of someone else's attached to a kg node that goes away goes with it: Neo4j has no dangling ends).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from functools import cache
from typing import Any

from kg.errors import KgError
from kg.graph import KnowledgeGraph
from kg.models import Edge, Entity
from kg.neo4j import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS
from kg.neo4j.connection import Connection, consume, records
from kg.neo4j.mapping import (
    EDGE_ID_PREFIX,
    MARKER_LABEL,
    all_labels,
    all_relationship_types,
    edge_keys,
    edge_properties,
    entity_keys,
    entity_properties,
    node_label,
    quoted,
    relationship_type,
)

Progress = Callable[[str, int], None]  # (what: "nodes" | "relationships", rows done)


@dataclass
class PushResult:
    nodes: int
    relationships: int
    nodes_created: int
    relationships_created: int
    nodes_deleted: int
    relationships_deleted: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def constraint_statements() -> list[str]:
    """Uniqueness constraints (Neo4j 5 syntax): entity id on the marker label, edge id per relationship type."""
    stmts = [f"CREATE CONSTRAINT kg_entity_id IF NOT EXISTS FOR (n:{quoted(MARKER_LABEL)}) REQUIRE n.id IS UNIQUE"]
    for rtype in all_relationship_types():
        stmts.append(f"CREATE CONSTRAINT kg_{rtype.lower()}_id IF NOT EXISTS "
                     f"FOR ()-[r:{quoted(rtype)}]-() REQUIRE r.id IS UNIQUE")
    return stmts


def ensure_constraints(conn: Connection) -> None:
    for stmt in constraint_statements():
        conn.write(consume, stmt)


def _sets(var: str, keys: Sequence[str], first: int) -> str:
    return ", ".join(f"{var}.{quoted(key)} = row[{first + i}]" for i, key in enumerate(keys))


def node_statement(label: str) -> str:
    """MERGE kg nodes of one label by id; set every property; the category label is the only schema label."""
    keys = entity_keys()
    others = [lab for lab in all_labels() if lab != label]
    remove = f" REMOVE n:{':'.join(quoted(o) for o in others)}" if others else ""
    return (f"UNWIND $rows AS row MERGE (n:{quoted(MARKER_LABEL)} {{id: row[0]}}) SET {_sets('n', keys[1:], 1)} "
            f"SET n:{quoted(label)}{remove}")


def relationship_statement(rtype: str, verb: str = "MERGE") -> str:
    """MERGE (or CREATE) kg relationships of one type by id between their end nodes (rows: id, subject, object,
    values...)."""
    marker = quoted(MARKER_LABEL)
    return (f"UNWIND $rows AS row MATCH (s:{marker} {{id: row[1]}}) MATCH (o:{marker} {{id: row[2]}}) "
            f"{verb} (s)-[r:{quoted(rtype)} {{id: row[0]}}]->(o) SET {_sets('r', edge_keys()[1:], 3)}")


@dataclass(frozen=True)
class _RelationshipStatements:
    existing: str
    create: str
    update: str
    merge: str


@cache
def _relationship_statements(rtype: str) -> _RelationshipStatements:
    rel = f"()-[r:{quoted(rtype)} {{id: row[0]}}]->()"
    return _RelationshipStatements(
        existing=f"UNWIND $ids AS id MATCH ()-[r:{quoted(rtype)} {{id: id}}]->() RETURN r.id AS id",
        create=relationship_statement(rtype, "CREATE"),
        update=f"UNWIND $rows AS row MATCH {rel} SET {_sets('r', edge_keys()[1:], 3)}",
        merge=relationship_statement(rtype))


def _relationship_batch(tx: Any, rtype: str, edges: Sequence[Edge]) -> int:
    """One batch in one transaction: the ids already there are updated, the others created.

    CREATE rather than MERGE: MERGE locks both end nodes while it runs, so concurrent batches that share a hub
    wait for each other or deadlock, whereas CREATE takes its locks at commit, in order. The uniqueness constraint
    still guarantees one relationship per id, and a retried transaction checks again which ids exist.
    """
    stmts = _relationship_statements(rtype)
    existing = {rec["id"] for rec in tx.run(stmts.existing, ids=[edge.id for edge in edges])}
    new = [relationship_row(e) for e in edges if e.id not in existing]
    old = [relationship_row(e) for e in edges if e.id in existing]
    created = 0
    if new:
        created = tx.run(stmts.create, rows=new).consume().counters.relationships_created
        if created != len(new):
            raise KgError(f"{len(new) - created} {rtype} relationships were not created: an end node is missing "
                          "(was a kg node deleted during the push?)")
    if old:
        tx.run(stmts.update, rows=old).consume()
    return created


def _merge_relationship_batch(tx: Any, rtype: str, edges: Sequence[Edge]) -> int:
    rows = [relationship_row(edge) for edge in edges]
    return tx.run(_relationship_statements(rtype).merge, rows=rows).consume().counters.relationships_created


def _write_relationships(conn: Connection, rtype: str, edges: Sequence[Edge]) -> int:
    """One batch of edges of one type (rows are built here, in the worker, while other batches are on the
    server)."""
    from neo4j.exceptions import ConstraintError

    try:
        return conn.write(_relationship_batch, rtype, edges)
    except ConstraintError:  # another writer created some of these ids meanwhile: MERGE the batch instead
        return conn.write(_merge_relationship_batch, rtype, edges)


def _write_nodes(conn: Connection, label: str, entities: Sequence[Entity]) -> int:
    rows = [node_row(entity) for entity in entities]
    return conn.write(consume, node_statement(label), {"rows": rows}).nodes_created


def node_row(entity: Entity) -> list[Any]:
    """The values of `entity_keys()` for one entity."""
    props = entity_properties(entity)
    return [props.get(k) for k in entity_keys()]


def relationship_row(edge: Edge) -> list[Any]:
    """id, subject, object, then the values of `edge_keys()[1:]` for one edge."""
    props = edge_properties(edge)
    return [edge.id, edge.subject, edge.object, *(props.get(k) for k in edge_keys()[1:])]


def _grouped(records: Sequence[Any], key: Callable[[Any], str]) -> dict[str, list[Any]]:
    """Records grouped by label or relationship type (one statement each: neither can be a parameter)."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for record in records:
        groups[key(record)].append(record)
    return dict(sorted(groups.items()))


def _chunks(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _kg_relationships(conn: Connection) -> list[tuple[str, str, str]]:
    """(element id, type, id) of every kg relationship (collected server-side: one record per type is far
    cheaper for the driver than one record per relationship)."""
    marker = quoted(MARKER_LABEL)
    rows = conn.read(records, f"MATCH (:{marker})-[r]->(:{marker}) WHERE r.id STARTS WITH $prefix "
                              "RETURN type(r) AS type, collect(elementId(r)) AS elements, collect(r.id) AS ids",
                     {"prefix": EDGE_ID_PREFIX})
    return [(element, row["type"], rid) for row in rows for element, rid in zip(row["elements"], row["ids"],
                                                                               strict=True)]


def _kg_nodes(conn: Connection) -> list[tuple[str, str]]:
    rows = conn.read(records, f"MATCH (n:{quoted(MARKER_LABEL)}) "
                              "RETURN collect(elementId(n)) AS elements, collect(n.id) AS ids")
    return [pair for row in rows for pair in zip(row["elements"], row["ids"], strict=True)]


def _delete(conn: Connection, elements: list[str], statement: str, batch_size: int) -> tuple[int, int]:
    nodes = rels = 0
    for chunk in _chunks(elements, batch_size):
        counters = conn.write(consume, statement, {"ids": list(chunk)})
        nodes += counters.nodes_deleted
        rels += counters.relationships_deleted
    return nodes, rels


def delete_stale(conn: Connection, graph: KnowledgeGraph, batch_size: int = DEFAULT_BATCH_SIZE) -> tuple[int, int]:
    """Delete kg's nodes and relationships that are not in `graph` (by id, and by type for relationships)."""
    wanted_rels = {(relationship_type(e.predicate), e.id) for e in graph.edges}
    stale_rels = [element for element, rtype, rid in _kg_relationships(conn) if (rtype, rid) not in wanted_rels]
    _, rels = _delete(conn, stale_rels, "UNWIND $ids AS e MATCH ()-[r]->() WHERE elementId(r) = e DELETE r",
                      batch_size)
    stale_nodes = [element for element, nid in _kg_nodes(conn) if nid not in graph]
    nodes, more = _delete(conn, stale_nodes, "UNWIND $ids AS e MATCH (n) WHERE elementId(n) = e DETACH DELETE n",
                          batch_size)
    return nodes, rels + more


def delete_kg_data(conn: Connection, batch_size: int = DEFAULT_BATCH_SIZE) -> tuple[int, int]:
    """Remove everything kg put there (as `push --replace` of an empty graph would), and nothing else."""
    return delete_stale(conn, KnowledgeGraph(), batch_size)


def _run_batches(conn: Connection, write: Callable[[Connection, str, Sequence[Any]], int],
                 groups: dict[str, list[Any]], batch_size: int, workers: int, what: str,
                 progress: Progress | None) -> int:
    """Write every group in batches (one transaction each), `workers` at a time; the number created."""
    jobs = [(key, chunk) for key, rows in groups.items() for chunk in _chunks(rows, batch_size)]
    total = 0
    if workers <= 1:
        for key, chunk in jobs:
            total += write(conn, key, chunk)
            if progress:
                progress(what, len(chunk))
        return total
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kg-neo4j")
    try:
        futures = {pool.submit(write, conn, key, chunk): len(chunk) for key, chunk in jobs}
        for future in as_completed(futures):
            total += future.result()
            if progress:
                progress(what, futures[future])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return total


def push(conn: Connection, graph: KnowledgeGraph, *, batch_size: int = DEFAULT_BATCH_SIZE, replace: bool = False,
         workers: int = DEFAULT_WORKERS, progress: Progress | None = None) -> PushResult:
    """Constraints, then nodes, then relationships (then, if `replace`, kg's stale data deleted).

    `workers` transactions run at once (each batch is one); 1 writes the batches one after another.
    """
    if batch_size < 1 or workers < 1:
        raise ValueError("batch size and workers must be at least 1")
    start = time.perf_counter()
    ensure_constraints(conn)
    nodes = _grouped(graph.entities, lambda entity: node_label(entity.category))
    created_nodes = _run_batches(conn, _write_nodes, nodes, batch_size, workers, "nodes", progress)
    relationships = _grouped(graph.edges, lambda edge: relationship_type(edge.predicate))
    created_rels = _run_batches(conn, _write_relationships, relationships, batch_size, workers, "relationships",
                                progress)
    deleted_nodes, deleted_rels = delete_stale(conn, graph, batch_size) if replace else (0, 0)
    return PushResult(len(graph), len(graph.edges), created_nodes, created_rels, deleted_nodes, deleted_rels,
                      time.perf_counter() - start)


def counts(conn: Connection) -> dict[str, int]:
    """Nodes and relationships kg owns in the database (what push wrote)."""
    marker = quoted(MARKER_LABEL)

    def work(tx: Any) -> dict[str, int]:
        nodes = tx.run(f"MATCH (n:{marker}) RETURN count(n) AS c").single()["c"]
        rels = tx.run(f"MATCH (:{marker})-[r]->(:{marker}) WHERE r.id STARTS WITH $prefix RETURN count(r) AS c",
                      prefix=EDGE_ID_PREFIX).single()["c"]
        return {"nodes": nodes, "relationships": rels}

    return conn.read(work)
