"""API fixtures: settings on the test's graph, one key per role, clients over the real app.

The root conftest imports them, so every test folder has them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scaleup_graph.api import create_app
from scaleup_graph.api.keys import KeyStore, keys_path
from scaleup_graph.queries import ROLES
from scaleup_graph.queries.privacy import LADDER
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore


@pytest.fixture
def api_settings(db_url: str, graph_name: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url, graph=graph_name, state_dir=tmp_path / "state", page_size_cap=100
    )


@pytest.fixture
def keys(api_settings: Settings) -> dict[str, dict[str, str]]:
    """Headers for one key per role of the old ladder, as migrated keys have them
    (``keys["analyst"]`` carries viewer, contacts and analyst); single capabilities are tested
    in tests/api/test_auth.py and tests/hard."""
    store = KeyStore(keys_path(api_settings))
    return {role: {"X-API-Key": store.create(LADDER[role])[1]} for role in ROLES}


@pytest.fixture
def make_client(api_settings: Settings) -> Iterator[Callable[[GraphStore | None], TestClient]]:
    clients: list[TestClient] = []

    def make(store: GraphStore | None) -> TestClient:
        client = TestClient(create_app(api_settings, store), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)
