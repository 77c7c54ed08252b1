"""The signed network the simulator reasons over, derived from the graph's edges and the schema.

Each sign-carrying edge becomes a step `subject -> object` with the predicate's sign. Two derivations follow from
the mechanisms declared in the schema, not from edge names:
- catalysis: a product edge (positive sign, with `substrates`) also gives substrate -> product (+): more ATP gives
  more PPi through ENPP1. The step cites the product edge and its evidence.
- transport: readouts are extracellular amounts, so a transport *out of* the extracellular compartment (uptake)
  lowers the object: its sign is inverted.
- carrier: a regulation edge whose kinetics name a carrier (`via:NAME`, e.g. Pi -> ANKH `via:SLC20A1`: Pi signals
  through its uptake by PiT-1) also gives carrier -> target with the edge's sign (times the exponent's sign): less
  carrier, less signal. The step cites the regulation edge and its evidence, so explanations name the carrier.
Edges that are not `established` are left out unless switched on as hypotheses; edges specific to another cell
system are left out in a context. Genetic-causation, association and variant-membership edges carry no
quantitative influence and do not propagate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.schema import load_schema

READOUT_COMPARTMENT = "extracellular"
# Mechanisms whose sign is not a quantitative influence (checked against the schema below).
NON_PROPAGATING_MECHANISMS = ("disease_causation", "association", "variant_of")
ABSENT_AT_BASELINE = ("drug", "condition", "sequence_variant")  # agents: dose 0 unless given
GENE_CATEGORIES = ("gene_or_protein", "protein_complex")
CONFIDENCE_WEIGHT = {"high": 1.0, "medium": 0.8, "low": 0.5}
STATUS_WEIGHT = {"established": 1.0, "contested": 0.6, "hypothesis": 0.6}


def _check_vocabulary() -> None:
    schema = load_schema()
    unknown = [m for m in NON_PROPAGATING_MECHANISMS if m not in schema.mechanisms]
    if unknown or READOUT_COMPARTMENT not in schema.compartments:
        raise RuntimeError(f"simulator vocabulary out of date with schema/kg.yaml: {unknown or READOUT_COMPARTMENT}")


@dataclass(frozen=True)
class Step:
    """One signed step of influence, citing the edge (and its evidence) it comes from."""

    source: str
    target: str
    sign: int
    edge: str
    predicate: str
    weight: float
    evidence: tuple[str, ...]
    derived: str = ""  # "" (the edge itself), "substrate" (substrate -> product) or "carrier" (via:NAME)


def edge_weight(edge: Any) -> float:
    best = max((CONFIDENCE_WEIGHT.get(ev.confidence, 0.5) for ev in edge.evidence), default=0.5)
    return best * STATUS_WEIGHT.get(edge.status, 0.6)


def active_edges(graph: Any, context_id: str | None, hypotheses: frozenset[str] = frozenset(),
                 removed: frozenset[str] = frozenset()) -> list[Any]:
    """Edges that hold in this run: established (or switched on), general or of this context, not removed."""
    out = []
    for e in graph.edges:
        if e.id in removed:
            continue
        if e.status != "established" and e.id not in hypotheses:
            continue
        if context_id is not None and e.context is not None and e.context != context_id:
            continue
        out.append(e)
    return out


EXTRACELLULAR_FLUIDS = (READOUT_COMPARTMENT, "plasma")


def is_uptake(edge: Any) -> bool:
    """A transport out of the extracellular fluids into a cell (e.g. PiT-1 taking Pi into the cell); a transport
    from a tissue's fluid into plasma (renal reabsorption, gut absorption) is not: it raises the object."""
    return (edge.from_compartment in EXTRACELLULAR_FLUIDS
            and edge.to_compartment not in (None, *EXTRACELLULAR_FLUIDS))


def edge_sign(edge: Any) -> int:
    """The edge's sign on the (extracellular) amount of its object."""
    return -edge.sign_value if is_uptake(edge) else edge.sign_value


VIA_PREFIX = "via:"


def carriers(edge: Any, resolve: Any = None) -> list[tuple[str, float]]:
    """The carriers a regulation edge's signal passes through: (entity id, exponent) from its `via:NAME`
    kinetic parameters, sorted. `resolve` maps a name to an id (default: the name is taken as an id)."""
    if edge.kinetics is None:
        return []
    out = []
    for key, param in edge.kinetics.parameters.items():
        if key.startswith(VIA_PREFIX):
            name = key[len(VIA_PREFIX):]
            out.append((resolve(name) if resolve is not None else name, float(param.value)))
    return sorted(out)


def build_steps(edges: list[Any], resolve: Any = None) -> list[Step]:
    """Signed steps from active edges, sorted for determinism. `resolve` maps the names in `via:NAME` kinetic
    parameters to entity ids (a graph's `resolve(name).id`; default: names are ids)."""
    _check_vocabulary()
    mechanisms = load_schema().mechanisms
    steps: list[Step] = []
    for e in edges:
        if e.mechanism in NON_PROPAGATING_MECHANISMS:
            continue
        sign = edge_sign(e)
        if sign == 0:
            continue
        ev = tuple(sorted(x.id for x in e.evidence))
        w = edge_weight(e)
        steps.append(Step(e.subject, e.object, sign, e.id, e.predicate, w, ev))
        quals = mechanisms.get(e.mechanism, {}).get("qualifiers", [])
        if "substrates" in quals and sign > 0:
            steps.extend(Step(s, e.object, 1, e.id, e.predicate, w, ev, derived="substrate")
                         for s in e.substrates if s != e.object)
        for carrier, expo in carriers(e, resolve):
            if carrier not in (e.subject, e.object) and expo:
                steps.append(Step(carrier, e.object, sign * (1 if expo > 0 else -1), e.id, e.predicate, w, ev,
                                  derived="carrier"))
    steps = sorted(set(steps), key=lambda s: (s.source, s.target, s.sign, s.edge, s.derived))
    return steps


def adjacency(steps: list[Step]) -> dict[str, list[Step]]:
    out: dict[str, list[Step]] = {}
    for s in steps:
        out.setdefault(s.source, []).append(s)
    return out
