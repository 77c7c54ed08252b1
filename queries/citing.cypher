// Everything citing a publication: each edge and each entity with an evidence record whose source is $source,
// labelled (an edge's label is its claim in words). Parameters and columns are declared in citing.rq.
MATCH (s:KgEntity)-[r]->(o:KgEntity)
WHERE r.id STARTS WITH 'KG:edge.' AND $source IN r.evidence_sources
RETURN 'edge' AS kind, r.id AS id, s.label + ' ' + r.predicate + ' ' + o.label AS label, r.status AS status,
       s.id AS subject, s.label AS subject_label, r.predicate AS predicate, o.id AS object, o.label AS object_label
UNION ALL
MATCH (n:KgEntity)
WHERE $source IN n.evidence_sources
RETURN 'entity' AS kind, n.id AS id, n.label AS label, null AS status, null AS subject, null AS subject_label,
       null AS predicate, null AS object, null AS object_label
