"""Graph queries over a KnowledgeGraph, as plain functions returning rows (lists of dicts with fixed columns).

These are the networkx implementations of the named queries in queries/; the SPARQL and Cypher versions must
return the same rows (a parity test checks it). Rows are sorted so every engine's output compares equal.
"""

from __future__ import annotations

from typing import Any

from kg.graph import KnowledgeGraph
from kg.models import Edge

INTERACTION_COLUMNS = ("edge_id", "subject", "subject_label", "predicate", "object", "object_label", "sign",
                       "mechanism", "status", "evidence")
REGULATOR_COLUMNS = ("regulator", "regulator_label", "predicate", "sign", "mechanism", "status", "edge_id")
NEIGHBOR_COLUMNS = ("id", "label", "category", "distance")
PATH_COLUMNS = ("length", "sign", "path", "labels", "edges", "statuses")
CONTESTED_COLUMNS = ("edge_id", "subject", "subject_label", "predicate", "object", "object_label", "status", "claim",
                     "evidence", "contested_evidence", "rivals", "rival_claims")
CITING_COLUMNS = ("kind", "id", "label", "status", "subject", "subject_label", "predicate", "object", "object_label")
DISEASE_GENE_COLUMNS = ("gene", "gene_label", "predicate", "via", "via_label", "status")


def interaction_row(graph: KnowledgeGraph, edge: Edge) -> dict[str, Any]:
    return {
        "edge_id": edge.id, "subject": edge.subject, "subject_label": graph.entity(edge.subject).label,
        "predicate": edge.predicate, "object": edge.object, "object_label": graph.entity(edge.object).label,
        "sign": edge.sign, "mechanism": edge.mechanism, "status": edge.status, "evidence": len(edge.evidence),
    }


def interactions(graph: KnowledgeGraph, of: str | None = None, *, predicate: str | None = None,
                 sign: str | None = None, status: str | None = None, mechanism: str | None = None,
                 species: str | None = None) -> list[dict[str, Any]]:
    """Edges touching `of` (an entity id; all edges if None), filtered; sorted by edge id."""
    edges = graph.interactions(of, predicate=predicate, sign=sign, status=status, mechanism=mechanism,
                               species=species)
    return [interaction_row(graph, e) for e in edges]


def regulators(graph: KnowledgeGraph, target: str) -> list[dict[str, Any]]:
    """Signed edges into `target` (sign positive or negative), one row per edge."""
    rows = [{"regulator": e.subject, "regulator_label": graph.entity(e.subject).label, "predicate": e.predicate,
             "sign": e.sign, "mechanism": e.mechanism, "status": e.status, "edge_id": e.id}
            for e in graph.regulators(target)]
    return sorted(rows, key=lambda r: (r["regulator"], r["predicate"], r["edge_id"]))


def neighbors(graph: KnowledgeGraph, center: str, depth: int = 1) -> list[dict[str, Any]]:
    """Entities within `depth` edges of `center`, ignoring direction; the center itself excluded."""
    return [{"id": n, "label": graph.entity(n).label, "category": graph.entity(n).category, "distance": d}
            for n, d in graph.neighbors(center, depth).items()]


def _steps(graph: KnowledgeGraph, node: str, signed: bool) -> list[tuple[str, Edge]]:
    """Directed steps out of `node`; symmetric predicates can be walked both ways."""
    from kg.schema import load_schema

    preds = load_schema().predicates
    steps = [(e.object, e) for e in graph.out_edges(node)]
    steps += [(e.subject, e) for e in graph.in_edges(node) if preds[e.predicate].symmetric]
    if signed:
        steps = [(n, e) for n, e in steps if e.sign != "none"]
    return sorted(steps, key=lambda s: (s[0], s[1].id))


def paths(graph: KnowledgeGraph, source: str, target: str, *, max_length: int = 3,
          signed: bool = False) -> list[dict[str, Any]]:
    """Simple directed paths from source to target of at most `max_length` edges (no entity revisited).

    With `signed`, only sign-carrying edges are walked and each path's sign is the product of its edges' signs.
    Rows are sorted by length, then by the path's ids.
    """
    rows: list[dict[str, Any]] = []

    def walk(node: str, visited: list[str], edges: list[Edge]) -> None:
        if node == target and edges:
            product = 1
            for e in edges:
                product *= e.sign_value
            sign = {1: "positive", -1: "negative"}.get(product, "none") if signed or all(
                e.sign != "none" for e in edges) else "none"
            rows.append({"length": len(edges), "sign": sign, "path": list(visited),
                         "labels": [graph.entity(n).label for n in visited], "edges": [e.id for e in edges],
                         "statuses": [e.status for e in edges]})
            return
        if len(edges) >= max_length:
            return
        for nxt, e in _steps(graph, node, signed):
            if nxt in visited:
                continue
            walk(nxt, [*visited, nxt], [*edges, e])

    walk(source, [source], [])
    return sorted(rows, key=lambda r: (r["length"], r["path"], r["edges"]))


def contested(graph: KnowledgeGraph) -> list[dict[str, Any]]:
    """Edges whose status is contested or hypothesis, or that carry contested evidence, with their rival claims
    (kg.rivals: same subject and either the same object or the same predicate)."""
    from kg.rivals import Claim, rivals

    rows = []
    for e in graph.edges:
        if e.status == "established" and all(ev.status == "established" for ev in e.evidence):
            continue
        found = rivals(Claim(e.id, e.subject, e.predicate, e.object),
                       (Claim(o.id, o.subject, o.predicate, o.object) for o in graph.out_edges(e.subject)))
        label = graph.entity(e.subject).label
        rows.append({"edge_id": e.id, "subject": e.subject, "subject_label": label, "predicate": e.predicate,
                     "object": e.object, "object_label": graph.entity(e.object).label, "status": e.status,
                     "claim": e.claim, "evidence": len(e.evidence),
                     "contested_evidence": sum(ev.status != "established" for ev in e.evidence), "rivals": found,
                     "rival_claims": sorted({f"{label} {r.predicate.replace('_', ' ')} {graph.entity(r.object).label} "
                                             f"({r.status})"
                                             for r in map(graph.edge, found)})})
    return sorted(rows, key=lambda r: r["edge_id"])


def citing(graph: KnowledgeGraph, source: str) -> list[dict[str, Any]]:
    """Every edge and entity whose evidence cites `source` (a PMID/DOI/PMC CURIE), labelled."""
    rows: list[dict[str, Any]] = []
    for e in graph.edges:
        if any(ev.source == source for ev in e.evidence):
            s_label, o_label = graph.entity(e.subject).label, graph.entity(e.object).label
            rows.append({"kind": "edge", "id": e.id, "label": f"{s_label} {e.predicate} {o_label}",
                         "status": e.status, "subject": e.subject, "subject_label": s_label,
                         "predicate": e.predicate, "object": e.object, "object_label": o_label})
    for ent in graph.entities:
        if any(ev.source == source for ev in ent.evidence):
            rows.append({"kind": "entity", "id": ent.id, "label": ent.label, "status": None, "subject": None,
                         "subject_label": None, "predicate": None, "object": None, "object_label": None})
    return sorted(rows, key=lambda r: (r["kind"], r["id"]))


def disease_genes(graph: KnowledgeGraph, disease: str) -> list[dict[str, Any]]:
    """Genes linked to a disease directly (gene causes/contributes_to/associated_with) or through a variant."""
    linking = {"causes", "contributes_to", "associated_with"}
    rows: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for e in graph.incident_edges(disease):
        if e.predicate not in linking:
            continue
        other = graph.entity(e.subject if e.object == disease else e.object)
        if other.category in ("gene_or_protein", "protein_complex"):
            rows[(other.id, e.predicate, "", e.status)] = {"gene": other.id, "gene_label": other.label,
                                                           "predicate": e.predicate, "via": None, "via_label": None,
                                                           "status": e.status}
        elif other.category == "sequence_variant" and other.gene:
            gene = graph.entity(other.gene)
            rows[(gene.id, e.predicate, other.id, e.status)] = {
                "gene": gene.id, "gene_label": gene.label, "predicate": e.predicate, "via": other.id,
                "via_label": other.label, "status": e.status}
    return [rows[k] for k in sorted(rows)]
