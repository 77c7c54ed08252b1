"""RDF serialisations of the graph (Turtle, N-Triples, JSON-LD, RDF/XML) and reading them back.

N-Triples is written directly from the mapping's triples (fast, streaming); Turtle and RDF/XML by Oxigraph with
the project's prefixes; JSON-LD as node objects named by schema/context.jsonld. Everything is read by Oxigraph.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from kg.errors import InputError
from kg.graph import KnowledgeGraph
from kg.paths import schema_dir
from kg.rdf.mapping import graph_triples
from kg.rdf.reverse import graph_from_triples
from kg.rdf.terms import RDF_TYPE, XSD_STRING, Lit, Triple, from_oxigraph, ntriples_lines, to_oxigraph
from kg.rdf.vocab import vocab

# kg format name -> (pyoxigraph RdfFormat name, file suffixes)
FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "turtle": ("TURTLE", (".ttl", ".turtle")),
    "ntriples": ("N_TRIPLES", (".nt",)),
    "jsonld": ("JSON_LD", (".jsonld", ".json")),
    "rdfxml": ("RDF_XML", (".rdf", ".owl", ".xml")),
}


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context shipped in schema/context.jsonld (its `@context` object)."""
    return json.loads((schema_dir() / "context.jsonld").read_text(encoding="utf-8"))["@context"]


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InputError(f"unknown RDF format '{fmt}' (known: {', '.join(FORMATS)})")


def write_rdf(graph: KnowledgeGraph, fmt: str, out: IO[str]) -> None:
    """Serialise the graph in `fmt` (turtle, ntriples, jsonld, rdfxml) to a text stream.

    Turtle and RDF/XML are written by Oxigraph (rdflib 7.6's Turtle writer shortens doubles to 6 digits, and its
    JSON-LD compaction dropped empty strings: both would lose data), JSON-LD by `jsonld_document`.
    """
    _check(fmt)
    if fmt == "ntriples":
        out.writelines(ntriples_lines(graph_triples(graph)))
        return
    if fmt == "jsonld":
        json.dump(jsonld_document(graph_triples(graph)), out, indent=1, ensure_ascii=False)
        out.write("\n")
        return
    import pyoxigraph as ox

    triples = [ox.Triple(to_oxigraph(s), ox.NamedNode(p), to_oxigraph(o)) for s, p, o in graph_triples(graph)]
    data = ox.serialize(triples, format=getattr(ox.RdfFormat, FORMATS[fmt][0]), prefixes=vocab().prefixes())
    out.write(data.decode("utf-8"))


def _term_names() -> dict[str, str]:
    """Property IRI -> the context's term for it (the first by name where two terms share an IRI)."""
    prefixes = vocab().prefixes()
    names: dict[str, str] = {}
    for name, spec in sorted(jsonld_context().items(), reverse=True):
        if isinstance(spec, dict) and "@id" in spec:
            prefix, _, local = spec["@id"].partition(":")
            names[prefixes[prefix] + local if prefix in prefixes else spec["@id"]] = name
    return names


def jsonld_document(triples: Iterable[Triple]) -> dict[str, Any]:
    """JSON-LD with schema/context.jsonld: one node object per subject, properties named by the context's terms.

    Every value is an explicit value object ({"@id"} or {"@value", "@type"}), so nothing depends on coercion
    rules and the document expands to exactly the triples given.
    """
    names = _term_names()
    nodes: dict[str, dict[str, Any]] = {}
    for s, p, o in triples:
        node = nodes.setdefault(s, {"@id": s})
        if p == RDF_TYPE and not isinstance(o, Lit):
            node.setdefault("@type", []).append(o)
            continue
        if isinstance(o, Lit):
            value: dict[str, str] = {"@value": o.value}
            if o.datatype != XSD_STRING:
                value["@type"] = o.datatype
        else:
            value = {"@id": o}
        node.setdefault(names.get(p, p), []).append(value)
    return {"@context": jsonld_context(), "@graph": [nodes[k] for k in sorted(nodes)]}


def jsonld_bytes(oxigraph_triples: Iterable[Any]) -> bytes:
    """Oxigraph triples (a CONSTRUCT or DESCRIBE answer) as a JSON-LD document with kg's context, UTF-8."""
    triples = ((from_oxigraph(t.subject), t.predicate.value, from_oxigraph(t.object)) for t in oxigraph_triples)
    return json.dumps(jsonld_document(triples), indent=1, ensure_ascii=False).encode("utf-8")


def to_string(graph: KnowledgeGraph, fmt: str) -> str:
    buf = io.StringIO()
    write_rdf(graph, fmt, buf)
    return buf.getvalue()


def rdf_format(path: Path) -> str | None:
    """The RDF format a file's suffix names, or None when it is not an RDF suffix."""
    for name, (_, suffixes) in FORMATS.items():
        if path.suffix.lower() in suffixes:
            return name
    return None


def guess_format(path: Path) -> str:
    fmt = rdf_format(path)
    if fmt is not None:
        return fmt
    raise InputError(f"{path}: cannot tell the RDF format from the suffix '{path.suffix}' "
                     f"(use one of {', '.join(s for _, ss in FORMATS.values() for s in ss)})")


def _parse(fmt: str, **source: Any) -> list[Triple]:
    import pyoxigraph as ox

    _check(fmt)
    try:
        return [(from_oxigraph(q.subject), q.predicate.value, from_oxigraph(q.object))
                for q in ox.parse(format=getattr(ox.RdfFormat, FORMATS[fmt][0]), **source)]
    except SyntaxError as exc:
        raise InputError(f"cannot parse {fmt}: {exc}") from None


def parse_rdf(data: str, fmt: str, *, trusted: bool = False) -> KnowledgeGraph:
    """Read a graph back from RDF text written by `write_rdf` (or any RDF using the same vocabulary)."""
    return graph_from_triples(_parse(fmt, input=data.encode("utf-8")), trusted=trusted)


def _checked_input(path: Path) -> str:
    """The RDF format of an input file, after the bounds every read of a user's RDF respects: the file exists, is
    at most kg.safeio.MAX_RDF_BYTES, and (RDF/XML) declares no DOCTYPE or entities, which Oxigraph would expand."""
    from kg.safeio import MAX_RDF_BYTES, check_size, refuse_xml_entities

    fmt = guess_format(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    check_size(path, str(path), MAX_RDF_BYTES, "RDF file")
    if fmt == "rdfxml":
        refuse_xml_entities(path, str(path))
    return fmt


def parse_rdf_file_rdflib(path: Path) -> Any:
    """An RDF file as an rdflib Graph, as written (for SHACL checks of files that may not be valid kg graphs)."""
    from kg.rdf.terms import rdflib_graph

    fmt = _checked_input(path)
    return rdflib_graph(_parse(fmt, path=str(path)), vocab().prefixes())


def read_rdf_file(path: Path) -> KnowledgeGraph:
    """A KnowledgeGraph from an RDF file (format from the suffix), validated like any source."""
    fmt = _checked_input(path)
    try:
        return graph_from_triples(_parse(fmt, path=str(path)))
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
