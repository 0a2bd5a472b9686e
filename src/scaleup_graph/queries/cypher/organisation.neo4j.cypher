// Neo4j plans each pattern comprehension as an expand from the one node: kept as it was.
MATCH (o:Organisation {id: $id})
RETURN o AS organisation,
       [(o)-[:LOCATED_IN]->(r:Region) | {id: r.id, name: r.name, nuts_code: r.nuts_code}]
         AS regions,
       [(o)-[:HAS_COMPETENCE]->(t:Topic) | {id: t.id, name: t.name}] AS topics,
       [(o)-[:PARTNER_IN]->(p:Project) | {id: p.id, name: p.name}] AS projects,
       [(o)-[:COOPERATES_WITH]-(c:Organisation) | {id: c.id, name: c.name}] AS cooperates_with,
       size([(o)<-[:WORKS_AT]-(x:Person) | x]) AS contacts
