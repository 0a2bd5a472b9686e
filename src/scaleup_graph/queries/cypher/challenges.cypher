// summary: Open Innovation Challenge entries by topic and status, with who posed them and how many proposals they have.
// role: viewer
// param topic: str = "" fold max-length 200 -- a topic name or id
// param status: str = "" one-of @Challenge.status -- only challenges with this status
// param skip: int = 0 range 0..1000000 -- rows to skip (pagination)
// param limit: int = 50 range 1..501 -- rows to return (page size)
// columns: challenge, posed_by, topics, proposals
// Ranked and cut to the page before anything else is read of the rows: the posers, topics
// and proposals of the page's rows only (FalkorDB projected every match first).
MATCH (c:Challenge)
WHERE ($status = '' OR coalesce(c.status, 'published') = $status)
// pattern comprehensions only in a projection (FalkorDB), computed only when filtering
WITH c, CASE WHEN $topic = '' THEN [] ELSE [(c)-[:CONCERNS]->(x:Topic) | x] END AS concerns
WHERE ($topic = ''
       OR any(t IN coalesce(c.topics, []) WHERE {{fold t}} = $topic)
       OR any(x IN concerns WHERE x.id = $topic OR x.name_fold = $topic))
WITH c ORDER BY c.name, c.id SKIP $skip LIMIT $limit
RETURN c AS challenge,
       [(o:Organisation)-[:POSES]->(c) | {id: o.id, name: o.name}] AS posed_by,
       [(c)-[:CONCERNS]->(t:Topic) | {id: t.id, name: t.name}] AS topics,
       size([(p:Proposal)-[:ADDRESSES]->(c) | p]) AS proposals
ORDER BY challenge.name, challenge.id
