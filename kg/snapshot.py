"""A read-only, dict-based view of a build, for the CLI's fast reads (`kg show`).

The build's graph.json was validated when it was written, so reading an entity card needs neither pydantic nor
networkx: this view answers `resolve` and `card` straight from the JSON, with the same name resolution
(kg.names) as KnowledgeGraph. Anything that computes over the graph loads the full KnowledgeGraph instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.names import NameIndex


class Snapshot:
    def __init__(self, data: dict[str, Any]) -> None:
        self.entities: dict[str, dict[str, Any]] = {e["id"]: e for e in data["entities"]}
        self.edges: dict[str, dict[str, Any]] = {e["id"]: e for e in data["edges"]}
        self._incident: dict[str, set[str]] = {}
        for e in data["edges"]:
            self._incident.setdefault(e["subject"], set()).add(e["id"])
            self._incident.setdefault(e["object"], set()).add(e["id"])
        self.names = NameIndex()
        for ent in data["entities"]:
            self.names.add(ent["id"], [ent.get("label"), ent.get("symbol"), *ent.get("synonyms", []),
                                       *ent.get("xrefs", []), ent.get("hgvs")])

    def _describe(self, entity_id: str) -> tuple[str, str | None]:
        ent = self.entities[entity_id]
        return ent["label"], ent.get("symbol")

    def resolve(self, name: str) -> dict[str, Any]:
        return self.entities[self.names.resolve(name, self._describe)]

    def card(self, entity_id: str) -> dict[str, Any]:
        """The entity with every incident edge (sorted by id), each labelled at both ends."""
        card = dict(self.entities[entity_id])
        card["edges"] = [self.edge_card(eid) for eid in sorted(self._incident.get(entity_id, ()))]
        return card

    def edge_card(self, edge_id: str) -> dict[str, Any]:
        """The edge with its evidence, labelled at both ends (`kg show EDGE_ID`); KeyError if there is none."""
        edge = dict(self.edges[edge_id])
        edge["subject_label"] = self.entities[edge["subject"]]["label"]
        edge["object_label"] = self.entities[edge["object"]]["label"]
        return edge


def load_snapshot(out: Path | None = None) -> Snapshot:
    """The current build as a Snapshot (rebuilt first if a source changed)."""
    from kg.build import ensure_current, read_graph_json

    return Snapshot(read_graph_json(ensure_current(out)))
