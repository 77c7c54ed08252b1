"""GraphML (networkx): every entity and edge field kept, nested values as JSON text; reads back equal."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.base import Exporter
from kg.export.records import flat_nx, from_flat_nx

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


def write(graph: KnowledgeGraph, path: Path, **_: Any) -> None:
    import networkx as nx

    nx.write_graphml(flat_nx(graph), path, encoding="utf-8", prettyprint=True, named_key_ids=True)


def read(path: Path) -> KnowledgeGraph:
    import networkx as nx

    return from_flat_nx(nx.read_graphml(path, force_multigraph=True))


EXPORTER = Exporter("graphml", ".graphml", "GraphML for Cytoscape, Gephi, yEd and networkx", write, read)
