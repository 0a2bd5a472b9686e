// summary: One contact person with their organisations (personal data: contacts role and above).
// role: contacts
// param id: str max-length 200 -- the person's id, e.g. person-3f2a...
// columns: person, organisations, knows
MATCH (p:Person {id: $id})
RETURN p AS person,
       [(p)-[w:WORKS_AT]->(o:Organisation) | {id: o.id, name: o.name, role: w.role}]
         AS organisations,
       [(p)-[:KNOWS]-(k:Person) | k.id] AS knows
