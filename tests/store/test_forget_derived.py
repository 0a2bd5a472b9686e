"""``forget_derived`` (an erasure drops every picture derived from the graph) on a real server:
it drops this graph's derived keys, no other graph's, and does not send KEYS (which walks every
key of the server in one command and blocks its other clients: a remote server holds more than
our graph)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from scaleup_graph.store import GraphStore, open_store

NAMES = ("overview-kept-a", "overview-kept-b", "search-page")


def _calls(store: Any, command: str) -> int:
    stats = store._wdb.connection.info("commandstats")
    return int(stats.get(f"cmdstat_{command}", {}).get("calls", 0))


@pytest.fixture
def other(db_url: str, graph_name: str) -> Iterator[GraphStore]:
    """Another graph on the same server, with derived keys of the same names."""
    store = open_store(db_url, graph=f"{graph_name}-other")
    for name in NAMES:
        store.save_derived_parts(name, "7", {"meta": b"kept"})
    yield store
    store.forget_derived()
    store.close()


def _forgets_only_its_own(forgetting: GraphStore, other: GraphStore) -> None:
    for name in NAMES:
        forgetting.save_derived_parts(name, "7", {"meta": b"data of " + name.encode()})
    assert forgetting.load_derived_parts(NAMES[0], "7") == {"meta": b"data of overview-kept-a"}
    keys_before, scans_before = _calls(forgetting, "keys"), _calls(forgetting, "scan")

    forgetting.forget_derived()

    for name in NAMES:
        assert forgetting.load_derived_parts(name, "7") is None
        assert other.load_derived_parts(name, "7") == {"meta": b"kept"}
    assert _calls(forgetting, "keys") == keys_before, "KEYS blocks the whole server"
    assert _calls(forgetting, "scan") > scans_before


def test_forget_derived_drops_the_graphs_keys_with_scan_not_keys(
    store: GraphStore, other: GraphStore
) -> None:
    _forgets_only_its_own(store, other)


def test_a_graph_named_with_glob_characters_forgets_no_other_graphs_keys(
    db_url: str, graph_name: str, other: GraphStore
) -> None:
    forgetting = open_store(db_url, graph=f"{graph_name}*")
    try:
        _forgets_only_its_own(forgetting, other)
    finally:
        forgetting.close()
