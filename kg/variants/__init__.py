"""Variants as patients and labs bring them: any HGVS change of a network gene, any zygosity, a whole genotype.

The stages, one module each:
- `notation`: HGVS read with the maintained `hgvs` parser (imported on first use);
- `consequence` and `rules`: the consequence class of a change and its declared, cited rule (schema/variants.yaml);
- `genemodel`: a gene's curated transcript, protein regions and dosage factors (loaders/variants/GENE.yaml);
- `interpret`: one allele, decided by the catalogue, a consequence rule, a region rule, or unknown;
- `genotype`: `GENE:A`, `GENE:A/+`, `GENE:A/A`, `GENE:A/B`;
- `dosage`: the one entry point the simulator uses (`gene_factors`): expression, activity, transgene, removed
  interactions and the catalogued variants present as agents;
- `scenarios`: unknown effects simulated every way, readouts that differ reported as ambiguous.
"""
