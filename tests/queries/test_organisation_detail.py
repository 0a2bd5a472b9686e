"""The organisation detail walks the organisation's links once (organisation.cypher) instead of
running five pattern comprehensions (organisation.neo4j.cypher, the text Neo4j keeps): every
organisation's answer must be the same, list order included, on the demo network, on a
generated population and on links that test the walk's direction checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaleup_graph.queries import run_query
from scaleup_graph.queries.runner import get_query
from scaleup_graph.store import GraphStore, NodeRow, RelRow
from tests.support.graphs import ingest_generated

PROV = {"source": "test", "ingest_run": "r1", "ingested_at": "2026-01-01T00:00:00"}


def _texts() -> tuple[str, str]:
    query = get_query("organisation")
    one_walk, comprehensions = query.text("falkordb", {}), query.text("neo4j", {})
    assert one_walk != comprehensions
    return one_walk, comprehensions


def _assert_same_answers(store: GraphStore) -> int:
    one_walk, comprehensions = _texts()
    ids = [r["id"] for r in store.read("MATCH (o:Organisation) RETURN o.id AS id ORDER BY id")]
    listed = 0
    for org_id in ids:
        walked = store.read(one_walk, {"id": org_id})
        wanted = store.read(comprehensions, {"id": org_id})
        assert walked == wanted, org_id
        listed += sum(
            len(wanted[0][k]) for k in ("regions", "topics", "projects", "cooperates_with")
        )
    assert ids and listed  # the comparison saw organisations and their links
    return len(ids)


def test_same_answers_on_the_demo_network(seeded_store: GraphStore) -> None:
    assert _assert_same_answers(seeded_store) > 20


def test_same_answers_on_a_generated_population(store: GraphStore, tmp_path: Path) -> None:
    ingest_generated(store, 400, 7, tmp_path)
    assert _assert_same_answers(store) >= 400


def test_same_answers_on_links_both_ways_twice_and_to_itself(store: GraphStore) -> None:
    orgs = [NodeRow(f"org-{c}", {"name": c.upper()}) for c in "abcd"]
    store.upsert_nodes("Organisation", orgs, provenance=PROV)
    store.upsert_nodes("Region", [NodeRow("region-de73", {"name": "Kassel"})], provenance=PROV)
    store.upsert_nodes("Topic", [NodeRow("topic-x", {"name": "X"})], provenance=PROV)
    store.upsert_nodes("Person", [NodeRow("person-1", {"name": "P"})], provenance=PROV)
    pairs = [("org-a", "org-b"), ("org-b", "org-a"), ("org-a", "org-a"), ("org-c", "org-a")]
    store.upsert_relationships(
        "COOPERATES_WITH",
        "Organisation",
        "Organisation",
        [RelRow(a, b) for a, b in pairs],
        provenance=PROV,
    )
    store.upsert_relationships(
        "LOCATED_IN", "Organisation", "Region", [RelRow("org-a", "region-de73")], provenance=PROV
    )
    store.upsert_relationships(
        "HAS_COMPETENCE", "Organisation", "Topic", [RelRow("org-a", "topic-x")], provenance=PROV
    )
    store.upsert_relationships(
        "WORKS_AT", "Person", "Organisation", [RelRow("person-1", "org-a")], provenance=PROV
    )
    # the same pair twice: a second, parallel link
    store.write(
        "MATCH (a:Organisation {id: 'org-a'}), (d:Organisation {id: 'org-d'}) "
        "CREATE (a)-[:COOPERATES_WITH]->(d), (a)-[:COOPERATES_WITH]->(d)"
    )
    assert _assert_same_answers(store) == 4
    (detail,) = run_query(store, "organisation", {"id": "org-a"}, "viewer").rows
    assert [r["id"] for r in detail["regions"]] == ["region-de73"]
    assert [t["id"] for t in detail["topics"]] == ["topic-x"]
    assert detail["contacts"] == 1
    assert sorted(c["id"] for c in detail["cooperates_with"]).count("org-d") == 2


@pytest.mark.parametrize("org_id", ["org-nope", ""])
def test_an_unknown_organisation_has_no_answer(store: GraphStore, org_id: str) -> None:
    one_walk, comprehensions = _texts()
    assert store.read(one_walk, {"id": org_id}) == store.read(comprehensions, {"id": org_id}) == []
