"""Merging statements of the same edge: evidence is united (never dropped, never duplicated), and a
disagreement on any other attribute is reported with both locations instead of being resolved silently.

Statements arrive one at a time (`EdgeMerger.add`), so an import of a million rows never holds its raw rows.
"""

from __future__ import annotations

from kg.errors import LoadError
from kg.load.yaml_source import RawRecord
from kg.models import Edge

# Attributes a later statement may add when an earlier one left them unset, but never change.
MERGEABLE_SCALARS = ("status", "claim", "kinetics")


class EdgeMerger:
    """One Edge per deterministic id, in first-seen order."""

    def __init__(self, errors: list[LoadError]) -> None:
        self.errors = errors
        self.merged: dict[str, Edge] = {}
        self.first_seen: dict[str, RawRecord] = {}
        self.statements = 0
        self._evidence_ids: dict[str, dict[str, object]] = {}

    def add(self, edge: Edge, rec: RawRecord) -> None:
        self.statements += 1
        if edge.id not in self.merged:
            self.merged[edge.id], self.first_seen[edge.id] = edge, rec
            return
        target = self.merged[edge.id]
        first = self.first_seen[edge.id]
        for attr in MERGEABLE_SCALARS:
            if attr not in edge.model_fields_set:
                continue
            new, old = getattr(edge, attr), getattr(target, attr)
            if attr not in target.model_fields_set:
                setattr(target, attr, new)
                target.model_fields_set.add(attr)
            elif new != old:
                self.errors.append(rec.error(
                    f"conflicting '{attr}' for edge {edge.subject} {edge.predicate} {edge.object}: "
                    f"{_show(new)} here, {_show(old)} at {first.file}:{first.line}", (attr,),
                    "the same value in every statement of an edge, or a separate edge for a rival claim"))
        known = self._evidence_ids.get(edge.id)
        if known is None:
            known = self._evidence_ids[edge.id] = {ev.id: ev for ev in target.evidence}
        for ev in edge.evidence:
            if ev.id not in known:
                target.evidence.append(ev)
                known[ev.id] = ev
            elif known[ev.id] != ev:
                self.errors.append(rec.error(
                    f"evidence {ev.source} for edge {edge.subject} {edge.predicate} {edge.object} is stated "
                    f"with different confidence, status or reference than at {first.file}:{first.line}",
                    ("evidence",), "identical evidence records"))
        for src in edge.sources:
            if src not in target.sources:
                target.sources.append(src)

    def edges(self) -> list[Edge]:
        """The merged edges, evidence and sources sorted."""
        for edge in self.merged.values():
            edge.evidence.sort(key=lambda ev: (ev.source, ev.id))
            edge.sources.sort()
        self._evidence_ids.clear()
        return list(self.merged.values())


def merge_edges(edges: list[tuple[Edge, RawRecord]], errors: list[LoadError]) -> list[Edge]:
    """One Edge per deterministic id, in first-seen order (all statements at once)."""
    merger = EdgeMerger(errors)
    for edge, rec in edges:
        merger.add(edge, rec)
    return merger.edges()


def _show(value: object) -> str:
    if hasattr(value, "model_dump"):
        return str(value.model_dump(mode="json", exclude_none=True))  # type: ignore[union-attr]
    return repr(value)
