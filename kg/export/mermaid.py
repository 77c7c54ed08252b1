"""Mermaid flowcharts (GitHub and most Markdown renderers draw them).

Node ids are n0, n1, ... in entity-id order, each mapped to its CURIE by a `%% node` comment and a link to
identifiers.org-style IRIs; edges carry the predicate as their label, arrows by sign, dotted when not
established. Reading back gives the (subject, predicate, object) triples.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.export.base import Exporter

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.models import Edge

# glyph -> (opening, closing) of a Mermaid node shape
SHAPES = {"gene_or_protein": ("(", ")"), "small_molecule": ("([", "])"), "mineral": ("[[", "]]"),
          "process": ("{{", "}}"), "disease": ("(((", ")))"), "drug": ("[/", "/]"), "condition": (">", "]"),
          "variant": ("[", "]"), "cell_system": ("[", "]")}
_EDGE = re.compile(r"^\s*(n\d+)\s+(\S+)\|([a-z_]+)\|\s+(n\d+)\s*$")
_NODE = re.compile(r"^%% node (n\d+) (\S+)$")


# Characters that Mermaid would read as syntax, markup or an entity inside a quoted label: written as Mermaid's
# numeric entity codes (#60; for <), which it draws as the character itself.
_ENTITY = frozenset('"#<>&`')


def _text(label: str) -> str:
    """A label for a quoted Mermaid string: line breaks and other control characters become spaces (a raw
    line break ends the statement), and quotes, `#`, `<`, `>`, `&` and backticks become entity codes, so that no
    label can close its string, open a tag or a markdown string, or spell an entity of its own."""
    out = []
    for ch in label:
        if ch in _ENTITY:
            out.append(f"#{ord(ch)};")
        elif ch in "\u2028\u2029" or unicodedata.category(ch) == "Cc":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _arrow(e: Edge) -> str:
    dotted = e.status != "established"
    if e.sign == "none":
        return "-.-" if dotted else "---"
    if e.mechanism == "catalysis":
        return "-.-o" if dotted else "--o"
    if e.sign == "negative":
        return "-.-x" if dotted else "--x"
    return "-.->" if dotted else "-->"


def write(graph: KnowledgeGraph, path: Path, **_: Any) -> None:
    from kg.curie import expand
    from kg.export.style import glyph_for
    from kg.schema import load_schema

    schema = load_schema()
    ids = {ent.id: f"n{i}" for i, ent in enumerate(graph.entities)}
    lines = ["flowchart LR"]
    for name, cat in sorted({c.glyph: c.name for c in schema.categories.values()}.items()):
        lines.append(f"  classDef {name} fill:{glyph_for(cat).fill},stroke:#333")
    for ent in graph.entities:
        glyph = schema.categories[ent.category].glyph
        opening, closing = SHAPES.get(glyph, ("[", "]"))
        lines.append(f"%% node {ids[ent.id]} {_text(ent.id)}")
        lines.append(f'  {ids[ent.id]}{opening}"{_text(ent.label)}"{closing}:::{glyph}')
        lines.append(f'  click {ids[ent.id]} href "{expand(ent.id)}" "{_text(ent.id)}"')
    for e in graph.edges:
        lines.append(f"  {ids[e.subject]} {_arrow(e)}|{e.predicate}| {ids[e.object]}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_triples(path: Path) -> list[tuple[str, str, str]]:
    """The (subject, predicate, object) CURIE triples a kg Mermaid file draws."""
    names: dict[str, str] = {}
    triples = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if m := _NODE.match(line):
            names[m.group(1)] = m.group(2)
        elif m := _EDGE.match(line):
            triples.append((names[m.group(1)], m.group(3), names[m.group(4)]))
    return triples


EXPORTER = Exporter("mermaid", ".mmd", "Mermaid flowchart", write)
