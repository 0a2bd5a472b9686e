// Neo4j finds undirected shortest paths itself, without enumerating every longer path first.
MATCH (a{{source_label}} {id: $source}), (b{{target_label}} {id: $target})
WHERE a <> b
MATCH p = allShortestPaths((a)-[*1..{{max_hops}}]-(b))
RETURN p AS path, length(p) AS hops
ORDER BY hops
LIMIT $limit
