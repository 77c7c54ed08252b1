"""`kg neo4j import` on the real thing: neo4j-admin (the AdminTool of kg's Neo4j 5.26 build) and kg's own server,
which is started on the imported data; then the constraints, `pull`, a second import, and the refusals."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from kg.neo4j.admin_import import imported_counts, kg_build_lib
from kg.neo4j.local_server import deploy_dir, read_env_file
from tests.conftest import require

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import kg.build

    out = tmp_path_factory.mktemp("build")
    kg.build.build(None, out)
    return out


@pytest.fixture(scope="module")
def env():
    """A clean environment (no other server's NEO4J_* settings) with modest memory for a second server."""
    require(shutil.which("java") is not None and (kg_build_lib() / ".complete").exists(),
            "no Java or no built Neo4j server (deploy/neo4j/neo4jctl.sh build; make test does it)")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KG_NEO4J_"))}
    return {**clean, "KG_NEO4J_HEAP": "512m", "KG_NEO4J_PAGECACHE_MB": "64", "KG_NEO4J_IMPORT_HEAP": "512m",
            "KG_NEO4J_IMPORT_OFF_HEAP": "256m"}


def kg_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from kg.cli import run; run()", *args], capture_output=True,
                          text=True, env=env, timeout=600)


def test_import_starts_kgs_server_on_the_data_with_constraints_and_reimports(built, env, curated_graph, tmp_path):
    from kg.neo4j.connection import Settings, connect, consume, records
    from kg.neo4j.pull import pull
    from kg.neo4j.push import constraint_statements

    server = tmp_path / "server"
    try:
        first = kg_cli(env, "neo4j", "import", "--server-dir", str(server), "--build-dir", str(built),
                       "--format", "json")
        assert first.returncode == 0, first.stderr[-3000:]
        report = json.loads(first.stdout)
        assert (report["nodes"], report["relationships"]) == (len(curated_graph), len(curated_graph.edges))
        settings = Settings.from_env(read_env_file(server / "neo4j.env"))
        assert settings.password not in first.stdout + first.stderr
        with connect(settings) as conn:
            assert pull(conn) == curated_graph
            names = {r["name"] for r in conn.read(records, "SHOW CONSTRAINTS YIELD name RETURN name")}
            assert len(constraint_statements()) == report["constraints"] and {"kg_entity_id"} <= names
            assert len([n for n in names if n.startswith("kg_")]) == report["constraints"]
            conn.write(consume, "CREATE (:Scratch {note: 'written before the second import'})")
        second = kg_cli(env, "neo4j", "import", "--server-dir", str(server), "--build-dir", str(built),
                        "--format", "json")  # the server is running: import beside it, swap, restart
        assert second.returncode == 0, second.stderr[-3000:]
        assert Settings.from_env(read_env_file(server / "neo4j.env")) == settings  # same port, user, password
        with connect(settings) as conn:
            assert pull(conn) == curated_graph
            assert conn.read(records, "MATCH (n:Scratch) RETURN count(n) AS n")[0]["n"] == 0  # a fresh database
        assert not (server / "home.previous").exists() and not (server / "home.importing").exists()
    finally:
        subprocess.run([str(deploy_dir() / "neo4jctl.sh"), "stop", str(server)], env=env, capture_output=True,
                       timeout=300, check=False)


def test_import_into_a_home_refuses_an_existing_database_unless_overwrite(built, env, curated_graph, tmp_path):
    home = tmp_path / "home"
    args = ["neo4j", "import", "--home", str(home), "--build-dir", str(built), "--format", "json"]
    first = kg_cli(env, *args)
    assert first.returncode == 0, first.stderr[-3000:]
    assert json.loads(first.stdout)["relationships"] == len(curated_graph.edges)
    assert (home / "data" / "databases" / "neo4j").is_dir() and not list(home.glob(".kg-import-*"))
    again = kg_cli(env, *args)
    assert again.returncode == 2 and "--overwrite" in again.stderr and "Traceback" not in again.stderr
    replaced = kg_cli(env, *args, "--overwrite")
    assert replaced.returncode == 0, replaced.stderr[-3000:]


def test_bad_inputs_exit_2(built, env, tmp_path):
    both = kg_cli(env, "neo4j", "import", "--home", str(tmp_path / "a"), "--server-dir", str(tmp_path / "b"),
                  "--build-dir", str(built))
    assert both.returncode == 2 and "not both" in both.stderr
    bad_name = kg_cli(env, "neo4j", "import", "--home", str(tmp_path / "a"), "--database", "Bad_Name!",
                      "--build-dir", str(built))
    assert bad_name.returncode == 2 and "database name" in bad_name.stderr
    missing = kg_cli({**env, "KG_NEO4J_ADMIN": str(tmp_path / "no-such-neo4j-admin")}, "neo4j", "import",
                     "--home", str(tmp_path / "a"), "--build-dir", str(built))
    assert missing.returncode == 2 and "KG_NEO4J_ADMIN" in missing.stderr


def test_imported_counts_reads_neo4j_admins_summary():
    out = "IMPORT DONE in 3s 449ms.\nImported:\n  81 nodes\n  130 relationships\n  2252 properties\n"
    assert imported_counts(out) == (81, 130)
