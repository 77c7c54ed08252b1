"""GraphML (networkx): every entity and edge field kept, nested values as JSON text; reads back equal.

Each key is declared once with its own id (`d0`, `d1`, ...: a node and an edge attribute of one name are two keys),
and identifiers are GraphML's own node and edge ids rather than an `id` attribute, so igraph reads the file
without warnings.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.base import Exporter
from kg.export.records import flat_nx, from_flat_nx

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph


def write(graph: KnowledgeGraph, path: Path, **_: Any) -> None:
    import networkx as nx

    g = flat_nx(graph)
    for _node, data in g.nodes(data=True):
        data.pop("id", None)  # the node's GraphML id
    for _u, _v, data in g.edges(data=True):
        data.pop("id", None)  # the edge's GraphML id (its key)
    nx.write_graphml(g, path, encoding="utf-8", prettyprint=True, named_key_ids=False)


def read(path: Path) -> KnowledgeGraph:
    import networkx as nx

    return from_flat_nx(nx.read_graphml(path, force_multigraph=True))


EXPORTER = Exporter("graphml", ".graphml", "GraphML for Cytoscape, Gephi, yEd and networkx", write, read)
