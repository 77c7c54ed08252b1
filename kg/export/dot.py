"""A laid-out figure as DOT with every position pinned, for Graphviz to draw (`neato -n2`) as SVG, PNG or PDF.

ELK decides where everything goes (kg.export.figure); Graphviz only draws it, with its glyphs, arrowheads and fonts,
so the text in SVG and PDF stays real text. ELK treats nodes as rectangles, so each edge end is moved onto the
glyph's own outline (an ellipse, a hexagon, ...) and shortened by its arrowhead's length, which Graphviz draws from
there. Bands are drawn first, then nodes, then edges on top. Lines are emitted in sorted order: the same figure gives
the same bytes.
"""

from __future__ import annotations

import math
from itertools import pairwise
from typing import TYPE_CHECKING

from kg.export.figure import BAND_FONT, LOOSE_TITLE, NODE_FONT, NUMBER_FONT, SUMMARY_PENWIDTH, TITLE_FONT
from kg.export.layout import Box
from kg.export.legend import ARROW_LENGTH, FONT_SIZE, GLYPH_SAMPLE
from kg.export.measure import FONT, POINTS_PER_INCH

if TYPE_CHECKING:
    from kg.export.figure import Figure
    from kg.export.layout import Point
    from kg.export.scene import Link, Node

ARROW_SIZE = 0.8
NODE_PENWIDTH = 1.1
ARROW_BASE = 10.0  # Graphviz's arrow length at arrowsize 1
# Graphviz's length factor of each arrowhead (lib/common/arrows.c): a tee is half a normal arrow
ARROW_FACTORS = {"normal": 1.0, "onormal": 1.0, "vee": 1.0, "tee": 0.5, "teetee": 1.0, "odot": 0.8, "dot": 0.8,
                 "none": 0.0}


class Raw(str):
    """Text already in DOT escape syntax (e.g. ending in \\l for a left-justified line): quoted, not escaped."""

    __slots__ = ()


def quote(text: str) -> str:
    """A DOT double-quoted string."""
    if isinstance(text, Raw):
        return f'"{text}"'
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def attrs(**values: object) -> str:
    parts = [f"{k}={quote(v if isinstance(v, Raw) else str(v))}" for k, v in values.items() if v is not None]
    return "[" + ", ".join(parts) + "]"


def _inches(points: float) -> str:
    return f"{points / POINTS_PER_INCH:.4f}"


class _Canvas:
    """Converts y-down layout points to Graphviz's y-up coordinates, scaled to the printed size: every position,
    size, font and line width goes through here, so that Graphviz draws at scale 1 and the picture is exactly
    as wide as asked."""

    def __init__(self, height: float, scale: float = 1.0) -> None:
        self.height, self.scale = height, scale

    def point(self, x: float, y: float) -> str:
        return f"{x * self.scale:.2f},{(self.height - y) * self.scale:.2f}"

    def box(self, box: Box) -> dict[str, str]:
        x, y = box.centre
        return {"pos": self.point(x, y), "width": _inches(box.width * self.scale),
                "height": _inches(box.height * self.scale)}

    def size(self, points: float) -> str:
        """A font size or length, scaled."""
        return f"{points * self.scale:.3g}"

    def line(self, width: float) -> str:
        """A line width, scaled but never thinner than a hairline a printer keeps."""
        return f"{max(width * self.scale, 0.4):.3g}"


def outline(shape: str, box: Box) -> list[Point]:
    """The glyph's outline as a polygon (Graphviz fits each shape to its node's box)."""
    cx, cy = box.centre
    a, b = box.width / 2, box.height / 2
    if shape == "ellipse":
        return [(cx + a * math.cos(2 * math.pi * k / 48), cy + b * math.sin(2 * math.pi * k / 48)) for k in range(48)]
    unit = {
        "hexagon": [(-1, 0), (-0.5, -1), (0.5, -1), (1, 0), (0.5, 1), (-0.5, 1)],
        "octagon": [(-1, -0.41), (-0.41, -1), (0.41, -1), (1, -0.41), (1, 0.41), (0.41, 1), (-0.41, 1), (-1, 0.41)],
        "parallelogram": [(-0.6, -1), (1, -1), (0.6, 1), (-1, 1)],
        "cds": [(-1, -1), (0.75, -1), (1, 0), (0.75, 1), (-1, 1)],
    }.get(shape, [(-1, -1), (1, -1), (1, 1), (-1, 1)])
    return [(cx + a * ux, cy + b * uy) for ux, uy in unit]


def _cross(p: Point, q: Point, polygon: list[Point]) -> Point | None:
    """Where the segment p -> q first meets the polygon's boundary (nearest to p), if it does."""
    best: tuple[float, Point] | None = None
    for i, r in enumerate(polygon):
        s = polygon[(i + 1) % len(polygon)]
        d1 = (q[0] - p[0], q[1] - p[1])
        d2 = (s[0] - r[0], s[1] - r[1])
        den = d1[0] * d2[1] - d1[1] * d2[0]
        if abs(den) < 1e-9:
            continue
        t = ((r[0] - p[0]) * d2[1] - (r[1] - p[1]) * d2[0]) / den
        u = ((r[0] - p[0]) * d1[1] - (r[1] - p[1]) * d1[0]) / den
        if 0 <= t <= 1 and 0 <= u <= 1 and (best is None or t < best[0]):
            best = (t, (p[0] + t * d1[0], p[1] + t * d1[1]))
    return best[1] if best else None


def onto_outline(outside: Point, end: Point, shape: str, box: Box) -> Point:
    """Move an edge end that ELK put on the node's box onto the glyph's outline, along the last segment."""
    dx, dy = end[0] - outside[0], end[1] - outside[1]
    length = math.hypot(dx, dy) or 1.0
    reach = box.width + box.height
    far = (end[0] + dx / length * reach, end[1] + dy / length * reach)
    return _cross(outside, far, outline(shape, box)) or end


def _bezier(points: list[Point]) -> list[Point]:
    """A polyline as Graphviz's piecewise cubic Bézier (straight segments: control points on the line)."""
    out = [points[0]]
    for (x0, y0), (x1, y1) in pairwise(points):
        out += [(x0 + (x1 - x0) / 3, y0 + (y1 - y0) / 3), (x0 + 2 * (x1 - x0) / 3, y0 + 2 * (y1 - y0) / 3), (x1, y1)]
    return out


def edge_pos(points: list[Point], canvas: _Canvas, head: str, directed: bool) -> str:
    """Graphviz's `pos` for an edge: the spline, and the arrow tip after `e,` when it has an arrowhead."""
    pts = list(points)
    tip = None
    length = ARROW_BASE * ARROW_SIZE * ARROW_FACTORS.get(head, 1.0) if directed else 0.0
    if length > 0 and len(pts) >= 2:
        (ax, ay), (bx, by) = pts[-2], pts[-1]
        seg = math.hypot(bx - ax, by - ay) or 1.0
        cut = min(length, seg * 0.9)
        tip = pts[-1]
        pts[-1] = (bx - (bx - ax) / seg * cut, by - (by - ay) / seg * cut)
    spline = " ".join(canvas.point(x, y) for x, y in _bezier(pts))
    return (f"e,{canvas.point(*tip)} " if tip else "") + spline


def _node_line(node: Node, text: str, box: Box, canvas: _Canvas) -> str:
    if node.glyph is None:  # a reaction square
        return f"{quote(node.id)} " + attrs(id=node.id, label="", shape="square", style="filled", fillcolor="#ffffff",
                                            penwidth=canvas.line(NODE_PENWIDTH), tooltip=node.tooltip,
                                            **canvas.box(box))
    glyph = node.glyph
    return f"{quote(node.id)} " + attrs(
        id=node.id, label=text, shape=glyph.shape, style=glyph.style, fillcolor=node.fill, fontcolor=node.fontcolor,
        peripheries=glyph.peripheries if glyph.peripheries > 1 else None,
        penwidth=canvas.line(SUMMARY_PENWIDTH if node.kind == "summary" else NODE_PENWIDTH),
        **{"class": f"kg-{node.kind}"}, tooltip=node.tooltip, **canvas.box(box))


def _edge_line(link: Link, fig: Figure, canvas: _Canvas) -> str:
    points = list(fig.geometry.links[link.id])
    nodes, geo = fig.scene.nodes, fig.geometry
    for end, index, inner in ((link.tail, 0, 1), (link.head, -1, -2)):
        node = nodes[end]
        if len(points) >= 2:
            shape = node.glyph.shape if node.glyph is not None else "box"
            points[index] = onto_outline(points[inner], points[index], shape, geo.nodes[end])
    label = {}
    if link.number is not None and link.id in geo.labels:
        x, y = geo.labels[link.id].centre
        label = {"label": str(link.number), "lp": canvas.point(x, y), "fontsize": canvas.size(NUMBER_FONT),
                 "fontcolor": "#333333"}
    return f"{quote(link.tail)} -> {quote(link.head)} " + attrs(
        id=link.id, pos=edge_pos(points, canvas, link.arrow.head, link.arrow.directed), arrowhead=link.arrow.head,
        dir=None if link.arrow.directed else "none", color=link.colour, penwidth=canvas.line(link.arrow.penwidth),
        style=link.style, tooltip=link.tooltip, **label, **{"class": f"kg-{link.part}"})


def _legend_lines(fig: Figure, canvas: _Canvas) -> list[str]:
    """Each entry: a small sample (glyph, direction colour or arrow), then its title."""
    out = []
    for item in fig.legend:
        box = item.box
        if box is None:
            continue
        cy = (box.y0 + box.y1) / 2
        sw, sh = GLYPH_SAMPLE
        sample = Box(box.x0, cy - sh / 2, box.x0 + sw, cy + sh / 2)
        if item.glyph is not None:
            g = item.glyph
            out.append(f"{quote(item.key)} " + attrs(
                id=item.key, label="", shape=g.shape, style=g.style, fillcolor=g.fill,
                peripheries=g.peripheries if g.peripheries > 1 else None,
                penwidth=canvas.line(SUMMARY_PENWIDTH if item.summary else NODE_PENWIDTH), **canvas.box(sample)))
        elif item.fill is not None:
            out.append(f"{quote(item.key)} " + attrs(id=item.key, label="", shape="box", style="filled",
                                                      fillcolor=item.fill, penwidth=canvas.line(NODE_PENWIDTH),
                                                      **canvas.box(sample)))
        elif item.arrow is not None:
            a, b = (box.x0 + 2, cy), (box.x0 + ARROW_LENGTH, cy)
            for name, p in ((f"{item.key}.a", a), (f"{item.key}.b", b)):
                out.append(f"{quote(name)} " + attrs(label="", shape="point", style="invis", width="0.01",
                                                      pos=canvas.point(*p)))
            out.append(f"{quote(item.key + '.a')} -> {quote(item.key + '.b')} " + attrs(
                id=item.key, pos=edge_pos([a, b], canvas, item.arrow.head, item.arrow.directed),
                arrowhead=item.arrow.head, dir=None if item.arrow.directed else "none", color=item.colour,
                penwidth=canvas.line(item.arrow.penwidth), style=item.style))
        tw, th = item.size
        x0 = box.x0 + item.sample_width + 4
        out.append(f"{quote(item.key + '.text')} " + attrs(
            id=item.key + ".text", label=item.text, shape="plaintext", fontsize=canvas.size(FONT_SIZE),
            **canvas.box(Box(x0, cy - th / 2, x0 + tw, cy + th / 2))))
    return out


def dot_source(fig: Figure, *, width_pt: float | None = None) -> str:
    """The pinned DOT text of a figure; `width_pt` scales everything to that printed width."""
    canvas = _Canvas(fig.height, 1.0 if width_pt is None else width_pt / fig.width)
    graph = {"bb": f"0,0,{fig.width * canvas.scale:.2f},{fig.height * canvas.scale:.2f}", "fontname": FONT,
             "pad": "0", "margin": "0", "outputorder": "nodesfirst", "tooltip": fig.scene.title or "kg"}
    out = ["digraph kg {", "  graph " + attrs(**graph),
           "  node " + attrs(fontname=FONT, fontsize=canvas.size(NODE_FONT), fixedsize="true", color="#333333",
                             margin="0"),
           "  edge " + attrs(fontname=FONT, arrowsize=canvas.size(ARROW_SIZE))]
    for name, (x, y) in (("corner.0", (0.0, 0.0)), ("corner.1", (fig.width, fig.height))):
        # Graphviz sizes the drawing by what it holds: two invisible points fix its extent to the figure's
        out.append(f"  {quote(name)} " + attrs(shape="point", style="invis", width="0.0001", height="0.0001",
                                               pos=canvas.point(x, y)))
    for band in fig.bands:
        out.append(f"  {quote('band.' + band.name)} " + attrs(
            id=f"band.{band.name}", label="", shape="box", style="filled", fillcolor=band.fill, color="#c8c8c8",
            penwidth=canvas.line(0.8), **{"class": "kg-band"}, tooltip=band.title.replace("\n", " "),
            **canvas.box(band.box)))
        out.append(f"  {quote('band.' + band.name + '.title')} " + attrs(
            id=f"band.{band.name}.title", label=band.title, shape="plaintext", fontsize=canvas.size(BAND_FONT),
            fontcolor="#555555", **{"class": "kg-band-title"}, **canvas.box(band.title_box)))
    if fig.title_box is not None:
        out.append("  title " + attrs(id="title", label=fig.scene.title, shape="plaintext",
                                      fontsize=canvas.size(TITLE_FONT), **canvas.box(fig.title_box)))
    if fig.loose_title is not None:
        out.append("  loose " + attrs(id="loose", label=LOOSE_TITLE, shape="plaintext", fontsize=canvas.size(BAND_FONT),
                                      fontcolor="#555555", **canvas.box(fig.loose_title)))
    for node_id, node in fig.scene.nodes.items():
        out.append("  " + _node_line(node, fig.labels.get(node_id, ""), fig.geometry.nodes[node_id], canvas))
    out += ["  " + line for line in _legend_lines(fig, canvas)]
    out += ["  " + _edge_line(link, fig, canvas) for link in sorted(fig.scene.links, key=lambda lk: lk.id)]
    out.append("}")
    return "\n".join(out) + "\n"
