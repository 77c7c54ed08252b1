"""Named queries on Neo4j: every queries/NAME.rq has a NAME.cypher using only the parameters NAME.rq declares, and
networkx, SPARQL and Cypher give the same rows on the curated graph (the real server)."""

from __future__ import annotations

import itertools
import random

import pytest

from kg import named_queries as nq
from kg.errors import InputError, KgError
from kg.neo4j import named
from kg.neo4j.push import push
from kg.rdf.store import memory_store
from tests.test_neo4j_push import open_connection


def test_every_named_query_has_a_cypher_form_with_declared_parameters_only():
    assert named.available() == nq.available()
    for name in nq.available():
        named.check(name)
        used = named.parameters(named.cypher_text(name))
        assert used <= set(nq.load(name).params), name
        assert not named.cypher_text(name).lstrip().startswith("// name:"), "the .rq header is the declaration"


def test_parameters_outside_comments_and_strings():
    text = """// uses $not_this in a comment
    MATCH (n {id: $id}) WHERE n.label <> '$nor_this' AND n.x = "$nor \\" $that" /* $nope */
    RETURN n, $`odd name` AS y"""
    assert named.parameters(text) == {"id", "odd name"}


def test_an_undeclared_parameter_is_reported(monkeypatch):
    monkeypatch.setattr(named, "cypher_text", lambda name: "MATCH (n {id: $target, x: $sneaky}) RETURN n")
    with pytest.raises(KgError, match=r"uses \$sneaky, which queries/regulators.rq does not declare"):
        named.check("regulators")


def test_unknown_names_are_input_errors():
    with pytest.raises(InputError, match="no Cypher form"):
        named.cypher_text("../etc/passwd")


# ---- parity on the real server -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def conn(curated_graph):
    with open_connection() as c:
        push(c, curated_graph, replace=True)
        yield c


@pytest.fixture(scope="module")
def curated_store(curated_graph):
    return memory_store(curated_graph)


def _parity(name, raw, graph, store, conn):
    """networkx == sparql == neo4j after normalise; the number of rows."""
    query = nq.load(name)
    expected = nq.run(name, raw, graph)
    sparql = nq.run(name, raw, graph, engine="sparql", store=store)
    cypher = nq.normalise(query, named.run_named(name, nq.bind(query, raw, graph), conn=conn))
    assert sparql == expected, f"sparql {name} {raw}"
    assert cypher == expected, f"neo4j {name} {raw}"
    return len(expected)


@pytest.mark.neo4j
def test_each_query_through_the_engine_option(conn, curated_graph):
    """The path `kg query run NAME --engine neo4j` takes: named_queries.run opens its own connection."""
    ankh = curated_graph.resolve("ANKH").id
    cases = {"interactions": {"of": "ANKH"}, "regulators": {"target": "ANKH"},
             "neighbors": {"center": "PPi", "depth": "2"}, "paths": {"source": "TGFB1", "target": "PPi"},
             "contested": {}, "citing": {"source": curated_graph.edges[0].evidence[0].source},
             "disease_genes": {"disease": next(e.id for e in curated_graph.by_category("disease")
                                               if nq.run("disease_genes", {"disease": e.id}, curated_graph))}}
    assert set(cases) == set(nq.available())
    for name, raw in cases.items():
        rows = nq.run(name, raw, curated_graph, engine="neo4j")
        assert rows == nq.run(name, raw, curated_graph), name
        assert rows, f"{name} {raw} found nothing: a weak check"
    assert any(r["subject"] == ankh or r["object"] == ankh for r in nq.run(
        "interactions", {"of": "ANKH"}, curated_graph, engine="neo4j"))


@pytest.mark.neo4j
@pytest.mark.parametrize("name,param", [("interactions", "of"), ("regulators", "target"),
                                        ("disease_genes", "disease")])
def test_parity_per_entity(conn, curated_graph, curated_store, name, param):
    kinds = nq.load(name).params[param].kinds  # an entity of another kind is refused (test_wrong_kind_...)
    rows = sum(_parity(name, {param: e.id}, curated_graph, curated_store, conn) for e in curated_graph.entities
               if not kinds or e.category in kinds)
    assert rows > 0


@pytest.mark.neo4j
@pytest.mark.parametrize("depth", ["1", "2", "4"])
def test_parity_neighbors(conn, curated_graph, curated_store, depth):
    rows = sum(_parity("neighbors", {"center": e.id, "depth": depth}, curated_graph, curated_store, conn)
               for e in curated_graph.entities)
    assert rows > 0


@pytest.mark.neo4j
def test_parity_citing_and_contested(conn, curated_graph, curated_store):
    sources = sorted({ev.source for e in curated_graph.edges for ev in e.evidence}
                     | {ev.source for e in curated_graph.entities for ev in e.evidence})
    assert sum(_parity("citing", {"source": s}, curated_graph, curated_store, conn) for s in sources) > 0
    assert _parity("citing", {"source": "PMID:1"}, curated_graph, curated_store, conn) == 0  # cited by nothing
    assert _parity("contested", {}, curated_graph, curated_store, conn) > 0


@pytest.mark.neo4j
def test_parity_paths(conn, curated_graph, curated_store):
    ids = [e.id for e in curated_graph.entities]
    pairs = random.Random(7).sample(list(itertools.permutations(ids, 2)), 120)
    tgfb1, ppi = curated_graph.resolve("TGFB1").id, curated_graph.resolve("PPi").id
    pairs += [(tgfb1, curated_graph.resolve("ANKH").id), (tgfb1, ppi)]
    rows = 0
    for (source, target), signed in itertools.product(pairs, ("false", "true")):
        rows += _parity("paths", {"source": source, "target": target, "signed": signed, "max_length": "3"},
                        curated_graph, curated_store, conn)
    for length in ("1", "2", "4"):
        rows += _parity("paths", {"source": tgfb1, "target": ppi, "max_length": length}, curated_graph,
                        curated_store, conn)
    assert _parity("paths", {"source": tgfb1, "target": ppi, "max_length": "4"}, curated_graph, curated_store,
                   conn) > 0
    assert rows > 0


@pytest.mark.neo4j
def test_run_named_checks_its_parameters(conn):
    with pytest.raises(InputError, match="needs parameter target"):
        named.run_named("regulators", {}, conn=conn)
