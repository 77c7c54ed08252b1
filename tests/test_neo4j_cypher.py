"""kg cypher on the real server: reads in every format, writes refused without --write (by the plan and by the read
transaction's access mode, with the database unchanged), --write, and parameters that stay data."""

from __future__ import annotations

import csv
import io
import json
import os

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.neo4j import cypher
from kg.neo4j.connection import translate_errors
from kg.neo4j.push import push
from kg.paths import queries_dir
from tests.test_neo4j_push import open_connection, query, write

pytestmark = pytest.mark.neo4j
HOSTILE = "x' OR 1=1 //"
WRITES = [
    "CREATE (n:Intruder {x: 1})",
    "MERGE (n:Intruder {x: 1})",
    "MATCH (n:KgEntity) DETACH DELETE n",
    "MATCH (n:KgEntity) SET n.label = 'overwritten'",
    "MATCH (n:KgEntity) REMOVE n.label",
    "CALL { CREATE (:Intruder) } RETURN 1 AS one",
    "CALL () { MATCH (n:KgEntity) SET n:Intruder } RETURN 1 AS one",
    "UNWIND range(1, 3) AS i CALL (i) { CREATE (:Intruder {i: i}) } IN TRANSACTIONS RETURN i",
    "LOAD CSV FROM 'file:///etc/hostname' AS line CREATE (:Intruder {line: line})",
    "LOAD CSV FROM 'file:///etc/hostname' AS line RETURN line",
    "CALL db.createLabel('Intruder')",
    "CREATE INDEX intruder IF NOT EXISTS FOR (n:Intruder) ON (n.x)",
    "FOREACH (i IN [1] | CREATE (:Intruder))",
]


def _kg(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def conn(curated_graph):
    with open_connection() as c:
        push(c, curated_graph, replace=True)
        yield c


def _snapshot(conn):
    """Everything a write could change: counts, labels, property keys, indexes and the kg nodes' properties."""
    return {"nodes": query(conn, "MATCH (n) RETURN count(n) AS c"),
            "rels": query(conn, "MATCH ()-[r]->() RETURN count(r) AS c"),
            "labels": query(conn, "CALL db.labels() YIELD label RETURN collect(label) AS l"),
            "indexes": query(conn, "SHOW INDEXES YIELD name RETURN collect(name) AS n"),
            "kg": query(conn, "MATCH (n:KgEntity) RETURN n.id AS id, properties(n) AS p ORDER BY id")}


def test_a_read_in_each_format(conn):
    q = "MATCH (n:KgEntity) WHERE n.category = $category RETURN n.id AS id, n.label AS label ORDER BY id"
    args = ["cypher", q, "--param", "category=gene_or_protein"]
    rows = json.loads(_kg(*args, "--format", "json").output)
    assert {"id": "HGNC:15492", "label": "ANKH"} in rows
    assert rows == query(conn, q, category="gene_or_protein")
    tsv = list(csv.reader(io.StringIO(_kg(*args, "--format", "tsv").stdout), delimiter="\t"))
    assert tsv[0] == ["id", "label"] and ["HGNC:15492", "ANKH"] in tsv and len(tsv) == len(rows) + 1
    table = _kg(*args, "--format", "table")
    assert table.exit_code == 0 and "ANKH" in table.stdout and f"{len(rows)} rows" in table.stdout


def test_nodes_relationships_and_paths_come_out_as_plain_data(conn):
    q = ("MATCH p = (s:KgEntity {id: 'HGNC:15492'})-[r]->(o:KgEntity) "
         "RETURN s, r, p, date('2026-11-30') AS day ORDER BY r.id LIMIT 1")
    row = json.loads(_kg("cypher", q, "--format", "json").output)[0]
    assert row["s"]["labels"] == ["GeneOrProtein", "KgEntity"] and row["s"]["properties"]["label"] == "ANKH"
    assert row["r"]["start"] == "HGNC:15492" and row["r"]["properties"]["id"].startswith("KG:edge.")
    assert row["p"]["nodes"][0]["properties"]["id"] == "HGNC:15492" and len(row["p"]["relationships"]) == 1
    assert row["day"] == "2026-11-30"


@pytest.mark.parametrize("statement", WRITES)
def test_writes_are_refused_without_write_and_change_nothing(conn, statement):
    before = _snapshot(conn)
    result = _kg("cypher", statement)
    assert result.exit_code == 2, result.output
    assert "--write" in result.stderr and "Traceback" not in result.output
    assert _snapshot(conn) == before


@pytest.mark.parametrize("statement", [s for s in WRITES if not s.startswith("LOAD CSV FROM 'file:///etc/hostname'"
                                                                           " AS line RETURN")])
def test_the_read_transaction_refuses_writes_on_its_own(conn, statement):
    """Without the plan check, the server's read access mode still refuses every write."""
    before = _snapshot(conn)
    with pytest.raises(InputError, match="refused a write in a read transaction"), translate_errors(conn.settings):
        cypher.run(conn, statement, check_plan=False)
    assert _snapshot(conn) == before


def test_with_write_it_runs(conn):
    try:
        created = _kg("cypher", "CREATE (n:Intruder {name: $name}) RETURN n.name AS name", "--write",
                      "--param", "name=visitor", "--format", "json")
        assert created.exit_code == 0 and json.loads(created.stdout) == [{"name": "visitor"}]
        assert "nodes created: 1" in created.stderr
        batched = _kg("cypher", "UNWIND range(1, 3) AS i CALL (i) { CREATE (:Intruder {i: i}) } IN TRANSACTIONS",
                      "--write")
        assert batched.exit_code == 0, batched.output
        assert query(conn, "MATCH (n:Intruder) RETURN count(n) AS c") == [{"c": 4}]
    finally:
        write(conn, "MATCH (n:Intruder) DETACH DELETE n")


def test_parameters_are_driver_parameters(conn):
    rows = json.loads(_kg("cypher", "RETURN $v AS v, $n AS n, $b AS b, $j AS j", "--param", f"v={HOSTILE}",
                          "--param", "n:int=42", "--param", "b:bool=true", "--param", 'j:json=["a", 1]',
                          "--format", "json").output)
    assert rows == [{"v": HOSTILE, "n": 42, "b": True, "j": ["a", 1]}]
    hostile = _kg("cypher", "MATCH (n:KgEntity) WHERE n.label = $name RETURN n.id AS id", "--param",
                  f"name={HOSTILE}", "--format", "json")
    assert hostile.exit_code == 0 and json.loads(hostile.stdout) == []
    assert cypher.parse_params(["a=b=c", "x:float=1.5", "e="]) == {"a": "b=c", "x": 1.5, "e": ""}
    for bad in (["noequals"], ["n:int=x"], ["b:bool=maybe"], ["t:date=1"], ["a=1", "a=2"]):
        with pytest.raises(InputError):
            cypher.parse_params(bad)


def test_a_query_file(conn, curated_graph, tmp_path):
    from kg import named_queries as nq

    rows = json.loads(_kg("cypher", str(queries_dir() / "interactions.cypher"), "--param", "of=HGNC:15492",
                          "--format", "json").output)
    expected = nq.run("interactions", {"of": "ANKH"}, curated_graph)
    assert nq.normalise(nq.load("interactions"), rows) == expected and expected
    path = tmp_path / "count.cypher"
    path.write_text("// how many kg nodes\nMATCH (n:KgEntity) RETURN count(n) AS n;\n", encoding="utf-8")
    assert json.loads(_kg("cypher", str(path), "--format", "json").output) == [{"n": len(curated_graph)}]
    missing = _kg("cypher", str(tmp_path / "missing.cypher"))
    assert missing.exit_code == 2 and "no such query file" in missing.stderr


def test_syntax_errors_and_warnings_are_one_line_each(conn):
    result = _kg("cypher", "MATCH (n RETURN n")
    assert result.exit_code == 2 and result.stderr.startswith("error: Neo4j refused the query")
    assert len(result.stderr.strip().splitlines()) == 1
    unknown = _kg("cypher", "MATCH (n:NoSuchLabel) RETURN count(n) AS c", "--format", "json")
    assert unknown.exit_code == 0 and json.loads(unknown.stdout) == [{"c": 0}]
    assert "warning:" in unknown.stderr and "NoSuchLabel" in unknown.stderr


ADMIN = [
    "SHOW SETTINGS",
    "SHOW TRANSACTIONS",
    "SHOW TRANSACTIONS YIELD transactionId RETURN transactionId",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "CALL db.stats.collect('QUERIES')",
    "CALL db.stats.clear('QUERIES')",
    "CALL db.stats.retrieve('GRAPH COUNTS')",
    "CALL db.stats.stop('QUERIES')",
    "CALL { CALL db.stats.collect('QUERIES') YIELD section RETURN section } RETURN section",
    "CALL db.prepareForReplanning()",
    "CALL db.resampleOutdatedIndexes()",
    "CALL db.clearQueryCaches()",
    "CALL dbms.listConfig()",
    "CALL dbms.killConnections(['bolt-1'])",
    "CALL tx.setMetaData({who: 'kg'})",
    "SHOW USERS",
    "SHOW DATABASES",
    "UNWIND [1, 2] AS i CALL (i) { RETURN i AS j } IN TRANSACTIONS RETURN j",
]


@pytest.mark.parametrize("statement", ADMIN)
def test_admin_commands_are_refused_without_write(conn, statement):
    result = _kg("cypher", statement)
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and "--write" in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_schema_reads_and_read_procedures_still_run(conn):
    for statement in ("SHOW INDEXES YIELD name RETURN name", "SHOW CONSTRAINTS YIELD name RETURN name",
                      "CALL db.labels() YIELD label RETURN label", "SHOW PROCEDURES YIELD name RETURN name",
                      "CALL db.schema.nodeTypeProperties()"):
        result = _kg("cypher", statement, "--format", "json")
        assert result.exit_code == 0, result.output
    assert "KgEntity" in {r["label"] for r in json.loads(_kg("cypher", "CALL db.labels() YIELD label RETURN label",
                                                              "--format", "json").stdout)}


def test_terminate_cannot_kill_another_sessions_transaction(conn):
    """Another session holds an open transaction; read-mode TERMINATE TRANSACTIONS is refused and it lives on."""
    with conn.driver.session(database=conn.settings.database) as other:
        victim = other.begin_transaction()
        try:
            victim.run("MATCH (n:KgEntity) RETURN count(n) AS c").consume()
            ids = [r["id"] for r in query(conn, "SHOW TRANSACTIONS YIELD transactionId AS id, currentQuery AS q "
                                                "WHERE q = '' OR q IS NULL OR NOT q STARTS WITH 'SHOW' RETURN id")]
            assert ids
            for tx_id in ids:
                result = _kg("cypher", f"TERMINATE TRANSACTIONS '{tx_id}'")
                assert result.exit_code == 2 and "administration command" in result.stderr
            assert victim.run("RETURN 1 AS one").single()["one"] == 1  # still alive
        finally:
            victim.rollback()


def test_db_stats_collection_is_not_started(conn):
    def status():
        return query(conn, "CALL db.stats.status() YIELD section, status RETURN section, status ORDER BY section")

    before = status()
    assert _kg("cypher", "CALL db.stats.collect('QUERIES')").exit_code == 2
    assert status() == before


def _kg_import_dir():
    from pathlib import Path

    from tests.conftest import require

    folder = os.environ.get("KG_NEO4J_IMPORT")
    require(bool(folder), "the Neo4j server is not kg's own (KG_NEO4J_IMPORT unset): its LOAD CSV settings are "
                          "not kg's to test")
    return Path(folder)


def test_load_csv_with_write_reads_only_the_import_directory(conn, tmp_path):
    import_dir = _kg_import_dir()
    (import_dir / "kg-test.csv").write_text("ANKH,PPi\n", encoding="utf-8")
    secret = tmp_path / "private.csv"
    secret.write_text("do-not-read\n", encoding="utf-8")
    secret.chmod(0o600)
    try:
        ok = _kg("cypher", "LOAD CSV FROM 'file:///kg-test.csv' AS row RETURN row", "--write", "--format", "json")
        assert ok.exit_code == 0 and json.loads(ok.stdout) == [{"row": ["ANKH", "PPi"]}]
        for url in ("file:///etc/passwd", "file:///../../../../../../etc/passwd", f"file://{secret}",
                    "file:///%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd"):
            result = _kg("cypher", f"LOAD CSV FROM '{url}' AS row RETURN row LIMIT 1", "--write", "--format", "json")
            assert result.exit_code == 2, (url, result.output)
            assert "root:" not in result.output and "do-not-read" not in result.output
    finally:
        (import_dir / "kg-test.csv").unlink()


def test_load_csv_cannot_reach_loopback_services(conn):
    """With --write, LOAD CSV from a URL on this host is refused by kg's server: the listener receives nothing."""
    import socket
    import threading

    _kg_import_dir()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    connections = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                peer, _ = listener.accept()
            except OSError:
                continue
            connections.append(peer)
            peer.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        for host in ("127.0.0.1", "localhost"):
            result = _kg("cypher", f"LOAD CSV FROM 'http://{host}:{port}/x.csv' AS row RETURN row", "--write")
            assert result.exit_code == 2 and "blocked" in result.stderr, result.output
    finally:
        stop.set()
        thread.join()
        listener.close()
    assert connections == []
