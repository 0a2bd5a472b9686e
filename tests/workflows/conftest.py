"""Workflow API tests reuse the API engineer's fixtures: real app, real store, one key per role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from scaleup_graph.store import GraphStore
from tests.api import conftest as api_fixtures

# The API engineer's fixtures, re-exported so pytest finds them for these tests too.
api_settings = api_fixtures.api_settings
keys = api_fixtures.keys
make_client = api_fixtures.make_client

PROV = {"source": "test", "ingest_run": "t1", "ingested_at": "2026-01-01T00:00:00"}


@pytest.fixture
def seeded_client(
    seeded_store: GraphStore, make_client: Callable[[GraphStore | None], TestClient]
) -> TestClient:
    """The API over a private copy of the Nordhessen seed network."""
    return make_client(seeded_store)


@pytest.fixture
def empty_client(
    store: GraphStore, make_client: Callable[[GraphStore | None], TestClient]
) -> TestClient:
    """The API over an empty graph the test fills by hand."""
    return make_client(store)


def count(store: GraphStore, label: str) -> int:
    """How many nodes of ``label`` the graph holds (``label`` is a schema constant)."""
    from scaleup_graph.store.cypher import label as cypher_label

    return int(store.read(f"MATCH (n:{cypher_label(label)}) RETURN count(n) AS n")[0]["n"])


def rel_count(store: GraphStore) -> int:
    return int(store.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"])
