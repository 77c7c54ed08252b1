"""Import a SIF network (`A relation B [C ...]`, one interaction per target).

SIF carries no citations, so a SIF file needs a sidecar: the first line may be a comment
`# source: PMID:n` (or DOI) giving the evidence for every edge; without it the import fails, because every
interaction in kg has evidence. Relations are schema predicate names, or `activates`/`inhibits`, which map to
positively_regulates / negatively_regulates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.errors import LoadError
from kg.load.tsv_source import citation, new_entity_id
from kg.load.yaml_source import ParsedFile, RawRecord
from kg.schema import load_schema

RELATION_ALIASES = {"activates": "positively_regulates", "inhibits": "negatively_regulates",
                    "pp": "binds", "binds": "binds"}


def parse_sif_file(path: Path, display: str) -> ParsedFile:
    predicates = load_schema().predicates
    records: list[RawRecord] = []
    source: str | None = None
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            text = line.strip()
            if not text:
                continue
            if text.startswith("#"):
                key, _, value = text.lstrip("#").partition(":")
                if key.strip().lower() == "source" and value.strip():
                    source = citation(value)
                continue
            parts = text.split("\t") if "\t" in text else text.split()
            if len(parts) < 3:
                raise LoadError("a SIF line needs a source, a relation and at least one target", file=display,
                                line=line_no, expected="A<tab>relation<tab>B")
            if source is None:
                raise LoadError("no citation for this SIF file", file=display, line=line_no, field="source",
                                expected="a first line '# source: PMID:n' (or DOI:...)")
            relation = RELATION_ALIASES.get(parts[1], parts[1])
            if relation not in predicates:
                raise LoadError(f"unknown relation '{parts[1]}'", file=display, line=line_no, field="relation",
                                expected="a predicate: " + ", ".join(sorted(predicates)))
            for target in parts[2:]:
                data: dict[str, Any] = {"subject": parts[0], "predicate": relation, "object": target,
                                        "evidence": [{"source": source}],
                                        "__create_missing__": {"new_id": new_entity_id}}
                records.append(RawRecord("edge", data, display, line_no, {(): line_no}))
    return ParsedFile(display, {"name": path.stem, "format": "sif"}, {}, records)
