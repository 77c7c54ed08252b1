"""Reading kg's nodes and relationships back from Neo4j into a KnowledgeGraph (the inverse of push).

Only what kg owns is read: `KgEntity` nodes and the relationships between them whose id is a kg edge id. Every
record is validated as strictly as a source file, so a database edited by hand cannot smuggle in a bad graph: a
node must carry its category's label and a relationship the type of its predicate. Properties kg does not know
(added by someone else) are ignored. Records are collected server-side (one record per relationship type), which
is far cheaper for the Python driver than one record per relationship.
"""

from __future__ import annotations

from typing import Any

from kg.errors import KgError
from kg.graph import KnowledgeGraph
from kg.models import Edge, Entity
from kg.neo4j.connection import Connection, records
from kg.neo4j.mapping import (
    EDGE_ID_PREFIX,
    MARKER_LABEL,
    edge_from_properties,
    entity_from_properties,
    node_label,
    quoted,
    relationship_type,
)


def _entity(props: dict[str, Any], labels: list[str]) -> Entity:
    from pydantic import ValidationError

    try:
        entity = entity_from_properties(props)
    except ValidationError as exc:
        raise KgError(f"node {props.get('id')!r} in Neo4j is not a valid kg entity: {_brief(exc)}") from None
    if node_label(entity.category) not in labels:
        raise KgError(f"node {entity.id} in Neo4j has category {entity.category} but not its label "
                      f"{node_label(entity.category)} (labels: {', '.join(sorted(labels))})")
    return entity


def _edge(props: dict[str, Any], subject: str, obj: str, rtype: str) -> Edge:
    from pydantic import ValidationError

    try:
        edge = edge_from_properties(props, subject, obj)
    except ValidationError as exc:
        raise KgError(f"relationship {props.get('id')!r} in Neo4j is not a valid kg edge: {_brief(exc)}") from None
    if relationship_type(edge.predicate) != rtype:
        raise KgError(f"relationship {edge.id} in Neo4j has predicate {edge.predicate} but type {rtype} "
                      f"(expected {relationship_type(edge.predicate)})")
    return edge


def _brief(exc: Exception) -> str:
    return " ".join(str(exc).split())


def pull(conn: Connection) -> KnowledgeGraph:
    """The graph kg wrote into the database, validated."""
    from kg.bulk import paused_gc

    marker = quoted(MARKER_LABEL)
    nodes = conn.read(records, f"MATCH (n:{marker}) RETURN collect([properties(n), labels(n)]) AS nodes")
    rels = conn.read(records, f"MATCH (s:{marker})-[r]->(o:{marker}) WHERE r.id STARTS WITH $prefix "
                              "RETURN type(r) AS type, collect([properties(r), s.id, o.id]) AS rels",
                     {"prefix": EDGE_ID_PREFIX})
    with paused_gc():
        entities = [_entity(props, labels) for row in nodes for props, labels in row["nodes"]]
        edges = [_edge(props, s, o, row["type"]) for row in rels for props, s, o in row["rels"]]
        try:
            return KnowledgeGraph(entities, edges)
        except ValueError as exc:
            raise KgError(f"the kg data in Neo4j is not a consistent graph: {exc}") from None


def differences(expected: KnowledgeGraph, got: KnowledgeGraph) -> dict[str, list[str]]:
    """Ids of entities and edges only in `expected`, only in `got`, or in both but different (empty lists when
    the graphs are equal)."""
    out: dict[str, list[str]] = {}
    for kind, left, right in (("entities", expected.entities, got.entities), ("edges", expected.edges, got.edges)):
        a = {r.id: r.dump() for r in left}
        b = {r.id: r.dump() for r in right}
        out[f"{kind}_missing"] = sorted(set(a) - set(b))
        out[f"{kind}_extra"] = sorted(set(b) - set(a))
        out[f"{kind}_changed"] = sorted(k for k in set(a) & set(b) if a[k] != b[k])
    return out
