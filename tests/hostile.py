"""Labels written to hurt whoever opens an output: spreadsheet formulas, script and comment openers, line breaks.

`hostile_graph()` is the export fixtures' core pathway with these labels on its entities (ANKH and PPi keep their
names so that a page can still be searched), and hostile text in ANKH's description and synonyms.
"""

from __future__ import annotations

import re

from kg.graph import KnowledgeGraph
from tests.test_export_fixtures import core_graph

FORMULAS = [
    '=HYPERLINK("http://127.0.0.1:9/?"&A1,"ANKH")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
MARKUP = [
    "</script><script>window.kgPwned = 1</script>",
    "<!--<script>",
    "<img src=x onerror=\"window.kgPwned = 2\">",
    "line\r\nbreak\u2028and\u2029more",
    'quote " #quot; `tick` ]) }} --> |x| %% ::: end',
    "'apostrophe first",
]
LABELS = FORMULAS + MARKUP
KEEP = ("HGNC:15492", "CHEBI:29888")  # ANKH and PPi keep their labels


def hostile_graph() -> KnowledgeGraph:
    graph = core_graph()
    others = [e for e in graph.entities if e.id not in KEEP]
    assert len(others) >= len(LABELS)
    for ent, label in zip(others, LABELS, strict=False):
        ent.label = label
    ankh = graph.entity("HGNC:15492")
    ankh.description = "<!--<script>window.kgPwned = 3</script>-->" + "\u2028"
    ankh.synonyms = ["=1+1", "</script>"]
    return graph


def formula_cells(cells: list[str]) -> list[str]:
    """The cells a spreadsheet would run as formulas (said independently of kg.cells: a trigger first, and not
    a plain number)."""
    return [c for c in cells if c[:1] and c[0] in "=+-@\t\r" and not re.fullmatch(r"[+-]?[0-9.]+(e[+-]?[0-9]+)?", c)]
