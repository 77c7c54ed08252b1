"""Which publications `kg cite` prints: those behind an entity, an edge, an evidence record, one publication, or
(NAME None) every publication the graph cites. Each comes as its metadata dict (kg.cite.records), or as
`{id, reference}` when kg's sources give no metadata for it."""

from __future__ import annotations

from typing import Any

from kg.snapshot import Snapshot


def _sources(snapshot: Snapshot, name: str | None) -> dict[str, str | None]:
    """Source CURIE -> the short reference an evidence record gives for it (first one seen)."""
    if name is None:
        records = [ev for owner in [*snapshot.edges.values(), *snapshot.entities.values()]
                   for ev in owner.get("evidence", [])]
    else:
        kind, card = snapshot.find(name)
        if kind == "publication":
            return {card["id"]: card.get("reference")}
        if kind == "evidence":
            records = [card]
        elif kind == "edge":
            records = card["evidence"]
        else:
            records = [*card.get("evidence", []), *(ev for e in card["edges"] for ev in e["evidence"])]
    out: dict[str, str | None] = {}
    for ev in records:
        out.setdefault(ev["source"], ev.get("reference"))
    return out


def publications_for(snapshot: Snapshot, name: str | None) -> list[dict[str, Any]]:
    """The publications, sorted by source CURIE."""
    out = []
    for source, reference in sorted(_sources(snapshot, name).items()):
        known = snapshot.publications.get(source)
        out.append(known if known is not None else {"id": source, **({"reference": reference} if reference else {})})
    return out
