"""Fixtures for the reliability and security proofs (issue 8): the seed network plus the API
tests' small graph (whose personal values are known), the real app over it, one key per role.

Every module here sets ``pytestmark = pytest.mark.hard``: ``make check-hard`` runs them,
``make test`` does not.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from scaleup_graph.api import create_app
from scaleup_graph.api.keys import KeyStore, keys_path
from scaleup_graph.queries import ROLES
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore
from tests.support.graphs import build_small_graph

#: Every capability alone, the analyst who may see contacts, and a key with every capability.
ALL = "contacts+analyst+editor+admin"
MATRIX_ROLES: tuple[str, ...] = (*ROLES, "contacts+analyst", ALL)


@pytest.fixture
def hard_settings(db_url: str, graph_name: str, tmp_path: Path) -> Settings:
    """Settings of the app under test; a short query timeout keeps runaway queries short."""
    return Settings(
        database_url=db_url,
        graph=graph_name,
        state_dir=tmp_path / "state",
        page_size_cap=100,
        query_timeout_ms=2_000,
        adhoc_row_cap=500,
    )


@pytest.fixture
def role_headers(hard_settings: Settings) -> dict[str, dict[str, str]]:
    """One key per entry of :data:`MATRIX_ROLES`, as request headers: ``role_headers["viewer"]``,
    ``role_headers["contacts+analyst"]``, ``role_headers[ALL]``."""
    keys = KeyStore(keys_path(hard_settings))
    return {role: {"X-API-Key": keys.create(role)[1]} for role in MATRIX_ROLES}


@pytest.fixture
def rich_store(seeded_store: GraphStore) -> GraphStore:
    """The seed network plus the small graph with known personal values (ANNA, BERND)."""
    build_small_graph(seeded_store)
    return seeded_store


@pytest.fixture
def hard_app(hard_settings: Settings, rich_store: GraphStore) -> FastAPI:
    return create_app(hard_settings, rich_store)


@pytest.fixture
def hard_client(hard_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(hard_app, raise_server_exceptions=False) as client:
        yield client
