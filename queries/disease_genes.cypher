// Genes linked to a disease: directly (a gene or complex that causes, contributes to or is associated with it)
// or through one of its sequence variants (then `via` names the variant).
// Parameters and columns are declared in disease_genes.rq.
MATCH (d:KgEntity {id: $disease})-[r]-(x:KgEntity)
WHERE r.id STARTS WITH 'KG:edge.' AND r.predicate IN ['causes', 'contributes_to', 'associated_with'] AND x <> d
OPTIONAL MATCH (variant_gene:KgEntity {id: x.gene})
WHERE x.category = 'sequence_variant'
WITH r, x, variant_gene
WHERE x.category IN ['gene_or_protein', 'protein_complex'] OR variant_gene IS NOT NULL
WITH r, coalesce(variant_gene, x) AS g, CASE WHEN variant_gene IS NULL THEN null ELSE x END AS v
RETURN DISTINCT g.id AS gene, g.label AS gene_label, r.predicate AS predicate, v.id AS via, v.label AS via_label,
       r.status AS status
ORDER BY gene, predicate, via, status
