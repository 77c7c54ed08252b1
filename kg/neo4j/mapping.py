"""Records <-> Neo4j properties, losslessly; node labels and relationship types read from the schema.

A node carries the marker label `KgEntity` (what kg owns; `--replace` touches only that) plus its category's
`neo4j_label`. A relationship's type is its predicate's `neo4j_type` and its key is the deterministic edge id.
Every field of a record is one property: strings and lists of strings as native values, nested records (evidence,
kinetics, parameters, variant effects) as canonical JSON in `<field>_json`; unset and empty fields are absent
(their defaults come back on reading). A few derived properties (`evidence_sources`, `evidence_statuses`,
`evidence_count`, `symmetric`) make the named queries plain Cypher; reading back ignores them. Subject and object
are the relationship's end nodes, not properties.

The property keys of a node and of a relationship are fixed by the models (`entity_keys()`, `edge_keys()`), so
push sends each record as a list of values in that order and sets each key explicitly (an absent value removes
the property), which keeps Neo4j's planner free of the eager pass that `SET n = map` needs.
"""

from __future__ import annotations

import json
import re
import typing
from functools import cache
from typing import Any

from kg.errors import KgError
from kg.models import Edge, Entity, Record
from kg.schema import load_schema

MARKER_LABEL = "KgEntity"
EDGE_ID_PREFIX = "KG:edge."
JSON_SUFFIX = "_json"
# derived properties (not read back) and their neo4j-admin import types
ENTITY_DERIVED = {"evidence_sources": "string[]"}
EDGE_DERIVED = {"evidence_sources": "string[]", "evidence_statuses": "string[]", "evidence_count": "long",
                "symmetric": "boolean"}
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_EDGE_ENDS = ("subject", "object")


def quoted(name: str) -> str:
    """A label, type or property key, checked and back-quoted: the only text kg splices into Cypher."""
    if not _IDENTIFIER.match(name):
        raise KgError(f"'{name}' is not a valid Neo4j label, relationship type or property key (schema/kg.yaml)")
    return f"`{name}`"


def node_label(category: str) -> str:
    return load_schema().categories[category].neo4j_label


def relationship_type(predicate: str) -> str:
    return load_schema().predicates[predicate].neo4j_type


def all_labels() -> list[str]:
    return sorted({c.neo4j_label for c in load_schema().categories.values()})


def all_relationship_types() -> list[str]:
    return sorted({p.neo4j_type for p in load_schema().predicates.values()})


# ---- the property layout of each model ---------------------------------------------------------------------
def _nested(annotation: Any) -> bool:
    """Whether a field holds records or mappings (stored as JSON) rather than scalars or lists of strings."""
    if isinstance(annotation, type):
        return issubclass(annotation, (Record, dict))
    origin = typing.get_origin(annotation)
    if origin in (dict, typing.Mapping):
        return True
    return any(_nested(arg) for arg in typing.get_args(annotation) if arg is not type(None))


@cache
def _layout(model: type[Record], skip: tuple[str, ...] = ()) -> tuple[tuple[str, str, bool], ...]:
    """(field, property key, stored as JSON) for every field of `model`, in declaration order."""
    out = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        nested = _nested(info.annotation)
        out.append((name, name + JSON_SUFFIX if nested else name, nested))
    return tuple(out)


def _import_type(annotation: Any, nested: bool) -> str:
    """The neo4j-admin import type of a field's property: JSON and text are strings, lists of strings arrays."""
    if nested:
        return "string"
    kinds = {typing.get_origin(annotation), annotation, *typing.get_args(annotation)}
    if list in kinds:
        return "string[]"
    for kind, name in ((bool, "boolean"), (int, "long"), (float, "double")):
        if kind in kinds:
            return name
    return "string"


def _entity_layout() -> tuple[tuple[str, str, bool], ...]:
    return _layout(Entity)


def _edge_layout() -> tuple[tuple[str, str, bool], ...]:
    return _layout(Edge, _EDGE_ENDS)


@cache
def entity_keys() -> tuple[str, ...]:
    """Every property key a kg node can have, `id` first."""
    return (*(key for _, key, _ in _entity_layout()), *ENTITY_DERIVED)


@cache
def edge_keys() -> tuple[str, ...]:
    """Every property key a kg relationship can have, `id` first."""
    return (*(key for _, key, _ in _edge_layout()), *EDGE_DERIVED)


@cache
def entity_key_types() -> dict[str, str]:
    """neo4j-admin import type of every node property key (string, string[], long, boolean)."""
    types = {key: _import_type(Entity.model_fields[name].annotation, nested) for name, key, nested in _entity_layout()}
    return {**types, **ENTITY_DERIVED}


@cache
def edge_key_types() -> dict[str, str]:
    """neo4j-admin import type of every relationship property key."""
    types = {key: _import_type(Edge.model_fields[name].annotation, nested) for name, key, nested in _edge_layout()}
    return {**types, **EDGE_DERIVED}


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _properties(record: Record, layout: tuple[tuple[str, str, bool], ...]) -> dict[str, Any]:
    """Record fields as property values: unset and empty ones left out (defaults come back on reading)."""
    data = record.dump()
    props: dict[str, Any] = {}
    for name, key, nested in layout:
        value = data.get(name)
        if value is None or value == [] or value == {}:
            continue
        props[key] = canonical_json(value) if nested else value
    return props


def entity_properties(entity: Entity) -> dict[str, Any]:
    props = _properties(entity, _entity_layout())
    if entity.evidence:
        props["evidence_sources"] = [ev.source for ev in entity.evidence]
    return props


def edge_properties(edge: Edge) -> dict[str, Any]:
    props = _properties(edge, _edge_layout())
    props["evidence_sources"] = [ev.source for ev in edge.evidence]
    props["evidence_statuses"] = [ev.status for ev in edge.evidence]
    props["evidence_count"] = len(edge.evidence)
    props["symmetric"] = load_schema().predicates[edge.predicate].symmetric
    return props


def _fields(model: type[Record], layout: tuple[tuple[str, str, bool], ...], props: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, key, nested in layout:
        value = props.get(key)
        if value is None:
            continue
        if nested:
            data[name] = json.loads(value)
        else:
            data[name] = list(value) if isinstance(value, (list, tuple)) else value
    return data


def entity_from_properties(props: dict[str, Any]) -> Entity:
    """An Entity from node properties, validated as strictly as a source file (a database can be edited)."""
    return Entity.model_validate(_fields(Entity, _entity_layout(), props))


def edge_from_properties(props: dict[str, Any], subject: str, obj: str) -> Edge:
    """An Edge from relationship properties and its end nodes' ids (validated; its id is re-derived and checked)."""
    return Edge.model_validate({**_fields(Edge, _edge_layout(), props), "subject": subject, "object": obj})
