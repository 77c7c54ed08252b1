"""RDF serialisations of the graph (Turtle, N-Triples, JSON-LD, RDF/XML) and reading them back.

N-Triples is written directly from the mapping's triples (fast, streaming); the other formats go through rdflib
with the project's prefixes bound, and JSON-LD is compacted with schema/context.jsonld.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from kg.errors import InputError
from kg.graph import KnowledgeGraph
from kg.paths import schema_dir
from kg.rdf.mapping import graph_triples
from kg.rdf.reverse import graph_from_triples
from kg.rdf.terms import ntriples_lines, rdflib_graph, triples_from_rdflib
from kg.rdf.vocab import vocab

# kg format name -> (rdflib format name, file suffixes)
FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "turtle": ("turtle", (".ttl", ".turtle")),
    "ntriples": ("nt", (".nt",)),
    "jsonld": ("json-ld", (".jsonld", ".json")),
    "rdfxml": ("xml", (".rdf", ".owl", ".xml")),
}


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context shipped in schema/context.jsonld (its `@context` object)."""
    return json.loads((schema_dir() / "context.jsonld").read_text(encoding="utf-8"))["@context"]


def write_rdf(graph: KnowledgeGraph, fmt: str, out: IO[str]) -> None:
    """Serialise the graph in `fmt` (turtle, ntriples, jsonld, rdfxml) to a text stream."""
    if fmt not in FORMATS:
        raise InputError(f"unknown RDF format '{fmt}' (known: {', '.join(FORMATS)})")
    if fmt == "ntriples":
        for line in ntriples_lines(graph_triples(graph)):
            out.write(line)
        return
    g = rdflib_graph(graph_triples(graph), vocab().prefixes())
    if fmt == "jsonld":
        out.write(g.serialize(format="json-ld", context=jsonld_context(), auto_compact=True))
    else:
        out.write(g.serialize(format=FORMATS[fmt][0]))


def to_string(graph: KnowledgeGraph, fmt: str) -> str:
    import io

    buf = io.StringIO()
    write_rdf(graph, fmt, buf)
    return buf.getvalue()


def guess_format(path: Path) -> str:
    for name, (_, suffixes) in FORMATS.items():
        if path.suffix.lower() in suffixes:
            return name
    raise InputError(f"{path}: cannot tell the RDF format from the suffix '{path.suffix}' "
                     f"(use one of {', '.join(s for _, ss in FORMATS.values() for s in ss)})")


def parse_rdf(data: str, fmt: str, *, trusted: bool = False) -> KnowledgeGraph:
    """Read a graph back from RDF text written by `write_rdf` (or any RDF using the same vocabulary)."""
    from rdflib import Graph

    if fmt not in FORMATS:
        raise InputError(f"unknown RDF format '{fmt}' (known: {', '.join(FORMATS)})")
    g = Graph()
    try:
        g.parse(data=data, format=FORMATS[fmt][0])
    except (SyntaxError, ValueError) as exc:  # rdflib parsers raise these (and subclasses) on malformed input
        raise InputError(f"cannot parse {fmt}: {exc}") from None
    return graph_from_triples(triples_from_rdflib(g), trusted=trusted)


def read_rdf_file(path: Path) -> KnowledgeGraph:
    """A KnowledgeGraph from an RDF file; N-Triples go through Oxigraph's parser (fast on large files)."""
    fmt = guess_format(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if fmt in ("ntriples", "turtle"):
        import pyoxigraph as ox

        from kg.rdf.terms import from_oxigraph

        rdf_format = ox.RdfFormat.N_TRIPLES if fmt == "ntriples" else ox.RdfFormat.TURTLE
        try:
            triples = [(from_oxigraph(q.subject), q.predicate.value, from_oxigraph(q.object))
                       for q in ox.parse(path=str(path), format=rdf_format)]
        except SyntaxError as exc:
            raise InputError(f"{path}: {exc}") from None
        return graph_from_triples(triples)
    return parse_rdf(path.read_text(encoding="utf-8"), fmt)
