"""A read-only, dict-based view of a build, for the CLI's fast reads (`kg show`).

The build's graph.json was validated when it was written, so reading a card needs neither pydantic nor networkx:
this view answers `find` and the cards straight from the JSON, with the same name resolution (kg.names) as
KnowledgeGraph. Anything that computes over the graph loads the full KnowledgeGraph instead.

Every identifier kg prints can be shown: an entity (gene, variant, context, ...) by name or id, an edge by its
`KG:edge.` id, an evidence record by its `ev.` id, and a publication by its PMID, DOI or PMC id (or the reference key
the loaders give it, e.g. szeri2020).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.errors import ResolveError
from kg.names import NameIndex
from kg.rivals import Claim, rivals

PUBLICATION_PREFIXES = ("PMID:", "DOI:", "PMC:")


class Snapshot:
    def __init__(self, data: dict[str, Any], publications: dict[str, dict[str, Any]] | None = None) -> None:
        self.entities: dict[str, dict[str, Any]] = {e["id"]: e for e in data["entities"]}
        self.edges: dict[str, dict[str, Any]] = {e["id"]: e for e in data["edges"]}
        self.publications = publications or {}
        self._incident: dict[str, set[str]] = {}
        self._out: dict[str, list[str]] = {}
        for e in data["edges"]:
            self._incident.setdefault(e["subject"], set()).add(e["id"])
            self._incident.setdefault(e["object"], set()).add(e["id"])
            self._out.setdefault(e["subject"], []).append(e["id"])
        self.names = NameIndex()
        for ent in data["entities"]:
            self.names.add(ent["id"], [ent.get("label"), ent.get("symbol"), *ent.get("synonyms", []),
                                       *ent.get("xrefs", []), ent.get("hgvs")])
        self._evidence: dict[str, list[tuple[str, dict[str, Any]]]] | None = None

    def _describe(self, entity_id: str) -> tuple[str, str | None]:
        ent = self.entities[entity_id]
        return ent["label"], ent.get("symbol")

    def resolve(self, name: str) -> dict[str, Any]:
        return self.entities[self.names.resolve(name, self._describe)]

    def find(self, name: str) -> tuple[str, dict[str, Any]]:
        """What a printed id or a name means: ("edge" | "evidence" | "publication" | "entity", its card)."""
        text = name.strip()
        if text in self.edges:
            return "edge", self.edge_card(text)
        if text.startswith("ev.") and text in self.evidence_index():
            return "evidence", self.evidence_card(text)
        if text.startswith(PUBLICATION_PREFIXES) and (text in self.publications or self.citing(text)):
            return "publication", self.publication_card(text)
        by_key = [p["id"] for p in self.publications.values() if p.get("key") == text]
        if by_key:  # a reference key of the loaders (szeri2020)
            return "publication", self.publication_card(by_key[0])
        try:
            return "entity", self.card(self.resolve(text)["id"])
        except ResolveError:
            if text.startswith("KG:edge."):
                raise ResolveError(text, [e for e in self.edges if e.startswith(text[:12])][:5]) from None
            gene, sep, variant = text.partition(":")
            if sep and variant and not _is_prefix(gene):  # GENE:VARIANT, as kg predict writes it
                try:
                    return "entity", self.card(self.resolve(f"{gene} {variant}")["id"])
                except ResolveError:
                    pass
            raise

    # ---- cards ------------------------------------------------------------------------------------------------
    def label(self, entity_id: str | None) -> str | None:
        return None if entity_id is None else self.entities[entity_id]["label"]

    def labelled_edge(self, edge_id: str) -> dict[str, Any]:
        """The edge with its ends' labels (and its context's)."""
        edge = dict(self.edges[edge_id])
        edge["subject_label"] = self.label(edge["subject"])
        edge["object_label"] = self.label(edge["object"])
        if edge.get("context"):
            edge["context_label"] = self.label(edge["context"])
        return edge

    def card(self, entity_id: str) -> dict[str, Any]:
        """The entity with every incident edge (sorted by id), each labelled at both ends."""
        card = dict(self.entities[entity_id])
        card["edges"] = [self.labelled_edge(eid) for eid in sorted(self._incident.get(entity_id, ()))]
        return card

    def edge_card(self, edge_id: str) -> dict[str, Any]:
        """The edge, labelled, with its rival claims (kg.rivals) each labelled and with its status."""
        card = self.labelled_edge(edge_id)
        edge = self.edges[edge_id]
        mine = _claim(edge)
        found = rivals(mine, (_claim(self.edges[e]) for e in self._out.get(edge["subject"], ())))
        card["rivals"] = [_rival(self.labelled_edge(r)) for r in found]
        return card

    def evidence_index(self) -> dict[str, list[tuple[str, dict[str, Any]]]]:
        """ev. id -> the (edge or entity id, evidence record) pairs that carry it."""
        if self._evidence is None:
            from kg.ids import evidence_id

            index: dict[str, list[tuple[str, dict[str, Any]]]] = {}
            for owner in [*self.edges.values(), *self.entities.values()]:
                for ev in owner.get("evidence", []):
                    index.setdefault(evidence_id(ev), []).append((owner["id"], ev))
            self._evidence = index
        return self._evidence

    def evidence_card(self, evidence_id: str) -> dict[str, Any]:
        """The evidence record and every edge or entity stating it."""
        carriers = self.evidence_index()[evidence_id]
        card = {"id": evidence_id, **carriers[0][1], "cited_by": [self._owner(owner) for owner, _ in carriers]}
        if card.get("source") in self.publications:
            card["publication"] = self.publications[card["source"]]
        return card

    def citing(self, source: str) -> list[dict[str, Any]]:
        """Every edge and entity with evidence from the publication, labelled (edges first, by id)."""
        edges = [self._owner(e["id"]) for e in sorted(self.edges.values(), key=lambda e: e["id"])
                 if any(ev.get("source") == source for ev in e.get("evidence", []))]
        entities = [self._owner(e["id"]) for e in sorted(self.entities.values(), key=lambda e: e["id"])
                    if any(ev.get("source") == source for ev in e.get("evidence", []))]
        return edges + entities

    def publication_card(self, source: str) -> dict[str, Any]:
        """What kg knows of a publication (kg.cite metadata, if the sources give it) and what cites it."""
        known = self.publications.get(source, {"id": source})
        return {**known, "cited_by": self.citing(source)}

    def _owner(self, owner_id: str) -> dict[str, Any]:
        if owner_id in self.edges:
            e = self.labelled_edge(owner_id)
            return {"kind": "edge", "id": owner_id, "label": f"{e['subject_label']} {e['predicate']} "
                                                              f"{e['object_label']}", "status": e["status"]}
        ent = self.entities[owner_id]
        return {"kind": "entity", "id": owner_id, "label": ent["label"], "status": None}


def _is_prefix(text: str) -> bool:
    from kg.schema import load_schema

    return text.casefold() in {p.casefold() for p in load_schema().prefixes}


def _claim(edge: dict[str, Any]) -> Claim:
    return Claim(edge["id"], edge["subject"], edge["predicate"], edge["object"])


def _rival(edge: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "subject", "subject_label", "predicate", "object", "object_label", "status", "claim", "context")
    return {k: edge[k] for k in keys if edge.get(k) is not None}


def load_snapshot(out: Path | None = None) -> Snapshot:
    """The current build as a Snapshot (rebuilt first if a source changed), with its publications if any."""
    from kg.build import ensure_current

    return read_snapshot(ensure_current(out))


def read_snapshot(folder: Path) -> Snapshot:
    """The build in `folder` as it is (never rebuilt: what a server reads), with its publications if any."""
    from kg.build import read_graph_json
    from kg.cite.store import read_publications

    return Snapshot(read_graph_json(folder), read_publications(folder))
