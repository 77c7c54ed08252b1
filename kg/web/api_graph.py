"""Routes that read the graph: search and resolve names, entity and edge cards, counts, named queries, SPARQL.

Each answers with the JSON of the matching CLI command (`kg search`, `kg show`, `kg info`, `kg query run`,
`kg sparql`) by calling the same function."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from kg.errors import InputError
from kg.web.common import ERRORS, MAX_ITEMS, MAX_TEXT, bounded, respond, state
from kg.web.errors import NotFound
from kg.web.state import AppState

router = APIRouter(tags=["graph"], responses=ERRORS)
State = Annotated[AppState, Depends(state)]


@router.get("/search", summary="Find entities by part of a name (kg search)")
def search(app: State, q: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description="Text to find.")],
           limit: Annotated[int, Query(ge=1, le=200)] = 20,
           category: Annotated[str | None, Query(max_length=50, description="Only this category.")] = None,
           ) -> list[dict[str, Any]]:
    """Entities whose name, symbol, synonym, identifier or HGVS name matches `q`: exact, then prefix, then a
    word's prefix, then anywhere. Variants carry their `gene` and `hgvs`."""
    from kg.search import search as run_search

    return run_search(app.snapshot.entities, q, limit=limit, category=category)


@router.get("/resolve", summary="The one entity a name means (kg show resolution)")
def resolve(app: State, name: Annotated[str, Query(min_length=1, max_length=MAX_TEXT)]) -> dict[str, Any]:
    """A label, symbol, synonym, CURIE or cross-reference resolved as `kg show` does: 404 with close matches for
    an unknown name, 400 listing the candidates for an ambiguous one."""
    return app.snapshot.resolve(name)


@router.get("/contexts", summary="Contexts a prediction can run in (kg search --contexts)")
def contexts(app: State) -> list[dict[str, Any]]:
    from kg.search import contexts as list_contexts

    return list_contexts(app.snapshot.entities)


def _card(app: AppState, name: str, kind: str | None = None) -> dict[str, Any]:
    from kg.cli.show import card_json

    found, card = app.snapshot.find(name)
    if kind is not None and found != kind:
        raise NotFound(f"unknown {kind} '{name}'")
    return card_json(found, card)


@router.get("/cards/{name}", summary="The card of anything kg prints an id for (kg show NAME --format json)")
def card(app: State, name: Annotated[str, Path(max_length=MAX_TEXT, description="A name, an entity, edge or "
                                                                                "evidence id, or a PMID/DOI/PMC.")],
         ) -> dict[str, Any]:
    """An entity (by any name), an edge (`KG:edge.…`), an evidence record (`ev.…`) or a publication: the same
    JSON as `kg show NAME --format json` (non-entity cards carry their `kind`)."""
    return _card(app, name)


@router.get("/entities/{name}", summary="An entity's card (kg show NAME --format json)")
def entity(app: State, name: Annotated[str, Path(max_length=MAX_TEXT, description="An id, or any name.")],
           ) -> dict[str, Any]:
    """The entity with every incident edge and its evidence, labelled at both ends."""
    snapshot = app.snapshot
    return snapshot.card(snapshot.resolve(name)["id"])


@router.get("/edges/{edge_id}", summary="An edge's card (kg show EDGE_ID --format json)")
def edge(app: State, edge_id: Annotated[str, Path(max_length=MAX_TEXT)]) -> dict[str, Any]:
    """The statement with its qualifiers, status, rival claims and evidence records."""
    if edge_id not in app.snapshot.edges:
        raise NotFound(f"unknown edge '{edge_id}'")
    return _card(app, edge_id, "edge")


@router.get("/evidence/{evidence_id}", summary="An evidence record and what states it (kg show ev.… )")
def evidence(app: State, evidence_id: Annotated[str, Path(max_length=MAX_TEXT, pattern=r"^ev\.")],
             ) -> dict[str, Any]:
    return _card(app, evidence_id, "evidence")


@router.get("/publications/{source}", summary="A publication and what cites it (kg show PMID:…)")
def publication(app: State, source: Annotated[str, Path(max_length=MAX_TEXT)]) -> dict[str, Any]:
    return _card(app, source, "publication")


@router.get("/info", summary="Counts by category, predicate and status (kg info --format json)")
def info(app: State) -> Response:
    return respond(app.run("info"))


@router.get("/queries", summary="The named queries and their parameters (kg query run list)")
def queries(app: State) -> Response:
    return respond(app.run("queries"))


@router.get("/queries/{name}", summary="Run a named query with bound parameters (kg query run NAME)")
def query(app: State, request: Request, name: Annotated[str, Path(pattern=r"^\w{1,50}$")]) -> Response:
    """Every query parameter of the request is a parameter of the query (`?target=ANKH`), bound as a value
    (never spliced into query text). Runs on the networkx engine; the rows are those of the CLI."""
    params = dict(request.query_params)
    if len(params) > MAX_ITEMS:
        raise InputError(f"at most {MAX_ITEMS} parameters, not {len(params)}")
    bounded(list(params.values()), "parameter value")
    return respond(app.run("query", name=name, params=params))


SPARQL_MEDIA = "application/sparql-results+json"


def _sparql(app: AppState, text: str | None, accept: str) -> Response:
    from kg.rdf.sparql import is_update

    if not text or not text.strip():
        raise InputError("missing 'query' parameter")
    if len(text) > app.settings.limits.max_request_bytes:
        raise InputError(f"a query of at most {app.settings.limits.max_request_bytes} characters")
    if is_update(text):
        return JSONResponse({"status": 403, "error": "this endpoint is read-only: SPARQL updates are refused"},
                            status_code=403)
    answer = app.sparql_query(text, accept)
    if answer.status != 200:
        return JSONResponse({"status": answer.status, "error": answer.body.decode("utf-8").strip()},
                            status_code=answer.status)
    return Response(answer.body, media_type=answer.media)


@router.get("/sparql", summary="A read-only SPARQL query", response_class=Response,
            responses={200: {"content": {SPARQL_MEDIA: {}, "text/csv": {}, "application/n-triples": {}},
                             "description": "SPARQL results (JSON by default; the Accept header chooses)."},
                       403: {"description": "An update: refused."}})
def sparql_get(app: State, request: Request,
               query: Annotated[str, Query(min_length=1, description="SPARQL 1.1 query text.")]) -> Response:
    """The build's RDF store, read-only: updates are refused (403), SERVICE (federation) is refused, each query
    runs in a worker process under the time, result and memory limits (503 past them, 422 over the result
    limit). The project's prefixes are predeclared. Answers in SPARQL JSON, XML, CSV or TSV (SELECT, ASK) or
    N-Triples, Turtle, RDF/XML (CONSTRUCT, DESCRIBE), as the Accept header asks."""
    return _sparql(app, query, request.headers.get("accept") or "")


@router.post("/sparql", summary="A read-only SPARQL query (form-encoded)", response_class=Response)
def sparql_post(app: State, request: Request, query: Annotated[str, Form(min_length=1)]) -> Response:
    """As GET, with the query in a form field `query`."""
    return _sparql(app, query, request.headers.get("accept") or "")
