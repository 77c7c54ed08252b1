"""Named queries: one file per query in queries/ (NAME.rq, and NAME.cypher for Neo4j), run by any engine.

The `.rq` file starts with a comment header that declares the query, once, to people and to this registry (the
`.cypher` twin carries only a short comment and may use only the parameters declared here):

    # description: what it answers (continuation lines start with '#   ')
    # param NAME: TYPE [= DEFAULT] [[MIN..MAX]] -- what it means
    # column NAME: TYPE
    # order: COLUMN, COLUMN, ...
    # narrow: COLUMN, COLUMN, ...   (optional: what a narrow table leaves out first, least valuable first)

Parameter types: entity (a name, symbol, synonym or CURIE, resolved with graph.resolve; `entity(disease)` or
`entity(gene_or_protein, protein_complex)` also demands a category, and a name of another kind exits 2 saying what
it is and offering entities of the right kind), publication (a PMID, DOI or PMC CURIE), curie, int, string, bool.
Column types: curie, string, int, list[curie], list[string], and set[curie], set[string] (lists whose order means
nothing: every engine's items come back sorted). Engines: `networkx` (the functions of the
same name in kg/query.py), `sparql` (the RDF store) and `neo4j` (kg.neo4j.named.run_named). Every engine's rows
are normalised to the same Python values and sorted by the declared order, so a parity test can demand equality.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, KgError
from kg.paths import queries_dir

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

ENGINES = ("networkx", "sparql", "neo4j")
PARAM_TYPES = ("entity", "publication", "curie", "int", "string", "bool")
COLUMN_TYPES = ("curie", "string", "int", "list[curie]", "list[string]", "set[curie]", "set[string]")
LIST_SEPARATOR = "\t"  # how SPARQL returns a list column: one string, items separated by a tab

_PARAM = re.compile(r"^(?P<name>\w+):\s*(?P<type>\w+)(?:\((?P<kinds>[\w,\s]+)\))?(?:\s*=\s*(?P<default>\S+))?"
                    r"(?:\s*\[(?P<min>-?\d+)\.\.(?P<max>-?\d+)\])?(?:\s*--\s*(?P<doc>.*))?$")
_TRUE, _FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    doc: str = ""
    kinds: tuple[str, ...] = ()  # entity parameters: the categories accepted (empty: any)

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    params: dict[str, Param]
    columns: dict[str, str]
    order: tuple[str, ...]
    path: Path
    text: str = field(repr=False)
    narrow: tuple[str, ...] = ()


def _parse_header(name: str, path: Path, text: str) -> NamedQuery:
    description: list[str] = []
    params: dict[str, Param] = {}
    columns: dict[str, str] = {}
    order: tuple[str, ...] = ()
    narrow: tuple[str, ...] = ()
    last = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        if not raw.startswith("#"):
            break
        line = raw[1:].strip()
        where = f"{path}:{lineno}"
        if raw.startswith("#   ") and last == "description":
            description.append(line)
            continue
        key, _, rest = line.partition(" ") if line.startswith(("param ", "column ")) else line.partition(":")
        rest = rest.strip()
        last = key
        if key == "description":
            description.append(rest)
        elif key == "param":
            m = _PARAM.match(rest)
            if not m or m["type"] not in PARAM_TYPES:
                raise KgError(f"{where}: bad param declaration '{rest}' (types: {', '.join(PARAM_TYPES)})")
            kinds = tuple(k.strip() for k in (m["kinds"] or "").split(",") if k.strip())
            if kinds and m["type"] != "entity":
                raise KgError(f"{where}: only entity parameters take categories ('{rest}')")
            params[m["name"]] = Param(m["name"], m["type"], m["default"],
                                      int(m["min"]) if m["min"] else None, int(m["max"]) if m["max"] else None,
                                      (m["doc"] or "").strip(), kinds)
        elif key == "column":
            col, _, ctype = rest.partition(":")
            if ctype.strip() not in COLUMN_TYPES:
                raise KgError(f"{where}: bad column type '{ctype.strip()}' (types: {', '.join(COLUMN_TYPES)})")
            columns[col.strip()] = ctype.strip()
        elif key == "order":
            order = tuple(c.strip() for c in rest.split(",") if c.strip())
        elif key == "narrow":
            narrow = tuple(c.strip() for c in rest.split(",") if c.strip())
    if not description or not columns:
        raise KgError(f"{path}: the header needs '# description:' and at least one '# column NAME: TYPE'")
    unknown = [c for c in (*order, *narrow) if c not in columns]
    if unknown:
        raise KgError(f"{path}: order or narrow names unknown column(s) {', '.join(unknown)}")
    return NamedQuery(name, " ".join(description), params, columns, order or tuple(columns), path, text, narrow)


@cache
def load(name: str) -> NamedQuery:
    """The named query NAME (from queries/NAME.rq); InputError listing the known ones otherwise."""
    path = queries_dir() / f"{name}.rq"
    if not re.fullmatch(r"\w+", name) or not path.is_file():
        raise InputError(f"unknown named query '{name}' (known: {', '.join(available())})")
    return _parse_header(name, path, path.read_text(encoding="utf-8"))


def available() -> list[str]:
    return sorted(p.stem for p in queries_dir().glob("*.rq"))


# ---- parameters ---------------------------------------------------------------------------------------
def parse_pairs(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`name=value` strings (from --param) to a dict; a malformed or repeated pair is an InputError."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--param '{pair}' is not NAME=VALUE")
        if name.strip() in out:
            raise InputError(f"--param {name.strip()} given twice")
        out[name.strip()] = value
    return out


def bind(query: NamedQuery, raw: Mapping[str, str], graph: KnowledgeGraph) -> dict[str, Any]:
    """Check and convert raw parameter strings to typed values (entities resolved to CURIEs)."""
    unknown = sorted(set(raw) - set(query.params))
    if unknown:
        known = ", ".join(query.params) or "none"
        raise InputError(f"query '{query.name}' has no parameter {', '.join(unknown)} (parameters: {known})")
    missing = [p.name for p in query.params.values() if p.required and p.name not in raw]
    if missing:
        raise InputError(f"query '{query.name}' needs --param {' --param '.join(m + '=...' for m in missing)}")
    values: dict[str, Any] = {}
    for p in query.params.values():
        text = raw.get(p.name, p.default)
        values[p.name] = _convert(query, p, str(text), graph)
    return values


def _convert(query: NamedQuery, p: Param, text: str, graph: KnowledgeGraph) -> Any:
    where = f"query '{query.name}', parameter {p.name}"
    if p.type == "entity":
        from kg.kinds import require_kind

        return require_kind(graph, text, p.kinds, where=f"{where}: ").id
    if p.type == "publication":
        return _publication(graph, text.strip(), where)
    if p.type == "curie":
        from kg.curie import validate_curie

        try:
            return validate_curie(text.strip())
        except ValueError as exc:
            raise InputError(f"{where}: {exc}") from None
    if p.type == "int":
        try:
            number = int(text)
        except ValueError:
            raise InputError(f"{where}: '{text}' is not an integer") from None
        if (p.minimum is not None and number < p.minimum) or (p.maximum is not None and number > p.maximum):
            raise InputError(f"{where}: {number} is outside {p.minimum}..{p.maximum}")
        return number
    if p.type == "bool":
        if text.strip().lower() not in _TRUE + _FALSE:
            raise InputError(f"{where}: '{text}' is not true or false")
        return text.strip().lower() in _TRUE
    return text


def _publication(graph: KnowledgeGraph, text: str, where: str) -> str:
    """A publication CURIE; an entity's name instead exits 2 listing the publications that cite it."""
    from kg.curie import validate_curie
    from kg.errors import ResolveError
    from kg.schema import load_schema

    prefixes = load_schema().evidence_prefixes
    try:
        return validate_curie(text, prefixes)
    except ValueError as exc:
        problem = str(exc)
    try:
        entity = graph.resolve(text)
    except ResolveError:
        raise InputError(f"{where}: {problem}") from None
    from kg.kinds import kind_word

    cited = sorted({ev.source for e in graph.incident_edges(entity.id) for ev in e.evidence}
                   | {ev.source for ev in entity.evidence})
    hint = f"; publications cited for it: {', '.join(cited[:8])}{', ...' if len(cited) > 8 else ''}" if cited else ""
    raise InputError(f"{where}: '{text}' is {entity.label} ({entity.id}), a {kind_word(entity.category)}; expected "
                     f"a publication ({', '.join(p + ':...' for p in prefixes)}){hint}")


# ---- normalising rows ----------------------------------------------------------------------------------
def _from_term(value: Any, ctype: str) -> Any:
    """A SPARQL result term to the Python value of its column type."""
    from kg.rdf.terms import Lit
    from kg.rdf.vocab import curie

    if value is None:
        return [] if ctype.startswith(("list[", "set[")) else None
    text = value.value if isinstance(value, Lit) else value
    if ctype == "int":
        return int(text)
    if ctype == "curie":
        return text if isinstance(value, Lit) else curie(text)
    if ctype.startswith(("list[", "set[")):
        items = text.split(LIST_SEPARATOR) if text else []
        if ctype.endswith("[curie]"):
            items = [curie(item) if "://" in item or item.startswith("urn:") else item for item in items]
        return sorted(items) if ctype.startswith("set[") else items
    return text


def _from_python(value: Any, ctype: str) -> Any:
    if value is None:
        return [] if ctype.startswith(("list[", "set[")) else None
    if ctype == "int":
        return int(value)
    if ctype.startswith("list["):
        return [str(v) for v in value]
    if ctype.startswith("set["):
        return sorted(str(v) for v in value)
    return str(value)


def _sort_key(order: tuple[str, ...]) -> Any:
    return lambda row: tuple((row[c] is not None, row[c] if row[c] is not None else "") for c in order)


def normalise(query: NamedQuery, rows: list[dict[str, Any]], *, from_sparql: bool = False) -> list[dict[str, Any]]:
    """Rows restricted to the declared columns, typed, and sorted by the declared order."""
    convert = _from_term if from_sparql else _from_python
    out = [{c: convert(row.get(c), t) for c, t in query.columns.items()} for row in rows]
    return sorted(out, key=_sort_key(query.order))


# ---- engines ---------------------------------------------------------------------------------------------
def run(name: str, raw_params: Mapping[str, str], graph: KnowledgeGraph, *, engine: str = "networkx",
        store: Any = None) -> list[dict[str, Any]]:
    """Run a named query; `store` is the Oxigraph store for the sparql engine (an in-memory one if None)."""
    if engine not in ENGINES:
        raise InputError(f"unknown engine '{engine}' (engines: {', '.join(ENGINES)})")
    query = load(name)
    params = bind(query, raw_params, graph)
    if engine == "networkx":
        return normalise(query, _run_networkx(query, params, graph))
    if engine == "sparql":
        return normalise(query, run_sparql(query, params, store if store is not None else _memory(graph)),
                         from_sparql=True)
    return normalise(query, _run_neo4j(query, params))


def _run_networkx(query: NamedQuery, params: dict[str, Any], graph: KnowledgeGraph) -> list[dict[str, Any]]:
    from kg import query as nxq

    func = getattr(nxq, query.name, None)
    if func is None:
        raise KgError(f"named query '{query.name}' has no networkx implementation in kg/query.py")
    return func(graph, **params)


def run_sparql(query: NamedQuery, params: dict[str, Any], store: Any) -> list[dict[str, Any]]:
    """The query's SPARQL text on a store, each parameter bound as one RDF term."""
    from kg.rdf.sparql import query as sparql_query

    return sparql_query(store, query.text, sparql_bindings(query, params)).rows


def sparql_bindings(query: NamedQuery, params: dict[str, Any]) -> dict[str, Any]:
    from kg.rdf.terms import Lit, boolean, integer
    from kg.rdf.vocab import iri

    terms: dict[str, Any] = {}
    for name, value in params.items():
        ptype = query.params[name].type
        if ptype in ("entity", "curie", "publication"):
            terms[name] = iri(value)
        elif ptype == "int":
            terms[name] = integer(value)
        elif ptype == "bool":
            terms[name] = boolean(value)
        else:
            terms[name] = Lit(value)
    return terms


def _memory(graph: KnowledgeGraph) -> Any:
    from kg.rdf.store import memory_store

    return memory_store(graph)


def _run_neo4j(query: NamedQuery, params: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        from kg.neo4j.named import run_named
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("kg.neo4j"):
            raise InputError("the neo4j engine is not available in this installation (no kg.neo4j.named)") from None
        raise
    return run_named(query.name, params)
