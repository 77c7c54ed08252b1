"""kg cypher on the real server: reads in every format, writes refused without --write (by the plan and by the read
transaction's access mode, with the database unchanged), --write, and parameters that stay data."""

from __future__ import annotations

import csv
import io
import json

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
