from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.store import GraphStore, NodeRow
from tests.support.damaged_folder import damage, late_constraint

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


@pytest.mark.parametrize(
    ("graph", "label_id"),
    [("g", 20), ("other", 9)],
    ids=["label-id-unknown-the-server-exits", "graph-unknown-the-server-crashes"],
)
def test_a_folder_the_server_cannot_load_is_refused_at_once_naming_it(
    tmp_path: Path, graph: str, label_id: int
) -> None:
    """A late constraint entry of a graph deleted and created again (issue 18) names a label
    id the graph does not have: the server either says why and exits, or crashes (a signal;
    it then removes its pid file, and the store waited 120 s for an answer and blamed the
    time). Either way the store names the folder, the server's reason and what to do, and
    leaves the files as they are."""
    from scaleup_graph.store import StoreError, open_store
    from scaleup_graph.store.embedded import EmbeddedServer

    assert late_constraint(9).hex() == (  # the entry in the folder of issue 18
        "020d0000000000000001000000090000000c00000000000000436f6e74656e744974656d00"
        "0100000300000000000000696400"
    )
    folder = tmp_path / "db"
    incr = damage(folder, graph, label_id).incr  # g has ContentItem as label 9
    damaged = incr.read_bytes()
    try:
        for _ in range(2):  # the second open does not wait for the first one's failure
            with pytest.raises(StoreError) as refused:
                open_store(f"embedded://{folder}", graph="g")
            message = str(refused.value)
            assert f"the database folder {folder} cannot be loaded" in message
            assert str(folder / "server.log") in message
            assert "restore it from a backup" in message
            assert incr.read_bytes() == damaged
    finally:
        EmbeddedServer(folder).kill()  # a server that loaded the folder after all


def test_a_write_whose_connection_breaks_mid_pipeline_reaches_the_graph_and_its_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A connection that breaks while a pipeline runs ("Connection reset by peer": the server
    killed mid-command, as tests/hard/test_crash.py does) makes the store reconnect and send the
    call again. A redis pipeline forgets its commands once executed, so sending the same one
    again sent nothing: the write failed with a ValueError (CI, 2026-12-01), and a copy's
    replay would have been skipped without a word."""
    import redis.client

    from scaleup_graph.store import open_store

    store = open_store(f"embedded://{tmp_path / 'db'}")
    try:
        store.upsert_nodes("Topic", [NodeRow("topic-a", {"name": "A"})], provenance=PROV)
        query = "MATCH (t:Topic) RETURN t.id AS id ORDER BY id"
        copy: dict[str, Any] = {
            "timeout_ms": 5_000,
            "row_cap": 100,
            "personal": False,
            "drafts": False,
        }
        assert store.read_adhoc(query, **copy)[0] == [{"id": "topic-a"}]

        for method in ("_execute_pipeline", "_execute_transaction"):
            original = getattr(redis.client.Pipeline, method)
            broken: list[str] = []

            def once(
                self: Any,
                *args: Any,
                _original: Any = original,
                _broken: list[str] = broken,
                **kw: Any,
            ) -> Any:
                if not _broken:
                    _broken.append("reset")
                    raise redis.ConnectionError("Connection reset by peer")
                return _original(self, *args, **kw)

            monkeypatch.setattr(redis.client.Pipeline, method, once)
            topic = f"topic-{method}"
            store.upsert_nodes("Topic", [NodeRow(topic, {"name": "B"})], provenance=PROV)
            assert broken == ["reset"], f"{method}: the connection broke once"
            monkeypatch.undo()

            assert topic in {r["id"] for r in store.read(query)}
            rows, _ = store.read_adhoc(query, **copy)
            assert topic in {r["id"] for r in rows}, f"{method}: the copy followed the write"
    finally:
        store.close()


def test_a_failed_load_is_remembered_until_the_files_change_and_leaves_no_stale_files(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that could not load a folder does not load it again on every open (the API
    opens on every request while it has no store): not before its files change or
    RETRY_UNLOADABLE_S passed. A load after a failed one does not warn that the folder "was not
    shut down cleanly": nothing was served, and the failed start's files are gone."""
    from scaleup_graph.store import StoreUnloadable, embedded, open_store

    damaged = damage(tmp_path / "db")
    url = f"embedded://{damaged.folder}"
    server_log = damaged.folder / "server.log"
    with pytest.raises(StoreUnloadable) as first:
        open_store(url, graph="g")
    assert not first.value.repeated
    loaded_once = server_log.stat().st_size
    with pytest.raises(StoreUnloadable) as again:
        open_store(url, graph="g")
    assert again.value.repeated and str(again.value) == str(first.value)
    assert server_log.stat().st_size == loaded_once  # the server did not load the folder again
    monkeypatch.setattr(embedded, "RETRY_UNLOADABLE_S", 0.0)
    with (
        caplog.at_level(logging.WARNING, logger="scaleup_graph.store.embedded"),
        pytest.raises(StoreUnloadable) as later,
    ):
        open_store(url, graph="g")
    assert not later.value.repeated and server_log.stat().st_size > loaded_once
    assert "shut down" not in caplog.text and "removed" not in caplog.text, caplog.text
    monkeypatch.undo()
    damaged.restore()  # the files change: the next open loads them
    store = open_store(url, graph="g")
    try:
        assert store.read("RETURN 1 AS one") == [{"one": 1}]
    finally:
        store.close()
