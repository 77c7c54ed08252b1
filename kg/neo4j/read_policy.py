"""What read-only `kg cypher` lets through, decided from the server's own plan (EXPLAIN), never from keywords.

Neo4j's query type alone is not enough: it calls `TERMINATE TRANSACTIONS` (which kills other sessions' queries),
`SHOW SETTINGS`, `SHOW TRANSACTIONS` (other users' query text) and the `db.stats.*` procedures (which start and
clear server-side collection) reads. So a read must pass three checks:

- the query type is `r`;
- every plan operator is a read: commands other than the schema-describing SHOW commands are refused, and so are
  `LOAD CSV` (the server reads files or URLs) and `CALL { ... } IN TRANSACTIONS` (it commits on its own);
- every procedure called is on READ_PROCEDURES, and no user-defined function outside READ_FUNCTION_PREFIXES is
  used (Neo4j's built-in functions have no side effects; plugins' may).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Procedures that only read the graph or describe its schema (Neo4j 5 names).
READ_PROCEDURES = frozenset({
    "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.info", "db.ping",
    "db.schema.visualization", "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
    "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
    "db.index.fulltext.listAvailableAnalyzers", "db.index.vector.queryNodes", "db.index.vector.queryRelationships",
})
# User-defined (plugin) functions allowed in a read: APOC's pure text, list, map and conversion helpers.
READ_FUNCTION_PREFIXES = ("apoc.text.", "apoc.coll.", "apoc.map.", "apoc.convert.", "apoc.math.", "apoc.number.")
# Command operators that only describe the schema.
READ_COMMANDS = frozenset({"ShowIndexes", "ShowConstraints", "ShowProcedures", "ShowFunctions"})
_COMMAND = re.compile(r"^(Show|Terminate|Administration|Create|Drop|Alter|Grant|Deny|Revoke|Rename|Enable|Start|"
                      r"Stop|Deallocate|Reallocate)")
_IN_TRANSACTIONS = frozenset({"TransactionApply", "TransactionForeach"})
_QUERY_TYPES = {"r": "a read", "rw": "a read and write", "w": "a write", "s": "a schema or administration"}
_WRITE_HINT = "kg cypher is read-only unless --write is given"


@dataclass(frozen=True)
class Operator:
    """One plan operator: its name (e.g. ProcedureCall) and the server's details text."""

    name: str
    details: str = ""


def procedure_name(details: str) -> str:
    """The procedure a ProcedureCall operator calls, from its details (`db.labels() :: (label :: STRING)`)."""
    return details.split("(", 1)[0].strip().strip("`")


def functions_used(texts: Iterable[str], user_functions: Iterable[str]) -> list[str]:
    """The user-defined functions (by the server's names) that appear as calls in any of `texts`."""
    found = []
    for name in user_functions:
        parts = [re.escape(p) for p in name.split(".")]
        pattern = re.compile(r"`?" + r"`?\s*\.\s*`?".join(parts) + r"`?\s*\(", re.IGNORECASE)
        if any(pattern.search(t) for t in texts):
            found.append(name)
    return sorted(found)


def refusal(query_type: str, operators: Iterable[Operator], texts: Iterable[str] = (),
            user_functions: Iterable[str] = ()) -> str | None:
    """Why the planned query is not a plain read (a message for people), or None when it is."""
    if query_type != "r":
        kind = _QUERY_TYPES.get(query_type, f"a '{query_type}'")
        return f"Neo4j plans this as {kind} query; {_WRITE_HINT}"
    operators = list(operators)
    for op in operators:
        if op.name == "LoadCSV":
            return f"LOAD CSV makes the server read files or URLs; {_WRITE_HINT}"
        if op.name in _IN_TRANSACTIONS:
            return f"CALL {{ ... }} IN TRANSACTIONS commits transactions of its own; {_WRITE_HINT}"
        if _COMMAND.match(op.name) and op.name not in READ_COMMANDS:
            return (f"{op.name} is an administration command (kg cypher allows only SHOW INDEXES, SHOW "
                    f"CONSTRAINTS, SHOW PROCEDURES and SHOW FUNCTIONS); {_WRITE_HINT}")
        if op.name == "ProcedureCall" and (name := procedure_name(op.details)) not in READ_PROCEDURES:
            return (f"the procedure {name} is not on kg's list of read-only procedures "
                    f"({', '.join(sorted(READ_PROCEDURES))}); {_WRITE_HINT}")
    texts = [*texts, *(op.details for op in operators)]
    for name in functions_used(texts, user_functions):
        if not name.lower().startswith(READ_FUNCTION_PREFIXES):
            return f"the function {name} comes from a plugin and is not on kg's read-only list; {_WRITE_HINT}"
    return None
