// Edges whose status is contested or hypothesis, or that carry evidence whose own status is not established, with
// their rival claims (same subject and either the same object or the same predicate; kg.rivals).
// Parameters and columns are declared in contested.rq.
MATCH (s:KgEntity)-[r]->(o:KgEntity)
WHERE r.id STARTS WITH 'KG:edge.'
  AND (r.status <> 'established' OR any(status IN r.evidence_statuses WHERE status <> 'established'))
OPTIONAL MATCH (s)-[rival]->(rival_object:KgEntity)
WHERE rival.id STARTS WITH 'KG:edge.' AND rival <> r AND (rival_object = o OR rival.predicate = r.predicate)
WITH s, r, o, collect(rival.id) AS rivals,
     collect(s.label + ' ' + replace(rival.predicate, '_', ' ') + ' ' + rival_object.label + ' (' + rival.status + ')')
       AS rival_claims
RETURN r.id AS edge_id, s.id AS subject, s.label AS subject_label, r.predicate AS predicate, o.id AS object,
       o.label AS object_label, r.status AS status, r.claim AS claim, r.evidence_count AS evidence,
       size([status IN r.evidence_statuses WHERE status <> 'established']) AS contested_evidence, rivals, rival_claims
ORDER BY edge_id
