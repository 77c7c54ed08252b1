"""The kinetic layer: an ODE model of the extracellular PPi module, generated from the graph's edges.

Only edges that carry `kinetics` define the model (see docs/predict.md for the rate laws):
- transport (qualifiers from/to compartment): `zero_order` release into the extracellular space (v = vmax*amount)
  or `mass_action` / `michaelis_menten` uptake out of it;
- catalysis (qualifiers substrates/products): one reaction per enzyme and substrate/product set, `mass_action`
  (v = k*amount*S) or `michaelis_menten` (v = vmax*amount*S/(km+S)); `stoichiometry:NAME` sets a product count;
- regulation (expression, activity, pharmacological): `hill` multipliers m(r) = 1 + (max_fold-1) r^n/(K^n+r^n),
  normalised to 1 at the context's baseline, on the target's expression (expression regulation) or activity
  (the rest); for a metabolite target, on its production. The signal r is the regulator's level relative to
  baseline (dose for an agent). A `via:NAME` parameter names a carrier the signal passes through, its value an
  exponent (normally 1): r = (regulator level / baseline) x (carrier activity / baseline)^exponent. Pi -> ANKH
  `via:SLC20A1` says extracellular Pi raises ANK through its uptake by PiT-1 (Kim 2010 PMID 20601283; Wang 2009
  PMID 19369455): without PiT-1, no Pi signal. A carrier is modelled like an enzyme (an amount from its gene's
  expression and activity and the regulation edges that end on it) without a reaction of its own;
- supply: `supply` adds enzyme amount (`amount` per dose) or a source of the metabolite (`rate` per dose,
  relative to the metabolite's baseline production);
- physico-chemistry: `pi_ppi_ratio` edges into a deposition process define its index from R = [Pi]/[PPi]
  (each edge's `exponent` puts its subject in the numerator (+1) or denominator (-1); the threshold is
  Cheng & Pritzker's), `proportional` edges scale it (calcium).
Sign-carrying edges without kinetics that end on a modelled entity act as default multipliers (context
parameters `regulation.*`), so the signed part of the graph still reaches the kinetic module. A gene outside the
module that a modelled entity regulates and that regulates a modelled entity in turn (a relay: ENPP1 -| FGF23 -|
plasma Pi) is given an amount too, so that loop is solved in the steady state rather than cut.
Context parameters give capacities (`SUBJECT>OBJECT.param`), sources and clearances (`NAME.source`,
`NAME.clearance`) and fixed concentrations (`NAME.concentration`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.errors import KgError
from kg.schema import load_schema
from kg.simulate.contexts import Context
from kg.simulate.network import NON_PROPAGATING_MECHANISMS, carriers, edge_sign, is_uptake

MODEL_KEYS = ("effect", "variant", "regulation", "reference")


@dataclass
class Reaction:
    enzyme: str
    substrates: list[str]
    products: list[tuple[str, float]]
    law: str
    params: dict[str, float]
    edges: list[str]
    uptake: bool = False  # transport out of the extracellular space
    release: bool = False  # zero-order transport into it


@dataclass
class Modifier:
    edge: str
    regulator: str
    target: str
    on: str  # "expression" | "activity" | "production" | "index"
    max_fold: float
    K: float
    n: float
    default: bool = False
    via: tuple[tuple[str, float], ...] = ()  # carriers the signal passes through: (entity id, exponent)

    def raw(self, r: float) -> float:
        if r <= 0:
            return 1.0
        rn = r ** self.n
        return 1.0 + (self.max_fold - 1.0) * rn / (self.K ** self.n + rn)


@dataclass
class Supply:
    edge: str
    agent: str
    target: str
    value: float  # amount per dose (enzyme) or rate per dose relative to baseline production (metabolite)


@dataclass
class Mineral:
    process: str
    ratio: dict[str, float] = field(default_factory=dict)  # species -> exponent in R
    threshold: float | None = None
    rises_with_ratio: bool = True
    hill: float = 1.0
    scale: dict[str, float] = field(default_factory=dict)  # species -> exponent (calcium)
    edges: list[str] = field(default_factory=list)


@dataclass
class KineticModel:
    species: list[str]
    fixed: dict[str, float]
    enzymes: list[str]
    reactions: list[Reaction]
    modifiers: list[Modifier]
    supplies: list[Supply]
    minerals: list[Mineral]
    source: dict[str, float]
    clearance: dict[str, float]
    kinetic_edges: set[str]

    @property
    def covered(self) -> set[str]:
        return {*self.species, *self.fixed, *self.enzymes, *(m.process for m in self.minerals)}

    @property
    def inputs(self) -> set[str]:
        regs = {m.regulator for m in self.modifiers} | {s.agent for s in self.supplies}
        return regs - self.covered


class ParamReader:
    """Context overrides (`S>O.param`, `NAME.param`) on top of the edges' own kinetic parameters."""

    def __init__(self, graph: Any, ctx: Context) -> None:
        self.ctx = ctx
        self.edge_over: dict[tuple[str, str], dict[str, float]] = {}
        self.entity: dict[str, dict[str, float]] = {}
        self.model: dict[str, float] = {}
        for key, p in ctx.params.items():
            head, _, name = key.rpartition(".")
            if not head:
                raise KgError(f"context '{ctx.name}': parameter key '{key}' needs the form NAME.param")
            if head in MODEL_KEYS:
                self.model[key] = float(p.value)
            elif ">" in head:
                s, _, o = head.partition(">")
                ids = (_resolve(graph, s, ctx, key), _resolve(graph, o, ctx, key))
                self.edge_over.setdefault(ids, {})[name] = float(p.value)
            else:
                self.entity.setdefault(_resolve(graph, head, ctx, key), {})[name] = float(p.value)

    def edge(self, edge: Any, name: str, default: float | None = None) -> float:
        over = self.edge_over.get((edge.subject, edge.object), {})
        if name in over:
            return over[name]
        params = edge.kinetics.parameters if edge.kinetics is not None else {}
        if name in params:
            return float(params[name].value)
        if default is not None:
            return default
        raise KgError(f"edge {edge.id} ({edge.subject} {edge.predicate} {edge.object}) lacks kinetic parameter "
                      f"'{name}' and context '{self.ctx.name}' does not set it")

    def of(self, entity_id: str, name: str, default: float | None = None) -> float | None:
        return self.entity.get(entity_id, {}).get(name, default)

    def global_(self, key: str, default: float) -> float:
        return self.model.get(key, default)


def _resolve(graph: Any, name: str, ctx: Context, key: str) -> str:
    from kg.errors import ResolveError

    try:
        return graph.resolve(name).id
    except ResolveError as exc:
        raise KgError(f"context '{ctx.name}': parameter '{key}' names an unknown entity: {exc}") from None


def _quals(edge: Any) -> list[str]:
    return load_schema().mechanisms.get(edge.mechanism, {}).get("qualifiers", [])


def build_model(graph: Any, edges: list[Any], ctx: Context) -> KineticModel:
    """The ODE model from the active edges that carry kinetics, with the context's parameters."""
    pr = ParamReader(graph, ctx)
    kin = [e for e in edges if e.kinetics is not None]
    reactions, species, enzymes = _reactions(graph, edges, pr)
    enzymes |= {c for e in kin for c, _x in _carriers(graph, e, pr)}  # carriers have amounts, not reactions
    minerals = _minerals(kin, pr)
    enzymes |= _relays(graph, edges, {*species, *enzymes, *(m.process for m in minerals)})
    fixed: dict[str, float] = {}
    for m in minerals:
        for sp in [*m.ratio, *m.scale]:
            if sp not in species:
                conc = pr.of(sp, "concentration")
                if conc is None:
                    raise KgError(f"context '{ctx.name}' needs '{graph.entity(sp).label}.concentration' "
                                  f"(it sets {graph.entity(m.process).label})")
                fixed[sp] = conc
    model = KineticModel(species=sorted(species), fixed=fixed, enzymes=sorted(enzymes), reactions=reactions,
                         modifiers=[], supplies=[], minerals=minerals, source={}, clearance={},
                         kinetic_edges={e.id for e in kin})
    for sp in model.species:
        model.source[sp] = pr.of(sp, "source", 0.0) or 0.0
        model.clearance[sp] = pr.of(sp, "clearance", 0.0) or 0.0
    _regulation(graph, kin, edges, model, pr)
    return model


RELAY_CATEGORIES = ("gene_or_protein", "protein_complex")


def _relays(graph: Any, edges: list[Any], covered: set[str]) -> set[str]:
    """Genes outside the module that a modelled entity regulates and that regulate a modelled entity in turn
    (ENPP1 -| FGF23 -| Pi): they get an amount, like an enzyme without a reaction, so the loop closes inside the
    steady state instead of being cut at the module's edge."""
    signed = [e for e in edges if e.mechanism not in NON_PROPAGATING_MECHANISMS and e.subject != e.object
              and edge_sign(e) and (e.kinetics is None or e.kinetics.rate_law == "hill")]
    relays: set[str] = set()
    while True:
        inside = covered | relays
        new = {e.subject for e in signed if e.object in inside and e.subject not in inside
               and graph.entity(e.subject).category in RELAY_CATEGORIES
               and any(f.object == e.subject and f.subject in inside for f in signed)}
        if not new:
            return relays
        relays |= new


def _carriers(graph: Any, edge: Any, pr: ParamReader) -> list[tuple[str, float]]:
    out = carriers(edge, lambda name: _resolve(graph, name, pr.ctx, f"via:{name} of edge {edge.id}"))
    for carrier, expo in out:
        if edge.kinetics.rate_law != "hill" or expo <= 0 or carrier in (edge.subject, edge.object):
            raise KgError(f"edge {edge.id}: 'via:' names a carrier of a hill edge's signal, other than its subject "
                          f"and object, with a positive exponent (got {carrier} with {expo} on a "
                          f"'{edge.kinetics.rate_law}' edge)")
    return out


def _reactions(graph: Any, edges: list[Any], pr: ParamReader) -> tuple[list[Reaction], set[str], set[str]]:
    """Transports with kinetics, and one reaction per catalysis group (enzyme, substrates, products) in which some
    edge carries kinetics; the group's other edges (e.g. `produces PPi`) belong to the reaction."""
    reactions: list[Reaction] = []
    species: set[str] = set()
    enzymes: set[str] = set()
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for e in edges:
        q = _quals(e)
        if "from_compartment" in q and e.kinetics is not None:
            law = e.kinetics.rate_law
            uptake = is_uptake(e)
            if law not in ("zero_order", "mass_action", "michaelis_menten"):
                raise KgError(f"edge {e.id}: unknown transport rate law '{law}'")
            names = ("vmax",) if law == "zero_order" else (("k",) if law == "mass_action" else ("vmax", "km"))
            params = {n: pr.edge(e, n) for n in names}
            subs = [e.object] if uptake else []
            prods = [] if uptake else [(e.object, 1.0)]
            reactions.append(Reaction(e.subject, subs, prods, law, params, [e.id], uptake=uptake,
                                      release=not uptake))
            species.add(e.object)
            enzymes.add(e.subject)
        elif "substrates" in q and e.substrates:
            key = (e.subject, tuple(e.substrates), tuple(e.products), e.compartment)
            groups.setdefault(key, []).append(e)
    for (enzyme, subs, prods, _comp), members in sorted(groups.items(), key=lambda kv: str(kv[0])):
        group = [g for g in members if g.kinetics is not None]
        if not group:
            continue
        lead = group[0]
        law = lead.kinetics.rate_law
        if any(g.kinetics.rate_law != law for g in group):
            raise KgError(f"edges of one reaction of {enzyme} disagree on the rate law: {[g.id for g in group]}")
        if law not in ("mass_action", "michaelis_menten"):
            raise KgError(f"edge {lead.id}: unknown catalysis rate law '{law}'")
        names = ("k",) if law == "mass_action" else ("vmax", "km")
        params = {n: pr.edge(lead, n) for n in names}
        stoich = []
        for p in prods:
            count = 1.0
            for g in group:
                for key, val in g.kinetics.parameters.items():
                    if key.startswith("stoichiometry:") and _resolve(graph, key.split(":", 1)[1], pr.ctx, key) == p:
                        count = float(val.value)
            stoich.append((p, count))
        reactions.append(Reaction(enzyme, list(subs), stoich, law, params, sorted(g.id for g in members)))
        species.update(subs)
        species.update(prods)
        enzymes.add(enzyme)
    return reactions, species, enzymes


def _minerals(kin: list[Any], pr: ParamReader) -> list[Mineral]:
    out: dict[str, Mineral] = {}
    for e in kin:
        law = e.kinetics.rate_law
        if law not in ("pi_ppi_ratio", "proportional"):
            continue
        m = out.setdefault(e.object, Mineral(process=e.object))
        m.edges.append(e.id)
        expo = pr.edge(e, "exponent")
        if law == "proportional":
            m.scale[e.subject] = expo
            continue
        m.ratio[e.subject] = expo
        threshold = pr.edge(e, "threshold")
        if m.threshold is not None and abs(m.threshold - threshold) > 1e-12:
            raise KgError(f"edges into {e.object} disagree on the Pi/PPi threshold")
        m.threshold = threshold
        m.hill = pr.edge(e, "n", 1.0)
        if expo > 0:
            m.rises_with_ratio = edge_sign(e) > 0
    for m in out.values():
        if m.ratio and (m.threshold is None or len(m.ratio) != 2):
            raise KgError(f"deposition {m.process} needs two pi_ppi_ratio edges (Pi and PPi) with a threshold")
    return [out[k] for k in sorted(out)]


def _regulation(graph: Any, kin: list[Any], edges: list[Any], model: KineticModel, pr: ParamReader) -> None:
    covered = model.covered
    in_reaction = {eid for r in model.reactions for eid in r.edges}
    mineral_edges = {eid for m in model.minerals for eid in m.edges}
    for e in kin:
        law = e.kinetics.rate_law
        if e.id in in_reaction or e.id in mineral_edges or e.object not in covered:
            continue
        if law == "hill":
            _add_modifier(e, model, pr.edge(e, "max_fold"), pr.edge(e, "K"), pr.edge(e, "n", 1.0), default=False,
                          via=tuple(_carriers(graph, e, pr)))
        elif law == "supply":
            key = "amount" if e.object in model.enzymes else "rate"
            model.supplies.append(Supply(e.id, e.subject, e.object, pr.edge(e, key)))
        else:
            raise KgError(f"edge {e.id}: unknown rate law '{law}' for a {e.mechanism} edge")
    up = pr.global_("regulation.max_fold_up", 2.0)
    down = pr.global_("regulation.max_fold_down", 0.5)
    k_default, n_default = pr.global_("regulation.K", 1.0), pr.global_("regulation.n", 1.0)
    for e in edges:
        if (e.kinetics is not None or e.id in in_reaction or e.object not in covered
                or e.mechanism in NON_PROPAGATING_MECHANISMS or e.subject == e.object):
            continue
        sign = edge_sign(e)
        if sign:
            _add_modifier(e, model, up if sign > 0 else down, k_default, n_default, default=True)


def _add_modifier(e: Any, model: KineticModel, max_fold: float, K: float, n: float, *, default: bool,
                  via: tuple[tuple[str, float], ...] = ()) -> None:
    if e.object in model.enzymes:
        on = "expression" if e.mechanism == "expression_regulation" else "activity"
    elif e.object in model.species or e.object in model.fixed:
        on = "production"
    else:
        on = "index"
    if (max_fold - 1.0) * edge_sign(e) < 0:
        raise KgError(f"edge {e.id}: max_fold {max_fold} contradicts the sign of '{e.predicate}'")
    model.modifiers.append(Modifier(e.id, e.subject, e.object, on, max_fold, K, n, default=default, via=via))
