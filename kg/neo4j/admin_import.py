"""Bulk load by `neo4j-admin database import full`, for graphs too big to push over Bolt (`kg neo4j import`).

neo4j-admin writes a database's store files directly, so nothing may be running on them: it imports into a Neo4j
home whose DBMS is stopped, or into a fresh folder. The files are those of `kg neo4j export-csv`
(kg.neo4j.csv_export, the same properties as `kg neo4j push`), written to a scratch folder inside the home and
removed afterwards. The importer is neo4j-admin's AdminTool from kg's Neo4j build (`java -cp
'deploy/neo4j/target/lib/*' org.neo4j.cli.AdminTool`), or the `neo4j-admin` named by KG_NEO4J_ADMIN or found on
PATH. Constraints cannot be part of an import: they are applied over Bolt once the database runs
(kg.neo4j.local_server does both for kg's own server). Memory: KG_NEO4J_IMPORT_HEAP (the AdminTool's -Xmx) and
KG_NEO4J_IMPORT_OFF_HEAP (--max-off-heap-memory), both unset by default (neo4j-admin's own sizing).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import InputError, KgError

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

ENV_ADMIN, ENV_HEAP, ENV_OFF_HEAP = "KG_NEO4J_ADMIN", "KG_NEO4J_IMPORT_HEAP", "KG_NEO4J_IMPORT_OFF_HEAP"
ADMIN_TOOL_CLASS = "org.neo4j.cli.AdminTool"
_DATABASE_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{2,62}$")  # Neo4j 5 database names


@dataclass(frozen=True)
class ImportResult:
    """What neo4j-admin reported, checked against the graph."""

    home: Path
    database: str
    nodes: int
    relationships: int
    seconds: float  # writing the files and running the importer
    files_seconds: float = 0.0  # of which: writing the files


def kg_build_lib() -> Path:
    """The jars of kg's Neo4j build (deploy/neo4j/target/lib in a source checkout)."""
    from kg.paths import PACKAGE_DIR

    return PACKAGE_DIR.parent / "deploy" / "neo4j" / "target" / "lib"


def admin_command() -> list[str]:
    """How to run neo4j-admin here: KG_NEO4J_ADMIN, else kg's build's AdminTool, else `neo4j-admin` on PATH."""
    named = os.environ.get(ENV_ADMIN)
    if named:
        if not (Path(named).is_file() and os.access(named, os.X_OK)):
            raise InputError(f"{ENV_ADMIN}={named} is not an executable neo4j-admin")
        return [named]
    lib = kg_build_lib()
    java = str(Path(os.environ["JAVA_HOME"]) / "bin" / "java") if os.environ.get("JAVA_HOME") else shutil.which("java")
    if (lib / ".complete").exists() and java:
        heap = [f"-Xmx{os.environ[ENV_HEAP]}"] if os.environ.get(ENV_HEAP) else []
        return [java, *heap, "-cp", f"{lib}/*", ADMIN_TOOL_CLASS]
    found = shutil.which("neo4j-admin")
    if found:
        return [found]
    raise KgError("no neo4j-admin found: build kg's Neo4j server (make neo4j-build, needs Java 17 and Maven), "
                  f"put neo4j-admin on PATH, or set {ENV_ADMIN}")


def check_database_name(database: str) -> str:
    if not _DATABASE_NAME.match(database):
        raise InputError(f"'{database}' is not a Neo4j database name (3-63 of a-z, 0-9, '.', '-')")
    return database


def database_exists(home: Path, database: str) -> bool:
    return (home / "data" / "databases" / database).exists()


def import_graph(graph: KnowledgeGraph, home: Path, database: str = "neo4j", *, overwrite: bool = False,
                 timeout: float = 3600.0) -> ImportResult:
    """Import `graph` into `database` of the Neo4j home `home` (its DBMS stopped, or a new folder)."""
    from kg.neo4j.csv_export import ARRAY_DELIMITER_OPTION, NODES_FILE, RELATIONSHIPS_FILE, write_import_files

    check_database_name(database)
    home = Path(home).resolve()
    if home.exists() and not home.is_dir():
        raise InputError(f"{home} is not a folder")
    if database_exists(home, database) and not overwrite:
        raise InputError(f"{home} already holds the database '{database}': add --overwrite to replace it "
                         "(with the DBMS stopped)")
    command = admin_command()
    home.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    scratch = Path(tempfile.mkdtemp(prefix=".kg-import-", dir=home))
    try:
        write_import_files(graph, scratch, database)
        files_seconds = time.perf_counter() - start
        args = [*command, "database", "import", "full", database, f"--nodes={scratch / NODES_FILE}",
                f"--relationships={scratch / RELATIONSHIPS_FILE}", f"--array-delimiter={ARRAY_DELIMITER_OPTION}",
                "--multiline-fields=true", "--id-type=string", f"--report-file={scratch / 'import.report'}"]
        if overwrite:
            args.append("--overwrite-destination=true")
        if os.environ.get(ENV_OFF_HEAP):
            args.append(f"--max-off-heap-memory={os.environ[ENV_OFF_HEAP]}")
        env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
        try:
            done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise KgError(f"neo4j-admin import did not finish within {timeout:.0f} s") from None
        except OSError as exc:
            raise KgError(f"cannot run neo4j-admin ({command[0]}): {exc}") from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise KgError(f"neo4j-admin import into {home} failed (exit {done.returncode}): {_tail(output)}")
    nodes, relationships = imported_counts(output)
    if (nodes, relationships) != (len(graph), len(graph.edges)):
        raise KgError(f"neo4j-admin imported {nodes} nodes and {relationships} relationships, not the graph's "
                      f"{len(graph)} and {len(graph.edges)}: {_tail(output)}")
    return ImportResult(home, database, nodes, relationships, time.perf_counter() - start, files_seconds)


def imported_counts(output: str) -> tuple[int, int]:
    """(nodes, relationships) from neo4j-admin's summary ("Imported:\\n  81 nodes\\n  130 relationships")."""
    nodes = re.search(r"^\s*(\d+) nodes\s*$", output, re.MULTILINE)
    rels = re.search(r"^\s*(\d+) relationships\s*$", output, re.MULTILINE)
    if not (nodes and rels):
        raise KgError(f"neo4j-admin did not report what it imported: {_tail(output)}")
    return int(nodes.group(1)), int(rels.group(1))


def _tail(output: str, lines: int = 6) -> str:
    """The last meaningful lines of the importer's output (its progress dots left out)."""
    kept = [line.strip() for line in output.splitlines() if line.strip() and not line.lstrip().startswith(".")]
    return " | ".join(kept[-lines:]) or "(no output)"
