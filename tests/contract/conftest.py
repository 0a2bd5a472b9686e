"""Stores for the contract suite: every store that is reachable here, with the same tests.

- ``embedded``: always; one graph per test on the session's embedded server (tests/conftest.py).
- ``falkordb``: a FalkorDB server over TCP. ``SCALEUP_TEST_FALKORDB_URL`` names one; without it a
  fixture starts the embedded wheel's redis-server and FalkorDB module on a free loopback port
  (with a password, so the authenticated path is used) and sets the variable for the session.
- ``neo4j``: when ``SCALEUP_TEST_NEO4J_URL`` is set (``neo4j://neo4j:password@localhost:7687``),
  skipped with the reason otherwise. Neo4j Community has one database, so the tests clear it
  before and after each test; a database that already holds data is refused unless
  ``SCALEUP_TEST_NEO4J_WIPE=1`` says it may be wiped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from scaleup_graph.store import GraphStore, open_store
from tests.support.falkordb_server import FalkorServer, start_falkordb_server

FALKORDB_ENV = "SCALEUP_TEST_FALKORDB_URL"
NEO4J_ENV = "SCALEUP_TEST_NEO4J_URL"
NEO4J_WIPE_ENV = "SCALEUP_TEST_NEO4J_WIPE"
STORES = ("embedded", "falkordb", "neo4j")


@pytest.fixture
def falkordb_server(tmp_path: Path) -> Iterator[FalkorServer]:
    """A FalkorDB server of this test alone (stop it to see how a store behaves when down)."""
    server = start_falkordb_server(tmp_path)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def falkordb_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a FalkorDB server: SCALEUP_TEST_FALKORDB_URL, or one started for the session."""
    given = os.environ.get(FALKORDB_ENV)
    if given:
        yield given
        return
    server = start_falkordb_server(tmp_path_factory.mktemp("falkordb-server"))
    os.environ[FALKORDB_ENV] = server.url
    try:
        yield server.url
    finally:
        os.environ.pop(FALKORDB_ENV, None)
        server.stop()


@pytest.fixture(scope="session")
def neo4j_url() -> str:
    url = os.environ.get(NEO4J_ENV)
    if not url:
        pytest.skip(
            f"{NEO4J_ENV} is not set: no Neo4j to test against. Run `docker compose up -d --wait "
            f"neo4j`, then {NEO4J_ENV}=neo4j://neo4j:<password>@localhost:7687 pytest "
            "tests/contract (the tests delete everything in that database)"
        )
    return url


@pytest.fixture(scope="session")
def neo4j_checked(neo4j_url: str) -> str:
    """Refuse, once per session, to wipe a Neo4j database that holds someone's data."""
    probe = open_store(neo4j_url)
    try:
        held = sum(probe.counts()["nodes"].values())
    finally:
        probe.close()
    if held and os.environ.get(NEO4J_WIPE_ENV) != "1":
        pytest.skip(
            f"the Neo4j database at {NEO4J_ENV} holds {held} nodes and the contract tests "
            f"delete everything; use a scratch database or set {NEO4J_WIPE_ENV}=1"
        )
    return neo4j_url


def open_contract_store(kind: str, request: pytest.FixtureRequest, graph: str) -> GraphStore:
    if kind == "embedded":
        return open_store(request.getfixturevalue("db_url"), graph=graph)
    if kind == "falkordb":
        return open_store(request.getfixturevalue("falkordb_url"), graph=graph)
    store = open_store(request.getfixturevalue("neo4j_checked"))
    store.clear()
    return store


@pytest.fixture(params=STORES)
def cstore(request: pytest.FixtureRequest, graph_name: str) -> Iterator[GraphStore]:
    """A fresh, empty graph on each reachable store in turn."""
    store = open_contract_store(request.param, request, graph_name)
    try:
        yield store
    finally:
        store.clear()
        store.close()
