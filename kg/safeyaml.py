"""Bounded, line-aware YAML: the one YAML reader for files a person wrote (sources, cases).

A YAML file is composed into nodes (libyaml when available: linear time, while the pure-Python scanner grows
quadratically with a long scalar), the node graph is measured before anything is constructed, and construction
records the line of every mapping and key. Refused, each with file:line:
- aliases beyond MAX_ALIASES, or aliases that expand past MAX_ALIAS_EXPANSION nodes (a 483-byte alias bomb
  expands to billions), and recursive aliases;
- nesting deeper than MAX_DEPTH; a scalar longer than MAX_SCALAR_CHARS;
- duplicate keys in one mapping (YAML keeps the last silently);
- files over kg.safeio.MAX_SOURCE_BYTES, undecodable bytes, and every YAML syntax error.
The bounds leave ample room for curated data: the current loaders/ use 3 aliases in one file, nesting depth 6
and scalars under 1 KB; a 1,000-entity file is about 113,000 nodes.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from kg.errors import LoadError
from kg.safeio import MAX_SOURCE_BYTES, read_text

MAX_ALIASES = 128
MAX_ALIAS_EXPANSION = 100_000
MAX_DEPTH = 64
MAX_SCALAR_CHARS = 65_536
LINE_KEY, KEYLINES_KEY = "__line__", "__keylines__"

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineLoader(_Base):  # type: ignore[misc, valid-type]
    """A safe loader whose mappings remember where they and each of their keys start, and refuse duplicate keys."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode, deep: bool = False) -> dict[str, Any]:
    first: dict[Any, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in first:
            raise _DuplicateKey(key, line, first[key])
        first[key] = line
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    mapping[KEYLINES_KEY] = {k.value: k.start_mark.line + 1 for k, _ in node.value if hasattr(k, "value")}
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _DuplicateKey(Exception):
    def __init__(self, key: Any, line: int, first: int) -> None:
        super().__init__(key)
        self.key, self.line, self.first = key, line, first


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def check_nodes(root: yaml.Node, display: str) -> None:
    """Measure the composed node graph without expanding it: aliases, their expansion, depth, scalar sizes."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    uses: Counter[int] = Counter()
    visiting: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        line = node.start_mark.line + 1
        if finished:
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            visiting.discard(key)
            if depth[key] > MAX_DEPTH:
                raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", file=display, line=line,
                                expected=f"at most {MAX_DEPTH} levels of nested mappings and lists")
            continue
        uses[key] += 1
        if uses[key] > 1 and sum(uses.values()) - len(uses) > MAX_ALIASES:
            raise LoadError(f"more than {MAX_ALIASES} alias references (*name)", file=display, line=line,
                            expected=f"at most {MAX_ALIASES} aliases per file")
        if key in size:
            continue
        if key in visiting:
            raise LoadError("a recursive alias (an anchor that contains itself)", file=display, line=line,
                            expected="aliases to complete values only")
        if isinstance(node, yaml.ScalarNode) and len(node.value) > MAX_SCALAR_CHARS:
            raise LoadError(f"a value of {len(node.value):,} characters, more than the limit of "
                            f"{MAX_SCALAR_CHARS:,}", file=display, line=line,
                            expected=f"values of at most {MAX_SCALAR_CHARS:,} characters")
        visiting.add(key)
        stack.append((node, True))
        stack.extend((kid, False) for kid in _children(node))
    expansion = size[id(root)] - len(size)
    if expansion > MAX_ALIAS_EXPANSION:
        raise LoadError(f"aliases expand to {expansion:,} extra values, more than the limit of "
                        f"{MAX_ALIAS_EXPANSION:,}", file=display, line=1,
                        expected="aliases that repeat small values (an alias bomb is refused)")


def load_yaml(path: Path, display: str | None = None, *, limit: int = MAX_SOURCE_BYTES) -> Any:
    """The document in a YAML file, each mapping carrying `__line__` and `__keylines__` (see strip_lines)."""
    name = display or str(path)
    text = read_text(path, name, limit=limit, what="YAML file")
    loader = LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_nodes(node, name)
        return loader.construct_document(node)
    except _DuplicateKey as dup:
        raise LoadError(f"duplicate key '{dup.key}' (first at line {dup.first})", file=name, line=dup.line,
                        field=str(dup.key), expected="each key once per mapping") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise LoadError(f"YAML syntax error: {exc.problem or exc}", file=name,
                        line=mark.line + 1 if mark else None, expected="valid YAML") from None
    except yaml.YAMLError as exc:
        raise LoadError(f"YAML error: {exc}", file=name, expected="valid YAML") from None
    finally:
        loader.dispose()


def strip_lines(obj: Any, path: tuple[Any, ...] = (),
                lines: dict[tuple[Any, ...], int] | None = None) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Remove line metadata, returning the clean value and a map from field path to line."""
    lines = {} if lines is None else lines
    if isinstance(obj, dict):
        line = obj.get(LINE_KEY)
        keylines = obj.get(KEYLINES_KEY, {})
        if line is not None:
            lines.setdefault(path, line)
        clean = {}
        for key, value in obj.items():
            if key in (LINE_KEY, KEYLINES_KEY):
                continue
            if key in keylines:
                lines[(*path, key)] = keylines[key]
            clean[key], _ = strip_lines(value, (*path, key), lines)
        return clean, lines
    if isinstance(obj, list):
        return [strip_lines(v, (*path, i), lines)[0] for i, v in enumerate(obj)], lines
    return obj, lines
