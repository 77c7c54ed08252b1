"""Files for `neo4j-admin database import full`: the bulk path for graphs too big to push over Bolt.

`write_import_files(graph, folder)` writes
- `nodes.csv`: `id:ID(KgEntity)`, one typed column per node property (`synonyms:string[]`, ...), `:LABEL`
  (`KgEntity` and the category's label);
- `relationships.csv`: `:START_ID(KgEntity)`, `:END_ID(KgEntity)`, `:TYPE`, `id`, one typed column per property;
- `constraints.cypher`: the uniqueness constraints `kg neo4j push` creates, to run once after the import;
- `README.txt`: the exact `neo4j-admin database import full ...` command line and what to do next.

The properties are those of `kg neo4j push` (kg.neo4j.mapping), so an imported database equals a pushed one and
`kg neo4j pull` reads it back. CSV conventions (RFC 4180, which neo4j-admin follows): every present value is
quoted and inner double quotes are doubled, so commas, quotes, apostrophes (`Crohn's`) and newlines survive
(the import needs `--multiline-fields=true`); an absent property is an empty unquoted field; array items are
separated by U+001F (`--array-delimiter=U+001F`), a control character that no kg value may contain.
`read_import_files(folder)` parses the files back into a KnowledgeGraph (what the tests compare).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from kg.errors import InputError, KgError
from kg.graph import KnowledgeGraph
from kg.neo4j.mapping import (
    MARKER_LABEL,
    edge_key_types,
    edge_properties,
    entity_key_types,
    entity_properties,
    node_label,
    relationship_type,
)

NODES_FILE = "nodes.csv"
RELATIONSHIPS_FILE = "relationships.csv"
CONSTRAINTS_FILE = "constraints.cypher"
README_FILE = "README.txt"
ARRAY_DELIMITER = "\x1f"
ARRAY_DELIMITER_OPTION = "U+001F"
ID_SPACE = MARKER_LABEL


# ---- writing ---------------------------------------------------------------------------------------------------
def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _field(value: Any, ctype: str, where: str) -> str:
    if value is None:
        return ""
    if ctype.endswith("[]"):
        items = [str(v) for v in value]
        bad = [v for v in items if ARRAY_DELIMITER in v]
        if bad:
            raise KgError(f"{where}: the value {bad[0]!r} contains U+001F, the array delimiter of the import files")
        return _quote(ARRAY_DELIMITER.join(items))
    if ctype == "boolean":
        return "true" if value else "false"
    if ctype in ("long", "double"):
        return repr(value)
    return _quote(str(value))


def _line(fields: Sequence[str]) -> str:
    return ",".join(fields) + "\n"


def node_header() -> list[str]:
    types = entity_key_types()
    return [f"id:ID({ID_SPACE})", *(f"{key}:{ctype}" for key, ctype in types.items() if key != "id"), ":LABEL"]


def relationship_header() -> list[str]:
    types = edge_key_types()
    return [f":START_ID({ID_SPACE})", f":END_ID({ID_SPACE})", ":TYPE",
            *(f"{key}:{ctype}" for key, ctype in types.items())]


def _node_lines(graph: KnowledgeGraph) -> Iterator[str]:
    types = entity_key_types()
    yield _line(node_header())
    for ent in graph.entities:
        props = entity_properties(ent)
        labels = _quote(ARRAY_DELIMITER.join([MARKER_LABEL, node_label(ent.category)]))
        yield _line([_field(props.get(key), ctype, ent.id) for key, ctype in types.items()] + [labels])


def _relationship_lines(graph: KnowledgeGraph) -> Iterator[str]:
    types = edge_key_types()
    yield _line(relationship_header())
    for edge in graph.edges:
        props = edge_properties(edge)
        yield _line([_quote(edge.subject), _quote(edge.object), _quote(relationship_type(edge.predicate)),
                     *(_field(props.get(key), ctype, edge.id) for key, ctype in types.items())])


def import_command(folder: Path, database: str = "neo4j") -> str:
    """The neo4j-admin command line that imports the files in `folder` into `database` (which must be empty)."""
    folder = folder.resolve()
    args = ["neo4j-admin", "database", "import", "full", database,
            f"--nodes={folder / NODES_FILE}", f"--relationships={folder / RELATIONSHIPS_FILE}",
            f"--array-delimiter={ARRAY_DELIMITER_OPTION}", "--multiline-fields=true", "--id-type=string"]
    return shlex.join(args)


def constraint_script() -> str:
    from kg.neo4j.push import constraint_statements

    return "".join(f"{stmt};\n" for stmt in constraint_statements())


def _readme(folder: Path, graph: KnowledgeGraph, database: str) -> str:
    return f"""kg graph for neo4j-admin database import ({len(graph)} nodes, {len(graph.edges)} relationships)

Files
  {NODES_FILE}          one row per entity: id:ID({ID_SPACE}), typed property columns, :LABEL
  {RELATIONSHIPS_FILE}  one row per edge: :START_ID, :END_ID, :TYPE, id (the deterministic edge id), properties
  {CONSTRAINTS_FILE}    the uniqueness constraints `kg neo4j push` creates

Import (Neo4j 5, the DBMS stopped or the database '{database}' absent or empty; add --overwrite-destination=true
to replace an existing database):

  {import_command(folder, database)}

Then start Neo4j (on a new database: CREATE DATABASE {database}) and create the constraints, e.g.
  cypher-shell -d {database} -f {folder.resolve() / CONSTRAINTS_FILE}

Conventions: values are quoted RFC 4180 style (inner quotes doubled) and may span lines (--multiline-fields=true);
an empty unquoted field is an absent property; array items are separated by U+001F (--array-delimiter=U+001F).
Values are exact, for neo4j-admin: do not open these files in a spreadsheet (a value starting with =, +, - or @
would run as a formula); `kg export kgx` writes spreadsheet-safe TSV.
Nested records (evidence, kinetics, parameters, variant effects) are canonical JSON in the *_json properties.
`kg neo4j pull` reads the imported graph back.
"""


def write_import_files(graph: KnowledgeGraph, folder: Path, database: str = "neo4j") -> list[Path]:
    """Write the import files into `folder` (created if needed); return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, lines in ((NODES_FILE, _node_lines(graph)), (RELATIONSHIPS_FILE, _relationship_lines(graph))):
        path = folder / name
        tmp = folder / f".{name}.tmp"
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            fh.writelines(lines)
        tmp.replace(path)
        written.append(path)
    for name, text in ((CONSTRAINTS_FILE, constraint_script()), (README_FILE, _readme(folder, graph, database))):
        (folder / name).write_text(text, encoding="utf-8", newline="")
        written.append(folder / name)
    return written


# ---- reading back ----------------------------------------------------------------------------------------------
def parse_csv(text: str) -> Iterator[list[str | None]]:
    """RFC 4180 records as neo4j-admin reads them: a quoted field is a string (maybe empty), an empty unquoted
    field is None (absent). Quoted fields may contain commas, doubled quotes and newlines."""
    i, n = 0, len(text)
    while i < n:
        record: list[str | None] = []
        while True:
            if i < n and text[i] == '"':
                i += 1
                parts = []
                while True:
                    j = text.find('"', i)
                    if j < 0:
                        raise InputError("unterminated quoted field in CSV")
                    parts.append(text[i:j])
                    if j + 1 < n and text[j + 1] == '"':
                        parts.append('"')
                        i = j + 2
                        continue
                    i = j + 1
                    break
                record.append("".join(parts))
            else:
                j = i
                while j < n and text[j] not in ",\n":
                    j += 1
                raw = text[i:j].removesuffix("\r")
                record.append(raw if raw else None)
                i = j
            if i < n and text[i] == ",":
                i += 1
                continue
            if i < n and text[i] == "\r":
                i += 1
            if i < n and text[i] == "\n":
                i += 1
            break
        yield record


def _value(raw: str | None, ctype: str) -> Any:
    if raw is None:
        return None
    if ctype.endswith("[]"):
        return raw.split(ARRAY_DELIMITER)
    if ctype == "boolean":
        return raw == "true"
    if ctype == "long":
        return int(raw)
    if ctype == "double":
        return float(raw)
    return raw


def _columns(header: list[str | None]) -> list[tuple[str, str]]:
    """(name, type) per header field: `name:type`, `name` (string), `:LABEL`, `id:ID(space)`, ..."""
    out = []
    for field in header:
        name, _, ctype = (field or "").partition(":")
        if ctype.startswith(("ID", "START_ID", "END_ID")):
            ctype = ctype.split("(")[0]
        out.append((name, ctype or "string"))
    return out


def read_import_files(folder: Path) -> KnowledgeGraph:
    """The graph in import files written by `write_import_files` (validated like a source)."""
    from kg.neo4j.pull import _edge, _entity

    def rows(name: str) -> tuple[list[tuple[str, str]], list[list[str | None]]]:
        records = list(parse_csv((folder / name).read_bytes().decode("utf-8")))
        if not records:
            raise InputError(f"{folder / name}: empty file (no header)")
        return _columns(records[0]), records[1:]

    columns, records = rows(NODES_FILE)
    entities = []
    for record in records:
        props, labels = {}, []
        for (name, ctype), raw in zip(columns, record, strict=True):
            if ctype == "LABEL":
                labels = (raw or "").split(ARRAY_DELIMITER)
            elif (value := _value(raw, "string" if ctype == "ID" else ctype)) is not None:
                props[name] = value
        if MARKER_LABEL not in labels:
            raise KgError(f"{folder / NODES_FILE}: node {props.get('id')} lacks the label {MARKER_LABEL}")
        entities.append(_entity(props, labels))
    columns, records = rows(RELATIONSHIPS_FILE)
    edges = []
    for record in records:
        props, ends, rtype = {}, {}, ""
        for (name, ctype), raw in zip(columns, record, strict=True):
            if ctype in ("START_ID", "END_ID"):
                ends[ctype] = raw
            elif ctype == "TYPE":
                rtype = raw or ""
            elif (value := _value(raw, ctype)) is not None:
                props[name] = value
        edges.append(_edge(props, ends["START_ID"], ends["END_ID"], rtype))
    return KnowledgeGraph(entities, edges)
