"""Which part of the graph a picture shows: a named module, a focus entity's neighbourhood, or both.

A selection keeps every entity it reaches, gene features (variants, transcripts, protein regions) included: the
drawing collapses them into one summary node per gene unless asked (kg.export.summary, `--show variants`).
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, ResolveError

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

log = logging.getLogger(__name__)
MODULES_FILE = Path(__file__).with_name("modules.yaml")


@cache
def modules() -> dict[str, Any]:
    import yaml

    with MODULES_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def module_members(graph: KnowledgeGraph, name: str) -> list[str]:
    """The entity ids of a named module; members that resolve to nothing are logged and skipped."""
    spec = modules().get(name)
    if spec is None:
        raise InputError(f"unknown module '{name}' (known: {', '.join(sorted(modules()))})")
    ids: set[str] = set()
    for names in spec["members"]:
        found = set()
        for member in names:
            try:
                found.add(graph.resolve(member).id)
            except ResolveError as exc:
                if exc.ambiguous:
                    raise
        if not found:
            log.warning("module %s: none of %s is in the graph; left out", name, ", ".join(names))
        ids |= found
    if not ids:
        raise InputError(f"module '{name}' has no member in this graph")
    return sorted(ids)


def neighbourhood(graph: KnowledgeGraph, focus: str, depth: int) -> list[str]:
    """Entities within `depth` edges of `focus`, in either direction."""
    if depth < 0:
        raise InputError(f"depth must be 0 or more, not {depth}")
    start = graph.resolve(focus).id
    seen, frontier = {start}, {start}
    for _ in range(depth):
        nxt = set()
        for node in sorted(frontier):
            for e in graph.incident_edges(node):
                nxt.update((e.subject, e.object))
        frontier = nxt - seen
        seen |= frontier
    return sorted(seen)


def select(graph: KnowledgeGraph, *, module: str | None = None, focus: str | None = None,
           depth: int = 1) -> KnowledgeGraph:
    """The induced subgraph to draw: the module, the focus neighbourhood, or the focus neighbourhood inside it."""
    if module is None and focus is None:
        return graph
    keep: set[str] | None = None
    if module is not None:
        keep = set(module_members(graph, module))
    if focus is not None:
        if keep is not None:
            graph = graph.subgraph(keep)
        keep = set(neighbourhood(graph, focus, depth))
    return graph.subgraph(keep or ())
