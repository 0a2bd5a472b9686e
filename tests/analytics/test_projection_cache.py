"""The projection is cached per graph version: reused until any write, then loaded again."""

from __future__ import annotations

from scaleup_graph.analytics.projection import ProjectionFilter, project
from scaleup_graph.store import GraphStore, NodeRow

PROV = {"source": "test", "ingest_run": "t", "ingested_at": "2026-01-01T00:00:00"}


def test_a_second_projection_reuses_the_first_until_a_write(seeded_store: GraphStore) -> None:
    first = project(seeded_store)
    assert project(seeded_store) is first  # a second metric, matchmaking, sizing: no reload
    other = project(seeded_store, ProjectionFilter(labels=("Organisation", "Project")))
    assert other is not first  # another filter is another projection
    seeded_store.upsert_nodes("Topic", [NodeRow("topic-neu", {"name": "Neu"})], provenance=PROV)
    second = project(seeded_store)
    assert second is not first
    assert "topic-neu" in second.graph and "topic-neu" not in first.graph
    assert project(seeded_store, cached=False) is not second


def test_a_property_write_invalidates_too(seeded_store: GraphStore) -> None:
    first = project(seeded_store)
    seeded_store.write(
        "MATCH (o:Organisation {id: 'org-ihk-kassel-marburg'}) SET o.city = 'Kassel (neu)'"
    )
    second = project(seeded_store)
    assert second is not first
    assert second.graph.nodes["org-ihk-kassel-marburg"]["city"] == "Kassel (neu)"
