"""KGX node and edge files (TSV or JSON Lines), Biolink-flavoured: `PREFIX_nodes.EXT` and `PREFIX_edges.EXT`.

Standard KGX columns carry the Biolink view (node `category` is the schema's Biolink class, edge `predicate`
the Biolink predicate plus the schema's Biolink qualifiers, `publications` the evidence sources); kg's own
fields ride along (`kg_category`, `original_predicate`, sign, mechanism, status, evidence, ...) so that the files
read back as the same graph. In TSV, lists of text are `|`-joined and nested values are JSON text, and every cell
is spreadsheet-safe (kg.cells.encode_cell: a cell a spreadsheet would run as a formula, or one that starts with an
apostrophe, gets a leading apostrophe, which `read` removes again). JSON Lines keep every value as it is.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.cells import CellWriter, decode_cell
from kg.errors import InputError
from kg.export.base import Exporter
from kg.export.records import dumps, json_fields

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.models import Edge, Entity

KGX_FORMATS = ("tsv", "jsonl")
NODE_RENAMES = {"label": "name", "synonyms": "synonym", "xrefs": "xref", "category": "kg_category"}
EDGE_RENAMES = {"predicate": "original_predicate"}


def targets(path: Path, *, format: str = "tsv", **_: Any) -> list[Path]:
    if format not in KGX_FORMATS:
        raise InputError(f"unknown KGX format '{format}' (known: {', '.join(KGX_FORMATS)})")
    path = Path(path)
    stem = path.name.removesuffix(f".{format}").removesuffix("_nodes").removesuffix("_edges")
    return [path.with_name(f"{stem}_nodes.{format}"), path.with_name(f"{stem}_edges.{format}")]


def node_row(ent: Entity) -> dict[str, Any]:
    from kg.schema import load_schema

    row = {NODE_RENAMES.get(k, k): v for k, v in ent.dump().items()}
    return {"id": ent.id, "category": [load_schema().categories[ent.category].biolink], **row,
            "provided_by": ["kg"]}


def edge_row(e: Edge) -> dict[str, Any]:
    from kg.schema import load_schema

    pred = load_schema().predicates[e.predicate]
    row = {EDGE_RENAMES.get(k, k): v for k, v in e.dump().items()}
    return {**row, "predicate": pred.biolink, **pred.biolink_qualifiers,
            "publications": sorted({ev.source for ev in e.evidence}), "relation": pred.ro,
            "knowledge_level": "knowledge_assertion", "agent_type": "manual_agent"}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) and "|" not in v for v in value):
        return "|".join(value)
    return value if isinstance(value, str) else dumps(value)


def _write_rows(path: Path, rows: list[dict[str, Any]], fmt: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        if fmt == "jsonl":
            fh.writelines(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
            return
        columns = sorted({k for r in rows for k in r}, key=lambda k: (k not in ("id", "subject", "predicate",
                                                                                 "object", "category"), k))
        out = CellWriter(fh, "\t", reversible=True)
        out.writerow(columns)
        for r in rows:
            out.writerow(_cell(r.get(c)) for c in columns)


def write(graph: KnowledgeGraph, path: Path, *, format: str = "tsv", **_: Any) -> None:
    nodes_path, edges_path = targets(path, format=format)
    _write_rows(nodes_path, [node_row(e) for e in graph.entities], format)
    _write_rows(edges_path, [edge_row(e) for e in graph.edges], format)


def _read_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as fh:
        if path.suffix == ".jsonl":
            return [json.loads(line) for line in fh if line.strip()]
        return [{k: decode_cell(v) for k, v in r.items() if v != ""} for r in csv.DictReader(fh, delimiter="\t")]


def _decode(model: type[Entity] | type[Edge], row: dict[str, Any], renames: dict[str, str]) -> dict[str, Any]:
    back = {v: k for k, v in renames.items()}
    nested = json_fields(model)
    data: dict[str, Any] = {}
    for key, value in row.items():
        if key in ("category", "predicate"):
            continue  # the Biolink columns; kg's own values are under their renamed keys
        field = back.get(key, key)
        if field not in model.model_fields:
            continue
        if field in nested and isinstance(value, str):
            value = json.loads(value) if value[:1] in "[{" else value.split("|")
        data[field] = value
    return data


def read(path: Path) -> KnowledgeGraph:
    from kg.graph import KnowledgeGraph
    from kg.models import Edge, Entity

    path = Path(path)
    fmt = "jsonl" if path.name.endswith(".jsonl") else "tsv"
    nodes_path, edges_path = targets(path, format=fmt)
    ents = [Entity.model_validate(_decode(Entity, r, NODE_RENAMES)) for r in _read_rows(nodes_path)]
    edges = [Edge.model_validate(_decode(Edge, r, EDGE_RENAMES)) for r in _read_rows(edges_path)]
    return KnowledgeGraph(ents, edges)


EXPORTER = Exporter("kgx", "", "KGX node and edge files (TSV or JSON Lines)", write, read, targets)
