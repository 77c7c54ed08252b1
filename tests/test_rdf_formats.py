"""Every RDF format parses back to the same graph; the JSON-LD context and SHACL shapes agree with the schema."""

from __future__ import annotations

import json

import pytest

from kg.errors import InputError
from kg.paths import schema_dir
from kg.rdf import generate
from kg.rdf.formats import FORMATS, parse_rdf, read_rdf_file, to_string
from kg.rdf.vocab import vocab
from kg.schema import load_schema


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_curated_graph_round_trips_in_every_format(curated_graph, fmt):
    assert parse_rdf(to_string(curated_graph, fmt), fmt) == curated_graph


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_each_format_is_read_by_rdflib_too(tiny_graph, fmt):
    """The files are standard RDF: a second, independent parser reads the same number of triples."""
    import rdflib

    from kg.rdf.mapping import graph_triples

    text = to_string(tiny_graph, fmt)
    g = rdflib.Graph().parse(data=text, format={"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld",
                                                "rdfxml": "xml"}[fmt])
    assert len(g) == len(set(graph_triples(tiny_graph)))


def test_read_rdf_file_by_suffix(tmp_path, tiny_graph):
    path = tmp_path / "graph.ttl"
    path.write_text(to_string(tiny_graph, "turtle"), encoding="utf-8")
    assert read_rdf_file(path) == tiny_graph
    bad = tmp_path / "graph.txt"
    bad.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="suffix"):
        read_rdf_file(bad)


def test_malformed_rdf_is_an_input_error():
    with pytest.raises(InputError, match="cannot parse turtle"):
        parse_rdf("<http://a> <http://b> .", "turtle")


def test_committed_context_and_shapes_are_the_generated_ones():
    assert (schema_dir() / "context.jsonld").read_text(encoding="utf-8") == generate.context_text(), \
        "schema/context.jsonld is stale: run python -m kg.rdf.generate"
    assert (schema_dir() / "shapes.ttl").read_text(encoding="utf-8") == generate.shapes(), \
        "schema/shapes.ttl is stale: run python -m kg.rdf.generate"


def test_context_agrees_with_the_schema():
    ctx = json.loads((schema_dir() / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    for prefix in load_schema().prefixes.values():
        assert ctx[prefix.prefix] == prefix.uri_prefix
    prefixes = vocab().prefixes()
    for kind, fields in vocab().records.items():
        for field in fields.values():
            prefix, _, local = ctx[field.name]["@id"].partition(":")
            assert prefixes[prefix] + local == field.property, f"{kind}.{field.name}"


def test_shapes_list_the_schema_vocabularies():
    import rdflib

    shapes = rdflib.Graph().parse(schema_dir() / "shapes.ttl", format="turtle")
    listed = {str(o) for o in shapes.objects() if isinstance(o, rdflib.Literal)}
    schema = load_schema()
    for values in (schema.predicates, schema.categories, schema.signs, schema.mechanisms, schema.statuses,
                   schema.compartments, schema.confidences):
        assert set(values) <= listed
