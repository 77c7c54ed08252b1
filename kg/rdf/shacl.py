"""SHACL validation of the RDF view against schema/shapes.ttl (pyshacl), with a report people can read."""

from __future__ import annotations

from typing import Any

from kg.graph import KnowledgeGraph
from kg.paths import schema_dir

SH = "http://www.w3.org/ns/shacl#"


def shapes_graph() -> Any:
    from rdflib import Graph

    return Graph().parse(schema_dir() / "shapes.ttl", format="turtle")


def _data_graph(graph_or_rdf: Any) -> Any:
    from rdflib import Graph

    if isinstance(graph_or_rdf, KnowledgeGraph):
        from kg.rdf.mapping import graph_triples
        from kg.rdf.terms import rdflib_graph

        return rdflib_graph(graph_triples(graph_or_rdf))
    if isinstance(graph_or_rdf, Graph):
        return graph_or_rdf
    raise TypeError(f"validate() takes a KnowledgeGraph or an rdflib Graph, not {type(graph_or_rdf).__name__}")


def _show(term: Any) -> str:
    from rdflib import Literal

    from kg.rdf.vocab import curie, vocab

    if term is None:
        return "-"
    if isinstance(term, Literal):
        return f'"{term}"'
    text = str(term)
    try:
        return curie(text)
    except ValueError:
        for name, ns in vocab().namespaces.items():
            if text.startswith(ns):
                return f"{name}:{text[len(ns):]}"
        return f"<{text}>"


def validate(graph_or_rdf: Any) -> tuple[bool, str]:
    """(conforms, report): one line per violation naming the node, the property, the value and what is wrong."""
    import pyshacl
    from rdflib import URIRef
    from rdflib.namespace import RDF

    conforms, results, _ = pyshacl.validate(_data_graph(graph_or_rdf), shacl_graph=shapes_graph(),
                                            inference="none", advanced=False, allow_warnings=False)
    if conforms:
        return True, "conforms: the RDF view satisfies every shape in schema/shapes.ttl"
    lines = []
    for result in results.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        def value(prop: str, node: Any = result) -> Any:
            return results.value(node, URIRef(SH + prop))

        focus, path, bad, message = value("focusNode"), value("resultPath"), value("value"), value("resultMessage")
        lines.append(f"{_show(focus)}: {_show(path)} = {_show(bad)}: {message}")
    lines.sort()
    return False, f"{len(lines)} SHACL violation(s):\n" + "\n".join(f"  {line}" for line in lines)
