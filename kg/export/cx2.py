"""CX2 for NDEx and Cytoscape, written to the CX2 specification (no ndex2/pandas dependency).

Aspects: CXVersion, metaData, attributeDeclarations, networkAttributes, nodes (with the diagram's x, y),
edges, visualProperties (the diagram's grammar: shape and fill by category, line colour by sign, arrowhead by
sign and mechanism, line style by status), status. Text fields are `string`, lists of text `list_of_string`,
nested values JSON text; the declarations tell the reader which is which, so the file reads back as the same graph.
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


# Cytoscape.js shape or arrowhead -> its CX2 (Cytoscape desktop) name, where the two differ
_CX2_SHAPES = {"rhomboid": "parallelogram", "tag": "rectangle"}
_CX2_ARROWS = {"vee": "triangle", "triangle-backcurve": "triangle"}


def _discrete(attribute: str, values: dict[str, str]) -> dict[str, Any]:
    return {"type": "DISCRETE", "definition": {"attribute": attribute, "type": "string",
                                               "map": [{"v": v, "vp": vp} for v, vp in sorted(values.items())]}}


def visual_properties() -> dict[str, Any]:
    """The CX2 visualProperties aspect: the diagram's visual grammar as default styles and discrete mappings."""
    from kg.export.style import SIGN_COLOURS, STATUS_STYLES, arrow_for, glyph_for
    from kg.schema import load_schema

    schema = load_schema()
    glyphs = {name: glyph_for(name) for name in schema.categories}
    arrows = {f"{p.sign}:{p.mechanism}": arrow_for(p.sign, p.mechanism) for p in schema.predicates.values()}
    return {
        "default": {
            "network": {"NETWORK_BACKGROUND_COLOR": "#FFFFFF"},
            "node": {"NODE_SHAPE": "round-rectangle", "NODE_BACKGROUND_COLOR": "#FFFFFF", "NODE_WIDTH": 90,
                     "NODE_HEIGHT": 36, "NODE_BORDER_COLOR": "#555555", "NODE_LABEL_FONT_SIZE": 11},
            "edge": {"EDGE_LINE_COLOR": "#555555", "EDGE_WIDTH": 1.2, "EDGE_LINE_STYLE": "solid",
                     "EDGE_TARGET_ARROW_SHAPE": "triangle"},
        },
        "nodeMapping": {
            "NODE_LABEL": {"type": "PASSTHROUGH", "definition": {"attribute": "name", "type": "string"}},
            "NODE_SHAPE": _discrete("category", {c: _CX2_SHAPES.get(g.cy_shape, g.cy_shape)
                                                 for c, g in glyphs.items()}),
            "NODE_BACKGROUND_COLOR": _discrete("category", {c: g.fill.upper() for c, g in glyphs.items()}),
        },
        "edgeMapping": {
            "EDGE_LINE_COLOR": _discrete("sign", {k: v.upper() for k, v in SIGN_COLOURS.items()}),
            "EDGE_TARGET_ARROW_SHAPE": _discrete("arrow", {k: _CX2_ARROWS.get(a.cy_head, a.cy_head)
                                                           for k, a in arrows.items()}),
            "EDGE_LINE_STYLE": _discrete("status", {k: v for k, v in STATUS_STYLES.items()}),
        },
    }


def document(graph: KnowledgeGraph, *, layout: str = "auto") -> list[dict[str, Any]]:
    from kg.export.layout import positions

    boxes = positions(graph, layout)
    index = {ent.id: i for i, ent in enumerate(graph.entities)}
    node_values = [_values(ent, {"name": ent.label, "represents": ent.id}) for ent in graph.entities]
    edge_values = [_values(e, {"interaction": e.predicate, "evidence_sources": evidence_sources(e),
                               "arrow": f"{e.sign}:{e.mechanism}"}) for e in graph.edges]
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
                      {"name": "edges", "elementCount": len(edges)},
                      {"name": "visualProperties", "elementCount": 1}]},
        {"attributeDeclarations": [declarations]},
        {"networkAttributes": net},
        {"nodes": nodes},
        {"edges": edges},
        {"visualProperties": [visual_properties()]},
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
