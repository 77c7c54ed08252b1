"""Predictions: perturbations in, one readout per entity out, each decided by the kinetic layer where it covers the
entity (magnitude) and by the signed layer elsewhere, with the paths and evidence that produce it.

Order of work for one run:
1. parse the perturbations; a variant applied to its gene may remove one interaction (its edges drop out);
2. signed layer, phase A: from the perturbed entities outside the kinetic module to the module's inputs (e.g. a
   regulator upstream of TGF-β1), so the kinetic layer knows which inputs moved;
3. kinetic layer: baseline and perturbed steady states; directions from the fold changes;
4. signed layer, phase B: from the perturbations and every kinetic readout that moved, to the rest of the graph
   (inflammation, FGF23, ...), never re-deciding a kinetic readout;
5. explanations: the strongest simple signed paths supporting and opposing each call. A kinetic (or input)
   readout is explained by paths from the perturbations over the whole graph. A signed readout is explained by
   the paths that decide it: from the phase-B seeds (the perturbations and the kinetic readouts that moved, each
   path saying where its first entity's change came from), never entering a kinetic readout, exactly as phase B
   propagates. An ambiguous readout lists, as `supporting`, the strongest path of each sign (preferring those
   at the deciding distance): the two influences the signed layer cannot weigh against each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.errors import InputError
from kg.simulate.contexts import Context, resolve_context
from kg.simulate.explain import carried, chemistry, confidence, edge_sources, path_json
from kg.simulate.kinetic import KineticModel, build_model
from kg.simulate.network import active_edges, adjacency, build_steps
from kg.simulate.parallel import parallel_edge_notes
from kg.simulate.perturb import Perturbation, parse_all
from kg.simulate.signed import best_paths, propagate
from kg.simulate.steady import Changes, GeneChange, KineticRun

TOLERANCE = 1e-3  # relative change below which a readout counts as unchanged (solver precision is ~1e-10)
ABSENT_AT_BASELINE = ("drug", "condition", "sequence_variant")  # agents: dose 0 unless given
GENE_CATEGORIES = ("gene_or_protein", "protein_complex")
DEFAULTS = {"effect.up": 5.0, "effect.down": 0.2, "effect.lof": 0.25, "effect.gof": 2.0,
            "variant.increased": 2.0, "variant.decreased": 0.5}


@dataclass
class Prediction:
    context: Context
    perturbations: list[Perturbation]
    hypotheses: list[str]
    readouts: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)
    graph: Any = None

    def to_json(self) -> dict[str, Any]:
        return {"context": self.context.describe(),
                "perturbations": [p.to_json(self.graph) for p in self.perturbations],
                "hypotheses": self.hypotheses, "notes": self.notes, "readouts": self.readouts}

    def readout(self, entity_id: str) -> dict[str, Any]:
        for r in self.readouts:
            if r["id"] == entity_id:
                return r
        raise KeyError(entity_id)


def predict(graph: Any, perturbations: list[str], context: str | None = None, hypotheses: list[str] = (),
            readouts: list[str] | None = None) -> Prediction:
    """Predict every readout (or the named ones) under the perturbations in a context (default: plasma)."""
    return Simulator(graph, context, hypotheses).run(perturbations, readouts)


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


class Simulator:
    """One graph, context and hypothesis set; reused across the many runs of a screen."""

    def __init__(self, graph: Any, context: str | None = None, hypotheses: list[str] | tuple[str, ...] = ()) -> None:
        self.graph = graph
        self.ctx = resolve_context(graph, context)
        self.hypotheses = resolve_hypotheses(graph, hypotheses)
        self._cache: dict[frozenset[str], tuple[Any, ...]] = {}
        self._sources: dict[str, list[str]] | None = None

    # ---- parameters -----------------------------------------------------------------------------------------------
    def param(self, key: str) -> float:
        return self.ctx.get(key, DEFAULTS.get(key))

    def factor(self, entity_id: str, effect: str) -> float:
        """The level an effect word means for this entity: `NAME.up` in the context, else `effect.up`."""
        label = self.graph.entity(entity_id)
        for name in (label.label, label.symbol):
            if name and self.ctx.has(f"{name}.{effect}"):
                return self.ctx.require(f"{name}.{effect}")
        return self.param(f"effect.{effect}")

    def baseline_level(self, entity_id: str) -> float:
        return 0.0 if self.graph.entity(entity_id).category in ABSENT_AT_BASELINE else 1.0

    # ---- model per edge set ---------------------------------------------------------------------------------------
    def _network(self, removed: frozenset[str]) -> tuple[Any, ...]:
        if removed not in self._cache:
            edges = active_edges(self.graph, self.ctx.id, self.hypotheses, removed)
            steps = build_steps(edges, self._resolve_id)
            model = build_model(self.graph, edges, self.ctx)
            inputs = {i: self.baseline_level(i) for i in model.inputs}
            self._cache[removed] = (edges, adjacency(steps), model, KineticRun(model, inputs))
        return self._cache[removed]

    def _resolve_id(self, name: str) -> str:
        return self.graph.resolve(name).id

    # ---- one run ----------------------------------------------------------------------------------------------------
    def run(self, perturbations: list[str] | list[Perturbation], readouts: list[str] | None = None) -> Prediction:
        g = self.graph
        perts = [p if isinstance(p, Perturbation) else None for p in perturbations]
        if any(p is None for p in perts):
            perts = parse_all(g, [str(p) for p in perturbations])
        wanted = None if readouts is None else {g.resolve(r).id for r in readouts}
        removed = self._removed_edges(perts)
        _edges, adj, model, kin = self._network(removed)
        notes: list[str] = parallel_edge_notes(g, _edges)
        changes, seeds = self._apply(perts, model, notes)
        covered = model.covered
        outside = {e: s for e, s in seeds.items() if e not in covered}
        phase_a = propagate(adj, {e: {s} for e, s in outside.items()}, blocked=covered)
        for inp in sorted(model.inputs):
            if inp in changes.inputs or inp not in phase_a or inp in outside:
                continue
            changes.inputs[inp] = self._nominal(inp, phase_a[inp].direction, notes)
        levels = kin.run(changes)
        values = kin.values(levels)
        kdir = {e: _direction(b, p) for e, (b, p, _u) in values.items()}
        seeds_b = {e: {s} for e, s in seeds.items() if e not in covered}
        for e, d in kdir.items():
            if d in ("increase", "decrease"):
                seeds_b[e] = {1 if d == "increase" else -1}
        phase_b = propagate(adj, seeds_b, blocked=covered)
        paths = best_paths(adj, seeds)
        chosen = [ent for ent in g.entities if wanted is None or ent.id in wanted]
        signed_paths: dict = {}
        if any(ent.id not in seeds and ent.id not in kdir and ent.id in phase_b for ent in chosen):
            # the paths that decide signed readouts: from the phase-B seeds, never entering a kinetic readout
            signed_paths = best_paths(adj, {e: next(iter(s)) for e, s in seeds_b.items()}, blocked=covered)
        origins = {e: self._origin(e, seeds, values, kdir) for e in seeds_b}
        rows = [self._readout(ent, seeds, values, kdir, phase_b, paths, signed_paths, origins) for ent in chosen]
        return Prediction(self.ctx, perts, sorted(self.hypotheses), rows, sorted(set(notes)), g)

    def _origin(self, entity_id: str, seeds: dict[str, int], values: dict, kdir: dict) -> dict[str, Any]:
        """Where a phase-B seed's change comes from: perturbed directly, or a kinetic readout that moved."""
        ent = self.graph.entity(entity_id)
        if entity_id in seeds:
            direction = kdir.get(entity_id) or ("increase" if seeds[entity_id] > 0 else "decrease")
            how = "perturbed"
        else:
            direction, how = kdir[entity_id], "kinetic"
        fold = _fold(*values[entity_id][:2]) if entity_id in values else None
        return {"id": entity_id, "label": ent.label, "change": how, "direction": direction, "fold_change": _sig(fold)}

    def _removed_edges(self, perts: list[Perturbation]) -> frozenset[str]:
        out: set[str] = set()
        for p in perts:
            if p.effect != "variant" or p.overexpressed:
                continue
            for eff in self.graph.entity(p.entity).effects:
                if eff.kind == "interaction_loss" and eff.partner:
                    pair = {p.gene, eff.partner}
                    out.update(e.id for e in self.graph.edges if {e.subject, e.object} == pair)
        return frozenset(out)

    def _nominal(self, entity_id: str, direction: str, notes: list[str]) -> float:
        present = self.baseline_level(entity_id) > 0
        label = self.graph.entity(entity_id).label
        if direction == "increase":
            return self.factor(entity_id, "up") if present else 1.0
        if direction == "decrease":
            return self.factor(entity_id, "down") if present else 0.0
        notes.append(f"{label} is reached with both signs; its level is left at baseline in the kinetic layer")
        return self.baseline_level(entity_id)

    def _variant_factors(self, variant: Any) -> tuple[float, float]:
        expr = act = 1.0
        for eff in variant.effects:
            if eff.direction == "lost":
                f = 0.0
            elif eff.direction == "unchanged":
                f = 1.0
            else:
                f = eff.factor if eff.factor is not None else self.param(f"variant.{eff.direction}")
            if eff.kind == "expression":
                expr *= f
            elif eff.kind in ("activity", "localization"):
                act *= f
        return expr, act

    def _apply(self, perts: list[Perturbation], model: KineticModel, notes: list[str]) -> tuple[Changes, dict]:
        ch = Changes()
        seeds: dict[str, int] = {}
        for p in perts:
            ent = self.graph.entity(p.entity)
            if p.effect == "variant":
                expr, act = self._variant_factors(ent)
                seeds[p.entity] = 1
                ch.inputs[p.entity] = 1.0
                gene = ch.genes.setdefault(p.gene, GeneChange())
                if p.overexpressed:
                    gene.transgene += (self.factor(p.gene, "up") - 1.0) * expr * act
                    total = 1.0 + gene.transgene
                else:
                    gene.expression *= expr
                    gene.activity *= act
                    total = expr * act
                if abs(total - 1.0) > TOLERANCE:
                    seeds[p.gene] = 1 if total > 1 else -1
                continue
            level = self._level(p, ent)
            sign = 0 if abs(level - self.baseline_level(p.entity)) < 1e-12 else (
                1 if level > self.baseline_level(p.entity) else -1)
            if sign:
                seeds[p.entity] = sign
            else:
                notes.append(f"{p.text}: no change from baseline ({ent.label} is at {self.baseline_level(p.entity):g})")
            if p.entity in model.enzymes:
                ch.genes[p.entity] = self._gene_change(p)
            elif p.entity in model.species:
                ch.clamps[p.entity] = level
            elif p.entity in model.fixed:
                ch.fixed[p.entity] = level
            elif p.entity in {m.process for m in model.minerals}:
                ch.scale[p.entity] = level
            else:
                ch.inputs[p.entity] = level
        return ch, seeds

    def _level(self, p: Perturbation, ent: Any) -> float:
        """The relative level (present entities) or dose (agents) an effect sets."""
        absent = self.baseline_level(p.entity) == 0.0
        if p.effect in ("lof", "gof") and ent.category not in GENE_CATEGORIES:
            raise InputError(f"'{p.text}': {p.effect} applies to genes and proteins; {ent.label} is a "
                             f"{ent.category} (use up, down, ko or a number)")
        if p.effect == "number":
            return float(p.value)
        if p.effect == "ko":
            return 0.0
        if absent:
            return 1.0 if p.effect == "up" else 0.0
        return self.factor(p.entity, p.effect)

    def _gene_change(self, p: Perturbation) -> GeneChange:
        if p.effect == "ko":
            return GeneChange(expression=0.0)
        if p.effect == "up":
            return GeneChange(transgene=self.factor(p.entity, "up") - 1.0)
        if p.effect == "down":
            return GeneChange(expression=self.factor(p.entity, "down"))
        if p.effect in ("lof", "gof"):
            return GeneChange(activity=self.factor(p.entity, p.effect))
        return GeneChange(activity=float(p.value))

    # ---- one readout --------------------------------------------------------------------------------------------
    def _readout(self, ent: Any, seeds: dict[str, int], values: dict, kdir: dict, phase_b: dict,
                 paths: dict, signed_paths: dict, origins: dict) -> dict[str, Any]:
        if self._sources is None:
            self._sources = edge_sources(self.graph)
        base = pert = unit = fold = None
        if ent.id in values:
            base, pert, unit = values[ent.id]
            fold = _fold(base, pert)
        if ent.id in seeds:
            layer = "input"
            direction = kdir.get(ent.id) or ("increase" if seeds[ent.id] > 0 else "decrease")
        elif ent.id in kdir:
            layer, direction = "kinetic", kdir[ent.id]
        else:
            layer = "signed"
            direction = phase_b[ent.id].direction if ent.id in phase_b else "unchanged"
        source = signed_paths if layer == "signed" else paths
        ups, downs = source.get((ent.id, 1), []), source.get((ent.id, -1), [])
        if layer != "signed":  # each path on the side it actually pushed: the kinetic layer says how its steps moved
            ups, downs = [p for p in ups if carried(p, kdir)], [p for p in downs if carried(p, kdir)]
        if direction == "decrease":
            supporting, opposing = downs, ups
        elif direction == "increase":
            supporting, opposing = ups, downs
        elif direction == "ambiguous":
            distance = phase_b[ent.id].distance
            supporting = sorted((_deciding(ups, distance) + _deciding(downs, distance)), key=lambda p: -p.score)
            opposing = []
        else:
            supporting, opposing = [], sorted(ups + downs, key=lambda p: -p.score)[:3]
        conf = confidence(direction, supporting, opposing, layer=layer)
        shown = origins if layer == "signed" else {}
        summary = _summary(direction, layer, fold, supporting, opposing, self.graph, shown)
        if layer == "kinetic":
            summary += chemistry(self.graph, ent.id, values, paths, kdir)
        return {
            "id": ent.id, "label": ent.label, "category": ent.category, "synonyms": list(ent.synonyms),
            "direction": direction, "fold_change": _sig(fold), "baseline": _sig(base), "perturbed": _sig(pert),
            "unit": unit, "confidence": conf, "layer": layer,
            "explanation": {"summary": summary,
                            "supporting": [path_json(self.graph, x, self._sources, shown.get(x.seed))
                                           for x in supporting],
                            "opposing": [path_json(self.graph, x, self._sources, shown.get(x.seed))
                                         for x in opposing]},
        }


def _sig(x: float | None) -> float | None:
    """10 significant digits: stable JSON across platforms, far finer than the model's precision."""
    return None if x is None else float(f"{x:.10g}")


def _fold(base: float, pert: float) -> float | None:
    if base > 0:
        return pert / base
    return None if pert > 0 else 1.0


def _direction(base: float, pert: float) -> str:
    scale = max(abs(base), abs(pert))
    if scale == 0 or abs(pert - base) <= TOLERANCE * scale:
        return "unchanged"
    return "increase" if pert > base else "decrease"


def _deciding(paths: list, distance: int) -> list:
    """The strongest path of one sign, preferring those as short as the signed layer's deciding distance."""
    if not paths:
        return []
    return [min(paths, key=lambda p: (len(p.steps) != distance, -p.score, len(p.steps)))]


def _summary(direction: str, layer: str, fold: float | None, supporting: list, opposing: list, graph: Any,
             origins: dict | None = None) -> str:
    from kg.simulate.explain import SIGN_WORD, path_text

    origins = origins or {}
    text = direction
    if fold is not None and direction != "unchanged":
        text += f" (fold {fold:.3g})"
    text += {"input": ": perturbed directly", "kinetic": ": kinetic steady state",
             "signed": ": signed paths"}[layer]
    if direction == "ambiguous":
        if supporting:
            parts = "; ".join(f"{SIGN_WORD[p.sign]} via {path_text(graph, p, origins.get(p.seed))}"
                              for p in supporting)
            text += (f" of both signs reach it at the same distance, and the signed layer does not weigh one "
                     f"against the other: {parts}")
        return text
    if supporting:
        text += f"; strongest path: {path_text(graph, supporting[0], origins.get(supporting[0].seed))}"
    elif direction in ("increase", "decrease") and layer == "kinetic":
        text += "; no single signed path gives this sign (a net effect of several mechanisms)"
    if opposing and direction != "unchanged":
        text += f"; opposed by: {path_text(graph, opposing[0], origins.get(opposing[0].seed))}"
    if direction == "unchanged" and not (supporting or opposing):
        text += ("; no perturbed entity and no kinetic readout that moved reaches it" if layer == "signed"
                 else "; nothing in the graph connects it to the perturbation")
    return text
