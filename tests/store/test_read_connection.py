"""Reads go over a connection of the reading thread's own (FalkorDBStore._ro_query): each
thread gets its own answers, and a read that gave up waiting never leaves its late reply to be
taken as the answer of the next one."""

from __future__ import annotations

import gc
import threading
from typing import Any

import pytest
import redis

from scaleup_graph.store import GraphStore, NodeRow, QueryTimeout

PROV = {"source": "test", "ingest_run": "r1", "ingested_at": "2026-01-01T00:00:00"}


def _own_connections(store: GraphStore) -> list[Any]:
    held: dict[bool, tuple[Any, Any]] = store._local.__dict__.get("held", {})  # type: ignore[attr-defined]
    return [conn for _, conn in held.values()]


def test_a_read_that_gave_up_does_not_hand_its_reply_to_the_next(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert store.read("RETURN 0 AS x") == [{"x": 0}]
    (conn,) = _own_connections(store)
    read_response = conn.read_response
    calls = []

    def late(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:  # the reply is on its way; the reader stops waiting
            raise redis.TimeoutError("Timeout reading from socket")
        return read_response(*args, **kwargs)

    monkeypatch.setattr(conn, "read_response", late)
    with pytest.raises(QueryTimeout):
        store.read("RETURN 1 AS x")
    assert store.read("RETURN 2 AS x") == [{"x": 2}]
    assert store.read("RETURN 3 AS x") == [{"x": 3}]


def test_threads_read_their_own_answers(store: GraphStore) -> None:
    store.upsert_nodes(
        "Topic", [NodeRow(f"topic-{i}", {"name": f"T{i}"}) for i in range(8)], provenance=PROV
    )
    wrong: list[tuple[int, object]] = []

    def reader(i: int) -> None:
        for _ in range(50):
            rows = store.read(
                "MATCH (t:Topic {id: $id}) RETURN t.name AS name", {"id": f"topic-{i}"}
            )
            if rows != [{"name": f"T{i}"}]:
                wrong.append((i, rows))

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


def test_a_threads_connection_ends_with_the_thread(store: GraphStore) -> None:
    """The server's worker threads end when idle and new ones start: no connection is left
    open for a thread that is gone."""
    sockets = []
    before = len(store._own)  # type: ignore[attr-defined]

    def read() -> None:
        assert store.read("RETURN 1 AS x") == [{"x": 1}]
        (conn,) = _own_connections(store)
        sockets.append(conn._sock)

    for _ in range(5):
        done = threading.Thread(target=read)
        done.start()
        done.join()
    gc.collect()
    assert len(sockets) == 5
    assert all(sock.fileno() == -1 for sock in sockets)  # closed
    assert len(store._own) == before  # type: ignore[attr-defined]


def test_closing_the_store_closes_every_threads_connection(store: GraphStore) -> None:
    store.read("RETURN 1 AS x")
    release = threading.Event()
    started = threading.Event()

    def reader() -> None:
        store.read("RETURN 1 AS x")
        started.set()
        release.wait(60)

    other = threading.Thread(target=reader)
    other.start()
    started.wait(60)
    own = list(store._own)  # type: ignore[attr-defined]
    assert len(own) == 2
    assert all(conn._sock is not None for conn in own)
    store._disconnect()  # type: ignore[attr-defined]
    assert all(conn._sock is None for conn in own)
    release.set()
    other.join()
    store._connect()  # type: ignore[attr-defined]
    assert store.read("RETURN 4 AS x") == [{"x": 4}]
