"""KG -> RDF -> KG gives back an identical graph: on hand-built graphs, the curated graph, and generated graphs."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.graph import KnowledgeGraph
from kg.models import GENE_FEATURE_CATEGORIES, Edge, Entity, Evidence, Kinetics, Parameter, VariantEffect
from kg.rdf.generate import MODELS
from kg.rdf.mapping import graph_triples
from kg.rdf.reverse import graph_from_triples
from kg.rdf.store import graph_from_store, memory_store
from kg.rdf.terms import RDF_TYPE, Lit, ntriples_lines, rdflib_graph, triples_from_rdflib
from kg.rdf.vocab import curie, iri, term, vocab
from kg.schema import load_schema


def test_every_model_field_has_an_rdf_property():
    declared = vocab().records
    for kind, model in MODELS.items():
        missing = set(model.model_fields) - set(declared[kind]) - {"id"}
        assert not missing, f"{kind}: no property in schema/rdf.yaml for {missing}"


@pytest.mark.parametrize("value", ["HGNC:15492", "KG:edge.0123abcd", "DOI:10.1002/(SICI)1097<4>\"x%2F{y}|^`",
                                   "MGI:97860", "PMC:123456"])
def test_curie_iri_round_trip(value):
    assert curie(iri(value)) == value
    assert not any(ch in iri(value) for ch in '<>"{}|^`\\ ')


def test_tiny_graph_round_trip(tiny_graph):
    assert graph_from_triples(graph_triples(tiny_graph)) == tiny_graph


def test_curated_graph_round_trip_through_rdflib_and_the_store(curated_graph):
    triples = list(graph_triples(curated_graph))
    assert graph_from_triples(triples) == curated_graph
    assert graph_from_triples(triples_from_rdflib(rdflib_graph(triples))) == curated_graph
    assert graph_from_store(memory_store(curated_graph)) == curated_graph


def test_edge_is_stated_twice_direct_and_as_association(tiny_graph):
    triples = set(graph_triples(tiny_graph))
    edge = next(e for e in tiny_graph.edges if e.predicate == "increases_expression_of")
    pred = load_schema().predicates[edge.predicate]
    s, o, node = iri(edge.subject), iri(edge.object), iri(edge.id)
    assert (s, term(pred.biolink), o) in triples
    assert (s, term(pred.ro), o) in triples
    assert (node, RDF_TYPE, vocab().classes["association"]) in triples
    assert (node, term("biolink:subject"), s) in triples and (node, term("biolink:object"), o) in triples
    assert (node, term("biolink:object_direction_qualifier"), Lit("increased")) in triples
    assert (node, term("kgv:sign"), Lit("positive")) in triples
    assert (node, term("biolink:publications"), iri(edge.evidence[0].source)) in triples


def test_entity_typed_labelled_with_synonyms_and_xrefs():
    ent = Entity(id="HGNC:15492", category="gene_or_protein", label="ANKH", synonyms=["ANK"],
                 xrefs=["UniProtKB:Q9HCJ1"])
    triples = set(graph_triples(KnowledgeGraph([ent])))
    node = iri(ent.id)
    assert (node, RDF_TYPE, term("biolink:Gene")) in triples
    assert (node, term("rdfs:label"), Lit("ANKH")) in triples
    assert (node, term("skos:altLabel"), Lit("ANK")) in triples
    assert (node, term("biolink:xref"), "http://purl.uniprot.org/uniprot/Q9HCJ1") in triples


def test_list_order_and_duplicates_survive():
    ent = Entity(id="KG:x", category="process", label="x", synonyms=["b", "a", "b"], sources=["z.yaml", "a.yaml"])
    back = graph_from_triples(graph_triples(KnowledgeGraph([ent]))).entity("KG:x")
    assert back.synonyms == ["b", "a", "b"] and back.sources == ["z.yaml", "a.yaml"]


def test_loading_twice_is_idempotent(tiny_graph):
    import pyoxigraph as ox

    store = ox.Store()
    text = "".join(ntriples_lines(graph_triples(tiny_graph)))
    store.load(text, format=ox.RdfFormat.N_TRIPLES)
    once = len(store)
    store.load(text, format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == once
    assert graph_from_store(store) == tiny_graph


def test_a_changed_edge_id_is_rejected(tiny_graph):
    from kg.errors import InputError

    edge = tiny_graph.edges[0]
    other = next(e.id for e in tiny_graph.entities if e.id not in (edge.subject, edge.object))
    triples = [(s, p, iri(other) if p == term("biolink:object") and s == iri(edge.id) else o)
               for s, p, o in graph_triples(tiny_graph)]
    with pytest.raises(InputError, match="deterministic id"):
        graph_from_triples(triples)


# ---- property-based: generated graphs ---------------------------------------------------------------------
SCHEMA = load_schema()
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from('\n\t"\\<>'),
               max_size=12)
NUM = st.integers(1, 10**7).map(str)
NON_SPACE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1,
                    max_size=12).filter(lambda s: not any(c.isspace() for c in s))
ENTITY_ID = st.one_of(NUM.map("HGNC:{}".format), NUM.map("CHEBI:{}".format),
                      st.from_regex(r"KG:[A-Za-z0-9][A-Za-z0-9_.+\-]{0,10}", fullmatch=True))
PUBLICATION = st.one_of(NUM.map("PMID:{}".format), NON_SPACE.map("DOI:10.1234/{}".format),
                        NUM.map("PMC:{}".format))
OPTIONAL_TEXT = st.none() | TEXT
FLOAT = st.floats(allow_nan=False, allow_infinity=False)

evidence = st.builds(Evidence, source=PUBLICATION, reference=OPTIONAL_TEXT,
                     species=st.none() | st.sampled_from(list(SCHEMA.species)), system=OPTIONAL_TEXT,
                     assay=OPTIONAL_TEXT, statement=OPTIONAL_TEXT, confidence=st.sampled_from(SCHEMA.confidences),
                     status=st.sampled_from(list(SCHEMA.statuses)))
parameter = st.one_of(
    st.builds(Parameter, value=FLOAT, unit=TEXT, basis=st.sampled_from(["measured", "derived"]), source=PUBLICATION,
              note=OPTIONAL_TEXT),
    st.builds(Parameter, value=FLOAT, unit=TEXT, basis=st.sampled_from(["fitted", "assumed"]),
              note=TEXT.filter(bool)))
effect = st.builds(VariantEffect, kind=st.sampled_from(SCHEMA.variant_effect_kinds),
                   direction=st.sampled_from(["increased", "decreased", "lost", "unchanged"]),
                   factor=st.none() | st.floats(0, 1e6), partner=st.none() | ENTITY_ID,
                   basis=st.none() | st.sampled_from(["measured", "fitted"]), note=OPTIONAL_TEXT)


@st.composite
def graphs(draw: st.DrawFn) -> KnowledgeGraph:
    ids = draw(st.lists(ENTITY_ID, min_size=1, max_size=6, unique=True))
    entities = []
    for eid in ids:
        category = draw(st.sampled_from(list(SCHEMA.categories)))
        entities.append(Entity(
            id=eid, category=category, label=draw(TEXT), symbol=draw(OPTIONAL_TEXT),
            synonyms=draw(st.lists(TEXT, max_size=3)), xrefs=draw(st.lists(ENTITY_ID | PUBLICATION, max_size=3)),
            description=draw(OPTIONAL_TEXT), taxon=draw(st.none() | st.sampled_from(list(SCHEMA.species))),
            compartments=draw(st.lists(st.sampled_from(SCHEMA.compartments), max_size=3)),
            gene=draw(st.sampled_from(ids)) if category in GENE_FEATURE_CATEGORIES else draw(st.none() | ENTITY_ID),
            hgvs=draw(OPTIONAL_TEXT), variant_class=draw(st.none() | st.sampled_from(SCHEMA.variant_classes)),
            effects=draw(st.lists(effect, max_size=2)),
            parameters=draw(st.dictionaries(TEXT, parameter, max_size=2)),
            evidence=draw(st.lists(evidence, max_size=2)), sources=draw(st.lists(TEXT, max_size=2))))
    edges: dict[str, Edge] = {}
    for _ in range(draw(st.integers(0, 6))):
        edge = Edge(
            subject=draw(st.sampled_from(ids)), predicate=draw(st.sampled_from(list(SCHEMA.predicates))),
            object=draw(st.sampled_from(ids)),
            from_compartment=draw(st.none() | st.sampled_from(SCHEMA.compartments)),
            to_compartment=draw(st.none() | st.sampled_from(SCHEMA.compartments)),
            compartment=draw(st.none() | st.sampled_from(SCHEMA.compartments)),
            substrates=draw(st.lists(st.sampled_from(ids), max_size=2)),
            products=draw(st.lists(ENTITY_ID, max_size=2)), context=draw(st.none() | st.sampled_from(ids)),
            status=draw(st.sampled_from(list(SCHEMA.statuses))), claim=draw(OPTIONAL_TEXT),
            kinetics=draw(st.none() | st.builds(Kinetics, rate_law=TEXT,
                                                parameters=st.dictionaries(TEXT, parameter, max_size=2))),
            evidence=draw(st.lists(evidence, min_size=1, max_size=3)), sources=draw(st.lists(TEXT, max_size=2)))
        edges.setdefault(edge.id, edge)
    return KnowledgeGraph(entities, edges.values())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_generated_graphs_round_trip_through_the_store_and_every_format(graph):
    import pyoxigraph as ox

    from kg.rdf.formats import FORMATS, parse_rdf, to_string

    store = ox.Store()
    store.load("".join(ntriples_lines(graph_triples(graph))), format=ox.RdfFormat.N_TRIPLES)
    assert graph_from_store(store, trusted=False) == graph
    for fmt in FORMATS:
        assert parse_rdf(to_string(graph, fmt), fmt) == graph, fmt
