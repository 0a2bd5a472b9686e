// Neo4j: the full-text index is queried by its name, in Lucene syntax; without a text the
// organisations are read by label ($q_all), since Lucene has no "match everything" query.
CALL () {
  MATCH (o:Organisation) WHERE $q_all RETURN o, 1.0 AS score
  UNION ALL
  CALL db.index.fulltext.queryNodes('scaleup_organisation_search', $q_ft) YIELD node, score
  WITH node, score WHERE NOT $q_all
  RETURN node AS o, score
}
WITH o, score
WHERE ($kind = '' OR $kind IN coalesce(o.kinds, []))
  AND (NOT $q_all OR $q = '' OR o.name_fold CONTAINS $q OR o.short_name_fold CONTAINS $q)
WITH o, score,
     CASE WHEN $region = '' THEN [] ELSE [(o)-[:LOCATED_IN]->(rx:Region) | rx] END AS regions,
     CASE WHEN $topic = '' THEN [] ELSE [(o)-[:HAS_COMPETENCE]->(tx:Topic) | tx] END AS competences
WHERE ($region = ''
       OR o.nuts_code STARTS WITH $region OR o.country = $region
       OR any(r IN regions WHERE r.id = $region OR r.nuts_code STARTS WITH $region))
  AND ($topic = ''
       OR any(t IN coalesce(o.topics, []) WHERE {{fold t}} = $topic)
       OR any(c IN competences WHERE c.id = $topic OR c.name_fold = $topic))
// rank: the name itself, starts with the text, a word starts with it, contains it, similar
WITH o, score, head(split(o.search_text, ' ~ ')) AS names
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
