"""Contexts: the declared parameter sets (cell_system entities with `parameters`) a simulation runs in.

A context parameter is keyed `NAME.param` (an entity-level value, e.g. `PPi.clearance`, `ANKH.up`) or
`SUBJECT>OBJECT.param` (a value for the kinetic edge between two entities, e.g. `ENPP1>ATP.k`), or a model-wide
key such as `effect.up`. Names are resolved through the graph, so synonyms work. Every value is a Parameter with
its basis and source, declared in loaders/contexts.yaml; nothing here invents a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.errors import InputError

CONTEXT_CATEGORY = "cell_system"
DEFAULT_CONTEXT = "plasma"


@dataclass
class Context:
    """One declared parameter set: `values` maps keys to numbers, `params` to the Parameter records."""

    id: str
    name: str
    label: str
    params: dict[str, Any] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        return key in self.params

    def get(self, key: str, default: float | None = None) -> float | None:
        p = self.params.get(key)
        return float(p.value) if p is not None else default

    def require(self, key: str) -> float:
        value = self.get(key)
        if value is None:
            from kg.errors import KgError

            raise KgError(f"context '{self.name}' lacks parameter '{key}' (add it to loaders/contexts.yaml)")
        return value

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "id": self.id, "label": self.label}


def short_name(entity_id: str) -> str:
    """`KG:hek293` -> `hek293`: the name users type for a context."""
    return entity_id.split(":", 1)[1] if ":" in entity_id else entity_id


def available(graph: Any) -> list[Any]:
    """Cell systems that declare parameters, sorted by id."""
    return [e for e in graph.entities if e.category == CONTEXT_CATEGORY and e.parameters]


def resolve_context(graph: Any, name: str | None) -> Context:
    """The context a name means (short name, id, label or synonym); InputError listing the known ones otherwise."""
    name = name or DEFAULT_CONTEXT
    known = available(graph)
    names = ", ".join(short_name(e.id) for e in known) or "none declared"
    match = next((e for e in known if name.casefold() in (short_name(e.id).casefold(), e.id.casefold())), None)
    if match is None:
        from kg.errors import ResolveError

        try:
            ent = graph.resolve(name)
        except ResolveError:
            ent = None
        match = ent if ent is not None and ent in known else None
        if match is None and ent is not None and ent.category == CONTEXT_CATEGORY:
            raise InputError(f"context '{name}' ({ent.id}) declares no simulation parameters; known contexts: {names}")
    if match is None:
        raise InputError(f"unknown context '{name}'; known contexts: {names}")
    return Context(id=match.id, name=short_name(match.id), label=match.label, params=dict(match.parameters))
