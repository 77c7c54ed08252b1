"""Import a simple interaction TSV so users can bring their own networks (read row by row: memory stays bounded).

Columns (header row, tab-separated, UTF-8; a BOM is accepted):
- required: `source`, `target`, `pmid` (PMID:n, a bare number, or DOI:...), and either `predicate` or both `sign`
  (positive|negative|none, or + - 0) and `mechanism` (a schema mechanism);
- `status` (established|contested|hypothesis) in a column or for the whole file with `--status`: required;
- optional: `context` (a cell system the claim is specific to), `species`, `system`, `assay`, `confidence`,
  `statement` (the evidence), `source_category`, `target_category` and `new` (source|target|both: these names
  are new entities; or `--new-entities` for every unknown name). Any other column is an error.
See kg.load.imports for the rules that keep the curated graph intact.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import LoadError
from kg.load.imports import STATUSES, ErrorSink, ImportOptions, citation
from kg.load.yaml_source import RawRecord
from kg.safeio import text_lines
from kg.schema import load_schema

REQUIRED = ("source", "target", "pmid")
OPTIONAL = ("predicate", "sign", "mechanism", "status", "context", "species", "system", "assay", "confidence",
            "statement", "source_category", "target_category", "new")
SIGN_ALIASES = {"+": "positive", "-": "negative", "0": "none", "positive": "positive", "negative": "negative",
                "none": "none", "activates": "positive", "inhibits": "negative"}
NEW_VALUES = {"": (), "no": (), "source": ("subject",), "target": ("object",), "both": ("subject", "object")}
EVIDENCE_COLUMNS = ("species", "system", "assay", "confidence", "statement", "status")
DEFAULT_CATEGORY = "gene_or_protein"
_NO_LINES: dict[Any, int] = {}  # shared: an imported row is one line, so every field is on the record's line


def _header_problem(header: list[str], display: str) -> LoadError | None:
    known = (*REQUIRED, *OPTIONAL)
    where = {"file": display, "line": 1, "field": "header"}
    unknown = [c for c in header if c not in known]
    if unknown:
        hints = {c: difflib.get_close_matches(c, known, n=1) for c in unknown}
        shown = ", ".join(f"'{c}'" + (f" (did you mean '{hints[c][0]}'?)" if hints[c] else "") for c in unknown)
        return LoadError(f"unknown column(s) {shown}", **where, expected="columns " + ", ".join(known))
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        return LoadError(f"column(s) given twice: {', '.join(repeated)}", **where, expected="each column once")
    missing = [c for c in REQUIRED if c not in header]
    if "predicate" not in header:
        missing += [c for c in ("sign", "mechanism") if c not in header]
    if missing:
        return LoadError(f"missing column(s) {', '.join(missing)}", **where,
                         expected="tab-separated columns source, target, pmid and predicate (or sign and mechanism)")
    return None


def iter_tsv_records(path: Path, display: str, options: ImportOptions, sink: ErrorSink) -> Iterator[RawRecord]:
    """The file's rows as edge records, one at a time; row errors go to `sink` (the reading goes on)."""
    reader = csv.reader(text_lines(path, display), delimiter="\t")
    try:
        header = [c.strip() for c in next(reader, [])]
    except csv.Error as exc:
        sink.append(LoadError(f"unreadable header: {exc}", file=display, line=1, field="header"))
        return
    problem = _header_problem(header, display)
    if problem is None and "status" not in header and options.status is None:
        problem = LoadError("no status for the imported edges", file=display, line=1, field="status",
                            expected="a status column, or --status established|contested|hypothesis")
    if problem is not None:
        sink.append(problem)
        return
    schema = load_schema()
    start = 2
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            sink.append(LoadError(f"unreadable row: {exc}", file=display, line=start))
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            sink.append(LoadError(f"{len(cells)} cells, but the header has {len(header)} columns", file=display,
                               line=line, expected="one cell per header column (tab-separated)"))
            continue
        row = {c: (cells[i].strip() if i < len(cells) else "") for i, c in enumerate(header)}
        try:
            yield _record(row, schema, options, display, line)
        except LoadError as exc:
            sink.append(exc)


def _record(row: dict[str, str], schema: Any, options: ImportOptions, display: str, line: int) -> RawRecord:
    def fail(message: str, field: str, expected: str | None = None) -> LoadError:
        return LoadError(message, file=display, line=line, field=field, expected=expected)

    for column in REQUIRED:
        if not row[column]:
            raise fail("empty cell", column, "a value in every required column")
    if row.get("predicate"):
        predicate = row["predicate"]
        if predicate not in schema.predicates:
            raise fail(f"unknown predicate '{predicate}'", "predicate",
                       "one of " + ", ".join(sorted(schema.predicates)))
    else:
        sign = SIGN_ALIASES.get(row["sign"].lower())
        if sign is None:
            raise fail(f"unknown sign '{row['sign']}'", "sign", "positive, negative, none (or +, -, 0)")
        pred = schema.predicate_for(sign, row["mechanism"])
        if pred is None:
            raise fail(f"no predicate has sign '{sign}' and mechanism '{row['mechanism']}'", "mechanism",
                       "one of " + ", ".join(sorted(schema.mechanisms)))
        predicate = pred.name
    status = row.get("status") or options.status
    if status not in STATUSES:
        raise fail(f"unknown status '{status}'" if status else "no status", "status",
                   "established, contested or hypothesis (or --status for the whole file)")
    new_value = row.get("new", "").lower()
    if new_value not in NEW_VALUES:
        raise fail(f"unknown value '{row['new']}'", "new", "source, target, both or empty")
    categories = {"subject": row.get("source_category") or DEFAULT_CATEGORY,
                  "object": row.get("target_category") or DEFAULT_CATEGORY}
    for end, column in (("subject", "source_category"), ("object", "target_category")):
        if categories[end] not in schema.categories:
            raise fail(f"unknown category '{categories[end]}'", column, "one of " + ", ".join(schema.categories))
    declared = ("subject", "object") if options.new_entities else NEW_VALUES[new_value]
    evidence: dict[str, Any] = {"source": citation(row["pmid"]), "status": status}
    for key in EVIDENCE_COLUMNS:
        if row.get(key):
            evidence[key] = row[key]
    evidence["status"] = status  # the cell, or --status
    data: dict[str, Any] = {"subject": row["source"], "predicate": predicate, "object": row["target"],
                            "status": status, "evidence": [evidence]}
    if row.get("context"):
        data["context"] = row["context"]
    return RawRecord("edge", data, display, line, _NO_LINES, {end: categories[end] for end in declared})
