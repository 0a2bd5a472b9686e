"""Fixtures for the reliability and security proofs (issue 8): the seed network plus the API
tests' small graph (whose personal values are known), the real app over it, one key per role.

Every module here sets ``pytestmark = pytest.mark.hard``: ``make check-hard`` runs them,
``make test`` does not.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from scaleup_graph.api import create_app
from scaleup_graph.api.keys import KeyStore, keys_path
from scaleup_graph.queries import ROLES
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore
from tests.api.conftest import build_small_graph


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
    """One key per role, as request headers: ``role_headers["viewer"]``."""
    keys = KeyStore(keys_path(hard_settings))
    return {role: {"X-API-Key": keys.create(role)[1]} for role in ROLES}


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


@contextlib.contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run ``app`` under uvicorn on a free loopback port in a thread; yield its base URL.

    Over real HTTP, concurrent clients are served as in production (the in-process TestClient
    runs one request at a time).
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start within 30 s")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
