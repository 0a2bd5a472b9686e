// summary: Organisations by name, topic, region or kind; case- and accent-insensitive ("Koeln" finds "Köln").
// role: viewer
// param q: str = "" fold max-length 200 -- part of the name or short name
// param topic: str = "" fold max-length 200 -- a topic name or id (competence or listed topic)
// param region: str = "" max-length 50 -- a NUTS code prefix (DE73), country code (DE) or region id
// param kind: str = "" one-of @kinds -- only organisations of this kind
// param skip: int = 0 range 0..1000000 -- rows to skip (pagination)
// param limit: int = 50 range 1..501 -- rows to return (page size)
// columns: id, name, short_name, kinds, city, country, nuts_code, topics
MATCH (o:Organisation)
// name_fold and short_name_fold are fold(name) written by the store: a plain CONTAINS then
// finds "Köln" for "Koeln" at the cost of a string comparison per node.
WHERE ($q = '' OR o.name_fold CONTAINS $q OR o.short_name_fold CONTAINS $q)
  AND ($kind = '' OR $kind IN coalesce(o.kinds, []))
// FalkorDB resolves pattern comprehensions only in a projection, not inside WHERE; the CASE
// skips them when the filter is not used.
WITH o,
     CASE WHEN $region = '' THEN [] ELSE [(o)-[:LOCATED_IN]->(rx:Region) | rx] END AS regions,
     CASE WHEN $topic = '' THEN [] ELSE [(o)-[:HAS_COMPETENCE]->(tx:Topic) | tx] END AS competences
WHERE ($region = ''
       OR o.nuts_code STARTS WITH $region OR o.country = $region
       OR any(r IN regions WHERE r.id = $region OR r.nuts_code STARTS WITH $region))
  AND ($topic = ''
       OR any(t IN coalesce(o.topics, []) WHERE {{fold t}} = $topic)
       OR any(c IN competences WHERE c.id = $topic OR c.name_fold = $topic))
RETURN o.id AS id, o.name AS name, o.short_name AS short_name, o.kinds AS kinds,
       o.city AS city, o.country AS country, o.nuts_code AS nuts_code, o.topics AS topics
ORDER BY name, id
SKIP $skip LIMIT $limit
