"""Contexts: the declared parameter sets (cell_system entities with `parameters`) a simulation runs in.

Two kinds:
- a culture context (hek293, chondrocyte, osteoblast, vsmc) is one well-mixed medium: one compartment;
- an in-vivo context (plasma, bone, artery, joint, ...) is a view of the one body model: every cell_system that
  declares `compartment.volume` is a compartment of the body, with its own local parameters, exchanging with
  plasma; the contexts differ only in which compartment unqualified names mean (the context's own).
A parameter is keyed `NAME.param` (`PPi.clearance`, `ANKH.up`, `Pi.exchange`), `SUBJECT>OBJECT.param`
(`ENPP1>ATP.k`: a capacity, so the enzyme acts in that compartment), or model-wide (`effect.up`,
`regulation.K`; in the body model taken from the context, else from plasma). Every value is a Parameter with
its basis and source, declared in loaders/; nothing here invents a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.errors import InputError, KgError

CONTEXT_CATEGORY = "cell_system"
DEFAULT_CONTEXT = "plasma"
HUB = "plasma"  # the body compartment every transfer connects with
BODY_MARK = "compartment.volume"
MODEL_KEYS = ("effect", "variant", "regulation", "reference", "compartment", "uncertainty")


@dataclass
class Site:
    """One compartment of a context's model: its name (what `NAME@name` says), entity and local parameters."""

    name: str
    entity: str
    label: str
    params: dict[str, Any]


@dataclass
class Context:
    """One declared parameter set and the compartments it simulates (one for culture, the body for in vivo)."""

    id: str
    name: str
    label: str
    params: dict[str, Any] = field(default_factory=dict)
    sites: list[Site] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)  # casefolded word -> compartment name

    @property
    def body(self) -> bool:
        return len(self.sites) > 1 or any(BODY_MARK in s.params for s in self.sites)

    @property
    def primary(self) -> str:
        return next(s.name for s in self.sites if s.entity == self.id)

    def site(self, name: str) -> Site:
        return next(s for s in self.sites if s.name == name)

    def has(self, key: str) -> bool:
        return self._lookup(key) is not None

    def _lookup(self, key: str) -> Any:
        p = self.params.get(key)
        if p is None and self.body and key.split(".", 1)[0] in MODEL_KEYS and any(s.name == HUB for s in self.sites):
            p = self.site(HUB).params.get(key)
        return p

    def get(self, key: str, default: float | None = None) -> float | None:
        p = self._lookup(key)
        return float(p.value) if p is not None else default

    def param(self, key: str) -> Any:
        return self._lookup(key)

    def require(self, key: str) -> float:
        value = self.get(key)
        if value is None:
            raise KgError(f"context '{self.name}' lacks parameter '{key}' (add it to loaders/contexts.yaml)")
        return value

    def compartment(self, word: str) -> str | None:
        """The compartment a word means (its name, label or a synonym, case-insensitive), or None."""
        return self.synonyms.get(word.strip().casefold())

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "id": self.id, "label": self.label}


def short_name(entity: Any) -> str:
    """The name users type for a context: its symbol, else the local part of a KG: id (`KG:hek293` -> hek293)."""
    if isinstance(entity, str):
        return entity.split(":", 1)[1] if ":" in entity else entity
    return entity.symbol or short_name(entity.id)


def available(graph: Any) -> list[Any]:
    """Cell systems that declare parameters, sorted by id."""
    return [e for e in graph.entities if e.category == CONTEXT_CATEGORY and e.parameters]


def resolve_context(graph: Any, name: str | None) -> Context:
    """The context a name means (short name, id, label or synonym, case-insensitive); InputError listing the
    known ones otherwise."""
    name = (name or DEFAULT_CONTEXT).strip()
    known = available(graph)
    names = ", ".join(sorted(short_name(e) for e in known)) or "none declared"
    wanted = name.casefold()
    match = next((e for e in known if wanted in {short_name(e).casefold(), e.id.casefold(), e.label.casefold(),
                                                 *(s.casefold() for s in e.synonyms)}), None)
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
    body = BODY_MARK in match.parameters
    members = [e for e in known if BODY_MARK in e.parameters] if body else [match]
    sites = [Site(short_name(e), e.id, e.label, dict(e.parameters)) for e in members]
    synonyms: dict[str, str] = {}
    for e, s in zip(members, sites, strict=True):
        for word in (s.name, e.label, *e.synonyms):
            synonyms.setdefault(word.casefold(), s.name)
    return Context(id=match.id, name=short_name(match), label=match.label, params=dict(match.parameters),
                   sites=sites, synonyms=synonyms)
