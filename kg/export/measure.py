"""Text and glyph sizes measured by Graphviz itself, so that the layout makes room for exactly what is drawn.

The picture is rendered by Graphviz with the same fonts, so asking Graphviz how big each node is (one `dot -Tjson`
over the nodes alone, no edges) gives sizes the rendering will fill exactly, without a font library.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from kg.export.graphviz import run

FONT = "DejaVu Sans"
POINTS_PER_INCH = 72.0


@dataclass(frozen=True)
class Sample:
    """What to measure: a node's label, shape and font (Graphviz attributes)."""

    key: str
    label: str
    shape: str = "plaintext"
    fontsize: float = 12.0
    margin: str = "0.12,0.05"
    peripheries: int = 1
    penwidth: float = 1.1
    min_width: float = 0.0  # inches; Graphviz's default minimum (0.75 x 0.5) would pad every small label
    min_height: float = 0.0


def measure(samples: list[Sample]) -> dict[str, tuple[float, float]]:
    """{key: (width, height) in points} for every sample, from Graphviz's own sizing."""
    from kg.export.dot import attrs, quote

    if not samples:
        return {}
    lines = ["digraph measure {", f"  node [fontname={quote(FONT)}];"]
    names = {}
    for i, s in enumerate(samples):
        names[f"n{i}"] = s.key
        lines.append(f"  n{i} " + attrs(label=s.label, shape=s.shape, fontsize=f"{s.fontsize:g}", margin=s.margin,
                                        peripheries=s.peripheries if s.peripheries > 1 else None,
                                        penwidth=f"{s.penwidth:g}", width=f"{s.min_width:g}",
                                        height=f"{s.min_height:g}"))
    lines.append("}")
    data = json.loads(run("\n".join(lines) + "\n", "json"))
    return {names[o["name"]]: (float(o["width"]) * POINTS_PER_INCH, float(o["height"]) * POINTS_PER_INCH)
            for o in data.get("objects", []) if o.get("name") in names}
