"""Fixtures for API tests: the small known graph and a client over it (the shared API fixtures
come from tests/support/api.py through the root conftest)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from scaleup_graph.api import create_app
from scaleup_graph.ingest import IngestOptions, ingest_path
from scaleup_graph.ingest.generate import generate
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore
from scaleup_graph.visualisation import AGGREGATE_ABOVE
from tests.support.graphs import build_small_graph
from tests.support.live_server import serve


@pytest.fixture
def small_store(store: GraphStore) -> GraphStore:
    build_small_graph(store)
    return store


@pytest.fixture
def client(
    small_store: GraphStore, make_client: Callable[[GraphStore | None], TestClient]
) -> TestClient:
    return make_client(small_store)


@pytest.fixture
def large(store: GraphStore, tmp_path: Path) -> GraphStore:
    """A generated network of about 600 nodes: above the size at which the overview groups."""
    population = generate(280, 11, tmp_path / "population")
    manifest = getattr(population, "manifest", population)
    ingest_path(
        store,
        Path(str(manifest)),
        options=IngestOptions(state_dir=tmp_path / "ingest", check_duplicates=False),
    )
    assert sum(store.counts()["nodes"].values()) > AGGREGATE_ABOVE
    return store


@pytest.fixture
def http(large: GraphStore, api_settings: Settings) -> Iterator[httpx.Client]:
    """The real app on a real port; it opens its own connection to the database, as a worker
    process of ``scaleup serve`` does."""
    with serve(create_app(api_settings)) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client
