"""Validating raw records into Entity and Edge: names resolved to ids, shared references expanded, pydantic
errors turned into located LoadErrors (file, line, field, what was expected)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from kg.load.yaml_source import RawRecord
from kg.models import Edge, Entity
from kg.names import NameIndex

EDGE_REFS = ("subject", "object", "context")
EDGE_LIST_REFS = ("substrates", "products")
Errors = Any  # a list of LoadError, or kg.load.imports.ErrorSink (anything with `append`)


def pydantic_errors(rec: RawRecord, exc: ValidationError, errors: Errors, what: str) -> None:
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


def validate_entities(records: list[RawRecord], index: NameIndex, references: dict[str, dict[str, Any]],
                       errors: Errors) -> dict[str, Entity]:
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
            data["evidence"], refs_ok = expand_refs(rec, data["evidence"], references, errors)
            ok = ok and refs_ok
        if not ok:
            continue
        try:
            ent = Entity.model_validate(data)
        except ValidationError as exc:
            pydantic_errors(rec, exc, errors, "entity")
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


def resolve_name(name: Any, index: NameIndex, *, suggest: bool = True) -> tuple[str | None, str]:
    """Resolve a reference to one entity id; returns (id, problem-description). Close-match suggestions cost a scan
    of every name: `suggest=False` leaves them out (imports ask only when they report the error)."""
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
    hint = index.suggest(name) if suggest else []
    return None, f"dangling reference '{name}': no such entity" + (f"; did you mean {', '.join(hint)}?" if hint else "")


def validate_edge(rec: RawRecord, index: NameIndex, references: dict[str, dict[str, Any]],
                   entities: dict[str, Entity], errors: Errors) -> Edge | None:
    data = dict(rec.data)
    ok = True
    for key in EDGE_REFS:
        if data.get(key) in entities:  # already an id (imports resolve their ends first)
            continue
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
        data["evidence"], refs_ok = expand_refs(rec, data["evidence"], references, errors)
        ok = ok and refs_ok
    if not ok:
        return None
    try:
        edge = Edge.model_validate(data)
    except ValidationError as exc:
        pydantic_errors(rec, exc, errors, "edge")
        return None
    ctx = entities.get(edge.context) if edge.context else None
    if ctx is not None and ctx.category != "cell_system":
        errors.append(rec.error(f"context {edge.context} is a {ctx.category}",
                                ("context",), "a cell_system entity"))
        return None
    edge.sources = [rec.file]
    return edge


def expand_refs(rec: RawRecord, items: Any, references: dict[str, dict[str, Any]],
                 errors: Errors) -> tuple[Any, bool]:
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
            item = {**ref, **{k: v for k, v in item.items() if k != "ref"}}
        expanded.append(item)
    return expanded, ok
