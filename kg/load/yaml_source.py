"""Read a declarative YAML source into raw records that remember the file and line of every field.

The file format (see README "How to add a loader"):

    source: {name: ..., description: ..., licence: ...}
    references: {key: {source: PMID:..., reference: "Author Year Journal"}}   # optional, shared by all files
    entities: [ {id, category, label, ...}, ... ]
    edges:    [ {subject, predicate, object, ..., evidence: [{ref|source, ...}]}, ... ]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import LoadError
from kg.safeyaml import KEYLINES_KEY, LINE_KEY, load_yaml, strip_lines

TOP_LEVEL_KEYS = {"source", "references", "entities", "edges"}
Path_ = tuple[Any, ...]


@dataclass(slots=True)
class RawRecord:
    """One entity or edge as written, with its location for error messages. Imported rows (TSV, SIF) name in
    `create` the ends the user declared new, with the category to give them."""

    kind: str  # "entity" | "edge"
    data: dict[str, Any]
    file: str
    line: int
    lines: dict[Path_, int] = field(default_factory=dict)
    create: dict[str, str] | None = None

    def line_of(self, loc: Path_) -> int:
        """The line of the deepest located prefix of a field path (falls back to the record's line)."""
        for n in range(len(loc), 0, -1):
            if loc[:n] in self.lines:
                return self.lines[loc[:n]]
        return self.line

    def error(self, message: str, loc: Path_ = (), expected: str | None = None) -> LoadError:
        name = ".".join(str(p) for p in loc) if loc else None
        return LoadError(message, file=self.file, line=self.line_of(loc), field=name, expected=expected)


@dataclass
class ParsedFile:
    path: str
    source: dict[str, Any]
    references: dict[str, tuple[dict[str, Any], int]]
    records: list[RawRecord]


def parse_yaml_file(path: Path, display: str | None = None) -> ParsedFile:
    """Parse one source file (bounded: see kg.safeyaml); raise LoadError with the line on YAML syntax or layout
    errors."""
    name = display or str(path)
    raw = load_yaml(path, name)
    if raw is None:
        raw = {LINE_KEY: 1}
    if not isinstance(raw, dict):
        raise LoadError("the file must be a mapping", file=name, line=1,
                        expected="top-level keys: " + ", ".join(sorted(TOP_LEVEL_KEYS)))
    keylines = raw.get(KEYLINES_KEY, {})
    unknown = sorted(str(k) for k in set(raw) - TOP_LEVEL_KEYS - {LINE_KEY, KEYLINES_KEY})
    if unknown:
        raise LoadError(f"unknown top-level key '{unknown[0]}'", file=name, line=keylines.get(unknown[0]),
                        expected="one of " + ", ".join(sorted(TOP_LEVEL_KEYS)))
    for key in ("source", "references"):
        if raw.get(key) is not None and not isinstance(raw[key], dict):
            raise LoadError(f"'{key}' must be a mapping", file=name, line=keylines.get(key), field=key,
                            expected="a YAML mapping of fields")
    source, _ = strip_lines(raw.get("source") or {})
    references: dict[str, tuple[dict[str, Any], int]] = {}
    for key, value in (raw.get("references") or {}).items():
        if key in (LINE_KEY, KEYLINES_KEY):
            continue
        line = raw["references"][KEYLINES_KEY].get(key, 1)
        if not isinstance(key, str) or not isinstance(value, dict):
            raise LoadError(f"reference '{key}' must be a mapping under a text key", file=name, line=line,
                            field="references", expected="{source: PMID:..|DOI:.., reference: ...}")
        references[key] = (strip_lines(value)[0], line)
    records: list[RawRecord] = []
    for kind, key in (("entity", "entities"), ("edge", "edges")):
        items = raw.get(key) or []
        if not isinstance(items, list):
            raise LoadError(f"'{key}' must be a list", file=name, line=keylines.get(key),
                            expected="a YAML list of mappings")
        for item in items:
            if not isinstance(item, dict):
                raise LoadError(f"each item of '{key}' must be a mapping", file=name,
                                line=keylines.get(key), expected="a mapping of fields")
            data, lines = strip_lines(item)
            records.append(RawRecord(kind, data, name, item[LINE_KEY], lines))
    return ParsedFile(name, source, references, records)
