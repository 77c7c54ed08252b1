"""SPARQL on the real Oxigraph store: read-only unless asked, parameters bound as terms, the build's store."""

from __future__ import annotations

import pytest

from kg import named_queries as nq
from kg.errors import InputError, ResolveError
from kg.rdf.sparql import is_update, query
from kg.rdf.store import graph_from_store, memory_store, open_store, rdflib_graph, store_path, write_store
from kg.rdf.terms import Lit

LABEL_QUERY = "SELECT ?name ?s WHERE { ?s rdfs:label ?name }"


@pytest.mark.parametrize("text", ["DELETE WHERE { ?s ?p ?o }", "insert data { <urn:a> <urn:b> <urn:c> }",
                                  "PREFIX x: <urn:x:>\n# a comment\nCLEAR ALL", "  DROP ALL"])
def test_updates_are_recognised_and_refused_without_write(tiny_graph, text):
    store = memory_store(tiny_graph)
    before = len(store)
    assert is_update(text)
    with pytest.raises(InputError, match="--write"):
        query(store, text)
    assert len(store) == before


def test_a_query_mentioning_update_words_is_not_an_update():
    assert not is_update('SELECT ?s WHERE { ?s rdfs:label "DELETE ALL" }')
    assert not is_update("PREFIX drop: <urn:x:> ASK { ?s drop:x ?o }")


def test_update_runs_with_write(tiny_graph):
    store = memory_store(tiny_graph)
    query(store, "DELETE WHERE { ?s rdfs:label ?l }", write=True)
    assert query(store, LABEL_QUERY).rows == []


def test_string_parameter_is_one_literal_not_query_text(tiny_graph):
    store = memory_store(tiny_graph)
    rows = query(store, LABEL_QUERY, {"name": Lit("ANKH")}).rows
    assert [r["s"] for r in rows] == ["https://identifiers.org/hgnc:15492"]
    hostile = 'ANKH" } UNION { ?s ?p ?o } #'
    assert query(store, LABEL_QUERY, {"name": Lit(hostile)}).rows == []


def test_hostile_curie_parameter_cannot_change_a_named_query(tiny_graph):
    store = memory_store(tiny_graph)
    hostile = "DOI:10.1038/ng1221>}UNION{?id?p?o}#"  # a well-formed DOI CURIE that looks like SPARQL
    assert nq.run("citing", {"source": hostile}, tiny_graph, engine="sparql", store=store) == []
    assert nq.run("citing", {"source": hostile}, tiny_graph) == []
    genuine = nq.run("citing", {"source": "DOI:10.1038/ng1221"}, tiny_graph, engine="sparql", store=store)
    assert len(genuine) == 2


def test_hostile_values_are_rejected_by_type(tiny_graph):
    with pytest.raises(InputError, match="PMID pattern"):
        nq.run("citing", {"source": "PMID:1> } UNION { ?s ?p ?o } #"}, tiny_graph, engine="sparql")
    with pytest.raises(ResolveError):
        nq.run("interactions", {"of": "ANKH> } UNION { ?s ?p ?o } #"}, tiny_graph, engine="sparql")
    with pytest.raises(InputError, match="not an integer"):
        nq.run("neighbors", {"center": "ANKH", "depth": "1 } UNION { ?s ?p ?o }"}, tiny_graph, engine="sparql")


def test_build_writes_the_store_and_it_reads_back(tmp_path):
    import kg.build

    manifest = kg.build.build(None, tmp_path)
    assert store_path(tmp_path).is_dir() and "rdf.oxigraph" in manifest["files"]
    store = open_store(tmp_path)
    assert graph_from_store(store) == kg.build.load_graph(tmp_path, rebuild=False)
    with pytest.raises(RuntimeError, match="read-write"):  # opened read-only: the storage refuses writes
        store.update("DELETE WHERE { ?s ?p ?o }")
    g = rdflib_graph(tmp_path)  # the rdflib API over the same store (oxrdflib), read-only too
    assert len(g) == len(store) > 0
    label = g.value(g.namespace_manager.expand_curie("HGNC:15492"), g.namespace_manager.expand_curie("rdfs:label"))
    assert str(label) == "ANKH"


def test_write_store_writes_only_into_the_given_folder(tmp_path, tiny_graph):
    names = write_store(tiny_graph, tmp_path)
    assert names == ["rdf.oxigraph"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert graph_from_store(open_store(tmp_path)) == tiny_graph
