// FalkorDB: without a topic every item is read by its label; with one, only those the index
// of listed topics (topics_fold, item by item) or the topic's own links name (UNION keeps an
// item once), then ranked and cut to the page before the page's rows are read.
CALL {
  MATCH (c:ContentItem) WHERE $topic = '' RETURN c
  UNION
  MATCH (c:ContentItem) WHERE $topic IN c.topics_fold RETURN c
  UNION
  MATCH (x:Topic)<-[:ABOUT]-(c:ContentItem) WHERE x.id = $topic OR x.name_fold = $topic
  RETURN c
}
WITH c WHERE ($kind = '' OR c.kind = $kind) AND (size($ids) = 0 OR c.id IN $ids)
WITH c ORDER BY coalesce(c.published_at, '') DESC, c.id SKIP $skip LIMIT $limit
RETURN c AS item,
       [(o:Organisation)-[:PUBLISHES]->(c) | {id: o.id, name: o.name}] AS published_by,
       [(c)-[:ABOUT]->(t:Topic) | {id: t.id, name: t.name}] AS topics
ORDER BY coalesce(item.published_at, '') DESC, item.id
