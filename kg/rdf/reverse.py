"""RDF triples -> KnowledgeGraph: the inverse of mapping.py, so KG -> RDF -> KG gives back an identical graph.

Only the declared fields are read; derived triples (direct predicate triples, Biolink qualifiers, identifiers,
publications, taxon IRIs) are recomputed from them. Records are validated like any source unless `trusted`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from kg.errors import InputError
from kg.graph import KnowledgeGraph
from kg.models import Edge, Entity
from kg.rdf.terms import RDF_TYPE, Lit, Term, Triple
from kg.rdf.vocab import Field, curie, vocab

Index = dict[str, dict[str, list[Term]]]


def index_triples(triples: Iterable[Triple]) -> Index:
    index: Index = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        index[s][p].append(o)
    return index


def graph_from_triples(triples: Iterable[Triple], *, trusted: bool = False) -> KnowledgeGraph:
    """Rebuild the graph from triples written by `kg.rdf.mapping` (any serialisation, any store)."""
    v = vocab()
    index = index_triples(triples)
    category_prop = v.records["entity"]["category"].property
    predicate_prop = v.records["edge"]["predicate"].property
    association = v.classes["association"]
    ctx = {"trusted": trusted}
    entities, edges = [], []
    for node in sorted(index):
        props = index[node]
        if category_prop in props:
            data = {"id": _curie(node, node, "entity id"), **read_record(index, node, "entity")}
            entities.append(_validate(Entity, data, ctx, node))
        elif association in props.get(RDF_TYPE, ()) and predicate_prop in props:
            data = {"id": _curie(node, node, "edge id"), **read_record(index, node, "edge")}
            edges.append(_validate(Edge, data, ctx, node))
    try:
        return KnowledgeGraph(entities, edges)
    except ValueError as exc:
        raise InputError(f"RDF does not form a valid graph: {exc}") from None


def _validate(model: type[Entity] | type[Edge], data: dict[str, Any], ctx: dict[str, bool], node: str) -> Any:
    try:
        return model.model_validate(data, context=ctx)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise InputError(f"<{node}>: invalid {model.__name__.lower()} in RDF: {where}: {first['msg']}") from None


def _curie(value: Term, node: str, what: str) -> str:
    if isinstance(value, Lit):
        raise InputError(f"<{node}>: {what} must be an IRI, found the literal \"{value.value}\"")
    try:
        return curie(value)
    except ValueError as exc:
        raise InputError(f"<{node}>: {what}: {exc}") from None


def _lit(value: Term, node: str, f: Field) -> str:
    if not isinstance(value, Lit):
        raise InputError(f"<{node}>: {f.property} must be a literal, found <{value}>")
    return value.value


def read_record(index: Index, node: str, kind: str) -> dict[str, Any]:
    """The field values of one record node, as the model's dict (fields absent in RDF left out)."""
    v = vocab()
    props = index.get(node, {})
    out: dict[str, Any] = {}
    for f in v.records[kind].values():
        values = props.get(f.property, [])
        if not values:
            continue
        if f.kind in ("string", "iri", "double", "node") and len(set(values)) > 1:
            raise InputError(f"<{node}>: {f.property} has {len(set(values))} values, {kind}.{f.name} takes one")
        first = values[0]
        if f.kind == "string":
            out[f.name] = _lit(first, node, f)
        elif f.kind == "iri":
            out[f.name] = _curie(first, node, f.property)
        elif f.kind == "double":
            try:
                out[f.name] = float(_lit(first, node, f))
            except ValueError:
                raise InputError(f"<{node}>: {f.property} is not a number: {first}") from None
        elif f.kind in ("strings", "iris"):
            items = sorted({_curie(x, node, f.property) if f.kind == "iris" else _lit(x, node, f) for x in values})
            out[f.name] = _ordered(props, node, f, items)
        elif f.kind == "nodes":
            children = sorted(set(values), key=lambda c: _position(index, _node(c, node, f)))
            out[f.name] = [read_record(index, _node(c, node, f), f.record) for c in children]  # type: ignore[arg-type]
        elif f.kind == "dict":
            out[f.name] = {_key(index, _node(c, node, f)): read_record(index, _node(c, node, f), f.record)
                           for c in set(values)}  # type: ignore[arg-type]
        elif f.kind == "node":
            out[f.name] = read_record(index, _node(first, node, f), f.record)  # type: ignore[arg-type]
    return out


def _ordered(props: dict[str, list[Term]], node: str, f: Field, items: list[str]) -> list[str]:
    """The list in its original order when an order literal says so (checked against the members)."""
    stated = props.get(f.order or "", [])
    if not stated:
        return items
    order = json.loads(_lit(stated[0], node, f))
    if sorted(set(order)) != items:
        raise InputError(f"<{node}>: {f.order} lists {order}, but the {f.property} values are {items}")
    return order


def _node(value: Term, node: str, f: Field) -> str:
    if isinstance(value, Lit):
        raise InputError(f"<{node}>: {f.property} must point to a node, found the literal \"{value.value}\"")
    return value


def _position(index: Index, node: str) -> int:
    values = index.get(node, {}).get(vocab().derived["position"], [])
    if not values or not isinstance(values[0], Lit):
        raise InputError(f"<{node}>: an ordered child record needs {vocab().derived['position']}")
    return int(values[0].value)


def _key(index: Index, node: str) -> str:
    values = index.get(node, {}).get(vocab().dict_key, [])
    if not values or not isinstance(values[0], Lit):
        raise InputError(f"<{node}>: a keyed child record needs {vocab().dict_key}")
    return values[0].value
