"""The Neo4j commands through click, on a real build and the real server: kg neo4j push/pull/info/export-csv,
kg query run --engine neo4j; and one clear line, exit 1, no traceback and no password when the server is down
or refuses the credentials."""

from __future__ import annotations

import json
import os
import socket

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.graph import KnowledgeGraph
from kg.neo4j.csv_export import NODES_FILE, read_import_files
from tests.test_neo4j_push import open_connection
from tests.test_rdf_server import built  # noqa: F401 - a fixture: a real build of the curated sources

WRONG_PASSWORD = "not-the-password-4f2a9c"  # a deliberately wrong credential


def _kg(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture(scope="module")
def conn():
    with open_connection() as c:
        yield c


def _build_graph(folder) -> KnowledgeGraph:
    from kg.build import load_graph

    return load_graph(folder)


@pytest.mark.neo4j
def test_push_twice_then_pull_check(conn, built, tmp_path):  # noqa: F811
    graph = _build_graph(built)
    first = _kg("neo4j", "push", "--build-dir", str(built), "--replace", "--format", "json")
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert data["nodes_created"] == len(graph) and data["relationships_created"] == len(graph.edges)
    assert (data["database_nodes"], data["database_relationships"]) == (len(graph), len(graph.edges))
    assert "relationships" in first.stderr  # the progress bar
    second = json.loads(_kg("neo4j", "push", "--build-dir", str(built), "-q", "--batch-size", "10", "--workers",
                            "1", "--format", "json").stdout)
    assert (second["nodes_created"], second["relationships_created"]) == (0, 0)
    assert (second["database_nodes"], second["database_relationships"]) == (len(graph), len(graph.edges))
    out = tmp_path / "pulled.json"
    pulled = _kg("neo4j", "pull", "--check", "--build-dir", str(built), "-o", str(out), "--format", "json")
    assert pulled.exit_code == 0, pulled.output
    assert json.loads(pulled.stdout)["edges"] == len(graph.edges)
    assert "identical to the build" in pulled.stderr
    assert KnowledgeGraph.from_dict(json.loads(out.read_text(encoding="utf-8"))) == graph
    table = _kg("neo4j", "pull")
    assert table.exit_code == 0 and "evidence_records" in table.stdout


@pytest.mark.neo4j
def test_pull_check_reports_a_difference(conn, built):  # noqa: F811
    from kg.neo4j.push import push

    graph = _build_graph(built)
    push(conn, graph.subgraph([e.id for e in graph.entities][1:]), replace=True)
    result = _kg("neo4j", "pull", "--check", "--build-dir", str(built))
    assert result.exit_code == 1
    assert "differs from the build" in result.stderr and "entities missing" in result.stderr


@pytest.mark.neo4j
def test_query_run_with_the_neo4j_engine(conn, built):  # noqa: F811
    from kg.neo4j.push import push

    push(conn, _build_graph(built), replace=True)
    for name, params in (("interactions", ["of=ANKH"]), ("neighbors", ["center=PPi", "depth=2"]),
                         ("paths", ["source=TGFB1", "target=PPi", "signed=true"])):
        args = ["query", "run", name, *[x for p in params for x in ("--param", p)], "--build-dir", str(built),
                "--format", "json"]
        nx_rows = json.loads(_kg(*args).stdout)
        neo_rows = _kg(*args, "--engine", "neo4j")
        assert neo_rows.exit_code == 0, neo_rows.output
        assert json.loads(neo_rows.stdout) == nx_rows and nx_rows, name


@pytest.mark.neo4j
def test_info_names_the_server_but_never_the_password(conn):
    result = _kg("neo4j", "info", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["server"].startswith("Neo4j/5") and data["database"] == os.environ.get("NEO4J_DATABASE", "neo4j")
    assert os.environ["NEO4J_PASSWORD"] not in result.output


def _assert_one_clear_error(result, *needles: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for needle in needles:
        assert needle in lines[0]
    assert result.stdout == ""


@pytest.mark.neo4j
@pytest.mark.parametrize("command", [["neo4j", "pull"], ["neo4j", "info"], ["cypher", "RETURN 1 AS one"]])
def test_a_wrong_password_is_one_clear_line(conn, command):
    result = _kg(*command, env={"NEO4J_PASSWORD": WRONG_PASSWORD})
    _assert_one_clear_error(result, "refused the credentials", "NEO4J_PASSWORD")
    assert WRONG_PASSWORD not in result.output and os.environ["NEO4J_PASSWORD"] not in result.output
    assert _kg("cypher", "RETURN 1 AS one").exit_code == 0  # the right password still works afterwards


@pytest.mark.neo4j
def test_a_wrong_password_fails_push_and_query_run(conn, built):  # noqa: F811
    env = {"NEO4J_PASSWORD": WRONG_PASSWORD}
    push = _kg("neo4j", "push", "--build-dir", str(built), env=env)
    _assert_one_clear_error(push, "refused the credentials")
    run = _kg("query", "run", "contested", "--engine", "neo4j", "--build-dir", str(built), env=env)
    _assert_one_clear_error(run, "refused the credentials")
    assert WRONG_PASSWORD not in push.output + run.output
    assert _kg("cypher", "RETURN 1 AS one").exit_code == 0  # a success resets the server's failed-login count


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("command", [["neo4j", "pull"], ["neo4j", "info"], ["cypher", "RETURN 1 AS one"]])
def test_a_server_that_is_down_is_one_clear_line(command):
    port = _unused_port()
    env = {"NEO4J_URI": f"bolt://127.0.0.1:{port}", "NEO4J_PASSWORD": WRONG_PASSWORD}
    result = _kg(*command, env=env)
    _assert_one_clear_error(result, f"cannot reach Neo4j at bolt://127.0.0.1:{port}", "connection refused")
    assert WRONG_PASSWORD not in result.output


def test_settings_problems_are_clear():
    unset = _kg("neo4j", "info", env={"NEO4J_URI": ""})
    assert unset.exit_code == 1 and "NEO4J_URI is not set" in unset.stderr
    http = _kg("neo4j", "info", env={"NEO4J_URI": "http://127.0.0.1:7474", "NEO4J_PASSWORD": "x"})
    assert http.exit_code == 2 and "not a Bolt URI" in http.stderr and "Traceback" not in http.output
    no_password = _kg("neo4j", "info", env={"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": ""})
    assert no_password.exit_code == 1 and "NEO4J_PASSWORD is not set" in no_password.stderr


def test_export_csv_prints_the_import_command(built, tmp_path):  # noqa: F811
    folder = tmp_path / "import"
    result = _kg("neo4j", "export-csv", str(folder), "--build-dir", str(built), "--database", "kgdb")
    assert result.exit_code == 0, result.output
    assert "neo4j-admin database import full kgdb" in result.stderr
    assert f"--nodes={(folder / NODES_FILE).resolve()}" in result.stderr
    assert read_import_files(folder) == _build_graph(built)


def test_the_neo4j_commands_start_fast_and_lazily():
    import subprocess
    import sys

    code = ("import sys, kg.cli.neo4j; heavy = [m for m in ('neo4j', 'pydantic', 'networkx', 'rich') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


URI_SECRET = "uri-s3cret-7d1e"


def _secret_free(result, *secrets: str) -> None:
    assert "Traceback" not in result.output
    for secret in secrets:
        assert secret not in result.output, result.output


@pytest.mark.parametrize("uri", [
    "bolt://alice:{s}@127.0.0.1:{port}",            # a server that is down
    "neo4j://alice:{s}@127.0.0.1:{port}",           # the routing scheme
    "bolt://alice:{s}@127.0.0.1:notaport",          # a malformed port
    "bolt://alice:{s}@[::1",                        # an unparseable URI
    "http://alice:{s}@127.0.0.1:{port}",            # not Bolt
    "bolt://alice:{s}%40x@127.0.0.1:{port}",        # percent-encoded
])
def test_credentials_in_the_uri_are_never_echoed(uri):
    """A NEO4J_URI carrying user:password: every error path names the server without them."""
    port = _unused_port()
    env = {"NEO4J_URI": uri.format(s=URI_SECRET, port=port), "NEO4J_PASSWORD": "", "NEO4J_USER": ""}
    for command in (["cypher", "RETURN 1 AS one"], ["neo4j", "info"]):
        result = _kg(*command, env=env)
        assert result.exit_code in (1, 2), result.output
        assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
        _secret_free(result, URI_SECRET, "alice:")


@pytest.mark.neo4j
def test_credentials_in_the_uri_are_used_and_scrubbed(conn):
    host = conn.settings.where.split("://", 1)[1]
    user, password = os.environ.get("NEO4J_USER") or "neo4j", os.environ["NEO4J_PASSWORD"]
    env = {"NEO4J_URI": f"bolt://{user}:{password}@{host}", "NEO4J_PASSWORD": "", "NEO4J_USER": ""}
    ok = _kg("cypher", "RETURN 1 AS one", "--format", "json", env=env)
    assert ok.exit_code == 0 and json.loads(ok.stdout) == [{"one": 1}]
    info = _kg("neo4j", "info", "--format", "json", env=env)
    assert info.exit_code == 0 and json.loads(info.stdout)["uri"] == f"bolt://{host}"
    _secret_free(info, password)
    wrong = _kg("cypher", "RETURN 1 AS one", env={**env, "NEO4J_URI": f"bolt://{user}:{URI_SECRET}@{host}"})
    _assert_one_clear_error(wrong, "refused the credentials", f"bolt://{host}")
    _secret_free(wrong, URI_SECRET, password)
    assert _kg("cypher", "RETURN 1 AS one").exit_code == 0  # reset the server's failed-login count


def test_no_log_record_carries_uri_credentials(caplog):
    """The driver's own logging is silenced and kg's messages are scrubbed: at DEBUG, nothing holds the secret."""
    import logging

    from kg.errors import KgError
    from kg.neo4j.connection import Settings, connect

    caplog.set_level(logging.DEBUG)
    env = {"NEO4J_URI": f"bolt://alice:{URI_SECRET}@127.0.0.1:{_unused_port()}"}
    with pytest.raises(KgError) as failed, connect(Settings.from_env(env)):
        pass
    assert URI_SECRET not in str(failed.value) and "alice:" not in str(failed.value)
    assert URI_SECRET not in caplog.text and URI_SECRET not in repr(Settings.from_env(env))
