"""What perturbations mean for the model: the parameter Changes (per-gene expression/activity/transgene factors,
input levels and agent doses, clamps, fixed concentrations, process scales) and the signed seeds a run starts
from. Effect words take their size from the context (`effect.up`, `NAME.up`, `variant.decreased`); a genotype's
factors come from kg.variants.dosage.gene_factors (zygosity, dosage, dominant-negative alleles). This is
the entry point for anything that knows what a genotype does to a gene: a `GeneChange` per gene, applied in every
compartment (germline).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.errors import InputError
from kg.simulate.contexts import Context
from kg.simulate.network import ABSENT_AT_BASELINE, GENE_CATEGORIES
from kg.simulate.perturb import Perturbation
from kg.simulate.solve.run import Changes, GeneChange

TOLERANCE = 1e-3  # relative change below which a readout counts as unchanged (solver precision is ~1e-10)
DEFAULTS = {"effect.up": 5.0, "effect.down": 0.2, "effect.lof": 0.25, "effect.gof": 2.0,
            "variant.increased": 2.0, "variant.decreased": 0.5, "effect.dose": 1.0}


@dataclass(frozen=True)
class Size:
    """An effect size a run used (an effect word's level, a variant's factor, a default dose), with its
    provenance: what an ensemble draws and what the notes say."""

    key: str
    value: float
    basis: str
    source: str | None = None
    note: str | None = None
    low: float | None = None
    high: float | None = None
    drawn: bool = True  # False for a dose: one dose unit is a definition, its size lives in the drug's edges


class Effects:
    """Maps perturbations onto one context's model (graph + context; the model's kinds per run). `sizes` replaces
    effect sizes by key (an ensemble's draw); `used` collects the sizes the runs read."""

    def __init__(self, graph: Any, ctx: Context, sizes: dict[str, Any] | None = None) -> None:
        self.graph, self.ctx = graph, ctx
        self.sizes = sizes or {}
        self.used: dict[str, Size] = {}

    def _size(self, key: str, rec: Any, default: float | None, drawn: bool = True) -> float:
        if rec is None:
            value = default
            if value is None:
                raise InputError(f"context '{self.ctx.name}' lacks parameter '{key}'")
            size = Size(key, value, "assumed", note=f"built-in default (context '{self.ctx.name}' does not declare "
                                                     f"'{key}')", drawn=drawn)
        else:
            size = Size(key, float(rec.value), rec.basis, rec.source, rec.note, rec.low, rec.high, drawn)
        self.used.setdefault(key, size)
        return self.sizes.get(key, size.value)

    def param(self, key: str) -> float:
        return self._size(key, self.ctx.param(key), DEFAULTS.get(key))

    def factor(self, entity_id: str, effect: str) -> float:
        """The level an effect word means for this entity: `NAME.up` in the context, else `effect.up`."""
        label = self.graph.entity(entity_id)
        for name in (label.label, label.symbol):
            if name and self.ctx.has(f"{name}.{effect}"):
                return self._size(f"{name}.{effect}", self.ctx.param(f"{name}.{effect}"), None)
        return self.param(f"effect.{effect}")

    def dose(self, entity_id: str) -> float:
        """An agent's default dose: `NAME.dose` in the context, else `effect.dose` (one dose unit)."""
        label = self.graph.entity(entity_id)
        for name in (label.label, label.symbol):
            if name and self.ctx.has(f"{name}.dose"):
                return self._size(f"{name}.dose", self.ctx.param(f"{name}.dose"), None, drawn=False)
        return self._size("effect.dose", self.ctx.param("effect.dose"), DEFAULTS["effect.dose"], drawn=False)

    def baseline_level(self, entity_id: str) -> float:
        return 0.0 if self.graph.entity(entity_id).category in ABSENT_AT_BASELINE else 1.0

    def removed_edges(self, perts: list[Perturbation]) -> frozenset[str]:
        """Edges a genotype's interaction losses remove from the run (kg.variants.dosage.removed_partners: those no
        allele keeps; none for an overexpressed variant)."""
        out: set[str] = set()
        for p in perts:
            if p.effect != "variant" or p.genotype is None:
                continue
            from kg.variants.dosage import removed_partners

            for partner in removed_partners(p.genotype):
                pair = {p.gene, partner}
                out.update(e.id for e in self.graph.edges if {e.subject, e.object} == pair)
        return frozenset(out)

    def nominal(self, entity_id: str, direction: str, notes: list[str]) -> float:
        """The input level a signed-layer direction sets for a kinetic input outside the perturbations."""
        present = self.baseline_level(entity_id) > 0
        label = self.graph.entity(entity_id).label
        if direction == "increase":
            return self.factor(entity_id, "up") if present else self.dose(entity_id)
        if direction == "decrease":
            return self.factor(entity_id, "down") if present else 0.0
        notes.append(f"{label} is reached with both signs; its level is left at baseline in the kinetic layer")
        return self.baseline_level(entity_id)

    def apply(self, perts: list[Perturbation], comps: list[str | None], model: Any, kinds: dict, notes: list[str]) \
            -> tuple[Changes, dict]:
        """The Changes and signed seeds of a run's perturbations (`comps`: their `@COMPARTMENT`, or None)."""
        ch = Changes()
        seeds: dict[str, int] = {}
        for p, comp in zip(perts, comps, strict=True):
            ent = self.graph.entity(p.entity)
            if p.effect == "variant":
                self._variant(p, comp, ch, seeds, notes)
                continue
            level = self._level(p, ent)
            sign = 0 if abs(level - self.baseline_level(p.entity)) < 1e-12 else (
                1 if level > self.baseline_level(p.entity) else -1)
            if sign:
                seeds[p.entity] = sign
            else:
                notes.append(f"{p.text}: no change from baseline ({ent.label} is at {self.baseline_level(p.entity):g})")
            places = model.compartments_of(p.entity)
            explicit, comp = comp, comp or (places[0] if places else None)
            kind = kinds.get((p.entity, comp))
            if comp is not None and kind is None and places:
                raise InputError(f"'{p.text}': the model holds {ent.label} in {', '.join(places)}, not in {comp}")
            if kind == "gene":
                if explicit is not None and len(places) > 1:
                    notes.append(f"{p.text}: a gene change acts in every compartment (germline)")
                ch.genes[p.entity] = self._gene_change(p)
            elif kind == "species":
                ch.clamps[(p.entity, comp)] = level
            elif kind == "fixed":
                ch.fixed[(p.entity, comp)] = level
            elif kind == "index":
                ch.scale[(p.entity, comp)] = level
            else:
                ch.inputs[p.entity] = level
        return ch, seeds

    def _variant(self, p: Perturbation, comp: str | None, ch: Changes, seeds: dict[str, int],
                 notes: list[str]) -> None:
        """A genotype's change to its gene, from kg.variants.dosage.gene_factors (the one entry point for variants):
        expression, activity and transgene factors in every compartment (germline), and the catalogued variant
        entities present as agents at their dose (their own edges act)."""
        from kg.variants.dosage import gene_factors

        up = self.factor(p.gene, "up") if p.genotype.overexpressed else 1.0  # read (and said) only when used
        f = gene_factors(self.graph, p.genotype, self.param, up)
        for agent, dose in f.agents.items():
            seeds[agent] = 1
            ch.inputs[agent] = dose
        gene = ch.genes.setdefault(p.gene, GeneChange())
        gene.expression *= f.expression
        gene.activity *= f.activity
        gene.transgene += f.transgene
        notes.extend(f.notes)
        if comp is not None:
            notes.append(f"{p.text}: a gene change acts in every compartment (germline)")
        if abs(f.total - 1.0) > TOLERANCE:
            seeds[p.gene] = 1 if f.total > 1 else -1

    def seed_levels(self, p: Perturbation) -> tuple[float, float] | None:
        """(baseline, level) a perturbation sets on its entity, for the size of its change in the signed layer;
        None for a genotype (its factors depend on its alleles and scenarios)."""
        if p.effect == "variant":
            return None
        return self.baseline_level(p.entity), self._level(p, self.graph.entity(p.entity))

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
            return self.dose(p.entity) if p.effect == "up" else 0.0
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


def kinds(model: Any) -> dict[tuple[str, str], str]:
    """(entity, compartment) -> gene | species | fixed | index: what a perturbation there sets."""
    out: dict[tuple[str, str], str] = {}
    for s in model.states:
        out[(s.entity, s.compartment)] = "species" if s.kind == "species" else "gene"
    for r in model.rules:
        if r.kind in ("amount", "index") and r.entity is not None:
            out[(r.entity, r.compartment)] = "gene" if r.kind == "amount" else "index"
    for p in model.params.values():
        if p.role == "fixed":
            out[(p.entity, p.compartment)] = "fixed"
    return out


