"""kg neo4j push, against the real Neo4j server: constraints, counts, idempotence, schema labels and types, and
--replace, which removes kg's stale data and nothing else.

`open_connection()` is the helper every Neo4j test module uses: it skips locally (fails in CI) without a server,
and the module fixtures built on it delete what kg wrote when the module ends.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from kg.graph import KnowledgeGraph
from kg.models import Edge, Entity, Evidence, Kinetics, Parameter
from kg.neo4j.connection import Connection, Settings, connect, records
from kg.neo4j.mapping import MARKER_LABEL, all_relationship_types, node_label, relationship_type
from kg.neo4j.push import constraint_statements, counts, delete_kg_data, push
from tests.conftest import require

pytestmark = pytest.mark.neo4j
NO_SERVER = "no Neo4j server: set NEO4J_URI or run make test"


@contextmanager
def open_connection() -> Iterator[Connection]:
    """A connection to the test server; on exit everything kg wrote is deleted."""
    require(bool(os.environ.get("NEO4J_URI")), NO_SERVER)
    with connect(Settings.from_env()) as conn:
        try:
            yield conn
        finally:
            delete_kg_data(conn)


@pytest.fixture(scope="module")
def conn():
    with open_connection() as c:
        yield c


def query(conn: Connection, text: str, **params):
    return conn.read(records, text, params)


def write(conn: Connection, text: str, **params):
    return conn.write(records, text, params)


def rich_graph() -> KnowledgeGraph:
    """A small graph whose edge has two evidence records, kinetics and qualifiers; a variant with effects."""
    ents = [
        Entity(id="HGNC:3356", category="gene_or_protein", label="ENPP1", symbol="ENPP1", synonyms=["PC-1", "NPPS"],
               compartments=["plasma_membrane"], evidence=[Evidence(source="PMID:1", statement="x")]),
        Entity(id="CHEBI:15422", category="small_molecule", label="ATP"),
        Entity(id="CHEBI:29888", category="small_molecule", label="PPi",
               parameters={"baseline": Parameter(value=2.5, unit="µM", source="PMID:2")}),
    ]
    edge = Edge(subject="HGNC:3356", predicate="produces", object="CHEBI:29888", substrates=["CHEBI:15422"],
                products=["CHEBI:29888"], status="contested", claim="ENPP1 makes most extracellular PPi",
                kinetics=Kinetics(rate_law="michaelis_menten",
                                  parameters={"Km": Parameter(value=0.05, unit="mM", basis="fitted", note="fit")}),
                evidence=[Evidence(source="PMID:3", species="human", status="contested"),
                          Evidence(source="DOI:10.1000/x", confidence="high")])
    return KnowledgeGraph(ents, [edge])


def test_constraints_exist_after_push(conn, tiny_graph):
    push(conn, tiny_graph, replace=True)
    rows = query(conn, "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties")
    found = {r["name"]: r for r in rows}
    assert found["kg_entity_id"]["type"] == "UNIQUENESS"
    assert found["kg_entity_id"]["labelsOrTypes"] == [MARKER_LABEL] and found["kg_entity_id"]["properties"] == ["id"]
    for rtype in all_relationship_types():
        row = found[f"kg_{rtype.lower()}_id"]
        assert row["type"] == "RELATIONSHIP_UNIQUENESS" and row["labelsOrTypes"] == [rtype]
    assert len(constraint_statements()) == 1 + len(all_relationship_types())
    assert all("IF NOT EXISTS" in s for s in constraint_statements())


def test_counts_equal_the_graph_and_pushing_twice_changes_nothing(conn, curated_graph):
    first = push(conn, curated_graph, replace=True)
    expected = {"nodes": len(curated_graph), "relationships": len(curated_graph.edges)}
    assert counts(conn) == expected
    second = push(conn, curated_graph)
    assert (second.nodes_created, second.relationships_created) == (0, 0)
    assert counts(conn) == expected
    third = push(conn, curated_graph, workers=1, batch_size=7)  # small batches, one at a time: same result
    assert (third.nodes_created, third.relationships_created, third.nodes_deleted) == (0, 0, 0)
    assert counts(conn) == expected
    assert first.nodes == len(curated_graph) and first.relationships == len(curated_graph.edges)


def test_labels_and_relationship_types_come_from_the_schema(conn, curated_graph):
    push(conn, curated_graph, replace=True)
    rows = query(conn, "MATCH (n:KgEntity) RETURN n.id AS id, labels(n) AS labels")
    labels = {r["id"]: set(r["labels"]) for r in rows}
    assert labels == {e.id: {MARKER_LABEL, node_label(e.category)} for e in curated_graph.entities}
    types = {r["id"]: (r["type"], r["s"], r["o"]) for r in query(
        conn, "MATCH (s:KgEntity)-[r]->(o:KgEntity) RETURN r.id AS id, type(r) AS type, s.id AS s, o.id AS o")}
    assert types == {e.id: (relationship_type(e.predicate), e.subject, e.object) for e in curated_graph.edges}


def test_every_property_is_stored_evidence_included(conn):
    graph = rich_graph()
    push(conn, graph, replace=True)
    edge = graph.edges[0]
    props = query(conn, "MATCH ()-[r {id: $id}]->() RETURN properties(r) AS p", id=edge.id)[0]["p"]
    import json

    assert json.loads(props["evidence_json"]) == [ev.dump() for ev in edge.evidence]
    assert json.loads(props["kinetics_json"]) == edge.kinetics.dump()
    assert props["substrates"] == ["CHEBI:15422"] and props["claim"] == edge.claim
    assert props["evidence_sources"] == ["PMID:3", "DOI:10.1000/x"] and props["evidence_count"] == 2
    assert props["evidence_statuses"] == ["contested", "established"] and props["symmetric"] is False
    node = query(conn, "MATCH (n:KgEntity {id: 'CHEBI:29888'}) RETURN properties(n) AS p")[0]["p"]
    assert json.loads(node["parameters_json"])["baseline"]["value"] == 2.5
    assert "synonyms" not in node  # empty fields are absent, not empty lists


def test_a_changed_category_moves_the_node_to_its_new_label(conn):
    graph = rich_graph()
    push(conn, graph, replace=True)
    ppi = graph.entity("CHEBI:29888").model_copy(update={"category": "mineral"})
    changed = KnowledgeGraph([e if e.id != ppi.id else ppi for e in graph.entities], graph.edges)
    push(conn, changed)
    labels = query(conn, "MATCH (n:KgEntity {id: 'CHEBI:29888'}) RETURN labels(n) AS l")[0]["l"]
    assert set(labels) == {MARKER_LABEL, node_label("mineral")}


def test_replace_removes_kg_data_and_nothing_else(conn, curated_graph, tiny_graph):
    push(conn, curated_graph, replace=True)
    ankh, ppi = curated_graph.resolve("ANKH").id, curated_graph.resolve("PPi").id
    # someone else's data: two nodes of their own with a relationship, and a note between two kg nodes
    write(conn, "CREATE (:LabNode {name: 'mine'})-[:LAB_LINK {id: 'KG:edge.lookalike'}]->(:LabNode {name: 'also'})")
    write(conn, "MATCH (a:KgEntity {id: $a}), (b:KgEntity {id: $b}) CREATE (a)-[:LAB_NOTE {note: 'seen'}]->(b)",
          a=ankh, b=ppi)
    try:
        keep = {ankh, ppi, curated_graph.resolve("ENPP1").id, curated_graph.resolve("ATP").id}
        smaller = curated_graph.subgraph(keep)
        result = push(conn, smaller, replace=True)
        assert counts(conn) == {"nodes": len(smaller), "relationships": len(smaller.edges)}
        assert result.nodes_deleted == len(curated_graph) - len(smaller)
        assert result.relationships_deleted >= len(curated_graph.edges) - len(smaller.edges)
        foreign = query(conn, "MATCH (a:LabNode)-[r:LAB_LINK]->(b:LabNode) RETURN a.name AS a, b.name AS b")
        assert foreign == [{"a": "mine", "b": "also"}]
        note = query(conn, "MATCH (:KgEntity {id: $a})-[r:LAB_NOTE]->(:KgEntity {id: $b}) RETURN r.note AS n",
                     a=ankh, b=ppi)
        assert note == [{"n": "seen"}]
        assert query(conn, "MATCH (n:KgEntity) WHERE NOT n.id IN $keep RETURN count(n) AS c", keep=list(keep)) == [
            {"c": 0}]
        delete_kg_data(conn)
        assert counts(conn) == {"nodes": 0, "relationships": 0}
        assert query(conn, "MATCH (n:LabNode) RETURN count(n) AS c") == [{"c": 2}]
    finally:
        write(conn, "MATCH (n:LabNode) DETACH DELETE n")
        write(conn, "MATCH ()-[r:LAB_NOTE]->() DELETE r")
    assert query(conn, "MATCH (n:LabNode) RETURN count(n) AS c") == [{"c": 0}]


def test_parallel_and_sequential_pushes_write_the_same_graph(conn):
    from kg.neo4j.pull import pull

    graph = rich_graph()
    push(conn, graph, replace=True, workers=4, batch_size=1)
    parallel = pull(conn)
    delete_kg_data(conn)
    push(conn, graph, workers=1)
    assert pull(conn) == parallel == graph
