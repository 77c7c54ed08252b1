// Everything citing a publication: each edge and each entity with an evidence record whose source is $source.
// Parameters and columns are declared in citing.rq (rows are sorted by its order).
MATCH (s:KgEntity)-[r]->(o:KgEntity)
WHERE r.id STARTS WITH 'KG:edge.' AND $source IN r.evidence_sources
RETURN 'edge' AS kind, r.id AS id, s.id AS subject, r.predicate AS predicate, o.id AS object
UNION ALL
MATCH (n:KgEntity)
WHERE $source IN n.evidence_sources
RETURN 'entity' AS kind, n.id AS id, null AS subject, null AS predicate, null AS object
