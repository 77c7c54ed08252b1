"""Named queries: headers, parameter checking, and parity of every query, networkx vs SPARQL, on the curated graph."""

from __future__ import annotations

import itertools
import random

import pytest

from kg import named_queries as nq
from kg.errors import InputError
from kg.rdf.store import memory_store

REQUIRED = {"interactions", "regulators", "neighbors", "paths", "contested", "citing", "disease_genes"}


@pytest.fixture(scope="module")
def curated_store(curated_graph):
    return memory_store(curated_graph)


def test_the_required_queries_exist_with_headers():
    from kg import query as nxq

    assert set(nq.available()) >= REQUIRED
    for name in nq.available():
        q = nq.load(name)
        assert q.description and q.columns, name
        assert callable(getattr(nxq, name)), f"{name} has no networkx twin in kg/query.py"


def test_header_declares_parameters_with_types():
    paths = nq.load("paths")
    assert {p.name: p.type for p in paths.params.values()} == {
        "source": "entity", "target": "entity", "max_length": "int", "signed": "bool"}
    assert paths.params["max_length"].default == "3" and paths.params["max_length"].maximum == 4
    assert paths.columns["path"] == "list[curie]"


def test_unknown_missing_and_malformed_parameters(tiny_graph):
    with pytest.raises(InputError, match="no parameter centre"):
        nq.run("neighbors", {"centre": "ANKH"}, tiny_graph)
    with pytest.raises(InputError, match="needs --param center="):
        nq.run("neighbors", {}, tiny_graph)
    with pytest.raises(InputError, match=r"outside 1\.\.4"):
        nq.run("neighbors", {"center": "ANKH", "depth": "9"}, tiny_graph)
    with pytest.raises(InputError, match="not true or false"):
        nq.run("paths", {"source": "ANKH", "target": "ATP", "signed": "maybe"}, tiny_graph)
    with pytest.raises(InputError, match="unknown named query"):
        nq.run("../etc/passwd", {}, tiny_graph)
    with pytest.raises(InputError, match="NAME=VALUE"):
        nq.parse_pairs(["of"])


def test_neo4j_engine_missing_is_a_clear_error(tiny_graph, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "kg.neo4j.named", None)  # as if the module were not installed
    with pytest.raises(InputError, match="neo4j engine is not available"):
        nq.run("contested", {}, tiny_graph, engine="neo4j")


def _parity(name, params, graph, store):
    expected = nq.run(name, params, graph)
    got = nq.run(name, params, graph, engine="sparql", store=store)
    assert got == expected, f"{name} {params}"
    return len(expected)


@pytest.mark.parametrize("name,param", [("interactions", "of"), ("regulators", "target"),
                                        ("disease_genes", "disease")])
def test_parity_per_entity(curated_graph, curated_store, name, param):
    kinds = nq.load(name).params[param].kinds  # an entity of another kind is refused (test_wrong_kind_...)
    rows = sum(_parity(name, {param: e.id}, curated_graph, curated_store) for e in curated_graph.entities
               if not kinds or e.category in kinds)
    assert rows > 0


@pytest.mark.parametrize("depth", ["1", "2", "4"])
def test_parity_neighbors(curated_graph, curated_store, depth):
    rows = sum(_parity("neighbors", {"center": e.id, "depth": depth}, curated_graph, curated_store)
               for e in curated_graph.entities)
    assert rows > 0


def test_parity_citing_and_contested(curated_graph, curated_store):
    sources = sorted({ev.source for e in curated_graph.edges for ev in e.evidence}
                     | {ev.source for e in curated_graph.entities for ev in e.evidence})
    assert sum(_parity("citing", {"source": s}, curated_graph, curated_store) for s in sources) > 0
    assert _parity("contested", {}, curated_graph, curated_store) > 0


def test_parity_paths(curated_graph, curated_store):
    ids = [e.id for e in curated_graph.entities]
    pairs = random.Random(7).sample(list(itertools.permutations(ids, 2)), 120)
    pairs.append((curated_graph.resolve("TGFB1").id, curated_graph.resolve("ANKH").id))
    rows = 0
    for (source, target), signed, length in itertools.product(pairs, ("false", "true"), ("3",)):
        rows += _parity("paths", {"source": source, "target": target, "signed": signed, "max_length": length},
                        curated_graph, curated_store)
    rows += _parity("paths", {"source": pairs[-1][0], "target": pairs[-1][1], "max_length": "4"},
                    curated_graph, curated_store)
    assert rows > 0


def test_an_entity_of_the_wrong_kind_is_refused_with_entities_of_the_right_kind(curated_graph):
    """Every entity that is not a disease, given as disease_genes' disease, exits 2 naming what it is."""
    diseases = {e.id for e in curated_graph.by_category("disease")}
    for entity in curated_graph.entities:
        if entity.category == "disease":
            continue
        with pytest.raises(InputError) as info:
            nq.run("disease_genes", {"disease": entity.id}, curated_graph)
        message = str(info.value)
        assert f"is {entity.label} ({entity.id}), a " in message and "expected a disease" in message
        offered = [d for d in diseases if f"({d})" in message]
        assert offered, f"no disease offered for {entity.label}: {message}"


def test_cppd_is_a_process_and_the_disease_named_like_it_is_offered(curated_graph):
    cppd = curated_graph.resolve("CPPD")
    assert cppd.category != "disease"
    familial = curated_graph.resolve("familial CPPD")
    with pytest.raises(InputError, match=rf"a {cppd.category}; expected a disease; .*{familial.label} "
                                         rf"\({familial.id}\)"):
        nq.run("disease_genes", {"disease": "CPPD"}, curated_graph)


def test_a_name_where_a_publication_is_expected_lists_its_publications(curated_graph):
    ankh = curated_graph.resolve("ANKH")
    cited = {ev.source for e in curated_graph.incident_edges(ankh.id) for ev in e.evidence}
    with pytest.raises(InputError, match="expected a publication") as info:
        nq.run("citing", {"source": "ANKH"}, curated_graph)
    assert any(s in str(info.value) for s in cited)


def test_contested_rows_carry_labels_and_rivals(curated_graph):
    from kg.rivals import Claim, is_rival

    rows = nq.run("contested", {}, curated_graph)
    assert rows
    for row in rows:
        edge = curated_graph.edge(row["edge_id"])
        assert row["subject_label"] == curated_graph.entity(edge.subject).label
        assert row["object_label"] == curated_graph.entity(edge.object).label
        assert 0 < row["contested_evidence"] + (row["status"] != "established") <= row["evidence"] + 1
        mine = Claim(edge.id, edge.subject, edge.predicate, edge.object)
        expected = sorted(o.id for o in curated_graph.edges
                          if is_rival(mine, Claim(o.id, o.subject, o.predicate, o.object)))
        assert row["rivals"] == expected
        assert len(row["rival_claims"]) == len(set(row["rival_claims"])) <= len(expected)
    assert any(row["rivals"] for row in rows)  # the literature's rivalries (ANKH exports PPi or ATP) are kept
