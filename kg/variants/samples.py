"""A whole genotype file through the simulator: one prediction per sample (`kg predict --genotype FILE`).

Reads the calls (VCF with VEP CSQ or SnpEff ANN, or the simple TSV), assembles each sample's genotypes, runs them
together (plus any perturbations given beside the file) in one simulator, so that every sample shares the model,
and ranks what each sample's profile resembles. Interpretations are reused across samples and records.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.variants.calls import Call, SampleGenotypes, assemble

VCF_SUFFIXES = (".vcf", ".vcf.gz", ".bcf", ".vcf.bgz")
TSV_SUFFIXES = (".tsv", ".txt")


@dataclass
class SampleResult:
    sample: str
    genotypes: SampleGenotypes
    prediction: Any = None
    resemblance: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"sample": self.sample, "genotypes": [g.to_json() for g in self.genotypes.genotypes],
                "not_modelled": self.genotypes.not_modelled, "notes": self.genotypes.notes,
                "prediction": self.prediction.to_json() if self.prediction is not None else None,
                "resemblance": self.resemblance}


def file_format(path: Path) -> str:
    name = Path(path).name.lower()
    if name.endswith(VCF_SUFFIXES):
        return "vcf"
    if name.endswith(TSV_SUFFIXES):
        return "tsv"
    raise InputError(f"{path}: unknown genotype file type; expected a VCF ({', '.join(VCF_SUFFIXES)}) or a TSV "
                     f"({', '.join(TSV_SUFFIXES)}) with columns gene, hgvs, zygosity")


def read_samples(path: Path) -> tuple[str, list[str], list[Call], list[dict[str, Any]]]:
    """(format, samples, calls, records with no annotation)."""
    fmt = file_format(path)
    if fmt == "vcf":
        from kg.variants.vcf import read_calls

        info, calls, unannotated = read_calls(path)
        return fmt, info.samples, calls, unannotated
    from kg.variants.tsv import read_calls as read_tsv

    samples, calls = read_tsv(path)
    return fmt, samples, calls, []


def predict_file(graph: Any, path: Path, *, sample: str | None = None, context: str | None = None,
                 hypotheses: list[str] | tuple[str, ...] = (), readouts: list[str] | None = None,
                 extra: list[str] | tuple[str, ...] = (), top: int = 5) -> tuple[str, list[SampleResult]]:
    """(file format, one result per sample, in file order)."""
    from kg.simulate.perturb import Perturbation
    from kg.simulate.predict import Simulator
    from kg.variants.resemblance import report

    fmt, samples, calls, unannotated = read_samples(path)
    if sample is not None:
        if sample not in samples:
            raise InputError(f"sample '{sample}' is not in {path}; samples: {', '.join(samples) or 'none'}")
        samples = [sample]
    sim = Simulator(graph, context, hypotheses)
    base = sim.parse(list(extra))  # NAME@COMPARTMENT as on the command line
    by_sample: dict[str, list[Call]] = {s: [] for s in samples}
    for call in calls:
        if call.sample in by_sample:
            by_sample[call.sample].append(call)
    results = []
    for name in samples:
        genotypes = assemble(graph, name, by_sample[name], strict=fmt == "tsv", source=str(path))
        genotypes.not_modelled.extend(u for u in unannotated if u["sample"] == name)
        genotypes.not_modelled.sort(key=lambda u: (u["line"], str(u.get("gene"))))
        result = SampleResult(name, genotypes)
        perts = [Perturbation(f"{g.gene_label}:{g.text}", _entity(g), "variant", None, gene=g.gene, genotype=g)
                 for g in genotypes.genotypes if g.form != "wild_type"]
        clash = {p.gene for p in perts} & {p.entity for p in base}
        if clash:
            raise InputError(f"sample {name}: a perturbation given beside the file acts on a gene the sample "
                             f"carries variants in ({', '.join(sorted(clash))}); give it in the file instead")
        if perts or base:
            result.prediction = sim.run([*perts, *base], readouts)
            result.resemblance = report(sim, result.prediction, [*perts, *base], top)
        results.append(result)
    return fmt, results


def _entity(genotype: Any) -> str:
    single = genotype.alleles[0] if genotype.form in ("allele", "hemizygous") else None
    return single.entity if single is not None and single.entity else genotype.gene
