"""Read-only means read-only on the SPARQL side, against the real endpoint (`kg serve sparql` in its own process)
and `kg sparql`: no SERVICE request leaves unless its host was allowed (a loopback listener must receive nothing),
queries are stopped at the time limit and refused over the result limit, foreign Host headers and non-loopback
binds are refused, a new build is picked up, and CSV/TSV answers are safe to open."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from tests.hostile import FORMULAS, formula_cells, hostile_graph
from tests.test_rdf_server import _free_port, _stop, _wait_for_port, built  # noqa: F401 - built is a fixture

CROSS_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


class Listener:
    """A loopback HTTP server that counts the requests it gets and answers an empty SPARQL result."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self) -> None:
                listener.requests.append(self.path)
                body = b'{"head": {"vars": ["s"]}, "results": {"bindings": []}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _reply

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Listener:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def federated(port: int) -> list[str]:
    """SERVICE calls to the listener, in the places and spellings a text check would miss."""
    url = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE e:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?x ?y ?z FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
        f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ]


def _kg(*args: str):
    return CliRunner().invoke(main, list(args))


def test_kg_sparql_sends_no_service_request(built):  # noqa: F811
    with Listener() as listener:
        for text in federated(listener.port):
            result = _kg("sparql", text, "--build-dir", str(built))
            assert result.exit_code == 2, (text, result.output)
            assert "SERVICE" in result.stderr and "Traceback" not in result.output
            other = _kg("sparql", text, "--build-dir", str(built), "--allow-service", "example.org")
            assert other.exit_code == 2, (text, other.output)
    assert listener.requests == []


def test_kg_sparql_calls_an_allowed_host(built):  # noqa: F811
    with Listener() as listener:
        text = f"SELECT ?s WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
        result = _kg("sparql", text, "--build-dir", str(built), "--allow-service", f"127.0.0.1:{listener.port}",
                     "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == []
    assert len(listener.requests) == 1


# ---- the endpoint ------------------------------------------------------------------------------------------------
class Endpoint:
    """`kg serve sparql` in a subprocess, on a free port."""

    def __init__(self, folder: Path, *args: str) -> None:
        self.port = _free_port()
        self.proc = subprocess.Popen([sys.executable, "-c", "from kg.cli import run; run()", "serve", "sparql",
                                      "--build-dir", str(folder), "--port", str(self.port), *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _wait_for_port(self.port, self.proc)

    def get(self, query: str, *, accept: str = "application/sparql-results+json", host: str | None = None):
        """(status, headers, body text) of GET /sparql?query=..."""
        url = f"http://127.0.0.1:{self.port}/sparql?{urllib.parse.urlencode({'query': query})}"
        headers = {"Accept": accept, **({"Host": host} if host else {})}
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=120) as resp:
                return resp.status, dict(resp.headers), resp.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode("utf-8")

    def workers(self) -> set[int]:
        """The endpoint's worker processes (children of the server, per /proc)."""
        kids: set[int] = set()
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            text = (task / "children").read_text(encoding="utf-8") if (task / "children").exists() else ""
            kids |= {int(p) for p in text.split()}
        return {p for p in kids if "spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="ignore")}

    def stop(self) -> str:
        _stop(self.proc)
        return self.proc.stderr.read()


@pytest.fixture()
def endpoint(built):  # noqa: F811
    started: list[Endpoint] = []

    def start(*args: str, folder: Path | None = None) -> Endpoint:
        started.append(Endpoint(folder or built, *args))
        return started[-1]

    yield start
    for ep in started:
        ep.stop()


def test_endpoint_sends_no_service_request(endpoint):
    server = endpoint()
    with Listener() as listener:
        for text in federated(listener.port):
            status, _, body = server.get(text)
            assert status == 400 and "SERVICE" in body, (text, status, body)
    assert listener.requests == []
    assert server.get("ASK { ?s ?p ?o }")[0] == 200


def test_endpoint_calls_only_allowed_hosts(endpoint):
    with Listener() as listener:
        server = endpoint("--allow-service", f"127.0.0.1:{listener.port}")
        status, _, body = server.get(f"SELECT ?s WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> "
                                     "{ ?s ?p ?o } }")
        assert status == 200, body
        status, _, _ = server.get(f"SELECT ?s WHERE {{ SERVICE <http://localhost:{listener.port}/x> "
                                  "{ ?s ?p ?o } }")
        assert status == 400  # another name for the same host is another host
    assert len(listener.requests) == 1


def test_a_long_query_is_stopped_at_the_time_limit_and_its_worker_killed(endpoint):
    server = endpoint("--timeout", "2", "--workers", "1")
    assert server.get("ASK { ?s ?p ?o }")[0] == 200
    before = server.workers()
    assert len(before) == 1
    status, headers, body = server.get(CROSS_COUNT)
    assert status == 503 and "time limit (2 s)" in body and headers.get("Retry-After")
    assert not any(Path(f"/proc/{pid}").exists() for pid in before)  # the busy worker is gone, its work with it
    status, _, body = server.get("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] != "0"


def test_a_query_that_grows_without_bound_is_stopped_by_the_memory_limit(endpoint):
    server = endpoint("--memory-mb", "1024", "--workers", "1", "--timeout", "600")
    assert server.get("ASK { ?s ?p ?o }")[0] == 200
    before = server.workers()
    status, _, body = server.get("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i")
    assert status == 503 and "memory" in body and "1024 MB" in body
    assert not any(Path(f"/proc/{pid}").exists() for pid in before)
    assert server.get("ASK { ?s ?p ?o }")[0] == 200


def test_a_large_answer_is_refused_not_cut(endpoint):
    server = endpoint("--max-results", "10")
    status, _, body = server.get("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")  # a cross product, streamed
    assert status == 422 and "more than 10 results" in body
    status, _, body = server.get("SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 10
    status, _, body = server.get("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", accept="application/n-triples")
    assert status == 422


def test_foreign_host_headers_are_refused(endpoint):
    server = endpoint("--allow-host", "kg.example.org")
    for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1.evil.example", "[::1", "localhost:x"):
        status, _, body = server.get("ASK { ?s ?p ?o }", host=host)
        assert status == 403 and "--allow-host" in body, (host, status)
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:  # no Host header at all
        sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.0\r\n\r\n")
        assert sock.recv(4096).split(b" ")[1] == b"403"
    for host in (f"localhost:{server.port}", f"127.0.0.1:{server.port}", "kg.example.org", f"[::1]:{server.port}"):
        assert server.get("ASK { ?s ?p ?o }", host=host)[0] == 200, host


def test_malformed_requests_are_clear_errors(endpoint):
    server = endpoint()
    for raw in (b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n",
                b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999\r\n\r\n",
                b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 2\r\n\r\n\xff\xfe"):
        with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
            sock.sendall(raw)
            reply = sock.recv(4096).decode("latin-1")
        assert reply.split(" ")[1] in ("400", "413"), reply
    assert "Traceback" not in server.stop()


def test_non_loopback_binds_need_a_flag_and_are_warned_about(built):  # noqa: F811
    refused = _kg("serve", "sparql", "--host", "0.0.0.0", "--build-dir", str(built))
    assert refused.exit_code == 2 and "--allow-remote" in refused.stderr
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from kg.cli import run; run()", "serve", "sparql", "--host",
                             "0.0.0.0", "--allow-remote", "--port", str(port), "--build-dir", str(built)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_port(port, proc)
    finally:
        _stop(proc)
    assert "warning: serving on 0.0.0.0" in proc.stderr.read()


def _write_build(folder: Path, graph) -> None:
    from kg.build import build
    from kg.rdf.formats import write_rdf

    ttl = folder.parent / f"{folder.name}.ttl"
    with ttl.open("w", encoding="utf-8") as fh:
        write_rdf(graph, "turtle", fh)
    build([ttl], folder)


def test_a_new_build_is_picked_up(endpoint, tmp_path, tiny_graph, curated_graph):
    folder = tmp_path / "build"
    _write_build(folder, tiny_graph)
    server = endpoint(folder=folder)
    count = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g a biolink:Gene }"
    status, headers, body = server.get(count)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "3"
    first = headers["X-KG-Build"]
    _write_build(folder, curated_graph)
    status, headers, body = server.get(count)
    genes = sum(1 for e in curated_graph.entities if e.category == "gene_or_protein")
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(genes)
    assert headers["X-KG-Build"] != first
    os.unlink(folder / "manifest.json")  # as during a build's switch
    status, _, body = server.get(count)
    assert status == 503 and "no complete build" in body


def test_csv_and_tsv_answers_are_safe_to_open(endpoint, tmp_path):
    folder = tmp_path / "hostile"
    graph = hostile_graph()
    _write_build(folder, graph)
    server = endpoint(folder=folder)
    labels = "SELECT ?label WHERE { ?e rdfs:label ?label } ORDER BY ?label"
    status, _, body = server.get(labels, accept="text/csv")
    cells = [c for row in csv.reader(io.StringIO(body, newline="")) for c in row]
    assert status == 200 and formula_cells(cells) == [] and "'" + FORMULAS[0] in cells
    status, _, body = server.get(labels, accept="text/tab-separated-values")
    lines = body.rstrip("\n").split("\n")  # not splitlines(): a literal may hold U+2028
    tsv_cells = [c.strip('"') for line in lines for c in line.split("\t")]
    assert status == 200 and formula_cells(tsv_cells) == [] and len(lines) == len(cells)
    status, _, body = server.get(labels)
    got = {b["label"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert {e.label for e in graph.entities} <= got  # JSON keeps every value exactly


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _kg_sparql_process(built_dir: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "from kg.cli import run; run()", "sparql", CROSS_COUNT,
                             "--build-dir", str(built_dir), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_kg_sparql_stops_at_its_timeout(built):  # noqa: F811
    proc = _kg_sparql_process(built, "--timeout", "2")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "--timeout" in err and "Traceback" not in err and out == ""


def test_kg_sparql_stops_on_ctrl_c_in_the_middle_of_a_query(built):  # noqa: F811
    """Oxigraph evaluates in native code that never looks at signals: Ctrl-C must still stop the command."""
    import signal
    import time

    proc = _kg_sparql_process(built)
    try:
        while proc.poll() is None and _cpu_seconds(proc.pid) < 3.0:  # start-up takes < 1 s of CPU: now it counts
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
