"""One SPARQL query in a worker process of the endpoint (kg.serving.pool): open the build's store read-only,
refuse federation and updates, run the query, stop at the result limit, write the negotiated format.

Everything that can take long or grow large (parsing, evaluating, serializing) happens here, inside a process
the endpoint kills when the query outlives its time limit or address space.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path

from kg.errors import InputError

RESULTS = {  # media type -> kg.rdf.results writer
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPHS = {"application/n-triples": "N_TRIPLES", "text/turtle": "TURTLE", "application/rdf+xml": "RDF_XML",
          "application/ld+json": "JSON_LD"}  # JSON-LD: kg's context (kg.rdf.formats.jsonld_bytes)


@dataclass(frozen=True)
class QueryRequest:
    text: str
    accept: str
    max_results: int


@dataclass(frozen=True)
class Answer:
    status: int
    media: str
    body: bytes

    @classmethod
    def text(cls, status: int, message: str) -> Answer:
        return cls(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


def negotiate(accept: str, table: dict[str, str], default: str) -> tuple[str, str]:
    """The first acceptable media type we can produce (q-values are honoured in the order given)."""
    offers = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = next((float(p[2:]) for p in params if p.startswith("q=") and p[2:].replace(".", "", 1).isdigit()), 1.0)
        offers.append((-q, i, media.lower()))
    for _, _, media in sorted(offers):
        if media in table:
            return media, table[media]
        if media in ("*/*", "application/*", "text/*"):
            break
    return default, table[default]


def make_handler(store_folder: str, allow_service: tuple[str, ...] = ()) -> Callable[[QueryRequest], Answer]:
    """The worker's handler over the store in the build folder `store_folder` (opened read-only once)."""
    from kg.rdf.store import open_store
    from kg.rdf.vocab import vocab

    store = open_store(Path(store_folder))
    prefixes = vocab().prefixes()

    def handle(request: QueryRequest) -> Answer:
        return answer(store, prefixes, request, allow_service)

    return handle


def answer(store: object, prefixes: dict[str, str], request: QueryRequest,
           allow_service: tuple[str, ...] = ()) -> Answer:
    import pyoxigraph as ox

    from kg.rdf import results
    from kg.rdf.federation import check_services

    try:
        check_services(request.text, prefixes, allow_service)
        result = store.query(request.text, prefixes=prefixes)  # type: ignore[attr-defined]
    except InputError as exc:
        return Answer.text(HTTPStatus.BAD_REQUEST, str(exc))
    except SyntaxError as exc:
        return Answer.text(HTTPStatus.BAD_REQUEST, f"SPARQL syntax error: {exc}")
    except (OSError, RuntimeError) as exc:
        return Answer.text(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {exc}")
    too_many = (f"the answer has more than {request.max_results} results (the endpoint's limit); add a LIMIT, "
                "or ask the endpoint's operator to raise --max-results")
    try:
        if isinstance(result, ox.QueryBoolean):
            media, fmt = negotiate(request.accept, RESULTS, "application/sparql-results+json")
            return Answer(HTTPStatus.OK, f"{media}; charset=utf-8", results.boolean(bool(result), fmt))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) == request.max_results:
                    return Answer.text(HTTPStatus.UNPROCESSABLE_ENTITY, too_many)
                rows.append([solution[v] for v in variables])
            media, fmt = negotiate(request.accept, RESULTS, "application/sparql-results+json")
            return Answer(HTTPStatus.OK, f"{media}; charset=utf-8", results.WRITERS[fmt](variables, rows))
        triples = []
        for triple in result:
            if len(triples) == request.max_results:
                return Answer.text(HTTPStatus.UNPROCESSABLE_ENTITY, too_many)
            triples.append(triple)
        media, fmt = negotiate(request.accept, GRAPHS, "application/n-triples")
        if fmt == "JSON_LD":
            from kg.rdf.formats import jsonld_bytes

            body = jsonld_bytes(triples)
        else:
            body = ox.serialize(triples, format=getattr(ox.RdfFormat, fmt)) or b""
        return Answer(HTTPStatus.OK, f"{media}; charset=utf-8", body)
    except (OSError, RuntimeError) as exc:
        return Answer.text(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {exc}")
