from __future__ import annotations

from pathlib import Path

from scaleup_graph.store import GraphStore, NodeRow

PROV = {"source": "test", "ingest_run": "r1", "ingested_at": "2026-01-01T00:00:00"}


def test_upsert_is_idempotent_and_counts(store: GraphStore) -> None:
    rows = [NodeRow(f"org-{i}", {"name": f"Org {i}"}) for i in range(10)]
    store.upsert_nodes("Organisation", rows, provenance=PROV)
    before = store.fingerprint()
    store.upsert_nodes("Organisation", rows, provenance={**PROV, "ingest_run": "r2"})
    assert store.fingerprint() == before
    assert store.counts()["nodes"]["Organisation"] == 10


def test_extra_labels_come_from_schema(store: GraphStore) -> None:
    store.upsert_nodes("Organisation", [NodeRow("org-x", {"name": "X"}, ("SME",))], provenance=PROV)
    rows = store.read("MATCH (n:SME) RETURN n.id AS id")
    assert rows == [{"id": "org-x"}]


def test_a_cleared_and_rewritten_graph_survives_a_crash(tmp_path: Path) -> None:
    """FalkorDB cannot replay an append-only file holding a deleted and re-written graph; the
    store folds the deletion into a snapshot so the server still starts after a crash."""
    from scaleup_graph.store import open_store

    url = f"embedded://{tmp_path / 'db'}"
    store = open_store(url)
    store.upsert_nodes("Topic", [NodeRow("topic-old", {"name": "Old"})], provenance=PROV)
    store.clear()
    store.upsert_nodes("Topic", [NodeRow("topic-new", {"name": "New"})], provenance=PROV)
    store.close()
    store = open_store(url)
    store.server.kill()  # type: ignore[attr-defined]
    reopened = open_store(url)
    try:
        assert reopened.read("MATCH (t:Topic) RETURN t.id AS id") == [{"id": "topic-new"}]
    finally:
        store.close()
        reopened.close()
