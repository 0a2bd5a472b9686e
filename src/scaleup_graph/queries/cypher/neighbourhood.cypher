// summary: Nodes within N hops (1 to 3) of a node and the relationships between them, walked level by level: hubs (regions, topics, programmes, nodes with more than 100 links) are shown but not walked through unless their label is in labels; complete, levels, hubs and ask say what was left out and how to get it.
// role: viewer
// param id: str max-length 200 -- the id of the centre node
// param label: str = "" one-of @labels inline -- the centre node's label (found from its id when empty)
// param hops: int = 1 range 1..3 inline -- how many hops to go out
// param labels: list[str] = [] one-of @labels -- walk only through nodes with one of these labels
// param limit: int = 200 range 1..1000 -- at most this many nodes besides the centre
// columns: nodes, relationships, complete, levels, hubs, ask
// runs as: the bounded walk of queries/neighbourhood.py (queries.runner.WALKED). The text below
// is the unbounded walk it replaces, kept as the reference the tests compare it with: it reaches
// everything within N hops before it keeps $limit nodes.
MATCH (s{{label}} {id: $id})
OPTIONAL MATCH p = (s)-[*1..{{hops}}]-(m)
WHERE (size($labels) = 0
       OR all(x IN nodes(p) WHERE x = s OR any(l IN labels(x) WHERE l IN $labels)))
  AND none(r IN relationships(p) WHERE type(r) IN $seen_hidden_types)
  AND none(x IN nodes(p) WHERE any(d IN $seen_drafts
                                   WHERE d.label IN labels(x) AND x[d.prop] = d.value))
WITH s, collect(DISTINCT m) AS found
WITH [s] + found[0..$limit] AS ns
WITH ns, [n IN ns | n.id] AS ids
UNWIND ns AS a
OPTIONAL MATCH (a)-[r]->(b)
WHERE b.id IN ids
WITH ns, collect(DISTINCT CASE WHEN r IS NULL THEN NULL
                          ELSE {type: type(r), start: a.id, end: b.id} END) AS rels
RETURN ns AS nodes, [x IN rels WHERE x IS NOT NULL] AS relationships
