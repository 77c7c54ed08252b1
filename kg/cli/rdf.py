"""RDF commands: `kg sparql`, `kg serve sparql`, `kg export rdf`, `kg query run`, `kg rdf push`, plus the helpers
that `kg build --from FILE.ttl` and `kg validate --rdf` call. Heavy libraries are imported inside the commands."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg.cli.core import build_dir_option, get_graph
from kg.cli.endpoint import endpoint_options
from kg.cli.output import emit_json, emit_rows, format_option, label_beside
from kg.serving.limits import Limits

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.rdf.terms import Term

T = TypeVar("T")
SPARQL_FORMATS = ("table", "json", "tsv", "csv")
RDF_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")


def _build_dir(build_dir: Path | None) -> Path:
    from kg.paths import build_dir as default_build_dir

    return build_dir or default_build_dir()


def _show_term(value: Term | None) -> Any:
    """A result term as a plain value: CURIE for an IRI under a known prefix, numbers and booleans typed."""
    from kg.rdf.terms import XSD, Lit
    from kg.rdf.vocab import curie

    if value is None:
        return None
    if isinstance(value, Lit):
        try:
            if value.datatype in (XSD + "integer", XSD + "int", XSD + "long"):
                return int(value.value)
            if value.datatype in (XSD + "double", XSD + "decimal", XSD + "float"):
                number = float(value.value)
                return number if math.isfinite(number) else value.value  # JSON has no NaN or INF: keep the text
        except ValueError:
            return value.value  # an ill-typed literal, as written
        if value.datatype == XSD + "boolean":
            return value.value == "true"
        return value.value
    try:
        return curie(value)
    except ValueError:
        return value


def _read_query(query: str) -> str:
    path = Path(query)
    if query.endswith((".rq", ".sparql", ".ru")) and len(query) < 4096:
        from kg.errors import InputError

        if not path.is_file():
            raise InputError(f"{query}: no such query file")
        return path.read_text(encoding="utf-8")
    return query


def allow_service_option(func: Any) -> Any:
    return click.option("--allow-service", "allow_service", multiple=True, metavar="HOST[:PORT]",
                        help="Let SERVICE clauses call this host (repeat). Without it federated queries are "
                             "refused: they make this machine send requests to whatever address a query names.")(func)


@click.command()
@click.argument("query")
@click.option("--write", is_flag=True, help="Allow SPARQL updates (they change the build's store only; the next "
                                            "build replaces it).")
@allow_service_option
@click.option("--timeout", type=click.FloatRange(0.1, None), default=None, metavar="SECONDS",
              help="Stop the query after SECONDS (exit 1). Ctrl-C stops it at any time.")
@build_dir_option
@format_option(SPARQL_FORMATS)
def sparql(query: str, write: bool, allow_service: tuple[str, ...], timeout: float | None, build_dir: Path | None,
           fmt: str) -> None:
    """Run a SPARQL QUERY (text or a FILE.rq) on the build's RDF store; read-only unless --write.

    The project's prefixes (HGNC:, CHEBI:, biolink:, kgv:, rdfs:, ...) are predeclared. SERVICE (federation) is
    refused unless --allow-service names its host.
    """
    from kg.errors import InputError
    from kg.rdf.sparql import is_update
    from kg.rdf.sparql import query as run_query
    from kg.rdf.store import open_store, store_for
    from kg.rdf.terms import ntriples_lines

    text = _read_query(query)
    if is_update(text) and not write:
        raise InputError("this is a SPARQL update; kg refuses updates unless --write is given")
    folder = _build_dir(build_dir)
    graph = get_graph(build_dir)
    store = open_store(folder, write=True) if write else store_for(graph, folder)
    result = _stoppable(lambda: run_query(store, text, write=write, allow_service=allow_service), timeout)
    if result.kind == "update":
        from kg.build import record_store_update

        del store  # closed before its files are checksummed again
        record_store_update(folder)
        click.echo("update applied to the build's RDF store", err=True)
    elif result.kind == "ask":
        if fmt == "json":
            emit_json({"boolean": result.boolean})
        else:
            click.echo("true" if result.boolean else "false")
    elif result.kind == "graph":
        if fmt == "json":
            emit_json([[_show_term(s), _show_term(p), _show_term(o)] for s, p, o in result.triples])
        else:
            sys.stdout.writelines(ntriples_lines(result.triples))
    else:
        rows = [{c: _show_term(row[c]) for c in result.columns} for row in result.rows]
        emit_rows(rows, result.columns, fmt, title=f"{len(rows)} rows", empty="the query matched nothing")


def _stoppable(work: Callable[[], T], timeout: float | None) -> T:
    """`work()`, run so that Ctrl-C and a time limit stop it. Oxigraph evaluates a query in native code that does
    not return to Python (nor notice signals) until it has a row, so the query runs in a thread and stopping means
    ending the process at once (an update is one transaction: it is applied whole or not at all)."""
    import gc
    import os
    from concurrent.futures import ThreadPoolExecutor
    from concurrent.futures import TimeoutError as FutureTimeout

    def job() -> T:
        value = work()
        gc.collect()  # Oxigraph's result iterators sit in reference cycles and must be freed on their own thread
        return value

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-sparql")
    future = pool.submit(job)
    try:
        result = future.result(timeout=timeout)
    except FutureTimeout:
        click.echo(f"error: the query ran longer than {timeout:g} s (--timeout) and was stopped", err=True)
        _exit_now(os, 1)
    except KeyboardInterrupt:
        click.echo("error: interrupted; the query was stopped", err=True)
        _exit_now(os, 130)
    pool.shutdown(wait=False)
    return result


def _exit_now(os: Any, code: int) -> None:
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


@click.command("sparql")
@endpoint_options(port=7878, work="query")
@allow_service_option
@build_dir_option
def serve_sparql(host: str, port: int, allow_remote: bool, allow_hosts: tuple[str, ...],
                 allow_service: tuple[str, ...], timeout: float, max_results: int, memory_mb: int, workers: int,
                 build_dir: Path | None) -> None:
    """A read-only SPARQL 1.1 endpoint at http://HOST:PORT/sparql over the build's store (Ctrl-C stops it).

    Each query runs in a worker process under a time limit, a result limit and a memory limit; updates and
    SERVICE calls are refused; requests for another Host name are refused. A new build is picked up by itself.
    """
    from kg.rdf.server import EndpointConfig, make_server
    from kg.rdf.store import store_path
    from kg.serving.hosts import check_bind

    warning = check_bind(host, allow_remote=allow_remote)
    folder = _build_dir(build_dir)
    get_graph(build_dir)  # rebuild first if a source changed
    if not store_path(folder).is_dir():
        from kg.errors import KgError

        raise KgError(f"no RDF store in {folder}; run 'kg build' (with the RDF view enabled)")
    limits = Limits(timeout=timeout, max_results=max_results, memory_mb=memory_mb, workers=workers)
    try:
        server = make_server(folder, host, port, EndpointConfig(limits, allow_hosts, allow_service))
    except OSError as exc:
        from kg.errors import KgError

        raise KgError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    if warning:
        click.echo(f"warning: {warning}", err=True)
    bound_host, bound_port = server.server_address[:2]
    click.echo(f"SPARQL endpoint: http://{bound_host}:{bound_port}/sparql (read-only; time limit {timeout:g} s, "
               f"at most {max_results} results; Ctrl-C stops it)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@click.command("rdf")
@click.option("--format", "fmt", type=click.Choice(RDF_FORMATS), default="turtle", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to FILE instead of stdout.")
@build_dir_option
def export_rdf(fmt: str, output: Path | None, build_dir: Path | None) -> None:
    """The whole graph as RDF (Turtle, N-Triples, JSON-LD or RDF/XML); reads back with `kg build --from`."""
    from kg.rdf.formats import write_rdf

    graph = get_graph(build_dir)
    if output is None:
        write_rdf(graph, fmt, sys.stdout)
        return
    tmp = output.with_name(f".{output.name}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        write_rdf(graph, fmt, fh)
    tmp.replace(output)
    click.echo(f"wrote {output} ({fmt})", err=True)


@click.command("run")
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeat).")
@click.option("--engine", type=click.Choice(["networkx", "sparql", "neo4j"]), default="networkx",
              show_default=True)
@build_dir_option
@format_option(SPARQL_FORMATS)
def query_run(name: str, params: tuple[str, ...], engine: str, build_dir: Path | None, fmt: str) -> None:
    """Run the named query NAME from queries/ (`kg query run list` shows them) with --param NAME=VALUE."""
    from kg import named_queries as nq

    if name == "list":
        rows = [describe_query(nq.load(n)) for n in nq.available()]
        emit_rows(rows, ("name", "parameters", "description"), fmt, title="named queries")
        return
    graph = get_graph(build_dir)
    store = None
    if engine == "sparql":
        from kg.rdf.store import store_for

        store = store_for(graph, _build_dir(build_dir))
    rows = nq.run(name, nq.parse_pairs(params), graph, engine=engine, store=store)
    query = nq.load(name)
    emit_rows(rows, list(query.columns), fmt, title=f"{name}: {len(rows)} rows ({engine})",
              drop=query.narrow or label_beside(query.columns), empty=f"{name}: no rows ({engine})")


def describe_query(query: Any) -> dict[str, str]:
    """A named query as `kg query run list` shows it (the web app lists them the same)."""
    params = ", ".join(f"{p.name}: {p.type}" + (f"({', '.join(p.kinds)})" if p.kinds else "")
                       + (f" = {p.default}" if p.default is not None else "")
                       for p in query.params.values())
    return {"name": query.name, "parameters": params, "description": query.description}


def graph_from_rdf_file(path: Path) -> KnowledgeGraph:
    """The graph in an RDF file written by `kg export rdf` (format from the suffix), validated like a source."""
    from kg.rdf.formats import read_rdf_file

    return read_rdf_file(Path(path))


def validate_rdf(graph: KnowledgeGraph, fmt: str = "table") -> bool:
    """Run the SHACL shapes on the graph's RDF view; print the report (stdout) and return whether it conforms."""
    from kg.rdf.shacl import validate

    conforms, report = validate(graph)
    if fmt == "json":
        emit_json({"conforms": conforms, "report": report})
    else:
        click.echo(report)
    return conforms


@click.group("rdf")
def rdf() -> None:
    """The RDF view in other engines: `kg rdf push` loads it into any SPARQL 1.1 store."""


@rdf.command("push")
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's Graph Store Protocol URL (Oxigraph: http://HOST:7878/store; GraphDB: "
                   ".../repositories/REPO/rdf-graphs/service; Virtuoso: .../sparql-graph-crud-auth).")
@click.option("--graph", "graph_iri", default=None, metavar="IRI",
              help="The named graph to replace (default: https://w3id.org/kg-mineralization/graph).")
@click.option("--batch-size", type=int, default=100_000, show_default=True, help="Triples per request.")
@click.option("--timeout", type=click.FloatRange(1, None), default=300.0, show_default=True,
              help="Seconds to wait for each request.")
@click.option("--append", is_flag=True,
              help="POST every batch (for stores without PUT, e.g. QLever): adds, never removes stale triples.")
@build_dir_option
@format_option(("table", "json", "tsv"))
def rdf_push(endpoint: str, graph_iri: str | None, batch_size: int, timeout: float, append: bool,
             build_dir: Path | None, fmt: str) -> None:
    """Replace a named graph in a SPARQL 1.1 store with the build's RDF view (Graph Store HTTP Protocol).

    Batched (PUT, then POST) and idempotent per named graph; other graphs are untouched. Credentials only from
    the environment: KG_RDF_TOKEN (Bearer), or KG_RDF_USER and KG_RDF_PASSWORD (Basic or Digest).
    """
    import logging

    from kg.rdf.push import push

    logging.getLogger("kg.rdf.push").setLevel(logging.INFO)
    report = push(get_graph(build_dir), endpoint, graph_iri, batch_size=batch_size, timeout=timeout, append=append)
    click.echo(f"pushed {report.triples} triples in {report.batches} batches to <{report.graph}>", err=True)
    if fmt == "json":
        emit_json(report.row())
    else:
        emit_rows([report.row()], ("endpoint", "graph", "triples", "batches", "seconds"), fmt, title="kg rdf push")
