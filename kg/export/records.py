"""Flat, lossless views of entity and edge records for formats whose attributes are plain strings.

GraphML, GEXF, CX2 and KGX TSV hold only scalar attributes. Text fields stay text; every other field (lists,
evidence, parameters, kinetics) is stored as compact JSON with sorted keys, so reading it back gives the same
records and the same bytes on every run. Which fields are JSON is derived from the pydantic models, not listed.
"""

from __future__ import annotations

import json
import types
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from kg.models import Edge, Entity


def _is_text(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return len(args) == 1 and _is_text(args[0])
    return annotation is str or origin is Literal


@cache
def json_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of `model` that a flat view stores as JSON text."""
    return frozenset(name for name, f in model.model_fields.items() if not _is_text(f.annotation))


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def flatten(record: Entity | Edge) -> dict[str, str]:
    """The record's non-empty fields as strings (JSON for non-text fields)."""
    nested = json_fields(type(record))
    return {k: dumps(v) if k in nested else str(v) for k, v in sorted(record.dump().items())}


def unflatten(model: type[Entity] | type[Edge], attrs: dict[str, Any]) -> Any:
    """Rebuild a record from a flat view; attributes the model does not know (display extras) are ignored."""
    nested = json_fields(model)
    data: dict[str, Any] = {}
    for key, value in attrs.items():
        if key not in model.model_fields or value is None:
            continue
        data[key] = json.loads(value) if key in nested and isinstance(value, str) else value
    return model.model_validate(data)


def evidence_sources(edge: Edge) -> str:
    """The edge's publications as one `;`-separated cell, for tools that filter on a column."""
    return ";".join(sorted({ev.source for ev in edge.evidence}))


def flat_nx(graph: Any) -> Any:
    """A MultiDiGraph whose attributes are all strings: the common ground of GraphML and GEXF.

    Nodes carry the flat entity plus `name` (Cytoscape's display column); edges carry the flat edge plus
    `interaction` (the predicate, as Cytoscape names it) and `evidence_sources`.
    """
    import networkx as nx

    g = nx.MultiDiGraph(name="kg")
    for ent in graph.entities:
        g.add_node(ent.id, **flatten(ent), name=ent.label)
    for e in graph.edges:
        g.add_edge(e.subject, e.object, key=e.id, **flatten(e), interaction=e.predicate,
                   evidence_sources=evidence_sources(e))
    return g


def from_flat_nx(g: Any) -> Any:
    """Inverse of `flat_nx`: the KnowledgeGraph the attributes describe."""
    from kg.graph import KnowledgeGraph

    entities = [unflatten(Entity, {**data, "id": node}) for node, data in g.nodes(data=True)]
    edges = [unflatten(Edge, {**data, "subject": u, "object": v}) for u, v, data in g.edges(data=True)]
    return KnowledgeGraph(entities, edges)
