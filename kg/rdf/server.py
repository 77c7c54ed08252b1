"""A read-only SPARQL 1.1 Protocol endpoint over the build's Oxigraph store (`kg serve sparql`).

GET /sparql?query=..., POST with `application/x-www-form-urlencoded` (query=...) or `application/sparql-query`.
Results are negotiated from the Accept header: SPARQL JSON (default), XML, CSV or TSV for SELECT and ASK;
N-Triples, Turtle, RDF/XML or JSON-LD (named by schema/context.jsonld) for CONSTRUCT and DESCRIBE.

Read-only and bounded (kg.serving): updates are refused with 403 and the store is opened read-only; SERVICE is
refused unless its host was allowed; each query runs in a worker process that is killed past the time limit or
its address space (503), and an answer over the result limit is refused (422) rather than cut silently. Requests
whose Host header names no host the server is for are refused (403: DNS rebinding). When a new build replaces
the store the endpoint reloads before answering; while a build is being written it answers 503.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from kg.rdf.query_worker import Answer, QueryRequest
from kg.rdf.sparql import is_update
from kg.serving.freshness import BuildWatch
from kg.serving.hosts import allowed_hosts, host_allowed
from kg.serving.limits import Limits
from kg.serving.pool import WorkerError, WorkerPool

log = logging.getLogger(__name__)
READ_TIMEOUT = 30.0  # seconds a client may take to send its request (slow clients hold a thread)


@dataclass(frozen=True)
class EndpointConfig:
    """What `kg serve sparql` was asked for: limits, extra Host names, and the hosts SERVICE may call."""

    limits: Limits = field(default_factory=Limits)
    allow_hosts: tuple[str, ...] = ()
    allow_service: tuple[str, ...] = ()


class SparqlHandler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    timeout = READ_TIMEOUT

    def log_message(self, fmt: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), fmt % args)

    def _send(self, answer: Answer) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.media)
        self.send_header("Content-Length", str(len(answer.body)))
        if self.server.build_id:
            self.send_header("X-KG-Build", self.server.build_id)
        if answer.status == HTTPStatus.SERVICE_UNAVAILABLE:
            self.send_header("Retry-After", "5")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(Answer.text(status, message))

    def _host_ok(self) -> bool:
        if host_allowed(self.headers.get("Host"), self.server.allowed_hosts):
            return True
        self.close_connection = True
        self._error(HTTPStatus.FORBIDDEN, f"this endpoint does not answer for Host '{self.headers.get('Host')}' "
                                          "(start it with --allow-host NAME to add a name)")
        return False

    def do_GET(self) -> None:
        if not self._host_ok():
            return
        url = urlparse(self.path)
        if url.path not in ("/sparql", "/query"):
            if url.path == "/":
                self._send(Answer.text(HTTPStatus.OK, "kg SPARQL endpoint (read-only): GET or POST "
                                                      "/sparql?query=..."))
            else:
                self._error(HTTPStatus.NOT_FOUND, f"no such resource {url.path}; the endpoint is /sparql")
            return
        params = parse_qs(url.query)
        self._answer(params.get("query", [None])[0], params.get("update", [None])[0])

    def do_POST(self) -> None:
        if not self._host_ok():
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > self.server.config.limits.max_request_bytes:
            self.close_connection = True
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE if length > 0 else HTTPStatus.BAD_REQUEST,
                        f"the request body must have a Content-Length of at most "
                        f"{self.server.config.limits.max_request_bytes} bytes")
            return
        try:
            body = self.rfile.read(length).decode("utf-8")
        except UnicodeDecodeError:
            self._error(HTTPStatus.BAD_REQUEST, "the request body is not UTF-8")
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-query":
            self._answer(body, None)
        elif ctype == "application/sparql-update":
            self._answer(None, body)
        else:
            params = parse_qs(body)
            self._answer(params.get("query", [None])[0], params.get("update", [None])[0])

    def _answer(self, text: str | None, update: str | None) -> None:
        if update is not None or (text is not None and is_update(text)):
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL updates are refused")
            return
        if not text:
            self._error(HTTPStatus.BAD_REQUEST, "missing 'query' parameter")
            return
        if stale := self.server.refresh():
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, stale)
            return
        request = QueryRequest(text, self.headers.get("Accept") or "", self.server.config.limits.max_results)
        try:
            self._send(self.server.pool.run(request))
        except WorkerError as exc:
            log.warning("query refused (%s): %s", exc.reason, exc)
            self._error(HTTPStatus.SERVICE_UNAVAILABLE, str(exc))


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], folder: Path, config: EndpointConfig) -> None:
        self.folder, self.config = Path(folder), config
        self.allowed_hosts = allowed_hosts(address[0], config.allow_hosts)
        self.watch = BuildWatch.start(self.folder)
        self.build_id = self.watch.loaded.build_id
        self.pool = WorkerPool("kg.rdf.query_worker:make_handler", (str(self.folder), config.allow_service),
                               config.limits)
        self._refresh_lock = threading.Lock()
        super().__init__(address, SparqlHandler)

    def refresh(self) -> str | None:
        """Reload when a new build replaced the store; the reason to refuse while there is no build."""
        with self._refresh_lock:
            changed = self.watch.check()
        if changed is not None:
            self.pool.reload()
            self.build_id = changed.build_id
            if changed.present:
                log.warning("a new build in %s: reloading the store (build %s)", self.folder, changed.build_id)
        if not self.watch.loaded.present:
            return f"no complete build in {self.folder} (a build is being written, or was removed); try again"
        return None

    def server_close(self) -> None:
        self.pool.close()
        super().server_close()


def make_server(store_folder: Path, host: str = "127.0.0.1", port: int = 7878,
                config: EndpointConfig | None = None) -> SparqlServer:
    """A server over the store in `store_folder` (a build directory), opened read-only by its workers."""
    return SparqlServer((host, port), store_folder, config or EndpointConfig())
