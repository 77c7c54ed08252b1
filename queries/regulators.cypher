// Signed regulators of an entity: every sign-carrying edge into it (who raises it, who lowers it), with the
// predicate and mechanism. Parameters and columns are declared in regulators.rq.
MATCH (s:KgEntity)-[r]->(t:KgEntity {id: $target})
WHERE r.id STARTS WITH 'KG:edge.' AND r.sign <> 'none'
RETURN s.id AS regulator, s.label AS regulator_label, r.predicate AS predicate, r.sign AS sign,
       r.mechanism AS mechanism, r.status AS status, r.id AS edge_id
ORDER BY regulator, predicate, edge_id
