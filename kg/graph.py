"""KnowledgeGraph: validated records held in a networkx MultiDiGraph, with typed accessors and queries.

Entities are nodes (attribute `entity`), edges are keyed by their deterministic id (attribute `edge`). The
MultiDiGraph is built on first use so that commands which only read a card (`kg show`) never import networkx.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kg.models import Edge, Entity
from kg.names import NameIndex, ResolvesNames

if TYPE_CHECKING:
    import networkx as nx


class KnowledgeGraph(ResolvesNames):
    """The single source of truth: every view (RDF, Neo4j, diagrams, simulator) is derived from this."""

    def __init__(self, entities: Iterable[Entity] = (), edges: Iterable[Edge] = ()) -> None:
        self._entities: dict[str, Entity] = {}
        self._edges: dict[str, Edge] = {}
        self._out: dict[str, list[str]] = {}
        self._in: dict[str, list[str]] = {}
        self._nx: nx.MultiDiGraph | None = None
        self._names: NameIndex | None = None
        # bibliographic metadata of cited publications (kg.cite), by source CURIE: from the loaders' references,
        # written into the build as publications.json; not part of the graph's identity (to_dict, ==)
        self.publications: dict[str, Any] = {}
        for entity in entities:
            self.add_entity(entity)
        for edge in edges:
            self.add_edge(edge)

    # ---- construction -------------------------------------------------------------------------------
    def add_entity(self, entity: Entity) -> None:
        if entity.id in self._entities:
            raise ValueError(f"duplicate entity id {entity.id}")
        self._entities[entity.id] = entity
        self._out.setdefault(entity.id, [])
        self._in.setdefault(entity.id, [])
        self._invalidate()

    def add_edge(self, edge: Edge) -> None:
        for end in (edge.subject, edge.object):
            if end not in self._entities:
                raise ValueError(f"edge {edge.id} refers to unknown entity {end}")
        if edge.id in self._edges:
            raise ValueError(f"duplicate edge id {edge.id}")
        self._edges[edge.id] = edge
        self._out[edge.subject].append(edge.id)
        self._in[edge.object].append(edge.id)
        self._invalidate()

    def _invalidate(self) -> None:
        self._nx = None
        self._names = None

    # ---- typed accessors ----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self._entities

    @property
    def entities(self) -> list[Entity]:
        """All entities, sorted by id."""
        return [self._entities[k] for k in sorted(self._entities)]

    @property
    def edges(self) -> list[Edge]:
        """All edges, sorted by id."""
        return [self._edges[k] for k in sorted(self._edges)]

    def entity(self, entity_id: str) -> Entity:
        return self._entities[entity_id]

    def edge(self, edge_id: str) -> Edge:
        return self._edges[edge_id]

    def has_edge(self, edge_id: str) -> bool:
        return edge_id in self._edges

    def out_edges(self, entity_id: str) -> list[Edge]:
        return [self._edges[e] for e in self._out.get(entity_id, [])]

    def in_edges(self, entity_id: str) -> list[Edge]:
        return [self._edges[e] for e in self._in.get(entity_id, [])]

    def incident_edges(self, entity_id: str) -> list[Edge]:
        """Edges touching the entity, each once, sorted by id."""
        ids = set(self._out.get(entity_id, [])) | set(self._in.get(entity_id, []))
        return [self._edges[e] for e in sorted(ids)]

    def by_category(self, category: str) -> list[Entity]:
        return [e for e in self.entities if e.category == category]

    def variants_of(self, gene_id: str) -> list[Entity]:
        return [e for e in self.entities if e.category == "sequence_variant" and e.gene == gene_id]

    # ---- typed queries -----------------------------------------------------------------------------
    def interactions(self, of: str | None = None, *, predicate: str | None = None, sign: str | None = None,
                     mechanism: str | None = None, status: str | None = None,
                     species: str | None = None) -> list[Edge]:
        """Edges touching `of` (all if None) that match every given filter, sorted by id."""
        edges = self.incident_edges(of) if of else self.edges
        return [e for e in edges
                if (predicate is None or e.predicate == predicate) and (sign is None or e.sign == sign)
                and (mechanism is None or e.mechanism == mechanism) and (status is None or e.status == status)
                and (species is None or any(ev.species == species for ev in e.evidence))]

    def regulators(self, entity_id: str) -> list[Edge]:
        """Sign-carrying edges into the entity: what raises or lowers it."""
        return sorted((e for e in self.in_edges(entity_id) if e.sign != "none"), key=lambda e: e.id)

    def targets(self, entity_id: str) -> list[Edge]:
        """Sign-carrying edges out of the entity: what it raises or lowers."""
        return sorted((e for e in self.out_edges(entity_id) if e.sign != "none"), key=lambda e: e.id)

    def neighbors(self, entity_id: str, depth: int = 1) -> dict[str, int]:
        """Entities within `depth` edges (either direction) mapped to their distance; the entity itself excluded."""
        import networkx as nx

        dist = nx.single_source_shortest_path_length(self.nx.to_undirected(as_view=True), entity_id, cutoff=depth)
        return {n: d for n, d in sorted(dist.items(), key=lambda kv: (kv[1], kv[0])) if n != entity_id}

    def shortest_path(self, source: str, target: str, *, directed: bool = True) -> list[str]:
        """One shortest path (entity ids); raises networkx.NetworkXNoPath when there is none."""
        import networkx as nx

        graph = self.nx if directed else self.nx.to_undirected(as_view=True)
        return nx.shortest_path(graph, source, target)

    def signed_paths(self, source: str, target: str, max_length: int = 4) -> list[tuple[int, list[Edge]]]:
        """Simple directed paths over sign-carrying edges, each with its sign (+1/-1) and its edges."""
        from kg.query import paths

        return [(1 if row["sign"] == "positive" else -1, [self.edge(e) for e in row["edges"]])
                for row in paths(self, source, target, max_length=max_length, signed=True)]

    # ---- networkx view -----------------------------------------------------------------------------
    @property
    def nx(self) -> nx.MultiDiGraph:
        """The MultiDiGraph (built on first use): node attr `entity`, edge key = edge id, attr `edge`."""
        if self._nx is None:
            import networkx as nx

            g = nx.MultiDiGraph()
            for eid in sorted(self._entities):
                ent = self._entities[eid]
                g.add_node(eid, entity=ent, category=ent.category, label=ent.label)
            for kid in sorted(self._edges):
                e = self._edges[kid]
                g.add_edge(e.subject, e.object, key=e.id, edge=e, predicate=e.predicate, sign=e.sign_value)
            self._nx = g
        return self._nx

    def subgraph(self, entity_ids: Iterable[str]) -> KnowledgeGraph:
        """The induced subgraph on the given entities (edges with both ends inside)."""
        keep = set(entity_ids)
        return KnowledgeGraph([self._entities[i] for i in sorted(keep)],
                              [e for e in self.edges if e.subject in keep and e.object in keep])

    # ---- serialisation -----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A deterministic JSON-ready dict (sorted ids, empty fields dropped)."""
        return {"entities": [e.dump() for e in self.entities], "edges": [e.dump() for e in self.edges]}

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, trusted: bool = False) -> KnowledgeGraph:
        """Inverse of `to_dict`. `trusted` skips identifier re-validation for builds kg wrote itself."""
        from kg.bulk import paused_gc

        ctx = {"trusted": trusted}
        with paused_gc():
            return cls([Entity.model_validate(e, context=ctx) for e in data["entities"]],
                       [Edge.model_validate(e, context=ctx) for e in data["edges"]])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KnowledgeGraph) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]
