"""SPARQL federation (`SERVICE <url> { ... }`) is off unless asked for, and then only to listed hosts.

Oxigraph follows a SERVICE clause by making an HTTP request from the machine that runs the query to whatever
address the query names (a loopback admin port, a cloud metadata address, ...). kg decides from the query's
algebra, not its text: the query is parsed (rdflib's SPARQL parser, which also expands `\\u` escapes as the
standard requires) and every SERVICE node in the algebra tree is collected, wherever it sits (OPTIONAL, MINUS,
FILTER EXISTS, subqueries, updates). A SERVICE whose endpoint is a variable cannot be checked and is refused.
Should rdflib not parse a query that Oxigraph might (an Oxigraph extension), the fallback is lexical and strict:
any SERVICE keyword outside strings, IRIs and comments refuses it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kg.errors import InputError

# An endpoint kg may call: http(s), a plain host name or address, an optional port; no user-info, no oddities
# that parsers read differently.
_ENDPOINT = re.compile(r"https?://(?P<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(?P<port>\d{1,5}))?(?:[/?#]\S*)?")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NOT_CODE = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"'
                       r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\x00-\x20]*>|#[^\n]*", re.DOTALL)
_SERVICE_WORD = re.compile(r"(?<![\w:?$])SERVICE(?![\w:])", re.IGNORECASE)
UNCHECKABLE = "?"  # stands for a SERVICE endpoint that is not a constant IRI


def service_endpoints(text: str, prefixes: Mapping[str, str], *, update: bool = False) -> list[str] | None:
    """The endpoints of every SERVICE in the query's algebra (UNCHECKABLE for a variable); None when rdflib
    cannot parse the query (the caller falls back to `mentions_service`)."""
    found = _service_endpoints(text, tuple(sorted(prefixes.items())), update)
    return None if found is None else list(found)


@functools.lru_cache(maxsize=256)  # named queries run again and again; parsing costs milliseconds
def _service_endpoints(text: str, prefixes: tuple[tuple[str, str], ...], update: bool) -> tuple[str, ...] | None:
    from pyparsing import ParseException
    from rdflib.plugins.sparql import algebra, parser
    from rdflib.term import URIRef

    try:
        if update:
            tree: Any = algebra.translateUpdate(parser.parseUpdate(text), initNs=dict(prefixes))
        else:
            tree = algebra.translateQuery(parser.parseQuery(text), initNs=dict(prefixes)).algebra
    except (ParseException, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        # rdflib raises assorted errors on syntax it lacks (Oxigraph extensions, SPARQL 1.2)
        return None
    except Exception as exc:  # rdflib raises a bare Exception for an unknown prefix; nothing else is expected
        if "prefix" not in str(exc).lower():
            raise
        return None
    return tuple(str(term) if isinstance(term, URIRef) else UNCHECKABLE for term in _service_terms(tree))


def _service_terms(tree: Any) -> Iterable[Any]:
    """Every ServiceGraphPattern's endpoint term in an rdflib algebra tree (iteratively: trees can be deep)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [tree], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                yield node.get("term")
            stack.extend(node.values())
        elif isinstance(node, Mapping):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, set)):
            stack.extend(node)


def mentions_service(text: str) -> bool:
    """True when SERVICE occurs as a keyword (after `\\u` escapes are expanded; strings, IRIs, comments aside)."""
    expanded = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    return _SERVICE_WORD.search(_NOT_CODE.sub(" ", expanded)) is not None


def endpoint_host(iri: str) -> tuple[str, str] | None:
    """(host lower-cased, port or '') of an endpoint IRI kg could call; None for anything else."""
    m = _ENDPOINT.fullmatch(iri)
    return None if m is None else (m.group("host").lower(), m.group("port") or "")


def host_allowed(iri: str, allowed: Iterable[str]) -> bool:
    """True when the endpoint's host is listed in `allowed`: `HOST` (any port) or `HOST:PORT`."""
    parsed = endpoint_host(iri)
    if parsed is None:
        return False
    host, port = parsed
    names = {a.strip().lower() for a in allowed}
    return host in names or (bool(port) and f"{host}:{port}" in names)


def check_services(text: str, prefixes: Mapping[str, str], allowed: Sequence[str] = (), *,
                   update: bool = False) -> None:
    """InputError (exit 2) unless every SERVICE in the query goes to a host in `allowed` (HOST or HOST:PORT)."""
    endpoints = service_endpoints(text, prefixes, update=update)
    if endpoints is None:
        if mentions_service(text):
            raise InputError("kg cannot check where this query's SERVICE clauses go (its parser does not read "
                             "the query), so it is refused")
        return
    for endpoint in endpoints:
        if not allowed:
            raise InputError(f"the query calls SERVICE <{endpoint}>: federated queries make this machine send "
                             "requests to the address the query names; kg refuses them unless --allow-service "
                             "HOST names the host")
        if endpoint == UNCHECKABLE:
            raise InputError("the query calls SERVICE with a variable endpoint, which kg cannot check; name "
                             "the endpoint IRI")
        if not host_allowed(endpoint, allowed):
            raise InputError(f"the query calls SERVICE <{endpoint}>, whose host is not allowed (--allow-service: "
                             f"{', '.join(sorted(allowed))})")
