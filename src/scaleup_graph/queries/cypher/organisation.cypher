// summary: One organisation with its regions, topics, projects and number of contacts and partners.
// role: viewer
// param id: str max-length 200 -- the organisation's id, e.g. org-ihk-kassel-marburg
// columns: organisation, regions, topics, projects, cooperates_with, contacts
// One walk over the organisation's links, sorted into the lists afterwards: FalkorDB ran each
// of five pattern comprehensions as its own traversal (engine 0.35 -> 0.22 ms at 40,000
// organisations). The answers, list order included, are those of the five comprehensions
// (organisation.neo4j.cypher; tests/queries/test_organisation_detail.py compares them).
MATCH (o:Organisation {id: $id})
OPTIONAL MATCH (o)-[r]-(x)
WITH o, collect({t: type(r), out: startNode(r) = o, x: x}) AS links
RETURN o AS organisation,
       [l IN links WHERE l.t = 'LOCATED_IN' AND l.out AND l.x:Region
         | {id: l.x.id, name: l.x.name, nuts_code: l.x.nuts_code}] AS regions,
       [l IN links WHERE l.t = 'HAS_COMPETENCE' AND l.out AND l.x:Topic
         | {id: l.x.id, name: l.x.name}] AS topics,
       [l IN links WHERE l.t = 'PARTNER_IN' AND l.out AND l.x:Project
         | {id: l.x.id, name: l.x.name}] AS projects,
       [l IN links WHERE l.t = 'COOPERATES_WITH' AND l.x:Organisation
         | {id: l.x.id, name: l.x.name}] AS cooperates_with,
       size([l IN links WHERE l.t = 'WORKS_AT' AND NOT l.out AND l.x:Person]) AS contacts
