"""Core commands: build, validate, info, show and query (interactions, neighbors, paths, regulators)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kg.cli.lazy import LazyGroup
from kg.cli.output import emit_json, emit_rows, format_option

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


@click.command()
@click.option("--sources", "-s", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Source files or folders (default: the packaged loaders/).")
@click.option("--add", "extra", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extra files to import on top of the sources (TSV, SIF or YAML).")
@click.option("--from", "rdf_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Build from one RDF file written by `kg export rdf` (.ttl, .nt, .jsonld, .rdf) instead.")
@build_dir_option
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
@format_option()
def build(sources: tuple[Path, ...], extra: tuple[Path, ...], rdf_file: Path | None, build_dir: Path | None,
          quiet: bool, fmt: str) -> None:
    """Validate all sources and write the build (graph, manifest, RDF store) atomically."""
    from kg.build import build as do_build
    from kg.build import default_sources
    from kg.errors import InputError
    from kg.paths import build_dir as default_build_dir

    if rdf_file is not None and (sources or extra):
        raise InputError("--from FILE is a whole graph: give it without --sources or --add")
    srcs = [rdf_file] if rdf_file is not None else [*(sources or default_sources()), *extra]
    out = build_dir or default_build_dir()
    manifest = do_build(srcs, out, progress=None if quiet else _stderr)
    counts = manifest["counts"]
    if fmt == "json":
        emit_json(manifest)
        return
    rows = [{"what": "entities", "count": counts["entities"]}, {"what": "edges", "count": counts["edges"]},
            {"what": "evidence records", "count": counts["evidence_records"]},
            {"what": "publications", "count": counts["publications"]}]
    emit_rows(rows, ("what", "count"), fmt, title=f"build written to {out}")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--rdf", is_flag=True, help="Also check the RDF view (or the given RDF files, as written) against "
                                          "the SHACL shapes in schema/shapes.ttl.")
@format_option()
def validate(paths: tuple[Path, ...], rdf: bool, fmt: str) -> None:
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
            graph = load_sources(sources, report)
            result |= {"files": len(report.files), "entities": len(graph), "edges": len(graph.edges),
                       "merged_statements": report.merged_edges}
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
    if fmt == "json":
        emit_json(result)
    else:
        if rdf:
            click.echo(result["shacl_report"], err=not result["valid"])
        emit_rows([{"what": k, "value": v} for k, v in result.items() if k != "shacl_report"], ("what", "value"),
                  fmt)
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


@click.command()
@click.argument("name")
@build_dir_option
@format_option()
def show(name: str, build_dir: Path | None, fmt: str) -> None:
    """An entity's card: identifiers, synonyms, and every edge with its evidence."""
    from kg.errors import ResolveError
    from kg.snapshot import load_snapshot

    _setup_logging()
    snapshot = load_snapshot(build_dir)
    try:
        entity = snapshot.resolve(name)
    except ResolveError:
        if ":" not in name:
            raise
        _show_variant(name, snapshot, build_dir, fmt)  # GENE:VARIANT or a genotype GENE:A/B
        return
    _show_card(snapshot.card(entity["id"]), fmt)


def _show_variant(name: str, snapshot: Any, build_dir: Path | None, fmt: str) -> None:
    from kg.simulate.lite import load_lite
    from kg.variants.card import card_lines, citation_rows, variant_card

    card = variant_card(load_lite(build_dir), name)
    entity = snapshot.card(card["catalogued"]) if card["catalogued"] else None
    if fmt == "json":
        emit_json({**card, **({"entity": entity} if entity else {})})
        return
    if fmt == "table":
        click.echo("\n".join(card_lines(card)))
    emit_rows(citation_rows(card), ("allele", "decided_by", "source", "reference"), fmt,
              title=f"{card['genotype']['label']}: the sources behind the deciding rules")
    if entity is not None:
        _show_card(entity, fmt)


def _show_card(card: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        emit_json(card)
        return
    if fmt == "table":
        _print_card_header(card)
    rows = []
    for e in card["edges"]:
        for ev in e["evidence"]:
            rows.append({"edge": f"{e['subject_label']} {e['predicate']} {e['object_label']}",
                         "sign": e["sign"], "status": e["status"], "source": ev["source"],
                         "species": ev.get("species"), "system": ev.get("system"),
                         "confidence": ev.get("confidence"), "edge_id": e["id"]})
    emit_rows(rows, ("edge", "sign", "status", "source", "species", "system", "confidence", "edge_id"), fmt,
              title=f"{card['label']}: {len(card['edges'])} edges")


def _print_card_header(card: dict[str, Any]) -> None:
    lines = [f"{card['label']}  ({card['id']}, {card['category']})"]
    for key in ("symbol", "synonyms", "xrefs", "gene", "hgvs", "variant_class", "compartments", "description"):
        if card.get(key):
            value = card[key]
            lines.append(f"  {key}: {', '.join(value) if isinstance(value, list) else value}")
    for eff in card.get("effects", []):
        lines.append(f"  effect: {eff['kind']} {eff['direction']}" + (f" ({eff['partner']})" if eff.get(
            "partner") else ""))
    click.echo("\n".join(lines))


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
    emit_rows(rows, INTERACTION_COLUMNS, fmt, title=f"{len(rows)} interactions")


@query.command("neighbors")
@click.argument("name")
@click.option("--depth", type=click.IntRange(1, 10), default=1, show_default=True)
@build_dir_option
@format_option()
def query_neighbors(name: str, depth: int, build_dir: Path | None, fmt: str) -> None:
    """Entities within DEPTH edges of NAME (either direction)."""
    from kg.query import NEIGHBOR_COLUMNS, neighbors

    graph = get_graph(build_dir)
    rows = neighbors(graph, graph.resolve(name).id, depth)
    emit_rows(rows, NEIGHBOR_COLUMNS, fmt, title=f"{len(rows)} neighbours of {name} (depth {depth})")


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
    rows = paths(graph, graph.resolve(source).id, graph.resolve(target).id, max_length=max_length,
                 signed=signed)
    if fmt == "table":
        rows = [{**r, "path": " -> ".join(r["labels"])} for r in rows]
        emit_rows(rows, ("length", "sign", "path"), fmt, title=f"{len(rows)} paths {source} -> {target}")
    else:
        emit_rows(rows, PATH_COLUMNS, fmt)


@query.command("regulators")
@click.argument("name")
@build_dir_option
@format_option()
def query_regulators(name: str, build_dir: Path | None, fmt: str) -> None:
    """Signed regulators of NAME: who raises it and who lowers it, with the mechanism."""
    from kg.query import REGULATOR_COLUMNS, regulators

    graph = get_graph(build_dir)
    rows = regulators(graph, graph.resolve(name).id)
    emit_rows(rows, REGULATOR_COLUMNS, fmt, title=f"{len(rows)} regulators of {name}")
