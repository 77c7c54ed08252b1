"""Geometry of a picture: a layered layout by ELK (the Eclipse Layout Kernel, through the `elkjs` npm package run
by node, no browser), with the bands as ELK partitions.

ELK's layered algorithm does what a pathway figure needs and Graphviz's `dot` does not: partitions keep each
band's nodes in layers of their own, in the band order (intracellular over membrane over extracellular), edges
end on ports spread along a node's side instead of piling onto one point, edge labels get room of their own, and
orthogonal routing keeps edges out of nodes and labels. Rows that grow too long are wrapped by bounding the
number of nodes per layer (Coffman-Graham layering) until the picture's aspect ratio holds.

`positions()` gives the same coordinates to the formats that carry them (SBGN-ML, Cytoscape.js, CX2, the page).
"""

from __future__ import annotations

import atexit
import json
import math
import os
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, KgError

if TYPE_CHECKING:
    from kg.export.scene import Scene
    from kg.graph import KnowledgeGraph

WEB_DIR = Path(__file__).with_name("web")
ELK_SCRIPT = WEB_DIR / "elk_layout.mjs"
ELK_PACKAGE = WEB_DIR / "node_modules" / "elkjs" / "package.json"
MAX_LAYOUT = 400  # entities; larger graphs get a grid for the formats that carry coordinates
REACTION_SIZE = 10.0
PRECISE_PLACEMENT = 60  # nodes: up to this, ELK's network-simplex placement (straighter edges), beyond, Brandes-Köpf

# elkjs (a Java translation) throws on some graphs: with band partitions, the default greedy cycle breaking can
# leave Coffman-Graham layering recursing without end ("Maximum call stack size exceeded"; also seen as an
# IndexOutOfBoundsException). Depth-first cycle breaking lays the same graphs out.
FALLBACK_OPTIONS = {"elk.layered.cycleBreaking.strategy": "DEPTH_FIRST"}


class ElkFailed(KgError):
    """elkjs answered with an error for a graph (node itself is fine)."""


ELK_OPTIONS = {
    "elk.algorithm": "layered",
    "elk.direction": "DOWN",
    "elk.partitioning.activate": "true",
    "elk.edgeRouting": "ORTHOGONAL",
    "elk.randomSeed": "1",
    "elk.spacing.nodeNode": "22",
    "elk.spacing.edgeEdge": "7",
    "elk.spacing.edgeNode": "10",
    "elk.spacing.edgeLabel": "2",
    "elk.spacing.portPort": "7",
    "elk.spacing.componentComponent": "28",
    "elk.layered.spacing.nodeNodeBetweenLayers": "30",
    "elk.layered.spacing.edgeNodeBetweenLayers": "12",
    "elk.layered.spacing.edgeEdgeBetweenLayers": "7",
    "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
    "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
    "elk.layered.thoroughness": "7",
    "elk.edgeLabels.placement": "CENTER",
    "elk.separateConnectedComponents": "false",
    "elk.aspectRatio": "1.6",
}


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

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    def shifted(self, dx: float, dy: float) -> Box:
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)


Point = tuple[float, float]


@dataclass
class Geometry:
    """A laid-out scene in points, y pointing down: node boxes, each link's polyline and its label's box."""

    width: float
    height: float
    nodes: dict[str, Box] = field(default_factory=dict)
    links: dict[str, list[Point]] = field(default_factory=dict)
    labels: dict[str, Box] = field(default_factory=dict)
    layer_bound: int | None = None

    def shifted(self, dx: float, dy: float) -> Geometry:
        return Geometry(self.width, self.height, {k: b.shifted(dx, dy) for k, b in self.nodes.items()},
                        {k: [(x + dx, y + dy) for x, y in pts] for k, pts in self.links.items()},
                        {k: b.shifted(dx, dy) for k, b in self.labels.items()}, self.layer_bound)

    def widest_layer(self) -> int:
        """Most nodes in one row: nodes whose vertical extents overlap (ELK aligns a layer's nodes, not their
        centres)."""
        widest, count, bottom = 0, 0, -math.inf
        for box in sorted(self.nodes.values(), key=lambda b: b.y0):
            if box.y0 < bottom:
                count += 1
                bottom = max(bottom, box.y1)
            else:
                count, bottom = 1, box.y1
            widest = max(widest, count)
        return widest


def node_binary() -> str:
    found = shutil.which("node")
    if found is None:
        raise KgError("node (Node.js) is not installed: the diagram layout runs ELK through it; install the Debian "
                      "packages nodejs and npm (`make install` does)")
    return found


class _ElkProcess:
    """One long-lived `node elk_layout.mjs` per Python process: node and ELK start once (about a second), then
    each layout costs only its own time. Requests are serialised; a process that died is started again."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def _start(self) -> subprocess.Popen[bytes]:
        if not ELK_PACKAGE.is_file():
            raise KgError(f"elkjs not found in {WEB_DIR}: run `npm ci` there (`make install` does)")
        # a deeper stack: ELK's layering recurses once per node along long chains of a large graph
        proc = subprocess.Popen([node_binary(), "--stack-size=4000", str(ELK_SCRIPT)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, cwd=WEB_DIR, env={**os.environ, "NODE_OPTIONS": ""})
        atexit.register(self.close)
        return proc

    def layout(self, graphs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        with self._lock:
            for attempt in (1, 2):
                if self._proc is None or self._proc.poll() is not None:
                    self._proc = self._start()
                assert self._proc.stdin is not None and self._proc.stdout is not None
                try:
                    self._proc.stdin.write(json.dumps(graphs).encode("utf-8") + b"\n")
                    self._proc.stdin.flush()
                    line = self._proc.stdout.readline()
                except (BrokenPipeError, OSError):
                    line = b""
                if line:
                    answer = json.loads(line)
                    if isinstance(answer, dict):
                        raise ElkFailed(f"the ELK layout failed: {answer.get('error')}")
                    return answer
                self.close()
                if attempt == 2:
                    raise KgError("the ELK layout process ended without an answer (node crashed?)")
        raise AssertionError("unreachable")

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.stdin.close()  # type: ignore[union-attr]
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


_ELK = _ElkProcess()


def run_elk(graphs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lay out ELK JSON graphs with elkjs, in this process's node worker."""
    return _ELK.layout(graphs)


def elk_graph(scene: Scene, sizes: dict[str, tuple[float, float]], label_sizes: dict[str, tuple[float, float]],
              layer_bound: int | None) -> dict[str, Any]:
    """The scene as an ELK graph: one partition per band (in band order), labels sized as measured."""
    bands = scene.bands
    linked = connected(scene)
    ports: dict[str, list[dict[str, Any]]] = {node_id: [] for node_id in linked}
    for link in scene.links:  # one port per edge end: a node grows to give each arrowhead its own place
        ports[link.tail].append({"id": f"{link.id}.s", "width": 1, "height": 1})
        ports[link.head].append({"id": f"{link.id}.t", "width": 1, "height": 1})
    children = []
    for node in scene.nodes.values():
        if node.id not in linked:
            continue  # drawn in a row of their own under the picture (kg.export.figure)
        w, h = (REACTION_SIZE, REACTION_SIZE) if node.kind == "reaction" else sizes[node.id]
        options = {"elk.partitioning.partition": str(bands.index(node.band)), "elk.portConstraints": "FREE"}
        if node.kind != "reaction":
            options |= {"elk.nodeSize.constraints": "PORTS MINIMUM_SIZE",
                        "elk.nodeSize.minimum": f"({w:.2f},{h:.2f})"}
        children.append({"id": node.id, "width": round(w, 2), "height": round(h, 2), "ports": ports[node.id],
                         "layoutOptions": options})
    edges = []
    for link in scene.links:
        edge: dict[str, Any] = {"id": link.id, "sources": [f"{link.id}.s"], "targets": [f"{link.id}.t"]}
        if link.id in label_sizes:
            w, h = label_sizes[link.id]
            edge["labels"] = [{"id": link.id + ".label", "text": str(link.number), "width": round(w, 2),
                               "height": round(h, 2)}]
        edges.append(edge)
    options = dict(ELK_OPTIONS)
    if len(children) > PRECISE_PLACEMENT:  # network simplex placement grows fast (15 s for 100 nodes with ports)
        options["elk.layered.nodePlacement.strategy"] = "BRANDES_KOEPF"
    if layer_bound is not None:
        options["elk.layered.layering.strategy"] = "COFFMAN_GRAHAM"
        options["elk.layered.layering.coffmanGraham.layerBound"] = str(layer_bound)
    return {"id": "root", "layoutOptions": options, "children": children, "edges": edges}


def connected(scene: Scene) -> set[str]:
    """The scene's nodes that some drawn link touches."""
    return {end for link in scene.links for end in (link.tail, link.head)}


def _geometry(result: dict[str, Any], layer_bound: int | None) -> Geometry:
    geo = Geometry(float(result["width"]), float(result["height"]), layer_bound=layer_bound)
    for child in result.get("children", []):
        x, y = float(child["x"]), float(child["y"])
        geo.nodes[child["id"]] = Box(x, y, x + float(child["width"]), y + float(child["height"]))
    for edge in result.get("edges", []):
        points: list[Point] = []
        for section in edge.get("sections", []):
            for p in [section["startPoint"], *section.get("bendPoints", []), section["endPoint"]]:
                point = (float(p["x"]), float(p["y"]))
                if not points or points[-1] != point:
                    points.append(point)
        geo.links[edge["id"]] = points
        for label in edge.get("labels", []):
            x, y = float(label["x"]), float(label["y"])
            geo.labels[edge["id"]] = Box(x, y, x + float(label["width"]), y + float(label["height"]))
    return geo


def layer_bounds(widest: int) -> list[int]:
    """Candidate bounds on nodes per layer, widest first: each about three quarters of the one before."""
    bounds, b = [], widest - 1
    while b >= 2:
        bounds.append(b)
        b = min(b - 1, math.floor(b * 0.75))
    return bounds


def lay_out(scene: Scene, sizes: dict[str, tuple[float, float]], label_sizes: dict[str, tuple[float, float]],
            bounds: list[int | None]) -> list[Geometry]:
    """One geometry per layer bound (None: ELK's own layering), in the order given."""
    graphs = [elk_graph(scene, sizes, label_sizes, b) for b in bounds]
    try:
        results = run_elk(graphs)
    except ElkFailed:  # elkjs fails on some graphs (see FALLBACK_OPTIONS): once more, breaking cycles depth-first
        for graph in graphs:
            graph["layoutOptions"] |= FALLBACK_OPTIONS
        results = run_elk(graphs)
    return [_geometry(r, b) for r, b in zip(results, bounds, strict=True)]


def grid_positions(ids: list[str], spacing: float = 120.0) -> dict[str, Box]:
    """A deterministic square grid, for graphs too large for a layered layout."""
    cols = max(1, int(len(ids) ** 0.5 + 0.999))
    out = {}
    for i, eid in enumerate(ids):
        x, y = (i % cols) * spacing + spacing / 2, (i // cols) * spacing / 2 + spacing / 4
        out[eid] = Box(x - 40, y - 15, x + 40, y + 15)
    return out


LAYOUTS = ("auto", "layered", "grid")


def positions(graph: KnowledgeGraph, layout: str = "auto") -> dict[str, Box]:
    """Entity boxes for formats that carry coordinates: `layered` (the diagram's layout, every entity drawn on
    its own), `grid`, or `auto` (layered up to MAX_LAYOUT entities where node and elkjs are installed)."""
    if layout == "dot":  # the name before the layered layout replaced Graphviz's dot layout
        layout = "layered"
    if layout not in LAYOUTS:
        raise InputError(f"unknown layout '{layout}' (known: {', '.join(LAYOUTS)})")
    use_layered = layout == "layered" or (layout == "auto" and len(graph) <= MAX_LAYOUT
                                          and shutil.which("node") is not None and ELK_PACKAGE.is_file())
    if not use_layered or not len(graph):
        return grid_positions([e.id for e in graph.entities])
    from kg.export.figure import compose
    from kg.export.summary import COLLAPSED_BY_DEFAULT

    figure = compose(graph, show=tuple(sorted(COLLAPSED_BY_DEFAULT)), legend=False,
                     numbers=False)
    return {e.id: figure.geometry.nodes[e.id] for e in graph.entities}
