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
        prefixes={k: Prefix(k, v["uri_prefix"], v["pattern"]) for k, v in raw["prefixes"].items()},
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
    )
