"""Import a simple interaction TSV so users can bring their own networks.

Required columns: source, target, sign (positive|negative|none, or + - 0), mechanism (a schema mechanism),
pmid (PMID:n, a bare number, or DOI:...). Optional: predicate (overrides sign+mechanism), source_category,
target_category, species, system, assay, confidence, status. Names that match nothing in the graph become new
entities in the KG namespace.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from kg.errors import LoadError
from kg.load.yaml_source import ParsedFile, RawRecord
from kg.models import digest
from kg.schema import load_schema

REQUIRED = ("source", "target", "sign", "mechanism", "pmid")
OPTIONAL = ("predicate", "source_category", "target_category", "species", "system", "assay", "confidence",
            "status")
SIGN_ALIASES = {"+": "positive", "-": "negative", "0": "none", "positive": "positive", "negative": "negative",
                "none": "none", "activates": "positive", "inhibits": "negative"}
_UNSAFE = re.compile(r"[^A-Za-z0-9_.+\-]")


def new_entity_id(name: str) -> str:
    """A KG-namespace id for an imported name; names that need escaping get a digest suffix (no collisions)."""
    slug = _UNSAFE.sub("_", name.strip()).lstrip("_.+-") or "x"
    return f"KG:{slug}" if slug == name else f"KG:{slug}-{digest(name, length=8)}"


def citation(value: str) -> str:
    value = value.strip()
    return f"PMID:{value}" if value.isdigit() else value


def parse_tsv_file(path: Path, display: str) -> ParsedFile:
    schema = load_schema()
    records: list[RawRecord] = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise LoadError(f"missing column(s) {', '.join(missing)}", file=display, line=1, field="header",
                            expected="tab-separated columns " + ", ".join(REQUIRED))
        for row in reader:
            line = reader.line_num
            sign = SIGN_ALIASES.get((row["sign"] or "").strip().lower())
            rec_lines = {(): line}
            if row.get("predicate"):
                predicate = row["predicate"].strip()
            else:
                if sign is None:
                    raise LoadError(f"unknown sign '{row['sign']}'", file=display, line=line, field="sign",
                                    expected="positive, negative, none (or +, -, 0)")
                pred = schema.predicate_for(sign, (row["mechanism"] or "").strip())
                if pred is None:
                    raise LoadError(f"no predicate has sign '{sign}' and mechanism '{row['mechanism']}'",
                                    file=display, line=line, field="mechanism",
                                    expected="one of " + ", ".join(sorted(schema.mechanisms)))
                predicate = pred.name
            evidence: dict[str, Any] = {"source": citation(row["pmid"] or "")}
            for key in ("species", "system", "assay", "confidence", "status"):
                if row.get(key):
                    evidence[key] = row[key].strip()
            data: dict[str, Any] = {
                "subject": row["source"], "predicate": predicate, "object": row["target"],
                "evidence": [evidence],
                "__create_missing__": {"new_id": new_entity_id, "subject_category": row.get("source_category"),
                                       "object_category": row.get("target_category")},
            }
            if row.get("status"):
                data["status"] = row["status"].strip()
            records.append(RawRecord("edge", data, display, line, rec_lines))
    return ParsedFile(display, {"name": path.stem, "format": "tsv"}, {}, records)
