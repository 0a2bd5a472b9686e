// summary: Organisations by name, topic, region or kind; any case, accents and umlaut spelling ("Koeln", "Köln" and "Koln" find "Köln"), small typos forgiven; the name itself and names that start with the text come first.
// role: viewer
// param q: str = "" fold search max-length 200 -- part of the name, short name or another name
// param topic: str = "" fold max-length 200 -- a topic name or id (competence or listed topic)
// param region: str = "" max-length 50 -- a NUTS code prefix (DE73), country code (DE) or region id
// param kind: str = "" one-of @kinds -- only organisations of this kind
// param skip: int = 0 range 0..1000000 -- rows to skip (pagination)
// param limit: int = 50 range 1..501 -- rows to return (page size)
// columns: id, name, short_name, kinds, city, country, nuts_code, topics, match
// Where the organisations come from, each through an index: the full-text index on
// search_text (queries.search) hands back those whose names match the text. A topic alone
// starts from the topic's own links and the index of listed topics (topics_fold), so that it
// costs what its answer costs; those rows match the topic already (by_topic). Neither: every
// organisation, by its label. UNION: an organisation may list the topic and link to it.
// Without a text every row scores 1.0: the search is ranked by name, then id.
CALL {
  CALL db.idx.fulltext.queryNodes('Organisation',
       CASE WHEN $q = '' THEN 'scaleupnomatch' ELSE $q_ft END)
  YIELD node, score
  RETURN node AS o, score, false AS by_topic
  UNION
  MATCH (o:Organisation) WHERE $q = '' AND $topic = ''
  RETURN o, 1.0 AS score, false AS by_topic
  UNION
  MATCH (o:Organisation) WHERE $topic IN o.topics_fold AND $q = ''
  RETURN o, 1.0 AS score, true AS by_topic
  UNION
  MATCH (t:Topic) WHERE $q = '' AND $topic <> '' AND (t.id = $topic OR t.name_fold = $topic)
  MATCH (t)<-[:HAS_COMPETENCE]-(o:Organisation)
  RETURN o, 1.0 AS score, true AS by_topic
}
WITH o, score, by_topic
WHERE ($kind = '' OR $kind IN coalesce(o.kinds, []))
  // a text without letters or digits ("-") cannot use the index: compare it as it is
  AND (NOT $q_all OR $q = '' OR o.name_fold CONTAINS $q OR o.short_name_fold CONTAINS $q)
// The regions and competences are read only when their filter is used: FalkorDB evaluates a
// pattern comprehension even inside a CASE that does not need it (12.9 ms against 0.7 ms for
// "kassel" at 100,000 organisations), but a subquery whose row the WHERE drops reads nothing.
CALL { WITH o WITH o WHERE $region <> '' MATCH (o)-[:LOCATED_IN]->(rx:Region) RETURN collect(rx) AS regions }
CALL { WITH o, by_topic WITH o WHERE $topic <> '' AND NOT by_topic MATCH (o)-[:HAS_COMPETENCE]->(tx:Topic) RETURN collect(tx) AS competences }
WITH o, score, regions, competences, by_topic
WHERE ($region = ''
       OR o.nuts_code STARTS WITH $region OR o.country = $region
       OR any(r IN regions WHERE r.id = $region OR r.nuts_code STARTS WITH $region))
  AND ($topic = '' OR by_topic
       OR $topic IN coalesce(o.topics_fold, [])
       OR any(c IN competences WHERE c.id = $topic OR c.name_fold = $topic))
// rank: the name itself, starts with the text, a word starts with it, contains it, similar
WITH o, score, CASE WHEN $q = '' THEN '' ELSE head(split(o.search_text, ' ~ ')) END AS names
WITH o, score,
     CASE WHEN $q = '' THEN 0
          WHEN o.name_fold = $q OR o.short_name_fold = $q OR names = $q_text THEN 0
          WHEN names STARTS WITH $q_text OR o.short_name_fold STARTS WITH $q THEN 1
          WHEN (' ' + names) CONTAINS (' ' + $q_text) THEN 2
          WHEN names CONTAINS $q_text THEN 3
          ELSE 4 END AS rank
RETURN o.id AS id, o.name AS name, o.short_name AS short_name, o.kinds AS kinds,
       o.city AS city, o.country AS country, o.nuts_code AS nuts_code, o.topics AS topics,
       CASE WHEN $q = '' THEN NULL
            ELSE ['exact', 'prefix', 'word', 'contains', 'similar'][rank] END AS match
ORDER BY rank, score DESC, name, id
SKIP $skip LIMIT $limit
