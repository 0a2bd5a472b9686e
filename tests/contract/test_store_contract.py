"""The GraphStore contract: the same inputs give the same answers on every reachable store.

Each test runs once per store (``cstore`` in conftest.py): the embedded store, a FalkorDB server
over TCP, and Neo4j when SCALEUP_TEST_NEO4J_URL is set. Expected answers are derived from the
inputs, never from one store's output, so a store that drifts fails on its own.
"""

from __future__ import annotations

import json

import pytest

from scaleup_graph.store import GraphStore, NodeRow, QueryRejected, RelRow, StoreError
from scaleup_graph.store.base import QueryTimeout

PROV = {"source": "contract.csv", "ingest_run": "run-1", "ingested_at": "2026-01-01T00:00:00"}
PROV2 = {"source": "contract.csv", "ingest_run": "run-2", "ingested_at": "2026-02-01T00:00:00"}

ORGS = [
    NodeRow("org-ihk-kassel-marburg", {"name": "IHK Kassel-Marburg", "city": "Kassel"}),
    NodeRow(
        "org-science-park-kassel",
        {"name": "Science Park Kassel", "city": "Kassel", "topics": ["startups", "innovation"]},
        ("Stakeholder",),
    ),
    NodeRow(
        "org-lazio-innova", {"name": "Lazio Innova", "country": "IT"}, ("PartnerOrganisation",)
    ),
]
PEOPLE = [
    NodeRow(
        "person-0001",
        {"name": "Erika Beispiel", "email": "erika@example.org", "role": "project manager"},
    )
]
REGIONS = [NodeRow("region-de73", {"name": "Kassel", "nuts_code": "DE73", "level": 2})]
WORKS_AT = [RelRow("person-0001", "org-science-park-kassel", {"since": "2021"})]
LOCATED_IN = [
    RelRow("org-ihk-kassel-marburg", "region-de73"),
    RelRow("org-science-park-kassel", "region-de73"),
]


def load(store: GraphStore, provenance: dict[str, str] = PROV) -> None:
    store.upsert_nodes("Organisation", ORGS, provenance=provenance)
    store.upsert_nodes("Person", PEOPLE, provenance=provenance)
    store.upsert_nodes("Region", REGIONS, provenance=provenance)
    store.upsert_relationships(
        "WORKS_AT", "Person", "Organisation", WORKS_AT, provenance=provenance
    )
    store.upsert_relationships(
        "LOCATED_IN", "Organisation", "Region", LOCATED_IN, provenance=provenance
    )


def expected_dump() -> list[str]:
    """The canonical lines of :meth:`GraphStore.dump_lines`, built from the inputs above."""
    lines = []
    for label, rows in (("Organisation", ORGS), ("Person", PEOPLE), ("Region", REGIONS)):
        for row in rows:
            props = {"id": row.id, **row.props, "source": PROV["source"]}
            labels = sorted([label, *row.extra_labels])
            lines.append(json.dumps(["N", labels, props], sort_keys=True))
    for type_, rels in (("WORKS_AT", WORKS_AT), ("LOCATED_IN", LOCATED_IN)):
        for rel in rels:
            props = {**rel.props, "source": PROV["source"]}
            lines.append(json.dumps(["R", rel.start, type_, rel.end, props], sort_keys=True))
    return sorted(lines)


def test_upserts_give_the_same_graph_on_every_store(cstore: GraphStore) -> None:
    load(cstore)
    assert sorted(cstore.dump_lines()) == expected_dump()
    counts = cstore.counts()
    assert counts["nodes"]["Organisation"] == 3
    assert counts["nodes"]["Person"] == 1
    assert counts["nodes"]["Topic"] == 0
    assert counts["relationships"]["LOCATED_IN"] == 2
    assert counts["relationships"]["WORKS_AT"] == 1


def test_repeating_an_ingest_changes_nothing_but_updated_at(cstore: GraphStore) -> None:
    load(cstore)
    before = cstore.fingerprint()
    load(cstore, PROV2)
    assert cstore.fingerprint() == before
    assert cstore.counts()["nodes"]["Organisation"] == 3
    row = cstore.read(
        "MATCH (o:Organisation {id: $id}) RETURN o.ingest_run AS run, o.updated_at AS updated",
        {"id": "org-lazio-innova"},
    )
    assert row == [{"run": "run-1", "updated": PROV2["ingested_at"]}]


def test_relationships_are_written_only_between_existing_nodes(cstore: GraphStore) -> None:
    load(cstore)
    written = cstore.upsert_relationships(
        "LOCATED_IN",
        "Organisation",
        "Region",
        [RelRow("org-lazio-innova", "region-de73"), RelRow("org-lazio-innova", "region-itI4")],
        provenance=PROV,
    )
    assert written == 1
    assert cstore.existing_ids("Region", ["region-de73", "region-itI4"]) == {"region-de73"}


def test_results_come_back_in_the_port_shapes(cstore: GraphStore) -> None:
    load(cstore)
    rows = cstore.read(
        "MATCH p = (a:Person)-[e:WORKS_AT]->(b:Organisation) RETURN a, e, b, p",
    )
    assert len(rows) == 1
    row = rows[0]
    assert row["a"]["id"] == "person-0001"
    assert row["a"]["_labels"] == ["Person"]
    assert row["b"]["_labels"][0] == "Organisation"
    assert set(row["b"]["_labels"]) == {"Organisation", "Stakeholder"}
    assert row["b"]["topics"] == ["startups", "innovation"]
    assert row["e"]["_type"] == "WORKS_AT"
    assert row["e"]["since"] == "2021"
    path = row["p"]
    assert [n["id"] for n in path["nodes"]] == ["person-0001", "org-science-park-kassel"]
    (rel,) = path["relationships"]
    assert (rel["_type"], rel["_start"], rel["_end"]) == (
        "WORKS_AT",
        "person-0001",
        "org-science-park-kassel",
    )


def test_erase_removes_the_node_and_its_relationships_only(cstore: GraphStore) -> None:
    load(cstore)
    assert cstore.erase_node("person-0001") == 1
    assert cstore.existing_ids("Person", ["person-0001"]) == set()
    counts = cstore.counts()
    assert counts["relationships"]["WORKS_AT"] == 0
    assert counts["nodes"]["Organisation"] == 3
    assert cstore.erase_node("person-0001") == 0


def test_suppression_list_remembers_hashes_once(cstore: GraphStore) -> None:
    cstore.add_suppressed(["h1", "h2"])
    cstore.add_suppressed(["h2", "h3"])
    assert cstore.suppressed(["h1", "h3", "h9"]) == {"h1", "h3"}
    assert sum(cstore.counts()["nodes"].values()) == 0  # not a schema node
    assert cstore.all_suppressed() == ["h1", "h2", "h3"]


@pytest.mark.parametrize(
    "query",
    [
        "CREATE (:Organisation {id: 'org-evil', name: 'x'})",
        "MERGE (:Organisation {id: 'org-evil'})",
        "MATCH (o:Organisation) SET o.name = 'changed'",
        "MATCH (o:Organisation) DETACH DELETE o",
        "MATCH (o:Organisation) RETURN o.name AS name "
        "UNION ALL CREATE (x:Topic) RETURN 'x' AS name",
    ],
)
def test_read_only_guard_refuses_writes(cstore: GraphStore, query: str) -> None:
    load(cstore)
    before = cstore.fingerprint()
    with pytest.raises(QueryRejected):
        cstore.read_only(query, timeout_ms=5_000, row_cap=10)
    assert cstore.fingerprint() == before


def test_read_only_guard_refuses_loading_files(cstore: GraphStore) -> None:
    with pytest.raises(StoreError):
        cstore.read_only(
            "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row", timeout_ms=5_000, row_cap=10
        )


def test_read_only_caps_rows(cstore: GraphStore) -> None:
    load(cstore)
    query = "MATCH (o:Organisation) RETURN o.id AS id ORDER BY id"
    rows, more = cstore.read_only(query, timeout_ms=5_000, row_cap=2)
    assert rows == [{"id": "org-ihk-kassel-marburg"}, {"id": "org-lazio-innova"}]
    assert more is True
    rows, more = cstore.read_only(query, timeout_ms=5_000, row_cap=3)
    assert len(rows) == 3
    assert more is False


def test_read_only_stops_a_slow_query(cstore: GraphStore) -> None:
    slow = (
        "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b "
        "WITH a, b WHERE a * b = -1 RETURN count(*) AS c"
    )
    with pytest.raises(QueryTimeout):
        cstore.read_only(slow, timeout_ms=200, row_cap=10)


def test_a_broken_query_is_a_clear_store_error(cstore: GraphStore) -> None:
    with pytest.raises(StoreError) as caught:
        cstore.read("MATCH (n RETURN n")
    assert str(caught.value)
    assert not isinstance(caught.value, QueryRejected)


def test_labels_outside_the_schema_never_reach_the_database(cstore: GraphStore) -> None:
    with pytest.raises(ValueError, match="unknown label"):
        cstore.upsert_nodes("Organisation`) DETACH DELETE (n", [NodeRow("x", {})], provenance=PROV)


def test_schema_setup_can_run_again_and_health_answers(cstore: GraphStore) -> None:
    cstore.setup_schema()
    load(cstore)
    cstore.setup_schema()
    assert cstore.counts()["nodes"]["Organisation"] == 3
    health = cstore.health()
    assert health["store"].startswith(cstore.dialect)
    assert health["latency_ms"] >= 0


def test_seed_ingest_is_idempotent(cstore: GraphStore) -> None:
    ingest = pytest.importorskip("scaleup_graph.ingest", reason="ingest is not built yet")
    if not hasattr(ingest, "load_seed"):
        pytest.skip("scaleup_graph.ingest.load_seed is not built yet")
    ingest.load_seed(cstore)
    before, counts = cstore.fingerprint(), cstore.counts()
    assert sum(counts["nodes"].values()) > 0
    ingest.load_seed(cstore)
    assert cstore.fingerprint() == before
    assert cstore.counts() == counts
