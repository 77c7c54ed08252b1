"""A read-only SPARQL 1.1 Protocol endpoint over the build's Oxigraph store (`kg serve sparql`).

GET /sparql?query=..., POST with `application/x-www-form-urlencoded` (query=...) or `application/sparql-query`.
Results are negotiated from the Accept header: SPARQL JSON (default), XML, CSV or TSV for SELECT and ASK;
N-Triples, Turtle, RDF/XML or JSON-LD (named by schema/context.jsonld) for CONSTRUCT and DESCRIBE. Updates are
refused with 403: the store is opened read-only. The standard `oxigraph serve-read-only --location
build/rdf.oxigraph` serves the same store too.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from kg.rdf.sparql import is_update

log = logging.getLogger(__name__)

_RESULTS = {  # media type -> pyoxigraph QueryResultsFormat attribute
    "application/sparql-results+json": "JSON", "application/json": "JSON",
    "application/sparql-results+xml": "XML", "application/xml": "XML",
    "text/csv": "CSV", "text/tab-separated-values": "TSV",
}
_GRAPHS = {"application/n-triples": "N_TRIPLES", "text/turtle": "TURTLE", "application/rdf+xml": "RDF_XML",
           "application/ld+json": "JSON_LD"}


def _negotiate(accept: str, table: dict[str, str], default: str) -> tuple[str, str]:
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


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), fmt % args)

    def _send(self, status: int, body: bytes, media: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path not in ("/sparql", "/query"):
            if url.path == "/":
                self._send(HTTPStatus.OK, b"kg SPARQL endpoint (read-only): GET or POST /sparql?query=...\n",
                           "text/plain; charset=utf-8")
            else:
                self._error(HTTPStatus.NOT_FOUND, f"no such resource {url.path}; the endpoint is /sparql")
            return
        params = parse_qs(url.query)
        self._answer(params.get("query", [None])[0], params.get("update", [None])[0])

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-query":
            self._answer(body, None)
        elif ctype == "application/sparql-update":
            self._answer(None, body)
        else:
            params = parse_qs(body)
            self._answer(params.get("query", [None])[0], params.get("update", [None])[0])

    def _answer(self, text: str | None, update: str | None) -> None:
        import pyoxigraph as ox

        if update is not None or (text is not None and is_update(text)):
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL updates are refused")
            return
        if not text:
            self._error(HTTPStatus.BAD_REQUEST, "missing 'query' parameter")
            return
        try:
            result = self.server.store.query(text, prefixes=self.server.prefixes)
        except SyntaxError as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"SPARQL syntax error: {exc}")
            return
        except (OSError, RuntimeError) as exc:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"query failed: {exc}")
            return
        accept = self.headers.get("Accept") or ""
        if isinstance(result, ox.QueryTriples):
            media, fmt = _negotiate(accept, _GRAPHS, "application/n-triples")
            if fmt == "JSON_LD":
                from kg.rdf.formats import jsonld_bytes

                body = jsonld_bytes(result)
            else:
                body = result.serialize(format=getattr(ox.RdfFormat, fmt))
        else:
            media, fmt = _negotiate(accept, _RESULTS, "application/sparql-results+json")
            body = result.serialize(format=getattr(ox.QueryResultsFormat, fmt))
        self._send(HTTPStatus.OK, body or b"", f"{media}; charset=utf-8")


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], store: Any) -> None:
        from kg.rdf.vocab import vocab

        self.store = store
        self.prefixes = vocab().prefixes()
        super().__init__(address, SparqlHandler)


def make_server(store_folder: Path, host: str = "127.0.0.1", port: int = 7878) -> SparqlServer:
    """A server over the store in `store_folder` (a build directory), opened read-only."""
    from kg.rdf.store import open_store

    return SparqlServer((host, port), open_store(store_folder))
