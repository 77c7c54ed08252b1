"""Build the model (IR) of one context from the graph: compartments, species, gene products, reactions and the
transfers between compartments. Regulation and the deposition chemistry are added by `regulate.py`.

What comes from where:
- reactions from the edges that carry kinetics (transport: `zero_order` release into a compartment, or uptake
  out of it by `mass_action` / `michaelis_menten`, or transport `to_compartment: plasma` from a tissue into the
  blood; catalysis: one reaction per enzyme and substrate/product set). An enzyme acts in a compartment that
  declares its capacity (`ENPP1>ATP.k` in bone); a culture context must declare every capacity it uses.
- transfers from the body compartments' parameters (physiology.yaml): `S.exchange` (1/h, passive exchange of the
  tissue fluid with plasma), `S.filtration` (L/h, plasma into the compartment: glomerular filtration),
  `S.outflow` (L/h, out of the body: urine flow, faeces), `S.intake` (umol/h, into the compartment from
  outside: diet), `S.absorption` (L/h, from the compartment into plasma, counted as plasma's production:
  paracellular gut absorption), `S.reabsorption` (L/h, from the compartment into plasma, not counted as
  production: renal calcium reabsorption). Carrier-mediated transport into plasma (NPT2a, NPT2c reabsorbing
  filtered Pi) is likewise not counted as production, so a production multiplier cannot feed on it;
- sources and clearances (`S.source` uM/h, `S.clearance` 1/h) and fixed concentrations (`S.concentration` uM).
A gene product's amount is relative to its baseline: expression x activity (+ transgene), the perturbation's
parameters `expr__G`, `act__G`, `tg__G` being one per gene (germline: every compartment). Regulated amounts are
states with first-order turnover toward their regulated target, so loops among regulators are ODEs.
"""

from __future__ import annotations

import math
import re
from typing import Any

from kg.errors import KgError
from kg.schema import load_schema
from kg.simulate.contexts import HUB, Context
from kg.simulate.model.expr import product
from kg.simulate.model.ir import AMOUNT, SPECIES, Compartment, Flux, Model, Rule, State
from kg.simulate.model.params import SiteParams, provenance
from kg.simulate.network import GENE_CATEGORIES, NON_PROPAGATING_MECHANISMS, edge_sign, is_uptake

TRANSFERS = ("exchange", "filtration", "outflow", "intake", "absorption", "reabsorption")
CATALYSIS_LAWS = {"mass_action": ("k",), "michaelis_menten": ("vmax", "km")}
TRANSPORT_LAWS = {"zero_order": ("vmax",), **CATALYSIS_LAWS}
SUMMARY_LAW = "indirect"  # an edge the model's own mechanism already carries: no term of its own
UM, REL, INDEX = "uM", "relative", "index"


class Builder:
    """Collects one context's model; `build()` returns it. Keys are (entity id, compartment name)."""

    def __init__(self, graph: Any, edges: list[Any], ctx: Context) -> None:
        self.g, self.edges, self.ctx = graph, edges, ctx
        self.m = Model(context=ctx.name, primary=ctx.primary)
        self.sites = {s.name: SiteParams(graph, ctx, s) for s in ctx.sites}
        self.hub = HUB if ctx.body and HUB in self.sites else ctx.primary
        self.kin = [e for e in edges if e.kinetics is not None and e.kinetics.rate_law != SUMMARY_LAW]
        self.stems: dict[str, str] = {}
        self.species: dict[tuple[str, str], str] = {}  # -> "state" | "fixed"
        self.genes: dict[tuple[str, str], list[str]] = {}  # gene product instances -> edges giving them
        self.fluxes: list[Flux] = []
        self.production: dict[tuple[str, str], list[str]] = {}  # species -> fluxes counted as its production
        self.reaction_edges: set[str] = set()
        self.mineral_edges: set[str] = set()
        self.kinetic_edges: set[str] = {e.id for e in self.kin}

    # ---- names ------------------------------------------------------------------------------------------------------
    def stem(self, entity_id: str) -> str:
        if entity_id not in self.stems:
            ent = self.g.entity(entity_id)
            base = re.sub(r"[^A-Za-z0-9]+", "_", (ent.symbol or ent.label).replace("+", "p")).strip("_") or "x"
            if base[0].isdigit():
                base = "x" + base
            taken = set(self.stems.values())
            name, i = base, 2
            while name in taken:
                name, i = f"{base}_{i}", i + 1
            self.stems[entity_id] = name
        return self.stems[entity_id]

    def sym(self, entity_id: str, comp: str) -> str:
        return f"{self.stem(entity_id)}__{comp}"

    def label(self, entity_id: str) -> str:
        return self.g.entity(entity_id).label

    # ---- parameters -------------------------------------------------------------------------------------------------
    def edge_param(self, edge: Any, comp: str, key: str, default: float | None = None, unit: str = "1") -> str:
        """A model parameter for one of an edge's kinetic parameters in a compartment (declared there or on the
        edge); KgError naming it if neither declares it and there is no default."""
        rec = self.sites[comp].edge(edge, key)
        name = f"{key}__{self.stem(edge.subject)}__{self.stem(edge.object)}__{comp}"
        name = re.sub(r"[^A-Za-z0-9_]", "_", name)
        if name in self.m.params:
            return name
        if rec is None:
            if default is None:
                raise KgError(f"edge {edge.id} ({self.label(edge.subject)} {edge.predicate} {self.label(edge.object)})"
                              f" lacks kinetic parameter '{key}' and context '{comp}' does not set it "
                              f"('{self.label(edge.subject)}>{self.label(edge.object)}.{key}')")
            return self.m.param(name, default, unit, "assumed", note=f"default for '{key}'", compartment=comp,
                                group=name.rpartition("__")[0])
        own = self.sites[comp].declares(edge, key)  # else the edge's own value, one quantity in every compartment
        return self.m.param(name, rec.value, rec.unit, rec.basis, **provenance(rec), compartment=comp,
                            group=None if own else name.rpartition("__")[0])

    def site_param(self, entity_id: str, comp: str, key: str) -> str | None:
        rec = self.sites[comp].of(entity_id, key)
        if rec is None:
            return None
        name = f"{key}__{self.sym(entity_id, comp)}"
        if name not in self.m.params:
            self.m.param(name, rec.value, rec.unit, rec.basis, **provenance(rec), entity=entity_id, compartment=comp)
        return name

    def model_param(self, key: str, default: float, unit: str = "relative") -> str:
        name = "g_" + re.sub(r"[^A-Za-z0-9]+", "_", key)
        if name not in self.m.params:
            rec = self.ctx.param(key)
            if rec is None:
                self.m.param(name, default, unit, "assumed", note=f"built-in default for '{key}' (the context does "
                                                                  "not declare it)")
            else:
                self.m.param(name, rec.value, rec.unit, rec.basis, **provenance(rec))
        return name

    # ---- structure --------------------------------------------------------------------------------------------------
    def compartments(self) -> None:
        for s in self.ctx.sites:
            rec = s.params.get("compartment.volume")
            vol = f"V__{s.name}"
            if rec is None:
                self.m.param(vol, 1.0, "L", "assumed", note="a culture medium: one well-mixed compartment, unit volume "
                             "(a convention that cancels from every concentration)", role="convention")
            else:
                self.m.param(vol, rec.value, rec.unit, rec.basis, **provenance(rec), compartment=s.name)
            self.m.compartments[s.name] = Compartment(s.name, s.label, s.entity, vol)

    def add_species(self, entity_id: str, comp: str) -> None:
        self.species.setdefault((entity_id, comp), "state")

    def add_gene(self, entity_id: str, comp: str, why: str = "") -> None:
        self.genes.setdefault((entity_id, comp), []).append(why)

    def flux(self, name: str, rate: str, stoich: dict[tuple[str, str], float], kind: str, comp: str,
             edges: tuple[str, ...] = (), produces: tuple[tuple[str, str], ...] = ()) -> None:
        moves = tuple((self.sym(*k), v) for k, v in stoich.items() if v)
        self.fluxes.append(Flux(name, rate, moves, kind, comp, edges))
        for key in produces:
            self.production.setdefault(key, []).append(name)

    def reactions(self) -> None:
        """Transports and catalysis groups in every compartment that declares their capacity."""
        quals = {e.id: load_schema().mechanisms.get(e.mechanism, {}).get("qualifiers", []) for e in self.edges}
        groups: dict[tuple[Any, ...], list[Any]] = {}
        transports = []
        for e in self.edges:
            q = quals[e.id]
            if "from_compartment" in q and e.kinetics is not None and e.id in self.kinetic_edges:
                transports.append(e)
            elif "substrates" in q and e.substrates:
                groups.setdefault((e.subject, tuple(e.substrates), tuple(e.products), e.compartment), []).append(e)
        for comp in self.sites:
            for e in transports:
                self._transport(e, comp)
            for key, members in sorted(groups.items(), key=lambda kv: str(kv[0])):
                self._catalysis(key, members, comp)

    def _acts_in(self, edge: Any, comp: str, capacity: str) -> bool:
        """Whether a reaction exists in a compartment: the compartment declares its capacity, or (outside the body
        model) the edge carries it. A transport into plasma needs plasma: not in a culture context."""
        if edge.to_compartment == "plasma" and not self.ctx.body:
            return False
        if self.sites[comp].declares(edge, capacity):
            return True
        return not self.ctx.body and edge.kinetics is not None and capacity in edge.kinetics.parameters

    def check_capacities(self) -> None:
        """Every `SUBJECT>OBJECT.param` a compartment declares must name a kinetic edge of the graph (a typo would
        otherwise silently leave an enzyme out)."""
        pairs = {(e.subject, e.object) for e in self.g.edges if e.kinetics is not None}
        for comp, sp in self.sites.items():
            for (s, o) in sorted(sp.edge_over):
                if (s, o) not in pairs:
                    raise KgError(f"context '{comp}' declares parameters for {self.label(s)}>{self.label(o)}, but "
                                  f"no kinetic edge links them")

    def _transport(self, e: Any, comp: str) -> None:
        law = e.kinetics.rate_law
        if law not in TRANSPORT_LAWS:
            raise KgError(f"edge {e.id}: unknown transport rate law '{law}'")
        if not self._acts_in(e, comp, TRANSPORT_LAWS[law][0]):
            return
        to_blood = e.to_compartment == "plasma" and self.ctx.body
        if to_blood and comp == self.hub:
            raise KgError(f"edge {e.id}: a transport into plasma cannot act in plasma itself ({comp})")
        params = [self.edge_param(e, comp, n) for n in TRANSPORT_LAWS[law]]
        enzyme, obj, vol = (e.subject, comp), (e.object, comp), f"V__{comp}"
        self.add_gene(*enzyme, "reaction")
        self.add_species(*obj)
        amount = self.sym(*enzyme)
        name = f"v_{self.stem(e.subject)}_{self.stem(e.object)}__{comp}"
        if law == "zero_order":
            rate = product([vol, params[0], amount])
        else:
            rate = self._saturable(law, params, [self.sym(*obj)], amount, vol)
        self.reaction_edges.add(e.id)
        if to_blood:
            self.add_species(e.object, self.hub)
            self.flux(name, rate, {obj: -1.0, (e.object, self.hub): 1.0}, "transfer", comp, (e.id,))
        elif is_uptake(e) and law != "zero_order":
            self.flux(name, rate, {obj: -1.0}, "reaction", comp, (e.id,))
        elif not is_uptake(e) and law == "zero_order":
            self.flux(name, rate, {obj: 1.0}, "reaction", comp, (e.id,), produces=(obj,))
        else:
            raise KgError(f"edge {e.id}: a '{law}' transport {'out of' if is_uptake(e) else 'into'} the "
                          f"extracellular space is not modelled (release is zero_order, uptake saturable or linear)")

    @staticmethod
    def _saturable(law: str, params: list[str], substrates: list[str], amount: str, vol: str) -> str:
        s = product(substrates)
        if law == "mass_action":
            return product([vol, params[0], amount, s])
        return f"{vol} * {params[0]} * {amount} * {s} / ({params[1]} + {s})"

    def _catalysis(self, key: tuple[Any, ...], members: list[Any], comp: str) -> None:
        enzyme_id, subs, prods, _c = key
        group = [g for g in members if g.id in self.kinetic_edges]
        if not group:
            return
        lead = group[0]
        law = lead.kinetics.rate_law
        if any(g.kinetics.rate_law != law for g in group):
            raise KgError(f"edges of one reaction of {self.label(enzyme_id)} disagree on the rate law: "
                          f"{[g.id for g in group]}")
        if law not in CATALYSIS_LAWS:
            raise KgError(f"edge {lead.id}: unknown catalysis rate law '{law}'")
        if not self._acts_in(lead, comp, CATALYSIS_LAWS[law][0]):
            return
        params = [self.edge_param(lead, comp, n) for n in CATALYSIS_LAWS[law]]
        self.add_gene(enzyme_id, comp, "reaction")
        for s in (*subs, *prods):
            self.add_species(s, comp)
        stoich: dict[tuple[str, str], float] = {(s, comp): -1.0 for s in subs}
        for p in prods:
            stoich[(p, comp)] = stoich.get((p, comp), 0.0) + self._count(group, p)
        vol = f"V__{comp}"
        rate = self._saturable(law, params, [self.sym(s, comp) for s in subs], self.sym(enzyme_id, comp), vol)
        name = f"v_{self.stem(enzyme_id)}_{'_'.join(self.stem(s) for s in subs)}__{comp}"
        self.reaction_edges.update(g.id for g in members)
        self.flux(name, rate, stoich, "reaction", comp, tuple(sorted(g.id for g in members)),
                  produces=tuple((p, comp) for p in prods))

    def _count(self, group: list[Any], product_id: str) -> float:
        from kg.simulate.model.params import resolve

        count = 1.0
        for g in group:
            for k, val in g.kinetics.parameters.items():
                if k.startswith("stoichiometry:") and resolve(self.g, k.split(":", 1)[1], "edge", k) == product_id:
                    count = float(val.value)
        return count

    def transfers(self) -> None:
        """Physiological transfers between a compartment and plasma (or outside), from the compartments'
        parameters."""
        if not self.ctx.body:
            return
        for comp, sp in self.sites.items():
            for entity_id, values in sorted(sp.entity.items()):
                for kind in TRANSFERS:
                    if kind in values:
                        self._transfer(entity_id, comp, kind)

    def _transfer(self, s: str, comp: str, kind: str) -> None:
        if comp == self.hub and kind != "intake":
            raise KgError(f"'{self.label(s)}.{kind}' is declared on plasma; transfers are declared on the "
                          f"compartment that exchanges with plasma")
        q = self.site_param(s, comp, kind)
        here, blood, vol = (s, comp), (s, self.hub), f"V__{comp}"
        self.add_species(*here)
        if kind != "intake":
            self.add_species(*blood)
        name = f"t_{kind}_{self.stem(s)}__{comp}"
        if kind == "exchange":
            rate = f"{vol} * {q} * ({self.sym(*here)} - {self.sym(*blood)})"
            self.flux(name, rate, {here: -1.0, blood: 1.0}, "transfer", comp)
        elif kind == "filtration":
            self.flux(name, f"{q} * {self.sym(*blood)}", {blood: -1.0, here: 1.0}, "transfer", comp)
        elif kind == "outflow":
            self.flux(name, f"{q} * {self.sym(*here)}", {here: -1.0}, "transfer", comp)
        elif kind == "intake":
            self.flux(name, q, {here: 1.0}, "source", comp, produces=(here,))
        else:
            self.flux(name, f"{q} * {self.sym(*here)}", {here: -1.0, blood: 1.0}, "transfer", comp,
                      produces=(blood,) if kind == "absorption" else ())

    def relays(self, covered: set[str]) -> set[str]:
        """Genes outside the module that a modelled entity regulates and that regulate a modelled entity in turn
        (ENPP1 -| FGF23 -| NPT2a): they get an amount, so the loop closes inside the steady state."""
        signed = [e for e in self.edges if e.mechanism not in NON_PROPAGATING_MECHANISMS and e.subject != e.object
                  and edge_sign(e) and (e.kinetics is None or e.kinetics.rate_law == "hill")]
        relays: set[str] = set()
        while True:
            inside = covered | relays
            new = {e.subject for e in signed if e.object in inside and e.subject not in inside
                   and self.g.entity(e.subject).category in GENE_CATEGORIES
                   and any(f.object == e.subject and f.subject in inside for f in signed)}
            if not new:
                return relays
            relays |= new

    def species_terms(self) -> None:
        """States or fixed values, sources and clearances of every species instance."""
        for (s, comp) in sorted(self.species):
            conc = self.sites[comp].of(s, "concentration")
            sym = self.sym(s, comp)
            if conc is not None:
                self.species[(s, comp)] = "fixed"
                self.m.param(sym, conc.value, conc.unit, conc.basis, **provenance(conc), role="fixed", entity=s,
                             compartment=comp)
                self.m.readouts[(s, comp)] = sym
                continue
            self.m.states.append(State(sym, s, comp, SPECIES, UM))
            self.m.readouts[(s, comp)] = sym
            vol = f"V__{comp}"
            src = self.site_param(s, comp, "source")
            if src is not None:
                self.flux(f"src_{sym}", f"{vol} * {src}", {(s, comp): 1.0}, "source", comp, produces=((s, comp),))
            clr = self.site_param(s, comp, "clearance")
            if clr is not None:
                self.flux(f"clr_{sym}", f"{vol} * {clr} * {sym}", {(s, comp): -1.0}, "clearance", comp)

    def gene_params(self, entity_id: str) -> tuple[str, str, str]:
        stem = self.stem(entity_id)
        names = (f"expr__{stem}", f"act__{stem}", f"tg__{stem}")
        if names[0] not in self.m.params:
            note = "1 = the context's baseline; perturbations set it (ko 0, knockdown, variants)"
            self.m.param(names[0], 1.0, REL, "assumed", note="expression " + note, role="gene.expression",
                         entity=entity_id)
            self.m.param(names[1], 1.0, REL, "assumed", note="activity " + note, role="gene.activity",
                         entity=entity_id)
            self.m.param(names[2], 0.0, REL, "assumed", note="added (transgenic) protein; 0 at baseline",
                         role="gene.transgene", entity=entity_id)
        return names

    def turnover(self, entity_id: str) -> str:
        """First-order turnover rate (1/h) of a regulated gene product: ln 2 / its half-life (`NAME.half_life`
        in plasma or the context, else `regulation.half_life`)."""
        name = f"kturn__{self.stem(entity_id)}"
        if name in self.m.params:
            return name
        rec = None
        for comp in (self.hub, self.ctx.primary):
            rec = rec or self.sites[comp].of(entity_id, "half_life")
        if rec is not None:
            span = {"low": math.log(2) / rec.high, "high": math.log(2) / rec.low} if rec.low is not None else {}
            return self.m.param(name, math.log(2) / rec.value, "1/h", "derived" if rec.source else rec.basis,
                                source=rec.source, note=f"ln 2 / half-life {rec.value:g} {rec.unit}; "
                                                        f"{rec.note or ''}".strip(), entity=entity_id, **span)
        hl = self.model_param("regulation.half_life", 24.0, "h")
        value = math.log(2) / self.m.params[hl].value
        return self.m.param(name, value, "1/h", "assumed", note=f"ln 2 / the default protein half-life ({hl})",
                            entity=entity_id, group="kturn__default")

    def amounts(self, multipliers: dict[tuple[str, str, str], str], supplies: dict[tuple[str, str], list[str]]) \
            -> None:
        """Each gene product's amount: a rule when nothing regulates it, else a state relaxing to its target. Where an
        agent supplies the product (ENPP1-Fc, asfotase alfa), the endogenous part is a rule of its own (`endo__`):
        the gene's signal to what it regulates, which the supplied enzyme does not carry."""
        for (g, comp) in sorted(self.genes):
            expr, act, tg = self.gene_params(g)
            m_expr = multipliers.get(("expression", g, comp))
            m_act = multipliers.get(("activity", g, comp))
            target = f"({product([expr, *([m_expr] if m_expr else []), act])} + {tg})"
            if m_act:
                target = f"{target} * {m_act}"
            sym = self.sym(g, comp)
            if supplies.get((g, comp)):
                self.m.rules.append(Rule(f"endo__{sym}", target, "endogenous", g, comp, REL))
                target = f"endo__{sym}"
            for term in supplies.get((g, comp), []):
                target = f"{target} + {term}"
            self.m.readouts[(g, comp)] = sym
            if not (m_expr or m_act or supplies.get((g, comp))):
                self.m.rules.append(Rule(sym, target, "amount", g, comp, REL))
                continue
            self.m.rules.append(Rule(f"target__{sym}", target, "target", g, comp, REL))
            self.m.states.append(State(sym, g, comp, AMOUNT, REL))
            k = self.turnover(g)
            self.fluxes.append(Flux(f"turn_{sym}", f"{k} * (target__{sym} - {sym})", ((sym, 1.0),), "turnover", comp))

