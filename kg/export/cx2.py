"""CX2 for NDEx and Cytoscape, written to the CX2 specification (no ndex2/pandas dependency).

Aspects: CXVersion, metaData, attributeDeclarations, networkAttributes, nodes (with the diagram's x, y),
edges, status. Text fields are `string`, lists of text `list_of_string`, nested values JSON text; the
declarations tell the reader which is which, so the file reads back as the same graph.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.base import Exporter
from kg.export.records import dumps, evidence_sources, json_fields

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.models import Edge, Entity


def _values(record: Entity | Edge, extra: dict[str, str]) -> dict[str, Any]:
    nested = json_fields(type(record))
    out: dict[str, Any] = {}
    for key, value in sorted(record.dump().items()):
        if key not in nested or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            out[key] = value
        else:
            out[key] = dumps(value)
    return {**out, **extra}


def _declare(rows: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    types: dict[str, str] = {}
    for row in rows:
        for key, value in row.items():
            kind = "list_of_string" if isinstance(value, list) else "string"
            if types.setdefault(key, kind) != kind:
                types[key] = "string"
    return {k: {"d": v} for k, v in sorted(types.items())}


def document(graph: KnowledgeGraph, *, layout: str = "auto") -> list[dict[str, Any]]:
    from kg.export.layout import positions

    boxes = positions(graph, layout)
    index = {ent.id: i for i, ent in enumerate(graph.entities)}
    node_values = [_values(ent, {"name": ent.label, "represents": ent.id}) for ent in graph.entities]
    edge_values = [_values(e, {"interaction": e.predicate, "evidence_sources": evidence_sources(e)})
                   for e in graph.edges]
    # list fields must stay lists even when some rows are JSON text: declare per key from the records
    for rows in (node_values, edge_values):
        mixed = {k for row in rows for k, v in row.items() if not isinstance(v, list)}
        for row in rows:
            for key, value in row.items():
                if isinstance(value, list) and key in mixed:
                    row[key] = dumps(value)
    nodes = []
    for ent, values in zip(graph.entities, node_values, strict=True):
        x, y = boxes[ent.id].centre
        nodes.append({"id": index[ent.id], "x": round(x, 2), "y": round(y, 2), "v": values})
    edges = [{"id": i, "s": index[e.subject], "t": index[e.object], "v": values}
             for i, (e, values) in enumerate(zip(graph.edges, edge_values, strict=True))]
    net = [{"name": "kg", "description": "ANKH / pyrophosphate / mineralization knowledge graph"}]
    declarations = {"networkAttributes": {"name": {"d": "string"}, "description": {"d": "string"}},
                    "nodes": _declare(node_values), "edges": _declare(edge_values)}
    return [
        {"CXVersion": "2.0", "hasFragments": False},
        {"metaData": [{"name": "attributeDeclarations", "elementCount": 1},
                      {"name": "networkAttributes", "elementCount": 1},
                      {"name": "nodes", "elementCount": len(nodes)},
                      {"name": "edges", "elementCount": len(edges)}]},
        {"attributeDeclarations": [declarations]},
        {"networkAttributes": net},
        {"nodes": nodes},
        {"edges": edges},
        {"status": [{"error": "", "success": True}]},
    ]


def write(graph: KnowledgeGraph, path: Path, *, layout: str = "auto", **_: Any) -> None:
    text = json.dumps(document(graph, layout=layout), ensure_ascii=False, indent=1, sort_keys=False)
    Path(path).write_text(text + "\n", encoding="utf-8")


def read(path: Path) -> KnowledgeGraph:
    from kg.graph import KnowledgeGraph
    from kg.models import Edge, Entity

    aspects: dict[str, Any] = {}
    for aspect in json.loads(Path(path).read_text(encoding="utf-8")):
        for key, value in aspect.items():
            aspects.setdefault(key, [])
            aspects[key] += value if isinstance(value, list) else [value]

    def decode(model: type[Entity] | type[Edge], values: dict[str, Any]) -> dict[str, Any]:
        nested = json_fields(model)
        return {k: json.loads(v) if k in nested and isinstance(v, str) else v
                for k, v in values.items() if k in model.model_fields}

    ids = {n["id"]: n["v"]["represents"] for n in aspects["nodes"]}
    ents = [Entity.model_validate(decode(Entity, n["v"])) for n in aspects["nodes"]]
    edges = [Edge.model_validate({**decode(Edge, e["v"]), "subject": ids[e["s"]], "object": ids[e["t"]]})
             for e in aspects["edges"]]
    return KnowledgeGraph(ents, edges)


EXPORTER = Exporter("cx2", ".cx2", "CX2 for NDEx and Cytoscape", write, read)
