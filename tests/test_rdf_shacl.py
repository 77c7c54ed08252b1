"""SHACL: the RDF view conforms to schema/shapes.ttl, and a broken graph is caught with a readable report."""

from __future__ import annotations

import rdflib

from kg.rdf.mapping import graph_triples
from kg.rdf.shacl import validate
from kg.rdf.terms import rdflib_graph
from kg.rdf.vocab import iri, term


def test_curated_graph_conforms(curated_graph):
    conforms, report = validate(curated_graph)
    assert conforms, report


def test_broken_graph_is_caught_with_a_readable_report(tiny_graph):
    g = rdflib_graph(graph_triples(tiny_graph))
    ankh = rdflib.URIRef(iri("HGNC:15492"))
    edge = tiny_graph.edges[0]
    node = rdflib.URIRef(iri(edge.id))
    g.remove((ankh, rdflib.RDFS.label, None))                                           # entity without label
    g.set((node, rdflib.URIRef(term("kgv:sign")), rdflib.Literal("sideways")))         # sign not in the schema
    g.set((node, rdflib.URIRef(term("biolink:object")), rdflib.URIRef(iri("KG:ghost"))))  # dangling object
    conforms, report = validate(g)
    assert not conforms
    lines = report.splitlines()
    assert lines[0] == "4 SHACL violation(s):"  # the dangling object is reported on the edge and on itself
    assert any(line.strip().startswith("HGNC:15492: rdfs:label") and "Less than 1" in line for line in lines)
    assert any(f"{edge.id}: kgv:sign = \"sideways\"" in line for line in lines)
    assert any(f"{edge.id}: biolink:object = KG:ghost" in line for line in lines)
    assert any("KG:ghost: kgv:category" in line and "does not define" in line for line in lines)


def test_evidence_must_cite_a_publication(tiny_graph):
    g = rdflib_graph(graph_triples(tiny_graph))
    source = rdflib.URIRef(term("dcterms:source"))
    evidence_node, _, _ = next(iter(g.triples((None, source, None))))
    g.set((evidence_node, source, rdflib.URIRef("https://example.org/blog-post")))
    conforms, report = validate(g)
    assert not conforms
    assert "dcterms:source = <https://example.org/blog-post>" in report
