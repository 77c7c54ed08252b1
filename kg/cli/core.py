"""Core commands: build, validate, info, show and query (interactions, neighbors, paths, regulators)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.cli.lazy import LazyGroup
from kg.cli.output import claim_text, emit_json, emit_rows, format_option

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

build_dir_option = click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
                                help="Build directory (default: $KG_HOME or ./build).")


def _setup_logging(verbose: bool = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s: %(message)s")


def get_graph(build_dir: Path | None) -> KnowledgeGraph:
    """The current graph (rebuilt first if a source changed)."""
    from kg.build import load_graph

    _setup_logging()
    return load_graph(build_dir)


def _stderr(msg: str) -> None:
    click.echo(msg, err=True)


def import_options(func: Any) -> Any:
    """--status, --new-entities and --near-duplicates: how TSV and SIF imports are read (kg.load.imports)."""
    func = click.option("--near-duplicates", type=click.Choice(["error", "merge", "keep"]), default="error",
                        show_default=True,
                        help="An imported edge restating a curated one in another context: stop (error), add its "
                             "evidence to the curated edge (merge), or keep a separate edge (keep).")(func)
    func = click.option("--new-entities", is_flag=True,
                        help="Unknown names in imports become new entities (each is listed); otherwise they are "
                             "errors with suggestions unless a TSV 'new' column or a SIF '# new:' line declares "
                             "them.")(func)
    return click.option("--status", type=click.Choice(["established", "contested", "hypothesis"]), default=None,
                        help="Status of imported edges whose file gives none (required if it gives none).")(func)


def _finite(value: float) -> float:
    import math

    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a finite number of seconds")
    return value


def _options(status: str | None, new_entities: bool, near_duplicates: str) -> Any:
    from kg.load.imports import ImportOptions

    return ImportOptions(status=status, new_entities=new_entities, near_duplicates=near_duplicates)


@click.command()
@click.option("--sources", "-s", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Source files or folders (default: the packaged loaders/).")
@click.option("--add", "extra", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extra files to import on top of the sources (TSV, SIF or YAML); recorded in the build, so "
                   "automatic rebuilds keep them.")
@click.option("--from", "rdf_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Build from one RDF file written by `kg export rdf` (.ttl, .nt, .jsonld, .rdf) instead.")
@import_options
@click.option("--allow-empty", is_flag=True,
              help="Write the build even if it is empty, drops imports of the current build, or replaces the "
                   "current build's sources with a smaller graph (refused otherwise, exit 2).")
@click.option("--wait", type=click.FloatRange(min=0, max=86_400), default=0.0, show_default=True, metavar="SECONDS",
              callback=lambda _ctx, _param, value: _finite(value),
              help="Wait up to this long (at most a day) for another build of the same directory to finish "
                   "(default: refuse at once).")
@build_dir_option
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@format_option()
def build(sources: tuple[Path, ...], extra: tuple[Path, ...], rdf_file: Path | None, status: str | None,
          new_entities: bool, near_duplicates: str, allow_empty: bool, wait: float, build_dir: Path | None,
          quiet: bool, fmt: str) -> None:
    """Validate all sources and publish the build (graph, manifest, RDF store) as one transaction."""
    from kg.build import build as do_build
    from kg.errors import InputError
    from kg.load.pipeline import LoadReport
    from kg.paths import build_dir as default_build_dir

    if rdf_file is not None and (sources or extra):
        raise InputError("--from FILE is a whole graph: give it without --sources or --add")
    out = build_dir or default_build_dir()
    report = LoadReport()
    manifest = do_build([rdf_file] if rdf_file is not None else list(sources), out,
                        progress=None if quiet else _stderr, imports=list(extra),
                        options=_options(status, new_entities, near_duplicates), allow_empty=allow_empty, wait=wait,
                        report=report)
    counts = manifest["counts"]
    added = {"new_entities": report.imports.new_entities, "near_duplicates": report.imports.near_duplicates}
    if fmt == "json":
        emit_json({**manifest, **added})
        return
    rows = [{"what": "entities", "count": counts["entities"]}, {"what": "edges", "count": counts["edges"]},
            {"what": "evidence records", "count": counts["evidence_records"]},
            {"what": "publications", "count": counts["publications"]}]
    emit_rows(rows, ("what", "count"), fmt, title=f"build written to {out}")
    _emit_import_report(added, fmt)


def _emit_import_report(added: dict[str, list[dict[str, Any]]], fmt: str) -> None:
    """Every entity an import created and every near-duplicate kept or merged, as tables after the counts."""
    if added["new_entities"]:
        rows = [{**e, "where": f"{e['file']}:{e['line']}"} for e in added["new_entities"]]
        emit_rows(rows, ("id", "label", "category", "where"), fmt,
                  title=f"{len(rows)} new entities from imports")
    if added["near_duplicates"]:
        rows = [{**d, "where": f"{d['file']}:{d['line']}", "curated": d["curated"]} for d in added["near_duplicates"]]
        emit_rows(rows, ("where", "choice", "edge", "curated", "context"), fmt,
                  title=f"{len(rows)} imported edges restating curated ones")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rdf", is_flag=True, help="Also check the RDF view (or the given RDF files, as written) against "
                                          "the SHACL shapes in schema/shapes.ttl.")
@import_options
@format_option()
def validate(paths: tuple[Path, ...], rdf: bool, status: str | None, new_entities: bool, near_duplicates: str,
             fmt: str) -> None:
    """Validate source files (default: loaders/) without writing anything. Exit 2 on any error.

    RDF files (.ttl, .nt, .jsonld, .rdf) are read back as graphs; with --rdf they are checked as written, shape
    by shape, so that a hand-edited or foreign file gets a readable SHACL report.
    """
    from kg.build import default_sources, load_sources
    from kg.errors import LoadErrors
    from kg.load.pipeline import LoadReport

    sources = list(paths) or default_sources()
    report = LoadReport()
    result: dict[str, Any] = {"valid": True}
    try:
        if rdf and _all_rdf_files(sources):
            result["files"] = len(sources)
        else:
            graph = load_sources(sources, report, _options(status, new_entities, near_duplicates))
            result |= {"files": len(report.files), "entities": len(graph), "edges": len(graph.edges),
                       "merged_statements": report.merged_edges,
                       "new_entities": len(report.imports.new_entities),
                       "near_duplicates": len(report.imports.near_duplicates)}
    except LoadErrors as exc:
        if fmt == "json":
            emit_json({"valid": False, "errors": [
                {"file": e.file, "line": e.line, "field": e.field, "expected": e.expected, "message": str(e)}
                for e in exc.errors]})
        else:
            for err in exc.errors:
                click.echo(f"error: {err}", err=True)
        raise SystemExit(2) from None
    if rdf:
        from kg.rdf.shacl import validate as shacl_validate

        targets = ([(str(p), _rdflib_file(p)) for p in sources] if "entities" not in result
                   else [("RDF view", graph)])
        reports = [(name, *shacl_validate(data)) for name, data in targets]
        result["valid"] = result["shacl_conforms"] = all(ok for _, ok, _ in reports)
        result["shacl_report"] = "\n".join(f"{name}: {text}" for name, _, text in reports)
    added = {"new_entities": report.imports.new_entities, "near_duplicates": report.imports.near_duplicates}
    if fmt == "json":
        emit_json({**result, **{f"{k}_list": v for k, v in added.items()}})
    else:
        if rdf:
            click.echo(result["shacl_report"], err=not result["valid"])
        emit_rows([{"what": k, "value": v} for k, v in result.items() if k != "shacl_report"], ("what", "value"),
                  fmt)
        _emit_import_report(added, fmt)
    if not result["valid"]:
        raise SystemExit(2)


def _all_rdf_files(paths: list[Path]) -> bool:
    from kg.rdf.formats import rdf_format

    return all(Path(p).is_file() and rdf_format(Path(p)) for p in paths)


def _rdflib_file(path: Path) -> Any:
    from kg.rdf.formats import parse_rdf_file_rdflib

    return parse_rdf_file_rdflib(Path(path))


@click.command()
@build_dir_option
@format_option()
def info(build_dir: Path | None, fmt: str) -> None:
    """Counts by category and predicate, and the share of edges with evidence."""
    from kg.build import graph_stats

    graph = get_graph(build_dir)
    stats = graph_stats(graph)
    if fmt == "json":
        emit_json(stats)
        return
    rows: list[dict[str, Any]] = [{"group": "total", "name": k, "count": stats[k]}
                                  for k in ("entities", "edges", "evidence_records", "publications",
                                            "edges_with_evidence_share")]
    for group in ("by_category", "by_predicate", "by_status"):
        rows += [{"group": group.removeprefix("by_"), "name": k, "count": v} for k, v in stats[group].items()]
    emit_rows(rows, ("group", "name", "count"), fmt, title="kg graph")


@click.group(cls=LazyGroup, lazy={"run": "kg.cli.rdf:query_run"})
def query() -> None:
    """Query the graph: interactions, neighbors, paths, regulators (and named queries with `run`)."""


@query.command("interactions")
@click.option("--of", "of", default=None, help="Entity name, symbol or CURIE.")
@click.option("--predicate", default=None, help="A schema predicate, e.g. increases_expression_of.")
@click.option("--sign", type=click.Choice(["positive", "negative", "none"]), default=None)
@click.option("--status", type=click.Choice(["established", "contested", "hypothesis"]), default=None)
@click.option("--mechanism", default=None, help="A schema mechanism, e.g. transport.")
@click.option("--species", default=None, help="Only edges with evidence in this species (e.g. human).")
@build_dir_option
@format_option()
def query_interactions(of: str | None, predicate: str | None, sign: str | None, status: str | None,
                       mechanism: str | None, species: str | None, build_dir: Path | None, fmt: str) -> None:
    """Interactions, filtered by entity, predicate, sign, status, mechanism or species."""
    from kg.errors import InputError
    from kg.query import INTERACTION_COLUMNS, interactions
    from kg.schema import load_schema

    schema = load_schema()
    if predicate and predicate not in schema.predicates:
        raise InputError(f"unknown predicate '{predicate}' (known: {', '.join(sorted(schema.predicates))})")
    if mechanism and mechanism not in schema.mechanisms:
        raise InputError(f"unknown mechanism '{mechanism}' (known: {', '.join(sorted(schema.mechanisms))})")
    graph = get_graph(build_dir)
    of_id = graph.resolve(of).id if of else None
    rows = interactions(graph, of_id, predicate=predicate, sign=sign, status=status, mechanism=mechanism,
                        species=species)
    empty = "no interactions match" + (f" (of {graph.entity(of_id).label})" if of_id else "")
    if fmt == "table":
        rows = [{**r, "interaction": claim_text(r)} for r in rows]
        emit_rows(rows, ("edge_id", "interaction", "status", "sign", "evidence", "mechanism", "subject", "object"),
                  fmt, title=f"{len(rows)} interactions", drop=("object", "subject", "mechanism", "evidence", "sign"),
                  empty=empty)
        return
    emit_rows(rows, INTERACTION_COLUMNS, fmt, empty=empty)


@query.command("neighbors")
@click.argument("name")
@click.option("--depth", type=click.IntRange(1, 10), default=1, show_default=True)
@build_dir_option
@format_option()
def query_neighbors(name: str, depth: int, build_dir: Path | None, fmt: str) -> None:
    """Entities within DEPTH edges of NAME (either direction)."""
    from kg.query import NEIGHBOR_COLUMNS, neighbors

    graph = get_graph(build_dir)
    center = graph.resolve(name)
    rows = neighbors(graph, center.id, depth)
    emit_rows(rows, NEIGHBOR_COLUMNS, fmt, title=f"{len(rows)} neighbours of {center.label} (depth {depth})",
              drop=("category",), empty=f"{center.label} has no neighbours")


@query.command("paths")
@click.argument("source")
@click.argument("target")
@click.option("--signed", is_flag=True, help="Walk only signed edges and report each path's sign.")
@click.option("--max-length", type=click.IntRange(1, 8), default=3, show_default=True)
@build_dir_option
@format_option()
def query_paths(source: str, target: str, signed: bool, max_length: int, build_dir: Path | None,
                fmt: str) -> None:
    """Directed simple paths from SOURCE to TARGET (no entity visited twice)."""
    from kg.query import PATH_COLUMNS, paths

    graph = get_graph(build_dir)
    start, end = graph.resolve(source), graph.resolve(target)
    rows = paths(graph, start.id, end.id, max_length=max_length, signed=signed)
    empty = (f"no {'signed ' if signed else ''}path of at most {max_length} edges from {start.label} to "
             f"{end.label}")
    if fmt == "table":
        rows = [{**r, "route": path_text(graph, r), "not_established": [
            e for e, st in zip(r["edges"], r["statuses"], strict=True) if st != "established"]} for r in rows]
        emit_rows(rows, ("length", "sign", "route", "not_established", "edges"), fmt, drop=("edges",), empty=empty,
                  title=f"{len(rows)} paths {start.label} -> {end.label}")
    else:
        emit_rows(rows, PATH_COLUMNS, fmt, empty=empty)


def path_text(graph: KnowledgeGraph, row: dict[str, Any]) -> str:
    """`A -> B -(contested)-| C`: each step's arrow by its sign, a step that is not established says so."""
    parts = [row["labels"][0]]
    for edge_id, status, label in zip(row["edges"], row["statuses"], row["labels"][1:], strict=True):
        head = {"positive": "->", "negative": "-|"}.get(graph.edge(edge_id).sign, "--")
        arrow = head if status == "established" else f"-({status}){head}"
        parts.append(f"{arrow} {label}")
    return " ".join(parts)


@query.command("regulators")
@click.argument("name")
@build_dir_option
@format_option()
def query_regulators(name: str, build_dir: Path | None, fmt: str) -> None:
    """Signed regulators of NAME: who raises it and who lowers it, with the mechanism."""
    from kg.query import REGULATOR_COLUMNS, regulators

    graph = get_graph(build_dir)
    target = graph.resolve(name)
    rows = regulators(graph, target.id)
    emit_rows(rows, REGULATOR_COLUMNS, fmt, title=f"{len(rows)} regulators of {target.label}",
              drop=("regulator", "mechanism", "sign"),
              empty=f"no signed edge into {target.label}: nothing in the graph raises or lowers it")
