"""The SPARQL 1.1 HTTP endpoint, tested on loopback with real clients (SPARQLWrapper, rdflib's SPARQLStore)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.rdf.sparql import query
from kg.rdf.store import open_store, store_path
from tests.conftest import require

GENES = "SELECT ?g ?label WHERE { ?g a biolink:Gene ; rdfs:label ?label } ORDER BY ?g"
PREFIXES = ("PREFIX biolink: <https://w3id.org/biolink/vocab/>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A real build (graph, manifest and the Oxigraph store) of the curated sources."""
    import kg.build

    out = tmp_path_factory.mktemp("build")
    kg.build.build(None, out)
    return out


def _expected_genes(folder: Path) -> list[tuple[str, str]]:
    store = open_store(folder)
    rows = query(store, GENES).rows
    return [(r["g"], r["label"].value) for r in rows]


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on port {port} after {timeout}s")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _serve(built: Path) -> tuple[subprocess.Popen, int]:
    """`kg serve sparql` on the build, on a free loopback port, answering (stop it with `_stop`)."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-c", "from kg.cli import run; run()", "serve", "sparql",
                             "--build-dir", str(built), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_port(port, proc)
    except (RuntimeError, TimeoutError):
        _stop(proc)
        raise
    return proc, port


def test_kg_serve_sparql_answers_sparqlwrapper(built):
    from urllib.error import HTTPError

    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    expected = _expected_genes(built)
    assert expected
    proc, port = _serve(built)
    try:
        client = SPARQLWrapper(f"http://127.0.0.1:{port}/sparql")
        client.setQuery(PREFIXES + GENES)
        client.setReturnFormat(JSON)
        result = client.query().convert()
        got = [(b["g"]["value"], b["label"]["value"]) for b in result["results"]["bindings"]]
        assert got == expected
        client.setQuery("ASK { ?s ?p ?o }")
        assert client.query().convert()["boolean"] is True
        writer = SPARQLWrapper(f"http://127.0.0.1:{port}/sparql")
        writer.setMethod(POST)
        writer.setQuery("DELETE WHERE { ?s ?p ?o }")
        with pytest.raises((HTTPError, SPARQLWrapperException)) as refused:
            writer.query()
        assert "403" in str(refused.value) or "read-only" in str(refused.value)
        assert client.query().convert()["boolean"] is True  # nothing was deleted
    finally:
        _stop(proc)
    assert "SPARQL endpoint: http://127.0.0.1:" in proc.stderr.read()


def test_oxigraph_server_on_the_build_store_answers_rdflib_sparqlstore(built):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    require(Path(binary).exists(), "the oxigraph server binary (pip package 'oxigraph') is not installed")
    expected = _expected_genes(built)
    port = _free_port()
    proc = subprocess.Popen([binary, "serve-read-only", "--location", str(store_path(built)),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        _wait_for_port(port, proc)
        store = SPARQLStore(f"http://127.0.0.1:{port}/query")
        rows = store.query(PREFIXES + GENES)
        assert [(str(r.g), str(r.label)) for r in rows] == expected
    finally:
        _stop(proc)


def test_construct_answers_json_ld_when_asked(built):
    """Content negotiation: a CONSTRUCT asked for as JSON-LD comes back as JSON-LD (kg's context), holding the same
    triples as the N-Triples answer."""
    import json
    import urllib.parse
    import urllib.request

    import pyoxigraph as ox

    construct = PREFIXES + "CONSTRUCT { ?g rdfs:label ?label } WHERE { ?g a biolink:Gene ; rdfs:label ?label }"
    proc, port = _serve(built)
    try:
        url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": construct})

        def get(accept: str) -> tuple[str, bytes]:
            with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept})) as reply:
                return reply.headers["Content-Type"], reply.read()

        ld_type, ld_body = get("application/ld+json")
        nt_type, nt_body = get("application/n-triples")
    finally:
        _stop(proc)
    assert ld_type.startswith("application/ld+json") and nt_type.startswith("application/n-triples")
    doc = json.loads(ld_body)
    assert doc["@context"]["HGNC"] and doc["@graph"]
    from_ld = set(ox.parse(ld_body, format=ox.RdfFormat.JSON_LD))
    from_nt = set(ox.parse(nt_body, format=ox.RdfFormat.N_TRIPLES))
    assert from_ld == from_nt and from_nt
