"""The visual grammar, in the spirit of SBGN activity flow, shared by the diagram and the interactive page.

Glyphs come from each category's `glyph` in schema/kg.yaml; arrowheads from each edge's sign and mechanism
(themselves derived from the predicate by the schema); line style from the edge's status. This module only says
how each glyph, sign, mechanism and status is drawn; it never names a category or predicate.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.schema import load_schema

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.models import Edge


@dataclass(frozen=True)
class Glyph:
    """How one glyph is drawn: Graphviz shape/style, Cytoscape.js shape, fill colour, SBGN AF unit of info."""

    title: str
    shape: str
    style: str
    fill: str
    cy_shape: str
    sbgn: str  # the SBGN AF glyph class ('biological activity' carries `sbgn_entity` as unit of information)
    sbgn_entity: str | None = None
    peripheries: int = 1


GLYPHS: dict[str, Glyph] = {
    "gene_or_protein": Glyph("gene / protein", "box", "rounded,filled", "#dbe9f6", "round-rectangle",
                             "biological activity", "macromolecule"),
    "small_molecule": Glyph("small molecule", "ellipse", "filled", "#e3f4dc", "ellipse",
                            "biological activity", "simple chemical"),
    "mineral": Glyph("mineral", "octagon", "filled", "#ece6da", "octagon",
                     "biological activity", "unspecified entity"),
    "process": Glyph("process / phenotype", "hexagon", "filled", "#fdf1cf", "hexagon", "phenotype"),
    "disease": Glyph("disease", "ellipse", "filled", "#f8dbe3", "ellipse", "phenotype", peripheries=2),
    "drug": Glyph("drug", "parallelogram", "filled", "#eadcf5", "rhomboid", "perturbation"),
    "condition": Glyph("condition", "cds", "filled", "#f1e3d3", "tag", "perturbation"),
    "variant": Glyph("sequence variant", "box", "rounded,dashed,filled", "#f2f2f2", "round-rectangle",
                     "biological activity", "nucleic acid feature"),
    "cell_system": Glyph("cell system", "tab", "filled", "#eeeeee", "rectangle",
                         "biological activity", "unspecified entity"),
}
DEFAULT_GLYPH = Glyph("entity", "box", "filled", "#ffffff", "rectangle", "biological activity",
                      "unspecified entity")

SIGN_COLOURS = {"positive": "#2f7d32", "negative": "#c0392b", "none": "#555555"}


@dataclass(frozen=True)
class Arrow:
    """How one (sign, mechanism) pair is drawn, in Graphviz and Cytoscape.js terms, plus its SBGN AF arc class."""

    title: str
    head: str
    cy_head: str
    directed: bool = True
    penwidth: float = 1.2
    sbgn: str = "unknown influence"


def arrow_for(sign: str, mechanism: str) -> Arrow:
    """Arrowhead by mechanism first (catalysis, transport, binding), then by sign."""
    if mechanism == "catalysis":
        return Arrow("catalysis", "odot", "circle", sbgn="positive influence" if sign == "positive"
                     else "negative influence")
    if mechanism == "transport":
        return Arrow("transport across a membrane", "onormal", "triangle-backcurve", penwidth=2.2,
                     sbgn="positive influence")
    if sign == "none":
        return Arrow("binding / association (no direction)", "none", "none", directed=False)
    if sign == "negative":
        if mechanism == "expression_regulation":
            return Arrow("decreases expression", "teetee", "tee", sbgn="negative influence")
        return Arrow("inhibition", "tee", "tee", sbgn="negative influence")
    if mechanism == "expression_regulation":
        return Arrow("increases expression", "vee", "vee", sbgn="positive influence")
    return Arrow("stimulation", "normal", "triangle", sbgn="positive influence")


def edge_arrow(edge: Edge) -> Arrow:
    return arrow_for(edge.sign, edge.mechanism)


STATUS_STYLES = {"established": "solid", "contested": "dashed", "hypothesis": "dotted"}


def glyph_for(category: str) -> Glyph:
    cat = load_schema().categories.get(category)
    return GLYPHS.get(cat.glyph, DEFAULT_GLYPH) if cat else DEFAULT_GLYPH


# Overlay: predicted direction -> fill colour and the symbol shown beside the name (colour-blind safe).
DIRECTION_COLOURS = {"increase": "#f4a582", "decrease": "#92c5de", "unchanged": "#e0e0e0", "ambiguous": "#fee08b"}
DIRECTION_SYMBOLS = {"increase": "▲", "decrease": "▼", "unchanged": "=", "ambiguous": "?"}

COMPARTMENT_TITLES = {"intracellular": "intracellular", "plasma_membrane": "plasma membrane",
                      "extracellular": "extracellular", "plasma": "blood plasma",
                      "matrix_vesicle": "matrix vesicle", "nucleus": "nucleus"}

# Bands of a picture, top to bottom: the cell from the nucleus out through its membrane, then the tissues of the
# body model (cell systems declaring `compartment.volume`), plasma, and the routes out of the body. Entities with
# no stated place go above every band when they act on others (regulators, drugs, conditions) and below when
# they are outcomes (processes, phenotypes, minerals, diseases).
UPSTREAM, OUTCOMES = "upstream", "outcomes"
BAND_ORDER = ("nucleus", "intracellular", "plasma_membrane", "matrix_vesicle", "extracellular",
              "joint", "bone", "artery", "skin", "plasma", "gut", "urine")
OUTCOME_GLYPHS = frozenset({"process", "disease", "mineral"})
BAND_FILLS = {"nucleus": "#f1f1f6", "intracellular": "#f6f6f6", "plasma_membrane": "#efe6d2",
              "matrix_vesicle": "#f3efe6", "extracellular": "#eef5fa", "plasma": "#fbeeee"}
TISSUE_FILL = "#f4f1f7"
BODY_MARK = "compartment.volume"  # kg.simulate.contexts.BODY_MARK: the parameter that makes a tissue compartment


def compartment_title(name: str) -> str:
    return COMPARTMENT_TITLES.get(name, name.replace("_", " "))


def band_fill(name: str) -> str:
    return BAND_FILLS.get(name, TISSUE_FILL)


def band_rank(name: str | None) -> tuple[int, str]:
    """Sort key of a band: upstream first, known compartments in BAND_ORDER, other tissues before plasma,
    outcomes last."""
    if name in (None, UPSTREAM):
        return (0, "")
    if name == OUTCOMES:
        return (len(BAND_ORDER) + 3, "")
    if name in BAND_ORDER:
        return (1 + BAND_ORDER.index(name) + (1 if BAND_ORDER.index(name) >= BAND_ORDER.index("plasma") else 0),
                name)
    return (1 + BAND_ORDER.index("plasma"), name)  # a tissue compartment not listed: just above plasma


def body_compartments(graph: KnowledgeGraph) -> dict[str, str]:
    """{cell system id: its compartment name} for the body model's tissue compartments in the graph."""
    return {e.id: e.symbol or e.id.split(":", 1)[-1] for e in graph.entities
            if e.category == "cell_system" and BODY_MARK in (e.parameters or {})}


def entity_compartments(graph: KnowledgeGraph) -> dict[str, str | None]:
    """One drawing compartment per entity, derived from the edges' qualifiers and the entity's `compartments`.

    A transporter sits in the plasma membrane; what it moves sits where it arrives; an edge's `compartment`
    places its ends, substrates and products, and an edge stated in a tissue compartment of the body model (its
    `context`) places them in that tissue. An entity's own `compartments` restrict the choice (one listed
    compartment decides; with several and no edge placing it among them, the first in schema order). Entities with
    no evidence of place stay outside every compartment.
    """
    order = {c: i for i, c in enumerate(load_schema().compartments)}
    tissues = body_compartments(graph)
    votes: dict[str, Counter[str]] = {e.id: Counter() for e in graph.entities}
    for e in graph.edges:
        ends = {e.subject, e.object, *e.substrates, *e.products}
        if e.mechanism == "transport":
            votes[e.subject]["plasma_membrane"] += 2
            if e.to_compartment:
                votes[e.object][e.to_compartment] += 1
        if e.compartment:
            for end in ends:
                if end in votes:
                    votes[end][e.compartment] += 1
        if e.context in tissues:
            for end in ends:
                if end in votes and graph.entity(end).category != "cell_system":
                    votes[end][tissues[e.context]] += 1
    placed: dict[str, str | None] = {}
    for ent in graph.entities:
        allowed = ent.compartments
        if len(allowed) == 1:
            placed[ent.id] = allowed[0]
            continue
        counts = {c: n for c, n in votes[ent.id].items() if not allowed or c in allowed}
        if counts:
            placed[ent.id] = min(counts, key=lambda c: (-counts[c], order.get(c, 99), c))
        else:  # no edge places it among its own compartments: the first of them in schema order
            placed[ent.id] = min(allowed, key=lambda c: order.get(c, 99)) if allowed else None
    return placed


def band_of(graph: KnowledgeGraph, entity_id: str, placed: dict[str, str | None]) -> str:
    """The band an entity is drawn in: its compartment, else above (acting) or below (outcome) every band."""
    if placed.get(entity_id):
        return placed[entity_id]  # type: ignore[return-value]
    cat = load_schema().categories.get(graph.entity(entity_id).category)
    return OUTCOMES if cat is not None and cat.glyph in OUTCOME_GLYPHS else UPSTREAM
