"""A figure: the scene laid out, with its compartment bands, title and legend placed around it. Everything the
renderer (kg.export.dot) draws, in points with y pointing down.

Bands span the whole width, one per compartment in use, in the fixed order of kg.export.style; their titles sit in
a gutter on the left where no node or edge goes. Among the layouts ELK offers (its own layering, then rows wrapped
ever shorter) the first whose aspect ratio is at most MAX_ASPECT -- and, for a paper width, whose text stays at
least LEGIBLE_PT points high once scaled to that width -- is kept.
"""

from __future__ import annotations

import logging
import textwrap
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from kg.errors import InputError
from kg.export import legend as legend_mod
from kg.export.layout import Box, ElkFailed, Geometry, lay_out, layer_bounds
from kg.export.measure import Sample, measure
from kg.export.style import OUTCOMES, UPSTREAM, band_fill, band_rank, compartment_title

if TYPE_CHECKING:
    from kg.export.overlay import Overlay
    from kg.export.scene import Node, Scene
    from kg.graph import KnowledgeGraph

log = logging.getLogger(__name__)

MAX_ASPECT = 3.0
MAX_ROW = 12  # nodes in one row before it wraps
MAX_NODES = 400  # a picture larger than this is neither readable nor quick to lay out
LEGIBLE_PT = 7.0  # the smallest text a journal figure should carry at its printed size
NODE_FONT = 12.0
NUMBER_FONT = 9.0
BAND_FONT = 11.0
TITLE_FONT = 16.0
MARGIN = 8.0
BAND_PAD = 10.0
GUTTER_PAD = 8.0
LEGEND_GAP = 14.0
LOOSE_TITLE = "not connected in this picture:"
LOOSE_ROW = 600.0  # points: how wide a picture of unconnected entities alone grows before its rows wrap
SUMMARY_PENWIDTH = 2.4
MIN_NODE = (0.55, 0.36)  # inches: the smallest glyph, so that "Pi" is not a dot


@dataclass
class Band:
    name: str
    title: str
    box: Box
    title_box: Box
    fill: str


@dataclass
class Figure:
    scene: Scene
    geometry: Geometry
    width: float
    height: float
    bands: list[Band] = field(default_factory=list)
    title_box: Box | None = None
    legend: list[legend_mod.Item] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # node id -> the text drawn (wrapped)
    bands_apart: bool = True  # every band's nodes lie below the band before it (ELK kept the partitions)
    loose_title: Box | None = None  # the title of the row of entities no drawn link touches
    widest_row: int = 0  # most nodes in one row of the layered drawing

    @property
    def aspect(self) -> float:
        """Long side over short side."""
        return max(self.width / self.height, self.height / self.width)

    def font_at(self, width_pt: float | None) -> float:
        """The node text size in points once the figure is scaled to `width_pt` (as drawn without one)."""
        return NODE_FONT if width_pt is None else NODE_FONT * width_pt / self.width


def node_text(node: Node) -> str:
    """The label as drawn: each line wrapped (entity names at 16 characters, summaries at 26)."""
    width = 26 if node.kind == "summary" else 16
    lines = []
    for line in node.label.split("\n"):
        lines += textwrap.wrap(line, width, break_long_words=False) or [line]
    return "\n".join(lines)


def band_text(name: str) -> str:
    return "\n".join(textwrap.wrap(compartment_title(name), 12, break_long_words=False))


def _samples(scene: Scene, labels: dict[str, str], entries: list[legend_mod.Item],
             numbers: bool) -> list[Sample]:
    out = []
    for node in scene.nodes.values():
        if node.glyph is not None:
            out.append(Sample(node.id, labels[node.id], node.glyph.shape, NODE_FONT,
                              peripheries=node.glyph.peripheries,
                              penwidth=SUMMARY_PENWIDTH if node.kind == "summary" else 1.1,
                              min_width=MIN_NODE[0], min_height=MIN_NODE[1]))
    if numbers:
        out += [Sample(f"number.{lk.id}", str(lk.number), "plaintext", NUMBER_FONT, "0.02,0.0")
                for lk in scene.links if lk.number is not None]
    out += [Sample(f"band.{b}", band_text(b), "plaintext", BAND_FONT, "0.02,0.02") for b in scene.bands
            if b not in (UPSTREAM, OUTCOMES)]
    if scene.title:
        out.append(Sample("title", scene.title, "plaintext", TITLE_FONT, "0.02,0.02"))
    out.append(Sample("loose", LOOSE_TITLE, "plaintext", BAND_FONT, "0.02,0.02"))
    return out + legend_mod.samples(entries)


def _assemble(scene: Scene, geo: Geometry, sizes: dict[str, tuple[float, float]],
              entries: list[legend_mod.Item], labels: dict[str, str]) -> Figure:
    titled = [b for b in scene.bands if b not in (UPSTREAM, OUTCOMES)]
    gutter = max((sizes[f"band.{b}"][0] for b in titled), default=0.0)
    gutter = gutter + 2 * GUTTER_PAD if titled else 0.0
    top = MARGIN
    title_box = None
    if scene.title:
        tw, th = sizes["title"]
        top += th + 4
    content = geo.shifted(MARGIN + gutter, top + BAND_PAD)
    loose = [sizes[n.id][0] for n in scene.nodes.values() if n.id not in geo.nodes]
    width = max(MARGIN * 2 + gutter + geo.width if geo.nodes else 0.0,
                (sizes["title"][0] + 2 * MARGIN) if scene.title else 0.0,
                min(sum(w + GUTTER_PAD * 2 for w in loose), LOOSE_ROW) + 2 * MARGIN if loose else 0.0)
    if scene.title:
        tw, th = sizes["title"]
        title_box = Box((width - tw) / 2, MARGIN, (width + tw) / 2, MARGIN + th)
    # each band's extent: its nodes, split from the next band half-way between them
    spans: dict[str, tuple[float, float]] = {}
    for node in scene.nodes.values():
        if node.id not in content.nodes:
            continue  # not connected: placed under the picture
        box = content.nodes[node.id]
        lo, hi = spans.get(node.band, (box.y0, box.y1))
        spans[node.band] = (min(lo, box.y0), max(hi, box.y1))
    order = [b for b in scene.bands if b in spans]
    apart = all(spans[a][1] <= spans[b][0] for a, b in pairwise(order))
    bottom = top + (BAND_PAD + geo.height + BAND_PAD if geo.nodes else 0.0)
    bands = []
    for i, name in enumerate(order):
        if name in (UPSTREAM, OUTCOMES):
            continue
        lo, hi = spans[name]
        y0 = (spans[order[i - 1]][1] + lo) / 2 if i > 0 else top
        y1 = (hi + spans[order[i + 1]][0]) / 2 if i + 1 < len(order) else bottom
        bw, bh = sizes[f"band.{name}"]
        cy = (y0 + y1) / 2
        bands.append(Band(name, band_text(name), Box(MARGIN, y0, width - MARGIN, y1),
                          Box(MARGIN + GUTTER_PAD, cy - bh / 2, MARGIN + GUTTER_PAD + bw, cy + bh / 2),
                          band_fill(name)))
    bottom, loose_box = _place_loose(scene, content, sizes, width, bottom)
    height = bottom
    if entries:
        height += LEGEND_GAP + legend_mod.place(entries, sizes, width - 2 * MARGIN, MARGIN, bottom + LEGEND_GAP)
    return Figure(scene, content, width, height + MARGIN, bands, title_box, entries, labels, apart, loose_box,
                  geo.widest_layer())


def _place_loose(scene: Scene, content: Geometry, sizes: dict[str, tuple[float, float]], width: float,
                 top: float) -> tuple[float, Box | None]:
    """Entities no drawn link touches, in rows under the picture (after a short title when there is a picture
    above them); sets their boxes in `content`; returns the new bottom and the title's box."""
    loose = [n for n in scene.nodes.values() if n.id not in content.nodes]
    if not loose:
        return top, None
    x, y, row = MARGIN, top + (LEGEND_GAP if content.nodes else 0.0), 0.0
    title_box = None
    if content.nodes:
        tw, th = sizes["loose"]
        title_box = Box(x, y, x + tw, y + th)
        y += th + 4
    for node in sorted(loose, key=lambda n: (band_rank(n.band), n.label.casefold(), n.id)):
        w, h = sizes[node.id]
        if x > MARGIN and x + w > width - MARGIN:
            x, y, row = MARGIN, y + row + GUTTER_PAD, 0.0
        content.nodes[node.id] = Box(x, y, x + w, y + h)
        x, row = x + w + GUTTER_PAD * 2, max(row, h)
    return y + row + BAND_PAD, title_box


def _acceptable(fig: Figure, width_pt: float | None) -> bool:
    return (fig.bands_apart and fig.aspect <= MAX_ASPECT and fig.font_at(width_pt) >= LEGIBLE_PT
            and fig.widest_row <= MAX_ROW)


def compose(graph: KnowledgeGraph, *, title: str = "kg", overlay: Overlay | None = None, show: tuple[str, ...] = (),
            hide: tuple[str, ...] = (), legend: bool = True, numbers: bool = False,
            width_pt: float | None = None) -> Figure:
    """Lay out `graph` (already selected) as a figure; `width_pt` is the printed width it must stay legible at."""
    from kg.export.scene import build_scene

    scene = build_scene(graph, title=title, overlay=overlay, show=show, hide=hide)
    if len(scene.nodes) > MAX_NODES:
        raise InputError(f"the picture would hold {len(scene.nodes)} nodes; a readable diagram holds at most "
                         f"{MAX_NODES}: draw a part of the graph (--module NAME, or --focus NAME --depth N)")
    if not numbers:
        for link in scene.links:
            link.number = None
    labels = {n.id: node_text(n) for n in scene.nodes.values()}
    entries = legend_mod.items(scene) if legend else []
    sizes = measure(_samples(scene, labels, entries, numbers))
    number_sizes = {lk.id: sizes[f"number.{lk.id}"] for lk in scene.links if f"number.{lk.id}" in sizes}

    def assemble(geo: Geometry) -> Figure:
        return _assemble(scene, geo, sizes, [legend_mod.Item(**vars(e)) for e in entries], labels)

    first = assemble(lay_out(scene, sizes, number_sizes, [None])[0])
    if _acceptable(first, width_pt) or not scene.nodes:
        return first
    candidates = [first]
    for bound in layer_bounds(min(first.widest_row, MAX_ROW + 1)):  # one at a time: each costs
        try:
            fig = assemble(lay_out(scene, sizes, number_sizes, [bound])[0])
        except ElkFailed as err:  # a wrapped candidate ELK cannot lay out: the others remain
            log.debug("layer bound %d: %s", bound, err)
            continue
        if _acceptable(fig, width_pt):
            return fig
        candidates.append(fig)
    best = min(candidates, key=lambda f: (not f.bands_apart, max(f.aspect - MAX_ASPECT, 0.0),
                                          -f.font_at(width_pt), f.widest_row))
    if best.font_at(width_pt) < LEGIBLE_PT:
        log.warning("at this width the labels are %.1f pt (less than %.0f pt): give a larger --width or draw less",
                    best.font_at(width_pt), LEGIBLE_PT)
    if best.aspect > MAX_ASPECT:
        log.warning("the picture is %.1f:1 (more than %.0f:1) however its rows are wrapped", best.aspect, MAX_ASPECT)
    return best
