// Every interaction (edge) touching an entity as subject or object, with its sign, mechanism, status and number
// of evidence records. Parameters and columns are declared in interactions.rq.
MATCH (s:KgEntity)-[r]->(o:KgEntity)
WHERE r.id STARTS WITH 'KG:edge.' AND (s.id = $of OR o.id = $of)
RETURN r.id AS edge_id, s.id AS subject, s.label AS subject_label, r.predicate AS predicate, o.id AS object,
       o.label AS object_label, r.sign AS sign, r.mechanism AS mechanism, r.status AS status,
       r.evidence_count AS evidence
ORDER BY edge_id
