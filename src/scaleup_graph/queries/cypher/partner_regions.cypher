// summary: Partner regions of the project, their partner organisations and the best practices transferred to them.
// role: viewer
// columns: region, partners, practices_received
MATCH (r:Region)
WITH r,
     [(o:PartnerOrganisation)-[:LOCATED_IN]->(r) | {id: o.id, name: o.name}] AS partners,
     [(b:BestPractice)-[:TRANSFERRED_TO]->(r) | {id: b.id, name: b.name}] AS practices
WHERE size(partners) > 0 OR size(practices) > 0
RETURN r AS region, partners, practices AS practices_received
ORDER BY r.name, r.id
