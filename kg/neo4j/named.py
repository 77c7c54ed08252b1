"""Named queries on Neo4j: queries/NAME.cypher, run in a read transaction with driver parameters.

A named query is declared once, by the header of queries/NAME.rq (description, parameters with types and
defaults, columns with types, order), which kg.named_queries reads; NAME.cypher is plain Cypher with a short
comment. `kg.named_queries.run(..., engine="neo4j")` binds and types the parameters from that declaration, calls
`run_named` here, and normalises the rows (types, order) like every other engine's.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, KgError
from kg.paths import queries_dir

if TYPE_CHECKING:
    from kg.neo4j.connection import Connection

# What can hide a `$name` that is not a parameter: comments and string literals.
_NOT_CODE = re.compile(r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", re.DOTALL)
_PARAMETER = re.compile(r"\$(?:([A-Za-z_][A-Za-z0-9_]*)|`([^`]+)`)")


def available() -> list[str]:
    return sorted(p.stem for p in queries_dir().glob("*.cypher"))


@cache
def cypher_text(name: str) -> str:
    """The text of queries/NAME.cypher."""
    path = queries_dir() / f"{name}.cypher"
    if not re.fullmatch(r"\w+", name) or not path.is_file():
        raise InputError(f"named query '{name}' has no Cypher form (queries/{name}.cypher; "
                         f"known: {', '.join(available())})")
    return path.read_text(encoding="utf-8")


def parameters(text: str) -> set[str]:
    """The `$parameters` a Cypher text uses (outside comments and string literals)."""
    code = _NOT_CODE.sub(" ", text)
    return {m[1] or m[2] for m in _PARAMETER.finditer(code)}


def check(name: str) -> None:
    """queries/NAME.cypher uses only parameters that NAME.rq declares (KgError naming the others)."""
    from kg import named_queries as nq

    declared = set(nq.load(name).params)
    undeclared = sorted(parameters(cypher_text(name)) - declared)
    if undeclared:
        raise KgError(f"queries/{name}.cypher uses ${', $'.join(undeclared)}, which queries/{name}.rq does not "
                      f"declare (declared: {', '.join(sorted(declared)) or 'none'})")


def run_named(name: str, params: dict[str, Any], conn: Connection | None = None) -> list[dict[str, Any]]:
    """Rows of queries/NAME.cypher (with exactly the columns NAME.rq declares), run in a read transaction.

    `params` are already bound and typed (kg.named_queries.bind); they travel as driver parameters. `conn`
    reuses an open connection; otherwise one is made from NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD.
    """
    from kg import named_queries as nq
    from kg.neo4j.connection import connect, translate_errors

    query = nq.load(name)
    check(name)
    text = cypher_text(name)
    used = parameters(text)
    missing = sorted(used - set(params))
    if missing:
        raise InputError(f"query '{name}' needs parameter {', '.join(missing)}")
    values = {key: params[key] for key in used}
    if conn is None:
        with connect() as fresh:
            keys, rows = fresh.read(_keys_and_rows, text, values)
    else:
        with translate_errors(conn.settings):
            keys, rows = conn.read(_keys_and_rows, text, values)
    absent = [c for c in query.columns if c not in keys]
    if absent:
        raise KgError(f"queries/{name}.cypher returns no column {', '.join(absent)} (declared in {name}.rq; "
                      f"it returns {', '.join(keys) or 'nothing'})")
    index = [keys.index(c) for c in query.columns]
    return [{c: row[i] for c, i in zip(query.columns, index, strict=True)} for row in rows]


def _keys_and_rows(tx: Any, text: str, values: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    result = tx.run(text, values)
    keys = list(result.keys())
    return keys, [list(record.values()) for record in result]
