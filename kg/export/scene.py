"""What a pathway picture shows, before any geometry: nodes in bands, the arrows between them, and the numbered
statements the caption cites.

- Entities are drawn with their category's glyph in their compartment's band (kg.export.style); variants and
  diseases collapse into summary nodes (kg.export.summary), and arrows to or from a summary's members merge into
  one arrow per kind.
- A catalysis that names its reaction is drawn as papers draw it: substrates flow into a small reaction square
  that flows into the products, and the enzyme touches the square with a catalysis circle.
- A transport across the membrane is drawn through the transporter: the moved entity where it starts (a clone,
  as SBGN draws one entity in two compartments) -- the transporter -> the entity where it arrives.
- Each arrow that states something carries a number; the caption lists each number's edges and citations.

Everything is ordered deterministically (by band, then label, then id), so the same graph gives the same picture.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kg.export.style import (
    DIRECTION_COLOURS,
    SIGN_COLOURS,
    STATUS_STYLES,
    Arrow,
    Glyph,
    arrow_for,
    band_of,
    band_rank,
    edge_arrow,
    entity_compartments,
    glyph_for,
)
from kg.models import digest

if TYPE_CHECKING:
    from kg.export.overlay import Overlay
    from kg.export.summary import Summary
    from kg.graph import KnowledgeGraph
    from kg.models import Edge

STATUS_RANK = {"established": 0, "hypothesis": 1, "contested": 2}
REACTION_GLYPH = "reaction"
WHITE, GREY_TEXT, TEXT = "#ffffff", "#777777", "#111111"


@dataclass
class Node:
    """One drawn node: an entity, a summary of several, a clone of an entity in a second band, or a reaction."""

    id: str
    kind: str  # entity | summary | clone | reaction
    label: str
    band: str
    glyph: Glyph | None  # None for a reaction square
    tooltip: str
    fill: str = WHITE
    fontcolor: str = TEXT
    entity: str | None = None  # the entity drawn (entity and clone nodes)


@dataclass
class Link:
    """One drawn arrow (or plain line) from `tail` to `head`, standing for the kg `edges` it carries."""

    id: str
    tail: str
    head: str
    arrow: Arrow
    colour: str
    style: str
    edges: tuple[str, ...]
    tooltip: str
    number: int | None = None
    status: str = "established"
    part: str = "statement"  # statement | reaction (substrate/product flow) | route (a transport's first half)


@dataclass
class Scene:
    title: str
    nodes: dict[str, Node]
    links: list[Link]
    overlay: Overlay | None = None
    statements: dict[int, list[Edge]] = field(default_factory=dict)  # arrow number -> the edges it draws
    labels: dict[str, str] = field(default_factory=dict)  # entity id -> label, for every entity drawn or summarized

    @property
    def bands(self) -> list[str]:
        """The bands in use, top to bottom."""
        return sorted({n.band for n in self.nodes.values()}, key=band_rank)


@dataclass
class Reaction:
    """One catalysed reaction: enzyme, substrates, products, and the edges it stands for."""

    enzyme: str
    substrates: tuple[str, ...]
    products: tuple[str, ...]
    edges: list[Edge] = field(default_factory=list)

    @property
    def node_id(self) -> str:
        return "rxn." + digest(self.enzyme, ",".join(self.substrates), ",".join(self.products), length=10)

    @property
    def compartment(self) -> str | None:
        found = sorted({e.compartment for e in self.edges if e.compartment})
        return found[0] if len(found) == 1 else None

    @property
    def status(self) -> str:
        return max((e.status for e in self.edges), key=STATUS_RANK.__getitem__)


def reactions(graph: KnowledgeGraph, drawn_alone: set[str]) -> tuple[list[Reaction], list[Edge]]:
    """Catalysis edges that name substrates and products, all drawn as themselves, grouped into reactions; and
    the other edges."""
    groups: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Reaction] = {}
    plain: list[Edge] = []
    for e in graph.edges:
        subs = tuple(sorted(s for s in e.substrates if s in graph))
        prods = tuple(sorted(p for p in e.products if p in graph))
        if e.mechanism == "catalysis" and subs and prods and {e.subject, *subs, *prods} <= drawn_alone:
            key = (e.subject, subs, prods)
            groups.setdefault(key, Reaction(*key)).edges.append(e)
        else:
            plain.append(e)
    return [groups[k] for k in sorted(groups)], plain


class _Builder:
    def __init__(self, graph: KnowledgeGraph, summaries: dict[str, Summary], overlay: Overlay | None) -> None:
        self.graph, self.summaries, self.overlay = graph, summaries, overlay
        self.placed = entity_compartments(graph)
        self.nodes: dict[str, Node] = {}
        self.links: dict[str, Link] = {}

    def label(self, entity_id: str) -> str:
        return self.graph.entity(entity_id).label

    # ---- nodes ------------------------------------------------------------------------------------------
    def entity_node(self, entity_id: str, *, band: str | None = None) -> str:
        ent = self.graph.entity(entity_id)
        home = band_of(self.graph, entity_id, self.placed)
        clone = band is not None and band != home
        node_id = f"clone.{entity_id}@{band}" if clone else entity_id
        if node_id in self.nodes:
            return node_id
        label, fill, fontcolor = ent.label, glyph_for(ent.category).fill, TEXT
        if self.overlay is not None:
            # a clone is the entity in another compartment: the prediction is of one pool, so a clone is not
            # coloured as if that pool were predicted
            suffix = None if clone else self.overlay.label_suffix(entity_id)
            if suffix is None:
                fill, fontcolor = WHITE, GREY_TEXT
            else:
                label += "\n" + suffix
                fill = DIRECTION_COLOURS[self.overlay.readouts[entity_id][0]]
        tip = f"{ent.label} ({ent.id})" + (f", also drawn in {home.replace('_', ' ')}" if clone else "")
        self.nodes[node_id] = Node(node_id, "clone" if clone else "entity", label, band if clone else home,
                                   glyph_for(ent.category), tip, fill, fontcolor, entity=entity_id)
        return node_id

    def summary_node(self, summary: Summary) -> str:
        if summary.id not in self.nodes:
            bands = Counter(self.placed[m] for m in summary.members if self.placed.get(m))
            band = min(bands, key=lambda b: (-bands[b], band_rank(b))) if bands else \
                band_of(self.graph, summary.members[0], self.placed)
            glyph = glyph_for(summary.category)
            self.nodes[summary.id] = Node(summary.id, "summary", summary.label(self.graph), band, glyph,
                                          summary.tooltip(self.graph), WHITE if self.overlay else glyph.fill,
                                          TEXT)
        return summary.id

    def end(self, entity_id: str) -> str:
        """The node an edge end is drawn on: the entity, or the summary it belongs to."""
        summary = self.summaries.get(entity_id)
        return self.summary_node(summary) if summary else self.entity_node(entity_id)

    # ---- links ------------------------------------------------------------------------------------------
    def add_link(self, link: Link) -> None:
        if link.id in self.links:  # an aggregate: one more edge of the same kind between the same nodes
            known = self.links[link.id]
            known.edges = tuple(sorted({*known.edges, *link.edges}))
            known.status = max(known.status, link.status, key=STATUS_RANK.__getitem__)
            known.style = STATUS_STYLES.get(known.status, "solid")
            known.tooltip = f"{len(known.edges)} statements: " + ", ".join(known.edges)
            return
        self.links[link.id] = link

    def statement(self, e: Edge, tail: str, head: str, arrow: Arrow) -> None:
        aggregated = tail != e.subject or head != e.object
        link_id = (f"agg.{digest(tail, head, arrow.title, e.sign, length=10)}" if aggregated else e.id)
        tip = f"{self.label(e.subject)} {e.predicate} {self.label(e.object)} ({e.id})"
        self.add_link(Link(link_id, tail, head, arrow, SIGN_COLOURS.get(e.sign, SIGN_COLOURS["none"]),
                           STATUS_STYLES.get(e.status, "solid"), (e.id,), tip, status=e.status))

    def transport(self, e: Edge) -> bool:
        """A transport with both compartments named: moved entity (start) -- transporter -> moved entity (end)."""
        if not (e.from_compartment and e.to_compartment) or e.from_compartment == e.to_compartment \
                or e.object in self.summaries or e.subject in self.summaries:
            return False
        start = self.entity_node(e.object, band=e.from_compartment)
        end = self.entity_node(e.object, band=e.to_compartment)
        carrier = self.entity_node(e.subject)
        arrow = edge_arrow(e)
        colour = SIGN_COLOURS.get(e.sign, SIGN_COLOURS["none"])
        route = Arrow(arrow.title, "none", "none", penwidth=arrow.penwidth, sbgn=arrow.sbgn)
        tip = f"{self.label(e.subject)} moves {self.label(e.object)} from {e.from_compartment.replace('_', ' ')} " \
              f"to {e.to_compartment.replace('_', ' ')} ({e.id})"
        self.add_link(Link(f"{e.id}.from", start, carrier, route, colour, STATUS_STYLES.get(e.status, "solid"),
                           (e.id,), tip, status=e.status, part="route"))
        self.add_link(Link(e.id, carrier, end, arrow, colour, STATUS_STYLES.get(e.status, "solid"), (e.id,), tip,
                           status=e.status))
        return True

    def reaction(self, r: Reaction) -> None:
        tip = (f"{self.label(r.enzyme)}: " + " + ".join(self.label(s) for s in r.substrates) + " → "
               + " + ".join(self.label(p) for p in r.products))
        enzyme = self.entity_node(r.enzyme)
        band = r.compartment or self.nodes[enzyme].band
        self.nodes[r.node_id] = Node(r.node_id, "reaction", "", band, None, tip)
        style = STATUS_STYLES.get(r.status, "solid")
        flow = Arrow("substrate → reaction → product", "normal", "triangle", penwidth=1.0)
        line = Arrow("substrate → reaction → product", "none", "none", penwidth=1.0)
        ids = tuple(e.id for e in r.edges)
        for s in r.substrates:
            self.add_link(Link(f"{r.node_id}.in.{s}", self.entity_node(s), r.node_id, line, "#333333", style, ids,
                               tip, status=r.status, part="reaction"))
        for p in r.products:
            self.add_link(Link(f"{r.node_id}.out.{p}", r.node_id, self.entity_node(p), flow, "#333333", style, ids,
                               tip, status=r.status, part="reaction"))
        self.add_link(Link(f"{r.node_id}.cat", enzyme, r.node_id, arrow_for("positive", "catalysis"),
                           SIGN_COLOURS["none"], style, ids, f"catalysis: {tip} ({' '.join(ids)})",
                           status=r.status))

    def build(self, title: str) -> Scene:
        alone = {e.id for e in self.graph.entities if e.id not in self.summaries}
        rxns, plain = reactions(self.graph, alone)
        for ent in self.graph.entities:
            self.end(ent.id)
        for r in rxns:
            self.reaction(r)
        for e in plain:
            if e.mechanism == "transport" and self.transport(e):
                continue
            tail, head = self.end(e.subject), self.end(e.object)
            if tail == head and e.subject != e.object:
                continue  # inside one summary
            self.statement(e, tail, head, edge_arrow(e))
        scene = Scene(title, dict(sorted(self.nodes.items())), [], self.overlay,
                      labels={e.id: e.label for e in self.graph.entities})
        scene.links = sorted(self.links.values(), key=lambda lk: self._reading_order(lk))
        number = 0
        for link in scene.links:
            if link.part == "statement":
                number += 1
                link.number = number
                scene.statements[number] = [self.graph.edge(e) for e in link.edges]
        return scene

    def _reading_order(self, link: Link) -> tuple[object, ...]:
        tail, head = self.nodes[link.tail], self.nodes[link.head]
        return (band_rank(tail.band), band_rank(head.band), tail.label.casefold(), head.label.casefold(), link.id)


def build_scene(graph: KnowledgeGraph, *, title: str = "kg", overlay: Overlay | None = None,
                show: tuple[str, ...] = (), hide: tuple[str, ...] = ()) -> Scene:
    """The scene for `graph` (already selected): summaries per `show`/`hide`, reactions, transports, numbers."""
    from kg.export.summary import summarize

    drawn, summaries = summarize(graph, show=show, hide=hide)
    if overlay is not None:
        title = f"{title}\n{overlay.title}" if title else overlay.title
    return _Builder(drawn, summaries, overlay).build(title)


def glyphs_in(scene: Scene) -> list[tuple[Glyph, bool]]:
    """(glyph, drawn as a summary) pairs present, in first-seen band order: what the legend shows."""
    seen: dict[tuple[str, bool], Glyph] = {}
    for node in sorted(scene.nodes.values(), key=lambda n: (band_rank(n.band), n.id)):
        if node.glyph is not None:
            seen.setdefault((node.glyph.title, node.kind == "summary"), node.glyph)
    by_title: dict[str, list[tuple[Glyph, bool]]] = defaultdict(list)
    for (title, summary), glyph in seen.items():
        by_title[title].append((glyph, summary))
    return [pair for title in by_title for pair in sorted(by_title[title], key=lambda p: p[1])]
