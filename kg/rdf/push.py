"""Load the RDF view into any SPARQL 1.1 store by the Graph Store HTTP Protocol (`kg rdf push`).

The graph's triples go to one named graph as N-Triples in batches: the first batch with PUT (which replaces
whatever the graph held), the rest with POST (which adds). Pushing the same build twice leaves the same graph, and
other graphs in the store are never touched. kg writes no blank nodes, so batches split anywhere. With `append`
every batch is a POST (for stores without PUT, such as QLever): an RDF graph is a set, so pushing the same build
again still changes nothing, but triples a newer build dropped stay until the graph is cleared.

Credentials come only from the environment and never appear in output or errors: KG_RDF_TOKEN (sent as a
Bearer token: QLever's access token, a GraphDB token), or KG_RDF_USER and KG_RDF_PASSWORD (HTTP Basic or Digest,
as the server asks: GraphDB, Virtuoso's /sparql-graph-crud-auth). An endpoint URL that carries a user or password
is refused.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from kg.errors import InputError, KgError

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

log = logging.getLogger(__name__)

ENV_TOKEN, ENV_USER, ENV_PASSWORD = "KG_RDF_TOKEN", "KG_RDF_USER", "KG_RDF_PASSWORD"
N_TRIPLES = "application/n-triples"
MAX_BATCH = 5_000_000


@dataclass(frozen=True)
class PushReport:
    """What was sent where (the endpoint as given, which holds no credentials)."""

    endpoint: str
    graph: str
    triples: int
    batches: int
    seconds: float

    def row(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "graph": self.graph, "triples": self.triples, "batches": self.batches,
                "seconds": round(self.seconds, 3)}


def default_graph_iri() -> str:
    """The named graph kg pushes to unless told otherwise (schema/rdf.yaml `store: named_graph`)."""
    from kg.rdf.vocab import vocab

    return vocab().named_graph


def check_endpoint(endpoint: str) -> str:
    """The endpoint URL, if it is an http(s) URL without credentials in it (InputError otherwise)."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("--endpoint must be an http:// or https:// URL of a Graph Store Protocol service "
                         "(e.g. http://localhost:7878/store)")
    if parts.username is not None or parts.password is not None:
        raise InputError(f"--endpoint must not carry credentials; set {ENV_TOKEN}, or {ENV_USER} and "
                         f"{ENV_PASSWORD}, in the environment instead")
    return endpoint


def check_graph_iri(iri: str) -> str:
    parts = urlsplit(iri)
    if not parts.scheme or any(ch in iri for ch in ' <>"{}|\\^`') or (parts.scheme in ("http", "https")
                                                                    and not parts.netloc):
        raise InputError(f"--graph must be an absolute IRI (e.g. {default_graph_iri()}), not '{iri}'")
    return iri


def graph_url(endpoint: str, graph: str) -> str:
    """The Graph Store Protocol URL of one named graph (indirect identification, `?graph=`)."""
    return endpoint + ("&" if urlsplit(endpoint).query else "?") + urlencode({"graph": graph})


def batches(lines: Iterable[str], size: int) -> Iterator[tuple[int, bytes]]:
    """N-Triples lines in batches of `size` triples: (count, UTF-8 bytes). At least one batch, maybe empty."""
    batch: list[str] = []
    sent = False
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield len(batch), "".join(batch).encode("utf-8")
            batch, sent = [], True
    if batch or not sent:
        yield len(batch), "".join(batch).encode("utf-8")


def bearer_header(env: Mapping[str, str]) -> dict[str, str]:
    """The Authorization header for a token in the environment (none without one)."""
    token = env.get(ENV_TOKEN)
    return {"Authorization": f"Bearer {token}"} if token else {}


def _opener(endpoint: str, env: Mapping[str, str]) -> Any:
    """A urllib opener that answers Basic and Digest challenges with the environment's user and password."""
    import urllib.request

    handlers: list[Any] = []
    user, password = env.get(ENV_USER), env.get(ENV_PASSWORD)
    if user and password:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, endpoint, user, password)
        handlers += [urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)]
    elif user or password:
        raise InputError(f"set both {ENV_USER} and {ENV_PASSWORD} (or {ENV_TOKEN}), not one of them")
    return urllib.request.build_opener(*handlers)


def _send(opener: Any, method: str, url: str, body: bytes, headers: dict[str, str], timeout: float) -> None:
    import urllib.error
    import urllib.request

    # the URL's scheme was checked to be http(s) by check_endpoint
    request = urllib.request.Request(url, data=body, method=method,  # noqa: S310
                                     headers={"Content-Type": N_TRIPLES, **headers})
    try:
        with opener.open(request, timeout=timeout) as reply:
            reply.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace").strip()
        raise KgError(f"{method} {url}: the store answered HTTP {exc.code} {exc.reason}"
                      + (f": {detail}" if detail else "")) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise KgError(f"{method} {url}: cannot reach the store ({reason})") from None


def push(graph: KnowledgeGraph, endpoint: str, graph_iri: str | None = None, *, batch_size: int = 100_000,
         timeout: float = 300.0, append: bool = False, env: Mapping[str, str] | None = None) -> PushReport:
    """Replace the named graph `graph_iri` at the Graph Store Protocol `endpoint` with the graph's triples."""
    from kg.rdf.mapping import graph_triples
    from kg.rdf.terms import ntriples_lines

    env = os.environ if env is None else env
    endpoint, graph_iri = check_endpoint(endpoint), check_graph_iri(graph_iri or default_graph_iri())
    if not 1 <= batch_size <= MAX_BATCH:
        raise InputError(f"--batch-size must be between 1 and {MAX_BATCH} triples")
    opener, headers, url = _opener(endpoint, env), bearer_header(env), graph_url(endpoint, graph_iri)
    start, total, count = time.perf_counter(), 0, 0
    for count, (n, body) in enumerate(batches(ntriples_lines(graph_triples(graph)), batch_size), start=1):
        _send(opener, "PUT" if count == 1 and not append else "POST", url, body, headers, timeout)
        total += n
        log.info("batch %d: %d triples (%d in all)", count, n, total)
    return PushReport(endpoint, graph_iri, total, count, time.perf_counter() - start)
