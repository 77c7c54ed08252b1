"""The figure legend a journal asks for: what the glyphs, arrows and bands mean, and for every numbered arrow the
statements it draws with their status and citations (first author and year as curated, and the PMID or DOI).

Written as Markdown beside the picture (`kg export diagram --caption`): `NAME.caption.md`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.export.style import compartment_title

if TYPE_CHECKING:
    from kg.export.figure import Figure
    from kg.models import Edge, Evidence


def citation(ev: Evidence) -> str:
    """`Szeri 2020 PLoS Genet (PMID:32639996)`, or the identifier alone where no short citation was curated."""
    return f"{ev.reference} ({ev.source})" if ev.reference else ev.source


def statement(edge: Edge, labels: dict[str, str]) -> str:
    words = edge.predicate.replace("_", " ")
    text = f"{labels[edge.subject]} {words} {labels[edge.object]}"
    if edge.status != "established":
        text += f" [{edge.status}" + (f": {edge.claim}" if edge.claim else "") + "]"
    cites = sorted({citation(ev) for ev in edge.evidence})
    return text + ". " + "; ".join(cites) + "."


def caption_text(fig: Figure) -> str:
    """The caption, deterministic for a figure."""
    scene = fig.scene
    labels = scene.labels
    lines = [f"**{(scene.title or 'Pathway').replace(chr(10), '. ')}.**"]
    bands = [compartment_title(b.name) for b in fig.bands]
    key = []
    if bands:
        key.append("Bands, top to bottom: " + ", ".join(bands) + ".")
    glyphs = [i.text for i in fig.legend if i.glyph is not None and not i.summary]
    if glyphs:
        key.append("Glyphs: " + ", ".join(glyphs) + ".")
    if any(n.kind == "summary" for n in scene.nodes.values()):
        key.append("Bold outlines stand for several entities of one kind, the first of them named inside.")
    arrows = [i.text for i in fig.legend if i.arrow is not None]
    if arrows:
        key.append("Lines: " + ", ".join(arrows) + ".")
    if scene.overlay is not None:
        key.append(scene.overlay.title + ": fill and symbol show each entity's predicted direction "
                   "(fold change where the kinetic layer gives one).")
    if scene.statements:
        key.append("Numbers on the arrows refer to the statements below, each with its sources.")
    lines += [" ".join(key), ""]
    for number, edges in sorted(scene.statements.items()):
        texts = [statement(e, labels) for e in sorted(edges, key=lambda e: e.id)]
        lines.append(f"{number}. " + " ".join(texts))
    return "\n".join(lines) + "\n"
