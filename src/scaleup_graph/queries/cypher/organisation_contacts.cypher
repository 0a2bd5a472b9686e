// summary: Contact persons of an organisation; names, e-mails and phones only for the contacts role and above.
// role: viewer
// param id: str max-length 200 -- the organisation's id
// param skip: int = 0 range 0..1000000 -- rows to skip (pagination)
// param limit: int = 50 range 1..501 -- rows to return (page size)
// columns: person, job_role, since
MATCH (p:Person)-[w:WORKS_AT]->(o:Organisation {id: $id})
RETURN p AS person, w.role AS job_role, w.since AS since
ORDER BY p.id
SKIP $skip LIMIT $limit
