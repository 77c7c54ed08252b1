"""Ad-hoc Cypher (`kg cypher`): read-only unless asked, parameters as driver parameters, plain values out.

Read-only is enforced twice, and neither time by looking at keywords: the query is first planned with EXPLAIN
(nothing runs) and refused unless the plan is a plain read (kg.neo4j.read_policy: query type `r`, no
administration command, no LOAD CSV, only allow-listed procedures and functions); then it runs in a read
transaction, whose access mode makes the server refuse any write that got past the plan. `--write` runs it in a
write transaction instead.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.neo4j.connection import Connection
from kg.neo4j.read_policy import Operator, refusal

QUERY_SUFFIXES = (".cypher", ".cyp", ".cql")
PARAM_TYPES = ("string", "int", "float", "bool", "json")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?P<type>\w+))?=(?P<value>.*)$", re.DOTALL)


@dataclass
class CypherResult:
    columns: list[str]
    rows: list[dict[str, Any]]
    counters: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def read_query(query: str) -> str:
    """QUERY itself, or the text of FILE.cypher when QUERY names one (a trailing `;` is dropped)."""
    text = query
    if query.endswith(QUERY_SUFFIXES) and "\n" not in query and len(query) < 4096:
        path = Path(query)
        if not path.is_file():
            raise InputError(f"{query}: no such query file")
        text = path.read_text(encoding="utf-8")
    text = text.strip().removesuffix(";").strip()
    if not text:
        raise InputError("the query is empty")
    return text


def parse_params(pairs: Iterable[str]) -> dict[str, Any]:
    """`NAME=VALUE` (a string) or `NAME:TYPE=VALUE` (TYPE: string, int, float, bool, json) to driver parameters."""
    out: dict[str, Any] = {}
    for pair in pairs:
        m = _PARAM.match(pair)
        if not m:
            raise InputError(f"--param '{pair}' is not NAME=VALUE or NAME:TYPE=VALUE")
        name, ptype, text = m["name"], m["type"] or "string", m["value"]
        if name in out:
            raise InputError(f"--param {name} given twice")
        out[name] = _typed(name, ptype, text)
    return out


def _typed(name: str, ptype: str, text: str) -> Any:
    where = f"--param {name}:{ptype}"
    try:
        if ptype == "string":
            return text
        if ptype == "int":
            return int(text)
        if ptype == "float":
            return float(text)
        if ptype == "bool":
            lowered = text.strip().lower()
            if lowered not in ("true", "false"):
                raise ValueError("not true or false")
            return lowered == "true"
        if ptype == "json":
            from kg.safeio import loads_json

            return loads_json(text, where)  # bounded: a 2,000-deep value would end in RecursionError
    except ValueError as exc:
        raise InputError(f"{where}: '{text}' is not a valid {ptype} ({exc})") from None
    raise InputError(f"{where}: unknown type (types: {', '.join(PARAM_TYPES)})")


# ---- values ------------------------------------------------------------------------------------------------------
def plain(value: Any) -> Any:
    """A driver value as plain JSON-ready data: nodes, relationships and paths as dicts, temporals as ISO text."""
    from neo4j.graph import Node, Path, Relationship

    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": plain(dict(value))}
    if isinstance(value, Relationship):
        return {"type": value.type, "start": _end(value.start_node), "end": _end(value.end_node),
                "properties": plain(dict(value))}
    if isinstance(value, Path):
        return {"nodes": [plain(n) for n in value.nodes], "relationships": [plain(r) for r in value.relationships]}
    if hasattr(value, "iso_format"):  # dates, times, durations (before tuples: a duration is one)
        return value.iso_format()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def _end(node: Any) -> Any:
    """A relationship end: its `id` property when known (kg nodes), else the element id."""
    if node is None:
        return None
    return node.get("id", node.element_id)


# ---- running -----------------------------------------------------------------------------------------------------
@dataclass
class Plan:
    """What EXPLAIN says about a query, and the plugin functions the server has (for the read policy)."""

    query_type: str
    operators: list[Operator]
    user_functions: list[str]


def plan(conn: Connection, text: str, params: Mapping[str, Any]) -> Plan:
    """Neo4j's query type (r, rw, w, s) and plan operators for `text`, from EXPLAIN (nothing is run)."""

    def explain(tx: Any) -> Plan:
        summary = tx.run(f"EXPLAIN {text}", dict(params)).consume()
        operators: list[Operator] = []
        stack = [summary.plan] if summary.plan else []
        while stack:
            node = stack.pop()
            details = str((node.get("args") or {}).get("Details", ""))
            operators.append(Operator(str(node.get("operatorType", "")).split("@")[0], details))
            stack.extend(node.get("children", []))
        return Plan(summary.query_type or "", operators, [])

    def plugin_functions(tx: Any) -> list[str]:
        return [r["name"] for r in tx.run("SHOW FUNCTIONS YIELD name, isBuiltIn WHERE NOT isBuiltIn RETURN name")]

    planned = conn.read(explain)
    if planned.query_type == "r":  # only a read goes on to the function check (and an admin plan forbids more)
        planned.user_functions = conn.read(plugin_functions)
    return planned


def check_read_only(conn: Connection, text: str, params: Mapping[str, Any]) -> None:
    """InputError (exit 2) unless the planned query only reads the database (kg.neo4j.read_policy)."""
    planned = plan(conn, text, params)
    if (why := refusal(planned.query_type, planned.operators, [text], planned.user_functions)) is not None:
        raise InputError(why)


def _collect(tx: Any, text: str, params: Mapping[str, Any]) -> CypherResult:
    result = tx.run(text, dict(params))
    columns = list(result.keys())
    rows = [{c: plain(v) for c, v in zip(columns, record.values(), strict=True)} for record in result]
    summary = result.consume()
    changed = {k: v for k, v in vars(summary.counters).items()
               if not k.startswith("_") and isinstance(v, int) and not isinstance(v, bool) and v}
    return CypherResult(columns, rows, changed, _warnings(summary))


def _warnings(summary: Any) -> list[str]:
    """The server's warnings about the query (deprecated syntax, unknown labels, ...), one line each."""
    out = []
    for status in getattr(summary, "gql_status_objects", ()) or ():
        if status.is_notification and str(status.raw_severity).upper() == "WARNING":
            out.append(" ".join(status.status_description.split()))
    return out


def run(conn: Connection, text: str, params: Mapping[str, Any] | None = None, *, write: bool = False,
        check_plan: bool = True) -> CypherResult:
    """Run `text` with `params` as driver parameters: a read transaction unless `write`.

    `check_plan=False` skips the EXPLAIN check (the read transaction still refuses writes; the tests use it to
    show that the server's access mode holds on its own).
    """
    params = dict(params or {})
    if write:
        from neo4j.exceptions import DatabaseError

        try:
            return conn.write(_collect, text, params)
        except DatabaseError as exc:  # CALL { ... } IN TRANSACTIONS commits its own transactions
            if "implicit transaction" not in (exc.message or ""):
                raise
            return conn.autocommit(_collect, text, params)
    if check_plan:
        check_read_only(conn, text, params)
    return conn.read(_collect, text, params)
