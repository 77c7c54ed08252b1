"""Parallel edges: two or more active edges with the same subject, predicate and object (another context or other
qualifiers), stated by different sources. Each one acts in both layers, so the influence is counted once per edge;
a user's import that restates a curated edge in another context is the usual cause. `kg predict` notes them."""

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
        stated_by = sorted({"; ".join(sorted(e.sources)) or "unknown source" for e in group})
        if len(group) < 2 or len(stated_by) < 2:
            continue
        contexts = sorted({e.context or "general" for e in group})
        notes.append(f"{graph.entity(obj).label} is reached by {len(group)} parallel '{predicate}' edges from "
                     f"{graph.entity(subject).label} (contexts: {', '.join(contexts)}; stated by: "
                     f"{' | '.join(stated_by)}); each acts, so that influence counts {len(group)} times")
    return notes
