"""KGX node and edge files (TSV or JSON Lines) that pass kgx's validator and survive `kgx transform` whole.

Biolink slots carry the Biolink view: a node's `category` (the schema's Biolink class), `name`, `synonym`, `xref`,
`taxon` (an NCBITaxon CURIE; kgx 2.6 reads `in_taxon` as a list, then rejects it as one) and `provided_by`; an
edge's Biolink `predicate`, qualifiers, association class (`category`), `original_predicate` (kg's predicate as a
`kgv:` CURIE), `publications`, and provenance (`primary_knowledge_source`: kg's infores id, `knowledge_level`,
`agent_type`). Every other kg field rides in a `kg_` column (`kg_sign`, `kg_evidence`, `kg_sources` for the
loader files, ...), so nothing is lost.

What kgx does to values, and how the files stay exact through it:
- kgx reads TSV without quoting, splits any cell on `|`, turns tabs and newlines into spaces, drops `\\"` and empty
  cells, and sorts and de-duplicates lists. A text value that holds `|`, `\\`, a tab or a line break, is empty
  or starts with `"` is therefore written as a JSON string in which `"`, `\\` and `|` are \\u escapes (the same
  encoding inside lists); a list out of sorted order also gets `kg_<field>_order` (its items as JSON).
- Text is spreadsheet-safe (kg.cells.encode_cell, applied to each value before the JSON step, in both formats so
  that a kgx transform from one to the other keeps it exact): a value a spreadsheet would run as a formula, or
  one that starts with an apostrophe, gets a leading apostrophe, which `read` removes again.
- Nested records (evidence, kinetics, parameters, variant effects) are JSON text with the same escapes, in both
  TSV and JSON Lines (kgx would turn a JSON object into Python repr).
- Every edge keeps its kg `id`. kgx's in-memory graph (a default `kgx transform`) keys edges by subject, predicate
  and object and merges those that share them (kgx issue 413; a `key` column crashes it), so rival claims or
  two reactions of one enzyme become one edge there: `kgx transform --stream` keeps every edge (to JSON Lines: in
  stream mode kgx's TSV writer writes only its default columns), and `write` names the edges that share a key.
"""

from __future__ import annotations

import json
import logging
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.cells import decode_cell, encode_cell
from kg.errors import InputError
from kg.export.base import Exporter
from kg.export.records import json_fields

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.models import Edge, Entity

log = logging.getLogger(__name__)

KGX_FORMATS = ("tsv", "jsonl")
KG_COLUMN = "kg_"  # prefix of the columns that carry kg's own fields
NODE_SLOTS = {"id": "id", "label": "name", "description": "description", "symbol": "symbol", "synonyms": "synonym",
              "xrefs": "xref"}  # kg field -> the Biolink slot that carries it as it is
SYMBOL_CLASSES = frozenset({"biolink:Gene"})  # of kg's categories' classes, the ones Biolink gives a `symbol` slot
EDGE_SLOTS = {"id": "id", "subject": "subject", "object": "object"}
ORDER = "_order"  # kg_<field>_order: a list's order where kgx would sort it
_UNSAFE = re.compile(r'[|\\\t\r\n]')
_JSON_ESCAPES = {'\\"': "\\u0022", "\\\\": "\\u005c"}


def targets(path: Path, *, format: str = "tsv", **_: Any) -> list[Path]:
    if format not in KGX_FORMATS:
        raise InputError(f"unknown KGX format '{format}' (known: {', '.join(KGX_FORMATS)})")
    path = Path(path)
    stem = path.name.removesuffix(f".{format}").removesuffix("_nodes").removesuffix("_edges")
    return [path.with_name(f"{stem}_nodes.{format}"), path.with_name(f"{stem}_edges.{format}")]


# ---- values kgx leaves alone -----------------------------------------------------------------------------
def kgx_json(value: Any) -> str:
    """JSON with `"` and `\\` inside strings and every `|` as \\u escapes: kgx neither splits nor strips it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return re.sub(r'\\["\\]', lambda m: _JSON_ESCAPES[m.group(0)], text).replace("|", "\\u007c")


def encode_text(text: str) -> str:
    """Text made spreadsheet-safe, then as it is or as a kgx-safe JSON string where kgx would change it."""
    text = encode_cell(text)
    if not text or text.startswith('"') or _UNSAFE.search(text):
        return kgx_json(text)
    return text


def decode_text(cell: str) -> str:
    return decode_cell(json.loads(cell) if cell.startswith('"') else cell)


@cache
def _field_kinds(model: type[Any]) -> dict[str, str]:
    """Each model field as `text`, `texts` (a list of strings) or `json` (anything nested)."""
    nested = json_fields(model)
    return {name: "text" if name not in nested else "texts" if info.annotation == list[str] else "json"
            for name, info in model.model_fields.items()}


def _encode(kind: str, value: Any) -> Any:
    if kind == "text":
        return encode_text(value)
    if kind == "texts":
        return [encode_text(v) for v in value]
    return kgx_json(value)


def _decode(kind: str, value: Any) -> Any:
    if kind == "texts":
        items = value if isinstance(value, list) else str(value).split("|")
        return [decode_text(v) for v in items]
    if kind == "text":
        return decode_text(value)
    return json.loads(value) if isinstance(value, str) else value


# ---- rows ------------------------------------------------------------------------------------------------
def node_row(ent: Entity) -> dict[str, Any]:
    from kg.biolink import knowledge_source, taxon_curie
    from kg.models import Entity
    from kg.schema import load_schema

    kinds = _field_kinds(Entity)
    row: dict[str, Any] = {"id": ent.id, "category": [load_schema().categories[ent.category].biolink]}
    for field, value in ent.dump().items():
        if field == "id" or value in ([], {}):
            continue
        if field == "taxon" and taxon_curie(value):
            row["taxon"] = taxon_curie(value)
            continue
        slot = NODE_SLOTS.get(field, KG_COLUMN + field)
        if field == "symbol" and row["category"][0] not in SYMBOL_CLASSES:
            slot = KG_COLUMN + field  # a compartment's or a culture's short name: kg's own column
        row[slot] = _encode(kinds[field], value)
        row.update(_order(field, kinds[field], value))
    row["provided_by"] = [knowledge_source()]
    return row


def edge_row(e: Edge, subject_category: str, object_category: str) -> dict[str, Any]:
    from kg.biolink import original_predicate, provenance, statement
    from kg.models import Edge

    kinds = _field_kinds(Edge)
    said = statement(e.predicate, subject_category, object_category)
    row: dict[str, Any] = {"id": e.id, "subject": e.subject, "predicate": said.predicate,
                           "object": e.object, "category": [said.association], **dict(said.qualifiers),
                           "original_predicate": original_predicate(e.predicate),
                           "publications": sorted({ev.source for ev in e.evidence}), **provenance()}
    for field, value in e.dump().items():
        if field in EDGE_SLOTS or field == "predicate" or value in ([], {}):
            continue
        row[KG_COLUMN + field] = _encode(kinds[field], value)
        row.update(_order(field, kinds[field], value))
    return row


def _order(field: str, kind: str, value: Any) -> dict[str, str]:
    """`kg_<field>_order` for a list of text kgx would reorder (it sorts and de-duplicates lists)."""
    if kind == "texts" and value != sorted(set(value)):
        return {KG_COLUMN + field + ORDER: kgx_json(value)}
    return {}


def _cell(value: Any) -> str:
    return "|".join(value) if isinstance(value, list) else str(value)


def _write_rows(path: Path, rows: list[dict[str, Any]], fmt: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        if fmt == "jsonl":
            fh.writelines(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
            return
        first = ("id", "subject", "predicate", "object", "category")
        columns = sorted({k for r in rows for k in r}, key=lambda k: (first.index(k) if k in first else 99, k))
        # no quoting, as kgx reads it: the encoding above keeps tabs and line breaks out of every cell
        fh.write("\t".join(columns) + "\n")
        fh.writelines("\t".join(_cell(r[c]) if c in r else "" for c in columns) + "\n" for r in rows)


def write(graph: KnowledgeGraph, path: Path, *, format: str = "tsv", **_: Any) -> None:
    nodes_path, edges_path = targets(path, format=format)
    category = {ent.id: ent.category for ent in graph.entities}
    edges = [edge_row(e, category[e.subject], category[e.object]) for e in graph.edges]
    _write_rows(nodes_path, [node_row(e) for e in graph.entities], format)
    _write_rows(edges_path, edges, format)
    shared = sorted(shared_keys(edges).items())
    if shared:
        examples = "; ".join(f"{', '.join(ids)} ({s} {p} {o})" for (s, p, o), ids in shared[:3])
        log.warning("KGX: %d groups of edges share subject, predicate and object, which kgx's in-memory graph "
                    "merges ('kgx transform --stream' keeps them all): %s%s", len(shared), examples,
                    "; ..." if len(shared) > 3 else "")


def shared_keys(rows: list[dict[str, Any]]) -> dict[tuple[str, str, str], list[str]]:
    """Edge rows that kgx's in-memory graph would merge: (subject, predicate, object) -> their ids, where > 1."""
    keys: dict[tuple[str, str, str], list[str]] = {}
    for row in rows:
        keys.setdefault((row["subject"], row["predicate"], row["object"]), []).append(row["id"])
    return {key: ids for key, ids in keys.items() if len(ids) > 1}


# ---- reading back ----------------------------------------------------------------------------------------
def _read_rows(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    with path.open(encoding="utf-8", newline="") as fh:
        if path.suffix == ".jsonl":
            return [json.loads(line) for line in fh if line.strip()]
        lines = fh.read().split("\n")
    if not lines:
        return []
    columns = lines[0].split("\t")
    return [{k: v for k, v in zip(columns, line.split("\t"), strict=False) if v} for line in lines[1:] if line]


def entity_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """The Entity fields a KGX node row carries (kg's own or any kgx rewrite of it)."""
    from kg.biolink import species_for_taxon
    from kg.models import Entity

    kinds = _field_kinds(Entity)
    data: dict[str, Any] = {}
    for field, slot in NODE_SLOTS.items():
        if slot in row:
            data[field] = _decode(kinds[field], row[slot])
    data.update(_kg_columns(row, kinds))
    if "taxon" not in data and row.get("taxon"):
        data["taxon"] = species_for_taxon().get(row["taxon"], row["taxon"])
    return data


def _kg_columns(row: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    """The kg fields of the `kg_` columns, lists in their `_order` where one is given."""
    data: dict[str, Any] = {}
    for key, value in row.items():
        field = key.removeprefix(KG_COLUMN)
        if key.startswith(KG_COLUMN) and field in kinds:
            data[field] = _decode(kinds[field], value)
    for key, value in row.items():
        field = key.removeprefix(KG_COLUMN).removesuffix(ORDER)
        if key.startswith(KG_COLUMN) and key.endswith(ORDER) and kinds.get(field) == "texts":
            data[field] = _decode("json", value)
    return data


def edge_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """The Edge fields a KGX edge row carries."""
    from kg.biolink import kg_predicate
    from kg.models import Edge

    kinds = _field_kinds(Edge)
    data: dict[str, Any] = {field: row[slot] for field, slot in EDGE_SLOTS.items() if slot in row}
    if "original_predicate" in row:
        data["predicate"] = kg_predicate(row["original_predicate"])
    data.update(_kg_columns(row, kinds))
    return data


def read(path: Path) -> KnowledgeGraph:
    from pydantic import ValidationError

    from kg.graph import KnowledgeGraph
    from kg.models import Edge, Entity

    path = Path(path)
    fmt = "jsonl" if path.name.endswith(".jsonl") else "tsv"
    nodes_path, edges_path = targets(path, format=fmt)
    try:
        ents = [Entity.model_validate(entity_from_row(r)) for r in _read_rows(nodes_path)]
        edges = [Edge.model_validate(edge_from_row(r)) for r in _read_rows(edges_path)]
    except (ValidationError, ValueError) as exc:
        raise InputError(f"{path}: not a kg KGX file: {exc}") from None
    return KnowledgeGraph(ents, edges)


EXPORTER = Exporter("kgx", "", "KGX node and edge files (TSV or JSON Lines)", write, read, targets)
