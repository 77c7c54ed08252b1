"""Variant calls from a genotype file (VCF or TSV), and one sample's calls assembled into per-gene genotypes.

A `Call` is one alternate allele carried by one sample at one record: the gene symbol, the HGVS (protein change
preferred, else coding) or only a consequence term, and how many copies the sample carries. `assemble` turns a
sample's calls into one genotype per gene of the graph; calls in genes outside the graph, calls with no
annotation and calls kg cannot interpret are listed as not modelled, with their line, never dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.errors import InputError, ResolveError
from kg.variants.genemodel import graph_cache
from kg.variants.genotype import Genotype, from_alleles
from kg.variants.interpret import Interpretation, interpret, interpret_consequence

GENE_CATEGORIES = ("gene_or_protein", "protein_complex")


@dataclass(frozen=True)
class Call:
    line: int  # the record's line in the file
    sample: str
    gene: str | None  # symbol as annotated
    hgvs: str | None  # HGVSp, else HGVSc (accession kept, if given)
    consequence: str | None  # Sequence Ontology term(s), '&'-joined as annotators write them
    copies: int  # 1 heterozygous or hemizygous, 2 homozygous
    hemizygous: bool = False
    where: str = ""  # e.g. 5:14871000 G>A

    def describe(self) -> str:
        return f"{self.gene or '?'} {self.hgvs or self.consequence or '(no annotation)'}"


@dataclass
class SampleGenotypes:
    sample: str
    genotypes: list[Genotype] = field(default_factory=list)
    not_modelled: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def skipped(call: Call, reason: str) -> dict[str, Any]:
    return {"line": call.line, "where": call.where, "gene": call.gene, "hgvs": call.hgvs,
            "consequence": call.consequence, "reason": reason}


def assemble(graph: Any, sample: str, calls: list[Call], *, strict: bool = False, source: str = "") -> SampleGenotypes:
    """One genotype per graph gene the sample carries variants in (calls are that sample's). With `strict` (a table a
    person wrote) an allele kg cannot read is bad input naming its line; otherwise (an annotator's VCF) it is listed
    as not modelled, with the reason, and the rest of the file is still read."""
    out = SampleGenotypes(sample)
    by_gene: dict[str, list[tuple[Call, Interpretation]]] = {}
    for call in calls:
        gene = _gene(graph, call.gene)
        if gene is None:
            out.not_modelled.append(skipped(call, "gene not in the graph" if call.gene else "no gene annotated"))
            continue
        try:
            allele = _interpret(graph, gene.id, call)
        except InputError as exc:
            if strict:
                raise InputError(f"{source}:{call.line}: {exc}") from None
            out.not_modelled.append(skipped(call, str(exc)))
            continue
        if allele is None:
            out.not_modelled.append(skipped(call, "no HGVS and no consequence kg interprets"))
            continue
        if allele.decided_by == "consequence" and not allele.effects and allele.consequence:
            out.notes.append(f"line {call.line}: {gene.label} {allele.label} ({allele.consequence}) changes nothing "
                             f"by its rule")
        by_gene.setdefault(gene.id, []).append((call, allele))
    for gene_id in sorted(by_gene, key=lambda g: (graph.entity(g).label, g)):
        out.genotypes.append(_genotype(graph, gene_id, by_gene[gene_id], out))
    return out


def _gene(graph: Any, symbol: str | None) -> Any | None:
    """The graph's gene an annotated symbol names, or None. Most symbols of a VCF are genes outside the graph: they
    are looked up without the close-match suggestions a person's typo gets, and each symbol once."""
    if not symbol:
        return None
    genes = graph_cache(graph).setdefault("genes_by_symbol", {})
    if symbol not in genes:
        ent = None
        if graph.names.lookup(symbol):
            try:
                ent = graph.resolve(symbol)
            except ResolveError:  # ambiguous
                ent = None
        genes[symbol] = ent if ent is not None and ent.category in GENE_CATEGORIES else None
    return genes[symbol]


def _interpret(graph: Any, gene_id: str, call: Call) -> Interpretation | None:
    if call.hgvs:
        return interpret(graph, gene_id, call.hgvs)
    if call.consequence:
        return interpret_consequence(graph, gene_id, call.consequence)
    return None


def _genotype(graph: Any, gene_id: str, items: list[tuple[Call, Interpretation]],
              out: SampleGenotypes) -> Genotype:
    label = graph.entity(gene_id).label
    copies: list[Interpretation] = []
    hemizygous = False
    for call, allele in items:
        copies.extend([allele] * call.copies)
        hemizygous = hemizygous or call.hemizygous
    notes: list[str] = []
    if hemizygous and len(copies) == 1:
        return from_alleles(gene_id, label, copies[0].text, (copies[0],), hemizygous=True)
    if len(copies) > 2:
        ranked = sorted(copies, key=_severity)
        dropped = ", ".join(a.label for a in ranked[2:])
        notes.append(f"{label}: {len(copies)} variant allele copies in one diploid gene; kg models the two most "
                     f"severe and leaves out {dropped}")
        copies = ranked[:2]
    if len(copies) == 2 and copies[0] is not copies[1]:
        notes.append(f"{label}: two variants, phase not used: taken to be in trans (compound heterozygous)")
    alleles = tuple(copies) if len(copies) == 2 else (copies[0], interpret(graph, gene_id, "+"))
    out.notes.extend(notes)
    text = "/".join(a.text for a in alleles)
    return from_alleles(gene_id, label, text, alleles, notes=tuple(notes))


def _severity(allele: Interpretation) -> tuple[int, str]:
    """Loss first (an effect lost), then unknown, then the rest; ties by name, for determinism."""
    lost = any(e.get("direction") == "lost" for e in allele.effects)
    return (0 if lost else 1 if allele.unknown else 2, allele.label)
