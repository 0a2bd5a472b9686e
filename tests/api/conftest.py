"""Fixtures for API tests: the small known graph and a client over it (the shared API fixtures
come from tests/support/api.py through the root conftest)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from scaleup_graph.store import GraphStore
from tests.support.graphs import build_small_graph


@pytest.fixture
def small_store(store: GraphStore) -> GraphStore:
    build_small_graph(store)
    return store


@pytest.fixture
def client(
    small_store: GraphStore, make_client: Callable[[GraphStore | None], TestClient]
) -> TestClient:
    return make_client(small_store)
