"""The DOT source of a pathway picture: glyphs, compartments, reactions, arrows, legend and overlay.

Catalysis edges that name their reaction (substrates and products) are drawn the way a paper draws them: the
substrates flow into a small reaction square, which flows into the products, and the enzyme touches the square
with a catalysis circle. Everything is emitted in sorted order so that the same graph gives the same bytes.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from kg.export.style import (
    DIRECTION_COLOURS,
    SIGN_COLOURS,
    STATUS_STYLES,
    Arrow,
    arrow_for,
    compartment_title,
    edge_arrow,
    entity_compartments,
    glyph_for,
)
from kg.models import digest
from kg.schema import load_schema

if TYPE_CHECKING:
    from kg.export.overlay import Overlay
    from kg.graph import KnowledgeGraph
    from kg.models import Edge

FONT = "DejaVu Sans"
LEGEND_COLUMNS = 3
STATUS_RANK = {"established": 0, "hypothesis": 1, "contested": 2}


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


def wrap(label: str, width: int = 16) -> str:
    return "\n".join(textwrap.wrap(label, width, break_long_words=False)) or label


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


def reactions(graph: KnowledgeGraph) -> tuple[list[Reaction], list[Edge]]:
    """Group catalysis edges that name substrates and products into reactions; return them and the other edges."""
    groups: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Reaction] = {}
    plain: list[Edge] = []
    for e in graph.edges:
        subs = tuple(sorted(s for s in e.substrates if s in graph))
        prods = tuple(sorted(p for p in e.products if p in graph))
        if e.mechanism == "catalysis" and subs and prods:
            key = (e.subject, subs, prods)
            groups.setdefault(key, Reaction(*key)).edges.append(e)
        else:
            plain.append(e)
    return [groups[k] for k in sorted(groups)], plain


def node_line(graph: KnowledgeGraph, entity_id: str, overlay: Overlay | None) -> str:
    ent = graph.entity(entity_id)
    glyph = glyph_for(ent.category)
    label, fill, fontcolor = wrap(ent.label), glyph.fill, "#111111"
    if overlay is not None:
        suffix = overlay.label_suffix(entity_id)
        if suffix is None:
            fill, fontcolor = "#ffffff", "#777777"
        else:
            label += "\n" + suffix
            fill = DIRECTION_COLOURS[overlay.readouts[entity_id][0]]
    return (f"{quote(entity_id)} " + attrs(id=entity_id, label=label, shape=glyph.shape, style=glyph.style,
                                          fillcolor=fill, fontcolor=fontcolor, peripheries=glyph.peripheries
                                          if glyph.peripheries > 1 else None, tooltip=f"{ent.label} ({ent.id})"))


def edge_line(tail: str, head: str, arrow: Arrow, status: str, *, sign: str, edge_id: str,
              tooltip: str) -> str:
    return f"{quote(tail)} -> {quote(head)} " + attrs(
        id=edge_id, arrowhead=arrow.head, dir=None if arrow.directed else "none",
        color=SIGN_COLOURS.get(sign, "#555555"), penwidth=arrow.penwidth, style=STATUS_STYLES.get(status, "solid"),
        tooltip=tooltip)


def legend(graph: KnowledgeGraph, overlay: Overlay | None, *, used_reactions: bool) -> list[str]:
    """A compact two-column legend (glyphs | arrows) listing only what appears in this picture."""
    schema = load_schema()
    glyph_cats: dict[str, str] = {}
    for cat in schema.categories:  # schema order; one sample per glyph in use
        if any(e.category == cat for e in graph.entities):
            glyph_cats.setdefault(schema.categories[cat].glyph, cat)
    left = []
    for name, cat in glyph_cats.items():
        g = glyph_for(cat)
        left.append(f"{quote('legend.glyph.' + name)} " + attrs(
            label=g.title, shape=g.shape, style=g.style, fillcolor=g.fill,
            peripheries=g.peripheries if g.peripheries > 1 else None))
    if overlay is not None:
        left += [f"{quote('legend.dir.' + d)} " + attrs(label=f"predicted {d}", shape="box", style="filled",
                                                        fillcolor=c) for d, c in DIRECTION_COLOURS.items()]
    arrows: dict[str, tuple[Arrow, str]] = {}
    for e in graph.edges:
        a = edge_arrow(e)
        arrows.setdefault(a.title, (a, "none" if e.mechanism == "catalysis" else e.sign))
    if used_reactions:
        arrows["substrate → reaction → product"] = (Arrow("substrate → reaction → product", "normal",
                                                          "triangle"), "none")
    samples = [(a, sign, "solid", title) for title, (a, sign) in sorted(arrows.items())]
    statuses = sorted({e.status for e in graph.edges} - {"established"}, key=STATUS_RANK.__getitem__)
    samples += [(arrow_for("none", "association"), "none", STATUS_STYLES[s], s) for s in statuses]
    items: list[list[str]] = [[line] for line in left]
    for i, (a, sign, style, title) in enumerate(samples):
        tail, head = quote(f"legend.a{i}"), quote(f"legend.b{i}")
        items.append([f"{tail} " + attrs(label="", shape="point", width="0.01", color="#ffffff"),
                      f"{head} " + attrs(label=Raw("  " + quote(title)[1:-1] + "\\l"), shape="plaintext", width="2.2",
                                         fixedsize="true", margin="0.14,0.02"),
                      f"{tail} -> {head} " + attrs(arrowhead=a.head, dir=None if a.directed else "none",
                                                    color=SIGN_COLOURS.get(sign, "#555555"),
                                                    penwidth=a.penwidth, style=style)])
    lines = ["subgraph cluster_legend {",
             '  label="Legend"; style="rounded"; color="#999999"; fontsize=12; labeljust="l";',
             '  node [fontsize=10, height=0.3, margin="0.06,0.02"];']
    anchors: list[str] = []
    for row_start in range(0, len(items), LEGEND_COLUMNS):
        row = items[row_start:row_start + LEGEND_COLUMNS]
        members = [line.split(" ", 1)[0] for item in row for line in item if " -> " not in line]
        lines += ["  " + line for item in row for line in item]
        lines.append("  {rank=same; " + "; ".join(members) + "}")
        ends = [(item[0].split(" ", 1)[0], item[min(1, len(item) - 1)].split(" ", 1)[0]) for item in row]
        lines += [f"  {a[1]} -> {b[0]} [style=invis]" for a, b in pairwise(ends)]
        anchors.append(members[0])
    lines += [f"  {a} -> {b} [style=invis]" for a, b in pairwise(anchors)]
    lines.append("}")
    return lines


def reaction_lines(graph: KnowledgeGraph, r: Reaction) -> tuple[str, list[str]]:
    """The reaction square (a node line) and its substrate, product and catalysis edges."""
    tip = (f"{graph.entity(r.enzyme).label}: " + " + ".join(graph.entity(s).label for s in r.substrates)
           + " → " + " + ".join(graph.entity(p).label for p in r.products))
    node = f"{quote(r.node_id)} " + attrs(id=r.node_id, label="", shape="square", width="0.14", height="0.14",
                                          fixedsize="true", style="filled", fillcolor="#ffffff", tooltip=tip)
    style = STATUS_STYLES[r.status]
    edges = [f"{quote(s)} -> {quote(r.node_id)} " + attrs(arrowhead="none", color="#333333", style=style,
                                                         tooltip=tip, id=f"{r.node_id}.in.{s}")
             for s in r.substrates]
    edges += [f"{quote(r.node_id)} -> {quote(p)} " + attrs(arrowhead="normal", color="#333333", style=style,
                                                          tooltip=tip, id=f"{r.node_id}.out.{p}")
              for p in r.products]
    edges.append(edge_line(r.enzyme, r.node_id, arrow_for("positive", "catalysis"), r.status, sign="none",
                           edge_id=f"{r.node_id}.cat",
                           tooltip=f"catalysis: {tip} ({' '.join(e.id for e in r.edges)})"))
    return node, edges


def dot_source(graph: KnowledgeGraph, *, title: str = "kg", overlay: Overlay | None = None,
               show_legend: bool = True) -> str:
    """The DOT text for `graph` (already selected); deterministic for a given graph, title and overlay."""
    compartments = entity_compartments(graph)
    rxns, plain = reactions(graph)
    full_title = title if overlay is None else f"{title}\n{overlay.title}"
    out = ["digraph kg {",
           "  graph " + attrs(label=full_title, labelloc="t", fontname=FONT, fontsize="18", rankdir="TB",
                              nodesep="0.3", ranksep="0.45", newrank="true", splines="true", pad="0.25",
                              outputorder="edgesfirst", margin="0"),
           "  node " + attrs(fontname=FONT, fontsize="12", margin="0.12,0.05", penwidth="1.1", color="#333333"),
           "  edge " + attrs(fontname=FONT, fontsize="10", arrowsize="0.8")]
    nodes: dict[str | None, list[str]] = defaultdict(list)
    for ent in graph.entities:
        nodes[compartments[ent.id]].append(node_line(graph, ent.id, overlay))
    edge_lines: list[str] = []
    for r in rxns:
        node, lines = reaction_lines(graph, r)
        nodes[r.compartment or compartments.get(r.enzyme)].append(node)
        edge_lines += lines
    for e in plain:
        tip = f"{graph.entity(e.subject).label} {e.predicate} {graph.entity(e.object).label} ({e.id})"
        edge_lines.append(edge_line(e.subject, e.object, edge_arrow(e), e.status, sign=e.sign, edge_id=e.id,
                                    tooltip=tip))
    order = list(load_schema().compartments)
    for comp in sorted((c for c in nodes if c), key=order.index):
        out.append(f"  subgraph {quote('cluster_' + comp)} {{")
        out.append('    label=""; style="rounded,filled"; fillcolor="#f7f7f7"; color="#b0b0b0";')
        # The compartment's name is a node, not a cluster label, so that Graphviz routes edges around it.
        name = quote(f"compartment.{comp}")
        out.append(f"    {name} " + attrs(label=compartment_title(comp), shape="plaintext", fontsize="13",
                                           fontcolor="#666666", margin="0.04,0.02", height="0.25"))
        out += ["    " + line for line in nodes[comp]]
        out += [f"    {name} -> {line.split(' ', 1)[0]} [style=invis, minlen=0, weight=0]"
                for line in nodes[comp]]
        out.append("  }")
    out += ["  " + line for line in nodes.get(None, [])]
    out += ["  " + line for line in edge_lines]
    if show_legend and len(graph):
        out += ["  " + line for line in legend(graph, overlay, used_reactions=bool(rxns))]
    out.append("}")
    return "\n".join(out) + "\n"
