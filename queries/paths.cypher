// Simple directed paths from one entity to another of at most $max_length edges, no entity visited twice;
// symmetric edges (binds, associated_with) can be walked both ways. With $signed, only sign-carrying edges are
// walked; a path's sign is the product of its edges' signs (none if any edge is unsigned).
// Parameters and columns are declared in paths.rq. A quantifier cannot be a parameter: one branch per length up
// to 4 (the largest max_length paths.rq allows), each cut before it expands anything when it is too long.
MATCH (s:KgEntity {id: $source})
MATCH (t:KgEntity {id: $target})
WHERE s <> t
CALL (s, t) {
  WITH * WHERE $max_length >= 1
  MATCH p = (s) ((a:KgEntity)-[r]-(b:KgEntity) WHERE r.id STARTS WITH 'KG:edge.' AND (startNode(r) = a OR r.symmetric)
                 AND (NOT $signed OR r.sign <> 'none')){1} (t)
  RETURN p
  UNION ALL
  WITH * WHERE $max_length >= 2
  MATCH p = (s) ((a:KgEntity)-[r]-(b:KgEntity) WHERE r.id STARTS WITH 'KG:edge.' AND (startNode(r) = a OR r.symmetric)
                 AND (NOT $signed OR r.sign <> 'none')){2} (t)
  RETURN p
  UNION ALL
  WITH * WHERE $max_length >= 3
  MATCH p = (s) ((a:KgEntity)-[r]-(b:KgEntity) WHERE r.id STARTS WITH 'KG:edge.' AND (startNode(r) = a OR r.symmetric)
                 AND (NOT $signed OR r.sign <> 'none')){3} (t)
  RETURN p
  UNION ALL
  WITH * WHERE $max_length >= 4
  MATCH p = (s) ((a:KgEntity)-[r]-(b:KgEntity) WHERE r.id STARTS WITH 'KG:edge.' AND (startNode(r) = a OR r.symmetric)
                 AND (NOT $signed OR r.sign <> 'none')){4} (t)
  RETURN p
}
WITH p
WHERE all(i IN range(1, length(p)) WHERE NOT nodes(p)[i] IN nodes(p)[0..i])
WITH p, reduce(x = 1, r IN relationships(p) |
               x * CASE r.sign WHEN 'positive' THEN 1 WHEN 'negative' THEN -1 ELSE 0 END) AS product
RETURN length(p) AS length, CASE product WHEN 1 THEN 'positive' WHEN -1 THEN 'negative' ELSE 'none' END AS sign,
       [n IN nodes(p) | n.id] AS path, [n IN nodes(p) | n.label] AS labels, [r IN relationships(p) | r.id] AS edges,
       [r IN relationships(p) | r.status] AS statuses
ORDER BY length, path, edges
