// Entities within $depth edges of an entity, ignoring edge direction, with their distance (the length of the
// shortest undirected path over kg's edges); the entity itself is left out.
// Parameters and columns are declared in neighbors.rq. A quantifier cannot be a parameter, so the bound is the
// literal 4 (the largest depth neighbors.rq allows) and the distance is filtered.
MATCH (c:KgEntity {id: $center})
MATCH p = ANY SHORTEST (c) ((:KgEntity)-[r WHERE r.id STARTS WITH 'KG:edge.']-(:KgEntity)){1,4} (n:KgEntity)
WHERE n <> c AND length(p) <= $depth
RETURN n.id AS id, n.label AS label, n.category AS category, length(p) AS distance
ORDER BY distance, id
