"""SPARQL over the RDF view: read-only unless asked, parameters bound as RDF terms, never spliced into text.

Parameters go through pyoxigraph `substitutions` (SEP-0007) or rdflib `initBindings`: the query text is parsed
as written and a value can only ever stand for one term. Oxigraph substitutes a variable only where it is
projected, so named queries project their parameters in every (sub)select. A query that calls SERVICE is refused
unless its hosts are allowed (kg.rdf.federation).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, KgError
from kg.rdf.federation import check_services
from kg.rdf.terms import Term, Triple, from_oxigraph, from_rdflib, to_oxigraph, to_rdflib
from kg.rdf.vocab import vocab

if TYPE_CHECKING:
    import pyoxigraph

UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")
_PROLOGUE = re.compile(r"^\s*(?:(?:#[^\n]*\n)|(?:PREFIX\s+[^\s:]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>)|\s+)*",
                       re.IGNORECASE)


@dataclass
class SparqlResult:
    """What a query gave: a table (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""

    kind: str
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)


def is_update(text: str) -> bool:
    """True when the text is a SPARQL update (its first keyword after the prologue is an update verb)."""
    body = _PROLOGUE.sub("", text, count=1)
    word = re.match(r"[A-Za-z]+", body)
    return bool(word) and word.group(0).upper() in UPDATE_KEYWORDS


def query(store: pyoxigraph.Store, text: str, bindings: dict[str, Term] | None = None, *,
          write: bool = False, allow_service: Sequence[str] = ()) -> SparqlResult:
    """Run a query (or, with `write`, an update) on an Oxigraph store; bindings are RDF terms by variable name.

    SERVICE clauses are refused unless they go to a host in `allow_service`."""
    import pyoxigraph as ox

    prefixes = vocab().prefixes()
    if is_update(text):
        if not write:
            raise InputError("this is a SPARQL update; kg refuses updates unless --write is given")
        if bindings:
            raise InputError("parameters cannot be bound in an update")
        check_services(text, prefixes, allow_service, update=True)
        try:
            store.update(text, prefixes=prefixes)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {exc}") from None
        except OSError as exc:
            raise KgError(f"the update failed: {exc}") from None
        return SparqlResult(kind="update")
    check_services(text, prefixes, allow_service)
    subs = {ox.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()}
    try:
        result = store.query(text, prefixes=prefixes, substitutions=subs or None)
    except SyntaxError as exc:
        raise InputError(f"SPARQL syntax error: {exc}") from None
    except RuntimeError as exc:  # e.g. a bound variable that the query does not project
        raise InputError(f"cannot run the query: {exc}") from None
    if isinstance(result, ox.QueryBoolean):
        return SparqlResult(kind="ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = [{c: (None if sol[c] is None else from_oxigraph(sol[c])) for c in columns} for sol in result]
        return SparqlResult(kind="select", columns=columns, rows=rows)
    triples = [(from_oxigraph(t.subject), t.predicate.value, from_oxigraph(t.object)) for t in result]
    return SparqlResult(kind="graph", triples=triples)


def query_rdflib(graph: Any, text: str, bindings: dict[str, Term] | None = None) -> SparqlResult:
    """The same on an rdflib Graph (the plain in-memory baseline of the benchmark); SELECT and ASK only."""
    from rdflib import Variable

    if is_update(text):
        raise InputError("this is a SPARQL update; kg refuses updates unless --write is given")
    check_services(text, vocab().prefixes())
    init = {Variable(k): to_rdflib(v) for k, v in (bindings or {}).items()}
    result = graph.query(text, initNs=vocab().prefixes(), initBindings=init)
    if result.type == "ASK":
        return SparqlResult(kind="ask", boolean=bool(result.askAnswer))
    columns = [str(v) for v in result.vars]
    rows = [{c: (None if row[i] is None else from_rdflib(row[i])) for i, c in enumerate(columns)} for row in result]
    return SparqlResult(kind="select", columns=columns, rows=rows)
