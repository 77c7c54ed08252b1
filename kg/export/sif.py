"""SIF and extended SIF.

SIF: `subject<TAB>predicate<TAB>object`, one line per edge, CURIEs as node names (identifiers survive; sign and
mechanism follow from the predicate through the schema). Extended SIF follows Pathway Commons' layout: an edge
table (PARTICIPANT_A, INTERACTION_TYPE, PARTICIPANT_B, INTERACTION_DATA_SOURCE, INTERACTION_PUBMED_ID,
PATHWAY_NAMES, MEDIATOR_IDS, then kg's SIGN, MECHANISM, STATUS, EDGE_ID), a blank line, and a node table.

Plain SIF holds only CURIEs and predicate names, which cannot start with a formula character. The extended tables
hold labels: their cells are spreadsheet-safe (kg.cells.encode_cell), and `read_extended` decodes them.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.cells import CellWriter, decode_cell
from kg.export.base import Exporter

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

EDGE_COLUMNS = ("PARTICIPANT_A", "INTERACTION_TYPE", "PARTICIPANT_B", "INTERACTION_DATA_SOURCE",
                "INTERACTION_PUBMED_ID", "PATHWAY_NAMES", "MEDIATOR_IDS", "SIGN", "MECHANISM", "STATUS", "EDGE_ID")
NODE_COLUMNS = ("PARTICIPANT", "PARTICIPANT_TYPE", "PARTICIPANT_NAME", "UNIFICATION_XREF", "RELATIONSHIP_XREF")


def write_sif(graph: KnowledgeGraph, path: Path, **_: Any) -> None:
    lines = sorted({f"{e.subject}\t{e.predicate}\t{e.object}" for e in graph.edges})
    Path(path).write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def read_sif(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            subject, predicate, *objects = line.split("\t")
            rows += [(subject, predicate, obj) for obj in objects]
    return rows


def write_extended(graph: KnowledgeGraph, path: Path, **_: Any) -> None:
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        out = CellWriter(fh, "\t", reversible=True)
        out.writerow(EDGE_COLUMNS)
        for e in graph.edges:
            pmids = sorted({ev.source for ev in e.evidence if ev.source.startswith("PMID:")})
            others = sorted({ev.source for ev in e.evidence} - set(pmids))
            mediators = [*e.substrates, *e.products]
            out.writerow([e.subject, e.predicate, e.object, ";".join(others), ";".join(pmids), "",
                          ";".join(mediators), e.sign, e.mechanism, e.status, e.id])
        fh.write("\n")
        out.writerow(NODE_COLUMNS)
        for ent in graph.entities:
            out.writerow([ent.id, ent.category, ent.label, ent.id, ";".join(ent.xrefs)])


def read_extended(path: Path) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The edge rows and the node rows of an extended SIF file (the tables are split at the first empty row)."""
    tables: list[list[list[str]]] = [[]]
    with Path(path).open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if not row and len(tables) == 1:
                tables.append([])
            elif row:
                tables[-1].append([decode_cell(v) for v in row])
    edges, nodes = [*tables, []][:2]
    return ([dict(zip(edges[0], r, strict=True)) for r in edges[1:]] if edges else [],
            [dict(zip(nodes[0], r, strict=True)) for r in nodes[1:]] if nodes else [])


EXPORTER = Exporter("sif", ".sif", "Simple Interaction Format (CURIE<TAB>predicate<TAB>CURIE)", write_sif)
EXPORTERS = {
    "sif": EXPORTER,
    "sif-extended": Exporter("sif-extended", ".txt", "extended SIF (Pathway Commons layout, with sign, "
                             "mechanism, status and publications)", write_extended),
}
