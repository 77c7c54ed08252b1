"""Merging statements of the same edge: evidence is united (never dropped, never duplicated), and a
disagreement on any other attribute is reported with both locations instead of being resolved silently."""

from __future__ import annotations

from kg.errors import LoadError
from kg.load.yaml_source import RawRecord
from kg.models import Edge

# Attributes a later statement may add when an earlier one left them unset, but never change.
MERGEABLE_SCALARS = ("status", "claim", "kinetics")


def merge_edges(edges: list[tuple[Edge, RawRecord]], errors: list[LoadError]) -> list[Edge]:
    """One Edge per deterministic id, in first-seen order."""
    merged: dict[str, Edge] = {}
    first_seen: dict[str, RawRecord] = {}
    for edge, rec in edges:
        if edge.id not in merged:
            merged[edge.id], first_seen[edge.id] = edge, rec
            continue
        target = merged[edge.id]
        for attr in MERGEABLE_SCALARS:
            if attr not in edge.model_fields_set:
                continue
            new, old = getattr(edge, attr), getattr(target, attr)
            if attr not in target.model_fields_set:
                setattr(target, attr, new)
                target.model_fields_set.add(attr)
            elif new != old:
                first = first_seen[edge.id]
                errors.append(rec.error(
                    f"conflicting '{attr}' for edge {edge.subject} {edge.predicate} {edge.object}: "
                    f"{_show(new)} here, {_show(old)} at {first.file}:{first.line}", (attr,),
                    "the same value in every statement of an edge, or a separate edge for a rival claim"))
        known = {ev.id: ev for ev in target.evidence}
        for ev in edge.evidence:
            if ev.id not in known:
                target.evidence.append(ev)
                known[ev.id] = ev
            elif known[ev.id] != ev:
                errors.append(rec.error(
                    f"evidence {ev.source} for edge {edge.subject} {edge.predicate} {edge.object} is stated "
                    f"with different confidence, status or reference than at {first_seen[edge.id].file}:"
                    f"{first_seen[edge.id].line}", ("evidence",), "identical evidence records"))
        for src in edge.sources:
            if src not in target.sources:
                target.sources.append(src)
    for edge in merged.values():
        edge.evidence.sort(key=lambda ev: (ev.source, ev.id))
        edge.sources.sort()
    return list(merged.values())


def _show(value: object) -> str:
    if hasattr(value, "model_dump"):
        return str(value.model_dump(mode="json", exclude_none=True))  # type: ignore[union-attr]
    return repr(value)
