"""The RDF view as the field's tools query it: typed publications, kg's infores, NCBI Gene IRIs (WikiPathways'
form) that find kg's genes, no `urn:` IRIs, and every IRI under a declared namespace."""

from __future__ import annotations

import pytest

from kg.curie import expand
from kg.rdf.mapping import graph_triples
from kg.rdf.sparql import query
from kg.rdf.store import memory_store
from kg.rdf.terms import Lit
from kg.rdf.vocab import curie, vocab
from kg.schema import load_schema


@pytest.fixture(scope="module")
def store(curated_graph):
    return memory_store(curated_graph)


def _sources(graph) -> set[str]:
    found = set()
    for record in [*graph.entities, *graph.edges]:
        found.update(ev.source for ev in record.evidence)
        params = {**getattr(record, "parameters", {}), **(record.kinetics.parameters
                                                           if getattr(record, "kinetics", None) else {})}
        found.update(p.source for p in params.values() if p.source)
    return found


def test_every_publication_is_typed(store, curated_graph):
    rows = query(store, "SELECT ?p WHERE { ?p a biolink:Publication }").rows
    assert {r["p"] for r in rows} == {expand(s) for s in _sources(curated_graph)}


def test_a_query_by_the_ncbi_gene_iri_finds_the_gene(store, curated_graph):
    genes = [(e.id, x) for e in curated_graph.entities for x in e.xrefs if x.startswith("NCBIGene:")]
    assert ("HGNC:15492", "NCBIGene:56172") in genes
    for entity_id, xref in genes:
        iri = f"https://identifiers.org/ncbigene/{xref.split(':')[1]}"
        rows = query(store, f"SELECT ?g WHERE {{ ?g owl:sameAs <{iri}> }}").rows
        assert [r["g"] for r in rows] == [expand(entity_id)]


def test_every_association_names_kgs_infores_as_primary_source(store, curated_graph):
    source = load_schema().biolink.knowledge_source["id"]
    rows = query(store, "SELECT ?a ?s WHERE { ?a a biolink:Association ; biolink:primary_knowledge_source ?s }").rows
    assert len(rows) == len(curated_graph.edges) and {r["s"] for r in rows} == {expand(source)}
    typed = query(store, f"ASK {{ <{expand(source)}> a biolink:InformationResource ; rdfs:label ?l }}")
    assert typed.boolean


def test_every_iri_is_under_a_declared_namespace(curated_graph):
    namespaces = tuple(vocab().prefixes().values())
    for s, p, o in graph_triples(curated_graph):
        for term in (s, p, o):
            if isinstance(term, Lit):
                continue
            assert not term.startswith("urn:"), term
            assert term.startswith(namespaces) or term.startswith("http://www.w3.org/"), term
        if not isinstance(o, Lit) and o.startswith(tuple(p.uri_prefix for p in load_schema().prefixes.values())):
            assert expand(curie(o)) == o
