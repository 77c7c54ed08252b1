// Edges whose status is contested or hypothesis, or that carry evidence whose own status is not established.
// Parameters and columns are declared in contested.rq.
MATCH (s:KgEntity)-[r]->(o:KgEntity)
WHERE r.id STARTS WITH 'KG:edge.'
  AND (r.status <> 'established' OR any(status IN r.evidence_statuses WHERE status <> 'established'))
RETURN r.id AS edge_id, s.id AS subject, r.predicate AS predicate, o.id AS object, r.status AS status,
       r.claim AS claim
ORDER BY edge_id
