// summary: Proposals (solutions) submitted for one challenge, with the organisations behind them and the events they were pitched at.
// role: viewer
// param id: str max-length 200 -- the challenge's id
// param skip: int = 0 range 0..1000000 -- rows to skip (pagination)
// param limit: int = 50 range 1..501 -- rows to return (page size)
// columns: proposal, proposed_by, pitched_at
MATCH (p:Proposal)-[:ADDRESSES]->(c:Challenge {id: $id})
RETURN p AS proposal, [(o:Organisation)-[:PROPOSES]->(p) | {id: o.id, name: o.name}] AS proposed_by,
       [(p)-[:PITCHED_AT]->(e:Event) | {id: e.id, name: e.name}] AS pitched_at
ORDER BY p.name, p.id
SKIP $skip LIMIT $limit
