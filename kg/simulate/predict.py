"""Predictions: perturbations in, one readout per entity out, each decided by the kinetic layer where it covers the
entity (magnitude) and by the signed layer elsewhere, with the paths and evidence that produce it.

Order of work for one run:
1. parse the perturbations, each with its `@COMPARTMENT`; an allele of unknown effect splits the run into its
   scenarios (kg.variants.scenarios); a genotype's interaction losses remove their edges; genotypes reach the model
   through changes.Effects (kg.variants.dosage.gene_factors: one GeneChange per gene, in every compartment);
2. signed layer, phase A: from the perturbed entities outside the kinetic module to the module's inputs (e.g. a
   regulator upstream of TGF-β1), so the kinetic layer knows which inputs moved;
3. kinetic layer: baseline and perturbed steady states; directions from the fold changes;
4. signed layer, phase B: from the perturbations and every kinetic readout that moved, to the rest of the graph
   (inflammation, FGF23, ...), never re-deciding a kinetic readout. Each seed carries the size of its change
   (|ln fold|) and enters at its distance from the perturbation (a kinetic readout at the signed distance the
   perturbation reaches it); opposite signs at the same distance are weighed (signed.weigh, DECISIVE_RATIO);
5. explanations: the strongest simple signed paths supporting and opposing each call. A kinetic (or input)
   readout is explained by paths from the perturbations over the whole graph, ranked among those the kinetic
   layer's steps carried (explain.carried), with the chemistry of a deposition index in its compartment. A signed
   readout is explained by the paths that decide it: from the phase-B seeds (the perturbations and the kinetic
   readouts that moved, each path saying where its first entity's change came from), never entering a kinetic
   readout, exactly as phase B propagates. An ambiguous readout lists, as `supporting`, the strongest path of each
   sign (preferring those at the deciding distance): the two influences the signed layer cannot weigh against each
   other.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.simulate import doses, where
from kg.simulate.cache import networks
from kg.simulate.changes import Effects, kinds
from kg.simulate.contexts import Context, resolve_context
from kg.simulate.explain import carried, chemistry_inputs
from kg.simulate.fit import contextfile
from kg.simulate.network import active_edges, adjacency
from kg.simulate.parallel import parallel_edge_notes
from kg.simulate.perturb import Perturbation, distinct, parse
from kg.simulate.readouts import NOMINAL_KINETIC, Readouts, Run, derive_confidence, direction_of
from kg.simulate.signed import Seed, best_paths, magnitude, propagate, weigh


@dataclass
class Prediction:
    context: Context
    perturbations: list[Perturbation]
    hypotheses: list[str]
    readouts: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    graph: Any = None
    ensemble: dict[str, Any] | None = None  # how the readouts' spreads were drawn (kg predict --ensemble)
    changes: Any = None  # the kinetic Changes solved (what exporters and time courses set on the model) ...
    kinetic: Any = None  # ... on this KineticRun (the model of the run's edges)
    plan: Any = None  # how to run it again under parameter draws (a Plan)

    def to_json(self) -> dict[str, Any]:
        out = {"context": self.context.describe(),
               "perturbations": [p.to_json(self.graph) for p in self.perturbations],
               "hypotheses": self.hypotheses, "notes": self.notes, "readouts": self.readouts}
        if self.ensemble is not None:
            out["ensemble"] = self.ensemble
        return out

    def readout(self, entity_id: str) -> dict[str, Any]:
        for r in self.readouts:
            if r["id"] == entity_id:
                return r
        raise KeyError(entity_id)


def predict(graph: Any, perturbations: list[str], context: str | None = None, hypotheses: list[str] = (),
            readouts: list[str] | None = None, ensemble: Any = None) -> Prediction:
    """Predict every readout (or the named ones) under the perturbations in a context (default: plasma)."""
    return Simulator(graph, context, hypotheses).run(perturbations, readouts, ensemble)


def resolve_hypotheses(graph: Any, names: list[str] | tuple[str, ...]) -> frozenset[str]:
    """Edge ids of the contested/hypothetical claims switched on: an edge id, its claim text,
    'SUBJECT PREDICATE OBJECT', or 'all'."""
    from kg.schema import load_schema

    rival = [e for e in graph.edges if e.status != "established"]
    out: set[str] = set()
    for name in names:
        text = name.strip()
        if text.lower() == "all":
            out.update(e.id for e in rival)
            continue
        hits = [e for e in rival if text == e.id or (e.claim and text.casefold() == e.claim.casefold())]
        words = text.split()
        preds = [i for i, w in enumerate(words) if w in load_schema().predicates]
        if not hits and len(preds) == 1 and 0 < preds[0] < len(words) - 1:
            i = preds[0]
            subj, obj = graph.resolve(" ".join(words[:i])).id, graph.resolve(" ".join(words[i + 1:])).id
            hits = [e for e in rival if e.subject == subj and e.object == obj and e.predicate == words[i]]
        if not hits:
            known = "; ".join(f"{e.id} ({graph.entity(e.subject).label} {e.predicate} "
                              f"{graph.entity(e.object).label})" for e in rival) or "none"
            raise InputError(f"no contested or hypothetical claim matches '{name}'; known: {known}")
        out.update(e.id for e in hits)
    return frozenset(out)


@dataclass
class Plan:
    """What a run solved, for solving it again with other effect sizes (an ensemble's draws, a dose sweep)."""

    sim: Any  # Simulator
    perts: list[Perturbation]
    comps: list[str | None]
    net: Any  # Network
    reached: dict[str, str]  # kinetic inputs the signed layer reached, and their direction
    used: dict[str, Any]  # effect sizes read: key -> changes.Size

    def changes(self, sizes: dict[str, Any] | None = None) -> Any:
        """The run's kinetic Changes, with effect sizes replaced by `sizes` (key -> value)."""
        return self.sim.changes(Effects(self.sim.graph, self.sim.ctx, sizes), self.perts, self.comps, self.net,
                                self.reached)


@dataclass
class Network:
    """What one run's edge set gives: the signed adjacency and the calibrated kinetic model, with the model's
    inputs (unmodelled regulators and agents) and what a perturbation sets for each (entity, compartment)."""

    adj: dict[str, list[Any]]
    kin: Any  # KineticRun
    inputs: set[str]
    kinds: dict[tuple[str, str], str]
    parallel: list[str] = field(default_factory=list)  # notes on parallel edges from different sources

    @property
    def model(self) -> Any:
        return self.kin.model


class Simulator:
    """One graph, context and hypothesis set; reused across the many runs of a screen."""

    def __init__(self, graph: Any, context: str | None = None, hypotheses: list[str] | tuple[str, ...] = ()) -> None:
        self.graph = graph
        self.calibration = None  # a calibrated-context file (kg fit -o FILE.yaml) given as the context
        if contextfile.is_file(context):
            self.calibration = contextfile.read(Path(str(context)))
            context = self.calibration.context
        self.ctx = resolve_context(graph, context)
        self.hypotheses = resolve_hypotheses(graph, hypotheses)
        self.effects = Effects(graph, self.ctx)
        self.rows = Readouts(graph)
        self._networks: dict[frozenset[str], Network] = {}

    # ---- model per edge set ---------------------------------------------------------------------------------------
    def network(self, removed: frozenset[str] = frozenset()) -> Network:
        """The signed network and calibrated kinetic model of the run's edges (from the build's cache, or built)."""
        if removed not in self._networks:
            edges = self._active(removed)
            kin, steps = networks(self.graph, edges, self.ctx, self.hypotheses, removed)
            if self.calibration is not None:
                kin = self.calibration.apply(kin)
            inputs = {p.entity for p in kin.model.params.values() if p.role == "input"}
            self._networks[removed] = Network(adjacency(steps), kin, inputs, kinds(kin.model),
                                              parallel_edge_notes(self.graph, edges))
        return self._networks[removed]

    def _active(self, removed: frozenset[str]) -> list[Any]:
        """The run's edges: in the body model, those of any body compartment (each acts in its own)."""
        if not self.ctx.body:
            return active_edges(self.graph, self.ctx.id, self.hypotheses, removed)
        sites = {s.entity for s in self.ctx.sites}
        return [e for e in active_edges(self.graph, None, self.hypotheses, removed)
                if e.context is None or e.context in sites]

    def model(self, removed: frozenset[str] = frozenset()) -> Any:
        """The compiled model of this context (the IR: `.model`; the generated source: `.source`)."""
        return self.network(removed).kin.cm

    def readout_key(self, name: str, removed: frozenset[str] = frozenset()) -> tuple[str, str | None]:
        """(entity id, compartment) a readout name means here (`NAME@COMPARTMENT` and tissue words included)."""
        return where.resolve(self.graph, name, self.ctx, self.network(removed).model.compartments_of)

    # ---- one run ----------------------------------------------------------------------------------------------------
    def parse(self, perturbations: list[str] | list[Perturbation]) -> list[Perturbation]:
        """Perturbations as parsed objects, each with its `@COMPARTMENT` (None: the model decides where it acts).
        Parsed ones pass through as they are (the scenario runner hands back genotypes with chosen scenarios, a
        genotype file its calls); all are checked together (one entity perturbed once)."""
        out = []
        for raw in perturbations:
            if isinstance(raw, Perturbation):
                out.append(raw)
                continue
            name, comp = where.split(str(raw), self.ctx)
            p = parse(self.graph, name)
            out.append(p if comp is None else replace(p, text=str(raw).strip(), compartment=comp))
        return distinct(out)

    def run(self, perturbations: list[str] | list[Perturbation], readouts: list[str] | None = None,
            ensemble: Any = None) -> Prediction:
        """One prediction; with `ensemble` (a sample.ensemble.Spec) every kinetic readout also gets its spread over
        parameter draws, and directions and confidence follow from it."""
        g = self.graph
        perts = self.parse(perturbations)
        if any(p.genotype is not None and p.genotype.unknown_alleles for p in perts):
            from kg.variants.scenarios import run_scenarios  # unknown-effect alleles: every scenario, then merge

            pred = run_scenarios(self, perts, readouts)
            if ensemble is not None:
                pred.notes.append("the parameter ensemble is not run for alleles of unknown effect: their scenarios "
                                  "are the spread shown")
            return pred
        removed = self.effects.removed_edges(perts)
        net = self.network(removed)
        adj, model = net.adj, net.model
        wanted = None if readouts is None else [self.readout_key(r, removed) for r in readouts]
        notes: list[str] = list(net.parallel)
        comps = [p.compartment for p in perts]
        self.effects.used = {}
        changes, seeds = self.effects.apply(perts, comps, model, net.kinds, notes)
        covered = model.entities
        outside = {e: s for e, s in seeds.items() if e not in covered}
        phase_a = propagate(adj, {e: {s} for e, s in outside.items()}, blocked=covered)
        reached = {inp: phase_a[inp].direction for inp in sorted(net.inputs)
                   if inp not in changes.inputs and inp in phase_a and inp not in outside}
        for inp, direction in reached.items():
            changes.inputs[inp] = self.effects.nominal(inp, direction, notes)
        notes += doses.notes(g, self._active(removed), perts, self.effects)
        every = net.kin.values(net.kin.run(changes))
        home = {e: model.compartments_of(e)[0] for e in covered}
        values = {e: every[(e, c)] for e, c in home.items()}
        kdir = {e: direction_of(b, p) for e, (b, p, _u) in values.items()}
        seeds_b = self._phase_b_seeds(adj, perts, seeds, covered, values, kdir)
        phase_b = weigh(adj, seeds_b, blocked=covered)
        keys = [(ent.id, home.get(ent.id)) for ent in g.entities] if wanted is None else wanted
        # explain only what is asked for (and the ions that decide a deposition asked for)
        targets = None if wanted is None else {e for e, _c in keys} | chemistry_inputs(g, model, keys)
        paths = best_paths(adj, seeds, targets=targets, keep=lambda p: carried(p, kdir))  # as the steps moved
        signed_paths: dict = {}
        if any(e not in seeds and e not in kdir and e in phase_b for e, _c in keys):
            # the paths that decide signed readouts: from the phase-B seeds, never entering a kinetic readout
            signed_paths = best_paths(adj, {e: next(iter(s.signs)) for e, s in seeds_b.items()}, blocked=covered,
                                      targets=targets, seed_strength={e: s.magnitude for e, s in seeds_b.items()})
        origins = {e: self.rows.origin(e, seeds, values, kdir, seeds_b[e].distance) for e in seeds_b}
        placed = {e: c for e, c in (*changes.clamps, *changes.fixed, *changes.scale)}  # species set in one place
        run = Run(seeds, placed, every, phase_b, paths, signed_paths, origins, model)
        rows = [self.rows.row(g.entity(e), c, run) for e, c in keys]
        plan = Plan(self, perts, comps, net, reached, dict(self.effects.used))
        pred = Prediction(self.ctx, perts, sorted(self.hypotheses), rows, sorted(set(notes)), g, changes=changes,
                          kinetic=net.kin, plan=plan)
        if ensemble is None:
            derive_confidence(rows, {e: NOMINAL_KINETIC for e, d in kdir.items() if d != "unchanged"})
        else:  # the same changes under N parameter draws (kg.simulate.sample)
            from kg.simulate.sample.ensemble import annotate

            annotate(pred, plan, ensemble)
        return pred

    def _phase_b_seeds(self, adj: dict, perts: list[Perturbation], seeds: dict[str, int], covered: set[str],
                       values: dict, kdir: dict[str, str]) -> dict[str, Seed]:
        """Phase B's seeds: the perturbations outside the kinetic module (distance 0, the size their effect sets)
        and every kinetic readout that moved (the size of its fold, at the signed distance the perturbation reaches
        it; 1 where no signed path does: it moved, so it is at least a step away)."""
        sizes = {p.entity: magnitude(*levels) for p in perts if (levels := self.effects.seed_levels(p)) is not None}
        out = {e: Seed(frozenset({s}), 0, sizes.get(e)) for e, s in seeds.items() if e not in covered}
        reach = propagate(adj, {e: {s} for e, s in seeds.items()})
        for e, d in kdir.items():
            if d in ("increase", "decrease"):
                distance = 0 if e in seeds else (reach[e].distance if e in reach else 1)
                out[e] = Seed(frozenset({1 if d == "increase" else -1}), distance, magnitude(*values[e][:2]))
        return out

    def changes(self, effects: Effects, perts: list[Perturbation], comps: list[str | None], net: Network,
                reached: dict[str, str]) -> Any:
        """The kinetic Changes of a run's perturbations with the given Effects (an ensemble draw's sizes), the
        inputs the signed layer reached set as in `run`."""
        notes: list[str] = []
        changes, _seeds = effects.apply(perts, comps, net.model, net.kinds, notes)
        for inp, direction in reached.items():
            changes.inputs[inp] = effects.nominal(inp, direction, notes)
        return changes
