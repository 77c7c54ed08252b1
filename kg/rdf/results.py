"""SPARQL query results written by kg's endpoint: JSON, XML, CSV and TSV (SPARQL 1.1 result formats).

kg writes them itself, rather than through Oxigraph's serializers, because an answer is cut at the endpoint's
result limit and because CSV and TSV must be safe to open in a spreadsheet: a CSV cell that a spreadsheet would
run as a formula gets a leading apostrophe (kg.cells), and in TSV, whose cells are Turtle terms, the apostrophe
goes inside such a literal's quotes. Programs that need every value exactly ask for JSON or XML.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from kg.cells import CellWriter, is_formula_like

SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
Row = Sequence[Any]  # one solution: a pyoxigraph term or None per variable


def _json_term(term: Any) -> dict[str, Any]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def to_json(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
    return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")


def _xml_term(term: Any) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def to_xml(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    out = ['<?xml version="1.0"?>\n', f'<sparql xmlns="{SPARQL_RESULTS_NS}"><head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True) if t is not None]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode("utf-8")


def _csv_value(term: Any) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def to_csv(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    buf = io.StringIO()
    writer = CellWriter(buf, ",", line_end="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(_csv_value(t) for t in row)
    return buf.getvalue().encode("utf-8")


def _tsv_value(term: Any) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.Literal) and is_formula_like(term.value):
        term = ox.Literal("'" + term.value, language=term.language) if term.language else \
            ox.Literal("'" + term.value, datatype=term.datatype)
    return str(term)  # N-Triples syntax, which is Turtle: tabs and line breaks are escaped inside literals


def to_tsv(variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def boolean(value: bool, fmt: str) -> bytes:
    """An ASK answer in `fmt` (json, xml, csv, tsv)."""
    text = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}"><head/><boolean>{text}</boolean>'
                "</sparql>\n").encode()
    return f"{text}\n".encode()


WRITERS = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}
