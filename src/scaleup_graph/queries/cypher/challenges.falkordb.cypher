// FalkorDB: without a topic every challenge is read by its label; with one, only those the
// index of listed topics (topics_fold, item by item) or the topic's own links name (UNION
// keeps a challenge once), then ranked and cut to the page before the page's rows are read.
CALL {
  MATCH (c:Challenge) WHERE $topic = '' RETURN c
  UNION
  MATCH (c:Challenge) WHERE $topic IN c.topics_fold RETURN c
  UNION
  MATCH (x:Topic)<-[:CONCERNS]-(c:Challenge) WHERE x.id = $topic OR x.name_fold = $topic
  RETURN c
}
WITH c WHERE ($status = '' OR coalesce(c.status, 'published') = $status)
WITH c ORDER BY c.name, c.id SKIP $skip LIMIT $limit
RETURN c AS challenge,
       [(o:Organisation)-[:POSES]->(c) | {id: o.id, name: o.name}] AS posed_by,
       [(c)-[:CONCERNS]->(t:Topic) | {id: t.id, name: t.name}] AS topics,
       size([(p:Proposal)-[:ADDRESSES]->(c) | p]) AS proposals
ORDER BY challenge.name, challenge.id
