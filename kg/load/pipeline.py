"""Sources -> validated KnowledgeGraph: parse every file, resolve names, validate, merge, or fail as a whole.

Nothing half-built escapes: every error in every file is collected and raised together as LoadErrors, and the
caller only writes a build when this returns a graph. Curated YAML sources are read first (they define the
entities); imported TSV and SIF networks follow, streamed row by row under kg.load.imports's rules.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.bulk import paused_gc
from kg.cite.records import Publication, evidence_fields, publication
from kg.errors import LoadError, LoadErrors
from kg.graph import KnowledgeGraph
from kg.load.discover import discover
from kg.load.import_rows import Importer
from kg.load.imports import IMPORT_SUFFIXES, ErrorSink, ImportOptions, ImportReport, check_row_budget
from kg.load.merge import EdgeMerger
from kg.load.validate import validate_edge, validate_entities
from kg.load.yaml_source import ParsedFile, RawRecord, parse_yaml_file
from kg.names import NameIndex


@dataclass
class LoadReport:
    """What a load read: files, record counts, how many statements were merged into existing edges, and what
    imports added (new entities, near-duplicates of curated edges)."""

    files: list[str] = field(default_factory=list)
    entity_records: int = 0
    edge_records: int = 0
    merged_edges: int = 0
    imports: ImportReport = field(default_factory=ImportReport)


def iter_import_records(path: Path, display: str, options: ImportOptions, sink: ErrorSink) -> Iterator[RawRecord]:
    from kg.load import sif_source, tsv_source

    reader = tsv_source.iter_tsv_records if path.suffix == ".tsv" else sif_source.iter_sif_records
    return reader(path, display, options, sink)


def load_paths(paths: Sequence[Path], *, root: Path | None = None, report: LoadReport | None = None,
               options: ImportOptions | None = None) -> KnowledgeGraph:
    """Load, validate and merge all sources under `paths`; raise LoadErrors listing every problem."""
    with paused_gc():
        return _load_paths(paths, root, report if report is not None else LoadReport(), options or ImportOptions())


def _load_paths(paths: Sequence[Path], root: Path | None, report: LoadReport,
                options: ImportOptions) -> KnowledgeGraph:
    errors: list[LoadError] = []
    parsed: list[ParsedFile] = []
    imports: list[tuple[Path, str]] = []
    for path in discover(paths):
        display = _display(path, root)
        report.files.append(display)
        if path.suffix in IMPORT_SUFFIXES:
            imports.append((path, display))
            continue
        try:
            parsed.append(parse_yaml_file(path, display))
        except LoadError as exc:
            errors.append(exc)
    if imports and (too_many := check_row_budget(imports)) is not None:
        raise LoadErrors([*errors, too_many])  # refused before a single row is parsed
    references, publications = _collect_references(parsed, errors)
    records = [r for pf in parsed for r in pf.records]
    entity_records = [r for r in records if r.kind == "entity"]
    edge_records = [r for r in records if r.kind == "edge"]
    report.entity_records = len(entity_records)

    index = NameIndex()
    for rec in entity_records:
        if isinstance(rec.data.get("id"), str):
            d = rec.data
            names = [d.get("label"), d.get("symbol"), d.get("hgvs"), *_list(d.get("synonyms")),
                     *_list(d.get("xrefs"))]
            index.add(d["id"], [n for n in names if isinstance(n, str)])
    entities = validate_entities(entity_records, index, references, errors)

    merger = EdgeMerger(errors)
    stated: set[str] = set()
    annotations: list[tuple[Any, RawRecord]] = []
    for rec in edge_records:
        annotates = bool(rec.data.pop("annotates", False))
        edge = validate_edge(rec, index, references, entities, errors)
        if edge is not None:
            merger.add(edge, rec)
            (annotations.append((edge, rec)) if annotates else stated.add(edge.id))
    for edge, rec in annotations:
        if edge.id not in stated:
            errors.append(rec.error(f"annotates an edge no source states: {edge.subject} {edge.predicate} "
                                    f"{edge.object} (check its qualifiers)", ("annotates",),
                                    "subject, predicate, object and qualifiers of an edge stated elsewhere"))
    sink = ErrorSink(errors)
    merger.errors = sink
    importer = Importer(index=index, entities=entities, references=references, merger=merger, options=options,
                        report=report.imports, errors=sink)
    for path, display in imports:
        try:
            for rec in iter_import_records(path, display, options, sink):
                importer.add(rec)
        except LoadError as exc:  # the file cannot be read on (undecodable bytes): the rest of it is not read
            sink.append(exc)
    sink.close()
    merged = merger.edges()
    report.edge_records = merger.statements
    report.merged_edges = merger.statements - len(merged)
    if errors:
        raise LoadErrors(errors)
    graph = KnowledgeGraph(entities.values(), merged)
    graph.publications = publications
    return graph


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _display(path: Path, root: Path | None) -> str:
    """Paths in messages: relative to `root` (or the working directory) when inside it."""
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return str(path.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(path)


def _collect_references(parsed: list[ParsedFile], errors: list[LoadError]) \
        -> tuple[dict[str, dict[str, Any]], dict[str, Publication]]:
    """Shared references by key (the fields evidence takes) and their publications by source (kg.cite.records)."""
    raw: dict[str, dict[str, Any]] = {}
    refs: dict[str, dict[str, Any]] = {}
    pubs: dict[str, Publication] = {}
    where: dict[str, str] = {}
    for pf in parsed:
        for key, (value, line) in pf.references.items():
            if key in raw and raw[key] != value:
                errors.append(LoadError(f"reference '{key}' is defined differently in {where[key]}",
                                        file=pf.path, line=line, field="references",
                                        expected="one definition per reference key"))
                continue
            try:
                pub = publication(key, value)
            except ValueError as exc:
                errors.append(LoadError(f"reference '{key}': {exc}", file=pf.path, line=line, field="references",
                                        expected="title, authors ['Family, Given', ...], journal, year, volume, "
                                                 "issue, pages, doi, pmid, metadata_note"))
                continue
            raw[key], refs[key], where[key] = value, evidence_fields(value), f"{pf.path}:{line}"
            if pub.id not in pubs or (pub.complete and not pubs[pub.id].complete):
                pubs[pub.id] = pub  # several keys for one paper: the one with its metadata wins
    return refs, pubs
