"""Imported rows (TSV, SIF) into the graph being loaded, one at a time, under the rules in kg.load.imports:
unknown names are errors unless declared new, new entities are listed, near-duplicates of curated edges are
settled by the user's explicit choice."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from kg.load.imports import ImportOptions, ImportReport, new_entity_id
from kg.load.merge import EdgeMerger
from kg.load.validate import Errors, pydantic_errors, resolve_name, validate_edge
from kg.load.yaml_source import RawRecord
from kg.models import Edge, Entity
from kg.names import NameIndex

END_COLUMNS = {"subject": "source", "object": "target"}  # what the import formats call the two ends
QUALIFIERS = ("from_compartment", "to_compartment", "compartment", "substrates", "products", "context")
DECLARE_HINT = ("if it is a new entity, declare it: TSV column new (source|target|both), SIF line '# new: NAME', "
                "or --new-entities")
_EMPTY: dict[str, Any] = {}


class Importer:
    """Adds imported edge records to a load: resolves or creates their ends, validates, checks near-duplicates."""

    def __init__(self, *, index: NameIndex, entities: dict[str, Entity], references: dict[str, dict[str, Any]],
                 merger: EdgeMerger, options: ImportOptions, report: ImportReport, errors: Errors) -> None:
        self.index, self.entities, self.references = index, entities, references
        self.merger, self.options, self.report, self.errors = merger, options, report, errors
        self.curated: dict[tuple[str, str, str], list[str]] = {}
        for edge_id, edge in merger.merged.items():
            self.curated.setdefault((edge.subject, edge.predicate, edge.object), []).append(edge_id)

    def add(self, rec: RawRecord) -> None:
        ok = True
        for end in ("subject", "object"):
            entity_id = self._end(rec, end)
            ok = ok and entity_id is not None
            rec.data[end] = entity_id
        edge = validate_edge(rec, self.index, self.references, self.entities, self.errors) if ok else None
        rec.data = _EMPTY  # the raw row is not kept: memory stays bounded by the graph itself
        if edge is not None and (edge := self._near_duplicate(edge, rec)) is not None:
            self.merger.add(edge, rec)

    # ---- ends ---------------------------------------------------------------------------------------------
    def _end(self, rec: RawRecord, end: str) -> str | None:
        name = rec.data.get(end)
        entity_id, problem = resolve_name(name, self.index, suggest=False)
        if entity_id is not None:
            return entity_id
        column = END_COLUMNS[end]
        declared = rec.create is not None and end in rec.create
        if not declared or not isinstance(name, str) or problem.startswith("ambiguous"):
            if not getattr(self.errors, "full", False):  # suggestions only for errors that will be shown
                _, problem = resolve_name(name, self.index)
            hint = "" if problem.startswith("ambiguous") else f"; {DECLARE_HINT}"
            self.errors.append(rec.error(f"{problem}{hint}".replace("dangling reference", "unknown name"), (column,),
                                         "the id or name of an entity in the graph"))
            return None
        pieces = name.split()
        if len(pieces) > 1 and all(len(self.index.lookup(p)) == 1 for p in pieces):
            self.errors.append(rec.error(
                f"'{name}' looks like {len(pieces)} names ({', '.join(pieces)}), not one new entity", (column,),
                "one name per cell; in SIF, separate several targets with tabs"))
            return None
        return self._create(rec, end, name.strip(), column)

    def _create(self, rec: RawRecord, end: str, name: str, column: str) -> str | None:
        new_id = new_entity_id(name)
        if new_id in self.entities:
            self.errors.append(rec.error(
                f"new name '{name}' would get the id {new_id}, which is already {self.entities[new_id].label}",
                (column,), "the existing entity's name, or a different name"))
            return None
        category = (rec.create or {})[end]
        try:
            entity = Entity(id=new_id, category=category, label=name, sources=[rec.file])
        except ValidationError as exc:
            pydantic_errors(rec, exc, self.errors, "entity")
            return None
        self.entities[new_id] = entity
        self.index.add(new_id, [name])
        self.report.new_entities.append({"id": new_id, "label": name, "category": category, "file": rec.file,
                                         "line": rec.line})
        return new_id

    # ---- near-duplicates of curated edges ----------------------------------------------------------------------
    def _near_duplicate(self, edge: Edge, rec: RawRecord) -> Edge | None:
        curated = self.curated.get((edge.subject, edge.predicate, edge.object))
        if not curated or edge.id in curated:
            return edge
        choice = self.options.near_duplicates
        first = self.merger.merged[curated[0]]
        where = self.merger.first_seen[curated[0]]
        what = (f"restates the curated edge {first.subject} {first.predicate} {first.object} ({where.file}:"
                f"{where.line}, context {first.context or 'general'}) with context {edge.context or 'general'}"
                + (" and other qualifiers" if _qualifiers(edge, ignore_context=True) != _qualifiers(
                    first, ignore_context=True) else ""))
        if choice == "error":
            self.errors.append(rec.error(
                f"{what}: both would act in the simulator", ("context",),
                "an explicit choice: --near-duplicates merge (this row's evidence joins the curated edge) or "
                "--near-duplicates keep (a separate edge, counted separately)"))
            return None
        if choice == "merge" and len(curated) > 1:
            self.errors.append(rec.error(f"{what}, and {len(curated)} curated edges match: there is no one to merge "
                                         "into", ("context",), "--near-duplicates keep, or the curated qualifiers"))
            return None
        self.report.near_duplicates.append({"file": rec.file, "line": rec.line, "edge": edge.id,
                                            "curated": sorted(curated), "context": edge.context, "choice": choice})
        if choice == "keep":
            return edge
        data = edge.model_dump(exclude={"id", "sign", "mechanism", "status"}, exclude_none=True)
        data.update({q: getattr(first, q) for q in QUALIFIERS})
        return Edge.model_validate(data, context={"trusted": True})


def _qualifiers(edge: Edge, *, ignore_context: bool) -> tuple[Any, ...]:
    return tuple(getattr(edge, q) for q in QUALIFIERS if not (ignore_context and q == "context"))
