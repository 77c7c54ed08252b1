"""GEXF 1.2 (networkx) for Gephi: every field kept, nested values as JSON text; reads back equal.

networkx stamps the file with today's date and its own version; both are pinned so the bytes are reproducible.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.base import Exporter
from kg.export.records import flat_nx, from_flat_nx

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

_CREATOR = "kg"
_DATE = "2000-01-01"


def write(graph: KnowledgeGraph, path: Path, **_: Any) -> None:
    from networkx.readwrite.gexf import GEXFWriter

    g = flat_nx(graph)
    for _u, _v, key, data in g.edges(keys=True, data=True):
        data["id"] = key
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(g)
    for meta in writer.xml.iter("meta"):
        meta.set("lastmodifieddate", _DATE)
        for creator in meta.iter("creator"):
            creator.text = _CREATOR
    writer.write(path)


def read(path: Path) -> KnowledgeGraph:
    import networkx as nx

    g = nx.read_gexf(path)
    out = nx.MultiDiGraph()
    out.add_nodes_from((n, {k: v for k, v in d.items() if k != "label"} | {"label": d.get("label")})
                       for n, d in g.nodes(data=True))
    for u, v, data in g.edges(data=True):
        out.add_edge(u, v, key=data.get("id"), **data)
    return from_flat_nx(out)


EXPORTER = Exporter("gexf", ".gexf", "GEXF 1.2 for Gephi", write, read)
