"""`kg rdf push` against a real SPARQL 1.1 store: the `oxigraph` server on loopback (Graph Store Protocol)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.rdf.push import ENV_PASSWORD, ENV_TOKEN, ENV_USER, batches, bearer_header, graph_url
from kg.rdf.reverse import graph_from_triples
from kg.rdf.terms import from_oxigraph
from tests.conftest import require
from tests.test_rdf_server import _free_port, _stop, _wait_for_port

SECRET = "s3cret-Passw0rd-never-printed"
GRAPH = "https://example.org/kg-under-test"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import kg.build

    out = tmp_path_factory.mktemp("build")
    kg.build.build(None, out)
    return out


@pytest.fixture()
def oxigraph(tmp_path):
    """A read-write oxigraph server with its own store; yields its base URL."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    require(Path(binary).exists(), "the oxigraph server binary (pip package 'oxigraph') is not installed")
    port = _free_port()
    proc = subprocess.Popen([binary, "serve", "--location", str(tmp_path / "store"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


def kg_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from kg.cli import run; run()", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300)


def count(base: str, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    url = f"{base}/query?" + urllib.parse.urlencode({"query": query})
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})) \
            as reply:
        return int(json.load(reply)["results"]["bindings"][0]["n"]["value"])


def fetch_graph(base: str, graph: str):
    import pyoxigraph as ox

    url = graph_url(f"{base}/store", graph)
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/n-triples"})) as reply:
        body = reply.read()
    return [(from_oxigraph(t.subject), t.predicate.value, from_oxigraph(t.object))
            for t in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]


def put(base: str, graph: str, ntriples: str) -> None:
    request = urllib.request.Request(graph_url(f"{base}/store", graph), data=ntriples.encode(), method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(request).read()


def test_push_loads_the_graph_in_batches_idempotently_and_leaves_other_graphs(built, oxigraph, curated_graph):
    other = "https://example.org/someone-elses"
    put(oxigraph, other, "<https://example.org/a> <https://example.org/b> \"kept\" .\n")
    env = {ENV_USER: "kg", ENV_PASSWORD: SECRET}
    args = ["rdf", "push", "--endpoint", f"{oxigraph}/store", "--graph", GRAPH, "--batch-size", "700",
            "--build-dir", str(built), "--format", "json"]
    first = kg_cli(*args, env=env)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["batches"] > 1 and report["graph"] == GRAPH
    assert SECRET not in first.stdout + first.stderr
    triples = fetch_graph(oxigraph, GRAPH)
    assert graph_from_triples(triples) == curated_graph  # lossless: the pushed graph reads back as the build
    n = count(oxigraph, GRAPH)
    assert n == len(set(triples)) > 0
    again = kg_cli(*args, env=env)
    assert again.returncode == 0, again.stderr
    assert count(oxigraph, GRAPH) == n  # a second push replaces, never duplicates
    assert count(oxigraph, other) == 1


def test_push_refuses_credentials_in_the_url_without_echoing_them(built):
    result = kg_cli("rdf", "push", "--endpoint", f"http://kg:{SECRET}@127.0.0.1:9/store", "--build-dir", str(built))
    assert result.returncode == 2
    assert SECRET not in result.stdout + result.stderr and "environment" in result.stderr


def test_push_to_an_unreachable_store_fails_cleanly(built):
    port = _free_port()  # nothing listens there
    result = kg_cli("rdf", "push", "--endpoint", f"http://127.0.0.1:{port}/store", "--build-dir", str(built),
                    env={ENV_TOKEN: SECRET})
    assert result.returncode == 1
    assert "cannot reach the store" in result.stderr and "Traceback" not in result.stderr
    assert SECRET not in result.stdout + result.stderr


def test_push_reports_what_the_store_refuses(built, oxigraph):
    result = kg_cli("rdf", "push", "--endpoint", f"{oxigraph}/no-such-service", "--build-dir", str(built))
    assert result.returncode == 1 and "HTTP 404" in result.stderr


def test_batches_cover_every_line_once():
    lines = [f"<a> <b> \"{i}\" .\n" for i in range(10)]
    got = list(batches(lines, 3))
    assert [n for n, _ in got] == [3, 3, 3, 1]
    assert b"".join(body for _, body in got).decode() == "".join(lines)
    assert list(batches([], 3)) == [(0, b"")]  # an empty graph still replaces the named graph


def test_token_goes_in_a_bearer_header_only_when_set():
    assert bearer_header({ENV_TOKEN: "abc"}) == {"Authorization": "Bearer abc"}
    assert bearer_header({}) == {}


def test_append_posts_every_batch_and_stays_idempotent_for_one_build(built, oxigraph):
    stale = "<https://example.org/stale> <https://example.org/p> \"from an older build\" .\n"
    put(oxigraph, GRAPH, stale)
    args = ["rdf", "push", "--append", "--endpoint", f"{oxigraph}/store", "--graph", GRAPH, "--batch-size", "900",
            "--build-dir", str(built)]
    assert kg_cli(*args).returncode == 0
    n = count(oxigraph, GRAPH)
    assert kg_cli(*args).returncode == 0
    assert count(oxigraph, GRAPH) == n  # the same triples again: a set does not grow
    assert any(s == "https://example.org/stale" for s, _, _ in fetch_graph(oxigraph, GRAPH))  # append keeps it
