"""Variants as patients and labs bring them: any HGVS change of a network gene, any zygosity, a whole genotype, and
what a predicted profile resembles. docs/variants.md describes the rules; one module per stage.

Below the simulator (it calls them; they never import kg.simulate at module level):
- `notation`: HGVS read with the maintained `hgvs` parser (imported on first use, never on a plain prediction);
- `consequence` and `rules`: a change's consequence class and its declared, cited rule (schema/variants.yaml);
- `genemodel`: a gene's curated transcript, protein regions and dosage factors (loaders/variants/GENE.yaml);
- `interpret`: one allele, decided by the catalogue, a consequence rule, a region rule, or unknown;
- `genotype`: `GENE:A`, `GENE:A/+`, `GENE:A/A`, `GENE:A/B`;
- `dosage`: the one entry point the simulator uses (`gene_factors`): expression and activity factors, transgene,
  removed interactions and the catalogued variants present as agents.

Above it (they run the simulator):
- `scenarios`: unknown effects simulated every way, readouts that differ reported as ambiguous;
- `calls`, `vcf`, `tsv`, `samples`: genotype files (VEP CSQ / SnpEff ANN VCFs, TSV) to one prediction per sample;
- `resemblance`: diseases ranked by graph-computed signatures (a model's resemblance, not a diagnosis);
- `card`: `kg show GENE:VARIANT`.
"""
