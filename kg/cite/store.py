"""publications.json in a build: the metadata of every publication the graph cites, by source CURIE.

Written as a build view (kg.build.VIEW_WRITERS) from `KnowledgeGraph.publications`; read back as plain dicts so
that `kg show` and `kg cite` never import pydantic. A graph read from RDF carries no metadata: its file is `{}`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

PUBLICATIONS_FILE = "publications.json"


def cited_sources(graph: Any) -> set[str]:
    """Every publication CURIE the graph's evidence cites (edges and entities)."""
    owners = [*graph.edges, *graph.entities]
    return {ev.source for owner in owners for ev in owner.evidence}


def write_publications(graph: KnowledgeGraph, folder: Path) -> list[str]:
    known = getattr(graph, "publications", {}) or {}
    data = {s: known[s].dump() for s in sorted(cited_sources(graph)) if s in known}
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    (folder / PUBLICATIONS_FILE).write_text(text, encoding="utf-8")
    return [PUBLICATIONS_FILE]


def read_publications(folder: Path) -> dict[str, dict[str, Any]]:
    path = folder / PUBLICATIONS_FILE
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))
