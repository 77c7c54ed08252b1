"""Regulation and chemistry in the model: Hill multipliers from regulation edges, supplies by agents, and the
deposition indices from the Pi/PPi ratio and the ion product.

A multiplier is m(r) = 1 + (max_fold - 1) r^n / (K^n + r^n), divided by its value at the baseline signal b, so it
is 1 at baseline. The signal r is the regulator's level relative to its baseline (`ref__` parameters, filled in
from the baseline steady state) read in the target's compartment, else in plasma (a circulating hormone), else
an input (dose of an agent, relative level of an unmodelled regulator); `via:NAME` carriers gate it
(r x carrier amount^exponent). The parameter `regulation` (1) switches every signal to its baseline value when 0,
which is how the baseline is solved. Edges stated for one compartment (`context:` a body compartment, or a
supply's `compartment: plasma`) act there only.
Deposition index of a process in a compartment: f(R) x prod((X / X_baseline)^e) x multipliers, where
R = [Pi]/[PPi] (pi_ppi_ratio edges; Cheng & Pritzker 1983), f = R^n / (T^n + R^n) for a phase that grows with R
(hydroxyapatite) or 1 - that (calcium pyrophosphate), written without division by a concentration; the product
runs over `proportional` edges (calcium; a deposition that feeds another, e.g. hydroxyapatite deposition in bone
-> bone mineralization) and the `ion_product` exponent of a pi_ppi_ratio edge (Pi in the Ca x Pi product). A
signed edge into an index from an entity its chemistry already reads (Pi -> bone mineralization, whose index is
bone's hydroxyapatite deposition) adds no multiplier: the chemistry carries that mechanism, and the edge still
acts in the signed layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.errors import KgError
from kg.simulate.model.build import INDEX, SUMMARY_LAW, TRANSPORT_LAWS, Builder
from kg.simulate.model.expr import product, symbols
from kg.simulate.model.ir import Flux, Rule
from kg.simulate.network import ABSENT_AT_BASELINE, NON_PROPAGATING_MECHANISMS, carriers, edge_sign


@dataclass
class Deposition:
    process: str
    ratio: dict[str, Any] = field(default_factory=dict)  # species -> edge (exponent +1 numerator, -1 denominator)
    scale: dict[str, Any] = field(default_factory=dict)  # entity -> edge (proportional, or Pi's ion_product)
    edges: list[Any] = field(default_factory=list)


class Regulation:
    """Adds the deposition indices, carriers, relays, multipliers and supplies to a Builder's model."""

    def __init__(self, b: Builder) -> None:
        self.b, self.m = b, b.m
        self.indices: set[tuple[str, str]] = set()
        self.chem_inputs: dict[tuple[str, str], set[str]] = {}  # index -> the entities its chemistry reads
        self.inputs: set[str] = set()
        self.refs: dict[str, str] = {}  # ref param -> symbol whose baseline value it takes
        self.base_prod: dict[str, tuple[str, str]] = {}  # base-production param -> species key

    # ---- deposition chemistry -----------------------------------------------------------------------------------
    def depositions(self) -> None:
        specs: dict[str, Deposition] = {}
        for e in self.b.kin:
            law = e.kinetics.rate_law
            if law not in ("pi_ppi_ratio", "proportional"):
                continue
            d = specs.setdefault(e.object, Deposition(e.object))
            d.edges.append(e)
            (d.ratio if law == "pi_ppi_ratio" else d.scale)[e.subject] = e
            self.b.mineral_edges.add(e.id)
        pending = {(p, c) for p in specs for c in self._where(specs[p])}
        while pending:
            done = {key for key in pending if self._inputs_ready(specs[key[0]], key[1])}
            if not done:
                if not self.b.ctx.body:
                    p, c = sorted(pending)[0]
                    missing = [self.b.label(x) for x in self._inputs(specs[p]) if not self._present(x, c)]
                    raise KgError(f"context '{c}' needs '{missing[0]}.concentration' (it sets {self.b.label(p)})")
                break
            for p, c in sorted(done):
                self._index(specs[p], c)
            pending -= done

    def _where(self, d: Deposition) -> list[str]:
        contexts = {e.context for e in d.edges if e.context}
        sites = [s for s in self.b.ctx.sites if not contexts or s.entity in contexts or not self.b.ctx.body]
        return [s.name for s in sites]

    @staticmethod
    def _inputs(d: Deposition) -> list[str]:
        return [*d.ratio, *d.scale]

    def _present(self, entity_id: str, comp: str) -> bool:
        if (entity_id, comp) in self.b.species or (entity_id, comp) in self.indices:
            return True
        if self.b.sites[comp].of(entity_id, "concentration") is not None:
            self.b.add_species(entity_id, comp)
            return True
        return False

    def carried_by_chemistry(self, entity_id: str, process: str, comp: str) -> bool:
        """Whether a deposition index already reads the entity there: one of its chemistry's ions or inputs, or an
        input or regulator of a deposition feeding it (bone mineralization is bone's hydroxyapatite deposition, so
        Pi, PPi, calcium and osteopontin act on it through that index). A signed edge from such an entity states the
        same mechanism at a summary level; a multiplier of its own would count it twice."""
        seen, todo = {process}, [process]
        while todo:
            x = todo.pop()
            for y in self.chem_inputs.get((x, comp), ()):
                if y == entity_id or ((y, comp) in self.indices and entity_id in self._regulators(y, comp)):
                    return True
                if y not in seen:
                    seen.add(y)
                    todo.append(y)
        return False

    def _regulators(self, process: str, comp: str) -> set[str]:
        """Subjects of the signed edges that act on a deposition index in a compartment (its multipliers)."""
        return {e.subject for e in self.b.edges if e.object == process and e.subject != e.object and edge_sign(e)
                and e.mechanism not in NON_PROPAGATING_MECHANISMS and self._applies(e, comp)}

    def _inputs_ready(self, d: Deposition, comp: str) -> bool:
        return all(self._present(x, comp) for x in self._inputs(d))

    def _index(self, d: Deposition, comp: str) -> None:
        b, sym = self.b, self.b.sym(d.process, comp)
        factors: list[str] = []
        if d.ratio:
            if len(d.ratio) != 2:
                raise KgError(f"deposition {b.label(d.process)} needs two pi_ppi_ratio edges (Pi and PPi)")
            num, den, rises, threshold, hill = [], [], True, None, "1.0"
            for x, e in sorted(d.ratio.items()):
                expo = b.m.params[b.edge_param(e, comp, "exponent")].value
                (num if expo > 0 else den).append(b.sym(x, comp))
                t = b.edge_param(e, comp, "threshold")
                threshold = threshold or t
                if abs(b.m.params[t].value - b.m.params[threshold].value) > 1e-12:
                    raise KgError(f"edges into {b.label(d.process)} disagree on the Pi/PPi threshold")
                hill = b.edge_param(e, comp, "n", 1.0)
                if expo > 0:
                    rises = edge_sign(e) > 0
                    ion = b.sites[comp].edge(e, "ion_product")
                    if ion is not None:
                        factors.append(f"({self._relative(x, comp)}) ^ {b.edge_param(e, comp, 'ion_product')}")
            n_term, d_term = f"({product(num)}) ^ {hill}", f"({threshold} * {product(den)}) ^ {hill}"
            frac = f"{n_term} / ({d_term} + {n_term})" if rises else f"{d_term} / ({d_term} + {n_term})"
            self.m.rules.append(Rule(f"frac__{sym}", frac, "ratio", d.process, comp, INDEX,
                                     tuple(sorted(e.id for e in d.ratio.values()))))
            factors.insert(0, f"frac__{sym}")
        for x, e in sorted(d.scale.items()):
            factors.append(f"({self._relative(x, comp)}) ^ {b.edge_param(e, comp, 'exponent')}")
        scale = self.m.param(f"scale__{sym}", 1.0, "relative", "assumed", role="index.scale", entity=d.process,
                             compartment=comp, note="1 at baseline; a perturbation of the process itself sets it")
        self.m.rules.append(Rule(f"chem__{sym}", product([*factors, scale]), "chemistry", d.process, comp, INDEX,
                                 tuple(sorted(e.id for e in d.edges))))
        self.indices.add((d.process, comp))
        self.chem_inputs[(d.process, comp)] = set(self._inputs(d))
        self.m.readouts[(d.process, comp)] = sym

    def _relative(self, entity_id: str, comp: str) -> str:
        """The entity's level in a compartment over its baseline value there."""
        sym = self.b.sym(entity_id, comp)
        ref = f"ref__{sym}"
        if ref not in self.m.params:
            self.m.param(ref, 1.0, "as the level", "derived", role="baseline", entity=entity_id, compartment=comp,
                         note="the baseline steady state's value (set when the baseline is solved)")
            self.refs[ref] = sym
        return f"{sym} / {ref}"

    # ---- gene products outside reactions ------------------------------------------------------------------------
    def carriers_and_relays(self) -> None:
        """Relays are systemic (one amount in plasma); carriers (via:NAME) sit with the targets they gate."""
        covered = {x for x, _c in (*self.b.species, *self.b.genes, *self.indices)}
        for r in sorted(self.b.relays(covered)):
            self.b.add_gene(r, self.b.hub, "relay")
        for e in self.b.kin:
            gates = self._carriers(e)
            if gates and e.kinetics.rate_law != "hill":
                raise KgError(f"edge {e.id}: 'via:' names a carrier of a hill edge's signal, other than its subject "
                              f"and object, with a positive exponent (got {gates[0][0]} on a "
                              f"'{e.kinetics.rate_law}' edge)")
            for c, expo in gates:
                if c in (e.subject, e.object) or expo <= 0:
                    raise KgError(f"edge {e.id}: 'via:' names a carrier of a hill edge's signal, other than its "
                                  f"subject and object, with a positive exponent (got {c} with {expo})")
                for comp in self._target_comps(e):
                    self.b.add_gene(c, comp, "carrier")

    def _carriers(self, e: Any) -> list[tuple[str, float]]:
        from kg.simulate.model.params import resolve

        return carriers(e, lambda name: resolve(self.b.g, name, "edge", f"via:{name} of edge {e.id}"))

    def _target_comps(self, e: Any) -> list[str]:
        return [c for (x, c) in (*self.b.genes, *self.b.species, *self.indices)
                if x == e.object and self._applies(e, c)]

    def _applies(self, e: Any, comp: str) -> bool:
        b = self.b
        if not b.ctx.body:
            return True
        if e.context and e.context != b.ctx.site(comp).entity:
            return e.context not in {s.entity for s in b.ctx.sites}  # a culture-specific edge: kept out below
        return not (e.compartment == "plasma" and comp != b.hub)

    # ---- multipliers ----------------------------------------------------------------------------------------------
    def modifiers(self) -> tuple[dict[tuple[str, str, str], str], dict[tuple[str, str], list[str]]]:
        b = self.b
        body_sites = {s.entity for s in b.ctx.sites}
        factors: dict[tuple[str, str, str], list[str]] = {}
        supplies: dict[tuple[str, str], list[str]] = {}
        targets = {**{k: "gene" for k in b.genes}, **{k: "species" for k in b.species},
                   **{k: INDEX for k in self.indices}}
        skip = b.reaction_edges | b.mineral_edges
        defaults = self._defaults()
        for e in b.edges:
            if e.id in skip or e.subject == e.object or e.mechanism in NON_PROPAGATING_MECHANISMS:
                continue
            law = e.kinetics.rate_law if e.kinetics is not None else None
            if law in TRANSPORT_LAWS:  # a reaction this context does not hold (no capacity declared here)
                continue
            if law == SUMMARY_LAW or (b.ctx.body and e.context and e.context not in body_sites):
                continue
            if law not in (None, "hill", "supply"):
                raise KgError(f"edge {e.id}: unknown rate law '{law}' for a {e.mechanism} edge")
            sign = edge_sign(e)
            if law is None and not sign:
                continue
            for comp in sorted(c for (x, c) in targets if x == e.object and self._applies(e, c)):
                kind = targets[(e.object, comp)]
                if kind == INDEX and self.carried_by_chemistry(e.subject, e.object, comp):
                    continue
                if law == "supply":
                    self._supply(e, comp, kind, supplies)
                    continue
                on = ("expression" if e.mechanism == "expression_regulation" else "activity") if kind == "gene" \
                    else ("production" if kind == "species" else "index")
                factors.setdefault((on, e.object, comp), []).append(self._factor(e, comp, law, sign, defaults))
        out = {}
        for (on, x, comp), fs in sorted(factors.items()):
            name = f"m_{on}__{b.sym(x, comp)}"
            self.m.rules.append(Rule(name, product(fs), "multiplier", x, comp, "relative"))
            out[(on, x, comp)] = name
        return out, supplies

    def _defaults(self) -> dict[str, str]:
        b = self.b
        return {"up": b.model_param("regulation.max_fold_up", 2.0),
                "down": b.model_param("regulation.max_fold_down", 0.5),
                "K": b.model_param("regulation.K", 1.0), "n": b.model_param("regulation.n", 1.0)}

    def _factor(self, e: Any, comp: str, law: str | None, sign: int, defaults: dict[str, str]) -> str:
        b = self.b
        if law == "hill":
            fold, k, n = (b.edge_param(e, comp, "max_fold"), b.edge_param(e, comp, "K"),
                          b.edge_param(e, comp, "n", 1.0))
        else:
            fold, k, n = defaults["up" if sign > 0 else "down"], defaults["K"], defaults["n"]
        if (b.m.params[fold].value - 1.0) * sign < 0:
            raise KgError(f"edge {e.id}: max_fold {b.m.params[fold].value} contradicts the sign of '{e.predicate}'")
        signal, base = self.signal(e.subject, comp)
        gates = [f"{b.sym(c, comp)} ^ {expo!r}" for c, expo in (self._carriers(e) if law == "hill" else [])]
        if gates:
            signal = product([f"({signal})", *gates])
        reg = self.switch()
        r = f"({reg} * {signal} + (1 - {reg}) * {base!r})"
        rise = f"({fold} - 1) * {r} ^ {n} / ({k} ^ {n} + {r} ^ {n})"
        norm = f"(1 + ({fold} - 1) * {base!r} ^ {n} / ({k} ^ {n} + {base!r} ^ {n}))" if base else ""
        name = f"f_{len(self.m.rules)}__{b.sym(e.object, comp)}"
        self.m.rules.append(Rule(name, f"(1 + {rise}) / {norm}" if norm else f"1 + {rise}", "factor", e.object,
                                 comp, "relative", (e.id,)))
        return name

    def switch(self) -> str:
        if "regulation" not in self.m.params:
            self.m.param("regulation", 1.0, "1", "assumed", role="switch",
                         note="1: regulation acts; 0: every signal at its baseline (how the baseline is solved)")
        return "regulation"

    def signal(self, entity_id: str, comp: str) -> tuple[str, float]:
        """The regulator's level relative to baseline, where the target is (else in plasma), and the baseline."""
        b = self.b
        for c in (comp, b.hub):
            if (entity_id, c) in b.genes:
                if self.supplied(entity_id, c):  # an added enzyme (ENPP1-Fc) acts as enzyme, not as the gene's signal:
                    return f"endo__{b.sym(entity_id, c)}", 1.0  # the endogenous, regulated product (build.amounts)
                return b.sym(entity_id, c), 1.0
            if (entity_id, c) in b.species or (entity_id, c) in self.indices:
                return self._relative(entity_id, c), 1.0
        return self.input(entity_id), self.baseline_level(entity_id)

    def supplied(self, entity_id: str, comp: str) -> bool:
        """Whether an agent's supply edge adds this gene product in this compartment."""
        return any(e.object == entity_id and e.kinetics is not None and e.kinetics.rate_law == "supply"
                   and self._applies(e, comp) for e in self.b.edges)

    def baseline_level(self, entity_id: str) -> float:
        return 0.0 if self.b.g.entity(entity_id).category in ABSENT_AT_BASELINE else 1.0

    def input(self, entity_id: str) -> str:
        name = f"in__{self.b.stem(entity_id)}"
        if name not in self.m.params:
            lvl = self.baseline_level(entity_id)
            self.m.param(name, lvl, "relative", "assumed", role="input", entity=entity_id,
                         note="level relative to baseline (1), or dose of an agent (0 unless given)")
            self.inputs.add(entity_id)
        return name

    def _supply(self, e: Any, comp: str, kind: str, supplies: dict[tuple[str, str], list[str]]) -> None:
        b = self.b
        dose = self.input(e.subject)
        if kind == "gene":
            supplies.setdefault((e.object, comp), []).append(f"{b.edge_param(e, comp, 'amount')} * {dose}")
            return
        if kind != "species" or b.species.get((e.object, comp)) != "state":
            raise KgError(f"edge {e.id}: a supply of {b.label(e.object)} needs it modelled as a species")
        sym = b.sym(e.object, comp)
        base = f"base_prod__{sym}"
        if base not in self.m.params:
            self.m.param(base, 0.0, "umol/h", "derived", role="baseline", entity=e.object, compartment=comp,
                         note="the baseline production (set when the baseline is solved)")
            self.base_prod[base] = (e.object, comp)
        b.fluxes.append(Flux(f"sup_{b.stem(e.subject)}__{sym}", f"{b.edge_param(e, comp, 'rate')} * {dose} * {base}",
                             ((sym, 1.0),), "source", comp, (e.id,)))

    def production(self, multipliers: dict[tuple[str, str, str], str]) -> None:
        """A species' production multiplier acts on every flux counted as its production (sources, reaction
        products, absorption), as one explicit extra flux: (m - 1) x production."""
        b = self.b
        for (on, x, comp), m in sorted(multipliers.items()):
            if on != "production" or b.species.get((x, comp)) != "state":
                continue
            feeds = b.production.get((x, comp), [])
            if not feeds:
                continue
            total = " + ".join(self._produced(f, b.sym(x, comp)) for f in feeds)
            b.fluxes.append(Flux(f"regprod__{b.sym(x, comp)}", f"({m} - 1) * ({total})", ((b.sym(x, comp), 1.0),),
                                 "regulation", comp))

    def _produced(self, flux_name: str, state: str) -> str:
        f = next(f for f in self.b.fluxes if f.name == flux_name)
        k = dict(f.stoich)[state]
        return f"({f.rate})" if k == 1.0 else f"{k!r} * ({f.rate})"


def order_rules(rules: list[Rule]) -> list[Rule]:
    """Rules in evaluation order (each after the rules it reads); KgError naming a cycle."""
    by_name = {r.name: r for r in rules}
    done: dict[str, bool] = {}
    out: list[Rule] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if done.get(name):
            return
        if name in path:
            raise KgError(f"assignment rules form a cycle: {' -> '.join([*path[path.index(name):], name])}")
        for dep in sorted(symbols(by_name[name].expr)):
            if dep in by_name:
                visit(dep, (*path, name))
        done[name] = True
        out.append(by_name[name])

    for r in rules:
        visit(r.name, ())
    return out
