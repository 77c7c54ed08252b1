"""Parallel edges: two or more active edges with the same subject, predicate and object (another context or other
qualifiers), stated by different sources. Each one acts in both layers, so the influence is counted once per edge;
a user's import that restates a curated edge in another context is the usual cause. `kg predict` notes them.

Edges act together where their contexts meet: a general edge (no context) acts everywhere, an edge of one context
(a culture, or one compartment of the body model) only there. Two edges of different body compartments (bone,
artery) never act on one target together, so they are not parallel."""

from __future__ import annotations

from collections import defaultdict
from typing import Any


def parallel_edge_notes(graph: Any, edges: list[Any]) -> list[str]:
    """One note per group of parallel edges from different sources among `edges` (sorted, deterministic)."""
    groups: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for edge in edges:
        groups[(edge.subject, edge.predicate, edge.object)].append(edge)
    notes = []
    for (subject, predicate, obj), group in sorted(groups.items()):
        together = _acting_together(group)
        stated_by = sorted({"; ".join(sorted(e.sources)) or "unknown source" for e in together})
        if len(together) < 2 or len(stated_by) < 2:
            continue
        contexts = sorted({e.context or "general" for e in together})
        notes.append(f"{graph.entity(obj).label} is reached by {len(together)} parallel '{predicate}' edges from "
                     f"{graph.entity(subject).label} (contexts: {', '.join(contexts)}; stated by: "
                     f"{' | '.join(stated_by)}); each acts, so that influence counts {len(together)} times")
    return notes


def _acting_together(group: list[Any]) -> list[Any]:
    """The largest set of the group's edges that act in one place: the general ones plus those of one context."""
    general = [e for e in group if e.context is None]
    best = general
    for context in sorted({e.context for e in group if e.context is not None}):
        here = general + [e for e in group if e.context == context]
        if len(here) > len(best):
            best = here
    return best
