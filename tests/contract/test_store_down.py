"""A server store that is down gives StoreUnavailable (the API's 503) with a sentence that says
what to do, never a driver traceback. (The embedded store restarts its own server instead; that is
tested in tests/store/test_embedded.py.)"""

from __future__ import annotations

import socket
from typing import Any

import pytest

from scaleup_graph.store import NodeRow, StoreUnavailable, open_store
from scaleup_graph.store.neo4j import Neo4jStore

PROV = {"source": "down.csv", "ingest_run": "r1", "ingested_at": "2026-01-01T00:00:00"}
ROWS = [NodeRow(f"org-{i}", {"name": f"Org {i}"}) for i in range(5)]


def test_falkordb_server_that_stops_gives_store_unavailable(falkordb_server: Any) -> None:
    store = open_store(falkordb_server.url, graph="down")
    store.upsert_nodes("Organisation", ROWS, provenance=PROV)
    assert store.counts()["nodes"]["Organisation"] == 5
    falkordb_server.stop()
    for call in (
        store.health,
        store.counts,
        lambda: store.upsert_nodes("Organisation", ROWS, provenance=PROV),
    ):
        with pytest.raises(StoreUnavailable) as caught:
            call()
        assert "unavailable" in str(caught.value) or "reach" in str(caught.value)
    store.close()
    with pytest.raises(StoreUnavailable):
        open_store(falkordb_server.url, graph="down")


def test_neo4j_that_is_down_gives_store_unavailable() -> None:
    # Runs without a Neo4j: the real driver against a loopback port where nothing listens.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    store = Neo4jStore(f"neo4j://neo4j:secret-pw@127.0.0.1:{port}", max_retry_time_s=0)
    try:
        for call in (
            store.health,
            store.setup_schema,
            store.counts,
            lambda: store.upsert_nodes("Organisation", ROWS, provenance=PROV),
            lambda: store.read_only("MATCH (n) RETURN n", timeout_ms=100, row_cap=5),
        ):
            with pytest.raises(StoreUnavailable) as caught:
                call()
            message = str(caught.value)
            assert "docker compose up" in message and "SCALEUP_DATABASE_URL" in message
            assert "secret-pw" not in message
    finally:
        store.close()
