"""Reads go over a connection of the reading thread's own (FalkorDBStore._ro_query): each
thread gets its own answers, and a read that gave up waiting never leaves its late reply to be
taken as the answer of the next one."""

from __future__ import annotations

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


def test_closing_the_store_closes_every_threads_connection(store: GraphStore) -> None:
    store.read("RETURN 1 AS x")
    done = threading.Thread(target=lambda: store.read("RETURN 1 AS x"))
    done.start()
    done.join()
    own = list(store._own)  # type: ignore[attr-defined]
    assert len(own) == 2
    assert all(conn._sock is not None for conn in own)
    store._disconnect()  # type: ignore[attr-defined]
    assert all(conn._sock is None for conn in own)
    store._connect()  # type: ignore[attr-defined]
    assert store.read("RETURN 4 AS x") == [{"x": 4}]
