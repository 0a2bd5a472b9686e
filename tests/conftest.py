"""Shared fixtures: one embedded database server per test session, one fresh graph per test.

Starting FalkorDB takes about half a second; one server holds many graphs, so each test gets its
own graph name on the shared server instead of its own server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from scaleup_graph.store import GraphStore, open_store
from tests.support.api import api_settings, keys, make_client  # noqa: F401  (shared fixtures)

# Records every statement the package sends, for the Neo4j lint (tests/cypher_recorder.py).
pytest_plugins = ["tests.cypher_recorder"]

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="session")
def db_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The directory of the session's embedded database server."""
    path = tmp_path_factory.mktemp("db")
    keeper = open_store(f"embedded://{path}", graph="keepalive")  # holds the server up
    yield path
    keeper.close()


@pytest.fixture
def db_url(db_dir: Path) -> str:
    return f"embedded://{db_dir}"


@pytest.fixture
def graph_name() -> str:
    return f"t_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def store(db_url: str, graph_name: str) -> Iterator[GraphStore]:
    """A fresh, empty graph on the session's embedded server, deleted after the test."""
    s = open_store(db_url, graph=graph_name)
    yield s
    s.clear()
    s.close()


@pytest.fixture(scope="session")
def seed_graph(db_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """The Nordhessen seed network, loaded once per session. Do not write to it: use
    ``seeded_store``, which is a private copy."""
    from scaleup_graph.ingest import IngestOptions, load_seed

    s = open_store(f"embedded://{db_dir}", graph="seed_master")
    s.clear()
    load_seed(
        s,
        options=IngestOptions(
            state_dir=tmp_path_factory.mktemp("seed-state"), check_duplicates=False
        ),
    )
    yield s
    s.clear()
    s.close()


@pytest.fixture
def seeded_store(seed_graph: GraphStore, graph_name: str) -> Iterator[GraphStore]:
    """A fresh copy of the seed network for one test (GRAPH.COPY: milliseconds)."""
    s = seed_graph.copy_to(graph_name)  # type: ignore[attr-defined]
    yield s
    s.clear()
    s.close()


@pytest.fixture
def store_env(
    db_url: str, graph_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """Environment that points the CLI and the API at this test's graph and state folder."""
    env = {
        "SCALEUP_DATABASE_URL": db_url,
        "SCALEUP_GRAPH": graph_name,
        "SCALEUP_STATE_DIR": str(tmp_path / "state"),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    from scaleup_graph.settings import get_settings

    get_settings.cache_clear()
    return {**os.environ, **env}


@pytest.fixture(scope="session")
def shared_data() -> Path:
    from scaleup_graph.ingest import open_data_dir

    found = open_data_dir()
    if found is None:
        pytest.skip("the open data folder is not present: set SCALEUP_OPEN_DATA")
    return found


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
