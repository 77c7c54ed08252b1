"""Reading a compartment's declared parameters: `SUBJECT>OBJECT.param` (an edge's capacity there), `NAME.param`
(an entity's value there) and model-wide keys, with names resolved through the graph."""

from __future__ import annotations

from typing import Any

from kg.errors import KgError
from kg.simulate.contexts import MODEL_KEYS, Context, Site


class SiteParams:
    """One compartment's parameters, keyed by resolved entity ids; each value keeps its Parameter record."""

    def __init__(self, graph: Any, ctx: Context, site: Site) -> None:
        self.ctx, self.site = ctx, site
        self.edge_over: dict[tuple[str, str], dict[str, Any]] = {}
        self.entity: dict[str, dict[str, Any]] = {}
        for key, p in site.params.items():
            head, _, name = key.rpartition(".")
            if not head:
                raise KgError(f"context '{site.name}': parameter key '{key}' needs the form NAME.param")
            if head in MODEL_KEYS:
                continue
            if ">" in head:
                s, _, o = head.partition(">")
                ids = (resolve(graph, s, site.name, key), resolve(graph, o, site.name, key))
                self.edge_over.setdefault(ids, {})[name] = p
            else:
                self.entity.setdefault(resolve(graph, head, site.name, key), {})[name] = p

    def edge(self, edge: Any, name: str) -> Any | None:
        """The Parameter record for an edge's parameter here: the compartment's override, else the edge's own."""
        over = self.edge_over.get((edge.subject, edge.object), {})
        if name in over:
            return over[name]
        params = edge.kinetics.parameters if edge.kinetics is not None else {}
        return params.get(name)

    def declares(self, edge: Any, name: str) -> bool:
        return name in self.edge_over.get((edge.subject, edge.object), {})

    def of(self, entity_id: str, name: str) -> Any | None:
        return self.entity.get(entity_id, {}).get(name)


def resolve(graph: Any, name: str, where: str, key: str) -> str:
    from kg.errors import ResolveError

    try:
        return graph.resolve(name).id
    except ResolveError as exc:
        raise KgError(f"context '{where}': parameter '{key}' names an unknown entity: {exc}") from None


def provenance(p: Any) -> dict[str, Any]:
    """The keyword arguments Model.param takes from a Parameter record (its provenance and any sourced range)."""
    return {"source": p.source, "note": p.note, "low": p.low, "high": p.high}
