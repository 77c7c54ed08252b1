"""KG -> Neo4j -> KG gives back an identical graph (the real server): the curated graph, values that break naive
quoting, generated graphs; and a database edited into an invalid graph is refused with a clear error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from kg.errors import KgError
from kg.graph import KnowledgeGraph
from kg.neo4j.pull import differences, pull
from kg.neo4j.push import push
from tests.test_neo4j_csv import tricky_graph
from tests.test_neo4j_push import open_connection, rich_graph, write
from tests.test_rdf_mapping import graphs

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def conn():
    with open_connection() as c:
        yield c


def test_curated_graph_round_trip(conn, curated_graph):
    push(conn, curated_graph, replace=True)
    back = pull(conn)
    assert back == curated_graph
    assert not any(differences(curated_graph, back).values())


def test_tricky_values_and_nested_records_round_trip(conn):
    for graph in (tricky_graph(), rich_graph()):
        push(conn, graph, replace=True)
        assert pull(conn) == graph


def test_an_empty_database_pulls_an_empty_graph(conn):
    push(conn, KnowledgeGraph(), replace=True)
    assert pull(conn) == KnowledgeGraph()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(graph=graphs())
def test_generated_graphs_round_trip(conn, graph):
    push(conn, graph, replace=True, workers=2, batch_size=3)
    assert pull(conn) == graph


def test_differences_name_what_changed(curated_graph):
    ankh = curated_graph.resolve("ANKH")
    edited = KnowledgeGraph([e.model_copy(update={"label": "ANKH!"}) if e.id == ankh.id else e
                             for e in curated_graph.entities], curated_graph.edges[1:])
    diff = differences(curated_graph, edited)
    assert diff["entities_changed"] == [ankh.id]
    assert diff["edges_missing"] == [curated_graph.edges[0].id]
    assert not diff["entities_missing"] and not diff["edges_extra"]


def test_a_hand_edited_invalid_node_is_refused(conn):
    graph = rich_graph()
    push(conn, graph, replace=True)
    write(conn, "MATCH (n:KgEntity {id: 'CHEBI:15422'}) SET n.category = 'spaceship'")
    with pytest.raises(KgError, match=r"node 'CHEBI:15422' in Neo4j is not a valid kg entity.*spaceship"):
        pull(conn)
    push(conn, graph)  # the push puts it right
    assert pull(conn) == graph


def test_a_relationship_whose_type_contradicts_its_predicate_is_refused(conn):
    graph = rich_graph()
    push(conn, graph, replace=True)
    edge = graph.edges[0]
    write(conn, "MATCH (s)-[r {id: $id}]->(o) CREATE (s)-[c:INHIBITS]->(o) SET c = properties(r) DELETE r",
          id=edge.id)
    with pytest.raises(KgError, match=f"relationship {edge.id} in Neo4j has predicate produces but type INHIBITS"):
        pull(conn)
    push(conn, graph, replace=True)  # the stale INHIBITS copy is kg's (a kg id): --replace removes it
    assert pull(conn) == graph
