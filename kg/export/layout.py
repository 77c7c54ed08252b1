"""Graphviz's layout read back as geometry: node positions for other formats, and a readability check.

`dot -Tjson` gives every node's box, every edge's Bézier path and every cluster's label. Formats that carry
coordinates (SBGN-ML, Cytoscape.js, CX2, the HTML page) reuse the diagram's positions, and `problems()` proves
a picture readable: no two node boxes overlap and no edge passes through a node or a compartment label.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

POINTS_PER_INCH = 72.0
MAX_DOT_LAYOUT = 400  # entities; larger graphs get a grid (dot's layout time grows quickly)


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, tolerance: float = 0.5) -> bool:
        return (self.x0 + tolerance < other.x1 and other.x0 + tolerance < self.x1
                and self.y0 + tolerance < other.y1 and other.y0 + tolerance < self.y1)

    def contains(self, x: float, y: float, inset: float = 1.0) -> bool:
        return self.x0 + inset < x < self.x1 - inset and self.y0 + inset < y < self.y1 - inset

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2


@dataclass
class Layout:
    """Geometry in points, y pointing down (as in SVG and SBGN-ML)."""

    width: float
    height: float
    nodes: dict[str, Box] = field(default_factory=dict)
    shapes: dict[str, str] = field(default_factory=dict)
    edges: list[tuple[str, str, list[tuple[float, float]]]] = field(default_factory=list)
    labels: dict[str, Box] = field(default_factory=dict)  # cluster name -> its label's box


def _bezier(points: list[tuple[float, float]], steps: int = 12) -> list[tuple[float, float]]:
    out = []
    for i in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[i:i + 4]
        for k in range(steps + 1):
            t = k / steps
            a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t ** 3
            out.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                        a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return out


def parse(data: dict[str, Any]) -> Layout:
    """Turn `dot -Tjson` output into a Layout (flipping y so that it points down)."""
    _, _, width, height = (float(v) for v in data["bb"].split(","))
    lay = Layout(width, height)
    names: dict[int, str] = {}
    for obj in data.get("objects", []):
        if "nodes" in obj or str(obj.get("name", "")).startswith("cluster"):
            if "lp" in obj and "lwidth" in obj:
                x, y = (float(v) for v in obj["lp"].split(","))
                w, h = float(obj["lwidth"]) * POINTS_PER_INCH, float(obj["lheight"]) * POINTS_PER_INCH
                lay.labels[obj["name"]] = Box(x - w / 2, height - y - h / 2, x + w / 2, height - y + h / 2)
            continue
        names[obj["_gvid"]] = obj["name"]
        x, y = (float(v) for v in obj["pos"].split(","))
        w, h = float(obj["width"]) * POINTS_PER_INCH, float(obj["height"]) * POINTS_PER_INCH
        lay.nodes[obj["name"]] = Box(x - w / 2, height - y - h / 2, x + w / 2, height - y + h / 2)
        lay.shapes[obj["name"]] = obj.get("shape", "")
    for edge in data.get("edges", []):
        if edge.get("style") == "invis":
            continue
        points: list[tuple[float, float]] = []
        for op in edge.get("_draw_", []):
            if op.get("op") == "b":
                points = [(float(px), height - float(py)) for px, py in op["points"]]
        lay.edges.append((names[edge["tail"]], names[edge["head"]], _bezier(points)))
    return lay


def dot_layout(source: str) -> Layout:
    from kg.export.diagram import run_dot

    return parse(json.loads(run_dot(source, "json")))


def problems(lay: Layout, *, ignore: tuple[str, ...] = ("legend.",)) -> list[str]:
    """Readability defects: overlapping node boxes, edges through a node or a compartment label."""
    found: list[str] = []
    boxes = sorted((n, b) for n, b in lay.nodes.items() if lay.shapes.get(n) != "point")
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1:]:
            if box_a.overlaps(box_b):
                found.append(f"nodes overlap: {a} and {b}")
    for tail, head, path in lay.edges:
        if tail.startswith(ignore) and head.startswith(ignore):
            continue
        for name, box in boxes:
            if name in (tail, head):
                continue
            if any(box.contains(x, y, inset=2.0) for x, y in path):
                found.append(f"edge {tail} -> {head} crosses node {name}")
        for name, box in sorted(lay.labels.items()):
            if any(box.contains(x, y, inset=0.0) for x, y in path):
                found.append(f"edge {tail} -> {head} crosses the label of {name}")
    return found


def grid_positions(ids: list[str], spacing: float = 120.0) -> dict[str, Box]:
    """A deterministic square grid, for graphs too large for dot or machines without Graphviz."""
    cols = max(1, int(len(ids) ** 0.5 + 0.999))
    out = {}
    for i, eid in enumerate(ids):
        x, y = (i % cols) * spacing + spacing / 2, (i // cols) * spacing / 2 + spacing / 4
        out[eid] = Box(x - 40, y - 15, x + 40, y + 15)
    return out


def positions(graph: KnowledgeGraph, layout: str = "auto") -> dict[str, Box]:
    """Entity boxes for formats that carry coordinates: `dot` (the diagram's layout), `grid`, or `auto`."""
    if layout not in ("auto", "dot", "grid"):
        from kg.errors import InputError

        raise InputError(f"unknown layout '{layout}' (known: auto, dot, grid)")
    use_dot = layout == "dot" or (layout == "auto" and shutil.which("dot") is not None
                                  and len(graph) <= MAX_DOT_LAYOUT)
    if not use_dot:
        return grid_positions([e.id for e in graph.entities])
    from kg.export.dot import dot_source

    lay = dot_layout(dot_source(graph, show_legend=False))
    return {e.id: lay.nodes[e.id] for e in graph.entities}
