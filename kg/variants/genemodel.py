"""A gene's curated variant data, read from the graph: its reference transcript (with the protein length, the
nonsense-mediated-decay boundary and the dosage factors as parameters), the protein regions whose consequence is
known, and its catalogued variants. Declared in loaders/variants/GENE.yaml (see loaders/FORMAT.md).

Works on a KnowledgeGraph and on the CLI's LiteGraph alike; read once per graph.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any

from kg.errors import KgError
from kg.variants.rules import Citation

TRANSCRIPT = "transcript"
REGION = "protein_region"
VARIANT = "sequence_variant"
EFFECT_KEYS = ("kind", "direction", "factor", "partner", "basis", "note")
REFSEQ_PREFIXES = ("NM_", "NP_", "XM_", "XP_", "NR_")

_CACHE: dict[int, tuple[Any, dict[str, Any]]] = {}


def graph_cache(graph: Any) -> dict[str, Any]:
    """A scratch dict that lives as long as the graph object (graphs are not hashable, so key by identity)."""
    key = id(graph)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is graph:
        return hit[1]
    store: dict[str, Any] = {}
    _CACHE[key] = (weakref.ref(graph, lambda _ref, k=key: _CACHE.pop(k, None)), store)
    return store


@dataclass(frozen=True)
class Factor:
    """A curated dosage number with where it came from."""

    value: float
    basis: str
    source: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in (("value", self.value), ("basis", self.basis), ("source", self.source),
                                  ("note", self.note)) if v is not None}


@dataclass(frozen=True)
class Region:
    id: str
    label: str
    start: int
    end: int
    variant_class: str | None
    effects: tuple[dict[str, Any], ...]
    citations: tuple[Citation, ...]
    description: str | None = None

    def overlaps(self, first: int, last: int) -> bool:
        return self.start <= last and first <= self.end

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "start": self.start, "end": self.end,
                "variant_class": self.variant_class, "effects": list(self.effects),
                "citations": [c.to_json() for c in self.citations]}


@dataclass(frozen=True)
class GeneModel:
    gene_id: str
    label: str
    transcript: str | None = None
    accessions: frozenset[str] = frozenset()  # unversioned accessions that name this gene's reference sequence
    protein_length: int | None = None
    nmd_escape_from: int | None = None  # a truncation at or after this residue escapes nonsense-mediated decay
    heterozygous_null: Factor | None = None  # product of a +/null heterozygote, relative to wild type
    dominant_negative: Factor | None = None  # product of a +/dominant-negative heterozygote
    transcript_citations: tuple[Citation, ...] = ()
    regions: tuple[Region, ...] = ()

    def regions_at(self, first: int, last: int) -> list[Region]:
        return [r for r in self.regions if r.overlaps(first, last)]


def effect_dict(effect: Any) -> dict[str, Any]:
    """A variant effect (pydantic record or the CLI's light record) as a plain dict of its set fields."""
    out = {}
    for key in EFFECT_KEYS:
        value = effect.get(key) if isinstance(effect, dict) else getattr(effect, key, None)
        if value is not None:
            out[key] = value
    return out


def citations_of(entity: Any) -> tuple[Citation, ...]:
    seen: dict[str, Citation] = {}
    for ev in entity.evidence or ():
        if ev.source and ev.source not in seen:
            seen[ev.source] = Citation(ev.source, ev.reference or ev.source)
    return tuple(seen.values())


def gene_model(graph: Any, gene_id: str) -> GeneModel:
    """The curated variant data of one gene (empty defaults where nothing is curated)."""
    store = graph_cache(graph)
    if "gene_models" not in store:
        store["gene_models"] = _read_all(graph)
    return store["gene_models"].get(gene_id) or GeneModel(gene_id=gene_id, label=graph.entity(gene_id).label)


def _read_all(graph: Any) -> dict[str, GeneModel]:
    transcripts: dict[str, Any] = {}
    regions: dict[str, list[Region]] = {}
    for ent in graph.entities:
        if ent.category == TRANSCRIPT:
            if ent.gene in transcripts:
                raise KgError(f"gene {ent.gene} has two reference transcripts: {transcripts[ent.gene].id}, {ent.id}")
            transcripts[ent.gene] = ent
        elif ent.category == REGION:
            regions.setdefault(ent.gene, []).append(_region(ent))
    out = {}
    for gene_id in sorted(set(transcripts) | set(regions)):
        tx = transcripts.get(gene_id)
        params = tx.parameters if tx is not None else {}
        out[gene_id] = GeneModel(
            gene_id=gene_id, label=graph.entity(gene_id).label, transcript=tx.id if tx is not None else None,
            accessions=frozenset(_unversioned(a) for a in ([tx.id, *tx.xrefs] if tx is not None else [])),
            protein_length=_int(params.get("protein_length")), nmd_escape_from=_int(params.get(
                "nmd.escape_from_residue")), heterozygous_null=_factor(params.get("dosage.heterozygous_null")),
            dominant_negative=_factor(params.get("dosage.dominant_negative")),
            transcript_citations=citations_of(tx) if tx is not None else (),
            regions=tuple(sorted(regions.get(gene_id, []), key=lambda r: (r.start, r.end, r.id))))
    return out


def _region(ent: Any) -> Region:
    start, end = _int(ent.parameters.get("start")), _int(ent.parameters.get("end"))
    if start is None or end is None or start < 1 or end < start:
        raise KgError(f"protein region {ent.id} needs parameters start and end (residues, 1 <= start <= end)")
    return Region(id=ent.id, label=ent.label, start=start, end=end, variant_class=ent.variant_class,
                  effects=tuple(effect_dict(e) for e in ent.effects), citations=citations_of(ent),
                  description=ent.description)


def _int(param: Any) -> int | None:
    return None if param is None else round(float(param.value))


def _factor(param: Any) -> Factor | None:
    if param is None:
        return None
    return Factor(float(param.value), param.basis or "measured", param.source, param.note)


def _unversioned(accession: str) -> str:
    local = accession.split(":", 1)[1] if accession.startswith(("RefSeq:", "Ensembl:")) else accession
    return local.split(".", 1)[0]


def accession_matches(model: GeneModel, accession: str | None) -> bool | None:
    """Whether an accession given with a change names this gene's reference (None: nothing to compare)."""
    if not accession or not model.accessions or not accession.startswith(REFSEQ_PREFIXES):
        return None  # nothing to compare (e.g. an Ensembl id against RefSeq ones: no mapping offline)
    return _unversioned(accession) in model.accessions
