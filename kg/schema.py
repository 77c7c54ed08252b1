"""The schema (schema/kg.yaml) as typed, cached Python objects.

Everything that names a category or predicate (models, RDF, Neo4j, diagrams, the simulator) reads it from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kg.paths import schema_dir


@dataclass(frozen=True)
class Category:
    name: str
    description: str
    biolink: str
    neo4j_label: str
    glyph: str


@dataclass(frozen=True)
class Predicate:
    name: str
    sign: str
    mechanism: str
    description: str
    biolink: str
    neo4j_type: str
    ro: str | None = None
    symmetric: bool = False
    biolink_qualifiers: dict[str, str] = field(default_factory=dict)

    @property
    def sign_value(self) -> int:
        """+1, -1 or 0: the sign as a number for signed reasoning."""
        return {"positive": 1, "negative": -1}.get(self.sign, 0)


@dataclass(frozen=True)
class Prefix:
    prefix: str
    uri_prefix: str
    pattern: str
    banana: str | None = None  # the registry's prefix inside the local id (PMC123456), prepended when missing
    local: bool = False  # kg's own namespace, not a registry's


@dataclass(frozen=True)
class AssociationRule:
    """Edges with this Biolink predicate, between these kg categories (None: any), are reified as `cls`."""

    predicate: str
    cls: str
    subject: tuple[str, ...] | None = None
    object: tuple[str, ...] | None = None

    def matches(self, predicate: str, subject: str, object_: str) -> bool:
        return (predicate == self.predicate and (self.subject is None or subject in self.subject)
                and (self.object is None or object_ in self.object))


@dataclass(frozen=True)
class BiolinkMapping:
    """How kg states its graph in the Biolink Model (schema/kg.yaml `biolink`)."""

    knowledge_source: dict[str, str]
    knowledge_level: str
    agent_type: str
    narrow_predicates: dict[str, dict[str, Any]]
    associations: tuple[AssociationRule, ...]
    default_association: str


@dataclass(frozen=True)
class Schema:
    version: str
    prefixes: dict[str, Prefix]
    evidence_prefixes: tuple[str, ...]
    categories: dict[str, Category]
    signs: dict[str, dict[str, str]]
    mechanisms: dict[str, dict[str, Any]]
    compartments: tuple[str, ...]
    statuses: dict[str, str]
    confidences: tuple[str, ...]
    predicates: dict[str, Predicate]
    species: dict[str, str | None]
    variant_classes: tuple[str, ...]
    variant_effect_kinds: tuple[str, ...]
    biolink: BiolinkMapping

    @property
    def local_prefix(self) -> str:
        """kg's own namespace (`KG`), for entities with no public identifier."""
        return next(p.prefix for p in self.prefixes.values() if p.local)

    def predicate(self, name: str) -> Predicate:
        try:
            return self.predicates[name]
        except KeyError:
            raise KeyError(f"unknown predicate '{name}'; known: {', '.join(sorted(self.predicates))}") from None

    def predicate_for(self, sign: str, mechanism: str) -> Predicate | None:
        """The first predicate declared for a (sign, mechanism) pair, used by the TSV importer."""
        return self._by_sign_mechanism().get((sign, mechanism))

    def _by_sign_mechanism(self) -> dict[tuple[str, str], Predicate]:
        table = self.__dict__.get("_sign_mechanism")
        if table is None:
            table = {}
            for p in self.predicates.values():
                table.setdefault((p.sign, p.mechanism), p)
            object.__setattr__(self, "_sign_mechanism", table)
        return table


def _read_yaml(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=loader)  # noqa: S506 - a SafeLoader (C or Python)


@cache
def load_schema(path: str | None = None) -> Schema:
    """Read and cache the schema; `path` overrides schema/kg.yaml (tests use it)."""
    raw = _read_yaml(Path(path) if path else schema_dir() / "kg.yaml")
    return Schema(
        version=str(raw["version"]),
        prefixes={k: Prefix(k, **v) for k, v in raw["prefixes"].items()},
        evidence_prefixes=tuple(raw["evidence_prefixes"]),
        categories={k: Category(name=k, **v) for k, v in raw["categories"].items()},
        signs=raw["signs"],
        mechanisms=raw["mechanisms"],
        compartments=tuple(raw["compartments"]),
        statuses=raw["statuses"],
        confidences=tuple(raw["confidences"]),
        predicates={k: Predicate(name=k, **v) for k, v in raw["predicates"].items()},
        species=raw["species"],
        variant_classes=tuple(raw["variant_classes"]),
        variant_effect_kinds=tuple(raw["variant_effect_kinds"]),
        biolink=_biolink(raw["biolink"]),
    )


def _biolink(raw: dict[str, Any]) -> BiolinkMapping:
    def _names(value: list[str] | None) -> tuple[str, ...] | None:
        return None if value is None else tuple(value)

    rules = tuple(AssociationRule(predicate=r["predicate"], cls=r["class"], subject=_names(r.get("subject")),
                                  object=_names(r.get("object"))) for r in raw["associations"])
    return BiolinkMapping(knowledge_source=dict(raw["knowledge_source"]), knowledge_level=raw["knowledge_level"],
                          agent_type=raw["agent_type"], narrow_predicates=dict(raw["narrow_predicates"]),
                          associations=rules, default_association=raw["default_association"])
