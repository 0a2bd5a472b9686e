"""Workflow API tests: clients over the seed network or an empty graph (the API fixtures come
from tests/support/api.py through the root conftest)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from scaleup_graph.store import GraphStore


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
