"""Sources -> validated KnowledgeGraph: parse every file, resolve names, validate, merge, or fail as a whole.

Nothing half-built escapes: every error in every file is collected and raised together as LoadErrors, and the
caller only writes a build when this returns a graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kg.bulk import paused_gc
from kg.cite.records import Publication, evidence_fields, publication
from kg.errors import LoadError, LoadErrors
from kg.graph import KnowledgeGraph
from kg.load.discover import discover
from kg.load.merge import merge_edges
from kg.load.yaml_source import ParsedFile, RawRecord, parse_yaml_file
from kg.models import Edge, Entity
from kg.names import NameIndex

ENTITY_REFS = ("gene",)
EDGE_REFS = ("subject", "object", "context")
EDGE_LIST_REFS = ("substrates", "products")


@dataclass
class LoadReport:
    """What a load read: files, record counts, and how many statements were merged into existing edges."""

    files: list[str] = field(default_factory=list)
    entity_records: int = 0
    edge_records: int = 0
    merged_edges: int = 0


def parse_file(path: Path, display: str) -> ParsedFile:
    from kg.load import sif_source, tsv_source

    if path.suffix == ".tsv":
        return tsv_source.parse_tsv_file(path, display)
    if path.suffix == ".sif":
        return sif_source.parse_sif_file(path, display)
    return parse_yaml_file(path, display)


def load_paths(paths: Sequence[Path], *, root: Path | None = None,
               report: LoadReport | None = None) -> KnowledgeGraph:
    """Load, validate and merge all sources under `paths`; raise LoadErrors listing every problem."""
    with paused_gc():
        return _load_paths(paths, root, report if report is not None else LoadReport())


def _load_paths(paths: Sequence[Path], root: Path | None, report: LoadReport) -> KnowledgeGraph:
    errors: list[LoadError] = []
    parsed: list[ParsedFile] = []
    for path in discover(paths):
        display = _display(path, root)
        report.files.append(display)
        try:
            parsed.append(parse_file(path, display))
        except LoadError as exc:
            errors.append(exc)
    references, publications = _collect_references(parsed, errors)
    records = [r for pf in parsed for r in pf.records]
    entity_records = [r for r in records if r.kind == "entity"]
    edge_records = [r for r in records if r.kind == "edge"]
    report.entity_records, report.edge_records = len(entity_records), len(edge_records)

    index = NameIndex()
    for rec in entity_records:
        if isinstance(rec.data.get("id"), str):
            d = rec.data
            names = [d.get("label"), d.get("symbol"), d.get("hgvs"), *(d.get("synonyms") or []),
                     *(d.get("xrefs") or [])]
            index.add(d["id"], [n for n in names if isinstance(n, str)])
    created = _create_missing_entities(edge_records, index)
    entities = _validate_entities(entity_records, index, references, errors)
    for ent in created:
        entities.setdefault(ent.id, ent)

    edges: list[tuple[Edge, RawRecord]] = []
    stated: set[str] = set()
    annotations: list[tuple[Edge, RawRecord]] = []
    for rec in edge_records:
        annotates = bool(rec.data.pop("annotates", False))
        edge = _validate_edge(rec, index, references, entities, errors)
        if edge is not None:
            edges.append((edge, rec))
            (annotations.append((edge, rec)) if annotates else stated.add(edge.id))
    for edge, rec in annotations:
        if edge.id not in stated:
            errors.append(rec.error(f"annotates an edge no source states: {edge.subject} {edge.predicate} "
                                    f"{edge.object} (check its qualifiers)", ("annotates",),
                                    "subject, predicate, object and qualifiers of an edge stated elsewhere"))
    merged = merge_edges(edges, errors)
    report.merged_edges = len(edges) - len(merged)
    if errors:
        raise LoadErrors(errors)
    graph = KnowledgeGraph(entities.values(), merged)
    graph.publications = publications
    return graph


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


def _pydantic_errors(rec: RawRecord, exc: ValidationError, errors: list[LoadError], what: str) -> None:
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if p != "__root__")
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "required field is missing"
        elif err["type"] == "too_short" and loc and loc[-1] == "evidence":
            msg = "an interaction needs at least one evidence record (source PMID/DOI, species, system, ...)"
        elif err["type"] == "extra_forbidden":
            msg = f"unknown field (allowed: {', '.join(_fields(what))})"
        errors.append(rec.error(f"invalid {what}: {msg}", loc))


def _fields(what: str) -> list[str]:
    model = Entity if what == "entity" else Edge
    return sorted(model.model_fields)


def _validate_entities(records: list[RawRecord], index: NameIndex, references: dict[str, dict[str, Any]],
                       errors: list[LoadError]) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    where: dict[str, RawRecord] = {}
    for rec in records:
        data = dict(rec.data)
        ok = True
        if data.get("gene") is not None:
            data["gene"], problem = resolve_name(data["gene"], index)
            if data["gene"] is None:
                errors.append(rec.error(problem, ("gene",), "the id or name of an entity defined in loaders/"))
                ok = False
        effects = data.get("effects")
        if isinstance(effects, list):
            data["effects"] = [dict(e) if isinstance(e, dict) else e for e in effects]
            for i, effect in enumerate(data["effects"]):
                if isinstance(effect, dict) and effect.get("partner") is not None:
                    effect["partner"], problem = resolve_name(effect["partner"], index)
                    if effect["partner"] is None:
                        errors.append(rec.error(problem, ("effects", i, "partner"), "an entity id or name"))
                        ok = False
        if "evidence" in data:
            data["evidence"], refs_ok = _expand_refs(rec, data["evidence"], references, errors)
            ok = ok and refs_ok
        if not ok:
            continue
        try:
            ent = Entity.model_validate(data)
        except ValidationError as exc:
            _pydantic_errors(rec, exc, errors, "entity")
            continue
        if ent.id in entities:
            first, known = where[ent.id], entities[ent.id]
            differing = [f for f in Entity.model_fields if f != "sources" and getattr(ent, f) != getattr(known, f)]
            if differing:
                errors.append(rec.error(
                    f"duplicate id {ent.id} with different {', '.join(differing)} (first defined at "
                    f"{first.file}:{first.line})", ("id",),
                    "each entity defined once; other files refer to it by id or name"))
            elif rec.file not in known.sources:
                known.sources = sorted([*known.sources, rec.file])
            continue
        ent.sources = [rec.file]
        entities[ent.id], where[ent.id] = ent, rec
    return entities


def resolve_name(name: Any, index: NameIndex) -> tuple[str | None, str]:
    """Resolve a reference to one entity id; returns (id, problem-description)."""
    if not isinstance(name, str) or not name.strip():
        return None, "expected an entity id or name"
    ids = index.lookup(name)
    if len(ids) == 1:
        return ids[0], ""
    if len(ids) > 1:
        exact = [i for i in ids if i.casefold() == name.casefold()]
        if len(exact) == 1:
            return exact[0], ""
        return None, f"ambiguous reference '{name}' (matches {', '.join(ids)}); use an id"
    hint = index.suggest(name)
    return None, f"dangling reference '{name}': no such entity" + (f"; did you mean {', '.join(hint)}?" if hint else "")


def _create_missing_entities(records: list[RawRecord], index: NameIndex) -> list[Entity]:
    """Importers (TSV, SIF) may ask for unknown names to become new entities in the KG namespace."""
    created: dict[str, Entity] = {}
    for rec in records:
        spec = rec.data.pop("__create_missing__", None)
        if not spec:
            continue
        for end in ("subject", "object"):
            name = rec.data.get(end)
            if not isinstance(name, str) or index.lookup(name):
                continue
            category = spec.get(f"{end}_category") or "gene_or_protein"
            ent = Entity(id=spec["new_id"](name), category=category, label=name, sources=[rec.file])
            created[ent.id] = ent
            index.add(ent.id, [name])
    return list(created.values())


def _validate_edge(rec: RawRecord, index: NameIndex, references: dict[str, dict[str, Any]],
                   entities: dict[str, Entity], errors: list[LoadError]) -> Edge | None:
    data = dict(rec.data)
    ok = True
    for key in EDGE_REFS:
        if data.get(key) is not None:
            rid, problem = resolve_name(data[key], index)
            if rid is None:
                errors.append(rec.error(problem, (key,), "the id or name of an entity defined in loaders/"))
                ok = False
            data[key] = rid
    for key in EDGE_LIST_REFS:
        resolved = []
        for i, name in enumerate(data.get(key) or []):
            rid, problem = resolve_name(name, index)
            if rid is None:
                errors.append(rec.error(problem, (key, i), "the id or name of an entity defined in loaders/"))
                ok = False
            resolved.append(rid)
        if key in data:
            data[key] = resolved
    if "evidence" in data:
        data["evidence"], refs_ok = _expand_refs(rec, data["evidence"], references, errors)
        ok = ok and refs_ok
    if not ok:
        return None
    try:
        edge = Edge.model_validate(data)
    except ValidationError as exc:
        _pydantic_errors(rec, exc, errors, "edge")
        return None
    ctx = entities.get(edge.context) if edge.context else None
    if ctx is not None and ctx.category != "cell_system":
        errors.append(rec.error(f"context {edge.context} is a {ctx.category}",
                                ("context",), "a cell_system entity"))
        return None
    edge.sources = [rec.file]
    return edge


def _expand_refs(rec: RawRecord, items: Any, references: dict[str, dict[str, Any]],
                 errors: list[LoadError]) -> tuple[Any, bool]:
    """Replace `ref: key` in evidence items by the shared reference's fields (the item's own fields win)."""
    if not isinstance(items, list):
        return items, True  # pydantic reports the wrong type with its line
    expanded, ok = [], True
    for i, item in enumerate(items):
        if isinstance(item, dict) and "ref" in item:
            ref = references.get(item["ref"])
            if ref is None:
                errors.append(rec.error(f"unknown reference key '{item['ref']}'", ("evidence", i, "ref"),
                                        "a key under some file's 'references:'"))
                ok = False
                continue
            item = {**ref, **{k: v for k, v in item.items() if k != "ref"}}  # ref: evidence fields only
        expanded.append(item)
    return expanded, ok
