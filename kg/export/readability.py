"""What a reader sees, measured on the rendered SVG: text that overlaps other text, lines through text or through
nodes they do not connect, missing arrowheads or labels, and the picture's aspect ratio.

Text boxes come from the SVG's <text> elements (position, anchor, size) and the advance widths of the font the
picture names (DejaVu Sans; matplotlib ships the file); edges are the Bézier paths Graphviz wrote, sampled.
Everything is in the SVG's own user units after the drawing's transform.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from kg.export.layout import Box

if TYPE_CHECKING:
    from kg.export.layout import Point

SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@cache
def _font() -> tuple[dict[int, str], dict[str, tuple[int, int]], float, float, float]:
    """(cmap, advance widths, units per em, ascent, descent) of DejaVu Sans."""
    from pathlib import Path

    import matplotlib
    from fontTools.ttLib import TTFont

    font = TTFont(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf", lazy=True)
    os2 = font["OS/2"]  # the em box (typographic ascender + descender): what a line of text occupies
    return (font.getBestCmap(), font["hmtx"].metrics, float(font["head"].unitsPerEm), float(os2.sTypoAscender),
            float(-os2.sTypoDescender))


def text_width(text: str, size: float) -> float:
    """The advance width of `text` in DejaVu Sans at `size` points."""
    cmap, metrics, em, _, _ = _font()
    fallback = metrics[cmap.get(ord("M"), ".notdef")][0]
    return sum(metrics.get(cmap.get(ord(ch), ".notdef"), (fallback, 0))[0] for ch in text) * size / em


@dataclass
class Text:
    owner: str  # id of the node or edge group the text belongs to
    text: str
    box: Box


@dataclass
class Drawing:
    """The parts of a Graphviz SVG that readability is judged on."""

    width: float
    height: float
    texts: list[Text] = field(default_factory=list)
    nodes: dict[str, Box] = field(default_factory=dict)  # node id -> its shape's box (bands and legend left out)
    edges: dict[str, list[Point]] = field(default_factory=dict)  # edge id -> sampled path
    ends: dict[str, tuple[str, str]] = field(default_factory=dict)  # edge id -> (tail, head) node ids
    arrowheads: dict[str, int] = field(default_factory=dict)  # edge id -> arrowhead shapes drawn
    edge_labels: dict[str, str] = field(default_factory=dict)  # edge id -> its label text

    @property
    def aspect(self) -> float:
        return max(self.width / self.height, self.height / self.width)


def _transform(text: str | None) -> tuple[float, float, float, float]:
    """(sx, sy, tx, ty) of Graphviz's `scale(sx sy) rotate(0) translate(tx ty)`: x' = sx * (x + tx)."""
    sx = sy = 1.0
    tx = ty = 0.0
    if text:
        if m := re.search(r"scale\(([^)]*)\)", text):
            values = [float(v) for v in _NUMBER.findall(m.group(1))]
            sx, sy = values[0], values[-1]
        if m := re.search(r"translate\(([^)]*)\)", text):
            tx, ty = (float(v) for v in _NUMBER.findall(m.group(1))[:2])
    return sx, sy, tx, ty


def _bezier(d: str) -> list[Point]:
    """Points along an SVG path of M and C commands (Graphviz's edges), sampled."""
    nums = [float(v) for v in _NUMBER.findall(d)]
    pts = list(zip(nums[::2], nums[1::2], strict=False))
    out: list[Point] = []
    for i in range(0, len(pts) - 3, 3):
        p0, p1, p2, p3 = pts[i:i + 4]
        for k in range(17):
            t = k / 16
            a, b, c, e = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t ** 3
            out.append((a * p0[0] + b * p1[0] + c * p2[0] + e * p3[0], a * p0[1] + b * p1[1] + c * p2[1] + e * p3[1]))
    return out or pts


def _shape_box(group: Any) -> Box | None:
    xs: list[float] = []
    ys: list[float] = []
    for el in group.iter():
        tag = el.tag.removeprefix(SVG)
        if tag == "ellipse":
            cx, cy, rx, ry = (float(el.get(k)) for k in ("cx", "cy", "rx", "ry"))
            xs += [cx - rx, cx + rx]
            ys += [cy - ry, cy + ry]
        elif tag in ("polygon", "polyline"):
            nums = [float(v) for v in _NUMBER.findall(el.get("points", ""))]
            xs += nums[::2]
            ys += nums[1::2]
        elif tag == "path":
            nums = [float(v) for v in _NUMBER.findall(el.get("d", ""))]
            xs += nums[::2]
            ys += nums[1::2]
    return Box(min(xs), min(ys), max(xs), max(ys)) if xs else None


def parse_svg(data: bytes) -> Drawing:
    """The drawing in a Graphviz SVG, in the SVG's units (points) after the graph's transform."""
    from lxml import etree

    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    view = [float(v) for v in root.get("viewBox", "0 0 0 0").split()]
    graph = root.find(f"{SVG}g")
    sx, sy, tx, ty = _transform(graph.get("transform") if graph is not None else None)
    width, height = view[2] if len(view) == 4 else 0.0, view[3] if len(view) == 4 else 0.0
    drawing = Drawing(width, height)

    def point(x: float, y: float) -> Point:
        return sx * (x + tx), sy * (y + ty)

    def box(b: Box) -> Box:
        (x0, y0), (x1, y1) = point(b.x0, b.y0), point(b.x1, b.y1)
        return Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    _, _, em, ascent, descent = _font()
    for group in (graph if graph is not None else []):
        classes = (group.get("class") or "").split()
        gid = group.get("id") or ""
        if "node" in classes and not ({"kg-band"} & set(classes)) and not gid.startswith(("legend.", "band.")) \
                and gid != "title":
            shape = _shape_box(group)
            if shape is not None:
                drawing.nodes[gid] = box(shape)
        if "edge" in classes and not gid.startswith("legend."):
            title = group.find(f"{SVG}title")
            tail, _, head = (title.text or "").partition("->") if title is not None else ("", "", "")
            drawing.ends[gid] = (tail.strip(), head.strip())
            paths = [el for el in group.iter(f"{SVG}path")]
            drawing.edges[gid] = [point(x, y) for p in paths for x, y in _bezier(p.get("d", ""))]
            drawing.arrowheads[gid] = sum(1 for el in group.iter() if el.tag.removeprefix(SVG) in
                                          ("polygon", "ellipse", "polyline"))
        for el in group.iter(f"{SVG}text"):
            size = float(el.get("font-size", "14"))
            x, y = float(el.get("x", "0")), float(el.get("y", "0"))
            text = el.text or ""
            w = text_width(text, size)
            anchor = el.get("text-anchor", "start")
            x0 = x - w / 2 if anchor == "middle" else (x - w if anchor == "end" else x)
            drawing.texts.append(Text(gid, text, box(Box(x0, y - ascent / em * size, x0 + w,
                                                         y + descent / em * size))))
            if "edge" in classes:
                drawing.edge_labels[gid] = (drawing.edge_labels.get(gid, "") + " " + text).strip()
    return drawing


def problems(drawing: Drawing, *, max_aspect: float | None = 3.0,
             expected: dict[str, tuple[bool, str | None]] | None = None) -> list[str]:
    """Readability defects of a drawing. `expected` maps each edge id to (has an arrowhead, its label or None)."""
    found: list[str] = []
    if max_aspect is not None and drawing.aspect > max_aspect:
        found.append(f"aspect ratio {drawing.aspect:.2f}:1 is above {max_aspect:g}:1 "
                     f"({drawing.width:.0f} x {drawing.height:.0f})")
    texts = sorted(drawing.texts, key=lambda t: (t.box.x0, t.box.y0))
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if b.box.x0 >= a.box.x1:
                break
            if a.box.overlaps(b.box, tolerance=0.3):
                found.append(f"labels overlap: '{a.text}' ({a.owner}) and '{b.text}' ({b.owner})")
    for edge_id, path in sorted(drawing.edges.items()):
        tail, head = drawing.ends.get(edge_id, ("", ""))
        for t in drawing.texts:
            if t.owner in (tail, head) or t.owner == edge_id:
                continue
            if any(t.box.contains(x, y, inset=0.5) for x, y in path):
                found.append(f"edge {edge_id} crosses the label '{t.text}' ({t.owner})")
        for node_id, nbox in drawing.nodes.items():
            if node_id in (tail, head):
                continue
            if any(nbox.contains(x, y, inset=2.0) for x, y in path):
                found.append(f"edge {edge_id} crosses node {node_id}")
    for edge_id, (arrowhead, label) in sorted((expected or {}).items()):
        if edge_id not in drawing.edges or not drawing.edges[edge_id]:
            found.append(f"edge {edge_id} is not drawn")
            continue
        if arrowhead and drawing.arrowheads.get(edge_id, 0) == 0:
            found.append(f"edge {edge_id} has no arrowhead")
        if label is not None and drawing.edge_labels.get(edge_id) != label:
            found.append(f"edge {edge_id} lacks its label '{label}' (has '{drawing.edge_labels.get(edge_id)}')")
    for t in drawing.texts:
        for node_id, nbox in drawing.nodes.items():
            if t.owner != node_id and t.owner in drawing.edges and t.box.overlaps(nbox, tolerance=0.5):
                found.append(f"the label '{t.text}' of {t.owner} overlaps node {node_id}")
    return found


def expectations(fig: Any) -> dict[str, tuple[bool, str | None]]:
    """What each drawn edge of a figure must show: its arrowhead (if directed) and its number (if any)."""
    return {link.id: (link.arrow.directed and link.arrow.head != "none",
                      str(link.number) if link.number is not None else None) for link in fig.scene.links}
