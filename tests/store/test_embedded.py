from __future__ import annotations

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
