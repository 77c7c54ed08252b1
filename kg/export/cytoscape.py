"""Cytoscape.js JSON (also opened by Cytoscape desktop): full records in `data`, the diagram's positions.

Nested fields stay nested (JSON holds them), so the file reads back as the same graph. Compartments become
compound parent nodes (`kind: compartment`); the reader skips them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.base import Exporter
from kg.export.records import evidence_sources

if TYPE_CHECKING:
    from kg.export.overlay import Overlay
    from kg.graph import KnowledgeGraph

FORMAT_VERSION = "1.0"


def elements(graph: KnowledgeGraph, *, layout: str = "auto", overlay: Overlay | None = None) -> dict[str, Any]:
    """Cytoscape.js elements: entity and compartment nodes (with positions) and edges, sorted by id."""
    from kg.export.layout import positions
    from kg.export.style import compartment_title, edge_arrow, entity_compartments, glyph_for

    boxes = positions(graph, layout)
    places = entity_compartments(graph)
    nodes: list[dict[str, Any]] = []
    for comp in sorted({c for c in places.values() if c}):
        nodes.append({"data": {"id": f"compartment.{comp}", "kind": "compartment",
                               "name": compartment_title(comp)}})
    for ent in graph.entities:
        glyph = glyph_for(ent.category)
        data = {**ent.dump(), "kind": "entity", "name": ent.label, "glyph": ent.category,
                "shape": glyph.cy_shape, "fill": glyph.fill}
        if places[ent.id]:
            data["parent"] = f"compartment.{places[ent.id]}"
        if overlay is not None and ent.id in overlay.readouts:
            direction, fold = overlay.readouts[ent.id]
            data["prediction"] = {"direction": direction, "fold_change": fold}
        box = boxes[ent.id]
        x, y = box.centre
        data["w"], data["h"] = round(box.x1 - box.x0, 2), round(box.y1 - box.y0, 2)
        nodes.append({"data": data, "position": {"x": round(x, 2), "y": round(y, 2)}})
    edges = []
    for e in graph.edges:
        arrow = edge_arrow(e)
        edges.append({"data": {**e.dump(), "source": e.subject, "target": e.object, "interaction": e.predicate,
                               "evidence_sources": evidence_sources(e), "arrow": arrow.cy_head,
                               "directed": arrow.directed, "mechanism_title": arrow.title}})
    return {"nodes": nodes, "edges": edges}


def document(graph: KnowledgeGraph, *, layout: str = "auto", overlay: Overlay | None = None) -> dict[str, Any]:
    return {"format_version": FORMAT_VERSION, "generated_by": "kg", "target_cytoscapejs_version": "~3.34",
            "data": {"name": "kg", "shared_name": "kg"},
            # the nodes carry the diagram's positions: `cytoscape({...doc, container})` draws them as they are
            "layout": {"name": "preset", "fit": True, "padding": 30},
            "elements": elements(graph, layout=layout, overlay=overlay)}


def write(graph: KnowledgeGraph, path: Path, *, layout: str = "auto", overlay: Overlay | None = None,
          **_: Any) -> None:
    text = json.dumps(document(graph, layout=layout, overlay=overlay), ensure_ascii=False, indent=1,
                      sort_keys=True)
    Path(path).write_text(text + "\n", encoding="utf-8")


def from_document(doc: dict[str, Any]) -> KnowledgeGraph:
    from kg.graph import KnowledgeGraph
    from kg.models import Edge, Entity

    ents = [Entity.model_validate({k: v for k, v in n["data"].items() if k in Entity.model_fields})
            for n in doc["elements"]["nodes"] if n["data"].get("kind") == "entity"]
    edges = [Edge.model_validate({k: v for k, v in e["data"].items() if k in Edge.model_fields})
             for e in doc["elements"]["edges"]]
    return KnowledgeGraph(ents, edges)


def read(path: Path) -> KnowledgeGraph:
    return from_document(json.loads(Path(path).read_text(encoding="utf-8")))


EXPORTER = Exporter("cytoscape", ".cyjs", "Cytoscape.js JSON (Cytoscape desktop opens it too)", write, read)
