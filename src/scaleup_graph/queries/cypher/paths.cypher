// summary: The shortest paths between two actors (who can introduce me to whom), up to max_hops long.
// role: viewer
// param source: str max-length 200 -- id of the first actor
// param target: str max-length 200 -- id of the second actor
// param source_label: str = "" one-of @labels inline -- the first actor's label (found from its id when empty)
// param target_label: str = "" one-of @labels inline -- the second actor's label (found from its id when empty)
// param max_hops: int = 4 range 1..5 inline -- longest path to consider
// param limit: int = 3 range 1..20 -- how many paths
// columns: path, hops
// distinct: source, target -- a path needs two different actors: give another target
MATCH (a{{source_label}} {id: $source}), (b{{target_label}} {id: $target})
WHERE a <> b
MATCH p = (a)-[*1..{{max_hops}}]-(b)
RETURN p AS path, length(p) AS hops
ORDER BY hops
LIMIT $limit
