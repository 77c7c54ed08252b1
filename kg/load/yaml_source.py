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

import yaml

from kg.errors import LoadError

TOP_LEVEL_KEYS = {"source", "references", "entities", "edges"}
Path_ = tuple[Any, ...]


@dataclass
class RawRecord:
    """One entity or edge as written, with its location for error messages."""

    kind: str  # "entity" | "edge"
    data: dict[str, Any]
    file: str
    line: int
    lines: dict[Path_, int] = field(default_factory=dict)

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


class _LineLoader(yaml.SafeLoader):
    """A SafeLoader whose mappings remember where they and each of their keys start."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__keylines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def strip_lines(obj: Any, path: Path_ = (), lines: dict[Path_, int] | None = None) -> tuple[Any, dict[Path_, int]]:
    """Remove line metadata, returning the clean value and a map from field path to line."""
    lines = {} if lines is None else lines
    if isinstance(obj, dict):
        line = obj.get("__line__")
        keylines = obj.get("__keylines__", {})
        if line is not None:
            lines.setdefault(path, line)
        clean = {}
        for key, value in obj.items():
            if key in ("__line__", "__keylines__"):
                continue
            if key in keylines:
                lines[(*path, key)] = keylines[key]
            clean[key], _ = strip_lines(value, (*path, key), lines)
        return clean, lines
    if isinstance(obj, list):
        return [strip_lines(v, (*path, i), lines)[0] for i, v in enumerate(obj)], lines
    return obj, lines


def parse_yaml_file(path: Path, display: str | None = None) -> ParsedFile:
    """Parse one source file; raise LoadError with the line on YAML syntax or layout errors."""
    name = display or str(path)
    try:
        with path.open(encoding="utf-8") as fh:
            raw = yaml.load(fh, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise LoadError(f"YAML syntax error: {exc.problem or exc}", file=name,
                        line=mark.line + 1 if mark else None, expected="valid YAML") from None
    if raw is None:
        raw = {"__line__": 1}
    if not isinstance(raw, dict):
        raise LoadError("the file must be a mapping", file=name, line=1,
                        expected="top-level keys: " + ", ".join(sorted(TOP_LEVEL_KEYS)))
    unknown = set(raw) - TOP_LEVEL_KEYS - {"__line__", "__keylines__"}
    if unknown:
        key = sorted(unknown)[0]
        raise LoadError(f"unknown top-level key '{key}'", file=name, line=raw["__keylines__"].get(key),
                        expected="one of " + ", ".join(sorted(TOP_LEVEL_KEYS)))
    source, _ = strip_lines(raw.get("source") or {})
    references: dict[str, tuple[dict[str, Any], int]] = {}
    for key, value in (raw.get("references") or {}).items():
        if key in ("__line__", "__keylines__"):
            continue
        line = raw["references"]["__keylines__"].get(key, 1)
        if not isinstance(value, dict):
            raise LoadError(f"reference '{key}' must be a mapping", file=name, line=line,
                            expected="{source: PMID:..|DOI:.., reference: ...}")
        references[key] = (strip_lines(value)[0], line)
    records: list[RawRecord] = []
    for kind, key in (("entity", "entities"), ("edge", "edges")):
        items = raw.get(key) or []
        if not isinstance(items, list):
            raise LoadError(f"'{key}' must be a list", file=name, line=raw["__keylines__"].get(key),
                            expected="a YAML list of mappings")
        for item in items:
            if not isinstance(item, dict):
                raise LoadError(f"each item of '{key}' must be a mapping", file=name,
                                line=raw["__keylines__"].get(key), expected="a mapping of fields")
            data, lines = strip_lines(item)
            records.append(RawRecord(kind, data, name, item["__line__"], lines))
    return ParsedFile(name, source, references, records)
