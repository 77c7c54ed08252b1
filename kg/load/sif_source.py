"""Import a SIF network (`A relation B [C ...]`, one interaction per target), read line by line.

SIF carries no citations, so a SIF file needs a sidecar: a comment line `# source: PMID:n` (or DOI) before the
first interaction gives the evidence for every edge; without it the import fails, because every interaction in kg
has evidence. `# status: established|contested|hypothesis` (or `--status`) is required too, and
`# new: NAME, NAME` declares names that are new entities (or `--new-entities` for all unknown names).
Relations are schema predicate names, or `activates`/`inhibits`, which map to positively_regulates /
negatively_regulates. A line with tabs is split on tabs only (names may hold spaces), otherwise on whitespace.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import LoadError
from kg.load.imports import STATUSES, ErrorSink, ImportOptions, citation
from kg.load.yaml_source import RawRecord
from kg.safeio import text_lines
from kg.schema import load_schema

RELATION_ALIASES = {"activates": "positively_regulates", "inhibits": "negatively_regulates",
                    "pp": "binds", "binds": "binds"}
_NO_LINES: dict[Any, int] = {}


def iter_sif_records(path: Path, display: str, options: ImportOptions, sink: ErrorSink) -> Iterator[RawRecord]:
    """The file's interactions as edge records; a problem with the header comments stops the file, a bad line
    is reported and skipped."""
    predicates = load_schema().predicates
    source: str | None = None
    status = options.status
    new_names: set[str] = set()
    for line_no, line in enumerate(text_lines(path, display), start=1):
        text = line.strip()
        if not text:
            continue
        if text.startswith("#"):
            key, _, value = text.lstrip("#").partition(":")
            key, value = key.strip().lower(), value.strip()
            if key == "source" and value:
                source = citation(value)
            elif key == "status":
                if value not in STATUSES:
                    sink.append(LoadError(f"unknown status '{value}'", file=display, line=line_no, field="status",
                                       expected=", ".join(STATUSES)))
                    return
                status = value
            elif key == "new":
                new_names.update(n.strip() for n in value.split(",") if n.strip())
            continue
        parts = [p.strip() for p in text.split("\t")] if "\t" in text else text.split()
        if len(parts) < 3 or not all(parts):
            sink.append(LoadError("a SIF line needs a source, a relation and at least one target", file=display,
                               line=line_no, expected="A<tab>relation<tab>B"))
            continue
        if source is None:
            sink.append(LoadError("no citation for this SIF file", file=display, line=line_no, field="source",
                               expected="a first line '# source: PMID:n' (or DOI:...)"))
            return
        if status is None:
            sink.append(LoadError("no status for this SIF file", file=display, line=line_no, field="status",
                               expected="a line '# status: established|contested|hypothesis' or --status"))
            return
        relation = RELATION_ALIASES.get(parts[1], parts[1])
        if relation not in predicates:
            sink.append(LoadError(f"unknown relation '{parts[1]}'", file=display, line=line_no, field="relation",
                               expected="a predicate: " + ", ".join(sorted(predicates))))
            continue
        for target in parts[2:]:
            data = {"subject": parts[0], "predicate": relation, "object": target, "status": status,
                    "evidence": [{"source": source, "status": status}]}
            declared = {end: "gene_or_protein" for end, name in (("subject", parts[0]), ("object", target))
                        if options.new_entities or name in new_names}
            yield RawRecord("edge", data, display, line_no, _NO_LINES, declared)
