"""A read-only graph view built straight from a build's graph.json, for the CLI's fast path.

`kg predict` must answer in well under half a second; importing pydantic and validating every record again costs
more than the simulation itself. The build was validated when it was written, so the CLI reads the JSON into
these light records, which expose the same attributes the simulator reads from kg.models records and the same
`entity / edges / resolve / variants_of` accessors as KnowledgeGraph. Library callers pass a KnowledgeGraph.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from kg.ids import evidence_id
from kg.names import NameIndex, ResolvesNames

# Defaults for fields that Record.dump() leaves out when unset (None) or that older builds lack.
_LIST_FIELDS = {"synonyms", "xrefs", "compartments", "effects", "evidence", "sources", "substrates", "products"}
_DICT_FIELDS = {"parameters"}


class Rec:
    """Attribute access over a dict; missing optional fields read as None, [] or {} like the pydantic record."""

    __slots__ = ("_d",)

    def __init__(self, data: dict[str, Any]) -> None:
        self._d = data

    def __getattr__(self, name: str) -> Any:
        d = object.__getattribute__(self, "_d")
        if name in d:
            value = d[name]
            if isinstance(value, dict) and name not in _DICT_FIELDS:
                return Rec(value)
            if isinstance(value, dict):
                return {k: Rec(v) for k, v in value.items()}
            if isinstance(value, list) and value and isinstance(value[0], dict):
                return [Rec(v) for v in value]
            return value
        if name in _LIST_FIELDS:
            return []
        if name in _DICT_FIELDS:
            return {}
        if name.startswith("__"):
            raise AttributeError(name)
        return None

    @property
    def id(self) -> str:  # evidence records carry no stored id: derive it exactly as kg.models.Evidence.id does
        d = self._d
        if "id" in d:
            return d["id"]
        return evidence_id(d)

    @property
    def sign_value(self) -> int:
        return {"positive": 1, "negative": -1}.get(self._d.get("sign", ""), 0)


class LiteGraph(ResolvesNames):
    """The subset of the KnowledgeGraph API the simulator uses, over the build's JSON."""

    def __init__(self, data: dict[str, Any], digest: str | None = None, build_dir: Path | None = None) -> None:
        self._entities = {e["id"]: Rec(e) for e in data["entities"]}
        self._edges = {e["id"]: Rec(e) for e in data["edges"]}
        self._names: NameIndex | None = None
        self.digest = digest  # SHA-256 of the graph.json bytes read: what the simulator's model cache is keyed by
        self.build_dir = build_dir

    @property
    def entities(self) -> list[Rec]:
        return [self._entities[k] for k in sorted(self._entities)]

    @property
    def edges(self) -> list[Rec]:
        return [self._edges[k] for k in sorted(self._edges)]

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._entities

    def __len__(self) -> int:
        return len(self._entities)

    def entity(self, entity_id: str) -> Rec:
        return self._entities[entity_id]

    def edge(self, edge_id: str) -> Rec:
        return self._edges[edge_id]

    def variants_of(self, gene_id: str) -> list[Rec]:
        return [e for e in self.entities if e.category == "sequence_variant" and e.gene == gene_id]


def load_lite(build_dir: Any = None) -> LiteGraph:
    """The current build (rebuilt first when a source changed) as a LiteGraph, with the digest of the bytes read:
    the simulator caches its calibrated models in the build folder under that digest. The bytes are checked
    against the build's manifest first, so a tampered graph.json is refused (DamagedBuild), never cached."""
    from kg.build import ensure_current, parse_graph_json, read_graph_bytes

    folder = ensure_current(build_dir)
    raw = read_graph_bytes(folder)
    return LiteGraph(parse_graph_json(folder, raw), hashlib.sha256(raw).hexdigest(), folder)
