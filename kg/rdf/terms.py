"""Engine-neutral RDF terms and triples, with N-Triples writing and conversion to and from rdflib and pyoxigraph.

The mapping produces plain tuples (IRI strings and `Lit` values) so the same triples feed the Oxigraph bulk
loader, rdflib, and every serialisation without going through one library's objects first.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_DOUBLE = XSD + "double"
XSD_INTEGER = XSD + "integer"
XSD_BOOLEAN = XSD + "boolean"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True, slots=True)
class Lit:
    """A literal: lexical form and datatype IRI (xsd:string for plain strings)."""

    value: str
    datatype: str = XSD_STRING


Term = str | Lit  # a str is an IRI (or `_:id` for a blank node read from someone else's RDF)
Triple = tuple[str, str, Term]


def double(value: float) -> Lit:
    if math.isnan(value):
        return Lit("NaN", XSD_DOUBLE)
    if math.isinf(value):
        return Lit("INF" if value > 0 else "-INF", XSD_DOUBLE)
    return Lit(repr(float(value)), XSD_DOUBLE)


def integer(value: int) -> Lit:
    return Lit(str(int(value)), XSD_INTEGER)


def boolean(value: bool) -> Lit:
    return Lit("true" if value else "false", XSD_BOOLEAN)


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _escape(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def _nt_term(t: Term) -> str:
    if isinstance(t, Lit):
        if t.datatype == XSD_STRING:
            return f'"{_escape(t.value)}"'
        return f'"{_escape(t.value)}"^^<{t.datatype}>'
    if t.startswith("_:"):
        return t
    return f"<{t}>"


def ntriples_lines(triples: Iterable[Triple]) -> Iterator[str]:
    """One N-Triples line (with newline) per triple."""
    for s, p, o in triples:
        yield f"{_nt_term(s)} <{p}> {_nt_term(o)} .\n"


# ---- rdflib ---------------------------------------------------------------------------------------------
def to_rdflib(t: Term) -> Any:
    from rdflib import BNode, Literal, URIRef

    if isinstance(t, Lit):
        return Literal(t.value) if t.datatype == XSD_STRING else Literal(t.value, datatype=URIRef(t.datatype))
    return BNode(t[2:]) if t.startswith("_:") else URIRef(t)


def from_rdflib(t: Any) -> Term:
    from rdflib import BNode, Literal

    if isinstance(t, Literal):
        if t.datatype is None:
            return Lit(str(t))
        return Lit(str(t), str(t.datatype))
    if isinstance(t, BNode):
        return f"_:{t}"
    return str(t)


def rdflib_graph(triples: Iterable[Triple], prefixes: dict[str, str] | None = None) -> Any:
    """An in-memory rdflib Graph holding the triples, with the prefixes bound for readable serialisations."""
    from rdflib import Graph

    g = Graph()
    for name, ns in (prefixes or {}).items():
        g.bind(name, ns, override=True, replace=True)
    add = g.add
    for s, p, o in triples:
        add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return g


def triples_from_rdflib(graph: Any) -> Iterator[Triple]:
    for s, p, o in graph:
        yield from_rdflib(s), str(p), from_rdflib(o)


# ---- pyoxigraph -----------------------------------------------------------------------------------------
def to_oxigraph(t: Term) -> Any:
    import pyoxigraph as ox

    if isinstance(t, Lit):
        if t.datatype == XSD_STRING:
            return ox.Literal(t.value)
        return ox.Literal(t.value, datatype=ox.NamedNode(t.datatype))
    return ox.BlankNode(t[2:]) if t.startswith("_:") else ox.NamedNode(t)


def from_oxigraph(t: Any) -> Term:
    import pyoxigraph as ox

    if isinstance(t, ox.Literal):
        dt = t.datatype.value
        return Lit(t.value, XSD_STRING if dt == RDF_LANGSTRING else dt)
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    return t.value
