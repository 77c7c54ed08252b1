"""One allele of one gene, interpreted: what it does to the gene product, and which rule decided it.

In order: wild type (`+`); the catalogue (a curated variant whose name, synonym, HGVS or id matches, or whose HGVS
is the same change in another spelling); the consequence rule of its class (schema/variants.yaml); for classes
decided by position, the curated protein region it falls in; otherwise `unknown`, with the scenarios kg simulates.
Every interpretation carries the sources behind the rule that decided it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from kg.errors import InputError, UnknownVariant
from kg.names import normalize
from kg.variants.consequence import classify
from kg.variants.genemodel import (
    GeneModel,
    Region,
    accession_matches,
    citations_of,
    effect_dict,
    gene_model,
    graph_cache,
)
from kg.variants.notation import Change, parse_change
from kg.variants.rules import Citation, ConsequenceRule, rules

WILD_TYPE = ("+", "wt", "WT")
DECIDERS = ("wild_type", "catalogue", "consequence", "region", "unknown")


@dataclass(frozen=True)
class Interpretation:
    gene: str  # gene id
    gene_label: str
    text: str  # as written
    decided_by: str  # one of DECIDERS
    rule: str  # the deciding rule, in words
    key: str | None = None  # canonical HGVS, where parsed
    consequence: str | None = None  # Sequence Ontology term
    variant_class: str | None = None
    effects: tuple[dict[str, Any], ...] = ()
    scenarios: tuple[str, ...] = ()  # for unknown effects: what kg simulates
    entity: str | None = None  # the catalogued variant
    entity_label: str | None = None
    region: Region | None = None
    citations: tuple[Citation, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        """The allele's name without its gene: its HGVS where known, else as written."""
        return self.key or self.text

    @property
    def unknown(self) -> bool:
        """An unknown effect still to be simulated (after `with_scenario` it has effects and no scenarios)."""
        return self.decided_by == "unknown" and bool(self.scenarios)

    def with_scenario(self, scenario: str) -> Interpretation:
        """This unknown-effect allele under one scenario (loss, gain or none)."""
        return replace(self, effects=rules().scenarios[scenario], scenarios=(), notes=(
            *self.notes, f"simulated as {scenario} of function (its effect is unknown)"))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"input": self.text, "hgvs": self.key, "decided_by": self.decided_by,
                               "rule": self.rule, "consequence": self.consequence,
                               "variant_class": self.variant_class, "effects": list(self.effects)}
        if self.scenarios:
            out["scenarios"] = list(self.scenarios)
        if self.entity:
            out["catalogued"] = {"id": self.entity, "label": self.entity_label}
        if self.region:
            out["region"] = {k: v for k, v in self.region.to_json().items() if k != "citations"}
        out["citations"] = [c.to_json() for c in self.citations]
        if self.notes:
            out["notes"] = list(self.notes)
        return out


def interpret(graph: Any, gene_id: str, text: str) -> Interpretation:
    """Interpret one allele of a gene; InputError (exit 2) for malformed HGVS or an impossible position.
    Interpretations are immutable and reused per graph (a VCF repeats the same change across samples)."""
    cache = graph_cache(graph).setdefault("interpretations", {})
    key = (gene_id, text.strip())
    if key not in cache:
        cache[key] = _interpret(graph, gene_id, key[1])
    return cache[key]


def _interpret(graph: Any, gene_id: str, written: str) -> Interpretation:
    label = graph.entity(gene_id).label
    if written in WILD_TYPE:
        return Interpretation(gene_id, label, written, "wild_type", "the wild-type allele", key="+")
    hit = _catalogue_by_name(graph, gene_id, written)
    if hit is not None:
        return _catalogued(graph, gene_id, label, written, hit, None)
    try:
        change = parse_change(written, label)
    except InputError as exc:
        known = "; ".join(sorted(v.hgvs or v.label for v in catalogue(graph, gene_id))) or "none"
        raise UnknownVariant(f"{exc}; catalogued variants of {label}: {known}") from None
    model = gene_model(graph, gene_id)
    notes = _check(change, model)
    hit = _catalogue_by_change(graph, gene_id, change)
    if hit is not None:
        return _catalogued(graph, gene_id, label, written, hit, change, notes)
    return _by_rules(gene_id, label, written, change, model, notes)


# ---- the catalogue --------------------------------------------------------------------------------------------------
def catalogue(graph: Any, gene_id: str) -> list[Any]:
    return graph.variants_of(gene_id)


def _catalogue_by_name(graph: Any, gene_id: str, written: str) -> Any | None:
    wanted = normalize(written)
    matches = [v for v in catalogue(graph, gene_id)
               if wanted in {normalize(x) for x in (v.id, v.label, v.hgvs, *v.synonyms) if x}]
    if len(matches) > 1:
        raise InputError(f"variant '{written}' of {graph.entity(gene_id).label} is ambiguous: "
                         f"{', '.join(v.id for v in matches)}; use an identifier")
    return matches[0] if matches else None


def _catalogue_by_change(graph: Any, gene_id: str, change: Change) -> Any | None:
    index = graph_cache(graph).setdefault("catalogue_keys", {})
    if gene_id not in index:
        keys: dict[str, Any] = {}
        for v in catalogue(graph, gene_id):
            for name in (v.hgvs, *v.synonyms):
                if name and name[:2] in ("c.", "p.") and "?" not in name:
                    try:
                        keys.setdefault(parse_change(name).key, v)
                    except InputError:
                        continue  # a synonym that is not HGVS (legacy spellings): names still match it
        index[gene_id] = keys
    return index[gene_id].get(change.key)


def _catalogued(graph: Any, gene_id: str, label: str, written: str, variant: Any, change: Change | None,
                notes: tuple[str, ...] = ()) -> Interpretation:
    extra = list(notes)
    if variant.taxon and variant.taxon != "human":
        extra.append(f"matches the catalogued {variant.taxon} allele {variant.label}")
    effects = tuple(effect_dict(e) for e in variant.effects)
    scenarios: tuple[str, ...] = ()
    decided = "catalogue"
    rule = f"catalogued variant {variant.label} ({variant.id}): its curated effects"
    if not effects:  # catalogued, but no functional effect is curated (e.g. GJA1 p.Arg239Gln)
        decided, scenarios = "unknown", ("loss", "gain")
        rule = f"catalogued variant {variant.label} ({variant.id}) has no curated effect on its gene: unknown effect"
    return Interpretation(gene_id, label, written, decided, rule, key=change.key if change else variant.hgvs,
                          variant_class=variant.variant_class, effects=effects, scenarios=scenarios,
                          entity=variant.id, entity_label=variant.label, citations=citations_of(variant),
                          notes=tuple(extra))


# ---- the rules ----------------------------------------------------------------------------------------------------
def _check(change: Change, model: GeneModel) -> tuple[str, ...]:
    """Positions the gene's curated protein length rules out are bad input; a foreign accession is a note."""
    notes = []
    if change.kind == "p" and change.posedit is not None and change.posedit.pos is not None and model.protein_length:
        last = (change.posedit.pos.end or change.posedit.pos.start).pos
        if last > model.protein_length + 1:  # +1: a stop-loss names the stop codon after the last residue
            raise InputError(f"'{change.text}': residue {last} is beyond {model.label}'s {model.protein_length} "
                             f"residues (reference {model.transcript})")
    matches = accession_matches(model, change.accession)
    if matches is False:
        notes.append(f"positions are read on {model.label}'s reference {model.transcript}; the given accession "
                     f"{change.accession} is another sequence, so the numbering may differ")
    return tuple(notes)


def _by_rules(gene_id: str, label: str, written: str, change: Change, model: GeneModel,
              notes: tuple[str, ...]) -> Interpretation:
    cons = classify(change)
    rule = rules().get(cons.term)
    notes = (*notes, *cons.notes)
    base = Interpretation(gene_id, label, written, "consequence", f"{rule.label}: {rule.rule}", key=change.key,
                          consequence=cons.term, citations=rule.citations, notes=notes)
    if rule.effect == "loss_of_function":
        if rule.truncating and model.nmd_escape_from and cons.first and cons.first >= model.nmd_escape_from:
            return replace(base, decided_by="unknown", scenarios=("loss", "none"), rule=(
                f"{rule.label} at residue {cons.first}, at or after residue {model.nmd_escape_from} where "
                f"{label}'s truncations escape nonsense-mediated decay: the truncated protein may keep its "
                f"function, so the effect is unknown"), citations=(*rule.citations, *model.transcript_citations))
        return replace(base, variant_class="loss_of_function", effects=rule.effects)
    if rule.effect == "no_change":
        return replace(base, effects=())
    if rule.effect == "unknown":
        return replace(base, decided_by="unknown", scenarios=rule.scenarios)
    return _by_region(base, rule, cons.first, cons.last, model)


def _by_region(base: Interpretation, rule: ConsequenceRule, first: int | None, last: int | None,
               model: GeneModel) -> Interpretation:
    unknown = replace(base, decided_by="unknown", scenarios=("loss", "gain"))
    if first is None:
        return replace(unknown, rule=f"{rule.label} with no protein position given: unknown effect")
    last = last or first
    hits = model.regions_at(first, last)
    where = f"residue {first}" if first == last else f"residues {first}-{last}"
    if not hits:
        return replace(unknown, rule=f"{rule.label} at {where}, outside every curated region of {base.gene_label}: "
                                     f"unknown effect")
    classes = {(r.variant_class, tuple(tuple(sorted(e.items())) for e in r.effects)) for r in hits}
    if len(classes) > 1:
        names = "; ".join(f"{r.label} ({r.variant_class})" for r in hits)
        return replace(unknown, rule=f"{rule.label} at {where}, where curated regions disagree ({names}): "
                                     f"unknown effect", citations=tuple(c for r in hits for c in r.citations))
    region = hits[0]
    if not region.effects:
        return replace(unknown, region=region, rule=f"{rule.label} at {where}, in {region.label}, which has no "
                                                    f"curated effect: unknown effect", citations=region.citations)
    return replace(base, decided_by="region", region=region, variant_class=region.variant_class,
                   effects=region.effects, rule=f"{rule.label} at {where}, in {region.label}: {region.variant_class}",
                   citations=(*rule.citations, *region.citations))


EFFECT_RANK = {"loss_of_function": 0, "by_region": 1, "unknown": 2, "no_change": 3}


def interpret_consequence(graph: Any, gene_id: str, terms: str) -> Interpretation | None:
    """An allele known only by its annotated consequence (e.g. a structural deletion: transcript_ablation; terms
    '&'-joined as VEP and SnpEff write them): the most severe term kg has a rule for decides, with no position."""
    table = rules().consequences
    known = [t for t in terms.replace(",", "&").split("&") if t.strip() in table]
    if not known:
        return None
    order = list(table)
    term = min((t.strip() for t in known), key=lambda t: (EFFECT_RANK[table[t].effect], order.index(t)))
    rule = table[term]
    label = graph.entity(gene_id).label
    base = Interpretation(gene_id, label, term, "consequence", f"{rule.label}: {rule.rule}", consequence=term,
                          citations=rule.citations, notes=("no HGVS annotated; decided by the consequence term",))
    if rule.effect == "loss_of_function":
        return replace(base, variant_class="loss_of_function", effects=rule.effects)
    if rule.effect == "no_change":
        return base
    scenarios = rule.scenarios or ("loss", "gain")
    return replace(base, decided_by="unknown", scenarios=scenarios,
                   rule=f"{rule.label} with no protein position annotated: unknown effect")
