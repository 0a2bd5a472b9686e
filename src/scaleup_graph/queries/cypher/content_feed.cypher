// summary: Scale-Up content (news, offers, events, studies), newest first, optionally by topic and kind.
// role: viewer
// param topic: str = "" fold max-length 200 -- a topic name or id
// param kind: str = "" one-of @ContentItem.kind -- only this kind of content
// param ids: list[str] = [] -- only these items (ContentItem ids; all when empty)
// param skip: int = 0 range 0..1000000 -- rows to skip (pagination)
// param limit: int = 50 range 1..501 -- rows to return (page size)
// columns: item, published_by, topics
MATCH (c:ContentItem)
WHERE ($kind = '' OR c.kind = $kind) AND (size($ids) = 0 OR c.id IN $ids)
// pattern comprehensions only in a projection (FalkorDB), computed only when filtering
WITH c, CASE WHEN $topic = '' THEN [] ELSE [(c)-[:ABOUT]->(x:Topic) | x] END AS about
WHERE ($topic = ''
       OR any(t IN coalesce(c.topics, []) WHERE {{fold t}} = $topic)
       OR any(x IN about WHERE x.id = $topic OR x.name_fold = $topic))
// ranked and cut to the page before the publishers and topics of the page's rows are read
WITH c ORDER BY coalesce(c.published_at, '') DESC, c.id SKIP $skip LIMIT $limit
RETURN c AS item,
       [(o:Organisation)-[:PUBLISHES]->(c) | {id: o.id, name: o.name}] AS published_by,
       [(c)-[:ABOUT]->(t:Topic) | {id: t.id, name: t.name}] AS topics
ORDER BY coalesce(item.published_at, '') DESC, item.id
