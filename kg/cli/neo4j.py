"""Neo4j commands: `kg neo4j push|pull|import|constraints|export-csv|info` and `kg cypher`.

The server comes from the environment: NEO4J_URI (bolt:// or neo4j://, +s/+ssc for TLS), NEO4J_USER,
NEO4J_PASSWORD, NEO4J_DATABASE. The driver, pydantic and networkx are imported inside the commands.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.cli.core import build_dir_option, get_graph
from kg.cli.output import emit_json, emit_rows, format_option
from kg.neo4j import DEFAULT_BATCH_SIZE, DEFAULT_WORKERS

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


@click.group()
def neo4j() -> None:
    """Load the graph into Neo4j 5, read it back, or write neo4j-admin import files.

    The server is read from the environment: NEO4J_URI (e.g. bolt://localhost:7687 or neo4j+s://HOST for Aura),
    NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE (default neo4j). See docs/neo4j.md.
    """


@contextmanager
def _progress(graph: KnowledgeGraph, quiet: bool) -> Iterator[Any]:
    """A rich progress bar on stderr (nodes, then relationships); None when quiet."""
    if quiet:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description:>13}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True)) as bar:
        tasks = {"nodes": bar.add_task("nodes", total=len(graph)),
                 "relationships": bar.add_task("relationships", total=len(graph.edges))}
        yield lambda what, n: bar.advance(tasks[what], n)


@neo4j.command("push")
@build_dir_option
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=DEFAULT_BATCH_SIZE, show_default=True,
              help="Rows per transaction.")
@click.option("--workers", type=click.IntRange(1, 32), default=DEFAULT_WORKERS, show_default=True,
              help="Transactions at once (1: one after another).")
@click.option("--replace", is_flag=True,
              help="Afterwards delete kg's nodes and relationships that are not in the graph (nothing else).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@format_option()
def push(build_dir: Path | None, batch_size: int, workers: int, replace: bool, quiet: bool, fmt: str) -> None:
    """Load the graph into Neo4j: constraints, then nodes, then relationships, in batched UNWIND transactions.

    Idempotent: nodes are MERGEd on the entity id; relationships are keyed by the deterministic edge id (each
    batch updates the ids already there and creates the others), so pushing twice leaves the same counts. Node
    labels (KgEntity + the category's label) and relationship types come from the schema; every field is a
    property (nested records as JSON), evidence included.
    """
    from kg.neo4j.connection import connect
    from kg.neo4j.push import counts
    from kg.neo4j.push import push as do_push

    graph = get_graph(build_dir)
    with connect() as conn, _progress(graph, quiet) as progress:
        result = do_push(conn, graph, batch_size=batch_size, workers=workers, replace=replace, progress=progress)
        in_db = counts(conn)
        where = f"{conn.settings.where} ({conn.settings.database})"
    data = {**result.as_dict(), "seconds": round(result.seconds, 3), "database_nodes": in_db["nodes"],
            "database_relationships": in_db["relationships"]}
    if fmt == "json":
        emit_json(data)
        return
    emit_rows([{"what": k.replace("_", " "), "value": v} for k, v in data.items()], ("what", "value"), fmt,
              title=f"pushed to {where}")


@neo4j.command("pull")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the graph as JSON, in the format of a build's graph.json.")
@click.option("--check", is_flag=True,
              help="Compare with the current build (see --build-dir); exit 1 and list the differences if any.")
@build_dir_option
@format_option()
def pull(output: Path | None, check: bool, build_dir: Path | None, fmt: str) -> None:
    """Read kg's graph back from Neo4j (validated like a source) and print its counts.

    Only what kg wrote is read: KgEntity nodes and the kg relationships between them. With -o FILE the graph is
    written as JSON (readable with KnowledgeGraph.from_dict); with --check it is compared with the build.
    """
    from kg.build import graph_stats
    from kg.errors import KgError
    from kg.neo4j.connection import connect
    from kg.neo4j.pull import differences
    from kg.neo4j.pull import pull as do_pull

    with connect() as conn:
        graph = do_pull(conn)
    if output is not None:
        tmp = output.with_name(f".{output.name}.tmp")
        tmp.write_text(json.dumps(graph.to_dict(), indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                       encoding="utf-8")
        tmp.replace(output)
        click.echo(f"wrote {output} ({len(graph)} entities, {len(graph.edges)} edges)", err=True)
    stats = graph_stats(graph)
    if fmt == "json":
        emit_json(stats)
    else:
        rows = [{"what": k, "count": stats[k]} for k in ("entities", "edges", "evidence_records", "publications")]
        emit_rows(rows, ("what", "count"), fmt, title="kg graph in Neo4j")
    if check:
        diff = differences(get_graph(build_dir), graph)
        if any(diff.values()):
            parts = [f"{len(ids)} {kind.replace('_', ' ')} (e.g. {ids[0]})" for kind, ids in diff.items() if ids]
            raise KgError(f"the graph in Neo4j differs from the build: {'; '.join(parts)}")
        click.echo("the graph in Neo4j is identical to the build", err=True)


@neo4j.command("export-csv")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--database", default="neo4j", show_default=True, help="Database name for the import command.")
@build_dir_option
def export_csv(folder: Path, database: str, build_dir: Path | None) -> None:
    """Write neo4j-admin import files (nodes.csv, relationships.csv, constraints.cypher, README.txt) into FOLDER.

    For graphs too big for a Bolt push. Prints the `neo4j-admin database import full` command line on stderr
    (also in FOLDER/README.txt). No server is needed.
    """
    from kg.neo4j.csv_export import import_command, write_import_files

    graph = get_graph(build_dir)
    written = write_import_files(graph, folder, database)
    click.echo(f"wrote {', '.join(p.name for p in written)} to {folder} ({len(graph)} nodes, "
               f"{len(graph.edges)} relationships)", err=True)
    click.echo("import them (Neo4j stopped, database empty) with:", err=True)
    click.echo(f"  {import_command(folder, database)}", err=True)
    click.echo(f"then create the constraints in {folder / 'constraints.cypher'} (see README.txt)", err=True)


@neo4j.command("import")
@click.option("--server-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="kg's own server folder (default: deploy/neo4j/target/server, the one of make neo4j-up): "
                   "import into a fresh home, (re)start the server on it, apply the constraints.")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Instead: import into this Neo4j 5 home (its DBMS stopped, or a new folder); then start Neo4j "
                   "and run `kg neo4j constraints`.")
@click.option("--database", default="neo4j", show_default=True, help="The database to create.")
@click.option("--overwrite", is_flag=True, help="With --home: replace an existing database of that name.")
@build_dir_option
@format_option(("table", "json"))
def admin_import(server_dir: Path | None, home: Path | None, database: str, overwrite: bool,
                 build_dir: Path | None, fmt: str) -> None:
    """Bulk-load the graph with neo4j-admin database import (for graphs too big for a Bolt push).

    neo4j-admin writes store files directly, so the database must not be running. With kg's own server (the
    default) the import goes into a fresh home while the server keeps serving, then the server restarts on it and
    the constraints are applied; its credentials stay in SERVER_DIR/neo4j.env. With --home, start Neo4j yourself
    afterwards and run `kg neo4j constraints`. The importer: kg's Neo4j build (AdminTool), or KG_NEO4J_ADMIN /
    neo4j-admin on PATH.
    """
    from kg.errors import InputError

    if server_dir is not None and home is not None:
        raise InputError("give --server-dir or --home, not both")
    graph = get_graph(build_dir)
    if home is not None:
        from kg.neo4j.admin_import import import_graph

        result = import_graph(graph, home, database, overwrite=overwrite)
        data: dict[str, Any] = {"home": str(result.home), "database": result.database, "nodes": result.nodes,
                                "relationships": result.relationships, "import_seconds": round(result.seconds, 3)}
        click.echo(f"imported into {result.home}: start Neo4j on it, then run `kg neo4j constraints`", err=True)
    else:
        from kg.neo4j.local_server import default_server_dir, import_and_start

        if overwrite:
            raise InputError("--overwrite goes with --home (kg's server always gets a fresh home)")
        done = import_and_start(graph, server_dir or default_server_dir(), database)
        data = {"uri": done.uri, "database": done.imported.database, "nodes": done.nodes,
                "relationships": done.relationships, "constraints": done.constraints,
                "import_seconds": round(done.imported.seconds, 3), "home": str(done.imported.home.parent / "home")}
        click.echo(f"kg's Neo4j server runs on the imported graph: source {done.env_file}", err=True)
    if fmt == "json":
        emit_json(data)
    else:
        emit_rows([{"what": k.replace("_", " "), "value": v} for k, v in data.items()], ("what", "value"), fmt,
                  title="neo4j-admin import")


@neo4j.command("constraints")
@format_option(("table", "json"))
def constraints(fmt: str) -> None:
    """Create kg's uniqueness constraints (entity id; edge id per relationship type) if absent, e.g. after an
    import into your own Neo4j."""
    from kg.neo4j.connection import connect
    from kg.neo4j.push import constraint_statements, ensure_constraints

    with connect() as conn:
        ensure_constraints(conn)
        where = conn.settings.where
    data = {"uri": where, "constraints": len(constraint_statements())}
    if fmt == "json":
        emit_json(data)
    else:
        emit_rows([{"what": k, "value": v} for k, v in data.items()], ("what", "value"), fmt, title="constraints")


@neo4j.command("info")
@format_option()
def info(fmt: str) -> None:
    """The server, the database, and how much of kg's graph is in it."""
    from kg.neo4j.connection import connect
    from kg.neo4j.push import counts

    with connect() as conn:
        data = {"uri": conn.settings.where, "user": conn.settings.user, "database": conn.settings.database,
                "server": conn.server(), **counts(conn)}
    if fmt == "json":
        emit_json(data)
    else:
        emit_rows([{"what": k, "value": v} for k, v in data.items()], ("what", "value"), fmt, title="Neo4j")


@click.command()
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME[:TYPE]=VALUE",
              help="A query parameter, passed to the driver (repeat). TYPE: string (default), int, float, bool, "
                   "json.")
@click.option("--write", is_flag=True, help="Run in a write transaction (without it, writes are refused).")
@format_option()
def cypher(query: str, params: tuple[str, ...], write: bool, fmt: str) -> None:
    """Run a Cypher QUERY (text or a FILE.cypher) on Neo4j; read-only unless --write.

    Without --write the query is planned first and refused unless Neo4j classifies it as a read that loads no
    files (no CREATE, MERGE, SET, DELETE, write procedure, schema change or LOAD CSV), then runs in a read
    transaction. Values are never spliced into the text: $name in the query is the parameter --param name=...
    """
    from kg.neo4j.connection import connect
    from kg.neo4j.cypher import parse_params, read_query, run

    text = read_query(query)
    values = parse_params(params)
    with connect() as conn:
        result = run(conn, text, values, write=write)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if result.counters:
        click.echo(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in result.counters.items()), err=True)
    if result.columns or fmt == "json":
        emit_rows(result.rows, result.columns, fmt, title=f"{len(result.rows)} rows")
