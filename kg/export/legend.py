"""The compact legend: one sample of each glyph, arrow and line style in the picture (and nothing else), laid out
in rows under the picture as wide as the picture itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from kg.export.measure import Sample
from kg.export.scene import STATUS_RANK, glyphs_in
from kg.export.style import DIRECTION_COLOURS, DIRECTION_SYMBOLS, STATUS_STYLES, Arrow, Glyph, arrow_for

if TYPE_CHECKING:
    from kg.export.layout import Box
    from kg.export.scene import Scene

FONT_SIZE = 10.0
ARROW_LENGTH = 34.0  # points of line drawn for an arrow sample
GLYPH_SAMPLE = (30.0, 16.0)  # a glyph sample's box; its title is written beside it
GAP = 14.0  # between items in a row
ROW_GAP = 6.0


@dataclass
class Item:
    """One legend entry: a small glyph (or arrow) sample followed by its title."""

    key: str
    text: str
    glyph: Glyph | None = None
    summary: bool = False
    arrow: Arrow | None = None
    colour: str = "#555555"
    style: str = "solid"
    fill: str | None = None  # a direction sample
    size: tuple[float, float] = (0.0, 0.0)  # the title's text, measured
    box: Box | None = field(default=None)

    @property
    def sample_width(self) -> float:
        return ARROW_LENGTH if self.arrow is not None else GLYPH_SAMPLE[0]

    @property
    def width(self) -> float:
        return self.sample_width + 4 + self.size[0]

    @property
    def height(self) -> float:
        return max(self.size[1], GLYPH_SAMPLE[1] + 2)


def items(scene: Scene) -> list[Item]:
    """What the scene draws: glyphs (summaries as bold outlines), arrows by kind, line styles by status, and the
    overlay's directions."""
    out = []
    for i, (glyph, summary) in enumerate(glyphs_in(scene)):
        out.append(Item(f"legend.glyph.{i}", f"several {glyph.title}s" if summary else glyph.title, glyph=glyph,
                         summary=summary))
    if scene.overlay is not None:
        drawn = {scene.overlay.readouts[n.entity][0] for n in scene.nodes.values()
                 if n.kind == "entity" and n.entity in scene.overlay.readouts}
        out += [Item(f"legend.dir.{d}", f"{DIRECTION_SYMBOLS[d]} predicted {d}", fill=c)
                for d, c in DIRECTION_COLOURS.items() if d in drawn]
    arrows: dict[str, tuple[Arrow, str]] = {}
    for link in scene.links:
        known = arrows.get(link.arrow.title)
        if link.part != "route" and (known is None or (known[0].head == "none" and link.arrow.head != "none")):
            arrows[link.arrow.title] = (link.arrow, link.colour)  # a sample with its arrowhead where there is one
    for n, title in enumerate(sorted(arrows)):
        arrow, colour = arrows[title]
        out.append(Item(f"legend.arrow.{n}", title, arrow=arrow, colour=colour))
    statuses = sorted({link.status for link in scene.links} - {"established"}, key=STATUS_RANK.__getitem__)
    plain = arrow_for("none", "association")
    out += [Item(f"legend.status.{s}", s, arrow=replace(plain, title=s), style=STATUS_STYLES[s]) for s in statuses]
    return out


def samples(entries: list[Item]) -> list[Sample]:
    """What to measure for each entry: its title."""
    return [Sample(item.key, item.text, "plaintext", FONT_SIZE, "0.02,0.02") for item in entries]


def place(entries: list[Item], sizes: dict[str, tuple[float, float]], width: float, x0: float,
          y0: float) -> float:
    """Flow the entries into rows no wider than `width` from (x0, y0); sets each box; returns the height used."""
    from kg.export.layout import Box

    x, y, row_height = x0, y0, 0.0
    for item in entries:
        item.size = sizes[item.key]
        if x > x0 and x + item.width > x0 + width:
            x, y, row_height = x0, y + row_height + ROW_GAP, 0.0
        item.box = Box(x, y, x + item.width, y + item.height)
        row_height = max(row_height, item.height)
        x += item.width + GAP
    return (y + row_height - y0) if entries else 0.0
