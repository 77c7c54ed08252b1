"""Summary nodes: a picture collapses variants and diseases into one node per anchor unless asked not to.

A focus on ANKH at depth 1 reaches seventeen variants and four diseases; drawn one by one they fill a row many
times wider than the picture is tall. Variants collapse by gene (one node: `15 variants of ANKH`, the first named
inside) and the diseases of a picture into one node naming them; a group of one stays itself. Arrows to or from
a summary's members merge into one arrow per kind (kg.export.scene). `--show CATEGORY` draws a category's
entities one by one, `--hide CATEGORY` leaves them out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.errors import InputError
from kg.schema import load_schema

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

COLLAPSED_BY_DEFAULT = ("sequence_variant", "transcript", "protein_region", "disease")
LISTED_MEMBERS = 2  # member names written on a summary node; the rest are counted


def category_names(values: Iterable[str]) -> set[str]:
    """The schema categories `values` name: a category (`sequence_variant`), its glyph (`variant`), or either in
    the plural (`variants`, `diseases`). InputError naming the known ones otherwise."""
    schema = load_schema()
    aliases: dict[str, set[str]] = defaultdict(set)
    for name, cat in schema.categories.items():
        for word in (name, cat.glyph):
            aliases[word].add(name)
            aliases[word + "s"].add(name)
    out: set[str] = set()
    for value in values:
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        if key not in aliases:
            raise InputError(f"unknown category '{value}' (known: {', '.join(sorted(schema.categories))})")
        out |= aliases[key]
    return out


@dataclass(frozen=True)
class Summary:
    """Several entities of one category drawn as one node."""

    category: str
    anchors: tuple[str, ...]
    members: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"summary.{self.category}.{'+'.join(self.anchors) or 'none'}"

    def label(self, graph: KnowledgeGraph) -> str:
        """`17 variants of ANKH` over the first member names (`p.P5L, p.M48T, … +14`)."""
        title = load_schema().categories[self.category].glyph.replace("_", " ")
        noun = f"{len(self.members)} {title}s"
        if self.anchors and self.category == "sequence_variant":
            noun += " of " + ", ".join(graph.entity(a).label for a in self.anchors)
        prefixes = tuple(graph.entity(a).label + " " for a in self.anchors)
        names = sorted(_short(graph.entity(m).label, prefixes) for m in self.members)
        shown = ", ".join(names[:LISTED_MEMBERS])
        more = len(names) - LISTED_MEMBERS
        return noun + "\n" + shown + (f", … +{more}" if more > 0 else "")

    def tooltip(self, graph: KnowledgeGraph) -> str:
        return "; ".join(f"{graph.entity(m).label} ({m})" for m in self.members)


def _short(label: str, prefixes: tuple[str, ...]) -> str:
    """A member's name without its anchor's (`ANKH p.P5L` under `variants of ANKH` is `p.P5L`)."""
    for prefix in prefixes:
        if label.startswith(prefix) and len(label) > len(prefix):
            return label[len(prefix):]
    return label


def _anchors(graph: KnowledgeGraph, collapsed: set[str]) -> dict[str, tuple[str, ...]]:
    """Each collapsed entity's anchor: a variant's gene where it is drawn; nothing for the others (all diseases of
    a picture form one summary, named inside)."""
    out: dict[str, tuple[str, ...]] = {}
    for ent in graph.entities:
        if ent.category in collapsed:
            gene = getattr(ent, "gene", None)
            out[ent.id] = (gene,) if gene and gene in graph and graph.entity(gene).category not in collapsed else ()
    return out


def summarize(graph: KnowledgeGraph, *, show: Iterable[str] = (),
              hide: Iterable[str] = ()) -> tuple[KnowledgeGraph, dict[str, Summary]]:
    """The graph to draw (hidden categories removed) and {member id: its Summary} for the collapsed groups."""
    shown, hidden = category_names(show), category_names(hide)
    if hidden:
        graph = graph.subgraph([e.id for e in graph.entities if e.category not in hidden])
    collapsed = set(COLLAPSED_BY_DEFAULT) - shown - hidden
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
    for eid, anchors in _anchors(graph, collapsed).items():
        groups[(graph.entity(eid).category, anchors)].append(eid)
    members: dict[str, Summary] = {}
    for (category, anchors), ids in sorted(groups.items()):
        if len(ids) < 2:
            continue
        summary = Summary(category, anchors, tuple(sorted(ids)))
        members.update(dict.fromkeys(summary.members, summary))
    return graph, members
