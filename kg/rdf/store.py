"""The embedded, on-disk Oxigraph store of the RDF view, kept in the build directory (schema/rdf.yaml names the
folder). `write_store` is a build view writer; the store is reopened read-only for queries."""

from __future__ import annotations

import gc
import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KgError
from kg.rdf.mapping import graph_triples
from kg.rdf.terms import from_oxigraph, ntriples_lines
from kg.rdf.vocab import vocab

if TYPE_CHECKING:
    import pyoxigraph

    from kg.graph import KnowledgeGraph

log = logging.getLogger(__name__)

# The named graph oxrdflib uses for the store's default graph (rdflib's default-graph identifier).
RDFLIB_DEFAULT_GRAPH = "urn:x-rdflib:default"


def store_path(folder: Path) -> Path:
    return Path(folder) / vocab().store_folder


def load_triples(store: pyoxigraph.Store, graph: KnowledgeGraph, scratch: Path) -> None:
    """Bulk-load the graph's triples into the store's default graph (through an N-Triples scratch file)."""
    import pyoxigraph as ox

    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".nt", dir=scratch, delete=False) as fh:
        fh.writelines(ntriples_lines(graph_triples(graph)))
        nt = Path(fh.name)
    try:
        store.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    finally:
        nt.unlink(missing_ok=True)


def write_store(graph: KnowledgeGraph, folder: Path) -> list[str]:
    """Build view writer: write the Oxigraph store into `folder`; returns the names written (relative)."""
    import pyoxigraph as ox

    path = store_path(folder)
    store = ox.Store(str(path))
    try:
        store.clear()
        load_triples(store, graph, Path(folder))
        store.flush()
        store.optimize()
    finally:
        del store
        gc.collect()  # the store's files are closed when the object goes away; the folder is renamed next
    return [vocab().store_folder]


def memory_store(graph: KnowledgeGraph) -> pyoxigraph.Store:
    """An in-memory store of the graph (for tests and for builds written before the RDF view existed)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(_quads(graph))
    return store


def _quads(graph: KnowledgeGraph) -> list[Any]:
    import pyoxigraph as ox

    from kg.rdf.terms import to_oxigraph

    return [ox.Quad(to_oxigraph(s), ox.NamedNode(p), to_oxigraph(o), ox.DefaultGraph())
            for s, p, o in graph_triples(graph)]


def open_store(folder: Path, *, write: bool = False) -> pyoxigraph.Store:
    """The build's store: read-only unless `write`."""
    import pyoxigraph as ox

    path = store_path(folder)
    if not path.is_dir():
        raise KgError(f"no RDF store in {folder} (expected {path}); run 'kg build'")
    path = path.resolve()  # a build's stable path is a link to its current version: open that version itself
    try:
        return ox.Store(str(path)) if write else ox.Store.read_only(str(path))
    except OSError as exc:
        raise KgError(f"cannot open the RDF store {path}: {exc}") from None


def store_for(graph: KnowledgeGraph, folder: Path | None, *, write: bool = False) -> pyoxigraph.Store:
    """The build's on-disk store when there is one, else an in-memory store of the graph (said on stderr)."""
    if folder is not None and store_path(folder).is_dir():
        return open_store(folder, write=write)
    log.warning("no RDF store in the build folder; querying an in-memory copy of the graph")
    return memory_store(graph)


def graph_from_store(store: pyoxigraph.Store, *, trusted: bool = True) -> KnowledgeGraph:
    """The KnowledgeGraph held in a store's default graph."""
    import pyoxigraph as ox

    from kg.rdf.reverse import graph_from_triples

    triples = ((from_oxigraph(q.subject), q.predicate.value, from_oxigraph(q.object))
               for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return graph_from_triples(triples, trusted=trusted)


def rdflib_graph(folder: Path, *, write: bool = False) -> Any:
    """The build's store as an rdflib Graph (through oxrdflib), for code that wants the rdflib API.

    Read-only unless `write`. The graph gets a fixed identifier: oxrdflib maps rdflib's default-graph id to the
    store's default graph, while a random identifier would show an empty graph after reopening.
    """
    from oxrdflib import OxigraphStore
    from rdflib import Graph, URIRef

    store = OxigraphStore(store=open_store(folder, write=write))
    g = Graph(store=store, identifier=URIRef(RDFLIB_DEFAULT_GRAPH))
    for name, ns in vocab().prefixes().items():
        g.bind(name, ns, override=True, replace=True)
    return g
